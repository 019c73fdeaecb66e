//! The progress store: SQLite at `<data dir>/progress.sqlite3`. The review log is append-only
//! and the source of truth; `item_state` is derived from it (recomputed inside the same
//! transaction as each write), so two instances writing at once lose nothing. Every write is an
//! immediate transaction committed with WAL + `synchronous=FULL` before it returns.

mod exams;
mod items;
mod log;
pub mod schema;
mod synced;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

pub use exams::ExamAttempt;
pub use items::ContentSync;
pub use log::{ImportReport, Undone};

use super::schedule::{ItemState, Memory, NextDue, Phase, Scheduler};
use super::settings::Settings;
use super::time::{Day, Moment};
use super::{Rating, SrsError};

/// One answer to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReview {
    /// The item id.
    pub item: String,
    /// When it was answered.
    pub at: Moment,
    /// The rating.
    pub rating: Rating,
    /// How long the answer took.
    pub answer_ms: Option<u32>,
    /// The chosen choice ids (questions).
    pub chosen: Vec<String>,
    /// The item's content fingerprint, remembered at the first review to notice edits.
    pub fingerprint: Option<u64>,
}

/// One review from the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRecord {
    /// Row id (log order).
    pub id: i64,
    /// The item id.
    pub item: String,
    /// When.
    #[serde(skip)]
    pub at: Moment,
    /// The rating.
    pub rating: Rating,
    /// Study days since the item's previous review.
    pub elapsed_days: u32,
    /// How long the answer took.
    pub answer_ms: Option<u32>,
    /// The chosen choice ids.
    pub chosen: Vec<String>,
    /// "app" or "import".
    pub source: String,
}

/// What recording one answer did.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The new log row (0 when the same review was already there).
    pub review_id: i64,
    /// The item id.
    pub item: String,
    /// The item's state now.
    pub state: ItemState,
    /// This answer made the item a leech (it is tagged and suspended).
    pub became_leech: bool,
}

/// An item's derived state and flags.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    /// The item id.
    pub id: String,
    /// The scheduling state.
    pub state: ItemState,
    /// The study day of its first review.
    pub first_day: Option<Day>,
    /// Left out of the queue.
    pub suspended: bool,
    /// Forgotten too often (tagged at the leech threshold).
    pub leech: bool,
    /// Left out of the queue until this study day.
    pub buried_until: Option<Day>,
    /// The content changed since it was studied: show 「内容が更新されました」.
    pub content_changed: bool,
}

/// The open progress database with the scheduler in force.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    scheduler: Scheduler,
    warnings: Vec<String>,
}

pub(super) fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> SrsError + '_ {
    move |source| SrsError::from_sqlite(path, source)
}

impl Store {
    /// Opens `<data_dir>/progress.sqlite3` (see [`Store::open`]).
    pub fn open_in(data_dir: &Path, settings: Settings) -> Result<Self, SrsError> {
        Self::open(&crate::paths::progress_db(data_dir), settings)
    }

    /// Opens or creates the database. A foreign or damaged file is refused with an error naming
    /// it and the newest backup, and never written to. Old schemas are backed up, then migrated.
    /// Saved FSRS parameters are loaded; when they or the settings changed since the last open,
    /// every item's state is recomputed from the log.
    pub fn open(path: &Path, settings: Settings) -> Result<Self, SrsError> {
        let conn = schema::open(path)?;
        synced::ensure_tables(&conn, path)?;
        schema::remove_stale_temporaries(path);
        // A backup that cannot be written (a full disk) is worth a warning, never a refusal to
        // start: the database itself is intact.
        let mut warnings = Vec::new();
        if let Err(err) = schema::daily_backup(&conn, path) {
            let size_mb = std::fs::metadata(path)
                .map_or(0, |m| m.len())
                .div_ceil(1024 * 1024);
            warnings.push(format!(
                "日ごとのバックアップを書けませんでした(空きが約 {} MB 必要です): {err}",
                size_mb.max(1)
            ));
        }
        let parameters: Vec<f32> =
            read_setting(&conn, path, "fsrs_parameters")?.unwrap_or_default();
        let scheduler = Scheduler::new(settings, &parameters)?;
        let mut store = Self {
            conn,
            path: path.into(),
            scheduler,
            warnings,
        };
        store.recompute_if_scheduler_changed()?;
        Ok(store)
    }

