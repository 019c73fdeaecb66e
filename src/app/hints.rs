//! Key hints and help, made from the live bindings and the state. Each screen has one table:
//! rows of (action → keys, short label for the footer, long label for `?`, whether the action
//! does something right now). The footer shows the rows that work now; the help lists the
//! screen's rows, then the keys of every screen. The keys come from [`Bindings::key_names`], so
//! a rebound key shows as the learner bound it; tests press every key a footer offers and check
//! that it changes something (tests/ui.rs).

use super::exam::{AttemptStatus, HISTORY_ROWS, Phase, status};
use super::keymap::{Action, Bindings};
use super::quiz::{FeedbackKind, Input, Quiz, Response};
use super::study::{Current, More};
use super::{App, Screen};
use crate::content::{Library, QuestionType};
use crate::strings::hints as s;

/// Which keys a row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// One action.
    One(Action),
    /// Two actions shown together (↑↓, ←→).
    Pair(Action, Action),
    /// The digits picking positions `from..to` (`1-4`).
    Picks(usize, usize),
    /// A key shown by a fixed name (typing, Ctrl-C, a click), standing for `action`.
    Fixed(&'static str, Action),
}

impl Keys {
    /// One action these keys perform (what a test presses).
    pub fn action(self) -> Action {
        match self {
            Self::One(a) | Self::Pair(a, _) | Self::Fixed(_, a) => a,
            Self::Picks(from, _) => Action::Pick(from),
        }
    }

    /// Every action these keys stand for (the footer promises at least one of them works).
    pub fn actions(self) -> Vec<Action> {
        match self {
            Self::One(a) | Self::Fixed(_, a) => vec![a],
            Self::Pair(a, b) => vec![a, b],
            Self::Picks(from, to) => (from..to).map(Action::Pick).collect(),
        }
    }

    /// How the footer names them: the first key of each action.
    pub fn short(self, keys: &Bindings) -> Option<String> {
        match self {
            Self::One(a) => keys.key_name(a),
            Self::Pair(a, b) => Some(format!("{}{}", keys.key_name(a)?, keys.key_name(b)?)),
            Self::Picks(from, to) => picks(keys, from, to),
            Self::Fixed(name, _) => Some(name.to_string()),
        }
    }

    /// How the help names them: every key.
    pub fn long(self, keys: &Bindings) -> Option<String> {
        match self {
            Self::One(a) => Some(keys.key_names(a).join(" / ")).filter(|k| !k.is_empty()),
            Self::Pair(a, b) => {
                let (a, b) = (keys.key_names(a), keys.key_names(b));
                let pairs: Vec<String> = a
                    .iter()
                    .zip(&b)
                    .map(
                        |(x, y)| match x.chars().all(|c| c.is_ascii_alphanumeric()) {
                            true => format!("{x} {y}"),
                            false => format!("{x}{y}"),
                        },
                    )
                    .collect();
                Some(pairs.join(" / ")).filter(|k| !k.is_empty())
            }
            other => other.short(keys),
        }
    }
}

/// `1-4` when every digit still picks, else the digits that do.
fn picks(keys: &Bindings, from: usize, to: usize) -> Option<String> {
    let names: Vec<String> = (from..to)
        .filter_map(|i| keys.key_name(Action::Pick(i)))
        .collect();
    match names.len() {
        0 => None,
        n if n == to - from && n > 1 => Some(format!("{}-{}", names[0], names[n - 1])),
        _ => Some(names.join(" ")),
    }
}

/// One row of a screen's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    /// The keys.
    pub keys: Keys,
    /// The footer's word for it (empty: help only).
    pub short: &'static str,
    /// The help's sentence for it.
    pub long: &'static str,
    /// Whether it does something now.
    pub live: bool,
}

fn row(keys: Keys, (short, long): (&'static str, &'static str), live: bool) -> Hint {
    Hint {
        keys,
        short,
        long,
        live,
    }
}

use Action as A;
use Keys::{Fixed, One, Pair, Picks};

