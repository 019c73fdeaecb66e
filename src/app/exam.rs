//! 模擬試験: questions drawn by the blueprint's domain weights without repeats, a countdown,
//! flags, a navigator, submit with confirmation (automatic at time-out), a scaled score with
//! pass/fail and per-domain results, and a review of every question. An attempt is saved as it
//! goes, so quitting keeps it and the lobby's Enter resumes it with the time left; starting a new
//! one instead asks first and records the old one as abandoned. On submit every answered question
//! goes into the review log (wrong → Again, right → Good), so mistakes reach the study queue.

use std::collections::HashSet;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::keymap::Action;
use super::progress::Progress;
use super::quiz::{Feedback, FeedbackKind, Input, Quiz, Response, Shown, edit_input, grade};
use super::{App, Effect, Screen};
use crate::content::{Blueprint, Library};
use crate::srs::{ExamAttempt, Moment, NewReview, grade::answer_reviews};

/// One exam question and the learner's answer so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamQuestion {
    /// How it is shown.
    pub shown: Shown,
    /// The domain it counts for.
    pub domain: String,
    /// The answer in progress.
    pub input: Input,
    /// Marked for a second look.
    pub flagged: bool,
}

impl ExamQuestion {
    /// Whether an answer is complete.
    pub fn answered(&self, library: &Library) -> bool {
        library
            .question(&self.shown.id)
            .is_some_and(|q| self.shown.response(q, &self.input).is_some())
    }

    /// Whether the answer is right.
    pub fn correct(&self, library: &Library) -> bool {
        self.outcome(library) == Outcome::Right
    }

    /// Right, wrong, or not answered.
    pub fn outcome(&self, library: &Library) -> Outcome {
        let Some(question) = library.question(&self.shown.id) else {
            return Outcome::Unanswered;
        };
        match self.shown.response(question, &self.input) {
            None => Outcome::Unanswered,
            Some(r) if grade(question, &r) => Outcome::Right,
            Some(_) => Outcome::Wrong,
        }
    }
}

/// How one exam question ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered rightly.
    Right,
    /// Answered wrongly.
    Wrong,
    /// Left without a complete answer (scored as wrong, not recorded in the review log).
    Unanswered,
}

/// Per-domain result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainResult {
    /// Domain key.
    pub key: String,
    /// Japanese name.
    pub name: String,
    /// Right answers.
    pub correct: usize,
    /// Questions.
    pub total: usize,
}

/// The score of a submitted exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamResult {
    /// Right answers.
    pub correct: usize,
    /// Questions.
    pub total: usize,
    /// The scaled score, 100–1000.
    pub scaled: u32,
    /// Whether it reaches the passing score.
    pub passed: bool,
    /// Per domain, in blueprint order.
    pub domains: Vec<DomainResult>,
    /// Indices of the questions answered wrong (or not at all).
    pub mistakes: Vec<usize>,
    /// Each question's outcome, in exam order.
    pub outcomes: Vec<Outcome>,
    /// Submitted by the clock.
    pub timed_out: bool,
}

/// Where in the exam the learner is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Answering question `pos`.
    Answering,
    /// The navigator: every question's state, a cursor to jump.
    Navigator {
        /// Highlighted question.
        cursor: usize,
    },
    /// "Submit now?"
    Confirm,
    /// The score, the domains and every question's outcome.
    Result {
        /// Highlighted question.
        cursor: usize,
    },
    /// One question with the answer given, the right one, every reason and the explanation.
    Review {
        /// The question shown, as a quiz in its feedback state.
        quiz: Box<Quiz>,
        /// The question's index in the exam.
        cursor: usize,
    },
}