    /// Problems met while opening that did not stop it (a backup that could not be written).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The scheduler in force (settings and FSRS parameters).
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// The raw connection, for checks (`PRAGMA integrity_check`) and tools.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The stored state and flags of one item (`None` if it was never reviewed nor flagged).
    pub fn item(&self, id: &str) -> Result<Option<StoredItem>, SrsError> {
        let state = self
            .conn
            .query_row(
                &format!("{STATE_SELECT} WHERE s.item = ?1"),
                [id],
                read_stored,
            )
            .optional()
            .map_err(sql(&self.path))?;
        if state.is_some() {
            return Ok(state);
        }
        self.conn
            .query_row(
                &format!("{FLAGS_ONLY_SELECT} WHERE f.item = ?1"),
                [id],
                read_stored,
            )
            .optional()
            .map_err(sql(&self.path))
    }

    /// Every item the store knows (reviewed or flagged), by id.
    pub fn items(&self) -> Result<HashMap<String, StoredItem>, SrsError> {
        let mut out = HashMap::new();
        for query in [
            STATE_SELECT.to_string(),
            format!("{FLAGS_ONLY_SELECT} WHERE s.item IS NULL"),
        ] {
            let mut stmt = self.conn.prepare(&query).map_err(sql(&self.path))?;
            let rows = stmt.query_map([], read_stored).map_err(sql(&self.path))?;
            for row in rows {
                let item = row.map_err(sql(&self.path))?;
                out.insert(item.id.clone(), item);
            }
        }
        Ok(out)
    }

    /// An item's reviews, oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<ReviewRecord>, SrsError> {
        self.reviews_where("WHERE item = ?1 ORDER BY time_ms, id", [id])
    }

    /// The whole log, oldest first.
    pub fn all_reviews(&self) -> Result<Vec<ReviewRecord>, SrsError> {
        self.reviews_where("ORDER BY time_ms, id", [])
    }

    fn reviews_where<P: rusqlite::Params>(
        &self,
        clause: &str,
        params: P,
    ) -> Result<Vec<ReviewRecord>, SrsError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{REVIEW_SELECT} {clause}"))
            .map_err(sql(&self.path))?;
        let rows = stmt
            .query_map(params, read_review)
            .map_err(sql(&self.path))?;
        rows.collect::<Result<_, _>>().map_err(sql(&self.path))
    }

    /// What each button would do for this item now (shown on the buttons before answering).
    pub fn preview(&self, id: &str, now: Moment) -> Result<[NextDue; 4], SrsError> {
        let state = self.item(id)?.map_or_else(ItemState::new_item, |s| s.state);
        self.scheduler.preview(id, &state, now)
    }

    /// The FSRS parameters saved by `optimize` (empty: the defaults).
    pub fn saved_parameters(&self) -> Result<Vec<f32>, SrsError> {
        Ok(read_setting(&self.conn, &self.path, "fsrs_parameters")?.unwrap_or_default())
    }

    /// Puts other settings in force (an exam date set from ホーム); every item is recomputed
    /// from the log when they change what scheduling does, as on open.
    pub fn set_settings(&mut self, settings: Settings) -> Result<(), SrsError> {
        self.scheduler = self.scheduler.with_settings(settings);
        self.recompute_if_scheduler_changed()
    }

    /// Saves personal FSRS parameters and recomputes every item with them.
    pub fn set_parameters(&mut self, parameters: &[f32]) -> Result<(), SrsError> {
        let scheduler = Scheduler::new(self.scheduler.settings().clone(), parameters)?;
        write_setting(
            &self.conn,
            &self.path,
            "fsrs_parameters",
            &scheduler.parameters(),
        )?;
        self.scheduler = scheduler;
        self.recompute_if_scheduler_changed()
    }
}

