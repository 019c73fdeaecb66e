//! 演習: one quiz on screen (practice, a question in the study queue, an exam review): the title,
//! the body laid out by [`crate::layout::quiz`], and the key hints.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::app::quiz::Quiz;
use crate::layout::quiz::{PAD, body};

/// Draws one quiz (practice, a question in the study queue, an exam review).
pub fn render_quiz(
    app: &App,
    quiz: &Quiz,
    title: &str,
    right: &str,
    frame: &mut Frame<'_>,
    area: Rect,
    theme: Theme,
) {
    let (title_area, body_area, _) = super::chrome(area);
    if let Some(t) = title_area {
        super::render_title(frame, t, title, right, theme);
    }
    let inner = Rect {
        x: body_area.x + PAD.min(body_area.width),
        width: body_area.width.saturating_sub(2 * PAD),
        ..body_area
    };
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let laid = body(
        &app.library,
        quiz,
        usize::from(inner.width),
        theme,
        &app.keys,
    );
    let scroll = quiz.feedback.as_ref().map_or(quiz.scroll, |f| f.scroll);
    super::render_lines(frame, inner, laid.lines, scroll);
}

/// Draws a practice run.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let Some(quiz) = &app.quiz else { return };
    let title = format!("{}: {}", strings::QUIZ_TITLE, quiz.title);
    let flag = if app.progress.flagged.contains(&quiz.current().id) {
        format!("[{}] ", strings::FLAGGED)
    } else {
        String::new()
    };
    let right = format!(
        "{flag}{}/{}  {}/{}",
        quiz.pos + 1,
        quiz.shown.len(),
        quiz.correct,
        quiz.answered
    );
    render_quiz(app, quiz, &title, &right, frame, area, theme);
}
