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

/// Characters of context shown before a match in the body.
const CONTEXT: usize = 6;
/// The most of the width a title takes when a snippet follows it.
fn title_share(width: usize) -> usize {
    (width / 2).max(width.min(12))
}

/// A result line after its label: the highlighted title and, when the body matched, a snippet
/// starting a little before the first body match (`…` marks cut text), all within `width`.
fn result_spans(
    title: &str,
    body: &str,
    hit: &crate::content::search::Hit,
    width: usize,
    base: Style,
    theme: Theme,
) -> Vec<Span<'static>> {
    let Some(&first) = hit.body_positions.first() else {
        return highlighted(title, &hit.title_positions, width, base, theme.selected());
    };
    let title_width = text::width(title).min(title_share(width));
    let mut spans = highlighted(
        title,
        &hit.title_positions,
        title_width,
        base,
        theme.selected(),
    );
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    if used < text::width(title) && used < width {
        spans.push(Span::styled("…", base));
    }
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let separator = " ｜ ";
    if used + text::width(separator) >= width {
        return spans;
    }
    spans.push(Span::styled(separator, theme.dim()));
    let room = width - used - text::width(separator);
    let chars: Vec<char> = body.chars().collect();
    // Start at the beginning of the match's line when that is near, else a little before it.
    let line_start = chars[..first.min(chars.len())]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |i| i + 1);
    let mut start = first.saturating_sub(CONTEXT).max(line_start);
    // Keep the match itself in view on a narrow line.
    let context_width = text::width(
        &chars[start..first.min(chars.len())]
            .iter()
            .collect::<String>(),
    );
    if context_width + 4 > room {
        start = first;
    }
    let mut snippet = String::new();
    if start > line_start {
        snippet.push('…');
    }
    let offset = usize::from(start > line_start);
    snippet.extend(chars[start.min(chars.len())..].iter());
    let shifted: Vec<usize> = hit
        .body_positions
        .iter()
        .filter(|&&p| p >= start)
        .map(|p| p - start + offset)
        .collect();
    spans.extend(highlighted(
        &snippet,
        &shifted,
        room,
        base,
        theme.selected(),
    ));
    spans
}

/// Draws the search screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let search = &app.search;
    let right = format!("{}件", search.hits.len());
    let body = super::frame_screen(frame, area, "検索", &right, theme);
    if body.width == 0 || body.height == 0 {
        return;
    }
    let width = usize::from(body.width);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(strings::SEARCH_PROMPT, theme.heading()),
            Span::styled(search.query.clone(), theme.selected()),
        ]),
        Line::styled(text::truncate(strings::SEARCH_HINT, width), theme.dim()),
    ];
    if search.editing {
        // The terminal cursor sits at the caret, so an IME composes the next word there.
        let column = text::width(strings::SEARCH_PROMPT) + text::width(&search.query);
        let x = body.x
            + u16::try_from(column)
                .unwrap_or(u16::MAX)
                .min(body.width - 1);
        frame.set_cursor_position((x, body.y));
    }
    let Some(index) = search.index() else {
        super::render_lines(frame, body, lines, 0);
        return;
    };
    if search.hits.is_empty() && !search.query.trim().is_empty() {
        lines.push(Line::styled(strings::SEARCH_NONE, theme.dim()));
    }
    let height = usize::from(body.height.saturating_sub(crate::layout::SEARCH_HEADER));
    let first = crate::layout::first_visible(search.cursor, height);
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
        // The title, then for a match in the body a snippet around it.
        spans.extend(result_spans(
            &entry.title,
            &entry.body,
            hit,
            rest,
            base,
            theme,
        ));
        lines.push(Line::from(spans));
    }
    super::render_lines(frame, body, lines, 0);
}
