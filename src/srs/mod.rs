//! Spaced repetition: scheduling on FSRS-6 (the `fsrs` crate) with the app's learning steps, the
//! SQLite progress store (an append-only review log plus derived state), the daily queue,
//! statistics, export/import and parameter optimization.
//!
//! Everything here takes time as a value ([`Moment`], or a [`jiff::Zoned`] for "now"): nothing
//! reads the clock, so the TUI's `update()` and the tests stay deterministic.

pub mod catalog;
pub mod error;
pub mod exchange;
pub mod grade;
pub mod item_stats;
pub mod optimize;
pub mod queue;
pub mod readiness;
pub mod schedule;
pub mod settings;
pub mod stats;
pub mod store;
pub mod sync;
pub mod time;

pub use catalog::{Catalog, CatalogItem, ItemKind};
pub use error::SrsError;
pub use queue::{QueueEntry, QueueReason, build_queue, day_seed};
pub use schedule::{Interval, ItemState, Memory, NextDue, Phase, Scheduler};
pub use settings::{DayStart, NewOrder, Settings};
pub use store::{
    ContentSync, ExamAttempt, NewReview, Recorded, ReviewRecord, Store, StoredItem, Undone,
};
pub use time::{Day, Moment};

use serde::{Deserialize, Serialize};

/// The four answer buttons, with FSRS's numbering (1 = Again … 4 = Easy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Rating {
    /// もう一度: forgotten.
    Again = 1,
    /// 難しい: recalled with effort.
    Hard = 2,
    /// 正解: recalled.
    Good = 3,
    /// 簡単: recalled effortlessly.
    Easy = 4,
}

impl Rating {
    /// All four, in button order.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The rating from its number (1–4).
    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::Again),
            2 => Some(Self::Hard),
            3 => Some(Self::Good),
            4 => Some(Self::Easy),
            _ => None,
        }
    }

    /// Its number (1–4).
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The button label shown to the learner.
    pub fn label(self) -> &'static str {
        match self {
            Self::Again => "もう一度",
            Self::Hard => "難しい",
            Self::Good => "正解",
            Self::Easy => "簡単",
        }
    }

    /// Whether the item was recalled (anything but Again).
    pub fn is_pass(self) -> bool {
        self != Self::Again
    }
}

impl From<Rating> for u8 {
    fn from(rating: Rating) -> u8 {
        rating.number()
    }
}

impl TryFrom<u8> for Rating {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Self::from_number(n).ok_or_else(|| format!("評価は1〜4の数です({n}は使えません)"))
    }
}
