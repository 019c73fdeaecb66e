//! Where things sit on the screen, shared by the drawing (`ui`) and by `update`, which maps a
//! click to the row or choice under it and limits scrolling. Pure geometry and text layout: no
//! frame, no state change.

pub mod quiz;

use ratatui::layout::Rect;

use crate::app::App;

/// The three bands of every screen: a title line, the body, and a line of key hints. Very small
/// terminals get the body only.
pub fn chrome(area: Rect) -> (Option<Rect>, Rect, Option<Rect>) {
    if area.height < 4 {
        return (None, area, None);
    }
    let title = Rect { height: 1, ..area };
    let footer = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let body = Rect {
        y: area.y + 1,
        height: area.height - 2,
        ..area
    };
    (Some(title), body, Some(footer))
}

/// The body band, padded one column on each side.
pub fn padded(body: Rect) -> Rect {
    let pad = u16::from(body.width > 2);
    Rect {
        x: body.x + pad,
        width: body.width - 2 * pad,
        ..body
    }
}

/// A rectangle of at most `width` × `height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The whole terminal of `app`'s size.
fn screen(app: &App) -> Rect {
    Rect::new(0, 0, app.size.0, app.size.1)
}

/// The first row shown of a list of `height` rows with the cursor at `cursor`.
pub fn first_visible(cursor: usize, height: usize) -> usize {
    cursor.saturating_sub(height.max(1) - 1)
}

/// ホーム: the area the menu is drawn in (below the due line, the exam line and a problem line
/// if any).
pub fn home_menu(app: &App, size: Rect) -> Rect {
    let body = padded(chrome(size).1);
    let header = 2 + u16::from(!app.problems.is_empty());
    let skip = header.min(body.height);
    let height = (crate::strings::HOME_MENU.len() as u16).min(body.height - skip);
    Rect {
        y: body.y + skip,
        height,
        ..body
    }
}

/// ホーム: which menu row a click on terminal row `row` hits.
pub fn home_row_at(app: &App, row: u16) -> Option<usize> {
    let menu = home_menu(app, screen(app));
    (row >= menu.y && row < menu.bottom()).then(|| usize::from(row - menu.y))
}

/// 演習: the area of the menu rows (below the heading).
pub fn practice_list(size: Rect) -> Rect {
    let body = padded(chrome(size).1);
    let skip = 1.min(body.height);
    Rect {
        y: body.y + skip,
        height: body.height - skip,
        ..body
    }
}

/// 演習: which menu row a click on terminal row `row` hits, of `rows`.
pub fn practice_row_at(app: &App, row: u16, rows: usize) -> Option<usize> {
    let list = practice_list(screen(app));
    if row < list.y || row >= list.bottom() {
        return None;
    }
    let index =
        first_visible(app.practice.cursor, usize::from(list.height)) + usize::from(row - list.y);
    (index < rows).then_some(index)
}

/// 検索: rows above the results (the field and the hint).
pub const SEARCH_HEADER: u16 = 2;

/// 検索: which result a click on terminal row `row` hits.
pub fn search_row_at(app: &App, row: u16) -> Option<usize> {
    let body = padded(chrome(screen(app)).1);
    let top = body.y + SEARCH_HEADER;
    if row < top || row >= body.bottom() {
        return None;
    }
    let height = usize::from(body.height.saturating_sub(SEARCH_HEADER));
    let index = first_visible(app.search.cursor, height) + usize::from(row - top);
    (index < app.search.hits.len()).then_some(index)
}

/// The help box for `lines` rows of keys in `area`.
pub fn help_popup(area: Rect, lines: usize) -> Rect {
    centered(area, 76, u16::try_from(lines + 2).unwrap_or(u16::MAX))
}

/// How far the help can scroll at `size` (0 when it fits).
pub fn help_max_scroll(size: (u16, u16), lines: usize) -> u16 {
    let popup = help_popup(Rect::new(0, 0, size.0, size.1), lines);
    let visible = usize::from(popup.height.saturating_sub(2));
    u16::try_from(lines.saturating_sub(visible)).unwrap_or(u16::MAX)
}
