//! Writing the review log: record answers, undo the last one, import a backup, and recompute
//! the derived state of an item from its log.

use std::collections::BTreeSet;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::{NewReview, Recorded, ReviewRecord, Store, read_setting, sql, write_setting};
use crate::srs::schedule::{ItemState, Scheduler};
use crate::srs::time::Moment;
use crate::srs::{Rating, SrsError};

/// What an undo took back.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The reviews removed (one answer: a question and the misconceptions it showed).
    pub reviews: Vec<ReviewRecord>,
    /// The item to show again (the answer's first review).
    pub item: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Reviews added.
    pub added: usize,
    /// Reviews already in the store (same item and time), skipped.
    pub duplicates: usize,
    /// Items whose state was recomputed.
    pub items: usize,
}

impl Store {
    /// Records one answer durably and returns the item's new state.
    pub fn record(&mut self, review: &NewReview) -> Result<Recorded, SrsError> {
        let mut out = self.record_all(std::slice::from_ref(review))?;
        Ok(out.remove(0))
    }

    /// Records the reviews of one answer (a question and the misconceptions it showed) in one
    /// durable transaction; undo takes them back together.
    pub fn record_all(&mut self, reviews: &[NewReview]) -> Result<Vec<Recorded>, SrsError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql(&path))?;
        let group: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(answer_group), 0) + 1 FROM reviews",
                [],
                |r| r.get(0),
            )
            .map_err(sql(&path))?;
        let mut out = Vec::with_capacity(reviews.len());
        for review in reviews {
            let lapses_before: u32 = tx
                .query_row(
                    "SELECT lapses FROM item_state WHERE item = ?1",
                    [&review.item],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql(&path))?
                .unwrap_or(0);
            let inserted = insert(&tx, &path, &self.scheduler, review, Some(group), "app")?;
            let state = recompute_item(&tx, &path, &self.scheduler, &review.item)?
                .unwrap_or_else(ItemState::new_item);
            let became_leech = inserted.is_some()
                && state.lapses > lapses_before
                && self.scheduler.settings().is_leech_lapse(state.lapses);
            if let Some(fingerprint) = review.fingerprint {
                tx.execute(
                    "INSERT INTO item_flags (item, fingerprint) VALUES (?1, ?2)
                     ON CONFLICT (item) DO UPDATE
                     SET fingerprint = COALESCE(item_flags.fingerprint, excluded.fingerprint)",
                    params![review.item, fingerprint as i64],
                )
                .map_err(sql(&path))?;
            }
            if let (true, Some(id)) = (became_leech, inserted) {
                tx.execute(
                    "INSERT INTO item_flags (item, suspended, leech) VALUES (?1, 1, 1)
                     ON CONFLICT (item) DO UPDATE SET suspended = 1, leech = 1",
                    [&review.item],
                )
                .map_err(sql(&path))?;
                tx.execute("UPDATE reviews SET auto_suspended = 1 WHERE id = ?1", [id])
                    .map_err(sql(&path))?;
            }
            out.push(Recorded {
                review_id: inserted.unwrap_or(0),
                item: review.item.clone(),
                state,
                became_leech,
            });
        }
        tx.commit().map_err(sql(&path))?;
        Ok(out)
    }

    /// Takes back the last answer recorded in the app (also after a restart): its reviews are
    /// removed, a leech suspension it caused is lifted, and the state is recomputed.
    pub fn undo_last(&mut self) -> Result<Option<Undone>, SrsError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql(&path))?;
        let group: Option<i64> = tx
            .query_row(
                "SELECT answer_group FROM reviews WHERE source = 'app' AND answer_group IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql(&path))?;
        let Some(group) = group else {
            return Ok(None);
        };
        let reviews: Vec<ReviewRecord> = {
            let mut stmt = tx
                .prepare(&format!(
                    "{} WHERE answer_group = ?1 ORDER BY id",
                    super::REVIEW_SELECT
                ))
                .map_err(sql(&path))?;
            let rows = stmt
                .query_map([group], super::read_review)
                .map_err(sql(&path))?;
            rows.collect::<Result<_, _>>().map_err(sql(&path))?
        };
        tx.execute(
            "UPDATE item_flags SET suspended = 0, leech = 0 WHERE item IN
             (SELECT item FROM reviews WHERE answer_group = ?1 AND auto_suspended = 1)",
            [group],
        )
        .map_err(sql(&path))?;
        // Remembered so a sync tells the other devices (an undo is an event of its own).
        tx.execute(
            "INSERT OR IGNORE INTO sync_undone (item, time_ms)
             SELECT item, time_ms FROM reviews WHERE answer_group = ?1",
            [group],
        )
        .map_err(sql(&path))?;
        tx.execute("DELETE FROM reviews WHERE answer_group = ?1", [group])
            .map_err(sql(&path))?;
        let items: BTreeSet<&str> = reviews.iter().map(|r| r.item.as_str()).collect();
        for item in items {
            recompute_item(&tx, &path, &self.scheduler, item)?;
        }
        tx.commit().map_err(sql(&path))?;
        let item = reviews.first().map(|r| r.item.clone()).unwrap_or_default();
        Ok(Some(Undone { reviews, item }))
    }

    /// Merges reviews from a backup: a review already present (same item and time) is skipped,
    /// and the state of every touched item is recomputed. Items past the leech threshold are
    /// tagged (not suspended). The work is committed in batches of [`IMPORT_BATCH`] reviews, so
    /// a long import never holds the write lock for long: another instance saving an answer in
    /// the meantime waits a moment, not the whole import.
    pub fn import(&mut self, reviews: &[NewReview]) -> Result<ImportReport, SrsError> {
        let mut report = ImportReport {
            added: 0,
            duplicates: 0,
            items: 0,
        };
        let mut all_touched = BTreeSet::new();
        for batch in reviews.chunks(IMPORT_BATCH) {
            let touched = self.import_batch(batch, &mut report)?;
            all_touched.extend(touched);
        }
        report.items = all_touched.len();
        Ok(report)
    }

    fn import_batch(
        &mut self,
        reviews: &[NewReview],
        report: &mut ImportReport,
    ) -> Result<BTreeSet<String>, SrsError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql(&path))?;
        let mut touched = BTreeSet::new();
        for review in reviews {
            match insert(&tx, &path, &self.scheduler, review, None, "import")? {
                Some(_) => {
                    report.added += 1;
                    touched.insert(review.item.clone());
                }
                None => report.duplicates += 1,
            }
        }
        let threshold = self.scheduler.settings().leech_threshold;
        for item in &touched {
            let state = recompute_item(&tx, &path, &self.scheduler, item)?;
            if threshold > 0 && state.is_some_and(|s| s.lapses >= threshold) {
                tx.execute(
                    "INSERT INTO item_flags (item, leech) VALUES (?1, 1)
                     ON CONFLICT (item) DO UPDATE SET leech = 1",
                    [item],
                )
                .map_err(sql(&path))?;
            }
        }
        tx.commit().map_err(sql(&path))?;
        Ok(touched)
    }

    /// Recomputes every item when the settings or parameters differ from those the stored
    /// state was computed with.
    pub(super) fn recompute_if_scheduler_changed(&mut self) -> Result<(), SrsError> {
        let path = self.path.clone();
        let current = scheduler_key(&self.scheduler);
        let stored: Option<serde_json::Value> = read_setting(&self.conn, &path, "scheduler")?;
        if stored.as_ref() == Some(&current) {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql(&path))?;
        recompute_all(&tx, &path, &self.scheduler)?;
        write_setting(&tx, &path, "scheduler", &current)?;
        tx.commit().map_err(sql(&path))
    }
}

