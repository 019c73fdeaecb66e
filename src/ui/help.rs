//! The help overlay (`?`): the keys of the current screen and state, then the keys of every
//! screen, as `app::hints` makes them from the live bindings. Longer than the terminal, it
//! scrolls (↑↓ PgUp PgDn) and its bottom edge says which lines show.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::strings;
use super::theme::Theme;
use crate::app::App;

/// Draws the help box centred in `area`.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let keys = crate::app::hints::help(app);
    let popup = crate::layout::help_popup(area, keys.len());
    let visible = usize::from(popup.height.saturating_sub(2));
    let max = keys.len().saturating_sub(visible);
    let scroll = usize::from(app.help_scroll).min(max);
    let key_width = keys
        .iter()
        .map(|(k, _)| crate::text::width(k))
        .max()
        .unwrap_or(0);
    let lines: Vec<Line<'_>> = keys
        .iter()
        .skip(scroll)
        .take(visible)
        .map(|(key, meaning)| {
            let pad = " ".repeat(key_width.saturating_sub(crate::text::width(key)));
            Line::from(vec![
                Span::styled(format!(" {key}{pad}  "), theme.key()),
                Span::raw(*meaning),
            ])
        })
        .collect();
    super::clear_popup(frame, popup);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(app.keys.fill(strings::HELP_TITLE));
    if max > 0 {
        let shown = strings::HELP_SCROLL
            .replace("{from}", &(scroll + 1).to_string())
            .replace("{to}", &(scroll + lines.len()).to_string())
            .replace("{total}", &keys.len().to_string());
        block = block.title_bottom(shown);
    }
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
