//! Sync through a folder that another tool keeps in step (Syncthing, Dropbox, iCloud Drive,
//! OneDrive, a git repository). Each device appends only to its own journal,
//! `<folder>/shikaku/<device-id>.jsonl`, and reads everyone's; the merge is by event identity
//! (see [`merge`]), so the tool never has to resolve a conflict and a conflict copy it makes
//! anyway is just read like the original.
//!
//! This module owns the folder: listing, reading (bounded), appending. The store side (one
//! immediate transaction around read, append and apply) is `Store::sync_folder`.

pub mod journal;
pub mod merge;
pub mod notice;

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use journal::{Event, Header, JOURNAL_VERSION, Line, Parsed, Read};
pub use notice::Notice;

use crate::srs::SrsError;

/// The largest journal read (about two million events).
const MAX_JOURNAL_BYTES: u64 = 512 * 1024 * 1024;

/// Why a sync could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The folder is not there (an unmounted drive, a typo, a sync tool not set up yet).
    #[error(
        "同期フォルダ {0} がありません。Syncthing・Dropbox・iCloud Drive・git などで同期しているフォルダを指定してください(間違ったところに記録を書かないよう、フォルダは作りません)"
    )]
    MissingFolder(PathBuf),
    /// The path is a file.
    #[error("{0} はフォルダではありません。同期に使うフォルダを指定してください")]
    NotAFolder(PathBuf),
    /// No folder given and none configured.
    #[error(
        "同期フォルダが決まっていません。`shikaku sync DIR` と指定するか、設定ファイルに sync_dir = \"~/Sync\" のように書いてください"
    )]
    NoFolder,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] SrsError),
}

/// The journals folder inside the sync folder.
pub fn journal_dir(folder: &Path) -> PathBuf {
    folder.join("shikaku")
}

/// This device's journal.
pub fn journal_path(folder: &Path, device: &str) -> PathBuf {
    journal_dir(folder).join(format!("{device}.jsonl"))
}

/// One journal file as found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileSeen {
    /// The file name.
    pub name: String,
    /// The device named in its header.
    pub device: Option<String>,
    /// Events read from it.
    pub events: usize,
    /// It is a copy (a sync tool's conflict copy), not the device's own file.
    pub copy: bool,
    /// Bytes not read again because an earlier sync had read them (0: read from the start).
    pub skipped_bytes: u64,
}

/// How far an earlier sync read another device's journal: the end of its last whole line, and a
/// fingerprint of everything before it, so a rewritten or replaced file is noticed and read
/// whole again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The device in the file's header.
    pub device: String,
    /// Bytes read: up to and including the last newline.
    pub offset: u64,
    /// Lines in those bytes (for line numbers in messages).
    pub lines: usize,
    /// [`fingerprint`] of those bytes.
    pub fingerprint: u64,
}

/// A fingerprint of a journal's first `bytes.len()` bytes: the length, the first 4 KiB (the
/// header) and the last 4 KiB (FNV-1a, stable across builds). A file replaced by another, or
/// cut and written again, differs in one of them.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    const EDGE: usize = 4096;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |part: &[u8]| {
        for &b in part {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(&(bytes.len() as u64).to_le_bytes());
    feed(&bytes[..bytes.len().min(EDGE)]);
    feed(&bytes[bytes.len().saturating_sub(EDGE)..]);
    hash
}

/// The bytes up to and including the last newline, and the lines in them.
fn whole_lines(bytes: &[u8]) -> (usize, usize) {
    let end = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
    (end, memchr::memchr_iter(b'\n', &bytes[..end]).count())
}

fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Everything read from the folder.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// Every event of every journal.
    pub events: Vec<Read>,
    /// The files read.
    pub files: Vec<FileSeen>,
    /// Problems with files or lines.
    pub notices: Vec<Notice>,
    /// What this device's own journal looks like.
    pub own: OwnFile,
    /// How far each other device's journal (by file name) has now been read.
    pub positions: Vec<(String, Position)>,
}

/// The state of this device's journal file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OwnFile {
    /// Not written yet.
    #[default]
    Absent,
    /// A journal; whether its last line is unfinished.
    Journal {
        /// The next append must start with a newline.
        ends_mid_line: bool,
    },
    /// Something this build must not append to (a newer version, not a journal, unreadable).
    Untouchable,
}

