//! The learner's progress as `update` sees it: a copy of the store's item states, review log and
//! exam attempts, refreshed by the runtime after every write. Everything derived from it (the
//! queue, due counts, mastery, button intervals, statistics) is computed here, purely.

use std::collections::{BTreeSet, HashMap};

use super::study::More;
use crate::content::Library;
use crate::srs::{
    Catalog, ExamAttempt, ItemState, NextDue, Phase, QueueEntry, QueueReason, ReviewRecord,
    Scheduler, Settings, StoredItem, build_queue, day_seed,
};
use crate::srs::{Moment, SrsError, readiness, stats};

/// What the runtime sends back after a write: the fresh state of the items it touched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refresh {
    /// Each touched item's state (`None`: no longer in the store).
    pub items: Vec<(String, Option<StoredItem>)>,
    /// Each touched item's full review history.
    pub histories: Vec<(String, Vec<ReviewRecord>)>,
    /// The exam attempts, when they changed.
    pub attempts: Option<Vec<ExamAttempt>>,
    /// The flagged items, when they changed.
    pub flagged: Option<BTreeSet<String>>,
}

/// Items due now, by kind of due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueCounts {
    /// Learning and relearning steps due.
    pub learning: usize,
    /// Reviews due.
    pub review: usize,
    /// New items still allowed today.
    pub new: usize,
}

impl DueCounts {
    /// All of them.
    pub fn total(&self) -> usize {
        self.learning + self.review + self.new
    }
}

/// The progress mirror.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Item states by id.
    pub items: HashMap<String, StoredItem>,
    /// The review log, oldest first.
    pub reviews: Vec<ReviewRecord>,
    /// Mock exam attempts, newest first.
    pub attempts: Vec<ExamAttempt>,
    /// Items flagged to look at again.
    pub flagged: BTreeSet<String>,
    /// The scheduler in force (settings and FSRS parameters).
    pub scheduler: Scheduler,
    /// What the content has to study.
    pub catalog: Catalog,
}

impl Progress {
    /// Progress with nothing studied yet.
    pub fn empty(library: &Library, settings: Settings) -> Result<Self, SrsError> {
        Ok(Self {
            items: HashMap::new(),
            reviews: Vec::new(),
            attempts: Vec::new(),
            flagged: BTreeSet::new(),
            scheduler: Scheduler::new(settings, &[])?,
            catalog: Catalog::from_library(library),
        })
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        self.scheduler.settings()
    }

    /// Applies a refresh from the runtime.
    pub fn apply(&mut self, refresh: Refresh) {
        for (id, item) in refresh.items {
            match item {
                Some(item) => {
                    self.items.insert(id, item);
                }
                None => {
                    self.items.remove(&id);
                }
            }
        }
        for (id, history) in refresh.histories {
            self.reviews.retain(|r| r.item != id);
            self.reviews.extend(history);
        }
        self.reviews.sort_by_key(|r| r.id);
        if let Some(attempts) = refresh.attempts {
            self.attempts = attempts;
        }
        if let Some(flagged) = refresh.flagged {
            self.flagged = flagged;
        }
    }

    /// Today's queue at `now`.
    pub fn queue(&self, now: Moment, seed: u64) -> Vec<QueueEntry> {
        build_queue(&self.catalog, &self.items, now, self.settings(), seed)
    }

    /// Today's queue at `now` as the study screen shows it (and `shikaku today` prints it):
    /// seeded by the study day, so it is the same order all day in every process.
    pub fn today(&self, now: Moment) -> Vec<QueueEntry> {
        let day = now.day(self.settings().day_start);
        self.queue(now, day_seed(day))
    }

    /// What "study more" offers at `now`: up to `count` items beyond today's queue.
    /// - New: the next new items past today's limits, in the usual (blueprint) order.
    /// - Ahead: reviews not due yet, the soonest due first.
    /// - Hardest: studied items by FSRS difficulty, highest first (lowest recall on ties).
    ///
    /// Suspended and buried items never come; neither do misconceptions as new items.
    pub fn more(&self, now: Moment, mode: More, count: usize) -> Vec<QueueEntry> {
        let settings = self.settings();
        let today = now.day(settings.day_start);
        let queued: std::collections::HashSet<String> =
            self.today(now).into_iter().map(|e| e.id).collect();
        if mode == More::New {
            let unlimited = Settings {
                daily_new_cards: u32::MAX,
                daily_new_questions: u32::MAX,
                daily_new_limit: None,
                ..settings.clone()
            };
            return build_queue(&self.catalog, &self.items, now, &unlimited, day_seed(today))
                .into_iter()
                .filter(|e| e.reason == QueueReason::New && !queued.contains(&e.id))
                .take(count)
                .collect();
        }
        let mut candidates: Vec<(&StoredItem, QueueEntry)> = self
            .items
            .values()
            .filter(|s| !s.suspended && s.buried_until.is_none_or(|d| d <= today))
            .filter(|s| s.state.phase == Phase::Review && !queued.contains(&s.id))
            .filter_map(|s| {
                let item = self.catalog.get(&s.id)?;
                Some((
                    s,
                    QueueEntry {
                        id: s.id.clone(),
                        kind: item.kind,
                        reason: QueueReason::Due,
                        follows: None,
                    },
                ))
            })
            .collect();
        let recall = |s: &StoredItem| self.scheduler.retrievability(&s.state, now).unwrap_or(1.0);
        match mode {
            More::Ahead => candidates.sort_by(|a, b| {
                a.0.state
                    .due_day
                    .cmp(&b.0.state.due_day)
                    .then(recall(a.0).total_cmp(&recall(b.0)))
                    .then(a.0.id.cmp(&b.0.id))
            }),
            _ => candidates.sort_by(|a, b| {
                let d = |s: &StoredItem| s.state.memory.map_or(0.0, |m| m.difficulty);
                d(b.0)
                    .total_cmp(&d(a.0))
                    .then(recall(a.0).total_cmp(&recall(b.0)))
                    .then(a.0.id.cmp(&b.0.id))
            }),
        }
        candidates.into_iter().take(count).map(|(_, e)| e).collect()
    }

