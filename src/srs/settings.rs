//! Scheduler settings: a plain struct with the defaults the design fixes; the config file fills
//! it later (`serde(default)`, so a partial config keeps the other defaults).

use serde::{Deserialize, Serialize};

/// When a study day starts, local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayStart {
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
}

impl DayStart {
    /// Seconds after midnight.
    pub fn seconds(self) -> u32 {
        u32::from(self.hour.min(23)) * 3600 + u32::from(self.minute.min(59)) * 60
    }
}

impl Default for DayStart {
    fn default() -> Self {
        Self { hour: 4, minute: 0 }
    }
}

/// How new items are ordered in the daily queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NewOrder {
    /// Domains interleaved by blueprint weight; a topic card, then its questions.
    #[default]
    Blueprint,
    /// Content order, cards and questions alternating (the order before the blueprint one).
    File,
}

/// Everything the scheduler and the queue can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The recall probability intervals aim for (0.7–0.99).
    pub desired_retention: f32,
    /// New topic cards introduced per study day.
    pub daily_new_cards: u32,
    /// New questions introduced per study day.
    pub daily_new_questions: u32,
    /// An old config's single limit: at most this many new cards and questions together.
    pub daily_new_limit: Option<u32>,
    /// How new items are ordered.
    pub new_order: NewOrder,
    /// The real exam's date, "YYYY-MM-DD": intervals that would come due on or after it are
    /// shortened so the item is seen once more before it.
    pub exam_date: Option<String>,
    /// When a study day starts.
    pub day_start: DayStart,
    /// The longest interval, in days.
    pub max_interval_days: u32,
    /// Learning steps of a new item, in seconds (1 min, 10 min).
    pub learning_steps: Vec<u32>,
    /// Relearning steps after a lapse, in seconds (10 min).
    pub relearning_steps: Vec<u32>,
    /// Lapses that make an item a leech (tagged and suspended).
    pub leech_threshold: u32,
    /// Whether review intervals get a small deterministic random spread.
    pub fuzz: bool,
    /// How far ahead learning items may be shown when nothing else is due, in seconds.
    pub learn_ahead_seconds: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            desired_retention: 0.9,
            daily_new_cards: 10,
            daily_new_questions: 15,
            daily_new_limit: None,
            new_order: NewOrder::Blueprint,
            exam_date: None,
            day_start: DayStart::default(),
            max_interval_days: 36_500,
            learning_steps: vec![60, 600],
            relearning_steps: vec![600],
            leech_threshold: 8,
            fuzz: true,
            learn_ahead_seconds: 20 * 60,
        }
    }
}

impl Settings {
    /// The desired retention, clamped to what FSRS handles sensibly.
    pub fn retention(&self) -> f32 {
        self.desired_retention.clamp(0.7, 0.99)
    }

    /// The exam's study day, when a valid date is set.
    pub fn exam_day(&self) -> Option<super::time::Day> {
        let date = self
            .exam_date
            .as_deref()?
            .parse::<jiff::civil::Date>()
            .ok()?;
        Some(super::time::Day::from_date(date))
    }

    /// The interval in days for a review on `today`, kept in view of the exam: an interval
    /// that would come due on the exam day or after it, given at least two days before the
    /// exam, is cut to half the days left (rounded up), so the item comes due once more before
    /// the exam — and again at half the rest when it is answered then.
    pub fn exam_interval(&self, today: super::time::Day, days: u32) -> u32 {
        let Some(exam) = self.exam_day() else {
            return days;
        };
        let left = exam.0 - today.0;
        if left >= 2 && i64::from(days) >= i64::from(left) {
            ((left + 1) / 2) as u32
        } else {
            days
        }
    }

    /// The maximum interval, at least one day.
    pub fn max_interval(&self) -> u32 {
        self.max_interval_days.max(1)
    }

    /// Whether reaching `lapses` makes an item a leech (at the threshold, then every half of it).
    pub fn is_leech_lapse(&self, lapses: u32) -> bool {
        let threshold = self.leech_threshold;
        if threshold == 0 || lapses < threshold {
            return false;
        }
        let every = (threshold / 2).max(1);
        (lapses - threshold).is_multiple_of(every)
    }
}