/// A mock exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exam {
    /// The blueprint's id.
    pub blueprint: String,
    /// The saved attempt's id, once saved.
    pub attempt: Option<i64>,
    /// When it started.
    pub started: Moment,
    /// The time limit in seconds.
    pub limit_seconds: i64,
    /// Seconds used before the current sitting (a resumed exam).
    pub used_before: i64,
    /// When the current sitting began.
    pub sitting_from: Moment,
    /// The questions.
    pub questions: Vec<ExamQuestion>,
    /// The current question.
    pub pos: usize,
    /// What is showing.
    pub phase: Phase,
    /// The score, once submitted.
    pub result: Option<ExamResult>,
    /// Opened from これまでの結果 (going back returns to the lobby).
    pub past: bool,
    /// The readiness forecast for the moment the exam started, kept to compare with the score.
    pub forecast: Option<Forecast>,
}

/// A forecast stored with an attempt (calibration: 統計 shows it beside the score).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    /// The predicted scaled score.
    pub predicted: u32,
    /// The 80% band.
    pub low: u32,
    /// The 80% band.
    pub high: u32,
    /// The chance of passing, in percent.
    pub pass_percent: u32,
}

impl Forecast {
    /// The headline numbers of a readiness forecast.
    pub fn of(r: &crate::srs::readiness::Readiness) -> Self {
        Self {
            predicted: r.predicted,
            low: r.low,
            high: r.high,
            pass_percent: (r.pass_probability * 100.0).round() as u32,
        }
    }
}

/// The forecast stored with a saved attempt, if any.
pub fn stored_forecast(attempt: &ExamAttempt) -> Option<Forecast> {
    serde_json::from_value(attempt.answers.get("forecast")?.clone()).ok()
}

/// The state a saved attempt keeps in its `answers` JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Saved {
    questions: Vec<ExamQuestion>,
    limit_seconds: i64,
    used_seconds: i64,
    pos: usize,
    /// Submitted by the clock.
    #[serde(default)]
    timed_out: bool,
    /// Closed unscored because a new exam was started instead.
    #[serde(default)]
    abandoned: bool,
    /// The forecast at the start.
    #[serde(default)]
    forecast: Option<Forecast>,
}

/// What became of a saved attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptStatus {
    /// Suspended: it can be resumed.
    Suspended,
    /// Closed unscored when a new exam was started.
    Abandoned,
    /// Submitted with this scaled score.
    Scored(u32),
}

/// What became of `attempt`.
pub fn status(attempt: &ExamAttempt) -> AttemptStatus {
    match (attempt.scaled_score, attempt.finished) {
        (Some(score), _) => AttemptStatus::Scored(score),
        (None, Some(_)) => AttemptStatus::Abandoned,
        (None, None) => AttemptStatus::Suspended,
    }
}

/// Seconds a saved attempt has left.
pub fn seconds_left(attempt: &ExamAttempt) -> i64 {
    let limit = attempt.answers["limit_seconds"].as_i64().unwrap_or(0);
    let used = attempt.answers["used_seconds"].as_i64().unwrap_or(0);
    (limit - used).max(0)
}

/// The attempt closed as abandoned at `now`: finished, never scored.
pub fn abandoned(attempt: &ExamAttempt, now: Moment) -> ExamAttempt {
    let mut out = attempt.clone();
    out.finished = Some(now);
    out.scaled_score = None;
    if let Some(answers) = out.answers.as_object_mut() {
        answers.insert("abandoned".into(), json!(true));
    }
    out
}

impl Exam {
    /// Seconds left at `now` (never below zero).
    pub fn seconds_left(&self, now: Moment) -> i64 {
        (self.limit_seconds - self.seconds_used(now)).max(0)
    }

    /// Seconds used so far at `now`.
    pub fn seconds_used(&self, now: Moment) -> i64 {
        self.used_before + (now.millis() - self.sitting_from.millis()).max(0) / 1000
    }

    /// Whether it has been submitted.
    pub fn submitted(&self) -> bool {
        self.result.is_some()
    }

