//! Writing one key of the config file from the TUI (the exam date set on ホーム) without losing
//! anything else in it: `toml_edit` keeps every other key, comment, unknown key and the layout,
//! and the new text replaces the old atomically (a temporary file in the same folder, synced,
//! then renamed over it), so a crash mid-write leaves the old file whole.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why the config file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file is there but is not TOML: it is left as it is rather than overwritten.
    #[error(
        "設定ファイル {path} が TOML として読めないため書き換えませんでした({reason})。ファイルを直してからもう一度設定してください"
    )]
    NotToml {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// Reading, writing or renaming failed.
    #[error("設定ファイル {path} に書き込めません: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
}

/// Sets `exam_date = "YYYY-MM-DD"` in the config file at `path` (created when missing, with
/// its folder), or removes the key for `None`. Everything else in the file stays as written.
pub fn set_exam_date(path: &Path, date: Option<jiff::civil::Date>) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.into(),
        source,
    };
    let text = match crate::content::source::read_bounded_text(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(io(err)),
    };
    let new_text = with_exam_date(&text, date).map_err(|reason| WriteError::NotToml {
        path: path.into(),
        reason,
    })?;
    write_atomically(path, &new_text).map_err(io)
}

/// The config text with `exam_date` set or removed (pure, for tests).
pub fn with_exam_date(text: &str, date: Option<jiff::civil::Date>) -> Result<String, String> {
    let mut doc = text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| e.message().to_string())?;
    match date {
        Some(date) => {
            let table = doc.as_table_mut();
            match table.get_mut("exam_date").and_then(|i| i.as_value_mut()) {
                // Keeps the comment and spacing around an existing value.
                Some(value) => {
                    let decor = value.decor().clone();
                    *value = toml_edit::Value::from(date.to_string());
                    *value.decor_mut() = decor;
                }
                None => {
                    table.insert("exam_date", toml_edit::value(date.to_string()));
                }
            }
        }
        None => {
            doc.as_table_mut().remove("exam_date");
        }
    }
    Ok(doc.to_string())
}

/// Writes `text` to a temporary file beside `path`, syncs it, and renames it over `path`.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map_or_else(
        || "config.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        if let Ok(meta) = std::fs::metadata(path) {
            // The learner's permissions on the file stay as they were.
            let _ = file.set_permissions(meta.permissions());
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "# my settings\ndaily_new_cards = 5 # fewer\nexam_date = \"2027-01-15\" # the day\nfuture_key = 1\n\n[keys]\n# my search key\nsearch = \"F\"\n";

    #[test]
    fn setting_the_date_keeps_every_other_key_and_comment() {
        let date = jiff::civil::date(2027, 3, 2);
        let text = with_exam_date(CONFIG, Some(date)).unwrap();
        assert_eq!(
            text,
            CONFIG.replace("2027-01-15", "2027-03-02"),
            "only the date changed"
        );
    }

    #[test]
    fn a_new_date_goes_before_the_tables_and_clearing_removes_only_it() {
        let text = "# mine\ntheme = \"mono\"\n\n[keys]\nsearch = \"F\"\n";
        let set = with_exam_date(text, Some(jiff::civil::date(2027, 3, 2))).unwrap();
        let (config, problems) = crate::config::Config::parse("c.toml", &set);
        assert!(problems.is_empty(), "{problems:?}\n{set}");
        assert_eq!(config.exam_date, Some(jiff::civil::date(2027, 3, 2)));
        assert!(config.mono, "theme kept");
        assert!(
            set.starts_with("# mine\n") && set.contains("search = \"F\""),
            "{set}"
        );
        let cleared = with_exam_date(&set, None).unwrap();
        assert_eq!(cleared, text, "back to the file as it was");
    }

    #[test]
    fn the_file_is_created_and_a_broken_one_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        set_exam_date(&path, Some(jiff::civil::date(2027, 3, 2))).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "exam_date = \"2027-03-02\"\n"
        );
        std::fs::write(&path, "exam_date = [oops\n").unwrap();
        let err = set_exam_date(&path, None).unwrap_err();
        assert!(matches!(err, WriteError::NotToml { .. }), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "exam_date = [oops\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
    }
}
