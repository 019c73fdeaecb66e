//! 検索: the query field and the results, matched characters highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::content::ItemKind;
use crate::text;

/// Rows above the results: the field and the hint.
const HEADER: u16 = 2;

fn first_visible(cursor: usize, height: usize) -> usize {
    cursor.saturating_sub(height.max(1) - 1)
}

/// Which result a click on terminal row `row` hits.
pub fn row_at(app: &App, row: u16) -> Option<usize> {
    let body = super::padded(super::chrome(Rect::new(0, 0, app.size.0, app.size.1)).1);
    let top = body.y + HEADER;
    if row < top || row >= body.bottom() {
        return None;
    }
    let height = usize::from(body.height.saturating_sub(HEADER));
    let index = first_visible(app.search.cursor, height) + usize::from(row - top);
    (index < app.search.hits.len()).then_some(index)
}

/// A text with the characters at `positions` highlighted, cut to `width` columns.
fn highlighted(
    text_in: &str,
    positions: &[usize],
    width: usize,
    base: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (i, c) in text_in.chars().enumerate() {
        let c = if c == '\n' { ' ' } else { c };
        let w = text::width(c.encode_utf8(&mut [0; 4]));
        if used + w > width {
            break;
        }
        used += w;
        let style = if positions.binary_search(&i).is_ok() {
            hit
        } else {
            base
        };
        match spans.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push(c),
            _ => spans.push(Span::styled(c.to_string(), style)),
        }
    }
    spans
}

/// Draws the search screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let search = &app.search;
    let right = format!("{}件", search.hits.len());
    let body = super::frame_screen(frame, area, "検索", &right, strings::KEYS_SEARCH, theme);
    if body.width == 0 || body.height == 0 {
        return;
    }
    let width = usize::from(body.width);
    let caret = if search.editing { "_" } else { "" };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(strings::SEARCH_PROMPT, theme.heading()),
            Span::styled(format!("{}{caret}", search.query), theme.selected()),
        ]),
        Line::styled(text::truncate(strings::SEARCH_HINT, width), theme.dim()),
    ];
    let Some(index) = search.index() else {
        super::render_lines(frame, body, lines, 0);
        return;
    };
    if search.hits.is_empty() && !search.query.trim().is_empty() {
        lines.push(Line::styled(strings::SEARCH_NONE, theme.dim()));
    }
    let height = usize::from(body.height.saturating_sub(HEADER));
    let first = first_visible(search.cursor, height);
    for (i, hit) in search.hits.iter().enumerate().skip(first).take(height) {
        let entry = &index.entries[hit.entry];
        let kind = match entry.kind {
            ItemKind::Card => strings::KIND_CARD,
            ItemKind::Question => strings::KIND_QUESTION,
            ItemKind::Misconception => strings::KIND_MISCONCEPTION,
        };
        let selected = i == search.cursor;
        let base = if selected {
            theme.cursor()
        } else {
            theme.text()
        };
        let label = format!("{} [{kind}] ", if selected { ">" } else { " " });
        let rest = width.saturating_sub(text::width(&label));
        let mut spans = vec![Span::styled(label, base)];
        // The title, or for a match only in the body, the matching part of the body.
        if hit.title_positions.is_empty() && !hit.body_positions.is_empty() {
            let start = hit.body_positions[0].saturating_sub(8);
            let snippet: String = entry.body.chars().skip(start).collect();
            let shifted: Vec<usize> = hit
                .body_positions
                .iter()
                .filter(|&&p| p >= start)
                .map(|p| p - start)
                .collect();
            spans.extend(highlighted(
                &snippet,
                &shifted,
                rest,
                base,
                theme.selected(),
            ));
        } else {
            spans.extend(highlighted(
                &entry.title,
                &hit.title_positions,
                rest,
                base,
                theme.selected(),
            ));
        }
        lines.push(Line::from(spans));
    }
    super::render_lines(frame, body, lines, 0);
}
