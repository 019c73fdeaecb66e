//! The merge, as a pure function: from every journal's events and a snapshot of the store, what
//! to append to this device's journal and what to change in the store. No files, no clock (the
//! time comes in), so the same events in any order give the same plan.
//!
//! - A review's identity is its item and time. Per device, the later event (by sequence number)
//!   of a review and its undo stands; across devices a review stands if any device has it.
//! - Flags, suspensions and burials: the last writer wins by the change's timestamp (then the
//!   device id and sequence number, so ties are decided the same way everywhere). A local change
//!   is stamped after the value it replaces, so a clock that is behind cannot lose it.
//! - Reviews recorded here (source app or import) are never changed by a merge: a remote event
//!   only adds, changes or removes reviews that came from the folder.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::journal::{Event, Line, Read};
use super::notice::Notice;
use crate::srs::store::ExamAttempt;
use crate::srs::time::Moment;

/// A review's identity: item and Unix milliseconds.
pub type Key = (String, i64);

/// How far ahead of this device's clock a review may be before it is held back.
const FUTURE_SLACK_MS: i64 = 24 * 3600 * 1000;

/// What a review says besides its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewData {
    /// The UTC offset of the answer, in seconds.
    pub offset_s: i32,
    /// 1–4.
    pub rating: u8,
    /// How long the answer took.
    pub answer_ms: Option<u32>,
    /// The chosen choice ids.
    pub chosen: Vec<String>,
}

/// A review in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalRow {
    /// What it says.
    pub data: ReviewData,
    /// It came from the folder (source `sync`), not from this device.
    pub synced: bool,
}

/// The per-item values that sync by last writer wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlagKind {
    /// Suspended (value 1).
    Suspend,
    /// Flagged to look at again (value 1).
    Flag,
    /// Buried until a study day (the day).
    Bury,
}

impl FlagKind {
    /// The name stored in `sync_flags`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Suspend => "suspend",
            Self::Flag => "flag",
            Self::Bury => "bury",
        }
    }

    /// From the stored name.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "suspend" => Some(Self::Suspend),
            "flag" => Some(Self::Flag),
            "bury" => Some(Self::Bury),
            _ => None,
        }
    }
}

/// A flag's value with the change that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Winner {
    /// None: off (not suspended, not flagged, not buried).
    pub value: Option<i32>,
    /// When the change was made.
    pub at_ms: i64,
    /// Who made it.
    pub device: String,
    /// Its sequence number on that device.
    pub n: u64,
}

impl Winner {
    fn rank(&self) -> (i64, &str, u64) {
        (self.at_ms, self.device.as_str(), self.n)
    }
}

/// The store as the merge needs it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Every review.
    pub reviews: HashMap<Key, LocalRow>,
    /// Reviews taken back on this device.
    pub tombstones: HashSet<Key>,
    /// The flags that are on now (item, kind → value).
    pub flags: HashMap<(String, FlagKind), i32>,
    /// The values the last merge decided, with their changes.
    pub merged: HashMap<(String, FlagKind), Winner>,
    /// Finished mock exams.
    pub exams: Vec<ExamAttempt>,
    /// Mock exams other devices' journals gave in earlier syncs (not this device's to send).
    pub foreign_exams: HashSet<(String, i64)>,
}

/// A review to add or change in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upsert {
    /// Its identity.
    pub key: Key,
    /// What it says.
    pub data: ReviewData,
    /// The device whose event decided it (this device: its own journal gave it back).
    pub device: String,
}

/// What a sync does.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Lines to append to this device's journal.
    pub exports: Vec<Line>,
    /// Reviews to add (source `sync`).
    pub inserts: Vec<Upsert>,
    /// Synced reviews whose rating or details changed.
    pub updates: Vec<Upsert>,
    /// Synced reviews taken back on their device.
    pub deletes: Vec<Key>,
    /// Flag values to write (to the store and to `sync_flags`).
    pub flags: Vec<((String, FlagKind), Winner)>,
    /// Mock exams to add.
    pub exams: Vec<ExamAttempt>,
    /// What to tell the learner.
    pub notices: Vec<Notice>,
    /// Reviews of other devices held back because they lie in the future.
    pub held: usize,
}

