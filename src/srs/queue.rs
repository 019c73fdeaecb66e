//! Today's queue: learning items that are due, then due reviews, then new items up to the daily
//! limit, then learning items a little ahead of time. Item kinds are interleaved, and the order
//! is deterministic for a given seed.

use std::collections::{BTreeMap, HashMap};

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::Serialize;

use super::catalog::{Catalog, ItemKind};
use super::schedule::Phase;
use super::settings::Settings;
use super::store::StoredItem;
use super::time::Moment;

/// Why an item is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueReason {
    /// A (re)learning step is due.
    Learning,
    /// A review is due.
    Due,
    /// Never studied.
    New,
}

/// One item to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueEntry {
    /// The item id.
    pub id: String,
    /// Its kind.
    pub kind: ItemKind,
    /// Why it is here.
    pub reason: QueueReason,
}

/// Builds the queue at `now`. Suspended, buried and orphaned items are left out; misconceptions
/// are never introduced as new (they enter when a learner picks a choice naming one).
pub fn build_queue(
    catalog: &Catalog,
    items: &HashMap<String, StoredItem>,
    now: Moment,
    settings: &Settings,
    seed: u64,
) -> Vec<QueueEntry> {
    let today = now.day(settings.day_start);
    let ahead = now
        .plus_seconds(i64::from(settings.learn_ahead_seconds))
        .timestamp;
    let mut learning_now = Vec::new();
    let mut learning_ahead = Vec::new();
    let mut due = Vec::new();
    let mut new = Vec::new();
    let mut new_today = 0u32;
    for stored in items.values() {
        if stored.first_day == Some(today) {
            new_today += 1;
        }
    }
    for item in catalog.items() {
        let entry = |reason| QueueEntry {
            id: item.id.clone(),
            kind: item.kind,
            reason,
        };
        let Some(stored) = items.get(&item.id) else {
            if item.kind != ItemKind::Misconception {
                new.push(entry(QueueReason::New));
            }
            continue;
        };
        if stored.suspended || stored.buried_until.is_some_and(|day| day > today) {
            continue;
        }
        let state = &stored.state;
        match state.phase {
            Phase::New => {
                if item.kind != ItemKind::Misconception {
                    new.push(entry(QueueReason::New));
                }
            }
            Phase::Learning | Phase::Relearning => {
                let at = state.due.unwrap_or(now.timestamp);
                if at <= now.timestamp {
                    learning_now.push((at, entry(QueueReason::Learning)));
                } else if at <= ahead {
                    learning_ahead.push((at, entry(QueueReason::Learning)));
                }
            }
            Phase::Review => {
                if state.due_day.is_some_and(|day| day <= today) {
                    due.push(entry(QueueReason::Due));
                }
            }
        }
    }
    learning_now.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    learning_ahead.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));

    // Reviews: a seeded shuffle (HashMap order never leaks in: catalog order first), then kinds
    // interleaved.
    let mut rng = StdRng::seed_from_u64(seed);
    due.shuffle(&mut rng);
    let limit = settings.daily_new_limit.saturating_sub(new_today) as usize;
    let new = interleave(new);
    let mut queue: Vec<QueueEntry> = learning_now.into_iter().map(|(_, e)| e).collect();
    queue.extend(interleave(due));
    queue.extend(new.into_iter().take(limit));
    queue.extend(learning_ahead.into_iter().map(|(_, e)| e));
    queue
}

/// Round-robin over kinds, keeping each kind's order.
fn interleave(entries: Vec<QueueEntry>) -> Vec<QueueEntry> {
    let total = entries.len();
    let mut by_kind: BTreeMap<ItemKind, std::collections::VecDeque<QueueEntry>> = BTreeMap::new();
    for entry in entries {
        by_kind.entry(entry.kind).or_default().push_back(entry);
    }
    let mut out = Vec::with_capacity(total);
    while out.len() < total {
        for list in by_kind.values_mut() {
            if let Some(entry) = list.pop_front() {
                out.push(entry);
            }
        }
    }
    out
}

impl super::Store {
    /// Today's queue from the stored state (see [`build_queue`]).
    pub fn queue(
        &self,
        catalog: &Catalog,
        now: Moment,
        seed: u64,
    ) -> Result<Vec<QueueEntry>, super::SrsError> {
        let items = self.items()?;
        Ok(build_queue(
            catalog,
            &items,
            now,
            self.scheduler().settings(),
            seed,
        ))
    }
}
