//! The readiness forecast: how the learner would score on the exam at a given moment (the exam
//! date, or now). Every question gets a probability of being answered right at that moment —
//! seen questions their FSRS retrievability then, unseen ones the mean of a Beta prior updated
//! by the learner's own first attempts in that domain (Beta(1, 1) before any) — and seeded draws
//! of an exam by the blueprint's weights, scored as the mock exam scores, give the predicted
//! scaled score (the median), an 80% band (10th–90th percentiles) and the chance of passing,
//! overall, per domain and per task statement. Pure: the caller passes the data and the moment.

use std::collections::{HashMap, HashSet};

/// One modelled question: recall, domain index, task index, seen.
type Modelled = (f64, usize, Option<usize>, bool);

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::schedule::Scheduler;
use super::store::{ReviewRecord, StoredItem};
use super::time::Moment;
use crate::content::{Blueprint, Library, scaled_score};

/// Draws behind a forecast (enough for stable 10th/90th percentiles, cheap enough for ホーム).
pub const DRAWS: usize = 2000;

/// The forecast for the whole exam, a domain or a task statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// The domain key or task number ("" for the whole exam).
    pub key: String,
    /// Its Japanese name.
    pub name: String,
    /// Questions in the content.
    pub questions: usize,
    /// Of those, answered at least once.
    pub seen: usize,
    /// The mean probability of a right answer, 0–1.
    pub expected: f64,
    /// The predicted scaled score: the median of the draws.
    pub predicted: u32,
    /// The 80% band's lower end (10th percentile).
    pub low: u32,
    /// The 80% band's upper end (90th percentile).
    pub high: u32,
    /// The share of draws at or above the passing score.
    pub pass_probability: f64,
}

/// The forecast `shikaku stats --json` prints as `readiness` and ホーム shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    /// The moment forecast for (RFC 3339).
    pub at: String,
    /// Whether that is the exam date (else it is now).
    pub exam_date: bool,
    /// The predicted scaled score.
    pub predicted: u32,
    /// The 80% band.
    pub low: u32,
    /// The 80% band.
    pub high: u32,
    /// The chance of reaching the passing score.
    pub pass_probability: f64,
    /// The passing score.
    pub passing_score: u32,
    /// Per domain, in blueprint order.
    pub domains: Vec<Part>,
    /// Per task statement, weakest (lowest expected) first.
    pub tasks: Vec<Part>,
}

/// What a forecast needs from the progress.
pub struct Inputs<'a> {
    /// The content.
    pub library: &'a Library,
    /// The exam.
    pub blueprint: &'a Blueprint,
    /// Item states by id.
    pub items: &'a HashMap<String, StoredItem>,
    /// The review log, oldest first.
    pub reviews: &'a [ReviewRecord],
    /// For retrievability.
    pub scheduler: &'a Scheduler,
}

/// The 10th, 50th and 90th percentiles of `values` (sorted in place).
fn percentiles(values: &mut [u32]) -> (u32, u32, u32) {
    if values.is_empty() {
        return (0, 0, 0);
    }
    values.sort_unstable();
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    (at(0.1), at(0.5), at(0.9))
}

