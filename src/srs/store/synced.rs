//! The store's side of folder sync: the device id, the tables sync keeps (reviews undone here,
//! the last merged value of each flag), and one sync as a single immediate transaction: read the
//! folder, append this device's new events, apply everyone else's, recompute the touched items.
//!
//! The tables are created with `IF NOT EXISTS` rather than by a schema migration: they belong to
//! sync alone, and an older build that opens the database simply ignores them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::{Store, read_setting, sql, write_setting};
use crate::srs::SrsError;
use crate::srs::sync::merge::{self, FlagKind, Key, LocalRow, ReviewData, Snapshot, Winner};
use crate::srs::sync::{self, DeviceStatus, Event, Notice, SyncError, SyncReport, SyncStatus};
use crate::srs::time::Moment;

/// Creates the sync tables when missing.
pub(super) fn ensure_tables(conn: &Connection, path: &Path) -> Result<(), SrsError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS sync_undone (
            item TEXT NOT NULL,
            time_ms INTEGER NOT NULL,
            PRIMARY KEY (item, time_ms)
         ) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS sync_flags (
            item TEXT NOT NULL,
            kind TEXT NOT NULL,
            value INTEGER,
            at_ms INTEGER NOT NULL,
            device TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (item, kind)
         ) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS sync_journals (
            file TEXT PRIMARY KEY,
            device TEXT NOT NULL,
            offset INTEGER NOT NULL,
            lines INTEGER NOT NULL,
            fingerprint TEXT NOT NULL
         ) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS sync_seen (
            item TEXT NOT NULL,
            time_ms INTEGER NOT NULL,
            device TEXT NOT NULL,
            n INTEGER NOT NULL,
            offset_s INTEGER NOT NULL,
            rating INTEGER,
            answer_ms INTEGER,
            chosen TEXT NOT NULL,
            PRIMARY KEY (item, time_ms, device)
         ) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS sync_seen_exams (
            exam TEXT NOT NULL,
            started_ms INTEGER NOT NULL,
            PRIMARY KEY (exam, started_ms)
         ) WITHOUT ROWID;",
    )
    .map_err(sql(path))
}

const DEVICE_KEY: &str = "sync_device_id";
const LAST_SYNC_KEY: &str = "sync_last";

impl Store {
    /// This data directory's device id, made on first use (16 hex digits).
    pub fn device_id(&mut self) -> Result<String, SrsError> {
        let path = self.path.clone();
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(sql(&path))?;
        let id = device_id_in(&tx, &path)?;
        tx.commit().map_err(sql(&path))?;
        Ok(id)
    }

    /// Syncs with the folder: this device's new events are appended to its journal, every
    /// journal is merged, and the touched items are recomputed — all inside one transaction, so
    /// a second instance syncing at the same time waits instead of writing the same events.
    pub fn sync_folder(&mut self, folder: &Path, now: Moment) -> Result<SyncReport, SyncError> {
        let now = whole_millis(now);
        // A merge of many events touches most of the log's pages: with SQLite's default 2 MB
        // cache they would be spilled and read back again and again.
        let _ = self.conn.pragma_update(None, "cache_size", -65_536);
        let result = self.sync_folder_in_tx(folder, now);
        let _ = self.conn.pragma_update(None, "cache_size", -2_000);
        result
    }

