//! 学習: today's spaced-repetition queue — topic cards (front, then back, four buttons with their
//! next intervals), questions (answered like practice; wrong → Again, right → Good, or Hard/Easy
//! on request) and misconception cards. Undo, suspend and bury act on the current item; `t` and
//! `s` open its topic card and scenario and come back here. When the queue is empty the learner
//! may study more: more new items, reviews ahead of their date, or the hardest items first —
//! each labelled on screen and recorded as ordinary reviews at the time they are answered.

use std::collections::HashSet;
use std::sync::Arc;

use super::keymap::Action;
use super::practice::{self, Step};
use super::quiz::Quiz;
use super::{App, Effect, Screen};
use crate::srs::{ItemKind, Moment, NewReview, QueueEntry, Rating};

/// What is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Current {
    /// A topic card: front until revealed, then the back and the buttons.
    Card {
        /// The card id.
        id: String,
        /// Whether the back shows.
        revealed: bool,
        /// When it was shown.
        shown_at: Moment,
    },
    /// A misconception: the belief, then the correction and the buttons.
    Misconception {
        /// The misconception id.
        id: String,
        /// Whether the correction shows.
        revealed: bool,
        /// When it was shown.
        shown_at: Moment,
    },
    /// A question, answered as in practice.
    Question(Box<Quiz>),
}

impl Current {
    /// The item id.
    pub fn id(&self) -> &str {
        match self {
            Self::Card { id, .. } | Self::Misconception { id, .. } => id,
            Self::Question(quiz) => &quiz.current().id,
        }
    }
}

/// What to study once today's queue is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum More {
    /// New items past today's limits, in the usual order.
    New,
    /// Reviews not yet due, the soonest due first.
    Ahead,
    /// Studied items, the hardest (highest FSRS difficulty) first.
    Hardest,
}

/// The counts "study more" offers (← → choose).
pub const MORE_COUNTS: [usize; 3] = [5, 10, 20];

/// A "study more" list, chosen at `since`.
#[derive(Debug, Clone, PartialEq)]
pub struct Extra {
    /// Which kind.
    pub mode: More,
    /// The items, in order.
    pub entries: Vec<QueueEntry>,
    /// When it was chosen: an item reviewed since is done.
    pub since: Moment,
}

/// A study session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Study {
    /// The item showing; none when the queue is empty.
    pub current: Option<Current>,
    /// Items still in today's queue, the current one included.
    pub remaining: usize,
    /// Answers given in this session.
    pub answered: usize,
    /// Waiting for the store to confirm the last answer before showing the next item.
    pub awaiting: bool,
    /// Items buried or suspended in this session (left out until the store says so).
    pub skipped: HashSet<String>,
    /// The item just suspended with `x`, so `u` can take the suspension back.
    pub last_suspended: Option<String>,
    /// The "study more" list in progress, after today's queue.
    pub extra: Option<Extra>,
    /// Index into [`MORE_COUNTS`] of the count offered.
    pub more_count: usize,
}

impl Study {
    /// The count "study more" offers now.
    pub fn count(&self) -> usize {
        MORE_COUNTS[self.more_count.min(MORE_COUNTS.len() - 1)]
    }
}

/// Opens the study screen on the first item of today's queue.
pub fn start(app: &mut App) {
    app.study = Some(Study {
        more_count: 1,
        ..Study::default()
    });
    next(app, None);
    app.push(Screen::Study);
}