    /// Questions answered, flagged.
    pub fn counts(&self, library: &Library) -> (usize, usize) {
        let answered = self
            .questions
            .iter()
            .filter(|q| q.answered(library))
            .count();
        let flagged = self.questions.iter().filter(|q| q.flagged).count();
        (answered, flagged)
    }

    /// The attempt to save at `now`.
    pub fn attempt(&self, now: Moment) -> ExamAttempt {
        let saved = Saved {
            questions: self.questions.clone(),
            limit_seconds: self.limit_seconds,
            used_seconds: self.seconds_used(now),
            pos: self.pos,
            timed_out: self.result.as_ref().is_some_and(|r| r.timed_out),
            abandoned: false,
            forecast: self.forecast,
        };
        let domains = self.result.as_ref().map_or(json!([]), |r| json!(r.domains));
        ExamAttempt {
            id: self.attempt,
            exam: self.blueprint.clone(),
            started: self.started,
            finished: self.result.as_ref().map(|_| now),
            answers: serde_json::to_value(saved).unwrap_or_default(),
            scaled_score: self.result.as_ref().map(|r| r.scaled),
            domains,
        }
    }

    /// An unfinished attempt, resumed at `now`; none if it cannot be read back.
    pub fn resume(attempt: &ExamAttempt, library: &Library, now: Moment) -> Option<Self> {
        if attempt.finished.is_some() {
            return None;
        }
        let saved: Saved = serde_json::from_value(attempt.answers.clone()).ok()?;
        // Questions removed from the content since are dropped; the rest keep their answers.
        let mut questions: Vec<ExamQuestion> = saved
            .questions
            .into_iter()
            .filter(|q| library.question(&q.shown.id).is_some())
            .collect();
        refit_questions(&mut questions, library);
        if questions.is_empty() || saved.used_seconds >= saved.limit_seconds {
            return None;
        }
        let pos = saved.pos.min(questions.len() - 1);
        let forecast = saved.forecast;
        Some(Self {
            blueprint: attempt.exam.clone(),
            attempt: attempt.id,
            started: attempt.started,
            limit_seconds: saved.limit_seconds,
            used_before: saved.used_seconds,
            sitting_from: now,
            questions,
            pos,
            phase: Phase::Answering,
            result: None,
            past: false,
            forecast,
        })
    }

    /// A submitted attempt, opened on its result (from これまでの結果). The outcomes are graded
    /// with today's content; the score is the one given at the time.
    pub fn past(attempt: &ExamAttempt, library: &Library, blueprint: &Blueprint) -> Option<Self> {
        let AttemptStatus::Scored(scaled) = status(attempt) else {
            return None;
        };
        let saved: Saved = serde_json::from_value(attempt.answers.clone()).ok()?;
        let questions: Vec<ExamQuestion> = saved
            .questions
            .into_iter()
            .filter(|q| library.question(&q.shown.id).is_some())
            .collect();
        if questions.is_empty() {
            return None;
        }
        let mut exam = Self {
            blueprint: attempt.exam.clone(),
            attempt: attempt.id,
            started: attempt.started,
            limit_seconds: saved.limit_seconds,
            used_before: saved.used_seconds,
            sitting_from: attempt.finished.unwrap_or(attempt.started),
            questions,
            pos: 0,
            phase: Phase::Result { cursor: 0 },
            result: None,
            past: true,
            forecast: saved.forecast,
        };
        let mut result = exam.score(library, blueprint, saved.timed_out);
        result.scaled = scaled;
        result.passed = scaled >= blueprint.passing_score;
        exam.result = Some(result);
        Some(exam)
    }

    /// The reviews a submission records at `now`: every answered question (wrong → Again,
    /// right → Good) and Again for each misconception a chosen choice names. Unanswered
    /// questions are not recorded: nothing was recalled or forgotten.
    pub fn reviews(&self, library: &Library, now: Moment) -> Vec<NewReview> {
        let mut out = Vec::new();
        for q in &self.questions {
            let Some(question) = library.question(&q.shown.id) else {
                continue;
            };
            let Some(response) = q.shown.response(question, &q.input) else {
                continue;
            };
            let correct = grade(question, &response);
            out.extend(answer_reviews(
                question,
                correct,
                None,
                &response.chosen(),
                None,
                now,
            ));
        }
        out
    }

