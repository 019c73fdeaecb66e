//! Item statistics over a class's progress exports (`shikaku items`): per question the
//! facility, the discrimination (item–rest point-biserial and the upper–lower 27% index), the
//! pick rate of every choice, and flags for the questions worth a look. Pure: exports in,
//! numbers out.

use std::collections::HashMap;

use serde::Serialize;

use super::exchange::ExportFile;
use super::time::Moment;
use crate::content::{Library, QuestionType};

/// Below this many learners an item is not judged (its numbers are still shown).
pub const MIN_ATTEMPTS: usize = 30;
/// Discrimination below this is low.
pub const LOW_DISCRIMINATION: f64 = 0.20;
/// A distractor picked by fewer than this share of learners is dead.
pub const DEAD_DISTRACTOR: f64 = 0.05;
/// Facility above this: too easy.
pub const TOO_EASY: f64 = 0.95;
/// Facility below this: too hard.
pub const TOO_HARD: f64 = 0.20;
/// Share of learners in the upper and the lower group.
pub const GROUP_SHARE: f64 = 0.27;

/// One learner's export, as read.
#[derive(Debug, Clone)]
pub struct LearnerFile {
    /// The anonymous id, or the file name for exports older than the id.
    pub learner: String,
    /// The export.
    pub export: ExportFile,
}

/// Why a question is worth a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// Strong learners get it wrong more often than weak ones.
    NegativeDiscrimination,
    /// It hardly tells strong from weak learners.
    LowDiscrimination,
    /// Nearly nobody gets it right.
    TooHard,
    /// Nearly everybody gets it right.
    TooEasy,
    /// A wrong choice nearly nobody picks.
    DeadDistractor,
    /// Too few learners answered it to judge.
    TooFewAttempts,
}

impl Flag {
    /// The flag as printed.
    pub fn code(self) -> &'static str {
        match self {
            Self::NegativeDiscrimination => "negative-discrimination",
            Self::LowDiscrimination => "low-discrimination",
            Self::TooHard => "too-hard",
            Self::TooEasy => "too-easy",
            Self::DeadDistractor => "dead-distractor",
            Self::TooFewAttempts => "too-few-attempts",
        }
    }
}

/// How often one choice was picked on first attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PickRate {
    /// The choice id.
    pub choice: String,
    /// Whether it is a correct choice.
    pub correct: bool,
    /// Share of first attempts that picked it.
    pub rate: f64,
}

/// The statistics of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    /// The question id.
    pub id: String,
    /// Its domain key.
    pub domain: String,
    /// Its task, if any.
    pub task: Option<String>,
    /// Learners who answered it (one first attempt each).
    pub learners: usize,
    /// Every answer, retries included.
    pub answers: usize,
    /// Share right on the first attempt.
    pub facility: Option<f64>,
    /// Point-biserial correlation of the item with the rest score.
    pub point_biserial: Option<f64>,
    /// Upper 27% facility minus lower 27% facility (by rest score).
    pub upper_lower: Option<f64>,
    /// Pick rates (single and multi).
    pub picks: Vec<PickRate>,
    /// Flags, worst first.
    pub flags: Vec<Flag>,
    /// Dead distractors' ids.
    pub dead_choices: Vec<String>,
    /// Learners still needed before the item can be judged.
    pub learners_needed: usize,
}

/// A summary of one domain or task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    /// The domain key or task id.
    pub key: String,
    /// Questions with at least one answer.
    pub questions: usize,
    /// Mean facility of those.
    pub mean_facility: Option<f64>,
    /// Mean point-biserial of those that have one.
    pub mean_point_biserial: Option<f64>,
    /// Questions with a flag other than too-few-attempts.
    pub flagged: usize,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Learners (distinct ids).
    pub learners: usize,
    /// The content versions seen in the exports, with how many learners each.
    pub content_versions: Vec<(String, usize)>,
    /// Reviews of items the content does not have (ignored).
    pub unknown_items: usize,
    /// Questions, worst first.
    pub questions: Vec<ItemStats>,
    /// Per domain.
    pub domains: Vec<GroupSummary>,
    /// Per task.
    pub tasks: Vec<GroupSummary>,
}

/// One first attempt.
struct Attempt {
    learner: usize,
    right: bool,
    chosen: u64,
}

