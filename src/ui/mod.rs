//! Drawing: one file per screen, the theme, and every UI string. `view` only reads the app.

pub mod card;
pub mod exam;
pub mod help;
pub mod home;
pub mod practice;
pub mod quiz;
pub mod search;
pub mod simulator;
pub mod stats;
pub use crate::layout::{centered, chrome, padded};
pub use crate::strings;
pub use crate::theme;
pub mod study;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::{App, Screen};
use theme::Theme;

/// Draws the whole app.
pub fn view(app: &App, frame: &mut Frame<'_>, theme: Theme) {
    let area = frame.area();
    match app.screen() {
        Screen::Home => home::render(app, frame, area, theme),
        Screen::Study => study::render(app, frame, area, theme),
        Screen::Practice => practice::render(app, frame, area, theme),
        Screen::Quiz => quiz::render(app, frame, area, theme),
        Screen::Exam => exam::render(app, frame, area, theme),
        Screen::Search => search::render(app, frame, area, theme),
        Screen::Simulator => simulator::render(app, frame, area, theme),
        Screen::Stats => stats::render(app, frame, area, theme),
        Screen::Card => card::render(app, frame, area, theme),
    }
    // The key hints come from the live bindings and the state (`app::hints`), never from a
    // screen's own list, so they name only keys that work here.
    if let (_, _, Some(footer)) = chrome(area) {
        frame.render_widget(Clear, footer);
        render_keys(frame, footer, &crate::app::hints::footer(app), theme);
    }
    if let Some(notice) = &app.notice
        && area.height >= 4
    {
        // The notice replaces the key hints for one keypress.
        let footer = Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        };
        frame.render_widget(Clear, footer);
        let text = crate::text::truncate(&format!(" {notice}"), usize::from(area.width));
        frame.render_widget(Paragraph::new(text).style(theme.selected()), footer);
    }
    if app.show_problems {
        render_problems(app, frame, area, theme);
    }
    if app.help {
        help::render(app, frame, area, theme);
    }
}

/// Clears the area of a pop-up cell-safely: a full-width character that starts just left of
/// the pop-up would cover its left border (the terminal draws both halves), so it is replaced by
/// a space, as is the right half of one cut by the right border.
pub fn clear_popup(frame: &mut Frame<'_>, popup: Rect) {
    let buffer = frame.buffer_mut();
    let bounds = buffer.area;
    for y in popup.top()..popup.bottom() {
        if popup.x > bounds.x {
            let left = (popup.x - 1, y);
            if crate::text::width(buffer[left].symbol()) > 1 {
                buffer[left].set_symbol(" ");
            }
        }
        let last = popup.right().saturating_sub(1);
        if popup.width > 0
            && popup.right() < bounds.right()
            && last >= popup.x
            && crate::text::width(buffer[(last, y)].symbol()) > 1
        {
            buffer[(popup.right(), y)].set_symbol(" ");
        }
    }
    frame.render_widget(Clear, popup);
}

fn render_problems(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let popup = centered(area, 76, area.height.saturating_sub(2));
    clear_popup(frame, popup);
    let width = usize::from(popup.width.saturating_sub(2)).max(1);
    let mut lines = Vec::new();
    for problem in &app.problems {
        for line in problem.lines() {
            lines.push(Line::styled(
                crate::text::truncate(line, width),
                theme.text(),
            ));
        }
        lines.push(Line::default());
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(strings::PROBLEMS_TITLE);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// The width of a name column before a bar and `rest` columns of figures: the widest name
/// whole when the line has room for it and a bar of 10, else 18 columns (at most half the
/// line), the names cut with … — so a long domain name is cut only where the width requires.
pub fn name_column(widest: usize, width: usize, rest: usize) -> usize {
    let room = width.saturating_sub(rest + 10);
    widest.min(room).max(18.min(width / 2))
}

/// Draws the title bar: the app name on the left, `right` on the right.
pub fn render_title(frame: &mut Frame<'_>, area: Rect, left: &str, right: &str, theme: Theme) {
    let width = usize::from(area.width);
    let right_width = crate::text::width(right);
    let left = crate::text::truncate(&format!(" {left}"), width.saturating_sub(right_width + 2));
    let gap = width.saturating_sub(crate::text::width(&left) + right_width + 1);
    let line = format!("{left}{}{right} ", " ".repeat(gap));
    frame.render_widget(
        Paragraph::new(crate::text::truncate(&line, width)).style(theme.title()),
        area,
    );
}

/// Draws a footer of key hints, cut to the width.
pub fn render_keys(frame: &mut Frame<'_>, area: Rect, keys: &[(String, &str)], theme: Theme) {
    let mut spans = Vec::new();
    let mut used = 0;
    let width = usize::from(area.width);
    for (key, meaning) in keys {
        let piece = crate::text::width(key) + crate::text::width(meaning) + 3;
        if used + piece > width {
            break;
        }
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::styled(format!(" {meaning} "), theme.dim()));
        used += piece;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Draws a screen's title bar; returns the padded body (`view` draws the key hints).
pub fn frame_screen(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    right: &str,
    theme: Theme,
) -> Rect {
    let (title_area, body, _) = chrome(area);
    if let Some(t) = title_area {
        render_title(frame, t, title, right, theme);
    }
    padded(body)
}

/// A horizontal bar of `width` cells filled to `ratio` (0.0–1.0).
pub fn bar(ratio: f64, width: usize) -> String {
    let filled = ((ratio.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "#".repeat(filled), ".".repeat(width - filled))
}

/// Draws pre-built lines scrolled by `scroll` (clamped to the content).
pub fn render_lines(frame: &mut Frame<'_>, area: Rect, lines: Vec<Line<'static>>, scroll: u16) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let max =
        u16::try_from(lines.len().saturating_sub(usize::from(area.height))).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), area);
}

/// Wraps text into styled lines.
pub fn wrapped(
    text: &str,
    width: usize,
    first: &str,
    rest: &str,
    style: ratatui::style::Style,
) -> Vec<Line<'static>> {
    crate::text::wrap_indent(text, width, first, rest)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::layout::Rect;
    use ratatui::widgets::{Block, Borders, Paragraph};

    #[test]
    fn a_popup_keeps_its_borders_over_full_width_text() {
        let mut terminal = Terminal::new(TestBackend::new(20, 6)).unwrap();
        // Odd x: the cell left of the pop-up starts a full-width character.
        let popup = Rect::new(5, 1, 9, 4);
        terminal
            .draw(|frame| {
                let text = "あいうえおかきくけこ\n".repeat(6);
                frame.render_widget(Paragraph::new(text), frame.area());
                super::clear_popup(frame, popup);
                frame.render_widget(Block::default().borders(Borders::ALL), popup);
            })
            .unwrap();
        let buffer = terminal.backend().buffer();
        for y in popup.top()..popup.bottom() {
            assert!(
                crate::text::width(buffer[(popup.x - 1, y)].symbol()) < 2,
                "row {y}: a wide character still covers the left border"
            );
            assert_ne!(
                buffer[(popup.x, y)].symbol(),
                " ",
                "row {y}: left border drawn"
            );
        }
    }
}