    /// Scores the exam.
    pub fn score(&self, library: &Library, blueprint: &Blueprint, timed_out: bool) -> ExamResult {
        let total = self.questions.len();
        let mut mistakes = Vec::new();
        let mut domains: Vec<DomainResult> = blueprint
            .domains
            .iter()
            .map(|d| DomainResult {
                key: d.key.clone(),
                name: d.name.clone(),
                correct: 0,
                total: 0,
            })
            .collect();
        let mut correct = 0;
        let mut outcomes = Vec::with_capacity(total);
        for (i, q) in self.questions.iter().enumerate() {
            let outcome = q.outcome(library);
            outcomes.push(outcome);
            let right = outcome == Outcome::Right;
            correct += usize::from(right);
            if !right {
                mistakes.push(i);
            }
            if let Some(d) = domains.iter_mut().find(|d| d.key == q.domain) {
                d.total += 1;
                d.correct += usize::from(right);
            }
        }
        let scaled = scaled_score(correct, total, blueprint.scale);
        ExamResult {
            correct,
            total,
            scaled,
            passed: scaled >= blueprint.passing_score,
            domains,
            mistakes,
            outcomes,
            timed_out,
        }
    }
}

/// A duration as h:mm:ss.
pub fn clock(seconds: i64) -> String {
    let seconds = seconds.max(0);
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The scaled score: the share right, mapped linearly onto the blueprint's scale.
pub fn scaled_score(correct: usize, total: usize, scale: [u32; 2]) -> u32 {
    crate::content::scaled_score(correct, total, scale)
}

/// How many questions each domain gets: `count` split by weight, largest remainders first.
pub fn allocate(blueprint: &Blueprint, count: usize) -> Vec<(String, usize)> {
    blueprint.allocate(count)
}

/// Draws an exam: per domain by weight, questions not in `avoid` first (seen in earlier
/// attempts), never the same question twice; a short domain is filled from the others.
pub fn draw(
    library: &Library,
    blueprint: &Blueprint,
    seed: u64,
    avoid: &HashSet<String>,
) -> Vec<String> {
    let count = (blueprint.questions as usize).min(library.questions.len());
    let mut rng = StdRng::seed_from_u64(seed);
    let mut chosen: Vec<String> = Vec::with_capacity(count);
    let mut taken: HashSet<&str> = HashSet::new();
    let mut pools: Vec<Vec<&str>> = Vec::new();
    for (key, n) in allocate(blueprint, count) {
        let mut pool: Vec<&str> = library.questions_in(&key).map(|q| q.id.as_str()).collect();
        pool.shuffle(&mut rng);
        // Fresh questions first, keeping the shuffle within each group.
        pool.sort_by_key(|id| avoid.contains(*id));
        for id in pool.iter().take(n) {
            taken.insert(id);
            chosen.push((*id).to_string());
        }
        pools.push(pool);
    }
    let mut rest: Vec<&str> = library
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .filter(|id| !taken.contains(id))
        .collect();
    rest.shuffle(&mut rng);
    rest.sort_by_key(|id| avoid.contains(*id));
    for id in rest {
        if chosen.len() >= count {
            break;
        }
        chosen.push(id.to_string());
    }
    chosen.shuffle(&mut rng);
    chosen
}

/// The exam screen: a lobby (start, resume, past attempts) or the exam itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExamScreen {
    /// The exam being taken or reviewed.
    pub exam: Option<Exam>,
    /// An unfinished attempt found in the store, offered for resuming.
    pub resumable: Option<i64>,
    /// The lobby's highlighted row: 0 starts or resumes, then the past attempts.
    pub cursor: usize,
    /// The lobby asks whether to close the suspended exam and start a new one.
    pub confirm_new: bool,
}