/// Computes the report. Only questions count (misconceptions and cards in an export are not
/// items of a test); a review is right when its rating is not Again (a wrong answer is always
/// Again). A learner's first attempt at a question is the earliest review of it.
pub fn analyze(library: &Library, files: &[LearnerFile]) -> Report {
    let index: HashMap<&str, usize> = library
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let choice_index: Vec<HashMap<&str, usize>> = library
        .questions
        .iter()
        .map(|q| {
            q.choices
                .iter()
                .enumerate()
                .take(64)
                .map(|(k, c)| (c.id.as_str(), k))
                .collect()
        })
        .collect();
    // Two exports of one learner are one learner.
    let mut learner_ids: HashMap<&str, usize> = HashMap::new();
    for file in files {
        let next = learner_ids.len();
        learner_ids.entry(file.learner.as_str()).or_insert(next);
    }
    let learners = learner_ids.len();
    let mut versions: HashMap<&str, usize> = HashMap::new();
    let mut first: Vec<HashMap<usize, (i64, bool, u64)>> = vec![HashMap::new(); learners];
    let mut answers = vec![0usize; library.questions.len()];
    let mut unknown_items = 0;
    for file in files {
        let learner = learner_ids[file.learner.as_str()];
        if let Some(v) = &file.export.content_version {
            *versions.entry(v.as_str()).or_default() += 1;
        }
        for (order, review) in file.export.reviews.iter().enumerate() {
            let Some(&q) = index.get(review.item.as_str()) else {
                if library.misconception(&review.item).is_none()
                    && library.card(&review.item).is_none()
                {
                    unknown_items += 1;
                }
                continue;
            };
            answers[q] += 1;
            // Reviews are oldest first; the time decides when a file is out of order.
            let at = Moment::parse_rfc3339(&review.time)
                .map(|m| m.millis())
                .unwrap_or(i64::MAX - 1_000_000 + order as i64);
            let chosen = review
                .chosen
                .iter()
                .filter_map(|c| choice_index[q].get(c.as_str()))
                .fold(0u64, |mask, k| mask | (1 << k));
            let attempt = (at, review.rating > 1, chosen);
            first[learner]
                .entry(q)
                .and_modify(|old| {
                    if at < old.0 {
                        *old = attempt;
                    }
                })
                .or_insert(attempt);
        }
    }
    // Totals per learner: right and answered first attempts.
    let totals: Vec<(usize, usize)> = first
        .iter()
        .map(|m| (m.values().filter(|a| a.1).count(), m.len()))
        .collect();
    let mut by_question: Vec<Vec<Attempt>> =
        (0..library.questions.len()).map(|_| Vec::new()).collect();
    for (learner, attempts) in first.iter().enumerate() {
        for (&q, &(_, right, chosen)) in attempts {
            by_question[q].push(Attempt {
                learner,
                right,
                chosen,
            });
        }
    }
    let mut questions: Vec<ItemStats> = library
        .questions
        .iter()
        .zip(by_question.iter_mut())
        .zip(&answers)
        .filter(|((_, attempts), _)| !attempts.is_empty())
        .map(|((q, attempts), &answers)| {
            attempts.sort_unstable_by_key(|a| a.learner);
            item_stats(q, attempts, answers, &totals)
        })
        .collect();
    questions.sort_by(|a, b| {
        worst_key(a)
            .partial_cmp(&worst_key(b))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.id.cmp(&b.id))
    });
    let domains = summarize(&questions, |s| Some(s.domain.clone()));
    let tasks = summarize(&questions, |s| s.task.clone());
    let mut content_versions: Vec<(String, usize)> = versions
        .into_iter()
        .map(|(v, n)| (v.to_string(), n))
        .collect();
    content_versions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Report {
        learners,
        content_versions,
        unknown_items,
        questions,
        domains,
        tasks,
    }
}

/// Worst first: by the worst flag (judged items before unjudged ones), then by discrimination.
fn worst_key(s: &ItemStats) -> (u8, f64) {
    let rank = match s.flags.first() {
        Some(Flag::TooFewAttempts) => 7,
        Some(flag) => *flag as u8,
        None => 6,
    };
    (rank, s.point_biserial.unwrap_or(0.0))
}

