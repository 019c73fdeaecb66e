//! The parsed-content cache: content files and blueprints that parsed cleanly, kept in the data
//! directory as JSON (which loads several times faster than TOML) and used again only while the
//! file's text is the same.
//!
//! An entry is keyed by the file's path, kind, length and a 64-bit hash of its bytes (the text is
//! read anyway, for diagnostics; a hash of it is stronger than a modification time, which
//! `cp -p` or a checkout can keep across an edit). The cache also names the content model it was
//! written for (a hash of `model.rs`, from build.rs), and carries a checksum of its own body: a
//! cache from another version, a torn or corrupt file, or an entry that does not deserialize is
//! ignored, never trusted, and the file is parsed from its TOML as if there were no cache.
//!
//! Only files without problems are cached, so every problem is found by the same TOML parse as
//! before; `lint` never reads the cache at all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::source::{FileKind, MODEL_HASH, SourceFile};

/// The cache file in the data directory.
pub const FILE_NAME: &str = "content-cache.json";

/// The largest cache read or written (far above 100,000 questions' worth).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

const MAGIC: &str = "shikaku-content-cache 1";

/// A fast 64-bit hash of bytes (not cryptographic). Every step is a bijection of the state, so
/// texts of the same length that differ in one 8-byte word never hash alike.
pub fn text_hash(bytes: &[u8]) -> u64 {
    let mut hasher = TextHasher::new(bytes.len() as u64);
    hasher.update(bytes);
    hasher.finish()
}

/// [`text_hash`] over text given in pieces (whose lengths add up to the `len` given first), so
/// the cache is hashed and written without being put together in memory.
struct TextHasher {
    h: u64,
    pending: [u8; 8],
    filled: usize,
}

impl TextHasher {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn new(len: u64) -> Self {
        Self {
            h: len ^ 0x243F_6A88_85A3_08D3,
            pending: [0; 8],
            filled: 0,
        }
    }

    fn word(&mut self, word: u64) {
        self.h = (self.h.rotate_left(23) ^ word).wrapping_mul(Self::K);
    }

    fn update(&mut self, mut bytes: &[u8]) {
        if self.filled > 0 {
            let take = (8 - self.filled).min(bytes.len());
            self.pending[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.pending));
            self.filled = 0;
        }
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.word(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    fn finish(mut self) -> u64 {
        let mut tail = [0_u8; 8];
        tail[..self.filled].copy_from_slice(&self.pending[..self.filled]);
        self.word(u64::from_le_bytes(tail));
        self.h ^ (self.h >> 29)
    }
}

/// What identifies one file's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    kind: &'static str,
    len: u64,
    hash: u64,
    path: String,
}

impl Key {
    /// The key of a file's current text (none for a file that is not UTF-8 or not cacheable).
    pub(crate) fn of(file: &SourceFile) -> Option<Self> {
        let kind = match file.kind {
            FileKind::Content => "content",
            FileKind::Blueprint => "blueprint",
            FileKind::ScenarioToml | FileKind::ScenarioJson => return None,
        };
        let text = file.text.as_deref().ok()?;
        Some(Self {
            kind,
            len: text.len() as u64,
            hash: text_hash(text.as_bytes()),
            path: file.path.clone(),
        })
    }

    fn line(&self) -> String {
        let path = serde_json::to_string(&self.path).unwrap_or_default();
        format!("{}\t{}\t{:016x}\t{path}", self.kind, self.len, self.hash)
    }

    fn parse_line(line: &str) -> Option<Self> {
        let mut parts = line.splitn(4, '\t');
        let kind = match parts.next()? {
            "content" => "content",
            "blueprint" => "blueprint",
            _ => return None,
        };
        let len = parts.next()?.parse().ok()?;
        let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
        let path = serde_json::from_str(parts.next()?).ok()?;
        Some(Self {
            kind,
            len,
            hash,
            path,
        })
    }
}

/// The cache as read at the start of a load, and what this load found.
#[derive(Debug, Default)]
pub struct Cache {
    path: Option<PathBuf>,
    /// The file read, and where each entry's JSON lies in it.
    text: String,
    entries: HashMap<Key, (usize, usize)>,
    /// This load's entries (key line, JSON), in file order; a miss makes the cache dirty.
    used: Mutex<Used>,
}

#[derive(Debug, Default)]
struct Used {
    entries: Vec<(usize, String, Json)>,
    misses: usize,
}

/// An entry's JSON: fresh, or where it lies in the cache as read (not copied: that would hold
/// a second copy of every unchanged file at start-up).
#[derive(Debug)]
enum Json {
    Fresh(String),
    Read(usize, usize),
}

