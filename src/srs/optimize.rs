//! Personal FSRS parameters: fsrs's `compute_parameters` on the review log, kept only when they
//! predict the log better (lower log loss) than the parameters in force.

use std::collections::BTreeMap;

use fsrs::{ComputeParametersInput, FSRS, FSRSItem, FSRSReview, compute_parameters};
use serde::Serialize;

use super::SrsError;
use super::settings::DayStart;
use super::store::{ReviewRecord, Store};

/// Long-term reviews (on a later study day than the item's previous review, not its first)
/// needed before fitting: below this fsrs only adjusts the initial stabilities.
pub const MIN_TRAINING_REVIEWS: usize = 64;

/// What `optimize` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// Too few long-term reviews.
    NotEnough {
        /// Long-term reviews in the log.
        have: usize,
        /// Needed.
        need: usize,
    },
    /// The fitted parameters predict better and were saved.
    Improved {
        /// Log loss of the parameters in force.
        before: f32,
        /// Log loss of the fitted parameters.
        after: f32,
        /// The saved parameters.
        parameters: Vec<f32>,
    },
    /// The fitted parameters were no better; nothing changed.
    NotImproved {
        /// Log loss of the parameters in force.
        before: f32,
        /// Log loss of the fitted parameters.
        after: f32,
    },
}

/// The training items of a log (sorted by time): for each item, one FSRS item per long-term
/// review holding the history up to it, with day-based elapsed times; plus each one's item index.
pub fn training_items(reviews: &[ReviewRecord], day_start: DayStart) -> (Vec<FSRSItem>, Vec<i64>) {
    let mut by_item: BTreeMap<&str, Vec<&ReviewRecord>> = BTreeMap::new();
    for review in reviews {
        by_item
            .entry(review.item.as_str())
            .or_default()
            .push(review);
    }
    let mut items = Vec::new();
    let mut ids = Vec::new();
    for (index, log) in by_item.values().enumerate() {
        let mut history: Vec<FSRSReview> = Vec::with_capacity(log.len());
        let mut previous = None;
        for review in log {
            let day = review.at.day(day_start);
            let delta_t = previous.map_or(0, |p| day.days_since(p));
            previous = Some(day);
            history.push(FSRSReview {
                rating: u32::from(review.rating.number()),
                delta_t,
            });
            if history.len() > 1 && delta_t > 0 {
                items.push(FSRSItem {
                    reviews: history.clone(),
                });
                ids.push(index as i64);
            }
        }
    }
    (items, ids)
}

/// Fits parameters on the store's log and saves them (recomputing every item) only if better.
pub fn optimize(store: &mut Store) -> Result<Outcome, SrsError> {
    let reviews = store.all_reviews()?;
    let (items, ids) = training_items(&reviews, store.scheduler().settings().day_start);
    if items.len() < MIN_TRAINING_REVIEWS {
        return Ok(Outcome::NotEnough {
            have: items.len(),
            need: MIN_TRAINING_REVIEWS,
        });
    }
    let before = store
        .scheduler()
        .fsrs()
        .evaluate(items.clone(), |_| true)?
        .log_loss;
    let parameters = compute_parameters(ComputeParametersInput {
        train_set: items.clone(),
        card_ids: Some(ids),
        ..ComputeParametersInput::default()
    })?;
    let after = FSRS::new(&parameters)?.evaluate(items, |_| true)?.log_loss;
    if after < before {
        store.set_parameters(&parameters)?;
        Ok(Outcome::Improved {
            before,
            after,
            parameters,
        })
    } else {
        Ok(Outcome::NotImproved { before, after })
    }
}