    /// The readiness forecast for the exam date (or `now` when none is set or it has passed).
    pub fn readiness(
        &self,
        library: &Library,
        now: Moment,
        exam_date: Option<jiff::civil::Date>,
    ) -> Option<readiness::Readiness> {
        let blueprint = library.main_blueprint()?;
        let settings = self.settings();
        let today = now.day(settings.day_start);
        let exam_day = exam_date
            .map(crate::srs::Day::from_date)
            .filter(|d| *d >= today);
        // The exam day's morning: six hours after the day starts (10:00 by default).
        let at = exam_day.map_or(now, |day| {
            let morning = Moment {
                timestamp: day.start(settings.day_start, now.offset),
                offset: now.offset,
            }
            .plus_seconds(6 * 3600);
            if morning.timestamp < now.timestamp {
                now
            } else {
                morning
            }
        });
        let inputs = readiness::Inputs {
            library,
            blueprint,
            items: &self.items,
            reviews: &self.reviews,
            scheduler: &self.scheduler,
        };
        Some(readiness::forecast(
            &inputs,
            at,
            exam_day.is_some(),
            0x5EED,
            readiness::DRAWS,
        ))
    }

    /// What is due at `now`.
    pub fn due_counts(&self, now: Moment) -> DueCounts {
        let mut counts = DueCounts::default();
        for entry in self.today(now) {
            match entry.reason {
                QueueReason::Learning => counts.learning += 1,
                QueueReason::Due => counts.review += 1,
                QueueReason::New => counts.new += 1,
            }
        }
        counts
    }

    /// Reviews made in today's study day.
    pub fn reviewed_today(&self, now: Moment) -> usize {
        let day_start = self.settings().day_start;
        let today = now.day(day_start);
        self.reviews
            .iter()
            .filter(|r| r.at.day(day_start) == today)
            .count()
    }

    /// The intervals each of the four buttons would give `id` at `now`.
    pub fn preview(&self, id: &str, now: Moment) -> Option<[NextDue; 4]> {
        let state = self
            .items
            .get(id)
            .map_or_else(ItemState::new_item, |s| s.state.clone());
        self.scheduler.preview(id, &state, now).ok()
    }

    /// Share of a domain's cards and questions that are learned (past the learning steps and
    /// last answered right), 0.0–1.0.
    pub fn mastery(&self, library: &Library, domain: &str) -> f64 {
        let ids = library
            .cards
            .iter()
            .filter(|c| c.domain == domain)
            .map(|c| c.id.as_str())
            .chain(library.questions_in(domain).map(|q| q.id.as_str()));
        let (mut learned, mut total) = (0usize, 0usize);
        for id in ids {
            total += 1;
            // In the review phase means graduated and not lapsed since.
            let known = self
                .items
                .get(id)
                .is_some_and(|item| item.state.phase == Phase::Review);
            learned += usize::from(known);
        }
        if total == 0 {
            0.0
        } else {
            learned as f64 / total as f64
        }
    }

    /// Ids of questions whose last answer was wrong.
    pub fn missed_questions(&self, library: &Library) -> Vec<String> {
        let mut last: HashMap<&str, bool> = HashMap::new();
        for review in &self.reviews {
            last.insert(review.item.as_str(), review.rating.is_pass());
        }
        library
            .questions
            .iter()
            .filter(|q| last.get(q.id.as_str()) == Some(&false))
            .map(|q| q.id.clone())
            .collect()
    }

    /// Statistics at `now`.
    pub fn stats(&self, now: Moment) -> stats::Stats {
        stats::compute(
            &self.reviews,
            &self.items,
            &self.catalog,
            now,
            self.settings(),
        )
    }
}