/// Shows the next item of the queue (not `previous` again unless it is all that is left).
fn next(app: &mut App, previous: Option<&str>) {
    app.scroll = 0;
    let seed = app.seed;
    let mut queue = app.progress.today(app.now);
    let Some(study) = app.study.as_mut() else {
        return;
    };
    if let Some(extra) = &study.extra {
        // Today's queue first (learning steps come due), then what is left of the extra list.
        let pending: Vec<QueueEntry> = extra
            .entries
            .iter()
            .filter(|e| !queue.iter().any(|q| q.id == e.id))
            .filter(|e| {
                app.progress
                    .items
                    .get(&e.id)
                    .and_then(|s| s.state.last)
                    .is_none_or(|last| last.timestamp < extra.since.timestamp)
            })
            .cloned()
            .collect();
        queue.extend(pending);
    }
    study.awaiting = false;
    let candidates: Vec<_> = queue
        .iter()
        .filter(|e| !study.skipped.contains(&e.id))
        .collect();
    study.remaining = candidates.len();
    let entry = candidates
        .iter()
        .find(|e| Some(e.id.as_str()) != previous)
        .or_else(|| candidates.first())
        .map(|e| (e.id.clone(), e.kind));
    let now = app.now;
    study.current = entry.and_then(|(id, kind)| match kind {
        ItemKind::Card => Some(Current::Card {
            id,
            revealed: false,
            shown_at: now,
        }),
        ItemKind::Misconception => Some(Current::Misconception {
            id,
            revealed: false,
            shown_at: now,
        }),
        ItemKind::Question => Quiz::new(
            &app.library,
            crate::strings::STUDY_TITLE.into(),
            &[id],
            seed,
        )
        .map(|mut q| {
            q.shown_at = Some(now);
            Current::Question(Box::new(q))
        }),
    });
}

/// The last answer was taken back: show that item again.
pub fn undone(app: &mut App, ids: &[String]) {
    if app.screen() != Screen::Study {
        return;
    }
    let Some(first) = ids.first() else { return };
    let Some(study) = app.study.as_mut() else {
        return;
    };
    study.answered = study.answered.saturating_sub(1);
    study.awaiting = false;
    study.skipped.remove(first);
    // The item is due again: 残り counts it.
    let queue = app.progress.queue(app.now, app.seed);
    study.remaining = queue
        .iter()
        .filter(|e| !study.skipped.contains(&e.id))
        .count()
        .max(1);
    let now = app.now;
    study.current = match app.library.kind_of(first) {
        Some(crate::content::ItemKind::Card) => Some(Current::Card {
            id: first.clone(),
            revealed: false,
            shown_at: now,
        }),
        Some(crate::content::ItemKind::Misconception) => Some(Current::Misconception {
            id: first.clone(),
            revealed: false,
            shown_at: now,
        }),
        Some(crate::content::ItemKind::Question) => Quiz::new(
            &app.library,
            crate::strings::STUDY_TITLE.into(),
            std::slice::from_ref(first),
            app.seed,
        )
        .map(|mut q| {
            q.shown_at = Some(now);
            Current::Question(Box::new(q))
        }),
        None => study.current.take(),
    };
}

/// Called when fresh progress arrives: the next item shows once the last answer is stored.
pub fn refreshed(app: &mut App) {
    let previous = match &app.study {
        Some(study) if study.awaiting && app.screen() == Screen::Study => {
            study.current.as_ref().map(|c| c.id().to_string())
        }
        _ => return,
    };
    next(app, previous.as_deref());
}

/// The empty queue: choose how to study more.
fn more(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(study) = app.study.as_mut() else {
        return Vec::new();
    };
    let mode = match action {
        Action::Left => {
            study.more_count = study.more_count.saturating_sub(1);
            return Vec::new();
        }
        Action::Right => {
            study.more_count = (study.more_count + 1).min(MORE_COUNTS.len() - 1);
            return Vec::new();
        }
        Action::Pick(0) => More::New,
        Action::Pick(1) => More::Ahead,
        Action::Pick(2) => More::Hardest,
        _ => return Vec::new(),
    };
    let count = study.count();
    let entries = app.progress.more(app.now, mode, count);
    if entries.is_empty() {
        app.notice = Some(crate::strings::MORE_NOTHING.into());
        return Vec::new();
    }
    if let Some(study) = app.study.as_mut() {
        study.extra = Some(Extra {
            mode,
            entries,
            since: app.now,
        });
    }
    next(app, None);
    Vec::new()
}