/// The table of the screen showing, in footer order.
pub fn table(app: &App) -> Vec<Hint> {
    if let Some(input) = app
        .date_input
        .as_ref()
        .filter(|_| app.screen() == Screen::Home)
    {
        return vec![
            row(Fixed("Enter", A::Submit), s::DATE_OK, true),
            row(Fixed("BS", A::Erase), s::ERASE_CHAR, !input.text.is_empty()),
            row(Fixed("Esc", A::Back), s::CANCEL, true),
        ];
    }
    match app.screen() {
        Screen::Home => home(app),
        Screen::Study => study(app),
        Screen::Practice => practice(app),
        Screen::Quiz => match &app.quiz {
            Some(quiz) => quiz_rows(&app.library, &app.keys, quiz, app.size, Context::Practice),
            None => Vec::new(),
        },
        Screen::Exam => exam(app),
        Screen::Search => search(app),
        Screen::Simulator => simulator(app),
        Screen::Stats => text_screen(),
        Screen::Card => card(app),
    }
}

/// The footer: the rows that work now, as (keys, word).
pub fn footer(app: &App) -> Vec<(String, &'static str)> {
    table(app)
        .into_iter()
        .filter(|h| h.live && !h.short.is_empty())
        .filter_map(|h| Some((h.keys.short(&app.keys)?, h.short)))
        .collect()
}

/// The help: the screen's rows, then the keys of every screen, as (keys, sentence).
pub fn help(app: &App) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    let common = [
        row(Pair(A::Up, A::Down), s::MOVE, true),
        row(Pair(A::PageUp, A::PageDown), s::PAGE, true),
        row(One(A::Back), s::BACK_OR_QUIT, true),
        row(One(A::Help), s::HELP, true),
        row(One(A::Reload), s::RELOAD, app.screen() != Screen::Exam),
        row(
            One(A::CopyId),
            s::COPY_ID,
            super::shown_item_id(app).is_some(),
        ),
        row(Fixed("Ctrl-C", A::ForceQuit), s::FORCE_QUIT, true),
        row(Fixed("クリック", A::Submit), s::CLICK, true),
    ];
    for hint in table(app).into_iter().chain(common) {
        let Some(keys) = hint.keys.long(&app.keys) else {
            continue;
        };
        let common_only = common.contains(&hint) && !hint.live;
        let seen = rows.iter().any(|(k, l)| *l == hint.long || *k == keys);
        if !hint.long.is_empty() && !common_only && !seen {
            rows.push((keys, hint.long));
        }
    }
    rows
}

fn home(app: &App) -> Vec<Hint> {
    let n = super::HOME_MENU.len();
    let tasks = app.readiness.as_ref().map_or(0, |r| r.tasks.len().min(3));
    vec![
        row(Pair(A::Up, A::Down), s::SELECT, true),
        row(One(A::Submit), s::OPEN, true),
        row(Picks(0, n), s::MENU_PICK, true),
        row(Picks(n, n + tasks), s::WEAK_TASKS, tasks > 0),
        row(One(A::Search), s::SEARCH, true),
        row(One(A::Simulator), s::SIMULATOR, true),
        row(One(A::ExamDate), s::EXAM_DATE, true),
        row(One(A::Reload), s::RELOAD, true),
        row(One(A::Problems), s::PROBLEMS, !app.problems.is_empty()),
        row(One(A::Undo), s::UNDO, true),
        row(One(A::Help), s::HELP, true),
        row(One(A::Back), s::QUIT, true),
    ]
}

fn practice(app: &App) -> Vec<Hint> {
    let rows = super::practice::rows(app);
    let here = rows.get(app.practice.cursor).is_some_and(|r| r.count > 0);
    let any = rows.iter().any(|r| r.count > 0);
    let rows = rows.len();
    vec![
        row(Pair(A::Up, A::Down), s::SELECT, rows > 1),
        row(One(A::Submit), s::START, here),
        row(Picks(0, rows.min(9)), s::ROW_PICK, any),
        row(One(A::Back), s::BACK, true),
        row(One(A::Help), s::HELP, true),
    ]
}

