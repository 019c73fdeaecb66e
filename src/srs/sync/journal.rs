//! The journal file format: one JSON object per line. The first line is a header naming the
//! format version and the device; every other line is one event with the device's sequence
//! number `n`. Reading never fails on a bad line: it is skipped and reported, so a journal cut
//! off by a partial upload still gives every complete line.

use serde::{Deserialize, Serialize};

use super::notice::Notice;
use crate::srs::time::Moment;

/// The journal version this build writes and reads.
pub const JOURNAL_VERSION: u32 = 1;

/// The first line of every journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always "shikaku-journal".
    pub format: String,
    /// The journal version.
    pub version: u32,
    /// The device that writes the file.
    pub device: String,
}

impl Header {
    /// The header of this build's journals for `device`.
    pub fn new(device: &str) -> Self {
        Self {
            format: "shikaku-journal".into(),
            version: JOURNAL_VERSION,
            device: device.into(),
        }
    }
}

/// One thing that happened on a device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// An answer (identity: item + time).
    Review {
        /// The item id.
        item: String,
        /// When it was answered (RFC 3339 with offset).
        time: String,
        /// 1–4.
        rating: u8,
        /// How long the answer took.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer_ms: Option<u32>,
        /// The chosen choice ids.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        chosen: Vec<String>,
    },
    /// An answer taken back (the review with this item and time).
    Undo {
        /// The item id.
        item: String,
        /// The time of the review taken back.
        time: String,
    },
    /// Suspended or unsuspended (last writer wins by `at`).
    Suspend {
        /// The item id.
        item: String,
        /// Suspended or not.
        on: bool,
        /// When the change was made.
        at: String,
    },
    /// Flagged to look at again, or the flag taken off (last writer wins by `at`).
    Flag {
        /// The item id.
        item: String,
        /// Flagged or not.
        on: bool,
        /// When the change was made.
        at: String,
    },
    /// Buried until a study day, or unburied (last writer wins by `at`).
    Bury {
        /// The item id.
        item: String,
        /// The study day (days since 1970-01-01) it is hidden until; none: not buried.
        until_day: Option<i32>,
        /// When the change was made.
        at: String,
    },
    /// A finished mock exam (identity: exam + start time).
    Exam {
        /// The blueprint id.
        exam: String,
        /// When it started.
        started: String,
        /// When it ended.
        finished: String,
        /// The scaled score.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scaled_score: Option<u32>,
        /// The answers as the exam screen records them.
        #[serde(default)]
        answers: serde_json::Value,
        /// Per-domain results.
        #[serde(default)]
        domains: serde_json::Value,
    },
}

/// One event line as written: the device's sequence number and the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The device's sequence number (1, 2, …), so the order of a device's events is known even
    /// across conflict copies of its file.
    pub n: u64,
    /// The event.
    #[serde(flatten)]
    pub event: Event,
}

/// An event read from a file, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// The device that wrote it.
    pub device: String,
    /// Its sequence number.
    pub n: u64,
    /// The time it carries (a review's time, or when a change was made), parsed once.
    pub at: Moment,
    /// The event.
    pub event: Event,
}

/// What one journal file holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A journal of this version (or older): its device and events.
    Journal {
        /// The header.
        header: Header,
        /// The events, in file order.
        events: Vec<Read>,
        /// Whether the file ends in the middle of a line (a partial upload or an interrupted
        /// write): the next append starts on a new line.
        ends_mid_line: bool,
    },
    /// A journal written by a newer shikaku: left alone.
    TooNew {
        /// Its version.
        version: u32,
        /// Its device, when the header says.
        device: Option<String>,
    },
    /// Not a journal at all (no header line).
    NotJournal,
}