    fn sync_folder_in_tx(&mut self, folder: &Path, now: Moment) -> Result<SyncReport, SyncError> {
        let path = self.path.clone();
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(sql(&path))?;
        let device = device_id_in(&tx, &path)?;
        let resume = positions(&tx, &path)?;
        let mut folder_read = sync::read_folder(folder, &device, true, &resume)?;
        let mut snap = snapshot(&tx, &path, self)?;
        snap.foreign_exams = seen_exams(&tx, &path)?;
        // Events of other devices read by earlier syncs, for the reviews this sync decides on.
        let new_events = folder_read.events.len();
        let earlier = earlier_events(&tx, &path, &device, &folder_read.events, &snap)?;
        folder_read.events.extend(earlier);
        let plan = merge::plan(&device, &folder_read.events, &snap, now);
        folder_read.events.truncate(new_events);
        let mut report = SyncReport {
            device: device.clone(),
            held: plan.held,
            files: std::mem::take(&mut folder_read.files),
            notices: std::mem::take(&mut folder_read.notices),
            ..SyncReport::default()
        };
        report.notices.extend(plan.notices.iter().cloned());
        let first_unsent = plan.exports.first().map_or(u64::MAX, |l| l.n);
        let sent = match sync::append(folder, &device, folder_read.own, &plan.exports) {
            Ok(()) => {
                report.sent = plan.exports.len();
                true
            }
            Err(err) => {
                report.notices.push(Notice::ReadOnly {
                    file: sync::journal_path(folder, &device),
                    reason: err.to_string(),
                });
                false
            }
        };

        let elapsed = elapsed_of_inserts(&snap, &plan, &self.scheduler);
        let mut touched: BTreeSet<&str> = BTreeSet::new();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO reviews
                     (item, time_ms, offset_s, rating, elapsed_days, answer_ms, chosen, source)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'sync')",
                )
                .map_err(sql(&path))?;
            for (i, up) in plan.inserts.iter().enumerate() {
                let chosen = serde_json::to_string(&up.data.chosen).unwrap_or_else(|_| "[]".into());
                let added = insert
                    .execute(params![
                        up.key.0,
                        up.key.1,
                        up.data.offset_s,
                        up.data.rating,
                        elapsed[i],
                        up.data.answer_ms,
                        chosen
                    ])
                    .map_err(sql(&path))?;
                if added > 0 {
                    touched.insert(&up.key.0);
                    if up.device == device {
                        report.restored += 1;
                    } else {
                        report.imported += 1;
                    }
                }
            }
        }
        for up in &plan.updates {
            let chosen = serde_json::to_string(&up.data.chosen).unwrap_or_else(|_| "[]".into());
            tx.execute(
                "UPDATE reviews SET offset_s = ?3, rating = ?4, answer_ms = ?5, chosen = ?6
                 WHERE item = ?1 AND time_ms = ?2 AND source = 'sync'",
                params![
                    up.key.0,
                    up.key.1,
                    up.data.offset_s,
                    up.data.rating,
                    up.data.answer_ms,
                    chosen
                ],
            )
            .map_err(sql(&path))?;
            touched.insert(&up.key.0);
            report.changed += 1;
        }
        for key in &plan.deletes {
            tx.execute(
                "DELETE FROM reviews WHERE item = ?1 AND time_ms = ?2 AND source = 'sync'",
                params![key.0, key.1],
            )
            .map_err(sql(&path))?;
            touched.insert(&key.0);
            report.changed += 1;
        }
        let threshold = self.scheduler.settings().leech_threshold;
        for item in &touched {
            let state = super::log::recompute_item(&tx, &path, &self.scheduler, item)?;
            // The leech tag follows the merged log (an undo on the other device lifts it there
            // too); the suspension that came with it syncs as a suspend event.
            let leech = threshold > 0 && state.is_some_and(|s| s.lapses >= threshold);
            tx.execute(
                "INSERT INTO item_flags (item, leech) VALUES (?1, ?2)
                 ON CONFLICT (item) DO UPDATE SET leech = excluded.leech",
                params![item, leech],
            )
            .map_err(sql(&path))?;
        }

        let mut touched_all: BTreeSet<String> = touched.iter().map(|s| s.to_string()).collect();
        touched_all.extend(plan.flags.iter().map(|((item, _), _)| item.clone()));
        report.touched = touched_all.into_iter().collect();
        let mut flagged: BTreeSet<String> =
            read_setting(&tx, &path, "flagged_items")?.unwrap_or_default();
        let mut flagged_changed = false;
        for ((item, kind), winner) in &plan.flags {
            let unsent_own = winner.device == device && winner.n >= first_unsent;
            if unsent_own && !sent {
                // Not in the journal yet: keep it a local change, so the next sync sends it.
                continue;
            }
            if winner.device != device
                && snap.flags.get(&(item.clone(), *kind)).copied() != winner.value
            {
                report.flags += 1;
            }
            match kind {
                FlagKind::Suspend => {
                    tx.execute(
                        "INSERT INTO item_flags (item, suspended) VALUES (?1, ?2)
                         ON CONFLICT (item) DO UPDATE SET suspended = excluded.suspended",
                        params![item, winner.value.is_some()],
                    )
                    .map_err(sql(&path))?;
                }
                FlagKind::Bury => {
                    tx.execute(
                        "INSERT INTO item_flags (item, buried_until_day) VALUES (?1, ?2)
                         ON CONFLICT (item) DO UPDATE SET buried_until_day = excluded.buried_until_day",
                        params![item, winner.value],
                    )
                    .map_err(sql(&path))?;
                }
                FlagKind::Flag => {
                    flagged_changed |= if winner.value.is_some() {
                        flagged.insert(item.clone())
                    } else {
                        flagged.remove(item)
                    };
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO sync_flags (item, kind, value, at_ms, device, n)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    item,
                    kind.code(),
                    winner.value,
                    winner.at_ms,
                    winner.device,
                    winner.n as i64
                ],
            )
            .map_err(sql(&path))?;
        }
        if flagged_changed {
            write_setting(&tx, &path, "flagged_items", &flagged)?;
        }
        for attempt in &plan.exams {
            tx.execute(
                "INSERT INTO exam_attempts (exam, started_ms, started_offset_s, finished_ms,
                 finished_offset_s, answers, scaled_score, domains)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    attempt.exam,
                    attempt.started.millis(),
                    attempt.started.offset_seconds(),
                    attempt.finished.map(|m| m.millis()),
                    attempt.finished.map(|m| m.offset_seconds()),
                    attempt.answers.to_string(),
                    attempt.scaled_score,
                    attempt.domains.to_string()
                ],
            )
            .map_err(sql(&path))?;
            report.exams += 1;
        }
        // Reviews held back for their future time must be read again: nothing is remembered then.
        if plan.held == 0 {
            remember(&tx, &path, &device, &folder_read)?;
        }
        write_setting(&tx, &path, LAST_SYNC_KEY, &now.to_rfc3339())?;
        tx.commit().map_err(sql(&path))?;
        Ok(report)
    }

    /// The devices seen in the folder, their last event and how far this store is behind
    /// each. Nothing is written to the folder (only this data dir's device id, on first use).
    pub fn sync_status(&mut self, folder: &Path, now: Moment) -> Result<SyncStatus, SyncError> {
        let now = whole_millis(now);
        let path = self.path.clone();
        let device = self.device_id()?;
        let folder_read = sync::read_folder(folder, &device, false, &HashMap::new())?;
        let snap = snapshot(&self.conn, &path, self)?;
        let plan = merge::plan(&device, &folder_read.events, &snap, now);
        let mut devices: BTreeMap<String, DeviceStatus> = BTreeMap::new();
        devices.insert(
            device.clone(),
            DeviceStatus {
                device: device.clone(),
                this_device: true,
                events: 0,
                last_event: None,
                behind: 0,
            },
        );
        let mut newest: HashMap<String, Moment> = HashMap::new();
        for read in &folder_read.events {
            let entry = devices
                .entry(read.device.clone())
                .or_insert_with(|| DeviceStatus {
                    device: read.device.clone(),
                    this_device: false,
                    events: 0,
                    last_event: None,
                    behind: 0,
                });
            entry.events += 1;
            let slot = newest.entry(read.device.clone()).or_insert(read.at);
            if read.at.timestamp > slot.timestamp {
                *slot = read.at;
            }
        }
        for (id, at) in newest {
            if let Some(d) = devices.get_mut(&id) {
                d.last_event = Some(at.to_rfc3339());
            }
        }
        for up in plan.inserts.iter().chain(&plan.updates) {
            if let Some(d) = devices.get_mut(&up.device) {
                d.behind += 1;
            }
        }
        if let Some(d) = devices.get_mut(&device) {
            d.behind = plan
                .exports
                .iter()
                .filter(|l| matches!(l.event, Event::Review { .. } | Event::Undo { .. }))
                .count();
        }
        let mut list: Vec<DeviceStatus> = devices.into_values().collect();
        list.sort_by_key(|d| !d.this_device);
        let mut notices = folder_read.notices;
        notices.extend(plan.notices);
        Ok(SyncStatus {
            device,
            folder: folder.display().to_string(),
            last_sync: read_setting(&self.conn, &path, LAST_SYNC_KEY)?,
            devices: list,
            notices,
        })
    }
}