/// Past attempts listed in the lobby.
pub const HISTORY_ROWS: usize = 20;

impl ExamScreen {
    /// The store saved the attempt under `id`.
    pub fn saved(&mut self, id: i64) {
        if let Some(exam) = self.exam.as_mut()
            && exam.attempt.is_none()
        {
            exam.attempt = Some(id);
        }
    }

    /// Progress changed: notice an unfinished attempt.
    pub fn refreshed(&mut self, progress: &Progress) {
        let current = self.exam.as_ref().and_then(|e| e.attempt);
        self.resumable = progress
            .attempts
            .iter()
            .find(|a| a.finished.is_none() && a.id != current)
            .and_then(|a| a.id);
    }
}

fn blueprint_of(app: &App) -> Option<Blueprint> {
    let id = app.exam.exam.as_ref().map(|e| e.blueprint.clone());
    id.and_then(|id| app.library.blueprint(&id).cloned())
        .or_else(|| app.library.main_blueprint().cloned())
}

/// Opens the exam lobby.
pub fn open(app: &mut App) {
    app.exam.refreshed(&app.progress);
    app.exam.cursor = 0;
    app.exam.confirm_new = false;
    app.push(Screen::Exam);
}

/// Starts a new exam of the main blueprint (the `exam` command and the lobby's Enter).
pub fn start(app: &mut App, blueprint_id: Option<&str>, minutes: Option<u32>) -> Vec<Effect> {
    let blueprint = blueprint_id
        .and_then(|id| app.library.blueprint(id))
        .or_else(|| app.library.main_blueprint())
        .cloned();
    let Some(blueprint) = blueprint else {
        app.notice = Some(crate::strings::NO_BLUEPRINT.into());
        return Vec::new();
    };
    let seen: HashSet<String> = app
        .progress
        .attempts
        .iter()
        .filter_map(|a| serde_json::from_value::<Saved>(a.answers.clone()).ok())
        .flat_map(|s| s.questions.into_iter().map(|q| q.shown.id))
        .collect();
    let seed = app.next_seed();
    let ids = draw(&app.library, &blueprint, seed, &seen);
    if ids.is_empty() {
        app.notice = Some(crate::strings::NOTHING_TO_PRACTICE.into());
        return Vec::new();
    }
    let questions = ids
        .iter()
        .filter_map(|id| app.library.question(id))
        .map(|q| {
            let shown = Shown::new(q, seed);
            let input = shown.empty_input(q);
            ExamQuestion {
                shown,
                domain: q.domain.clone(),
                input,
                flagged: false,
            }
        })
        .collect();
    let minutes = minutes.unwrap_or(blueprint.minutes);
    let exam = Exam {
        blueprint: blueprint.id.clone(),
        attempt: None,
        started: app.now,
        limit_seconds: i64::from(minutes) * 60,
        used_before: 0,
        sitting_from: app.now,
        questions,
        pos: 0,
        phase: Phase::Answering,
        result: None,
        past: false,
        // The forecast for this moment (not the exam date): what the score is compared with.
        forecast: app
            .progress
            .readiness(&app.library, app.now, None)
            .as_ref()
            .map(Forecast::of),
    };
    let attempt = exam.attempt(app.now);
    app.exam.exam = Some(exam);
    app.push(Screen::Exam);
    vec![Effect::SaveExam(Box::new(attempt))]
}

/// Resumes the unfinished attempt.
fn resume(app: &mut App) -> Vec<Effect> {
    let Some(id) = app.exam.resumable else {
        return Vec::new();
    };
    let attempt = app
        .progress
        .attempts
        .iter()
        .find(|a| a.id == Some(id))
        .cloned();
    match attempt.and_then(|a| Exam::resume(&a, &app.library, app.now)) {
        Some(exam) => {
            app.exam.exam = Some(exam);
            app.exam.resumable = None;
        }
        None => {
            app.exam.resumable = None;
            app.notice = Some(crate::strings::RESUME_FAILED.into());
        }
    }
    Vec::new()
}

