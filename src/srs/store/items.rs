//! Per-item flags: suspend, bury until tomorrow, and content edits (an edited item is flagged,
//! never reset; an item whose id vanished from the content is an orphan and is kept).

use rusqlite::{TransactionBehavior, params};
use serde::Serialize;

use super::{Store, sql};
use crate::srs::SrsError;
use crate::srs::catalog::Catalog;
use crate::srs::time::Moment;

/// The settings key of the flagged items (a JSON list of ids).
const FLAGGED: &str = "flagged_items";

/// What comparing the store with the content found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContentSync {
    /// Items whose content changed since they were studied (now flagged).
    pub changed: Vec<String>,
    /// Ids in the store that the content no longer has (kept, never deleted).
    pub orphans: Vec<String>,
}

impl Store {
    /// Suspends an item (left out of the queue) or lifts the suspension (also of a leech, whose
    /// tag stays).
    pub fn set_suspended(&mut self, id: &str, suspended: bool) -> Result<(), SrsError> {
        self.conn
            .execute(
                "INSERT INTO item_flags (item, suspended) VALUES (?1, ?2)
                 ON CONFLICT (item) DO UPDATE SET suspended = excluded.suspended",
                params![id, suspended],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }

    /// Hides an item until the next study day starts.
    pub fn bury(&mut self, id: &str, now: Moment) -> Result<(), SrsError> {
        let tomorrow = now.day(self.scheduler.settings().day_start).plus(1);
        self.conn
            .execute(
                "INSERT INTO item_flags (item, buried_until_day) VALUES (?1, ?2)
                 ON CONFLICT (item) DO UPDATE SET buried_until_day = excluded.buried_until_day",
                params![id, tomorrow.0],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }

    /// The items the learner flagged to look at again.
    pub fn flagged(&self) -> Result<std::collections::BTreeSet<String>, SrsError> {
        Ok(super::read_setting(&self.conn, &self.path, FLAGGED)?.unwrap_or_default())
    }

    /// Flags an item or takes the flag off. Read and written in one immediate transaction, so
    /// two running instances never lose each other's flags.
    pub fn set_flagged(&mut self, id: &str, flagged: bool) -> Result<(), SrsError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql(&path))?;
        let mut all: std::collections::BTreeSet<String> =
            super::read_setting(&tx, &path, FLAGGED)?.unwrap_or_default();
        if flagged {
            all.insert(id.to_string());
        } else {
            all.remove(id);
        }
        super::write_setting(&tx, &path, FLAGGED, &all)?;
        tx.commit().map_err(sql(&path))
    }

    /// Clears the 「内容が更新されました」 flag once the learner has seen it.
    pub fn acknowledge_change(&mut self, id: &str) -> Result<(), SrsError> {
        self.conn
            .execute(
                "UPDATE item_flags SET content_changed = 0 WHERE item = ?1",
                [id],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }

    /// Compares the store with the loaded content: studied items whose fingerprint changed are
    /// flagged, fingerprints are remembered for studied items that had none, and orphans are
    /// listed. Nothing is deleted.
    pub fn sync_content(&mut self, catalog: &Catalog) -> Result<ContentSync, SrsError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql(&path))?;
        let known: Vec<(String, Option<i64>)> = {
            let mut stmt = tx
                .prepare(
                    "SELECT s.item, f.fingerprint FROM item_state s
                     LEFT JOIN item_flags f ON f.item = s.item ORDER BY s.item",
                )
                .map_err(sql(&path))?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(sql(&path))?;
            rows.collect::<Result<_, _>>().map_err(sql(&path))?
        };
        let mut report = ContentSync::default();
        for (id, stored) in known {
            let Some(item) = catalog.get(&id) else {
                report.orphans.push(id);
                continue;
            };
            let current = item.fingerprint as i64;
            match stored {
                Some(fp) if fp == current => {}
                Some(_) => {
                    tx.execute(
                        "UPDATE item_flags SET fingerprint = ?2, content_changed = 1 WHERE item = ?1",
                        params![id, current],
                    )
                    .map_err(sql(&path))?;
                    report.changed.push(id);
                }
                None => {
                    tx.execute(
                        "INSERT INTO item_flags (item, fingerprint) VALUES (?1, ?2)
                         ON CONFLICT (item) DO UPDATE SET fingerprint = excluded.fingerprint",
                        params![id, current],
                    )
                    .map_err(sql(&path))?;
                }
            }
        }
        tx.commit().map_err(sql(&path))?;
        Ok(report)
    }

    /// Ids with reviews that the content no longer has.
    pub fn orphans(&self, catalog: &Catalog) -> Result<Vec<String>, SrsError> {
        let mut stmt = self
            .conn
            .prepare("SELECT item FROM item_state ORDER BY item")
            .map_err(sql(&self.path))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(sql(&self.path))?;
        let mut out = Vec::new();
        for id in rows {
            let id = id.map_err(sql(&self.path))?;
            if catalog.get(&id).is_none() {
                out.push(id);
            }
        }
        Ok(out)
    }
}