/// Where a quiz is shown: its keys differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Practice,
    Study,
    Review { questions: usize },
}

fn quiz_rows(
    library: &Library,
    keys: &Bindings,
    quiz: &Quiz,
    size: (u16, u16),
    context: Context,
) -> Vec<Hint> {
    let Some(question) = quiz.question(library) else {
        return Vec::new();
    };
    let topic = !question.topics.is_empty();
    let scenario = question.scenario.is_some();
    let links = |rows: &mut Vec<Hint>| {
        rows.push(row(One(A::Topic), s::TOPIC, topic));
        rows.push(row(One(A::Simulator), s::SIM_LINK, scenario));
    };
    if quiz.finished {
        return vec![
            row(One(A::Submit), s::TO_HOME, true),
            row(One(A::Back), s::BACK, true),
        ];
    }
    let mut rows = Vec::new();
    let Some(feedback) = &quiz.feedback else {
        let n = match question.kind {
            QuestionType::Order => question.items.len(),
            QuestionType::Match => question.pairs.len(),
            _ => question.choices.len(),
        };
        let complete = quiz.current().response(question, &quiz.input).is_some();
        match (&quiz.input, question.kind) {
            (Input::Order { sequence }, _) => {
                rows.push(row(Picks(0, n), s::ORDER_PICK, sequence.len() < n));
                rows.push(row(One(A::Erase), s::ORDER_ERASE, !sequence.is_empty()));
            }
            (Input::Match { cursor, assigned }, _) => {
                rows.push(row(Pair(A::Up, A::Down), s::MATCH_LEFT, n > 1));
                rows.push(row(Picks(0, n), s::MATCH_PICK, true));
                let set = assigned.get(*cursor).is_some_and(Option::is_some);
                rows.push(row(One(A::Erase), s::MATCH_ERASE, set));
            }
            _ => rows.push(row(Picks(0, n.min(9)), s::CHOICE_PICK, n > 0)),
        }
        rows.push(row(One(A::Submit), s::ANSWER, complete));
        if context == Context::Study {
            rows.push(row(One(A::Bury), s::BURY, true));
            rows.push(row(One(A::Suspend), s::SUSPEND, true));
        }
        links(&mut rows);
        rows.push(row(One(A::Flag), s::FLAG, true));
        rows.push(row(One(A::Back), s::BACK, true));
        let choices = matches!(quiz.input, Input::Choices { .. });
        rows.push(row(One(A::Toggle), s::CHOICE_TOGGLE, choices && n > 0));
        return rows;
    };
    let max_scroll = {
        let width = crate::layout::quiz::body_width(size);
        let lines = crate::layout::quiz::body_lines(library, quiz, width, keys).len();
        lines > crate::layout::quiz::body_height(size)
    };
    let choices = matches!(feedback.response, Response::Choices(_));
    match context {
        Context::Review { questions } => {
            rows.push(row(Pair(A::Left, A::Right), s::REVIEW_MOVE, questions > 1));
            rows.push(row(Pair(A::Up, A::Down), s::SCROLL, max_scroll));
            links(&mut rows);
            rows.push(row(One(A::Submit), s::TO_LIST, true));
            rows.push(row(One(A::Back), s::TO_LIST, true));
        }
        _ => {
            let live = feedback.kind == FeedbackKind::Live;
            rows.push(row(One(A::Submit), s::NEXT, true));
            rows.push(row(Picks(1, 4), s::RERATE, live && feedback.correct));
            rows.push(row(One(A::ToggleWhy), s::WHY, choices));
            rows.push(row(Pair(A::Up, A::Down), s::SCROLL, max_scroll));
            if context == Context::Study {
                rows.push(row(One(A::Bury), s::BURY, true));
                rows.push(row(One(A::Suspend), s::SUSPEND, true));
            }
            links(&mut rows);
            rows.push(row(One(A::Undo), s::UNDO, true));
            rows.push(row(One(A::Flag), s::FLAG, true));
            rows.push(row(One(A::Back), s::BACK, true));
        }
    }
    rows
}