/// What to save before the app quits (an exam in progress).
pub fn before_quit(app: &App) -> Option<Effect> {
    let exam = app.exam.exam.as_ref()?;
    (!exam.submitted()).then(|| Effect::SaveExam(Box::new(exam.attempt(app.now))))
}

/// The clock: submits automatically when time runs out.
pub fn tick(app: &mut App) -> Vec<Effect> {
    let now = app.now;
    let timed_out = app
        .exam
        .exam
        .as_ref()
        .is_some_and(|e| !e.submitted() && e.seconds_left(now) == 0);
    if timed_out {
        submit(app, true)
    } else {
        Vec::new()
    }
}

fn submit(app: &mut App, timed_out: bool) -> Vec<Effect> {
    let Some(blueprint) = blueprint_of(app) else {
        return Vec::new();
    };
    let library = std::sync::Arc::clone(&app.library);
    let now = app.now;
    let Some(exam) = app.exam.exam.as_mut() else {
        return Vec::new();
    };
    // Freeze the clock at the moment of submission.
    exam.used_before = exam.seconds_used(now).min(exam.limit_seconds);
    exam.sitting_from = now;
    let result = exam.score(&library, &blueprint, timed_out);
    exam.result = Some(result);
    exam.phase = Phase::Result { cursor: 0 };
    let mut effects = vec![Effect::SaveExam(Box::new(exam.attempt(now)))];
    // One answer group: the exam feeds study as a whole, and `u` takes it back as a whole.
    let reviews = exam.reviews(&library, now);
    if !reviews.is_empty() {
        effects.push(Effect::Record(reviews));
    }
    effects
}

fn review(library: &Library, exam: &Exam, index: usize) -> Option<Quiz> {
    let q = exam.questions.get(index)?;
    let question = library.question(&q.shown.id)?;
    let mut quiz = Quiz::new(
        library,
        crate::strings::EXAM_REVIEW.into(),
        std::slice::from_ref(&q.shown.id),
        0,
    )?;
    quiz.shown = vec![q.shown.clone()];
    quiz.input = q.input.clone();
    let response = q.shown.response(question, &q.input);
    quiz.feedback = Some(Feedback {
        correct: response.as_ref().is_some_and(|r| grade(question, r)),
        kind: FeedbackKind::Review {
            answered: response.is_some(),
        },
        response: response.unwrap_or_else(|| Response::none_for(question)),
        show_all_why: true,
        scroll: 0,
        said: None,
        intervals: None,
    });
    Some(quiz)
}

/// The lobby: Enter resumes a suspended exam (else starts one), `n` starts a new one (asking
/// first when that closes a suspended one), ↑↓ and Enter open a past attempt's review.
fn lobby(app: &mut App, action: Action) -> Vec<Effect> {
    if app.exam.confirm_new {
        app.exam.confirm_new = false;
        return match action {
            Action::Submit => start_over(app),
            _ => Vec::new(),
        };
    }
    let rows = app.progress.attempts.len().min(HISTORY_ROWS);
    match action {
        Action::Back => {
            app.pop();
        }
        Action::Up => app.exam.cursor = app.exam.cursor.saturating_sub(1),
        Action::Down => app.exam.cursor = (app.exam.cursor + 1).min(rows),
        Action::Submit if app.exam.cursor == 0 => {
            return match app.exam.resumable {
                Some(_) => resume(app),
                None => start(app, None, app.exam_minutes),
            };
        }
        Action::Submit => {
            let Some(attempt) = app.progress.attempts.get(app.exam.cursor - 1).cloned() else {
                return Vec::new();
            };
            match status(&attempt) {
                AttemptStatus::Suspended if attempt.id == app.exam.resumable => return resume(app),
                AttemptStatus::Suspended | AttemptStatus::Abandoned => {
                    app.notice = Some(crate::strings::EXAM_NO_RESULT.into());
                }
                AttemptStatus::Scored(_) => {
                    let blueprint = app
                        .library
                        .blueprint(&attempt.exam)
                        .or_else(|| app.library.main_blueprint())
                        .cloned();
                    match blueprint.and_then(|b| Exam::past(&attempt, &app.library, &b)) {
                        Some(exam) => app.exam.exam = Some(exam),
                        None => app.notice = Some(crate::strings::EXAM_NO_RESULT.into()),
                    }
                }
            }
        }
        Action::Next if app.exam.resumable.is_some() => app.exam.confirm_new = true,
        Action::Next => return start(app, None, app.exam_minutes),
        Action::Pick(0) | Action::Toggle if app.exam.resumable.is_some() => return resume(app),
        _ => {}
    }
    Vec::new()
}

