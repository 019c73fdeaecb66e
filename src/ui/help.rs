//! The help overlay (`?`): the keys of the current screen, then the keys of every screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::strings;
use super::theme::Theme;
use crate::app::Screen;

/// The keys listed for a screen, its own first.
pub fn keys_for(screen: Screen) -> Vec<(&'static str, &'static str)> {
    let own: &[(&str, &str)] = match screen {
        Screen::Home => strings::HELP_HOME,
        Screen::Study => strings::HELP_STUDY,
        Screen::Quiz | Screen::Practice => strings::HELP_QUESTION,
        Screen::Exam => strings::HELP_EXAM,
        Screen::Search => strings::HELP_SEARCH,
        Screen::Simulator => strings::HELP_SIM,
        Screen::Stats | Screen::Card => strings::HELP_TEXT,
    };
    own.iter().chain(strings::HELP_COMMON).copied().collect()
}

/// Draws the help box centred in `area`.
pub fn render(screen: Screen, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let keys = keys_for(screen);
    let popup = super::centered(area, 76, keys.len() as u16 + 2);
    let key_width = keys
        .iter()
        .map(|(k, _)| crate::text::width(k))
        .max()
        .unwrap_or(0);
    let lines: Vec<Line<'_>> = keys
        .iter()
        .map(|(key, meaning)| {
            let pad = " ".repeat(key_width.saturating_sub(crate::text::width(key)));
            Line::from(vec![
                Span::styled(format!(" {key}{pad}  "), theme.key()),
                Span::raw(*meaning),
            ])
        })
        .collect();
    super::clear_popup(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(strings::HELP_TITLE);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
