//! 模擬試験: the lobby (start, resume, past attempts), a question with the countdown, the
//! navigator, the confirmation, and the result with per-domain bars and the mistakes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::app::exam::{
    AttemptStatus, Exam, HISTORY_ROWS, Outcome, Phase, as_quiz, clock, seconds_left, status,
};
use crate::text;

/// Draws the exam screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    match &app.exam.exam {
        None => lobby(app, frame, area, theme),
        Some(exam) => match &exam.phase {
            Phase::Answering => answering(app, exam, frame, area, theme),
            Phase::Navigator { cursor } => navigator(app, exam, *cursor, frame, area, theme),
            Phase::Confirm => {
                answering(app, exam, frame, area, theme);
                let (answered, flagged) = exam.counts(&app.library);
                let text = strings::EXAM_CONFIRM
                    .replace(
                        "{unanswered}",
                        &(exam.questions.len() - answered).to_string(),
                    )
                    .replace("{flagged}", &flagged.to_string());
                popup(frame, area, &text, theme);
            }
            Phase::Result { cursor } => result(app, exam, *cursor, frame, area, theme),
            Phase::Review { quiz, cursor } => {
                let right = format!(
                    "{} {}/{}",
                    strings::QUESTION,
                    cursor + 1,
                    exam.questions.len()
                );
                super::quiz::render_quiz(
                    app,
                    quiz,
                    strings::EXAM_REVIEW,
                    &right,
                    frame,
                    area,
                    theme,
                );
            }
        },
    }
}

fn lobby(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let body = super::frame_screen(frame, area, strings::EXAM_LOBBY, "", theme);
    let width = usize::from(body.width).max(1);
    let mut lines = Vec::new();
    if let Some(b) = app.library.main_blueprint() {
        lines.extend(super::wrapped(&b.name, width, "", "", theme.heading()));
        let info = format!(
            "{}問 / {}分 / 合格 {} ({}–{})",
            b.questions, b.minutes, b.passing_score, b.scale[0], b.scale[1]
        );
        lines.push(Line::styled(info, theme.text()));
    }
    lines.push(Line::default());
    let marker = |row: usize| if app.exam.cursor == row { "> " } else { "  " };
    let top_style = if app.exam.cursor == 0 {
        theme.cursor()
    } else {
        theme.selected()
    };
    let suspended = app
        .exam
        .resumable
        .and_then(|id| app.progress.attempts.iter().find(|a| a.id == Some(id)));
    match suspended {
        Some(attempt) => {
            let offer = app
                .keys
                .fill(strings::EXAM_RESUME)
                .replace("{minutes}", &(seconds_left(attempt) / 60).to_string());
            lines.extend(super::wrapped(
                &format!("{}{offer}", marker(0)),
                width,
                "",
                "  ",
                top_style,
            ));
        }
        None => lines.push(Line::styled(
            format!("{}{}", marker(0), app.keys.fill(strings::EXAM_START_NEW)),
            top_style,
        )),
    }
    lines.push(Line::default());
    lines.push(Line::styled(strings::EXAM_HISTORY, theme.heading()));
    if !app.progress.attempts.is_empty() {
        lines.push(Line::styled(strings::EXAM_HISTORY_HINT, theme.dim()));
    }
    let header = lines.len();
    for (i, attempt) in app.progress.attempts.iter().take(HISTORY_ROWS).enumerate() {
        let date = attempt
            .started
            .to_rfc3339()
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " ");
        let label = match status(attempt) {
            AttemptStatus::Scored(score) => {
                let pass = app
                    .library
                    .blueprint(&attempt.exam)
                    .is_some_and(|b| score >= b.passing_score);
                format!(
                    "{score} {}",
                    if pass { strings::PASS } else { strings::FAIL }
                )
            }
            AttemptStatus::Suspended => format!(
                "{} 残り {}",
                strings::EXAM_IN_PROGRESS,
                clock(seconds_left(attempt))
            ),
            AttemptStatus::Abandoned => strings::EXAM_ABANDONED.to_string(),
        };
        let style = if app.exam.cursor == i + 1 {
            theme.cursor()
        } else {
            theme.text()
        };
        lines.push(Line::styled(
            text::truncate(
                &format!("{}{date}  {}  {label}", marker(i + 1), attempt.exam),
                width,
            ),
            style,
        ));
    }
    // Keep the highlighted row on screen.
    let visible = usize::from(body.height).max(1);
    let scroll = if app.exam.cursor == 0 {
        0
    } else {
        (header + app.exam.cursor).saturating_sub(visible)
    };
    super::render_lines(
        frame,
        body,
        lines,
        u16::try_from(scroll).unwrap_or(u16::MAX),
    );
    if app.exam.confirm_new {
        let left = suspended.map_or(0, seconds_left);
        let text = strings::EXAM_CONFIRM_NEW.replace("{left}", &clock(left));
        popup(frame, area, &text, theme);
    }
}

/// A bordered question in the middle of the screen, as tall as its wrapped text.
fn popup(frame: &mut Frame<'_>, area: Rect, text: &str, theme: Theme) {
    let width = 70.min(area.width);
    let lines = super::wrapped(
        text,
        usize::from(width.saturating_sub(2)).max(1),
        "",
        "",
        theme.heading(),
    );
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = super::centered(area, width, height);
    super::clear_popup(frame, popup);
    let block = ratatui::widgets::Block::default().borders(ratatui::widgets::Borders::ALL);
    frame.render_widget(ratatui::widgets::Paragraph::new(lines).block(block), popup);
}

