//! Statistics from the log and the derived state: reviews per day, true retention, a 30-day
//! forecast of due items, per-domain accuracy, leeches and orphans. Pure: the caller passes
//! the data and `now`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::catalog::{Catalog, ItemKind};
use super::schedule::Phase;
use super::settings::Settings;
use super::store::{ReviewRecord, StoredItem};
use super::time::{Day, Moment};

/// Days in the forecast.
pub const FORECAST_DAYS: usize = 30;

/// A count on one study day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCount {
    /// The study day's date, YYYY-MM-DD.
    pub date: String,
    /// How many.
    pub count: usize,
}

/// Recall on long-term reviews (a later study day than the previous review).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Retention {
    /// Reviews not rated Again.
    pub passed: usize,
    /// All such reviews.
    pub total: usize,
    /// passed / total, when there were any.
    pub rate: Option<f64>,
}

/// Accuracy in one domain (cards and questions; misconceptions are counted by their question).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainAccuracy {
    /// The domain key.
    pub domain: String,
    /// Its Japanese name, when a blueprint has it.
    pub name: Option<String>,
    /// Reviews.
    pub reviews: usize,
    /// Reviews not rated Again.
    pub correct: usize,
    /// correct / reviews.
    pub accuracy: Option<f64>,
}

/// Everything `shikaku stats` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Today's study day, YYYY-MM-DD.
    pub today: String,
    /// Reviews in the log.
    pub total_reviews: usize,
    /// Items with at least one review.
    pub items_studied: usize,
    /// Items due now (learning and reviews due today, not suspended or buried).
    pub due_today: usize,
    /// Reviews per study day, oldest first (days without reviews left out).
    pub reviews_per_day: Vec<DayCount>,
    /// True retention over the whole log.
    pub true_retention: Retention,
    /// True retention over the last 30 study days.
    pub true_retention_30d: Retention,
    /// Items falling due on each of the next 30 study days (today includes overdue ones).
    pub forecast: Vec<DayCount>,
    /// Accuracy per domain, in content order.
    pub domains: Vec<DomainAccuracy>,
    /// Leech ids.
    pub leeches: Vec<String>,
    /// Suspended ids.
    pub suspended: Vec<String>,
    /// Ids in the store that the content no longer has (kept).
    pub orphans: Vec<String>,
}

fn retention(passed: usize, total: usize) -> Retention {
    let rate = (total > 0).then(|| passed as f64 / total as f64);
    Retention {
        passed,
        total,
        rate,
    }
}

/// Computes the statistics at `now`.
pub fn compute(
    reviews: &[ReviewRecord],
    items: &HashMap<String, StoredItem>,
    catalog: &Catalog,
    now: Moment,
    settings: &Settings,
) -> Stats {
    let day_start = settings.day_start;
    let today = now.day(day_start);
    let date = |day: Day| day.date().to_string();

    let mut per_day: BTreeMap<Day, usize> = BTreeMap::new();
    let (mut passed, mut total, mut passed_30, mut total_30) = (0, 0, 0, 0);
    let mut domains: Vec<DomainAccuracy> = Vec::new();
    let mut seen_item = std::collections::HashSet::new();
    for review in reviews {
        let day = review.at.day(day_start);
        *per_day.entry(day).or_default() += 1;
        let first = seen_item.insert(review.item.as_str());
        if !first && review.elapsed_days >= 1 {
            let pass = usize::from(review.rating.is_pass());
            passed += pass;
            total += 1;
            if today.0 - day.0 < 30 {
                passed_30 += pass;
                total_30 += 1;
            }
        }
        let Some(item) = catalog.get(&review.item) else {
            continue;
        };
        let Some(domain) = item
            .domain
            .as_ref()
            .filter(|_| item.kind != ItemKind::Misconception)
        else {
            continue;
        };
        let entry = match domains.iter().position(|d| &d.domain == domain) {
            Some(i) => &mut domains[i],
            None => {
                domains.push(DomainAccuracy {
                    domain: domain.clone(),
                    name: catalog.domain_name(domain).map(str::to_string),
                    reviews: 0,
                    correct: 0,
                    accuracy: None,
                });
                domains.last_mut().expect("just pushed")
            }
        };
        entry.reviews += 1;
        entry.correct += usize::from(review.rating.is_pass());
    }
    for d in &mut domains {
        d.accuracy = (d.reviews > 0).then(|| d.correct as f64 / d.reviews as f64);
    }
    let order: HashMap<&str, usize> = catalog
        .items()
        .iter()
        .enumerate()
        .filter_map(|(i, it)| it.domain.as_deref().map(|d| (d, i)))
        .rev()
        .collect();
    domains.sort_by_key(|d| order.get(d.domain.as_str()).copied().unwrap_or(usize::MAX));

    let mut forecast = vec![0usize; FORECAST_DAYS];
    let mut due_today = 0;
    let (mut leeches, mut suspended, mut orphans) = (Vec::new(), Vec::new(), Vec::new());
    for stored in items.values() {
        if stored.leech {
            leeches.push(stored.id.clone());
        }
        if stored.suspended {
            suspended.push(stored.id.clone());
        }
        if stored.state.reps > 0 && catalog.get(&stored.id).is_none() {
            orphans.push(stored.id.clone());
        }
        if stored.suspended {
            continue;
        }
        let offset = match stored.state.phase {
            Phase::New => continue,
            Phase::Learning | Phase::Relearning => 0,
            Phase::Review => match stored.state.due_day {
                Some(day) => (day.0 - today.0).max(0) as usize,
                None => continue,
            },
        };
        if offset < FORECAST_DAYS {
            forecast[offset] += 1;
        }
        let buried = stored.buried_until.is_some_and(|d| d > today);
        if offset == 0 && !buried {
            due_today += 1;
        }
    }
    leeches.sort();
    suspended.sort();
    orphans.sort();
    Stats {
        today: date(today),
        total_reviews: reviews.len(),
        items_studied: items.values().filter(|s| s.state.reps > 0).count(),
        due_today,
        reviews_per_day: per_day
            .into_iter()
            .map(|(day, count)| DayCount {
                date: date(day),
                count,
            })
            .collect(),
        true_retention: retention(passed, total),
        true_retention_30d: retention(passed_30, total_30),
        forecast: forecast
            .into_iter()
            .enumerate()
            .map(|(i, count)| DayCount {
                date: date(today.plus(i as i32)),
                count,
            })
            .collect(),
        domains,
        leeches,
        suspended,
        orphans,
    }
}