/// The study days since the previous review of each inserted review, from the merged log, so
/// the recompute that follows finds them right (no update per row).
fn elapsed_of_inserts(
    snap: &Snapshot,
    plan: &merge::Plan,
    scheduler: &crate::srs::Scheduler,
) -> Vec<u32> {
    let items: std::collections::HashSet<&str> =
        plan.inserts.iter().map(|u| u.key.0.as_str()).collect();
    let deleted: std::collections::HashSet<&Key> = plan.deletes.iter().collect();
    /// A review's time, offset and index into the inserts (when it is one).
    type Entry = (i64, i32, Option<usize>);
    let mut times: HashMap<&str, Vec<Entry>> = HashMap::new();
    for (key, row) in &snap.reviews {
        if items.contains(key.0.as_str()) && !deleted.contains(key) {
            times
                .entry(key.0.as_str())
                .or_default()
                .push((key.1, row.data.offset_s, None));
        }
    }
    for (i, up) in plan.inserts.iter().enumerate() {
        times
            .entry(up.key.0.as_str())
            .or_default()
            .push((up.key.1, up.data.offset_s, Some(i)));
    }
    let mut out = vec![0; plan.inserts.len()];
    for list in times.values_mut() {
        list.sort_unstable();
        let mut previous: Option<Moment> = None;
        for &(ms, offset, inserted) in list.iter() {
            let Some(at) = Moment::from_millis(ms, offset) else {
                continue;
            };
            if let Some(i) = inserted {
                out[i] = previous.map_or(0, |p| scheduler.elapsed_days(p, at));
            }
            previous = Some(at);
        }
    }
    out
}

