//! Where content files come from: the copies embedded at build time, the repo's own directories
//! (when run inside the repo), and extra directories or files named by the user.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// What a file holds, decided by its place and extension (or, failing that, its keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Cards, questions and misconceptions.
    Content,
    /// An exam blueprint.
    Blueprint,
    /// A simulator scenario (TOML).
    ScenarioToml,
    /// A simulator scenario (JSON).
    ScenarioJson,
}

/// One file's text, or why it has none.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in diagnostics (repo-relative for embedded files).
    pub path: String,
    /// What it holds.
    pub kind: FileKind,
    /// Its text, or the byte offset of the first invalid UTF-8 sequence with the valid prefix.
    pub text: Result<Cow<'static, str>, NotUtf8>,
    /// Whether problems in this file are reported (extra and linted files are; embedded are not
    /// when the user lints other paths).
    pub checked: bool,
    /// The override layer: 0 for the defaults, then one per extra directory.
    pub layer: usize,
}

/// A file that is not valid UTF-8.
#[derive(Debug, Clone)]
pub struct NotUtf8 {
    /// The text before the first invalid byte.
    pub valid_prefix: String,
}

fn classify(path: &str, text: Option<&str>) -> FileKind {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".json") {
        return FileKind::ScenarioJson;
    }
    let components: Vec<&str> = lower.split(['/', '\\']).collect();
    if components.contains(&"scenarios") {
        return FileKind::ScenarioToml;
    }
    if components.contains(&"exams") {
        return FileKind::Blueprint;
    }
    let Some(text) = text else {
        return FileKind::Content;
    };
    let has_line = |prefix: &str| text.lines().any(|l| l.trim_start().starts_with(prefix));
    if has_line("[[cards") || has_line("[[questions") || has_line("[[misconceptions") {
        FileKind::Content
    } else if has_line("[request") || has_line("kind") || has_line("[flow") {
        FileKind::ScenarioToml
    } else if has_line("passing_score") || has_line("[[domains") {
        FileKind::Blueprint
    } else {
        FileKind::Content
    }
}

impl SourceFile {
    /// A file from bytes, classified by its path and keys.
    pub fn from_bytes(path: String, bytes: Vec<u8>, checked: bool, layer: usize) -> Self {
        let text = String::from_utf8(bytes).map(Cow::Owned).map_err(|err| {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            NotUtf8 {
                valid_prefix: String::from_utf8_lossy(&bytes[..valid]).into_owned(),
            }
        });
        let kind = classify(&path, text.as_deref().ok());
        Self {
            path,
            kind,
            text,
            checked,
            layer,
        }
    }
}

/// The embedded default content.
pub fn embedded(checked: bool) -> Vec<SourceFile> {
    EMBEDDED
        .iter()
        .map(|(path, text)| SourceFile {
            path: (*path).to_string(),
            kind: classify(path, Some(text)),
            text: Ok(Cow::Borrowed(text)),
            checked,
            layer: 0,
        })
        .collect()
}

/// The directories whose files the embedded content was built from.
pub const TREES: [&str; 3] = ["content", "quizzes", "assets/exams"];

/// The shikaku repo containing `start` (a directory with this crate's Cargo.toml and content/).
pub fn find_repo(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let is_ours = manifest.lines().any(|l| l.trim() == "name = \"shikaku\"");
        (is_ours && dir.join("content").is_dir()).then(|| dir.to_path_buf())
    })
}

/// Every `.toml` / `.json` file under `path` (or `path` itself), sorted for stable output.
/// Unreadable entries are returned as errors with their path.
pub fn discover(path: &Path) -> Vec<Result<PathBuf, (PathBuf, std::io::Error)>> {
    let mut out = Vec::new();
    walk(path, &mut out, 0);
    out.sort_by(|a, b| {
        let key = |r: &Result<PathBuf, (PathBuf, std::io::Error)>| match r {
            Ok(p) => p.clone(),
            Err((p, _)) => p.clone(),
        };
        key(a).cmp(&key(b))
    });
    out
}

fn walk(path: &Path, out: &mut Vec<Result<PathBuf, (PathBuf, std::io::Error)>>, depth: usize) {
    let mut visited = HashSet::new();
    walk_in(path, out, depth, &mut visited);
}

/// Visits each real directory once (two symlinks pointing at each other would otherwise make
/// 2^depth paths) and takes regular files only (a FIFO named `x.toml` would block forever).
fn walk_in(
    path: &Path,
    out: &mut Vec<Result<PathBuf, (PathBuf, std::io::Error)>>,
    depth: usize,
    visited: &mut HashSet<PathBuf>,
) {
    // Content is never nested this far.
    if depth > 32 {
        out.push(Err((
            path.to_path_buf(),
            std::io::Error::other("ディレクトリが深すぎます(32 階層まで)"),
        )));
        return;
    }
    match std::fs::metadata(path) {
        Err(err) => out.push(Err((path.to_path_buf(), err))),
        Ok(meta) if meta.is_dir() => {
            let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            if !visited.insert(real.clone()) {
                out.push(Err((
                    path.to_path_buf(),
                    std::io::Error::other(format!(
                        "シンボリックリンクのループです(`{}` はもう読みました)。リンクを外してください",
                        real.display()
                    )),
                )));
                return;
            }
            match std::fs::read_dir(path) {
                Err(err) => out.push(Err((path.to_path_buf(), err))),
                Ok(entries) => {
                    for entry in entries.flatten() {
                        let child = entry.path();
                        let hidden = child
                            .file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('.'));
                        let skip = child.file_name().is_some_and(|n| n == "target");
                        if hidden || skip {
                            continue;
                        }
                        if child.is_dir() || is_content_file(&child) {
                            walk_in(&child, out, depth + 1, visited);
                        }
                    }
                }
            }
        }
        Ok(meta) if meta.is_file() => out.push(Ok(path.to_path_buf())),
        Ok(_) => out.push(Err((
            path.to_path_buf(),
            std::io::Error::other("通常のファイルではありません(FIFO やデバイスは読みません)"),
        ))),
    }
}

/// The largest input file shikaku reads (content, scenarios, imports, config): far above any
/// real file, far below what would exhaust memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a regular file of at most [`MAX_FILE_BYTES`]; a FIFO, a device (`/dev/zero`) or a
/// larger file is an error with a Japanese message, never a hang or an exhausted memory.
pub fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "通常のファイルではありません(FIFO やデバイスは読みません)",
        ));
    }
    let too_large = || {
        std::io::Error::other(format!(
            "ファイルが大きすぎます({} MiB まで)",
            MAX_FILE_BYTES / 1024 / 1024
        ))
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_bounded`] as UTF-8 text.
pub fn read_bounded_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_bounded(path)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "UTF-8 のテキストではありません",
        )
    })
}

fn is_content_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("toml" | "json")
    )
}

/// Reads files from disk for one layer; unreadable paths come back as (path, error).
pub fn read_dir_layer(
    path: &Path,
    checked: bool,
    layer: usize,
) -> (Vec<SourceFile>, Vec<(String, std::io::Error)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for found in discover(path) {
        match found {
            Ok(file) => match read_bounded(&file) {
                Ok(bytes) => files.push(SourceFile::from_bytes(
                    display(&file),
                    bytes,
                    checked,
                    layer,
                )),
                Err(err) => errors.push((display(&file), err)),
            },
            Err((file, err)) => errors.push((display(&file), err)),
        }
    }
    (files, errors)
}

/// A path as shown to the user: relative to the current directory when under it.
pub fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    shown.display().to_string()
}