/// The probability of a right answer for every question of the blueprint's domains, with the
/// question's domain and task indices.
fn probabilities(inputs: &Inputs<'_>, at: Moment) -> Vec<(f64, usize, Option<usize>, bool)> {
    let blueprint = inputs.blueprint;
    // First attempts per domain: (right, wrong).
    let mut first: HashMap<&str, (u32, u32)> = HashMap::new();
    let mut attempted: HashSet<&str> = HashSet::new();
    let domain_of: HashMap<&str, &str> = inputs
        .library
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.domain.as_str()))
        .collect();
    for review in inputs.reviews {
        let Some(domain) = domain_of.get(review.item.as_str()) else {
            continue;
        };
        if attempted.insert(review.item.as_str()) {
            let counts = first.entry(domain).or_default();
            if review.rating.is_pass() {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
    }
    let task_index: HashMap<&str, usize> = blueprint
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut out = Vec::with_capacity(inputs.library.questions.len());
    for q in &inputs.library.questions {
        let Some(domain) = blueprint.domains.iter().position(|d| d.key == q.domain) else {
            continue;
        };
        let task = q.task.as_deref().and_then(|t| task_index.get(t).copied());
        let recall = inputs
            .items
            .get(&q.id)
            .and_then(|s| inputs.scheduler.retrievability(&s.state, at));
        let (p, seen) = match recall {
            Some(r) => (f64::from(r), true),
            None => {
                let (right, wrong) = first.get(q.domain.as_str()).copied().unwrap_or((0, 0));
                // The mean of Beta(1 + right, 1 + wrong).
                (f64::from(1 + right) / f64::from(2 + right + wrong), false)
            }
        };
        out.push((p.clamp(0.0, 1.0), domain, task, seen));
    }
    out
}

/// The forecast at `at` from `draws` seeded exams.
pub fn forecast(
    inputs: &Inputs<'_>,
    at: Moment,
    exam_date: bool,
    seed: u64,
    draws: usize,
) -> Readiness {
    let blueprint = inputs.blueprint;
    let questions = probabilities(inputs, at);
    let domains = blueprint.domains.len();
    let tasks = blueprint.tasks.len();
    let mut pools: Vec<Vec<usize>> = vec![Vec::new(); domains];
    for (i, q) in questions.iter().enumerate() {
        pools[q.1].push(i);
    }
    let count = (blueprint.questions as usize).min(questions.len());
    let mut quota: Vec<usize> = blueprint
        .allocate(count)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    // A domain with fewer questions than its share gives the rest to the others, as the mock
    // exam fills a short domain.
    let mut spare = 0;
    for (d, n) in quota.iter_mut().enumerate() {
        if *n > pools[d].len() {
            spare += *n - pools[d].len();
            *n = pools[d].len();
        }
    }
    while spare > 0 {
        let Some(d) = (0..domains).find(|&d| quota[d] < pools[d].len()) else {
            break;
        };
        quota[d] += 1;
        spare -= 1;
    }
    let scale = blueprint.scale;
    let pass = blueprint.passing_score;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut totals: Vec<u32> = Vec::with_capacity(draws);
    let mut by_domain: Vec<Vec<u32>> = vec![Vec::with_capacity(draws); domains];
    let mut by_task: Vec<Vec<u32>> = vec![Vec::new(); tasks];
    let mut task_right = vec![0usize; tasks];
    let mut task_total = vec![0usize; tasks];
    for _ in 0..draws {
        let (mut right, mut total) = (0usize, 0usize);
        task_right.iter_mut().for_each(|n| *n = 0);
        task_total.iter_mut().for_each(|n| *n = 0);
        for d in 0..domains {
            let pool = &mut pools[d];
            let n = quota[d];
            let mut domain_right = 0;
            // A partial Fisher–Yates shuffle: the first n are a uniform sample.
            for k in 0..n {
                let j = rng.random_range(k..pool.len());
                pool.swap(k, j);
                let (p, _, task, _) = questions[pool[k]];
                let ok = rng.random::<f64>() < p;
                domain_right += usize::from(ok);
                if let Some(t) = task {
                    task_total[t] += 1;
                    task_right[t] += usize::from(ok);
                }
            }
            right += domain_right;
            total += n;
            if n > 0 {
                by_domain[d].push(scaled_score(domain_right, n, scale));
            }
        }
        totals.push(scaled_score(right, total, scale));
        for t in 0..tasks {
            if task_total[t] > 0 {
                by_task[t].push(scaled_score(task_right[t], task_total[t], scale));
            }
        }
    }
    let share = |values: &[u32]| {
        if values.is_empty() {
            0.0
        } else {
            values.iter().filter(|&&v| v >= pass).count() as f64 / values.len() as f64
        }
    };
    let part = |key: &str, name: &str, keep: &dyn Fn(&Modelled) -> bool, values: &mut Vec<u32>| {
        let members: Vec<_> = questions.iter().filter(|q| keep(q)).collect();
        let expected = if members.is_empty() {
            0.0
        } else {
            members.iter().map(|q| q.0).sum::<f64>() / members.len() as f64
        };
        let pass_probability = share(values);
        let (low, predicted, high) = percentiles(values);
        Part {
            key: key.to_string(),
            name: name.to_string(),
            questions: members.len(),
            seen: members.iter().filter(|q| q.3).count(),
            expected,
            predicted,
            low,
            high,
            pass_probability,
        }
    };
    let domain_parts: Vec<Part> = blueprint
        .domains
        .iter()
        .enumerate()
        .map(|(d, domain)| part(&domain.key, &domain.name, &|q| q.1 == d, &mut by_domain[d]))
        .collect();
    let mut task_parts: Vec<Part> = blueprint
        .tasks
        .iter()
        .enumerate()
        .map(|(t, task)| part(&task.id, &task.title, &|q| q.2 == Some(t), &mut by_task[t]))
        .filter(|p| p.questions > 0)
        .collect();
    task_parts.sort_by(|a, b| a.expected.total_cmp(&b.expected).then(a.key.cmp(&b.key)));
    let pass_probability = share(&totals);
    let (low, predicted, high) = percentiles(&mut totals);
    Readiness {
        at: at.to_rfc3339(),
        exam_date,
        predicted,
        low,
        high,
        pass_probability,
        passing_score: pass,
        domains: domain_parts,
        tasks: task_parts,
    }
}
