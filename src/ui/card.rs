//! A topic card or misconception on its own screen (opened with `t`, from search, …).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::content::{Card, Misconception};

/// The back of a card: facts, body, related cards and sources.
pub fn card_back(
    card: &Card,
    width: usize,
    theme: Theme,
    keys: &crate::app::keymap::Bindings,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    lines.push(Line::styled(strings::FACTS, theme.heading()));
    for fact in &card.facts {
        lines.extend(super::wrapped(fact, width, "- ", "  ", theme.text()));
    }
    if let Some(body) = &card.body {
        lines.push(Line::default());
        lines.extend(super::wrapped(body.trim(), width, "", "", theme.text()));
    }
    if !card.related.is_empty() {
        lines.push(Line::default());
        lines.extend(super::wrapped(
            &format!("{}: {}", strings::RELATED, card.related.join(", ")),
            width,
            "",
            "  ",
            theme.dim(),
        ));
    }
    if !card.sources.is_empty() {
        lines.push(Line::styled(strings::SOURCES, theme.dim()));
        for source in &card.sources {
            lines.extend(super::wrapped(source, width, "  ", "  ", theme.dim()));
        }
    }
    lines.push(Line::default());
    lines.extend(super::wrapped(
        &format!(
            "{}: {}{}",
            strings::ITEM_ID,
            card.id,
            keys.fill(strings::COPY_ID)
        ),
        width,
        "",
        "",
        theme.dim(),
    ));
    lines
}

/// The correction of a misconception, under its heading.
pub fn correction(m: &Misconception, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = super::wrapped(strings::CORRECTION, width, "", "", theme.correct());
    lines.extend(super::wrapped(
        &m.correction,
        width,
        "  ",
        "  ",
        theme.text(),
    ));
    lines
}

/// Draws the card screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let id = app.card.as_deref().unwrap_or_default();
    let body = super::frame_screen(frame, area, strings::KIND_CARD, id, theme);
    let width = usize::from(body.width).max(1);
    let mut lines = Vec::new();
    let mut marks = Vec::new();
    if app.progress.flagged.contains(id) {
        marks.push(strings::FLAGGED);
    }
    if app.progress.items.get(id).is_some_and(|i| i.suspended) {
        marks.push(strings::SUSPENDED);
    }
    if !marks.is_empty() {
        lines.push(Line::styled(
            format!("[{}]", marks.join("] [")),
            theme.selected(),
        ));
    }
    if let Some(card) = app.library.card(id) {
        lines.extend(super::wrapped(&card.title, width, "", "", theme.heading()));
        lines.push(Line::default());
        lines.extend(card_back(card, width, theme, &app.keys));
    } else if let Some(m) = app.library.misconception(id) {
        lines.push(Line::styled(strings::KIND_MISCONCEPTION, theme.dim()));
        lines.extend(super::wrapped(
            &format!("「{}」", m.belief),
            width,
            "",
            "",
            theme.wrong(),
        ));
        lines.push(Line::default());
        lines.extend(correction(m, width, theme));
    }
    super::render_lines(frame, body, lines, app.scroll);
}