/// Parses a journal's text; problems with single lines go to `notices`.
pub fn parse(file: &str, text: &str, notices: &mut Vec<Notice>) -> Parsed {
    let ends_mid_line = !text.is_empty() && !text.ends_with('\n');
    let mut lines = text.split_inclusive('\n').enumerate();
    let header = loop {
        let Some((_, first)) = lines.next() else {
            return Parsed::NotJournal;
        };
        if first.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(first.trim()) {
            Ok(value) => value,
            Err(_) => return Parsed::NotJournal,
        };
        if value.get("format").and_then(|f| f.as_str()) != Some("shikaku-journal") {
            return Parsed::NotJournal;
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        let device = value
            .get("device")
            .and_then(|d| d.as_str())
            .map(str::to_string);
        if version > u64::from(JOURNAL_VERSION) {
            return Parsed::TooNew {
                version: u32::try_from(version).unwrap_or(u32::MAX),
                device,
            };
        }
        match serde_json::from_value::<Header>(value) {
            Ok(header) if !header.device.trim().is_empty() => break header,
            _ => return Parsed::NotJournal,
        }
    };
    let events = parse_lines(file, lines, &header.device, notices);
    Parsed::Journal {
        header,
        events,
        ends_mid_line,
    }
}

/// Parses the event lines of `device`'s journal, each with its 0-based line index (the part
/// appended since the last read starts after the lines read before).
pub fn parse_lines<'a>(
    file: &str,
    lines: impl Iterator<Item = (usize, &'a str)>,
    device: &str,
    notices: &mut Vec<Notice>,
) -> Vec<Read> {
    let mut events = Vec::new();
    for (index, raw) in lines {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<RawLine>(line) {
            Ok(raw) if !KNOWN_KINDS.contains(&raw.kind.as_str()) => {
                notices.push(Notice::UnknownEvent {
                    file: file.into(),
                    line: index + 1,
                    kind: raw.kind,
                });
            }
            Ok(raw) => match raw
                .into_line()
                .and_then(|Line { n, event }| check(&event).map(|at| (n, at, event)))
            {
                Ok((n, at, event)) => events.push(Read {
                    device: device.to_string(),
                    n,
                    at,
                    event,
                }),
                Err(reason) => notices.push(Notice::BadLine {
                    file: file.into(),
                    line: index + 1,
                    reason,
                }),
            },
            Err(err) => {
                let cut = !raw.ends_with('\n');
                let kind = serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|v| v.get("kind")?.as_str().map(str::to_string));
                notices.push(if cut {
                    Notice::CutOff {
                        file: file.into(),
                        line: index + 1,
                    }
                } else if let Some(kind) = kind.filter(|k| !KNOWN_KINDS.contains(&k.as_str())) {
                    Notice::UnknownEvent {
                        file: file.into(),
                        line: index + 1,
                        kind,
                    }
                } else {
                    Notice::BadLine {
                        file: file.into(),
                        line: index + 1,
                        reason: err.to_string(),
                    }
                });
            }
        }
    }
    events
}

/// A line as read: every field of every kind, flat. (Reading through the tagged [`Event`]
/// would make serde buffer each line first, several times slower on a long journal.) Fields a
/// newer shikaku adds are ignored.
#[derive(Debug, Deserialize)]
struct RawLine {
    n: u64,
    kind: String,
    item: Option<String>,
    time: Option<String>,
    rating: Option<u8>,
    answer_ms: Option<u32>,
    #[serde(default)]
    chosen: Vec<String>,
    on: Option<bool>,
    at: Option<String>,
    until_day: Option<i32>,
    exam: Option<String>,
    started: Option<String>,
    finished: Option<String>,
    scaled_score: Option<u32>,
    #[serde(default)]
    answers: serde_json::Value,
    #[serde(default)]
    domains: serde_json::Value,
}

impl RawLine {
    fn into_line(self) -> Result<Line, String> {
        fn need<T>(value: Option<T>, field: &str) -> Result<T, String> {
            value.ok_or_else(|| format!("{field} がありません"))
        }
        let event = match self.kind.as_str() {
            "review" => Event::Review {
                item: need(self.item, "item")?,
                time: need(self.time, "time")?,
                rating: need(self.rating, "rating")?,
                answer_ms: self.answer_ms,
                chosen: self.chosen,
            },
            "undo" => Event::Undo {
                item: need(self.item, "item")?,
                time: need(self.time, "time")?,
            },
            "suspend" => Event::Suspend {
                item: need(self.item, "item")?,
                on: need(self.on, "on")?,
                at: need(self.at, "at")?,
            },
            "flag" => Event::Flag {
                item: need(self.item, "item")?,
                on: need(self.on, "on")?,
                at: need(self.at, "at")?,
            },
            "bury" => Event::Bury {
                item: need(self.item, "item")?,
                until_day: self.until_day,
                at: need(self.at, "at")?,
            },
            "exam" => Event::Exam {
                exam: need(self.exam, "exam")?,
                started: need(self.started, "started")?,
                finished: need(self.finished, "finished")?,
                scaled_score: self.scaled_score,
                answers: self.answers,
                domains: self.domains,
            },
            other => return Err(format!("知らない記録の種類です({other})")),
        };
        Ok(Line { n: self.n, event })
    }
}

const KNOWN_KINDS: [&str; 6] = ["review", "undo", "suspend", "flag", "bury", "exam"];

/// Checks what serde cannot (times parse, ratings are 1–4, ids are not empty) and returns the
/// event's time.
fn check(event: &Event) -> Result<Moment, String> {
    let time = Moment::parse_rfc3339;
    match event {
        Event::Review {
            item,
            time: t,
            rating,
            ..
        } => {
            if item.is_empty() {
                return Err("item が空です".into());
            }
            if !(1..=4).contains(rating) {
                return Err(format!("rating は1〜4の数です({rating})"));
            }
            time(t)
        }
        Event::Undo { item, time: t } => {
            if item.is_empty() {
                return Err("item が空です".into());
            }
            time(t)
        }
        Event::Suspend { at, .. } | Event::Flag { at, .. } | Event::Bury { at, .. } => time(at),
        Event::Exam {
            started, finished, ..
        } => time(finished).and_then(|_| time(started)),
    }
}

/// The text of lines to append: each event as one JSON line.
pub fn render(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&serde_json::to_string(line).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The header line.
pub fn render_header(header: &Header) -> String {
    serde_json::to_string(header).unwrap_or_default() + "\n"
}
