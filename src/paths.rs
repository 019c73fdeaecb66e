//! Where shikaku keeps its files: `--data` / `SHIKAKU_DATA`, `SHIKAKU_CONFIG`, else the platform's
//! directories from `directories::ProjectDirs`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use directories::ProjectDirs;

fn project_dirs() -> Result<ProjectDirs> {
    ProjectDirs::from("", "", "shikaku").context(
        "ホームディレクトリが見つかりません。SHIKAKU_DATA でデータの置き場所を指定してください",
    )
}

/// The data directory: the explicit one (from `--data` or `SHIKAKU_DATA`), else the platform's.
pub fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    match explicit {
        Some(dir) => Ok(dir),
        None => Ok(project_dirs()?.data_dir().to_path_buf()),
    }
}

/// The config directory: `SHIKAKU_CONFIG`, else the platform's.
pub fn config_dir() -> Result<PathBuf> {
    match std::env::var_os("SHIKAKU_CONFIG") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => Ok(project_dirs()?.config_dir().to_path_buf()),
    }
}

/// The config file: `SHIKAKU_CONFIG` when it names a file (or a `.toml` path), else
/// `config.toml` in `SHIKAKU_CONFIG` as a directory, else in the platform's config directory.
pub fn config_file() -> Result<PathBuf> {
    if let Some(value) = std::env::var_os("SHIKAKU_CONFIG").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(value);
        let is_file = path.is_file()
            || (!path.is_dir()
                && path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml")));
        return Ok(if is_file {
            path
        } else {
            path.join("config.toml")
        });
    }
    Ok(config_dir()?.join("config.toml"))
}

/// The progress database inside a data directory.
pub fn progress_db(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("progress.sqlite3")
}