struct ReviewEvent<'a> {
    device: &'a str,
    n: u64,
    data: Option<ReviewData>,
}

/// Plans a sync for `own` (this device) from every event read and the store.
pub fn plan(own: &str, events: &[Read], snap: &Snapshot, now: Moment) -> Plan {
    let mut out = Plan::default();
    let now_ms = now.millis();
    let mut reviews: HashMap<Key, Vec<ReviewEvent<'_>>> = HashMap::with_capacity(events.len());
    // The last merge's winners stand unless a later change beats them (the events behind them
    // may not be read again).
    let mut flag_events: HashMap<(String, FlagKind), Winner> = snap.merged.clone();
    let mut exams: BTreeMap<(String, i64), ExamAttempt> = BTreeMap::new();
    let mut own_max_n = 0;
    let mut own_newest: Option<Moment> = None;
    let mut held: BTreeMap<&str, (usize, i64, String)> = BTreeMap::new();
    let mut own_seen: HashMap<u64, &Event> = HashMap::new();
    let mut cloned = false;
    for read in events {
        let mine = read.device == own;
        if mine {
            own_max_n = own_max_n.max(read.n);
            if let Some(previous) = own_seen.insert(read.n, &read.event) {
                cloned |= previous != &read.event;
            }
        }
        let at = read.at;
        if mine && own_newest.is_none_or(|t| at.timestamp > t.timestamp) {
            own_newest = Some(at);
        }
        match &read.event {
            Event::Review {
                item,
                rating,
                answer_ms,
                chosen,
                ..
            } => {
                if !mine && at.millis() > now_ms + FUTURE_SLACK_MS {
                    let entry =
                        held.entry(read.device.as_str())
                            .or_insert((0, i64::MIN, String::new()));
                    entry.0 += 1;
                    if at.millis() > entry.1 {
                        *entry = (entry.0, at.millis(), at.to_rfc3339());
                    }
                    continue;
                }
                reviews
                    .entry((item.clone(), at.millis()))
                    .or_default()
                    .push(ReviewEvent {
                        device: &read.device,
                        n: read.n,
                        data: Some(ReviewData {
                            offset_s: at.offset_seconds(),
                            rating: *rating,
                            answer_ms: *answer_ms,
                            chosen: chosen.clone(),
                        }),
                    });
            }
            Event::Undo { item, .. } => reviews
                .entry((item.clone(), at.millis()))
                .or_default()
                .push(ReviewEvent {
                    device: &read.device,
                    n: read.n,
                    data: None,
                }),
            Event::Suspend { item, on, .. } | Event::Flag { item, on, .. } => {
                let kind = if matches!(read.event, Event::Suspend { .. }) {
                    FlagKind::Suspend
                } else {
                    FlagKind::Flag
                };
                offer(
                    &mut flag_events,
                    (item.clone(), kind),
                    on.then_some(1),
                    at,
                    read,
                );
            }
            Event::Bury {
                item, until_day, ..
            } => offer(
                &mut flag_events,
                (item.clone(), FlagKind::Bury),
                *until_day,
                at,
                read,
            ),
            Event::Exam {
                exam,
                finished,
                scaled_score,
                answers,
                domains,
                ..
            } => {
                let key = (exam.clone(), at.millis());
                exams.entry(key).or_insert_with(|| ExamAttempt {
                    id: None,
                    exam: exam.clone(),
                    started: at,
                    finished: Moment::parse_rfc3339(finished).ok(),
                    answers: answers.clone(),
                    scaled_score: *scaled_score,
                    domains: domains.clone(),
                });
            }
        }
    }
    if cloned {
        out.notices
            .push(Notice::SameDeviceElsewhere { device: own.into() });
    }
    if let Some(newest) = own_newest.filter(|t| t.millis() > now_ms + 60_000) {
        out.notices.push(Notice::ClockBehind {
            newest: newest.to_rfc3339(),
        });
    }
    for (device, (count, _, latest)) in held {
        out.held += count;
        out.notices.push(Notice::FutureEvents {
            device: device.into(),
            held: count,
            latest,
        });
    }

    let mut next_n = own_max_n;
    let mut export = |event: Event, out: &mut Plan| -> u64 {
        next_n += 1;
        out.exports.push(Line { n: next_n, event });
        next_n
    };

    // Reviews: what this device has that its journal does not say yet.
    let own_latest = |key: &Key, reviews: &HashMap<Key, Vec<ReviewEvent<'_>>>| {
        reviews.get(key).and_then(|list| {
            list.iter()
                .filter(|e| e.device == own)
                .max_by_key(|e| e.n)
                .map(|e| e.data.clone())
        })
    };
    let mut local: Vec<(&Key, &LocalRow)> =
        snap.reviews.iter().filter(|(_, row)| !row.synced).collect();
    local.sort_by(|a, b| (a.0.1, &a.0.0).cmp(&(b.0.1, &b.0.0)));
    for (key, row) in local {
        if own_latest(key, &reviews) != Some(Some(row.data.clone())) {
            let at = moment(key.1, row.data.offset_s);
            let n = export(
                Event::Review {
                    item: key.0.clone(),
                    time: at.to_rfc3339(),
                    rating: row.data.rating,
                    answer_ms: row.data.answer_ms,
                    chosen: row.data.chosen.clone(),
                },
                &mut out,
            );
            reviews.entry(key.clone()).or_default().push(ReviewEvent {
                device: own,
                n,
                data: Some(row.data.clone()),
            });
        }
    }
    let mut undone: Vec<(Key, i32)> = reviews
        .iter()
        .filter(|(key, _)| !snap.reviews.contains_key(*key) && snap.tombstones.contains(*key))
        .filter_map(|(key, _)| match own_latest(key, &reviews) {
            Some(Some(data)) => Some((key.clone(), data.offset_s)),
            _ => None,
        })
        .collect();
    undone.sort_by(|a, b| (a.0.1, &a.0.0).cmp(&(b.0.1, &b.0.0)));
    for (key, offset) in undone {
        let n = export(
            Event::Undo {
                item: key.0.clone(),
                time: moment(key.1, offset).to_rfc3339(),
            },
            &mut out,
        );
        if let Some(list) = reviews.get_mut(&key) {
            list.push(ReviewEvent {
                device: own,
                n,
                data: None,
            });
        }
    }

    // Reviews: what the folder says, applied to the reviews that came from it.
    let mut keys: Vec<&Key> = reviews.keys().collect();
    keys.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    for key in keys {
        let list = &reviews[key];
        // Per device its latest event; the review stands if any device's latest is a review
        // (the greatest device id decides its details, the same everywhere).
        let mut latest: Vec<&ReviewEvent<'_>> = Vec::with_capacity(list.len());
        for e in list {
            match latest.iter_mut().find(|l| l.device == e.device) {
                Some(slot) if e.n > slot.n => *slot = e,
                Some(_) => {}
                None => latest.push(e),
            }
        }
        latest.sort_by(|a, b| b.device.cmp(a.device));
        let winner = latest
            .iter()
            .find_map(|e| e.data.as_ref().map(|d| (e.device, d)));
        match (snap.reviews.get(key), winner) {
            (Some(row), _) if !row.synced => {}
            (Some(row), Some((device, data))) if row.data != *data => out.updates.push(Upsert {
                key: key.clone(),
                data: data.clone(),
                device: device.into(),
            }),
            (Some(_), Some(_)) => {}
            (Some(_), None) => out.deletes.push(key.clone()),
            (None, Some((device, data))) => {
                let own_undo = snap.tombstones.contains(key)
                    && latest.iter().any(|e| e.device == own && e.data.is_none());
                if !own_undo {
                    out.inserts.push(Upsert {
                        key: key.clone(),
                        data: data.clone(),
                        device: device.into(),
                    });
                }
            }
            (None, None) => {}
        }
    }

    // Flags: a local change since the last merge becomes an event, then the last writer wins.
    let mut flag_keys: Vec<&(String, FlagKind)> =
        snap.flags.keys().chain(snap.merged.keys()).collect();
    flag_keys.sort();
    flag_keys.dedup();
    for key in flag_keys {
        let local = snap.flags.get(key).copied();
        let merged = snap.merged.get(key);
        if local == merged.and_then(|w| w.value) {
            continue;
        }
        let at_ms = merged.map_or(now_ms, |w| now_ms.max(w.at_ms + 1));
        let at = Moment {
            timestamp: jiff::Timestamp::from_millisecond(at_ms).unwrap_or(now.timestamp),
            offset: now.offset,
        };
        let item = key.0.clone();
        let event = match key.1 {
            FlagKind::Suspend => Event::Suspend {
                item,
                on: local.is_some(),
                at: at.to_rfc3339(),
            },
            FlagKind::Flag => Event::Flag {
                item,
                on: local.is_some(),
                at: at.to_rfc3339(),
            },
            FlagKind::Bury => Event::Bury {
                item,
                until_day: local,
                at: at.to_rfc3339(),
            },
        };
        let n = export(event, &mut out);
        let candidate = Winner {
            value: local,
            at_ms,
            device: own.into(),
            n,
        };
        let slot = flag_events.entry(key.clone()).or_insert(candidate.clone());
        if candidate.rank() > slot.rank() {
            *slot = candidate;
        }
    }
    let mut decided: Vec<_> = flag_events.into_iter().collect();
    decided.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, winner) in decided {
        let merged_same = snap.merged.get(&key) == Some(&winner);
        let local_same = snap.flags.get(&key).copied() == winner.value;
        if !(merged_same && local_same) {
            out.flags.push((key, winner));
        }
    }

    // Mock exams: each finished attempt once.
    let known: HashSet<(String, i64)> = snap
        .exams
        .iter()
        .map(|a| (a.exam.clone(), a.started.millis()))
        .collect();
    let own_exams: HashSet<(String, i64)> = events
        .iter()
        .filter(|r| r.device == own)
        .filter_map(|r| match &r.event {
            Event::Exam { exam, .. } => Some((exam.clone(), r.at.millis())),
            _ => None,
        })
        .collect();
    let mut local_exams: Vec<&ExamAttempt> = snap.exams.iter().collect();
    local_exams.sort_by_key(|a| (a.started.millis(), a.exam.clone()));
    for attempt in local_exams {
        let (Some(finished), key) = (
            attempt.finished,
            (attempt.exam.clone(), attempt.started.millis()),
        ) else {
            continue;
        };
        if !own_exams.contains(&key)
            && !exams.contains_key(&key)
            && !snap.foreign_exams.contains(&key)
        {
            export(
                Event::Exam {
                    exam: attempt.exam.clone(),
                    started: attempt.started.to_rfc3339(),
                    finished: finished.to_rfc3339(),
                    scaled_score: attempt.scaled_score,
                    answers: attempt.answers.clone(),
                    domains: attempt.domains.clone(),
                },
                &mut out,
            );
        }
    }
    out.exams = exams
        .into_iter()
        .filter(|(key, _)| !known.contains(key))
        .map(|(_, attempt)| attempt)
        .collect();
    out
}

fn offer(
    events: &mut HashMap<(String, FlagKind), Winner>,
    key: (String, FlagKind),
    value: Option<i32>,
    at: Moment,
    read: &Read,
) {
    let candidate = Winner {
        value,
        at_ms: at.millis(),
        device: read.device.clone(),
        n: read.n,
    };
    let slot = events.entry(key).or_insert_with(|| candidate.clone());
    if candidate.rank() > slot.rank() {
        *slot = candidate;
    }
}

fn moment(ms: i64, offset_s: i32) -> Moment {
    Moment::from_millis(ms, offset_s).unwrap_or(Moment {
        timestamp: jiff::Timestamp::UNIX_EPOCH,
        offset: jiff::tz::Offset::UTC,
    })
}
