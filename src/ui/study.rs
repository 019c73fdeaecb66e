//! 学習: the current item of the queue — a card (front, then back with the four buttons and their
//! next intervals), a misconception, or a question — and the counts; once the queue is empty,
//! the ways to study more, each saying how it is recorded.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::app::study::{Current, More};
use crate::srs::Rating;

fn buttons(app: &App, id: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let Some(preview) = app.progress.preview(id, app.now) else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    for next in &preview {
        let n = next.rating.number();
        let style = if next.rating == Rating::Again {
            theme.wrong()
        } else {
            theme.key()
        };
        spans.push(Span::styled(
            format!("[{n}] {}", next.rating.label()),
            style,
        ));
        spans.push(Span::styled(
            format!(" {}  ", next.interval.label()),
            theme.dim(),
        ));
    }
    let line = Line::from(spans);
    if line.width() <= width {
        vec![line]
    } else {
        // Narrow terminals: one button a line.
        preview
            .iter()
            .map(|next| {
                Line::styled(
                    format!(
                        "[{}] {} {}",
                        next.rating.number(),
                        next.rating.label(),
                        next.interval.label()
                    ),
                    theme.key(),
                )
            })
            .collect()
    }
}

/// Draws the study screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let Some(study) = &app.study else { return };
    let counts = strings::STUDY_COUNTS
        .replace("{remaining}", &study.remaining.to_string())
        .replace("{answered}", &study.answered.to_string());
    let title = match study.extra.as_ref().map(|e| e.mode) {
        Some(More::New) => strings::MORE_TITLES[0],
        Some(More::Ahead) => strings::MORE_TITLES[1],
        Some(More::Hardest) => strings::MORE_TITLES[2],
        None => strings::STUDY_TITLE,
    };
    let Some(current) = &study.current else {
        let body = super::frame_screen(frame, area, title, &counts, theme);
        let width = usize::from(body.width).max(1);
        let count = study.count().to_string();
        let mut lines = super::wrapped(strings::STUDY_DONE, width, "", "", theme.heading());
        lines.push(Line::default());
        lines.extend(super::wrapped(
            &strings::MORE_HEADING.replace("{count}", &count),
            width,
            "",
            "",
            theme.heading(),
        ));
        for (i, (label, how)) in strings::MORE_OPTIONS.iter().enumerate() {
            let first = format!(" {}. ", i + 1);
            let rest = " ".repeat(crate::text::width(&first));
            lines.extend(super::wrapped(
                &label.replace("{count}", &count),
                width,
                &first,
                &rest,
                theme.text(),
            ));
            lines.extend(super::wrapped(how, width, &rest, &rest, theme.dim()));
        }
        super::render_lines(frame, body, lines, 0);
        return;
    };
    if let Current::Question(quiz) = current {
        super::quiz::render_quiz(app, quiz, title, &counts, frame, area, theme);
        return;
    }
    let (id, revealed) = match current {
        Current::Card { id, revealed, .. } | Current::Misconception { id, revealed, .. } => {
            (id.as_str(), *revealed)
        }
        Current::Question(_) => unreachable!("handled above"),
    };
    let body = super::frame_screen(frame, area, title, &counts, theme);
    if body.width == 0 || body.height == 0 {
        return;
    }
    let width = usize::from(body.width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if app
        .progress
        .items
        .get(id)
        .is_some_and(|i| i.content_changed)
    {
        lines.push(Line::styled(strings::CONTENT_CHANGED, theme.selected()));
    }
    if app.progress.flagged.contains(id) {
        lines.push(Line::styled(strings::FLAGGED, theme.selected()));
    }
    if let Some(card) = app.library.card(id) {
        lines.extend(super::wrapped(&card.title, width, "", "", theme.heading()));
        lines.push(Line::default());
        if revealed {
            lines.extend(super::card::card_back(card, width, theme, &app.keys));
        } else {
            lines.push(Line::styled(strings::STUDY_REVEAL, theme.dim()));
        }
    } else if let Some(m) = app.library.misconception(id) {
        lines.push(Line::styled(strings::MISCONCEPTION_FRONT, theme.dim()));
        lines.extend(super::wrapped(
            &format!("「{}」", m.belief),
            width,
            "",
            "",
            theme.heading(),
        ));
        lines.push(Line::default());
        if revealed {
            lines.extend(super::card::correction(m, width, theme));
        } else {
            lines.push(Line::styled(strings::STUDY_REVEAL, theme.dim()));
        }
    }
    // The buttons stay at the bottom; the text above them scrolls.
    let buttons = if revealed {
        buttons(app, id, width, theme)
    } else {
        Vec::new()
    };
    let button_rows = (buttons.len() as u16).min(body.height.saturating_sub(1));
    let text_area = Rect {
        height: body.height - button_rows,
        ..body
    };
    let button_area = Rect {
        y: text_area.bottom(),
        height: button_rows,
        ..body
    };
    super::render_lines(frame, text_area, lines, app.scroll);
    super::render_lines(frame, button_area, buttons, 0);
}
