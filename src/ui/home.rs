//! ホーム: the exam, its six domains with their weights and question counts, and a row for all.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::text;

/// Rows above the domain list inside the body: the exam line, a problem line if any, a heading.
fn header_rows(app: &App) -> u16 {
    2 + u16::from(!app.warnings.is_empty())
}

/// The area the domain list is drawn in.
fn list_area(app: &App, size: Rect) -> Rect {
    let (_, body, _) = super::chrome(size);
    let skip = header_rows(app).min(body.height);
    Rect { y: body.y + skip, height: body.height - skip, ..body }
}

/// The first visible row of the list, so the cursor stays on screen.
fn first_visible(app: &App, height: u16) -> usize {
    let height = usize::from(height.max(1));
    app.home_cursor.saturating_sub(height - 1)
}

/// Which domain row a click on terminal row `row` hits.
pub fn row_at(app: &App, row: u16) -> Option<usize> {
    let (w, h) = app.size;
    let list = list_area(app, Rect::new(0, 0, w, h));
    if row < list.y || row >= list.bottom() {
        return None;
    }
    let index = first_visible(app, list.height) + usize::from(row - list.y);
    (index < app.domain_rows().len()).then_some(index)
}

/// Draws the home screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let (title, body, footer) = super::chrome(area);
    let blueprint = app.library.main_blueprint();
    if let Some(title) = title {
        let exam = blueprint.map_or("", |b| b.id.as_str());
        super::render_title(frame, title, strings::APP_TITLE, exam, theme);
    }
    if let Some(footer) = footer {
        super::render_keys(frame, footer, strings::KEYS_HOME, theme);
    }
    if body.height == 0 || body.width == 0 {
        return;
    }
    let width = usize::from(body.width);
    let mut header: Vec<Line<'_>> = Vec::new();
    let exam_line = blueprint.map_or_else(String::new, |b| {
        format!(" {} | {}問 / {}分 / 合格 {}", b.name, b.questions, b.minutes, b.passing_score)
    });
    header.push(Line::styled(text::truncate(&exam_line, width), theme.dim()));
    if !app.warnings.is_empty() {
        let warning = format!(" ⚠ {}", strings::HOME_CONTENT_PROBLEMS);
        header.push(Line::styled(text::truncate(&warning, width), theme.wrong()));
    }
    let heading = if app.library.questions.is_empty() { strings::HOME_EMPTY } else { strings::HOME_PICK_DOMAIN };
    header.push(Line::styled(text::truncate(&format!(" {heading}"), width), theme.heading()));
    frame.render_widget(Paragraph::new(header), body);

    let list = list_area(app, area);
    let rows = app.domain_rows();
    let first = first_visible(app, list.height);
    let lines: Vec<Line<'_>> = rows
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(list.height))
        .map(|(i, row)| {
            let marker = if i == app.home_cursor { ">" } else { " " };
            let count = format!("{:>4}{}", row.questions, strings::QUESTIONS_SUFFIX);
            let weight = row.weight.map_or_else(|| "     ".to_string(), |w| format!("{w:>3}% "));
            let right = if width >= 40 { format!("{weight}{count}") } else { count };
            let left = format!(" {marker} {}. ", i + 1);
            let name_width = width.saturating_sub(text::width(&left) + text::width(&right) + 1);
            let name = text::truncate(&row.name, name_width);
            let gap = width.saturating_sub(text::width(&left) + text::width(&name) + text::width(&right));
            let style = if i == app.home_cursor { theme.cursor() } else { theme.text() };
            Line::from(vec![
                Span::styled(left, style),
                Span::styled(name, style),
                Span::styled(" ".repeat(gap), style),
                Span::styled(right, if i == app.home_cursor { style } else { theme.dim() }),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
