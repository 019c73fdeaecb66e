//! Today's queue: learning items that are due, then due reviews, then new items up to the daily
//! limits, then learning items a little ahead of time. Review kinds are interleaved. New items
//! (in the default blueprint order) interleave the domains by blueprint weight, and a topic
//! card's new questions follow it: in the same unit when both are new, right away once the card
//! was introduced today. The order is deterministic for a given seed.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::Serialize;

use super::catalog::{Catalog, ItemKind};
use super::schedule::Phase;
use super::settings::{NewOrder, Settings};
use super::store::StoredItem;
use super::time::{Day, Moment};

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
    /// A new question placed after this topic card (shown before it, or studied today).
    pub follows: Option<String>,
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
    for item in catalog.items() {
        let entry = |reason| QueueEntry {
            id: item.id.clone(),
            kind: item.kind,
            reason,
            follows: None,
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
    let new = match settings.new_order {
        NewOrder::File => interleave(new).into_iter().map(|e| (e, None)).collect(),
        NewOrder::Blueprint => blueprint_order(catalog, items, today, new, seed),
    };
    let budget = Budget::left(catalog, items, today, settings);
    let mut queue: Vec<QueueEntry> = learning_now.into_iter().map(|(_, e)| e).collect();
    queue.extend(interleave(due));
    queue.extend(budget.take(new));
    queue.extend(learning_ahead.into_iter().map(|(_, e)| e));
    queue
}

/// The seed of a study day's queue: the TUI and `shikaku today` use it, so both show the same
/// order all day.
pub fn day_seed(day: Day) -> u64 {
    (i64::from(day.0) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5348_494B_414B_5521
}

/// New items still allowed today, by kind.
struct Budget {
    cards: u32,
    questions: u32,
    /// The old single limit over both, when a config sets it.
    total: Option<u32>,
}

impl Budget {
    /// What is left after the cards and questions first studied today (misconceptions are not
    /// new items: they come from wrong answers).
    fn left(
        catalog: &Catalog,
        items: &HashMap<String, StoredItem>,
        today: Day,
        settings: &Settings,
    ) -> Self {
        let (mut cards, mut questions) = (0u32, 0u32);
        for stored in items.values().filter(|s| s.first_day == Some(today)) {
            match catalog.get(&stored.id).map(|i| i.kind) {
                Some(ItemKind::Card) => cards += 1,
                Some(ItemKind::Question) => questions += 1,
                _ => {}
            }
        }
        Self {
            cards: settings.daily_new_cards.saturating_sub(cards),
            questions: settings.daily_new_questions.saturating_sub(questions),
            total: settings
                .daily_new_limit
                .map(|limit| limit.saturating_sub(cards + questions)),
        }
    }

    /// Takes new items in order while their kind's budget lasts. A question that follows a
    /// card (the index of the card's entry) waits for a later day when its card is cut.
    fn take(mut self, new: Vec<(QueueEntry, Option<usize>)>) -> Vec<QueueEntry> {
        let mut taken: HashSet<usize> = HashSet::new();
        let mut out = Vec::new();
        for (pos, (entry, lead)) in new.into_iter().enumerate() {
            if self.total == Some(0) {
                break;
            }
            let left = match entry.kind {
                ItemKind::Card => &mut self.cards,
                ItemKind::Question if lead.is_none_or(|l| taken.contains(&l)) => {
                    &mut self.questions
                }
                _ => continue,
            };
            if *left == 0 {
                continue;
            }
            *left -= 1;
            if let Some(total) = self.total.as_mut() {
                *total -= 1;
            }
            taken.insert(pos);
            out.push(entry);
        }
        out
    }
}

/// One step of the new items: a card with the new questions that follow it, or a question alone.
struct Unit {
    card: Option<QueueEntry>,
    questions: Vec<QueueEntry>,
}

/// New items in blueprint order: first the new questions of cards introduced today (in content
/// order), then units of a card and its questions, the domains interleaved by blueprint weight
/// (smooth weighted round-robin, blueprint order on ties), each domain's units shuffled by the
/// seed. Each entry carries the index of the card it follows, if any.
fn blueprint_order(
    catalog: &Catalog,
    items: &HashMap<String, StoredItem>,
    today: Day,
    new: Vec<QueueEntry>,
    seed: u64,
) -> Vec<(QueueEntry, Option<usize>)> {
    let new_cards: HashSet<String> = new
        .iter()
        .filter(|e| e.kind == ItemKind::Card)
        .map(|e| e.id.clone())
        .collect();
    let introduced_today = |id: &str| {
        items
            .get(id)
            .is_some_and(|s| s.first_day == Some(today) && !s.suspended)
    };
    let mut follow_ups: Vec<QueueEntry> = Vec::new();
    let mut led: HashMap<String, Vec<QueueEntry>> = HashMap::new();
    let mut units: Vec<(String, Unit)> = Vec::new();
    let mut cards: Vec<QueueEntry> = Vec::new();
    for mut entry in new {
        if entry.kind == ItemKind::Card {
            cards.push(entry);
            continue;
        }
        let topics = catalog.topics_of(&entry.id);
        if let Some(card) = topics.iter().find(|t| introduced_today(t)) {
            entry.follows = Some(card.clone());
            follow_ups.push(entry);
        } else if let Some(card) = topics.iter().find(|t| new_cards.contains(*t)) {
            entry.follows = Some(card.clone());
            led.entry(card.clone()).or_default().push(entry);
        } else {
            let domain = domain_of(catalog, &entry.id);
            units.push((
                domain,
                Unit {
                    card: None,
                    questions: vec![entry],
                },
            ));
        }
    }
    for card in cards {
        let domain = domain_of(catalog, &card.id);
        let questions = led.remove(&card.id).unwrap_or_default();
        units.push((
            domain,
            Unit {
                card: Some(card),
                questions,
            },
        ));
    }

    // One stream per domain, blueprint domains first in blueprint order, then any others.
    let weights = catalog.weights();
    let floor = weights.iter().map(|(_, w)| *w).min().unwrap_or(1).max(1);
    let mut streams: Vec<(String, i64, VecDeque<Unit>)> = weights
        .iter()
        .map(|(key, w)| (key.clone(), i64::from((*w).max(1)), VecDeque::new()))
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut by_domain: BTreeMap<String, Vec<Unit>> = BTreeMap::new();
    for (domain, unit) in units {
        by_domain.entry(domain).or_default().push(unit);
    }
    for (domain, mut list) in by_domain {
        list.shuffle(&mut rng);
        match streams.iter_mut().find(|(key, _, _)| *key == domain) {
            Some(stream) => stream.2.extend(list),
            None => streams.push((domain, i64::from(floor), list.into())),
        }
    }

    let mut out: Vec<(QueueEntry, Option<usize>)> =
        follow_ups.into_iter().map(|e| (e, None)).collect();
    let mut current: Vec<i64> = vec![0; streams.len()];
    loop {
        let live: Vec<usize> = (0..streams.len())
            .filter(|&i| !streams[i].2.is_empty())
            .collect();
        if live.is_empty() {
            break;
        }
        let total: i64 = live.iter().map(|&i| streams[i].1).sum();
        for &i in &live {
            current[i] += streams[i].1;
        }
        let Some(&pick) = live
            .iter()
            .max_by_key(|&&i| (current[i], std::cmp::Reverse(i)))
        else {
            break;
        };
        current[pick] -= total;
        let Some(unit) = streams[pick].2.pop_front() else {
            break;
        };
        let lead = unit.card.map(|card| {
            out.push((card, None));
            out.len() - 1
        });
        out.extend(unit.questions.into_iter().map(|q| (q, lead)));
    }
    out
}

fn domain_of(catalog: &Catalog, id: &str) -> String {
    catalog
        .get(id)
        .and_then(|i| i.domain.clone())
        .unwrap_or_default()
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
