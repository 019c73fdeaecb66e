//! The help overlay (`?`): every key, over whatever screen is showing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::strings;
use super::theme::Theme;

/// Draws the help box centred in `area`.
pub fn render(frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let width = area.width.min(72);
    let height = area.height.min(strings::HELP_KEYS.len() as u16 + 2);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let key_width = strings::HELP_KEYS.iter().map(|(k, _)| crate::text::width(k)).max().unwrap_or(0);
    let lines: Vec<Line<'_>> = strings::HELP_KEYS
        .iter()
        .map(|(key, meaning)| {
            let pad = " ".repeat(key_width.saturating_sub(crate::text::width(key)));
            Line::from(vec![Span::styled(format!(" {key}{pad}  "), theme.key()), Span::raw(*meaning)])
        })
        .collect();
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(strings::HELP_TITLE);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
