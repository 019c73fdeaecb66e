//! 演習: the menu of what to practise — domains with weights and counts, all, missed, tags.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::strings;
use super::theme::Theme;
use crate::app::{App, practice};
use crate::text;

/// Draws the practice menu.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let body = super::frame_screen(frame, area, strings::QUIZ_TITLE, "", theme);
    if body.height == 0 || body.width == 0 {
        return;
    }
    let width = usize::from(body.width);
    frame.render_widget(
        Paragraph::new(Line::styled(strings::PRACTICE_HEADING, theme.heading())),
        body,
    );
    let list = crate::layout::practice_list(area);
    let rows = practice::rows(app);
    let first = crate::layout::first_visible(app.practice.cursor, usize::from(list.height));
    let lines: Vec<Line<'static>> = rows
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(list.height))
        .map(|(i, row)| {
            let selected = i == app.practice.cursor;
            let left = format!("{} {:>2}. ", if selected { ">" } else { " " }, i + 1);
            let weight = row
                .weight
                .map_or_else(|| "     ".to_string(), |w| format!("{w:>3}% "));
            let right = if width >= 40 {
                format!("{weight}{:>4}{}", row.count, strings::QUESTIONS_SUFFIX)
            } else {
                format!("{:>4}", row.count)
            };
            let name = text::truncate(
                &row.label,
                width.saturating_sub(text::width(&left) + text::width(&right) + 1),
            );
            let gap =
                width.saturating_sub(text::width(&left) + text::width(&name) + text::width(&right));
            let line = format!("{left}{name}{}{right}", " ".repeat(gap));
            Line::styled(
                line,
                if selected {
                    theme.cursor()
                } else {
                    theme.text()
                },
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
