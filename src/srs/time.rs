//! Time as the scheduler sees it: a [`Moment`] (an instant plus the UTC offset the learner's clock
//! showed) and a study [`Day`] that starts at the configured hour (04:00 by default), so a
//! review at 01:30 still belongs to the evening before.

use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};
use serde::Serialize;

use super::settings::DayStart;

const SECONDS_PER_DAY: i64 = 86_400;

/// An instant together with the UTC offset in force where it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The instant.
    pub timestamp: Timestamp,
    /// The learner's UTC offset at that instant.
    pub offset: Offset,
}

impl Moment {
    /// The moment a zoned time denotes (its offset at that instant is kept).
    pub fn from_zoned(zoned: &Zoned) -> Self {
        Self {
            timestamp: zoned.timestamp(),
            offset: zoned.offset(),
        }
    }

    /// A moment from Unix milliseconds and an offset in seconds (as stored).
    pub fn from_millis(millis: i64, offset_seconds: i32) -> Option<Self> {
        let timestamp = Timestamp::from_millisecond(millis).ok()?;
        let offset = Offset::from_seconds(offset_seconds).ok()?;
        Some(Self { timestamp, offset })
    }

    /// Parses RFC 3339 with an explicit offset (`2025-01-02T21:30:00+09:00`, or `Z`).
    pub fn parse_rfc3339(text: &str) -> Result<Self, String> {
        let message =
            || format!("「{text}」はRFC 3339の日時(例: 2025-01-02T21:30:00+09:00)ではありません");
        let pieces = jiff::fmt::temporal::Pieces::parse(text).map_err(|_| message())?;
        let offset = pieces.offset().ok_or_else(message)?.to_numeric_offset();
        // Well-formed, with an offset, but beyond what a timestamp holds (e.g. the last day of
        // year 9999).
        let timestamp: Timestamp = text
            .parse()
            .map_err(|_| format!("「{text}」は扱える日時の範囲の外です"))?;
        Ok(Self { timestamp, offset })
    }

    /// RFC 3339 with the offset, milliseconds only when present.
    pub fn to_rfc3339(&self) -> String {
        self.timestamp.display_with_offset(self.offset).to_string()
    }

    /// Unix milliseconds.
    pub fn millis(&self) -> i64 {
        self.timestamp.as_millisecond()
    }

    /// The offset in seconds east of UTC.
    pub fn offset_seconds(&self) -> i32 {
        self.offset.seconds()
    }

    /// The study day this moment belongs to.
    pub fn day(&self, day_start: DayStart) -> Day {
        let local = self.timestamp.as_second() + i64::from(self.offset.seconds());
        let shifted = local - i64::from(day_start.seconds());
        Day(shifted.div_euclid(SECONDS_PER_DAY) as i32)
    }

    /// This moment plus whole seconds.
    pub fn plus_seconds(&self, seconds: i64) -> Self {
        let timestamp = self
            .timestamp
            .checked_add(jiff::SignedDuration::from_secs(seconds))
            .unwrap_or(self.timestamp);
        Self {
            timestamp,
            offset: self.offset,
        }
    }

    /// As a zoned time in a fixed-offset zone.
    pub fn to_zoned(&self) -> Zoned {
        self.timestamp.to_zoned(TimeZone::fixed(self.offset))
    }
}

/// A study day, counted in days since 1970-01-01 (a day runs from the day start to the next).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Day(pub i32);

impl Day {
    /// The instant this day starts, for a learner at `offset`.
    pub fn start(self, day_start: DayStart, offset: Offset) -> Timestamp {
        let seconds = i64::from(self.0) * SECONDS_PER_DAY + i64::from(day_start.seconds())
            - i64::from(offset.seconds());
        Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The calendar date the day is named after.
    pub fn date(self) -> jiff::civil::Date {
        jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().days(i64::from(self.0)))
            .unwrap_or(jiff::civil::date(1970, 1, 1))
    }

    /// Days from `earlier` to this day, never negative.
    pub fn days_since(self, earlier: Day) -> u32 {
        (self.0 - earlier.0).max(0) as u32
    }

    /// The study day named after a calendar date.
    pub fn from_date(date: jiff::civil::Date) -> Day {
        let epoch = jiff::civil::date(1970, 1, 1);
        Day((date.duration_since(epoch).as_secs() / SECONDS_PER_DAY) as i32)
    }

    /// The day `n` days later.
    pub fn plus(self, n: i32) -> Day {
        Day(self.0 + n)
    }
}
