//! 模擬試験: the lobby (start, resume, past attempts), a question with the countdown, the
//! navigator, the confirmation, and the result with per-domain bars and the mistakes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::app::exam::{Exam, Phase, as_quiz};
use crate::text;

fn clock(seconds: i64) -> String {
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

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
                let popup = super::centered(area, 70, 5);
                super::clear_popup(frame, popup);
                let block =
                    ratatui::widgets::Block::default().borders(ratatui::widgets::Borders::ALL);
                let lines = super::wrapped(
                    &text,
                    usize::from(popup.width.saturating_sub(2)).max(1),
                    "",
                    "",
                    theme.heading(),
                );
                frame.render_widget(ratatui::widgets::Paragraph::new(lines).block(block), popup);
            }
            Phase::Result { cursor } => result(app, exam, *cursor, frame, area, theme),
            Phase::Review { quiz, .. } => {
                let keys = super::quiz::keys(&app.library, quiz);
                super::quiz::render_quiz(
                    &app.library,
                    quiz,
                    strings::EXAM_REVIEW,
                    "",
                    keys,
                    frame,
                    area,
                    theme,
                );
            }
        },
    }
}

fn lobby(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let body = super::frame_screen(
        frame,
        area,
        strings::EXAM_LOBBY,
        "",
        strings::KEYS_MENU,
        theme,
    );
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
    if let Some(id) = app.exam.resumable
        && let Some(attempt) = app.progress.attempts.iter().find(|a| a.id == Some(id))
    {
        let left = attempt.answers["limit_seconds"].as_i64().unwrap_or(0)
            - attempt.answers["used_seconds"].as_i64().unwrap_or(0);
        let offer = strings::EXAM_RESUME.replace("{minutes}", &(left.max(0) / 60).to_string());
        lines.extend(super::wrapped(&offer, width, "", "", theme.selected()));
    } else {
        lines.push(Line::styled(strings::EXAM_START, theme.selected()));
    }
    lines.push(Line::default());
    lines.push(Line::styled(strings::EXAM_HISTORY, theme.heading()));
    for attempt in app.progress.attempts.iter().take(20) {
        let date = attempt
            .started
            .to_rfc3339()
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " ");
        let status = match attempt.scaled_score {
            Some(score) => {
                let pass = app
                    .library
                    .blueprint(&attempt.exam)
                    .is_some_and(|b| score >= b.passing_score);
                format!(
                    "{score} {}",
                    if pass { strings::PASS } else { strings::FAIL }
                )
            }
            None => strings::EXAM_IN_PROGRESS.to_string(),
        };
        lines.push(Line::styled(
            format!("  {date}  {}  {status}", attempt.exam),
            theme.text(),
        ));
    }
    super::render_lines(frame, body, lines, 0);
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
    super::quiz::render_quiz(
        &app.library,
        &quiz,
        &title,
        &right,
        strings::KEYS_EXAM,
        frame,
        area,
        theme,
    );
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
    let body = super::frame_screen(
        frame,
        area,
        strings::EXAM_NAVIGATOR,
        &right,
        strings::KEYS_MENU,
        theme,
    );
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
    let body = super::frame_screen(
        frame,
        area,
        strings::EXAM_RESULT,
        &exam.blueprint,
        strings::KEYS_MENU,
        theme,
    );
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
    lines.push(Line::styled(strings::EXAM_MISTAKES, theme.heading()));
    let header = lines.len();
    for (i, &index) in result.mistakes.iter().enumerate() {
        let q = &exam.questions[index];
        let prompt = app
            .library
            .question(&q.shown.id)
            .map_or("", |q| q.prompt.trim());
        let first_line = prompt.lines().next().unwrap_or("");
        let row = text::truncate(&format!("{:>2}. {first_line}", index + 1), width);
        lines.push(Line::styled(
            row,
            if i == cursor {
                theme.cursor()
            } else {
                theme.text()
            },
        ));
    }
    // Keep the highlighted mistake on screen.
    let visible = usize::from(body.height).max(1);
    let scroll = (header + cursor + 1).saturating_sub(visible);
    super::render_lines(
        frame,
        body,
        lines,
        u16::try_from(scroll).unwrap_or(u16::MAX),
    );
}
