//! Opening a scenario in the learner's editor without trusting its file name or the editor
//! setting. The editor always gets a copy in the data directory, by an absolute path under a
//! name made from the scenario id, so the repository's own files are never changed and a name
//! such as `+!touch X.toml` or `-R.toml` can never be read as an editor command or option.

use std::io;
use std::path::{Path, PathBuf};

/// Where the edited copy of a scenario lives: `<data>/scenarios/<safe id>.<toml|json>`, absolute.
pub fn copy_path(data_dir: &Path, id: &str, original: &str) -> PathBuf {
    let mut name: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name.insert_str(0, "scenario");
    }
    let ext = if original.to_ascii_lowercase().ends_with(".json") {
        "json"
    } else {
        "toml"
    };
    let path = data_dir.join("scenarios").join(format!("{name}.{ext}"));
    std::path::absolute(&path).unwrap_or(path)
}

/// Makes sure the copy exists (written from `text`, the scenario as loaded, the first time).
pub fn prepare_copy(data_dir: &Path, id: &str, original: &str, text: &str) -> io::Result<PathBuf> {
    let copy = copy_path(data_dir, id, original);
    if !copy.exists() {
        if let Some(dir) = copy.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&copy, text)?;
    }
    Ok(copy)
}

/// Removes the copy, so the next edit starts again from the original. A missing copy is fine.
pub fn discard_copy(data_dir: &Path, id: &str, original: &str) -> io::Result<()> {
    match std::fs::remove_file(copy_path(data_dir, id, original)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The editor program and its arguments from `$VISUAL` / `$EDITOR`. A value that names an
/// existing file is the program itself (a path with spaces); otherwise it is split into words
/// as a shell would, with quotes and backslashes (`code --wait`, `"/opt/My Editor/ed" -n`).
/// Nothing is ever run through a shell.
pub fn command(spec: &str) -> Option<(String, Vec<String>)> {
    let spec = spec.trim();
    if spec.is_empty() {
        return None;
    }
    if Path::new(spec).is_file() {
        return Some((spec.to_string(), Vec::new()));
    }
    let mut words = split_words(spec)?.into_iter();
    let program = words.next()?;
    Some((program, words.collect()))
}

/// Shell-like word splitting: whitespace separates, '…' and "…" quote, \ escapes. None when a
/// quote is left open.
fn split_words(spec: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => word.push(chars.next()?),
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hostile_scenario_id_becomes_a_plain_absolute_file_name() {
        let path = copy_path(
            Path::new("data"),
            "+!touch X",
            "quizzes/scenarios/+!touch X.toml",
        );
        assert!(path.is_absolute());
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(name, "scenario__touch_X.toml");
        let dash = copy_path(Path::new("/d"), "-R", "-R.json");
        assert_eq!(dash, Path::new("/d/scenarios/scenario-R.json"));
    }

    #[test]
    fn editor_settings_with_arguments_and_quotes_are_split_like_a_shell() {
        assert_eq!(
            command("code --wait"),
            Some(("code".into(), vec!["--wait".into()]))
        );
        assert_eq!(
            command(r#""/opt/My Editor/ed" -n 'a b'"#),
            Some(("/opt/My Editor/ed".into(), vec!["-n".into(), "a b".into()]))
        );
        assert_eq!(command("vi \"open"), None);
        assert_eq!(command("   "), None);
    }

    #[test]
    fn an_editor_path_with_spaces_that_exists_is_one_program() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("My Editor");
        std::fs::write(&program, "").unwrap();
        let spec = program.to_str().unwrap();
        assert_eq!(command(spec), Some((spec.to_string(), vec![])));
    }
}