impl Store {
    /// Forgets how far other devices' journals were read, so the next sync reads every journal
    /// whole (as the first one did). For tests that compare with a full read.
    pub fn forget_sync_positions(&mut self) -> Result<(), SrsError> {
        self.conn
            .execute_batch(
                "DELETE FROM sync_journals; DELETE FROM sync_seen; DELETE FROM sync_seen_exams;",
            )
            .map_err(sql(&self.path))
    }
}

/// How far each other device's journal was read, by file name.
fn positions(conn: &Connection, path: &Path) -> Result<HashMap<String, sync::Position>, SrsError> {
    let mut stmt = conn
        .prepare("SELECT file, device, offset, lines, fingerprint FROM sync_journals")
        .map_err(sql(path))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                sync::Position {
                    device: r.get(1)?,
                    offset: r.get::<_, i64>(2)?.max(0) as u64,
                    lines: r.get::<_, i64>(3)?.max(0) as usize,
                    fingerprint: u64::from_str_radix(&r.get::<_, String>(4)?, 16).unwrap_or(0),
                },
            ))
        })
        .map_err(sql(path))?;
    rows.map(|r| r.map_err(sql(path))).collect()
}

/// Mock exams other devices' journals have given.
fn seen_exams(
    conn: &Connection,
    path: &Path,
) -> Result<std::collections::HashSet<(String, i64)>, SrsError> {
    let mut stmt = conn
        .prepare("SELECT exam, started_ms FROM sync_seen_exams")
        .map_err(sql(path))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql(path))?;
    rows.map(|r| r.map_err(sql(path))).collect()
}

