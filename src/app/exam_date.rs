//! Setting the real exam's date from ホーム (`d`): a small input for "YYYY-MM-DD", checked here
//! (a calendar date, not in the past; empty clears it). A valid date is applied at once — days
//! left, the exam-aware scheduling, the readiness forecast — and leaves as
//! [`Effect::SaveExamDate`] for the runtime to write into the config file.

use super::keymap::Action;
use super::{App, Effect};
use crate::srs::Day;
use crate::strings;

/// The longest text the input takes ("2027-01-15" is 10).
const MAX_LEN: usize = 10;

/// The date input as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateInput {
    /// The text so far.
    pub text: String,
    /// Why the last Enter was refused.
    pub error: Option<String>,
}

/// Opens the input, pre-filled with the date in force.
pub fn open(app: &mut App) {
    app.date_input = Some(DateInput {
        text: app.exam_date.map(|d| d.to_string()).unwrap_or_default(),
        error: None,
    });
}

/// What the text means: `Ok(None)` clears the date; `Err` says why it cannot be used.
pub fn check(text: &str, today: Day) -> Result<Option<jiff::civil::Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date = text
        .parse::<jiff::civil::Date>()
        .ok()
        .filter(|_| text.len() == MAX_LEN)
        .ok_or_else(|| strings::EXAM_DATE_NOT_A_DATE.replace("{text}", text))?;
    if Day::from_date(date) < today {
        return Err(strings::EXAM_DATE_PAST.replace("{date}", &date.to_string()));
    }
    Ok(Some(date))
}

/// Keys while the input is open.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(input) = app.date_input.as_mut() else {
        return Vec::new();
    };
    match action {
        Action::Back => app.date_input = None,
        Action::Erase => {
            input.text.pop();
            input.error = None;
        }
        Action::Type(c) if (c.is_ascii_digit() || c == '-') && input.text.len() < MAX_LEN => {
            input.text.push(c);
            input.error = None;
        }
        Action::Type(_) => input.error = Some(strings::EXAM_DATE_TYPE_HINT.to_string()),
        Action::Submit => {
            let today = app.now.day(app.progress.settings().day_start);
            match check(&input.text, today) {
                Ok(date) => {
                    app.date_input = None;
                    apply(app, date);
                    return vec![Effect::SaveExamDate(date)];
                }
                Err(message) => input.error = Some(message),
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Puts a date in force for this run: the scheduler's settings, the countdown, the forecast.
pub fn apply(app: &mut App, date: Option<jiff::civil::Date>) {
    let mut settings = app.progress.settings().clone();
    settings.exam_date = date.map(|d| d.to_string());
    app.progress.scheduler = app.progress.scheduler.with_settings(settings);
    app.set_exam_date(date);
}

/// The runtime's answer: where the date was saved, or why it could not be.
pub fn saved(app: &mut App, result: Result<String, String>) {
    app.notice = Some(match (result, app.exam_date) {
        (Ok(path), Some(date)) => strings::EXAM_DATE_SAVED
            .replace("{date}", &date.to_string())
            .replace("{path}", &path),
        (Ok(path), None) => strings::EXAM_DATE_CLEARED.replace("{path}", &path),
        (Err(reason), _) => format!("{reason}{}", strings::EXAM_DATE_THIS_RUN),
    });
}