/// Closes the suspended exam as abandoned and starts a new one.
fn start_over(app: &mut App) -> Vec<Effect> {
    let old = app
        .exam
        .resumable
        .and_then(|id| app.progress.attempts.iter().find(|a| a.id == Some(id)))
        .map(|a| abandoned(a, app.now));
    app.exam.resumable = None;
    let mut effects: Vec<Effect> = old
        .map(|a| Effect::SaveExam(Box::new(a)))
        .into_iter()
        .collect();
    effects.extend(start(app, None, app.exam_minutes));
    effects
}

/// The exam screen.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let library = std::sync::Arc::clone(&app.library);
    let keys = app.keys.clone();
    let now = app.now;
    let Some(exam) = app.exam.exam.as_mut() else {
        return lobby(app, action);
    };
    let n = exam.questions.len();
    match &mut exam.phase {
        Phase::Result { cursor } => {
            match action {
                Action::Back => {
                    let past = exam.past;
                    app.exam.exam = None;
                    if !past {
                        app.pop();
                    }
                }
                Action::Up => *cursor = cursor.saturating_sub(1),
                Action::Down if *cursor + 1 < n => *cursor += 1,
                Action::Submit => {
                    let index = *cursor;
                    if let Some(quiz) = review(&library, exam, index) {
                        exam.phase = Phase::Review {
                            quiz: Box::new(quiz),
                            cursor: index,
                        };
                    }
                }
                _ => {}
            }
            Vec::new()
        }
        Phase::Review { quiz, cursor } => {
            match action {
                Action::Back | Action::Submit => exam.phase = Phase::Result { cursor: *cursor },
                Action::Left | Action::Right => {
                    let index = match action {
                        Action::Left => cursor.checked_sub(1),
                        _ => Some(*cursor + 1).filter(|&i| i < n),
                    };
                    if let Some(index) = index
                        && let Some(next) = review(&library, exam, index)
                    {
                        exam.phase = Phase::Review {
                            quiz: Box::new(next),
                            cursor: index,
                        };
                    }
                }
                Action::Topic | Action::Simulator => {
                    let id = quiz.current().id.clone();
                    super::practice::follow_link(app, &id, action);
                }
                other => {
                    let _ = super::practice::step(quiz, &library, &keys, app.size, now, other);
                }
            }
            Vec::new()
        }
        Phase::Confirm => match action {
            Action::Submit | Action::Type('y') | Action::Pick(0) => submit(app, false),
            _ => {
                exam.phase = Phase::Answering;
                Vec::new()
            }
        },
        Phase::Navigator { cursor } => {
            let cols = 10;
            match action {
                Action::Left => *cursor = cursor.saturating_sub(1),
                Action::Right => *cursor = (*cursor + 1).min(n), // n = the submit row
                Action::Up => *cursor = cursor.saturating_sub(cols),
                Action::Down => *cursor = (*cursor + cols).min(n),
                Action::Submit if *cursor == n => exam.phase = Phase::Confirm,
                Action::Submit => {
                    exam.pos = *cursor;
                    exam.phase = Phase::Answering;
                }
                Action::Tab | Action::Back => exam.phase = Phase::Answering,
                _ => {}
            }
            Vec::new()
        }
        Phase::Answering => {
            let question = exam.questions[exam.pos].shown.id.clone();
            match action {
                Action::Back => {
                    // Leaving keeps the attempt: save it, the lobby's Enter resumes it.
                    let attempt = exam.attempt(now);
                    let left = exam.seconds_left(now);
                    app.exam.exam = None;
                    app.pop();
                    app.notice = Some(crate::strings::EXAM_SAVED.replace("{left}", &clock(left)));
                    return vec![Effect::SaveExam(Box::new(attempt))];
                }
                Action::Flag => {
                    exam.questions[exam.pos].flagged = !exam.questions[exam.pos].flagged
                }
                Action::Tab => exam.phase = Phase::Navigator { cursor: exam.pos },
                Action::Left => exam.pos = exam.pos.saturating_sub(1),
                Action::Right | Action::Next | Action::Submit => {
                    if exam.pos + 1 < n {
                        exam.pos += 1;
                    } else {
                        exam.phase = Phase::Confirm;
                    }
                    return vec![Effect::SaveExam(Box::new(exam.attempt(now)))];
                }
                Action::Click { row, .. } => {
                    if let Some(q) = library.question(&question) {
                        let quiz_view = as_quiz(&library, exam);
                        if let Some(pos) = quiz_view.and_then(|v| {
                            crate::layout::quiz::choice_at(&library, &v, app.size, row, &keys)
                        }) {
                            edit_input(&mut exam.questions[exam.pos].input, q, Action::Pick(pos));
                        }
                    }
                }
                other => {
                    if let Some(q) = library.question(&question) {
                        edit_input(&mut exam.questions[exam.pos].input, q, other);
                    }
                }
            }
            Vec::new()
        }
    }
}