/// Each other device's latest event, read by an earlier sync, for every review this sync may
/// decide on: those with an event read now (from a device's journal, this one's read whole)
/// and those taken back here, except reviews recorded here (a merge never changes them). With
/// them the plan decides each of those reviews as if every journal had been read whole.
fn earlier_events(
    conn: &Connection,
    path: &Path,
    own: &str,
    events: &[sync::Read],
    snap: &Snapshot,
) -> Result<Vec<sync::Read>, SrsError> {
    let mut keys: BTreeSet<(&str, i64)> = BTreeSet::new();
    for read in events {
        if let Event::Review { item, .. } | Event::Undo { item, .. } = &read.event {
            keys.insert((item.as_str(), read.at.millis()));
        }
    }
    keys.extend(
        snap.tombstones
            .iter()
            .map(|(item, ms)| (item.as_str(), *ms)),
    );
    keys.retain(|&(item, ms)| {
        snap.reviews
            .get(&(item.to_string(), ms))
            .is_none_or(|row| row.synced)
    });
    let mut out = Vec::new();
    if keys.is_empty() {
        return Ok(out);
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT device, n, offset_s, rating, answer_ms, chosen FROM sync_seen
             WHERE item = ?1 AND time_ms = ?2 AND device <> ?3",
        )
        .map_err(sql(path))?;
    for (item, ms) in keys {
        let mut rows = stmt.query(params![item, ms, own]).map_err(sql(path))?;
        while let Some(r) = rows.next().map_err(sql(path))? {
            let offset_s: i32 = r.get(2).map_err(sql(path))?;
            let Some(at) = Moment::from_millis(ms, offset_s) else {
                continue;
            };
            let rating: Option<u8> = r.get(3).map_err(sql(path))?;
            let chosen: String = r.get(5).map_err(sql(path))?;
            let event = match rating {
                Some(rating) => Event::Review {
                    item: item.to_string(),
                    time: at.to_rfc3339(),
                    rating,
                    answer_ms: r.get(4).map_err(sql(path))?,
                    chosen: serde_json::from_str(&chosen).unwrap_or_default(),
                },
                None => Event::Undo {
                    item: item.to_string(),
                    time: at.to_rfc3339(),
                },
            };
            out.push(sync::Read {
                device: r.get(0).map_err(sql(path))?,
                n: r.get::<_, i64>(1).map_err(sql(path))? as u64,
                at,
                event,
            });
        }
    }
    Ok(out)
}

/// Remembers what this sync read of other devices' journals: how far, each review's latest
/// event per device, and their mock exams.
fn remember(
    conn: &Connection,
    path: &Path,
    own: &str,
    read: &sync::Folder,
) -> Result<(), SrsError> {
    let mut seen = conn
        .prepare_cached(
            "INSERT INTO sync_seen (item, time_ms, device, n, offset_s, rating, answer_ms, chosen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (item, time_ms, device) DO UPDATE SET n = excluded.n,
                offset_s = excluded.offset_s, rating = excluded.rating,
                answer_ms = excluded.answer_ms, chosen = excluded.chosen
             WHERE excluded.n > sync_seen.n",
        )
        .map_err(sql(path))?;
    for event in read.events.iter().filter(|e| e.device != own) {
        let at = &event.at;
        match &event.event {
            Event::Review {
                item,
                rating,
                answer_ms,
                chosen,
                ..
            } => {
                let chosen = serde_json::to_string(chosen).unwrap_or_else(|_| "[]".into());
                seen.execute(params![
                    item,
                    at.millis(),
                    event.device,
                    event.n as i64,
                    at.offset_seconds(),
                    rating,
                    answer_ms,
                    chosen
                ])
                .map_err(sql(path))?;
            }
            Event::Undo { item, .. } => {
                seen.execute(params![
                    item,
                    at.millis(),
                    event.device,
                    event.n as i64,
                    at.offset_seconds(),
                    Option::<u8>::None,
                    Option::<u32>::None,
                    "[]"
                ])
                .map_err(sql(path))?;
            }
            Event::Exam { exam, .. } => {
                conn.execute(
                    "INSERT OR IGNORE INTO sync_seen_exams (exam, started_ms) VALUES (?1, ?2)",
                    params![exam, at.millis()],
                )
                .map_err(sql(path))?;
            }
            _ => {}
        }
    }
    for (file, position) in &read.positions {
        conn.execute(
            "INSERT OR REPLACE INTO sync_journals (file, device, offset, lines, fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                file,
                position.device,
                position.offset as i64,
                position.lines as i64,
                format!("{:016x}", position.fingerprint)
            ],
        )
        .map_err(sql(path))?;
    }
    Ok(())
}