/// A setting stored as JSON.
pub(super) fn read_setting<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    path: &Path,
    key: &str,
) -> Result<Option<T>, SrsError> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()
        .map_err(sql(path))?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

pub(super) fn write_setting<T: Serialize + ?Sized>(
    conn: &Connection,
    path: &Path,
    key: &str,
    value: &T,
) -> Result<(), SrsError> {
    let text = serde_json::to_string(value).unwrap_or_default();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, &text],
    )
    .map_err(sql(path))?;
    Ok(())
}

const REVIEW_SELECT: &str = "SELECT id, item, time_ms, offset_s, rating, elapsed_days, answer_ms, chosen, source FROM reviews";

fn read_review(row: &Row<'_>) -> rusqlite::Result<ReviewRecord> {
    let rating: u8 = row.get(4)?;
    let chosen: String = row.get(7)?;
    Ok(ReviewRecord {
        id: row.get(0)?,
        item: row.get(1)?,
        at: Moment::from_millis(row.get(2)?, row.get(3)?).unwrap_or(Moment {
            timestamp: jiff::Timestamp::UNIX_EPOCH,
            offset: jiff::tz::Offset::UTC,
        }),
        rating: Rating::from_number(rating).unwrap_or(Rating::Again),
        elapsed_days: row.get(5)?,
        answer_ms: row.get(6)?,
        chosen: serde_json::from_str(&chosen).unwrap_or_default(),
        source: row.get(8)?,
    })
}

const STATE_SELECT: &str = "SELECT s.item, s.phase, s.step, s.stability, s.difficulty, s.due_ms, \
     s.due_day, s.interval_days, s.reps, s.lapses, s.last_ms, s.last_offset_s, s.first_day, \
     f.suspended, f.leech, f.buried_until_day, f.content_changed \
     FROM item_state s LEFT JOIN item_flags f ON f.item = s.item";

const FLAGS_ONLY_SELECT: &str = "SELECT f.item, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, NULL, \
     NULL, NULL, f.suspended, f.leech, f.buried_until_day, f.content_changed \
     FROM item_flags f LEFT JOIN item_state s ON s.item = f.item";

fn read_stored(row: &Row<'_>) -> rusqlite::Result<StoredItem> {
    let stability: Option<f32> = row.get(3)?;
    let difficulty: Option<f32> = row.get(4)?;
    let due_ms: Option<i64> = row.get(5)?;
    let last_ms: Option<i64> = row.get(10)?;
    let last_offset: Option<i32> = row.get(11)?;
    let state = ItemState {
        phase: Phase::from_code(row.get(1)?),
        step: row.get(2)?,
        memory: stability
            .zip(difficulty)
            .map(|(stability, difficulty)| Memory {
                stability,
                difficulty,
            }),
        due: due_ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
        due_day: row.get::<_, Option<i32>>(6)?.map(Day),
        interval_days: row.get(7)?,
        reps: row.get(8)?,
        lapses: row.get(9)?,
        last: last_ms.and_then(|ms| Moment::from_millis(ms, last_offset.unwrap_or(0))),
    };
    Ok(StoredItem {
        id: row.get(0)?,
        state,
        first_day: row.get::<_, Option<i32>>(12)?.map(Day),
        suspended: row.get::<_, Option<bool>>(13)?.unwrap_or(false),
        leech: row.get::<_, Option<bool>>(14)?.unwrap_or(false),
        buried_until: row.get::<_, Option<i32>>(15)?.map(Day),
        content_changed: row.get::<_, Option<bool>>(16)?.unwrap_or(false),
    })
}