fn self_rated(
    id: &str,
    rating: Rating,
    shown_at: Moment,
    now: Moment,
    fingerprint: Option<u64>,
) -> NewReview {
    let answer_ms = u32::try_from((now.millis() - shown_at.millis()).max(0)).ok();
    NewReview {
        item: id.to_string(),
        at: now,
        rating,
        answer_ms,
        chosen: Vec::new(),
        fingerprint,
    }
}

/// The study screen.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let library = Arc::clone(&app.library);
    let keys = app.keys.clone();
    let (size, now) = (app.size, app.now);
    let Some(study) = app.study.as_mut() else {
        app.pop();
        return Vec::new();
    };
    if study.awaiting {
        return Vec::new();
    }
    match action {
        Action::Back => {
            app.study = None;
            app.pop();
            return Vec::new();
        }
        Action::Undo => {
            if let Some(id) = study.last_suspended.take() {
                // Taking back `x`: the item returns, unsuspended, and nothing was answered.
                study.answered += 1;
                undone(app, std::slice::from_ref(&id));
                app.notice = Some(crate::strings::SUSPEND_UNDONE.into());
                return vec![Effect::Suspend {
                    id,
                    suspended: false,
                }];
            }
            return vec![Effect::Undo];
        }
        Action::Suspend => {}
        _ => study.last_suspended = None,
    }
    let Some(current) = study.current.as_mut() else {
        return more(app, action);
    };
    let id = current.id().to_string();
    match action {
        Action::Bury | Action::Suspend => {
            study.skipped.insert(id.clone());
            let effect = if action == Action::Bury {
                Effect::Bury { id: id.clone() }
            } else {
                study.last_suspended = Some(id.clone());
                Effect::Suspend {
                    id: id.clone(),
                    suspended: true,
                }
            };
            next(app, Some(&id));
            return vec![effect];
        }
        Action::Flag => return vec![super::toggle_flag(app, &id)],
        Action::Topic | Action::Simulator => {
            match current {
                Current::Question(_) => {
                    practice::follow_link(app, &id, action);
                }
                Current::Card { .. } if action == Action::Topic => app.open_card(&id),
                Current::Misconception { .. } if action == Action::Topic => {
                    match library.misconception(&id).and_then(|m| m.topics.first()) {
                        Some(topic) => app.open_card(topic),
                        None => app.notice = Some(crate::strings::NO_TOPIC.into()),
                    }
                }
                _ => app.notice = Some(crate::strings::NO_SCENARIO.into()),
            }
            return Vec::new();
        }
        _ => {}
    }
    match current {
        Current::Card {
            revealed, shown_at, ..
        }
        | Current::Misconception {
            revealed, shown_at, ..
        } => {
            if !*revealed {
                if matches!(action, Action::Submit | Action::Toggle) {
                    *revealed = true;
                    app.scroll = 0;
                }
                return Vec::new();
            }
            match action {
                Action::Down => {
                    app.scroll = app.scroll.saturating_add(1);
                    return Vec::new();
                }
                Action::Up => {
                    app.scroll = app.scroll.saturating_sub(1);
                    return Vec::new();
                }
                _ => {}
            }
            let rating = match action {
                Action::Pick(n) if n < 4 => Rating::from_number(n as u8 + 1),
                Action::Submit => Some(Rating::Good),
                _ => None,
            };
            let Some(rating) = rating else {
                return Vec::new();
            };
            let fingerprint = library
                .card(&id)
                .map(crate::content::fingerprint)
                .or_else(|| library.misconception(&id).map(crate::content::fingerprint));
            let review = self_rated(&id, rating, *shown_at, now, fingerprint);
            study.answered += 1;
            study.awaiting = true;
            vec![Effect::Record(vec![review])]
        }
        Current::Question(quiz) => match practice::step(quiz, &library, &keys, size, now, action) {
            Step::None => Vec::new(),
            Step::Answered(reviews) => {
                practice::note_intervals(quiz, &app.progress, now);
                study.answered += 1;
                vec![Effect::Record(reviews)]
            }
            Step::Rerated(reviews) => vec![Effect::Rerate(reviews)],
            Step::Continue => {
                next(app, Some(&id));
                Vec::new()
            }
        },
    }
}