fn study(app: &App) -> Vec<Hint> {
    let Some(study) = &app.study else {
        return Vec::new();
    };
    if study.awaiting {
        return Vec::new();
    }
    let Some(current) = &study.current else {
        let count = study.count();
        let any = [More::New, More::Ahead, More::Hardest]
            .into_iter()
            .any(|mode| !app.progress.more(app.now, mode, count).is_empty());
        return vec![
            row(Picks(0, 3), s::MORE, any),
            row(Pair(A::Left, A::Right), s::MORE_COUNT, true),
            row(One(A::Undo), s::UNDO, true),
            row(One(A::Back), s::BACK, true),
        ];
    };
    let (revealed, topic) = match current {
        Current::Question(quiz) => {
            return quiz_rows(&app.library, &app.keys, quiz, app.size, Context::Study);
        }
        Current::Card { revealed, .. } => (*revealed, true),
        Current::Misconception { id, revealed, .. } => (
            *revealed,
            app.library
                .misconception(id)
                .is_some_and(|m| !m.topics.is_empty()),
        ),
    };
    let mut rows = if revealed {
        vec![
            row(Picks(0, 4), s::RATE, true),
            row(One(A::Submit), s::RATE_GOOD, true),
        ]
    } else {
        vec![
            row(One(A::Toggle), s::REVEAL, true),
            row(One(A::Submit), s::REVEAL, true),
        ]
    };
    rows.extend([
        row(One(A::Topic), s::TOPIC, topic),
        row(One(A::Bury), s::BURY, true),
        row(One(A::Suspend), s::SUSPEND, true),
        row(One(A::Flag), s::FLAG, true),
        row(One(A::Undo), s::UNDO, true),
        row(One(A::Back), s::BACK, true),
    ]);
    rows
}

fn exam(app: &App) -> Vec<Hint> {
    let Some(exam) = &app.exam.exam else {
        if app.exam.confirm_new {
            return vec![
                row(One(A::Submit), s::START_NEW_OK, true),
                row(Fixed("Esc", A::Back), s::CANCEL, true),
            ];
        }
        let attempts = app.progress.attempts.len().min(HISTORY_ROWS);
        let resumable = app.exam.resumable.is_some();
        let enter = match app.exam.cursor {
            0 if resumable => s::RESUME,
            0 => s::START,
            i => match app.progress.attempts.get(i - 1).map(status) {
                Some(AttemptStatus::Scored(_)) => s::PAST_RESULT,
                Some(AttemptStatus::Suspended) if resumable => s::RESUME,
                _ => s::NO_RESULT,
            },
        };
        let enter_works = enter != s::NO_RESULT;
        return vec![
            row(One(A::Submit), enter, enter_works),
            row(One(A::Next), s::START_NEW, true),
            row(Pair(A::Up, A::Down), s::HISTORY, attempts > 0),
            row(One(A::Back), s::BACK, true),
            row(One(A::Help), s::HELP, true),
        ];
    };
    let n = exam.questions.len();
    match &exam.phase {
        Phase::Answering => {
            let choices = app
                .library
                .question(&exam.questions[exam.pos].shown.id)
                .map_or(0, |q| match q.kind {
                    QuestionType::Order => q.items.len(),
                    QuestionType::Match => q.pairs.len(),
                    _ => q.choices.len(),
                });
            let last = exam.pos + 1 >= n;
            vec![
                row(Picks(0, choices.min(9)), s::CHOICE_PICK, choices > 0),
                row(Pair(A::Left, A::Right), s::EXAM_MOVE, n > 1),
                row(
                    One(A::Submit),
                    if last { s::TO_SUBMIT } else { s::NEXT },
                    true,
                ),
                row(One(A::Flag), s::FLAG, true),
                row(One(A::Tab), s::NAVIGATOR, true),
                row(One(A::Back), s::SUSPEND_EXAM, true),
            ]
        }
        Phase::Navigator { cursor } => vec![
            row(Pair(A::Left, A::Right), s::NAV_MOVE, true),
            row(
                One(A::Submit),
                if *cursor == n { s::SUBMIT } else { s::JUMP },
                true,
            ),
            row(One(A::Tab), s::BACK_TO_QUESTION, true),
            row(One(A::Back), s::BACK_TO_QUESTION, true),
        ],
        Phase::Confirm => vec![
            row(One(A::Submit), s::SUBMIT, true),
            row(Fixed("Esc", A::Back), s::BACK_TO_QUESTION, true),
        ],
        Phase::Result { .. } => vec![
            row(Pair(A::Up, A::Down), s::SELECT, n > 1),
            row(One(A::Submit), s::EXPLAIN, true),
            row(One(A::Back), s::BACK, true),
            row(One(A::Help), s::HELP, true),
        ],
        Phase::Review { quiz, .. } => quiz_rows(
            &app.library,
            &app.keys,
            quiz,
            app.size,
            Context::Review { questions: n },
        ),
    }
}