impl Cache {
    /// No cache: every file is parsed.
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads the cache in `data_dir` (an empty cache when it is missing, from another version,
    /// or corrupt).
    pub fn read(data_dir: &Path) -> Self {
        let path = data_dir.join(FILE_NAME);
        let mut cache = Self {
            path: Some(path.clone()),
            ..Self::default()
        };
        let Some(text) = read_limited(&path) else {
            return cache;
        };
        let Some((header, body)) = text.split_once('\n') else {
            return cache;
        };
        let expected = format!(
            "{MAGIC} {MODEL_HASH:016x} {:016x}",
            text_hash(body.as_bytes())
        );
        if header != expected {
            return cache;
        }
        let mut entries = HashMap::new();
        let mut offset = header.len() + 1;
        let mut lines = body.split_inclusive('\n');
        while let (Some(key), Some(value)) = (lines.next(), lines.next()) {
            let value_start = offset + key.len();
            offset = value_start + value.len();
            let Some(key) = Key::parse_line(key.trim_end_matches('\n')) else {
                return cache;
            };
            let value_end = value_start + value.trim_end_matches('\n').len();
            entries.insert(key, (value_start, value_end));
        }
        cache.text = text;
        cache.entries = entries;
        cache
    }

    /// The cached parse of `file` as it is now, if the cache holds a sound one (for tests and
    /// tools; loading goes through [`super::load_cached`]).
    pub fn lookup<T: DeserializeOwned>(&self, file: &SourceFile) -> Option<T> {
        let &(start, end) = self.entries.get(&Key::of(file)?)?;
        serde_json::from_str(self.text.get(start..end)?).ok()
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The cached parse of a file whose text has `key`, if there is a sound one. `index` is the
    /// file's place in the load, which orders the entries when the cache is written again.
    pub(crate) fn get<T: DeserializeOwned>(&self, index: usize, key: &Key) -> Option<T> {
        let &(start, end) = self.entries.get(key)?;
        let json = self.text.get(start..end)?;
        let value = serde_json::from_str(json).ok()?;
        if self.path.is_some()
            && let Ok(mut used) = self.used.lock()
        {
            used.entries
                .push((index, key.line(), Json::Read(start, end)));
        }
        Some(value)
    }

    /// Records the fresh parse of a file, to be written with the cache.
    pub(crate) fn put<T: Serialize>(&self, index: usize, key: &Key, value: &T) {
        if self.path.is_none() {
            return;
        }
        let Ok(json) = serde_json::to_string(value) else {
            return;
        };
        if let Ok(mut used) = self.used.lock() {
            used.entries.push((index, key.line(), Json::Fresh(json)));
            used.misses += 1;
        }
    }

    /// Writes the cache again when this load parsed a file anew or left entries unused (files
    /// changed or gone). Failures are ignored: the cache only saves time.
    pub fn write_if_changed(self) {
        let Some(path) = self.path else {
            return;
        };
        let Ok(mut used) = self.used.into_inner() else {
            return;
        };
        if used.misses == 0 && used.entries.len() == self.entries.len() {
            return;
        }
        used.entries.sort_by_key(|(index, _, _)| *index);
        // The body is hashed, then written, piece by piece: putting it together first would
        // hold another copy of every entry at the first start (the memory budget).
        let pieces = || {
            used.entries.iter().flat_map(|(_, key, json)| {
                let json = match json {
                    Json::Fresh(json) => json.as_str(),
                    Json::Read(start, end) => self.text.get(*start..*end).unwrap_or_default(),
                };
                [key.as_str(), "\n", json, "\n"]
            })
        };
        let len: u64 = pieces().map(|p| p.len() as u64).sum();
        if len > MAX_BYTES {
            let _ = std::fs::remove_file(&path);
            return;
        }
        let mut hasher = TextHasher::new(len);
        for piece in pieces() {
            hasher.update(piece.as_bytes());
        }
        let header = format!("{MAGIC} {MODEL_HASH:016x} {:016x}\n", hasher.finish());
        // One fixed temporary name (a killed write leaves one file, not a pile); a rename puts
        // the whole cache in place at once, and a torn file fails its checksum.
        let tmp = path.with_extension("json.tmp");
        let written = std::fs::File::create(&tmp)
            .and_then(|file| {
                use std::io::Write;
                let mut out = std::io::BufWriter::new(file);
                out.write_all(header.as_bytes())?;
                for piece in pieces() {
                    out.write_all(piece.as_bytes())?;
                }
                out.flush()
            })
            .and_then(|()| std::fs::rename(&tmp, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

fn read_limited(path: &Path) -> Option<String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .ok()?
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_of_pieces_is_the_hash_of_the_whole() {
        let text: Vec<u8> = (0..200u8).map(|i| i.wrapping_mul(37)).collect();
        for cuts in [
            vec![],
            vec![1],
            vec![3, 8],
            vec![7, 9, 16, 100],
            vec![0, 0, 199],
        ] {
            let mut hasher = TextHasher::new(text.len() as u64);
            let mut at = 0;
            for cut in cuts {
                hasher.update(&text[at..cut.max(at)]);
                at = cut.max(at);
            }
            hasher.update(&text[at..]);
            assert_eq!(hasher.finish(), text_hash(&text));
        }
    }

    #[test]
    fn one_changed_word_changes_the_hash() {
        let text = "id = \"q-1\"\nprompt = \"どれですか\"\n".repeat(20);
        let base = text_hash(text.as_bytes());
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            let mut edited = bytes.to_vec();
            edited[i] ^= 1;
            assert_ne!(text_hash(&edited), base, "flipping byte {i}");
        }
        assert_ne!(text_hash(&bytes[..bytes.len() - 1]), base);
        assert_ne!(text_hash(b""), text_hash(b"\0"));
    }

    #[test]
    fn key_lines_round_trip_odd_paths() {
        let key = Key {
            kind: "content",
            len: 12,
            hash: 0xdead_beef,
            path: "dir\twith\ttabs/改行\n.toml".into(),
        };
        assert_eq!(Key::parse_line(&key.line()), Some(key));
    }
}
