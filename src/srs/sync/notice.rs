//! What a sync tells the learner besides its counts: files it skipped or could only partly
//! read, conflict copies it merged, clocks that look wrong. Each is a Japanese sentence saying
//! what happened and that nothing was lost.

use std::fmt;
use std::path::PathBuf;

/// One thing worth saying about a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The last line ends mid-way (a partial upload, or a write that was cut off).
    CutOff {
        /// The file.
        file: String,
        /// Its line number.
        line: usize,
    },
    /// A line that is not a valid event.
    BadLine {
        /// The file.
        file: String,
        /// Its line number.
        line: usize,
        /// Why.
        reason: String,
    },
    /// An event kind this build does not know (written by a newer shikaku).
    UnknownEvent {
        /// The file.
        file: String,
        /// Its line number.
        line: usize,
        /// The kind.
        kind: String,
    },
    /// A journal from a newer shikaku, left untouched.
    TooNew {
        /// The file.
        file: String,
        /// Its version.
        version: u32,
    },
    /// A `.jsonl` file that is not a shikaku journal.
    NotJournal {
        /// The file.
        file: String,
    },
    /// A file that could not be read.
    Unreadable {
        /// The file.
        file: String,
        /// The OS error.
        reason: String,
    },
    /// A conflict copy made by the sync tool; its events were merged.
    ConflictCopy {
        /// The file.
        file: String,
    },
    /// A device's events lie in the future of this device's clock.
    FutureEvents {
        /// The device.
        device: String,
        /// How many reviews were held back.
        held: usize,
        /// The latest time.
        latest: String,
    },
    /// This device's clock is behind the newest event it wrote before.
    ClockBehind {
        /// The newest time this device wrote.
        newest: String,
    },
    /// The folder could not be written: nothing of this device was sent.
    ReadOnly {
        /// The journal.
        file: PathBuf,
        /// The OS error.
        reason: String,
    },
    /// Another copy of this data directory writes under the same device id.
    SameDeviceElsewhere {
        /// The device id.
        device: String,
    },
}

impl Notice {
    /// Whether this notice means something could not be done (exit code 1).
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::ReadOnly { .. })
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CutOff { file, line } => write!(
                f,
                "{file} の{line}行目は途中で切れています(同期ツールがまだ転送中か、書き込みが中断されました)。その行は飛ばし、残りは取り込みました。転送が終われば次の同期で取り込まれます"
            ),
            Self::BadLine { file, line, reason } => write!(
                f,
                "{file} の{line}行目は読めないので飛ばしました({reason})。ファイルは変更していません"
            ),
            Self::UnknownEvent { file, line, kind } => write!(
                f,
                "{file} の{line}行目は新しいshikakuの記録({kind})なので飛ばしました。shikakuを更新すると取り込めます"
            ),
            Self::TooNew { file, version } => write!(
                f,
                "{file} は新しいバージョンのshikakuの記録です(形式 {version}、このshikakuは {} まで)。このファイルは読まず、変更もしていません。shikakuを更新してください",
                super::journal::JOURNAL_VERSION
            ),
            Self::NotJournal { file } => write!(
                f,
                "{file} はshikakuの同期記録ではないので読みませんでした(変更もしていません)"
            ),
            Self::Unreadable { file, reason } => {
                write!(f, "{file} を読めないので飛ばしました: {reason}")
            }
            Self::ConflictCopy { file } => write!(
                f,
                "同期ツールの競合コピー {file} を見つけ、中身を重複なく取り込みました。このファイルは削除してかまいません"
            ),
            Self::FutureEvents {
                device,
                held,
                latest,
            } => write!(
                f,
                "端末 {device} の記録は、この端末の時計より先の時刻です(最新 {latest})。どちらかの時計がずれています。未来の時刻の復習{held}件は、その時刻になってから取り込みます(記録は残っています)"
            ),
            Self::ClockBehind { newest } => write!(
                f,
                "この端末の時計が、前に記録した時刻 {newest} より前を指しています。時計を確かめてください(記録は失われません)"
            ),
            Self::ReadOnly { file, reason } => write!(
                f,
                "{} に書き込めません({reason})。ほかの端末の記録は取り込みましたが、この端末の記録はまだ送っていません(進捗データベースには残っているので、書き込めるようになってから同期し直してください)",
                file.display()
            ),
            Self::SameDeviceElsewhere { device } => write!(
                f,
                "端末ID {device} の記録に、この端末が書いていない内容があります。データディレクトリを別の端末へコピーしたのかもしれません。どちらの記録も取り込みましたが、コピーした側では data ディレクトリの progress.sqlite3 を新しくしてから同期してください"
            ),
        }
    }
}
