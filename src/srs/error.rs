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