/// Reads every journal in `<folder>/shikaku/` (with `create`, making that directory when the
/// folder exists). Another device's journal with a position in `resume` whose fingerprint still
/// matches is read from there on; this device's journal (and any file naming it) is read whole.
pub fn read_folder(
    folder: &Path,
    own: &str,
    create: bool,
    resume: &HashMap<String, Position>,
) -> Result<Folder, SyncError> {
    match std::fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(SyncError::NotAFolder(folder.into())),
        Err(_) => return Err(SyncError::MissingFolder(folder.into())),
    }
    let dir = journal_dir(folder);
    let mut out = Folder::default();
    if !dir.is_dir() {
        // Created here so the journal can be written; a read-only folder is reported when the
        // append fails.
        if create {
            let _ = std::fs::create_dir_all(&dir);
        }
        return Ok(out);
    }
    let mut names: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect(),
        Err(err) => {
            out.notices.push(Notice::Unreadable {
                file: dir.display().to_string(),
                reason: err.to_string(),
            });
            return Ok(out);
        }
    };
    names.sort();
    let own_name = format!("{own}.jsonl");
    for path in names {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let is_own = name == own_name;
        let shown = format!("shikaku/{name}");
        let bytes = match read_journal(&path) {
            Ok(bytes) => bytes,
            Err(err) => {
                out.notices.push(Notice::Unreadable {
                    file: shown,
                    reason: err.to_string(),
                });
                if is_own {
                    out.own = OwnFile::Untouchable;
                }
                continue;
            }
        };
        let (end, lines) = whole_lines(&bytes);
        if let Some(at) = resume.get(&name).filter(|p| {
            !is_own
                && p.device != own
                && p.offset as usize <= bytes.len()
                && fingerprint(&bytes[..p.offset as usize]) == p.fingerprint
        }) {
            // Only what was appended since; a line cut off last time is read whole now.
            let start = at.offset as usize;
            let tail = text_of(&bytes[start..]);
            let events = journal::parse_lines(
                &shown,
                tail.split_inclusive('\n')
                    .enumerate()
                    .map(|(i, l)| (i + at.lines, l)),
                &at.device,
                &mut out.notices,
            );
            let copy = name != format!("{}.jsonl", at.device);
            if copy {
                out.notices.push(Notice::ConflictCopy {
                    file: shown.clone(),
                });
            }
            out.files.push(FileSeen {
                name: name.clone(),
                device: Some(at.device.clone()),
                events: events.len(),
                copy,
                skipped_bytes: at.offset,
            });
            out.events.extend(events);
            out.positions.push((
                name,
                Position {
                    device: at.device.clone(),
                    offset: end as u64,
                    lines,
                    fingerprint: fingerprint(&bytes[..end]),
                },
            ));
            continue;
        }
        let text = text_of(&bytes);
        match journal::parse(&shown, &text, &mut out.notices) {
            Parsed::Journal {
                header,
                events,
                ends_mid_line,
            } => {
                // Only when the header line is whole: a resumed read starts after it.
                if !is_own && header.device != own && !bytes[..end].trim_ascii().is_empty() {
                    out.positions.push((
                        name.clone(),
                        Position {
                            device: header.device.clone(),
                            offset: end as u64,
                            lines,
                            fingerprint: fingerprint(&bytes[..end]),
                        },
                    ));
                }
                let copy = name != format!("{}.jsonl", header.device);
                if copy {
                    out.notices.push(Notice::ConflictCopy {
                        file: shown.clone(),
                    });
                }
                if is_own {
                    out.own = if copy {
                        OwnFile::Untouchable
                    } else {
                        OwnFile::Journal { ends_mid_line }
                    };
                }
                out.files.push(FileSeen {
                    name,
                    device: Some(header.device.clone()),
                    events: events.len(),
                    copy,
                    skipped_bytes: 0,
                });
                out.events.extend(events);
            }
            Parsed::TooNew { version, device } => {
                out.notices.push(Notice::TooNew {
                    file: shown,
                    version,
                });
                if is_own {
                    out.own = OwnFile::Untouchable;
                }
                out.files.push(FileSeen {
                    name,
                    device,
                    events: 0,
                    copy: false,
                    skipped_bytes: 0,
                });
            }
            Parsed::NotJournal => {
                // An empty own file (an interrupted first write) gets its header on the next append.
                if is_own && text.trim().is_empty() {
                    out.own = OwnFile::Journal {
                        ends_mid_line: false,
                    };
                    out.notices.push(Notice::CutOff {
                        file: shown,
                        line: 1,
                    });
                    continue;
                }
                out.notices.push(Notice::NotJournal { file: shown });
                if is_own {
                    out.own = OwnFile::Untouchable;
                }
            }
        }
    }
    Ok(out)
}