/// Times in journals and the store are whole milliseconds.
fn whole_millis(now: Moment) -> Moment {
    Moment::from_millis(now.millis(), now.offset_seconds()).unwrap_or(now)
}

fn device_id_in(conn: &Connection, path: &Path) -> Result<String, SrsError> {
    if let Some(id) = read_setting::<String>(conn, path, DEVICE_KEY)?.filter(|id| !id.is_empty()) {
        return Ok(id);
    }
    let id = format!("{:016x}", rand::random::<u64>());
    write_setting(conn, path, DEVICE_KEY, &id)?;
    Ok(id)
}

/// The store as the merge sees it.
fn snapshot(conn: &Connection, path: &Path, store: &Store) -> Result<Snapshot, SrsError> {
    let mut snap = Snapshot::default();
    {
        let mut stmt = conn
            .prepare(
                "SELECT item, time_ms, offset_s, rating, answer_ms, chosen, source FROM reviews",
            )
            .map_err(sql(path))?;
        let mut rows = stmt.query([]).map_err(sql(path))?;
        while let Some(r) = rows.next().map_err(sql(path))? {
            let chosen: String = r.get(5).map_err(sql(path))?;
            let source: String = r.get(6).map_err(sql(path))?;
            let key: Key = (r.get(0).map_err(sql(path))?, r.get(1).map_err(sql(path))?);
            let data = ReviewData {
                offset_s: r.get(2).map_err(sql(path))?,
                rating: r.get(3).map_err(sql(path))?,
                answer_ms: r.get(4).map_err(sql(path))?,
                chosen: if chosen == "[]" {
                    Vec::new()
                } else {
                    serde_json::from_str(&chosen).unwrap_or_default()
                },
            };
            snap.reviews.insert(
                key,
                LocalRow {
                    data,
                    synced: source == "sync",
                },
            );
        }
    }
    {
        let mut stmt = conn
            .prepare("SELECT item, time_ms FROM sync_undone")
            .map_err(sql(path))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql(path))?;
        for row in rows {
            snap.tombstones.insert(row.map_err(sql(path))?);
        }
    }
    {
        let mut stmt = conn
            .prepare(
                "SELECT item, suspended, buried_until_day FROM item_flags
                 WHERE suspended = 1 OR buried_until_day IS NOT NULL",
            )
            .map_err(sql(path))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, Option<i32>>(2)?,
                ))
            })
            .map_err(sql(path))?;
        for row in rows {
            let (item, suspended, buried) = row.map_err(sql(path))?;
            if suspended {
                snap.flags.insert((item.clone(), FlagKind::Suspend), 1);
            }
            if let Some(day) = buried {
                snap.flags.insert((item, FlagKind::Bury), day);
            }
        }
    }
    let flagged: BTreeSet<String> = read_setting(conn, path, "flagged_items")?.unwrap_or_default();
    for item in flagged {
        snap.flags.insert((item, FlagKind::Flag), 1);
    }
    {
        let mut stmt = conn
            .prepare("SELECT item, kind, value, at_ms, device, n FROM sync_flags")
            .map_err(sql(path))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    Winner {
                        value: r.get(2)?,
                        at_ms: r.get(3)?,
                        device: r.get(4)?,
                        n: r.get::<_, i64>(5)? as u64,
                    },
                ))
            })
            .map_err(sql(path))?;
        for row in rows {
            let (item, kind, winner) = row.map_err(sql(path))?;
            if let Some(kind) = FlagKind::from_code(&kind) {
                snap.merged.insert((item, kind), winner);
            }
        }
    }
    snap.exams = store
        .exam_attempts()?
        .into_iter()
        .filter(|a| a.finished.is_some())
        .collect();
    Ok(snap)
}
