//! Drawing: one file per screen, the theme, and every UI string. `view` only reads the app.

pub mod help;
pub mod home;
pub mod quiz;
pub mod strings;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Screen};
use theme::Theme;

/// Draws the whole app.
pub fn view(app: &App, frame: &mut Frame<'_>, theme: Theme) {
    let area = frame.area();
    match app.screen {
        Screen::Home => home::render(app, frame, area, theme),
        Screen::Quiz => quiz::render(app, frame, area, theme),
    }
    if app.help {
        help::render(frame, area, theme);
    }
}

/// The three bands of every screen: a title line, the body, and a line of key hints. Very small
/// terminals get the body only.
pub fn chrome(area: Rect) -> (Option<Rect>, Rect, Option<Rect>) {
    if area.height < 4 {
        return (None, area, None);
    }
    let title = Rect { height: 1, ..area };
    let footer = Rect { y: area.bottom() - 1, height: 1, ..area };
    let body = Rect { y: area.y + 1, height: area.height - 2, ..area };
    (Some(title), body, Some(footer))
}

/// Draws the title bar: the app name on the left, `right` on the right.
pub fn render_title(frame: &mut Frame<'_>, area: Rect, left: &str, right: &str, theme: Theme) {
    let width = usize::from(area.width);
    let right_width = crate::text::width(right);
    let left = crate::text::truncate(&format!(" {left}"), width.saturating_sub(right_width + 2));
    let gap = width.saturating_sub(crate::text::width(&left) + right_width + 1);
    let line = format!("{left}{}{right} ", " ".repeat(gap));
    frame.render_widget(Paragraph::new(crate::text::truncate(&line, width)).style(theme.title()), area);
}

/// Draws a footer of key hints, cut to the width.
pub fn render_keys(frame: &mut Frame<'_>, area: Rect, keys: &[(&str, &str)], theme: Theme) {
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