fn search(app: &App) -> Vec<Hint> {
    let hits = app.search.hits.len();
    let editing = app.search.editing;
    vec![
        row(Fixed(s::TYPING_KEY, A::Type('a')), s::TYPE, editing),
        row(Pair(A::Up, A::Down), s::SELECT, hits > 1),
        row(One(A::Submit), s::OPEN, hits > 0),
        row(
            One(A::Tab),
            if editing { s::TO_RESULTS } else { s::TO_FIELD },
            true,
        ),
        row(Fixed("Esc", A::Back), s::BACK, true),
    ]
}

fn simulator(app: &App) -> Vec<Hint> {
    let Some(open) = &app.sim.open else {
        let n = app.library.scenarios.len();
        return vec![
            row(Pair(A::Up, A::Down), s::SELECT, n > 1),
            row(One(A::Submit), s::OPEN, n > 0),
            row(One(A::Back), s::BACK, true),
            row(One(A::Help), s::HELP, true),
        ];
    };
    if let Some(view) = &open.table {
        let rows = view.table.as_ref().map_or(0, |t| t.rows.len());
        return vec![
            row(Pair(A::Up, A::Down), s::SELECT, rows > 1),
            row(One(A::Submit), s::TABLE_APPLY, rows > 0),
            row(One(A::Back), s::TABLE_CLOSE, true),
        ];
    }
    let knobs = open.original.knobs.len();
    let statements = open.statements.len();
    let on_knobs = open.focus == super::simulator::Focus::Knobs;
    let (picks, word) = if on_knobs {
        (knobs, s::KNOB_PICK)
    } else {
        (statements, s::STATEMENT_PICK)
    };
    vec![
        row(Picks(0, picks.min(9)), word, picks > 0),
        row(One(A::Tab), s::KNOBS_OR_STATEMENTS, statements > 0),
        row(One(A::Toggle), s::SIM_TOGGLE, picks > 0),
        row(One(A::Table), s::TABLE, !open.original.knobs.is_empty()),
        row(One(A::Edit), s::EDIT, true),
        row(One(A::Reset), s::RESET, true),
        row(One(A::Back), s::BACK, true),
    ]
}

fn text_screen() -> Vec<Hint> {
    vec![
        row(Pair(A::Up, A::Down), s::SCROLL, true),
        row(One(A::Back), s::BACK, true),
    ]
}

fn card(app: &App) -> Vec<Hint> {
    let questions = app
        .card
        .as_ref()
        .is_some_and(|id| app.library.questions.iter().any(|q| q.topics.contains(id)));
    let mut rows = text_screen();
    let back = rows.pop();
    rows.extend([
        row(One(A::Practice), s::PRACTICE_TOPIC, questions),
        row(One(A::Flag), s::FLAG, true),
        row(One(A::Suspend), s::SUSPEND_TOGGLE, true),
    ]);
    rows.extend(back);
    rows
}