fn answering(app: &App, exam: &Exam, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let Some(quiz) = as_quiz(&app.library, exam) else {
        return;
    };
    let q = &exam.questions[exam.pos];
    let left = exam.seconds_left(app.now);
    let flag = if q.flagged {
        format!(" [{}]", strings::EXAM_FLAG)
    } else {
        String::new()
    };
    let title = format!(
        "{} {}/{}{flag}",
        strings::EXAM_LOBBY,
        exam.pos + 1,
        exam.questions.len()
    );
    let right = format!("残り {}", clock(left));
    super::quiz::render_quiz(app, &quiz, &title, &right, frame, area, theme);
}

fn navigator(
    app: &App,
    exam: &Exam,
    cursor: usize,
    frame: &mut Frame<'_>,
    area: Rect,
    theme: Theme,
) {
    let (answered, flagged) = exam.counts(&app.library);
    let right = format!(
        "回答 {answered}/{}  フラグ {flagged}  残り {}",
        exam.questions.len(),
        clock(exam.seconds_left(app.now))
    );
    let body = super::frame_screen(frame, area, strings::EXAM_NAVIGATOR, &right, theme);
    let mut lines = Vec::new();
    let mut row = Vec::new();
    for (i, q) in exam.questions.iter().enumerate() {
        // [ ] unanswered, [x] answered, [!] flagged.
        let mark = if q.flagged {
            "!"
        } else if q.answered(&app.library) {
            "x"
        } else {
            " "
        };
        let style = if i == cursor {
            theme.cursor()
        } else if q.flagged {
            theme.selected()
        } else {
            theme.text()
        };
        row.push(Span::styled(format!("{:>2}[{mark}] ", i + 1), style));
        if row.len() == 10 {
            lines.push(Line::from(std::mem::take(&mut row)));
        }
    }
    if !row.is_empty() {
        lines.push(Line::from(row));
    }
    lines.push(Line::default());
    let submit_style = if cursor == exam.questions.len() {
        theme.cursor()
    } else {
        theme.key()
    };
    lines.push(Line::styled(
        format!("  [{}]", strings::EXAM_SUBMIT),
        submit_style,
    ));
    super::render_lines(frame, body, lines, 0);
}

fn result(app: &App, exam: &Exam, cursor: usize, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let Some(result) = &exam.result else { return };
    let body = super::frame_screen(frame, area, strings::EXAM_RESULT, &exam.blueprint, theme);
    let width = usize::from(body.width).max(1);
    let mut lines = Vec::new();
    let verdict = if result.passed {
        strings::PASS
    } else {
        strings::FAIL
    };
    let style = if result.passed {
        theme.correct()
    } else {
        theme.wrong()
    };
    lines.push(Line::styled(
        format!(
            "{} {verdict}   ({}/{})",
            result.scaled, result.correct, result.total
        ),
        style,
    ));
    if result.timed_out {
        lines.push(Line::styled(strings::EXAM_TIMED_OUT, theme.selected()));
    }
    lines.push(Line::default());
    let name_width = 18.min(width / 2);
    let bar_width = width.saturating_sub(name_width + 12).clamp(4, 30);
    for d in &result.domains {
        let ratio = if d.total == 0 {
            0.0
        } else {
            d.correct as f64 / d.total as f64
        };
        let name = text::truncate(&d.name, name_width);
        let pad = " ".repeat(name_width.saturating_sub(text::width(&name)));
        lines.push(Line::from(vec![
            Span::raw(format!("{name}{pad} ")),
            Span::styled(
                super::bar(ratio, bar_width),
                if ratio >= 0.75 {
                    theme.correct()
                } else {
                    theme.wrong()
                },
            ),
            Span::styled(format!(" {}/{}", d.correct, d.total), theme.dim()),
        ]));
    }
    lines.push(Line::default());
    let answered = result
        .outcomes
        .iter()
        .filter(|o| **o != Outcome::Unanswered)
        .count();
    if !exam.past && answered > 0 {
        let recorded = strings::EXAM_RECORDED.replace("{answered}", &answered.to_string());
        lines.extend(super::wrapped(&recorded, width, "", "", theme.dim()));
        lines.push(Line::default());
    }
    lines.push(Line::styled(strings::EXAM_MISTAKES, theme.heading()));
    let header = lines.len();
    for (index, q) in exam.questions.iter().enumerate() {
        let prompt = app
            .library
            .question(&q.shown.id)
            .map_or("", |q| q.prompt.trim());
        let first_line = prompt.lines().next().unwrap_or("");
        let (mark, style) = match result.outcomes.get(index) {
            Some(Outcome::Right) => ("✔", theme.correct()),
            Some(Outcome::Wrong) => ("✘", theme.wrong()),
            _ => ("−", theme.wrong()),
        };
        let row = text::truncate(&format!("{mark} {:>2}. {first_line}", index + 1), width);
        lines.push(Line::styled(
            row,
            if index == cursor {
                theme.cursor()
            } else {
                style
            },
        ));
    }
    // Keep the highlighted question on screen.
    let visible = usize::from(body.height).max(1);
    let scroll = (header + cursor + 1).saturating_sub(visible);
    super::render_lines(
        frame,
        body,
        lines,
        u16::try_from(scroll).unwrap_or(u16::MAX),
    );
}