pub(super) fn scheduler_key(scheduler: &Scheduler) -> serde_json::Value {
    serde_json::json!({
        "settings": scheduler.settings(),
        "parameters": scheduler.parameters(),
    })
}

/// Reviews committed per import transaction: small enough that the lock is held for
/// milliseconds, large enough that an import of 100,000 reviews is not slowed by commits.
pub const IMPORT_BATCH: usize = 500;

/// Appends one review; `None` when the same item already has a review at that time.
fn insert(
    conn: &Connection,
    path: &Path,
    scheduler: &Scheduler,
    review: &NewReview,
    group: Option<i64>,
    source: &str,
) -> Result<Option<i64>, SrsError> {
    let previous: Option<(i64, i32)> = conn
        .prepare_cached(
            "SELECT time_ms, offset_s FROM reviews WHERE item = ?1 AND time_ms < ?2
             ORDER BY time_ms DESC LIMIT 1",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![review.item, review.at.millis()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
        })
        .map_err(sql(path))?;
    let elapsed = previous
        .and_then(|(ms, off)| Moment::from_millis(ms, off))
        .map_or(0, |prev| scheduler.elapsed_days(prev, review.at));
    let chosen = serde_json::to_string(&review.chosen).unwrap_or_else(|_| "[]".into());
    let changed = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO reviews
             (item, time_ms, offset_s, rating, elapsed_days, answer_ms, chosen, answer_group, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                review.item,
                review.at.millis(),
                review.at.offset_seconds(),
                review.rating.number(),
                elapsed,
                review.answer_ms,
                chosen,
                group,
                source,
            ])
        })
        .map_err(sql(path))?;
    Ok((changed > 0).then(|| conn.last_insert_rowid()))
}

