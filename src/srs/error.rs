//! The errors of the scheduler and the progress store, each naming the file it concerns.

use std::fmt;
use std::path::PathBuf;

/// A problem with the progress store, an import file or the FSRS computation.
#[derive(Debug, thiserror::Error)]
pub enum SrsError {
    /// The file at the database path is not a shikaku progress database.
    #[error(
        "{path} はshikakuの進捗データベースではありません({detail})。このファイルには何も書き込んでいません。{backup}"
    )]
    Foreign {
        /// The database path.
        path: PathBuf,
        /// What was found instead.
        detail: String,
        /// The newest backup, if any.
        backup: BackupNote,
    },
    /// The database file is damaged.
    #[error(
        "進捗データベース {path} が壊れています({detail})。このファイルには何も書き込んでいません。{backup}"
    )]
    Corrupt {
        /// The database path.
        path: PathBuf,
        /// SQLite's report.
        detail: String,
        /// The newest backup, if any.
        backup: BackupNote,
    },
    /// The database was written by a newer shikaku.
    #[error(
        "進捗データベース {path} は新しいバージョンのshikakuで作られています(スキーマ {found}、このshikakuは {supported} まで)。shikakuを更新してください。ファイルは変更していません"
    )]
    TooNew {
        /// The database path.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// SQLite failed on an otherwise valid database.
    #[error("進捗データベース {path} の操作に失敗しました: {source}")]
    Sqlite {
        /// The database path.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// The database or its folder cannot be written (permissions, a read-only mount).
    #[error(
        "進捗データベース {path} に書き込めません(読み取り専用か、フォルダに書き込む権限がありません)。ファイル、同じ名前の -wal / -shm ファイル、フォルダの書き込み権限を確かめてください(例: chmod u+w)。学習記録は変更していません"
    )]
    ReadOnly {
        /// The database path.
        path: PathBuf,
    },
    /// SQLite failed with a busy or locked database beyond the wait.
    #[error(
        "進捗データベース {path} を別の shikaku が使用中です(長い取り込みなど)。終わるのを待ってからもう一度実行してください"
    )]
    Busy {
        /// The database path.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("{path} を読み書きできません: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// An import file is not a valid progress export.
    #[error("{path} を取り込めません({location}): {message}")]
    Import {
        /// The import file.
        path: PathBuf,
        /// Where in the file: 「3行目 5列」 or 「reviews[2]」.
        location: String,
        /// What is wrong, in Japanese.
        message: String,
    },
    /// FSRS rejected its input or parameters.
    #[error("FSRSの計算に失敗しました: {0}")]
    Fsrs(String),
}

impl From<fsrs::FSRSError> for SrsError {
    fn from(err: fsrs::FSRSError) -> Self {
        Self::Fsrs(format!("{err:?}"))
    }
}

/// The newest backup of a database, named in errors so the learner knows how to recover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupNote(pub Option<PathBuf>);

impl fmt::Display for BackupNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(path) => write!(
                f,
                "最新のバックアップは {} です。元のファイルを別の場所へ移し、このバックアップを progress.sqlite3 という名前でコピーすると復元できます",
                path.display()
            ),
            None => f.write_str(
                "バックアップはありません。ファイルを別の場所へ移すと、新しい進捗データベースで始められます",
            ),
        }
    }
}

impl SrsError {
    /// SQLite's error for `path`, as the kind a learner can act on: a read-only store, a busy
    /// one, or the raw failure.
    pub fn from_sqlite(path: &std::path::Path, source: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match source.sqlite_error_code() {
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                Self::ReadOnly { path: path.into() }
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                Self::Busy { path: path.into() }
            }
            _ => Self::Sqlite {
                path: path.into(),
                source,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SrsError;

    fn sqlite(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn a_read_only_or_busy_store_gets_a_message_a_learner_can_act_on() {
        let path = std::path::Path::new("/data/progress.sqlite3");
        let read_only = SrsError::from_sqlite(path, sqlite(rusqlite::ffi::SQLITE_READONLY));
        assert!(matches!(read_only, SrsError::ReadOnly { .. }));
        let text = read_only.to_string();
        assert!(
            text.contains("/data/progress.sqlite3") && text.contains("chmod"),
            "{text}"
        );
        let busy = SrsError::from_sqlite(path, sqlite(rusqlite::ffi::SQLITE_BUSY));
        assert!(matches!(busy, SrsError::Busy { .. }));
    }
}
