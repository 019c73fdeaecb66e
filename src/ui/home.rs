//! ホーム: today's due counts and progress, the menu, per-domain mastery bars and the last mock
//! exam's result (or a suspended one with its time left).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::text;

/// Draws the home screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let blueprint = app.library.main_blueprint();
    let exam = blueprint.map_or("", |b| b.id.as_str());
    let body = super::frame_screen(frame, area, strings::APP_TITLE, exam, theme);
    if body.height == 0 || body.width == 0 {
        return;
    }
    let width = usize::from(body.width);
    let due = app.progress.due_counts(app.now);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let due_line = strings::HOME_DUE
        .replace("{learning}", &due.learning.to_string())
        .replace("{review}", &due.review.to_string())
        .replace("{new}", &due.new.to_string())
        .replace("{done}", &app.progress.reviewed_today(app.now).to_string());
    lines.push(Line::styled(
        text::truncate(&due_line, width),
        theme.heading(),
    ));
    let suspended = app
        .exam
        .resumable
        .and_then(|id| app.progress.attempts.iter().find(|a| a.id == Some(id)));
    let last = app
        .progress
        .attempts
        .iter()
        .find(|a| a.scaled_score.is_some());
    // A suspended exam comes first: it is waiting, with its time.
    let exam_line = match (suspended, last) {
        (Some(attempt), _) => app.keys.fill(strings::HOME_SUSPENDED).replace(
            "{left}",
            &crate::app::exam::clock(crate::app::exam::seconds_left(attempt)),
        ),
        (None, Some(attempt)) => {
            let score = attempt.scaled_score.unwrap_or(0);
            let passed = blueprint.is_some_and(|b| score >= b.passing_score);
            let verdict = if passed { strings::PASS } else { strings::FAIL };
            let date = attempt
                .started
                .to_rfc3339()
                .chars()
                .take(10)
                .collect::<String>();
            format!("{}: {score} {verdict} ({date})", strings::HOME_LAST_EXAM)
        }
        (None, None) => strings::HOME_NO_EXAM.to_string(),
    };
    let exam_style = if suspended.is_some() {
        theme.selected()
    } else {
        theme.dim()
    };
    lines.push(Line::styled(text::truncate(&exam_line, width), exam_style));
    if !app.problems.is_empty() {
        let warning = format!("! {}", strings::HOME_CONTENT_PROBLEMS);
        lines.push(Line::styled(text::truncate(&warning, width), theme.wrong()));
    }
    for (i, (label, description)) in strings::HOME_MENU.iter().enumerate() {
        let selected = i == app.home_cursor;
        let marker = if selected { ">" } else { " " };
        let extra = match i {
            0 => format!("  [{}]", due.total()),
            _ => String::new(),
        };
        let left = format!("{marker} {}. {label}{extra}", i + 1);
        let pad = 18usize.saturating_sub(text::width(&left));
        let line = format!("{left}{}{description}", " ".repeat(pad));
        let style = if selected {
            theme.cursor()
        } else {
            theme.text()
        };
        lines.push(Line::styled(text::truncate(&line, width), style));
    }
    lines.push(Line::default());
    lines.push(Line::styled(strings::HOME_MASTERY, theme.heading()));
    if let Some(blueprint) = blueprint {
        let widest = blueprint.domains.iter().map(|d| text::width(&d.name));
        let name_width = super::name_column(widest.max().unwrap_or(0), width, 12);
        let bar_width = width.saturating_sub(name_width + 12).clamp(4, 30);
        for domain in &blueprint.domains {
            let mastery = app.progress.mastery(&app.library, &domain.key);
            let name = text::truncate(&domain.name, name_width);
            let pad = " ".repeat(name_width.saturating_sub(text::width(&name)));
            let count = app.library.questions_in(&domain.key).count();
            lines.push(Line::from(vec![
                Span::styled(format!("{name}{pad} "), theme.text()),
                Span::styled(super::bar(mastery, bar_width), theme.correct()),
                Span::styled(
                    format!(
                        " {:>3.0}% {count:>3}{}",
                        mastery * 100.0,
                        strings::QUESTIONS_SUFFIX
                    ),
                    theme.dim(),
                ),
            ]));
        }
    }
    lines.push(Line::default());
    lines.extend(readiness_lines(app, width, theme));
    frame.render_widget(Paragraph::new(lines), body);
}

/// The exam date, the forecast and the three weakest tasks.
fn readiness_lines(app: &App, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let date_line = match (app.exam_date, app.days_to_exam()) {
        (Some(date), Some(days)) if days > 0 => strings::HOME_EXAM_DATE
            .replace("{date}", &date.to_string())
            .replace("{days}", &days.to_string()),
        (Some(date), _) => strings::HOME_EXAM_TODAY.replace("{date}", &date.to_string()),
        _ => app.keys.fill(strings::HOME_NO_EXAM_DATE),
    };
    // The date being typed stands where the date is shown, with its hint or error below.
    if let Some(input) = &app.date_input {
        let prompt = format!("{}{}_", strings::EXAM_DATE_PROMPT, input.text);
        lines.push(Line::styled(text::truncate(&prompt, width), theme.cursor()));
        let (hint, style) = match &input.error {
            Some(error) => (error.as_str(), theme.wrong()),
            None => (strings::EXAM_DATE_INPUT_HINT, theme.dim()),
        };
        lines.push(Line::styled(text::truncate(hint, width), style));
        return lines;
    }
    let Some(r) = &app.readiness else {
        lines.push(Line::styled(text::truncate(&date_line, width), theme.dim()));
        return lines;
    };
    let pass = (r.pass_probability * 100.0).round() as u32;
    let forecast = strings::HOME_FORECAST
        .replace("{predicted}", &r.predicted.to_string())
        .replace("{low}", &r.low.to_string())
        .replace("{high}", &r.high.to_string())
        .replace("{pass}", &pass.to_string());
    let when = if r.exam_date {
        strings::HOME_FORECAST_FOR_EXAM
    } else {
        strings::HOME_FORECAST_FOR_TODAY
    };
    lines.push(Line::styled(
        text::truncate(&date_line, width),
        theme.text(),
    ));
    lines.push(Line::from(vec![
        Span::styled(
            forecast,
            if r.predicted >= r.passing_score {
                theme.correct()
            } else {
                theme.wrong()
            },
        ),
        Span::styled(when, theme.dim()),
    ]));
    if !r.tasks.is_empty() {
        let tasks: Vec<String> = r
            .tasks
            .iter()
            .take(3)
            .enumerate()
            .map(|(i, t)| {
                let key = app.keys.fill(&format!("{{pick:{}}}", i + 7));
                format!("{key} {} {}", t.key, t.name)
            })
            .collect();
        let line = format!(
            "{}: {}",
            app.keys.fill(strings::HOME_WEAK_TASKS),
            tasks.join(" / ")
        );
        lines.push(Line::styled(text::truncate(&line, width), theme.dim()));
    }
    lines
}