/// The current exam question as a quiz view (for drawing and clicks).
pub fn as_quiz(library: &Library, exam: &Exam) -> Option<Quiz> {
    let q = exam.questions.get(exam.pos)?;
    let mut quiz = Quiz::new(library, String::new(), std::slice::from_ref(&q.shown.id), 0)?;
    quiz.shown = vec![q.shown.clone()];
    quiz.input = q.input.clone();
    Some(quiz)
}

/// Questions edited since they were shown get a fresh presentation and lose their (now
/// meaningless) input.
pub fn refit_questions(questions: &mut [ExamQuestion], library: &Library) {
    for q in questions {
        if let Some(question) = library.question(&q.shown.id)
            && q.shown.refit(question)
        {
            q.input = q.shown.empty_input(question);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_split_by_weight() {
        let blueprint = Blueprint {
            id: "SCS-C03".into(),
            name: String::new(),
            questions: 65,
            scored: 50,
            minutes: 170,
            passing_score: 750,
            scale: [100, 1000],
            domains: [16, 14, 18, 20, 18, 14]
                .iter()
                .enumerate()
                .map(|(i, w)| crate::content::Domain {
                    key: format!("d{i}"),
                    name: String::new(),
                    weight: *w,
                })
                .collect(),
            tasks: vec![],
        };
        let split: Vec<usize> = allocate(&blueprint, 65)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        assert_eq!(split.iter().sum::<usize>(), 65);
        // 65 × weight: 10.4, 9.1, 11.7, 13, 11.7, 9.1 → the largest remainders round up.
        assert_eq!(split, [10, 9, 12, 13, 12, 9]);
    }

    #[test]
    fn scaled_scores_span_the_scale() {
        assert_eq!(scaled_score(0, 65, [100, 1000]), 100);
        assert_eq!(scaled_score(65, 65, [100, 1000]), 1000);
        assert_eq!(scaled_score(47, 65, [100, 1000]), 751);
        assert_eq!(scaled_score(46, 65, [100, 1000]), 737);
    }
}