/// A journal's bytes, read with a size cap (a runaway file cannot exhaust memory). Invalid UTF-8
/// (a torn write) is replaced when the text is parsed, so the lines around it still count.
fn read_journal(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("通常のファイルではありません"));
    }
    if meta.len() > MAX_JOURNAL_BYTES {
        return Err(std::io::Error::other(format!(
            "ファイルが大きすぎます({} MiB まで)",
            MAX_JOURNAL_BYTES / 1024 / 1024
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(MAX_JOURNAL_BYTES)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Appends lines to this device's journal (writing the header first when it is new) and syncs
/// the file to disk. Only ever appends: the sync tool sees a file that grows.
pub fn append(
    folder: &Path,
    device: &str,
    own: OwnFile,
    lines: &[Line],
) -> Result<(), std::io::Error> {
    if lines.is_empty() {
        return Ok(());
    }
    let path = journal_path(folder, device);
    let mut text = String::new();
    match own {
        OwnFile::Untouchable => {
            return Err(std::io::Error::other(
                "この端末の記録ファイルは新しいshikakuの形式か、読めない状態です",
            ));
        }
        OwnFile::Journal { ends_mid_line } => {
            if ends_mid_line {
                text.push('\n');
            }
            let empty = std::fs::metadata(&path)
                .map(|m| m.len() == 0)
                .unwrap_or(true);
            if empty {
                text.push_str(&journal::render_header(&Header::new(device)));
            }
        }
        OwnFile::Absent => text.push_str(&journal::render_header(&Header::new(device))),
    }
    text.push_str(&journal::render(lines));
    std::fs::create_dir_all(journal_dir(folder))?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// This device's id.
    pub device: String,
    /// Reviews from other devices added to this store.
    pub imported: usize,
    /// This device's own reviews given back by its journal (after restoring a backup).
    pub restored: usize,
    /// Reviews from other devices changed (re-rated) or removed (undone there).
    pub changed: usize,
    /// Flags, suspensions and burials changed by other devices.
    pub flags: usize,
    /// Mock exams added.
    pub exams: usize,
    /// Events written to this device's journal.
    pub sent: usize,
    /// Reviews of other devices held back because their time is in the future.
    pub held: usize,
    /// The journals read.
    pub files: Vec<FileSeen>,
    /// Items whose reviews or flags changed (for the TUI to refresh them).
    #[serde(skip)]
    pub touched: Vec<String>,
    /// What went wrong or is worth knowing, in Japanese.
    #[serde(serialize_with = "notices_as_text")]
    pub notices: Vec<Notice>,
}

impl SyncReport {
    /// One Japanese line for the TUI: 「別の端末から 23件の復習を取り込みました」 (None when
    /// nothing came in).
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.imported > 0 {
            parts.push(format!(
                "別の端末から {}件の復習を取り込みました",
                self.imported
            ));
        }
        if self.changed > 0 {
            parts.push(format!(
                "{}件の復習が別の端末で取り消し・変更されました",
                self.changed
            ));
        }
        if self.flags > 0 {
            parts.push(format!(
                "{}件の保留・フラグ・延期を反映しました",
                self.flags
            ));
        }
        if self.exams > 0 {
            parts.push(format!("模擬試験の結果 {}件を取り込みました", self.exams));
        }
        if self.restored > 0 {
            parts.push(format!(
                "この端末の記録から {}件の復習を戻しました",
                self.restored
            ));
        }
        (!parts.is_empty()).then(|| parts.join("。"))
    }
}

fn notices_as_text<S: serde::Serializer>(notices: &[Notice], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(notices.iter().map(|n| n.to_string()))
}

/// One device seen in the folder, for `sync --status`.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceStatus {
    /// Its id.
    pub device: String,
    /// This device.
    pub this_device: bool,
    /// Events in its journal(s).
    pub events: usize,
    /// Its newest event's time (RFC 3339).
    pub last_event: Option<String>,
    /// Reviews of it that this store does not have yet (for this device: reviews not sent yet).
    pub behind: usize,
}

/// What `sync --status` shows.
#[derive(Debug, Clone, Serialize)]
pub struct SyncStatus {
    /// This device's id.
    pub device: String,
    /// The sync folder.
    pub folder: String,
    /// When this device last synced (RFC 3339).
    pub last_sync: Option<String>,
    /// Every device with a journal, this one first.
    pub devices: Vec<DeviceStatus>,
    /// Problems with files.
    #[serde(serialize_with = "notices_as_text")]
    pub notices: Vec<Notice>,
}