fn item_stats(
    q: &crate::content::Question,
    attempts: &[Attempt],
    answers: usize,
    totals: &[(usize, usize)],
) -> ItemStats {
    let n = attempts.len();
    let right = attempts.iter().filter(|a| a.right).count();
    let facility = right as f64 / n as f64;
    // The rest score: the share right of the learner's other answered questions (learners
    // answer different subsets, so a share, not a count; with complete data the two give the
    // same correlation).
    let mut scored: Vec<(f64, bool)> = attempts
        .iter()
        .filter_map(|a| {
            let (total_right, total) = totals[a.learner];
            (total > 1).then(|| {
                let rest = total_right - usize::from(a.right);
                (rest as f64 / (total - 1) as f64, a.right)
            })
        })
        .collect();
    let point_biserial = pearson(&scored);
    let upper_lower = if scored.len() >= 2 {
        scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        let g = ((GROUP_SHARE * scored.len() as f64).round() as usize).max(1);
        let upper = group_share(&scored, g);
        scored.reverse();
        let lower = group_share(&scored, g);
        Some(upper - lower)
    } else {
        None
    };
    let picks: Vec<PickRate> = if matches!(q.kind, QuestionType::Single | QuestionType::Multi) {
        q.choices
            .iter()
            .enumerate()
            .take(64)
            .map(|(k, c)| PickRate {
                choice: c.id.clone(),
                correct: c.correct,
                rate: attempts.iter().filter(|a| a.chosen & (1 << k) != 0).count() as f64
                    / n as f64,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut flags = Vec::new();
    let mut dead_choices = Vec::new();
    let learners_needed = MIN_ATTEMPTS.saturating_sub(n);
    if learners_needed > 0 {
        flags.push(Flag::TooFewAttempts);
    } else {
        match point_biserial {
            Some(r) if r < 0.0 => flags.push(Flag::NegativeDiscrimination),
            Some(r) if r < LOW_DISCRIMINATION => flags.push(Flag::LowDiscrimination),
            _ => {}
        }
        if facility < TOO_HARD {
            flags.push(Flag::TooHard);
        }
        if facility > TOO_EASY {
            flags.push(Flag::TooEasy);
        }
        // Only learners who got it wrong could pick a distractor; an easy item's distractors
        // are rare for that reason, so the rate is over all first attempts, as Moodle's is.
        dead_choices = picks
            .iter()
            .filter(|p| !p.correct && p.rate < DEAD_DISTRACTOR)
            .map(|p| p.choice.clone())
            .collect();
        if !dead_choices.is_empty() {
            flags.push(Flag::DeadDistractor);
        }
    }
    ItemStats {
        id: q.id.clone(),
        domain: q.domain.clone(),
        task: q.task.clone(),
        learners: n,
        answers,
        facility: Some(facility),
        point_biserial,
        upper_lower,
        picks,
        flags,
        dead_choices,
        learners_needed,
    }
}

/// The share right among the first `g` of `sorted`. Learners tied with the last one taken
/// count in proportion (a tied block of 4 with 2 places left counts half of each), so the
/// groups do not depend on the order of equal scores.
fn group_share(sorted: &[(f64, bool)], g: usize) -> f64 {
    let mut taken = 0.0;
    let mut right = 0.0;
    let mut i = 0;
    while i < sorted.len() && (taken as usize) < g {
        let score = sorted[i].0;
        let block: Vec<&(f64, bool)> = sorted[i..]
            .iter()
            .take_while(|s| (s.0 - score).abs() < 1e-12)
            .collect();
        let room = (g as f64 - taken).min(block.len() as f64);
        let block_right = block.iter().filter(|s| s.1).count() as f64;
        right += block_right * room / block.len() as f64;
        taken += room;
        i += block.len();
    }
    right / g as f64
}

/// Pearson correlation of a score with a 0/1 item; none when either does not vary.
fn pearson(pairs: &[(f64, bool)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let mean_x = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = pairs.iter().map(|p| f64::from(u8::from(p.1))).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        let dx = x - mean_x;
        let dy = f64::from(u8::from(y)) - mean_y;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 1e-12 && syy > 1e-12).then(|| sxy / (sxx * syy).sqrt())
}

fn summarize(
    questions: &[ItemStats],
    key: impl Fn(&ItemStats) -> Option<String>,
) -> Vec<GroupSummary> {
    let mut groups: std::collections::BTreeMap<String, Vec<&ItemStats>> = Default::default();
    for s in questions {
        if let Some(k) = key(s) {
            groups.entry(k).or_default().push(s);
        }
    }
    groups
        .into_iter()
        .map(|(key, items)| {
            let mean = |values: Vec<f64>| {
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            };
            GroupSummary {
                key,
                questions: items.len(),
                mean_facility: mean(items.iter().filter_map(|s| s.facility).collect()),
                mean_point_biserial: mean(items.iter().filter_map(|s| s.point_biserial).collect()),
                flagged: items
                    .iter()
                    .filter(|s| s.flags.iter().any(|f| *f != Flag::TooFewAttempts))
                    .count(),
            }
        })
        .collect()
}