/// Replays an item's log and writes its derived state (fixing logged elapsed days that a merge
/// changed); `None` and no state row when it has no reviews.
pub(super) fn recompute_item(
    conn: &Connection,
    path: &Path,
    scheduler: &Scheduler,
    item: &str,
) -> Result<Option<ItemState>, SrsError> {
    let rows: Vec<(i64, Moment, Rating, u32)> = {
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, time_ms, offset_s, rating, elapsed_days FROM reviews
                 WHERE item = ?1 ORDER BY time_ms, id",
            )
            .map_err(sql(path))?;
        let rows = stmt
            .query_map([item], |r| {
                let at = Moment::from_millis(r.get(1)?, r.get(2)?);
                let rating = Rating::from_number(r.get(3)?);
                Ok((r.get::<_, i64>(0)?, at, rating, r.get::<_, u32>(4)?))
            })
            .map_err(sql(path))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, at, rating, elapsed) = row.map_err(sql(path))?;
            if let (Some(at), Some(rating)) = (at, rating) {
                out.push((id, at, rating, elapsed));
            }
        }
        out
    };
    let Some(first) = rows.first() else {
        conn.execute("DELETE FROM item_state WHERE item = ?1", [item])
            .map_err(sql(path))?;
        return Ok(None);
    };
    let first_day = first.1.day(scheduler.settings().day_start);
    let mut state = ItemState::new_item();
    for (id, at, rating, logged) in &rows {
        let elapsed = state
            .last
            .map_or(0, |last| scheduler.elapsed_days(last, *at));
        if elapsed != *logged {
            conn.prepare_cached("UPDATE reviews SET elapsed_days = ?1 WHERE id = ?2")
                .and_then(|mut stmt| stmt.execute(params![elapsed, id]))
                .map_err(sql(path))?;
        }
        state = scheduler.apply(item, &state, *rating, *at)?;
    }
    let memory = state.memory;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO item_state (item, phase, step, stability, difficulty, due_ms,
         due_day, interval_days, reps, lapses, last_ms, last_offset_s, first_day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            item,
            state.phase.code(),
            state.step,
            memory.map(|m| m.stability),
            memory.map(|m| m.difficulty),
            state.due.map(|t| t.as_millisecond()),
            state.due_day.map(|d| d.0),
            state.interval_days,
            state.reps,
            state.lapses,
            state.last.map(|m| m.millis()),
            state.last.map(|m| m.offset_seconds()),
            first_day.0,
        ])
    })
    .map_err(sql(path))?;
    Ok(Some(state))
}

/// Recomputes every item with reviews and drops state rows without any.
pub(super) fn recompute_all(
    conn: &Connection,
    path: &Path,
    scheduler: &Scheduler,
) -> Result<usize, SrsError> {
    conn.execute(
        "DELETE FROM item_state WHERE item NOT IN (SELECT item FROM reviews)",
        [],
    )
    .map_err(sql(path))?;
    let items: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT DISTINCT item FROM reviews")
            .map_err(sql(path))?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(sql(path))?;
        rows.collect::<Result<_, _>>().map_err(sql(path))?
    };
    for item in &items {
        recompute_item(conn, path, scheduler, item)?;
    }
    Ok(items.len())
}
