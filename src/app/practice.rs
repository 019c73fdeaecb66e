//! 演習: choose questions by domain, tag or "間違えた問題", then answer them one after another;
//! every answer is recorded, so practice moves the schedule too. The question flow here is shared
//! with the study queue.

use std::collections::{BTreeMap, BTreeSet};

use super::keymap::{Action, Bindings};
use super::quiz::{Feedback, FeedbackKind, Quiz, edit_input};
use super::{App, Effect, Screen};
use crate::content::{Library, Question};
use crate::srs::{Moment, NewReview, Rating, grade};

/// One row of the practice menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A blueprint domain.
    Domain(String),
    /// Every question.
    All,
    /// Questions last answered wrong.
    Missed,
    /// Questions the learner flagged.
    Flagged,
    /// A tag.
    Tag(String),
    /// The questions of one topic card.
    Topic(String),
    /// The questions of one task statement of the exam guide.
    Task(String),
}

/// The practice menu's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PracticeMenu {
    /// Highlighted row.
    pub cursor: usize,
    /// With more than nine rows, the first digit typed of a two-digit row number.
    pub digit: Option<usize>,
}

/// A menu row: the filter, its label and how many questions it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// What it selects.
    pub filter: Filter,
    /// Shown label.
    pub label: String,
    /// Blueprint weight, for domains.
    pub weight: Option<u32>,
    /// Questions it holds.
    pub count: usize,
}

/// A tag is listed in the menu when at least this many questions carry it.
const MIN_TAG_QUESTIONS: usize = 3;

/// A question's tags: its own and those of its topic cards.
pub fn question_tags<'a>(library: &'a Library, question: &'a Question) -> BTreeSet<&'a str> {
    let from_topics = question
        .topics
        .iter()
        .filter_map(|t| library.card(t))
        .flat_map(|c| c.tags.iter());
    question
        .tags
        .iter()
        .chain(from_topics)
        .map(String::as_str)
        .collect()
}

/// The menu rows: domains, all, missed, flagged, then tags.
pub fn rows(app: &App) -> Vec<Row> {
    let library = &app.library;
    let mut rows: Vec<Row> = library
        .main_blueprint()
        .map(|b| {
            b.domains
                .iter()
                .map(|d| Row {
                    filter: Filter::Domain(d.key.clone()),
                    label: d.name.clone(),
                    weight: Some(d.weight),
                    count: library.questions_in(&d.key).count(),
                })
                .collect()
        })
        .unwrap_or_default();
    rows.push(Row {
        filter: Filter::All,
        label: crate::strings::ALL_DOMAINS.into(),
        weight: None,
        count: library.questions.len(),
    });
    rows.push(Row {
        filter: Filter::Missed,
        label: crate::strings::MISSED.into(),
        weight: None,
        count: app.progress.missed_questions(library).len(),
    });
    rows.push(Row {
        filter: Filter::Flagged,
        label: crate::strings::FLAGGED_FILTER.into(),
        weight: None,
        count: library
            .questions
            .iter()
            .filter(|q| app.progress.flagged.contains(&q.id))
            .count(),
    });
    // Tags with enough questions to practise, most first.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for q in &library.questions {
        for tag in question_tags(library, q) {
            *counts.entry(tag).or_default() += 1;
        }
    }
    let mut tags: Vec<(&str, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n >= MIN_TAG_QUESTIONS)
        .collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (tag, count) in tags {
        rows.push(Row {
            filter: Filter::Tag(tag.into()),
            label: format!("#{tag}"),
            weight: None,
            count,
        });
    }
    rows
}

fn question_ids(app: &App, filter: &Filter) -> Vec<String> {
    let library = &app.library;
    let pick = |keep: &dyn Fn(&Question) -> bool| {
        library
            .questions
            .iter()
            .filter(|q| keep(q))
            .map(|q| q.id.clone())
            .collect()
    };
    match filter {
        Filter::Domain(key) => pick(&|q| &q.domain == key),
        Filter::All => pick(&|_| true),
        Filter::Missed => app.progress.missed_questions(library),
        Filter::Flagged => pick(&|q| app.progress.flagged.contains(&q.id)),
        Filter::Tag(tag) => pick(&|q| question_tags(library, q).contains(tag.as_str())),
        Filter::Topic(id) => pick(&|q| q.topics.contains(id)),
        Filter::Task(id) => pick(&|q| q.task.as_deref() == Some(id.as_str())),
    }
}

/// Starts a practice run; false when the filter holds no question.
pub fn start(app: &mut App, filter: &Filter, title: String) -> bool {
    let ids = question_ids(app, filter);
    let seed = app.next_seed();
    match Quiz::new(&app.library, title, &ids, seed) {
        Some(mut quiz) => {
            quiz.shown_at = Some(app.now);
            app.quiz = Some(quiz);
            app.push(Screen::Quiz);
            true
        }
        None => {
            app.notice = Some(crate::strings::NOTHING_TO_PRACTICE.into());
            false
        }
    }
}

