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
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::source::{FileKind, MODEL_HASH, SourceFile};

/// The cache file in the data directory.
pub const FILE_NAME: &str = "content-cache.json";

/// The largest cache read or written (far above 100,000 questions' worth).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

const MAGIC: &str = "shikaku-content-cache 2";

/// A fast 64-bit hash of bytes (not cryptographic). Every step is a bijection of the state, so
/// texts of the same length that differ in one 8-byte word never hash alike.
pub fn text_hash(bytes: &[u8]) -> u64 {
    let mut hasher = TextHasher::new();
    hasher.update(bytes);
    hasher.finish()
}

/// [`text_hash`] over text given in pieces, so the cache is hashed as it is written, never put
/// together in memory. The length is mixed in last.
#[derive(Debug, Clone)]
struct TextHasher {
    h: u64,
    len: u64,
    pending: [u8; 8],
    filled: usize,
}

impl TextHasher {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn new() -> Self {
        Self {
            h: 0x243F_6A88_85A3_08D3,
            len: 0,
            pending: [0; 8],
            filled: 0,
        }
    }

    fn word(&mut self, word: u64) {
        self.h = (self.h.rotate_left(23) ^ word).wrapping_mul(Self::K);
    }

    fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
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
        self.word(self.len);
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
///
/// The file is the entries (a key line, then a JSON line), then one trailer line: the format,
/// the content model and a checksum of everything before it. With the checksum last, a load
/// streams each fresh parse to the new file as it comes (holding every file's JSON until the
/// end would cost the first start as much memory again as the cache's size).
#[derive(Debug, Default)]
pub struct Cache {
    path: Option<PathBuf>,
    /// The file read, and where each entry's JSON lies in it.
    text: String,
    entries: HashMap<Key, (usize, usize)>,
    /// What this load used and wrote.
    used: Mutex<Used>,
}

#[derive(Debug, Default)]
struct Used {
    /// Entries read from the cache (file index, key line, where the JSON lies in `text`): they
    /// are copied to the new file if it is written.
    read: Vec<(usize, String, (usize, usize))>,
    /// Files parsed anew: each makes the cache dirty.
    misses: usize,
    /// The new cache, begun at the first miss.
    out: Option<Writer>,
}

/// The new cache file while it is written: a fixed temporary name (a killed write leaves one
/// file, not a pile), renamed into place when complete.
#[derive(Debug)]
struct Writer {
    tmp: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
    hasher: TextHasher,
}

impl Writer {
    fn create(path: &Path) -> Self {
        let tmp = path.with_extension("json.tmp");
        let file = std::fs::File::create(&tmp)
            .ok()
            .map(std::io::BufWriter::new);
        Self {
            tmp,
            file,
            hasher: TextHasher::new(),
        }
    }

    /// Stops writing (a failed write or a cache grown too large): the temporary file goes.
    fn abandon(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }

    /// Appends one entry, or abandons the file.
    fn entry(&mut self, key_line: &str, json: impl FnOnce(&mut Self) -> std::io::Result<()>) {
        let written = self
            .write_all(key_line.as_bytes())
            .and_then(|()| self.write_all(b"\n"))
            .and_then(|()| json(self))
            .and_then(|()| self.write_all(b"\n"));
        if written.is_err() || self.hasher.len > MAX_BYTES {
            self.abandon();
        }
    }

    /// Writes the trailer and puts the file in place.
    fn finish(mut self, path: &Path) {
        let trailer = format!(
            "{MAGIC} {MODEL_HASH:016x} {:016x}\n",
            self.hasher.clone().finish()
        );
        let Some(mut file) = self.file.take() else {
            return;
        };
        let written = file
            .write_all(trailer.as_bytes())
            .and_then(|()| file.flush())
            .and_then(|()| std::fs::rename(&self.tmp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl std::io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let Some(file) = &mut self.file else {
            return Err(std::io::Error::other("abandoned"));
        };
        file.write_all(buf)?;
        self.hasher.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
        let Some(without_newline) = text.strip_suffix('\n') else {
            return cache;
        };
        let body_end = without_newline.rfind('\n').map_or(0, |at| at + 1);
        let (body, trailer) = without_newline.split_at(body_end);
        let expected = format!(
            "{MAGIC} {MODEL_HASH:016x} {:016x}",
            text_hash(body.as_bytes())
        );
        if trailer != expected {
            return cache;
        }
        let mut entries = HashMap::new();
        let mut offset = 0;
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
    /// file's place in the load.
    pub(crate) fn get<T: DeserializeOwned>(&self, index: usize, key: &Key) -> Option<T> {
        let &(start, end) = self.entries.get(key)?;
        let json = self.text.get(start..end)?;
        let value = serde_json::from_str(json).ok()?;
        if self.path.is_some()
            && let Ok(mut used) = self.used.lock()
        {
            used.read.push((index, key.line(), (start, end)));
        }
        Some(value)
    }

    /// Writes the fresh parse of a file to the new cache.
    pub(crate) fn put<T: Serialize>(&self, _index: usize, key: &Key, value: &T) {
        let Some(path) = &self.path else {
            return;
        };
        let Ok(mut used) = self.used.lock() else {
            return;
        };
        used.misses += 1;
        let out = used.out.get_or_insert_with(|| Writer::create(path));
        out.entry(&key.line(), |out| {
            serde_json::to_writer(out, value).map_err(std::io::Error::other)
        });
    }

    /// Completes the new cache when this load parsed a file anew or left entries unused (files
    /// changed or gone): the entries read from the old cache are copied after the fresh ones.
    /// Failures are ignored: the cache only saves time.
    pub fn write_if_changed(self) {
        let Some(path) = self.path else {
            return;
        };
        let Ok(mut used) = self.used.into_inner() else {
            return;
        };
        if used.misses == 0 && used.read.len() == self.entries.len() {
            return;
        }
        used.read.sort_by_key(|(index, _, _)| *index);
        let mut out = used.out.take().unwrap_or_else(|| Writer::create(&path));
        for (_, key, (start, end)) in &used.read {
            let json = self.text.get(*start..*end).unwrap_or_default();
            out.entry(key, |out| out.write_all(json.as_bytes()));
        }
        out.finish(&path);
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
            let mut hasher = TextHasher::new();
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