/// Practises the questions of one topic card (from the card screen).
pub fn start_topic(app: &mut App, card: &str) {
    let title = app
        .library
        .card(card)
        .map_or_else(|| card.to_string(), |c| c.title.clone());
    start(app, &Filter::Topic(card.to_string()), title);
}

/// Practises the questions of one task statement (ホーム's weakest tasks).
pub fn start_task(app: &mut App, task: &str, title: &str) {
    start(
        app,
        &Filter::Task(task.to_string()),
        format!("{task} {title}"),
    );
}

/// The practice menu.
pub fn update_menu(app: &mut App, action: Action) -> Vec<Effect> {
    let rows = rows(app);
    let n = rows.len();
    let open = |app: &mut App, i: usize| {
        app.practice.cursor = i;
        let row = &rows[i];
        start(app, &row.filter, row.label.clone());
    };
    let cursor = app.practice.cursor;
    if !matches!(action, Action::Pick(_) | Action::Zero) {
        app.practice.digit = None;
    }
    match action {
        Action::Back => {
            app.pop();
        }
        Action::Up => app.practice.cursor = cursor.checked_sub(1).unwrap_or(n.saturating_sub(1)),
        Action::Down => app.practice.cursor = if cursor + 1 >= n { 0 } else { cursor + 1 },
        Action::Submit | Action::Right if cursor < n => open(app, cursor),
        // Nine rows or fewer: a digit opens its row at once.
        Action::Pick(i) if n <= 9 && i < n => open(app, i),
        // More rows: digits choose the row number (`1` `3` is row 13; Enter after `1` opens row
        // 1); a digit no two-digit row starts with opens its row at once.
        Action::Pick(_) | Action::Zero => {
            let number = match action {
                Action::Pick(i) => i + 1,
                _ => 0,
            };
            let combined = app.practice.digit.map(|first| first * 10 + number);
            match combined {
                Some(row) if row <= n => {
                    app.practice.cursor = row - 1;
                    app.practice.digit = None;
                }
                // No two-digit row starts with this digit: nothing to wait for.
                _ if (1..=n).contains(&number) && number * 10 > n => {
                    app.practice.digit = None;
                    open(app, number - 1);
                }
                _ if (1..=n).contains(&number) => {
                    app.practice.cursor = number - 1;
                    app.practice.digit = Some(number);
                }
                _ => app.practice.digit = None,
            }
            return Vec::new();
        }
        Action::Click { row, .. } => {
            if let Some(i) = crate::layout::practice_row_at(app, row, n) {
                open(app, i);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// The last answer was taken back: if it was the practice question on screen, its tally is
/// taken back too and it can be answered again.
pub fn undone(app: &mut App, ids: &[String]) {
    if app.screen() != Screen::Quiz {
        return;
    }
    let library = std::sync::Arc::clone(&app.library);
    let Some(quiz) = app.quiz.as_mut() else {
        return;
    };
    let current = quiz.current().id.clone();
    if !ids.contains(&current) {
        return;
    }
    if let Some(feedback) = quiz.feedback.take() {
        quiz.answered = quiz.answered.saturating_sub(1);
        if feedback.correct {
            quiz.correct = quiz.correct.saturating_sub(1);
        }
        quiz.finished = false;
        if let Some(question) = library.question(&current) {
            quiz.input = quiz.current().empty_input(question);
        }
        quiz.shown_at = Some(app.now);
    }
}

/// What a key did to a question in progress.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Nothing that concerns the caller.
    None,
    /// The answer was given: record these reviews.
    Answered(Vec<NewReview>),
    /// The learner changed the rating: replace the last answer with these.
    Rerated(Vec<NewReview>),
    /// The learner wants to go on.
    Continue,
}

fn reviews(
    question: &Question,
    feedback: &Feedback,
    said: Option<Rating>,
    shown_at: Option<Moment>,
    now: Moment,
) -> Vec<NewReview> {
    let chosen = feedback.response.chosen();
    let answer_ms =
        shown_at.map(|at| u32::try_from((now.millis() - at.millis()).max(0)).unwrap_or(u32::MAX));
    grade::answer_reviews(question, feedback.correct, said, &chosen, answer_ms, now)
}

/// Handles a key on the current question of `quiz`: editing, answering, reading the feedback,
/// and — once answered — Hard (2) or Easy (4) when the answer was right.
pub fn step(
    quiz: &mut Quiz,
    library: &Library,
    keys: &Bindings,
    size: (u16, u16),
    now: Moment,
    action: Action,
) -> Step {
    let Some(question) = quiz.question(library).cloned() else {
        return Step::None;
    };
    let body_height = crate::layout::quiz::body_height(size) as u16;
    let max_scroll = |quiz: &Quiz| {
        let lines = crate::layout::quiz::body_lines(
            library,
            quiz,
            crate::layout::quiz::body_width(size),
            keys,
        )
        .len();
        u16::try_from(lines.saturating_sub(usize::from(body_height))).unwrap_or(u16::MAX)
    };
    // A click on a choice (or item, or right) means the same as its number key.
    let action = match action {
        Action::Click { row, .. } if quiz.feedback.is_none() => {
            match crate::layout::quiz::choice_at(library, quiz, size, row, keys) {
                Some(pos) => Action::Pick(pos),
                None => return Step::None,
            }
        }
        other => other,
    };
    let max = max_scroll(quiz);
    let shown_at = quiz.shown_at;
    if let Some(feedback) = quiz.feedback.as_mut() {
        // A finished exam's review has nothing to re-rate.
        let live = feedback.kind == FeedbackKind::Live;
        match action {
            Action::Submit | Action::Right | Action::Next => return Step::Continue,
            Action::Pick(p @ (1 | 3)) if live && feedback.correct => {
                let said = if p == 1 { Rating::Hard } else { Rating::Easy };
                if feedback.said != Some(said) {
                    feedback.said = Some(said);
                    return Step::Rerated(reviews(&question, feedback, Some(said), shown_at, now));
                }
            }
            Action::Pick(2) if feedback.correct && feedback.said.is_some() => {
                feedback.said = None;
                return Step::Rerated(reviews(&question, feedback, None, shown_at, now));
            }
            Action::ToggleWhy => feedback.show_all_why = !feedback.show_all_why,
            Action::Down => feedback.scroll = (feedback.scroll + 1).min(max),
            Action::Up => feedback.scroll = feedback.scroll.saturating_sub(1),
            Action::PageDown => {
                feedback.scroll = feedback.scroll.saturating_add(body_height).min(max)
            }
            Action::PageUp => feedback.scroll = feedback.scroll.saturating_sub(body_height),
            _ => {}
        }
        let max = max_scroll(quiz);
        if let Some(f) = quiz.feedback.as_mut() {
            f.scroll = f.scroll.min(max);
        }
        return Step::None;
    }
    match action {
        Action::Submit => {
            if quiz.submit(library) {
                let feedback = quiz.feedback.as_ref().expect("just submitted");
                return Step::Answered(reviews(&question, feedback, None, quiz.shown_at, now));
            }
        }
        Action::PageDown => {
            quiz.scroll = quiz
                .scroll
                .saturating_add(body_height)
                .min(max_scroll(quiz))
        }
        Action::PageUp => quiz.scroll = quiz.scroll.saturating_sub(body_height),
        other => edit_input(&mut quiz.input, &question, other),
    }
    Step::None
}

/// Remembers what each rating gives the question just answered, from its state before the
/// answer (the store has not recorded it yet), so the re-rating keys show their intervals —
/// also after a rating is changed, and when the question is answered again after an undo.
pub fn note_intervals(quiz: &mut Quiz, progress: &super::progress::Progress, now: Moment) {
    let id = quiz.current().id.clone();
    if let Some(feedback) = quiz.feedback.as_mut() {
        feedback.intervals = progress.preview(&id, now).map(|p| p.map(|n| n.interval));
    }
}

/// Links from the current question: its topic card and its scenario.
pub fn follow_link(app: &mut App, question_id: &str, action: Action) -> bool {
    let Some(question) = app.library.question(question_id).cloned() else {
        return false;
    };
    match action {
        Action::Topic => match question.topics.first() {
            Some(topic) => app.open_card(topic),
            None => app.notice = Some(crate::strings::NO_TOPIC.into()),
        },
        Action::Simulator => match &question.scenario {
            Some(scenario) => app.open_scenario(scenario),
            None => {
                app.notice = Some(
                    question
                        .no_scenario
                        .clone()
                        .unwrap_or_else(|| crate::strings::NO_SCENARIO.into()),
                )
            }
        },
        _ => return false,
    }
    true
}

/// A practice run.
pub fn update_quiz(app: &mut App, action: Action) -> Vec<Effect> {
    let library = std::sync::Arc::clone(&app.library);
    let keys = app.keys.clone();
    let (size, now) = (app.size, app.now);
    let Some(quiz) = app.quiz.as_mut() else {
        app.pop();
        return Vec::new();
    };
    if action == Action::Back {
        app.quiz = None;
        app.pop();
        return Vec::new();
    }
    if quiz.finished {
        if matches!(action, Action::Submit | Action::Right | Action::Next) {
            app.quiz = None;
            app.pop();
        }
        return Vec::new();
    }
    if matches!(action, Action::Topic | Action::Simulator) {
        let id = quiz.current().id.clone();
        follow_link(app, &id, action);
        return Vec::new();
    }
    if action == Action::Undo {
        return vec![Effect::Undo];
    }
    if action == Action::Flag {
        let id = quiz.current().id.clone();
        return vec![super::toggle_flag(app, &id)];
    }
    match step(quiz, &library, &keys, size, now, action) {
        Step::None => Vec::new(),
        Step::Answered(reviews) => {
            note_intervals(quiz, &app.progress, now);
            vec![Effect::Record(reviews)]
        }
        Step::Rerated(reviews) => vec![Effect::Rerate(reviews)],
        Step::Continue => {
            if quiz.advance(&library) {
                quiz.shown_at = Some(now);
            } else {
                quiz.finished = true;
                quiz.feedback = None;
            }
            Vec::new()
        }
    }
}
