//! Opening the database safely: refuse foreign or damaged files without writing to them, migrate
//! old schemas after writing a backup copy, and keep a daily backup.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::srs::error::{BackupNote, SrsError};

/// "Shik": marks a SQLite file as ours.
pub(super) const APPLICATION_ID: i64 = 0x5368_696B;

/// How long a writer waits for another instance's transaction.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The schema, one step per version; a fresh database runs them all.
pub(super) const MIGRATIONS: &[&str] = &[
    // v1: the review log, derived state, per-item flags, settings.
    "CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        item TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        offset_s INTEGER NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        elapsed_days INTEGER NOT NULL,
        answer_ms INTEGER,
        chosen TEXT NOT NULL DEFAULT '[]',
        answer_group INTEGER,
        source TEXT NOT NULL DEFAULT 'app',
        auto_suspended INTEGER NOT NULL DEFAULT 0,
        UNIQUE (item, time_ms)
    );
    CREATE INDEX reviews_time ON reviews (time_ms);
    CREATE INDEX reviews_group ON reviews (answer_group);
    CREATE TABLE item_state (
        item TEXT PRIMARY KEY,
        phase INTEGER NOT NULL,
        step INTEGER NOT NULL,
        stability REAL,
        difficulty REAL,
        due_ms INTEGER,
        due_day INTEGER,
        interval_days INTEGER NOT NULL,
        reps INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        last_ms INTEGER,
        last_offset_s INTEGER,
        first_day INTEGER
    ) WITHOUT ROWID;
    CREATE TABLE item_flags (
        item TEXT PRIMARY KEY,
        suspended INTEGER NOT NULL DEFAULT 0,
        leech INTEGER NOT NULL DEFAULT 0,
        buried_until_day INTEGER,
        fingerprint INTEGER,
        content_changed INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
    // v2: mock exam attempts.
    "CREATE TABLE exam_attempts (
        id INTEGER PRIMARY KEY,
        exam TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        started_offset_s INTEGER NOT NULL,
        finished_ms INTEGER,
        finished_offset_s INTEGER,
        answers TEXT NOT NULL DEFAULT '[]',
        scaled_score INTEGER,
        domains TEXT NOT NULL DEFAULT '[]'
    );",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Maps a SQLite error on an existing file: damage is `Corrupt`, the rest `Sqlite`.
fn classify(path: &Path, err: rusqlite::Error) -> SrsError {
    let damaged = matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    );
    if damaged {
        SrsError::Corrupt {
            path: path.into(),
            detail: err.to_string(),
            backup: newest_backup(path),
        }
    } else {
        SrsError::from_sqlite(path, err)
    }
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> SrsError + '_ {
    move |source| SrsError::from_sqlite(path, source)
}

/// The daily backup next to the database.
pub fn daily_backup_path(path: &Path) -> PathBuf {
    with_suffix(path, ".bak")
}

/// The backup written before migrating from `version`.
pub fn migration_backup_path(path: &Path, version: i64) -> PathBuf {
    with_suffix(path, &format!(".v{version}.bak"))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The most recently written backup of this database, if any.
pub fn newest_backup(path: &Path) -> BackupNote {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let mut best: Option<(SystemTime, PathBuf)> = None;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().to_string();
            let is_backup = file.strip_prefix(&name).is_some_and(|rest| {
                rest == ".bak"
                    || rest
                        .strip_prefix(".v")
                        .and_then(|r| r.strip_suffix(".bak"))
                        .is_some_and(|v| v.parse::<u32>().is_ok())
            });
            let modified = entry.metadata().and_then(|m| m.modified()).ok();
            if let (true, Some(modified)) = (is_backup, modified)
                && best.as_ref().is_none_or(|(t, _)| modified > *t)
            {
                best = Some((modified, entry.path()));
            }
        }
    }
    BackupNote(best.map(|(_, p)| p))
}

/// Opens (creating if absent) a database, checking before anything is written that an existing
/// file is an intact shikaku database of a version we know; then WAL, FULL sync and migrations.
pub(super) fn open(path: &Path) -> Result<Connection, SrsError> {
    let existing = check_header(path)?;
    if !existing && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| SrsError::Io {
            path: dir.into(),
            source,
        })?;
    }
    // SQLite would open a file it cannot write read-only, create `-wal` and `-shm` in the file's
    // read-only mode, and only then fail: ask the file system first and leave nothing behind.
    if existing
        && let Err(err) = std::fs::OpenOptions::new().write(true).open(path)
        && matches!(
            err.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        )
    {
        return Err(SrsError::ReadOnly { path: path.into() });
    }
    repair_journal_modes(path);
    let conn = Connection::open(path).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql(path))?;
    if existing {
        check_existing(&conn, path)?;
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(SrsError::Sqlite {
            path: path.into(),
            source: rusqlite::Error::InvalidQuery,
        });
    }
    // FULL: in WAL mode every commit is fsynced before it returns, so an acknowledged answer
    // survives a power loss, not only a crash.
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql(path))?;
    migrate(&conn, path)?;
    Ok(conn)
}

/// Opens an existing database for reading only, after the same checks as [`open`]. With no
/// `-wal` file everything is in the database file, so it is opened `immutable`: SQLite then
/// needs no `-shm` either and creates nothing (a reader used to leave a `-shm` in a read-only
/// file's mode, which refused every write after the permission was fixed). With a `-wal` (a
/// running instance, or one that was killed) it is read through the WAL.
pub(super) fn open_read_only(path: &Path) -> Result<Connection, SrsError> {
    check_header(path)?;
    let immutable = !with_suffix(path, "-wal").exists();
    let uri = format!(
        "file:{}?mode=ro{}",
        uri_path(path),
        if immutable { "&immutable=1" } else { "" }
    );
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&uri, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql(path))?;
    check_existing(&conn, path)?;
    Ok(conn)
}

/// A path as the path of a SQLite `file:` URI: bytes other than unreserved ones and `/`
/// percent-encoded, so `?`, `#` and `%` in a folder name stay part of the path.
fn uri_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A read-only `-wal` or `-shm` next to a writable database would refuse every write (SQLite
/// creates them in the database file's mode, so a reader of a file made read-only for a while
/// left them so): give them the database file's mode again. Files of another owner are left.
fn repair_journal_modes(path: &Path) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.permissions().readonly() {
        return;
    }
    for suffix in ["-wal", "-shm"] {
        let file = with_suffix(path, suffix);
        if std::fs::metadata(&file).is_ok_and(|m| m.permissions().readonly()) {
            let _ = std::fs::set_permissions(&file, meta.permissions());
        }
    }
}

/// Whether a non-empty file is at `path` (false: none yet); a directory or a file that is not
/// SQLite is refused without being touched.
fn check_header(path: &Path) -> Result<bool, SrsError> {
    let existing = match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(SrsError::Foreign {
                path: path.into(),
                detail: "ディレクトリです".into(),
                backup: newest_backup(path),
            });
        }
        Ok(meta) => meta.len() > 0,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
        Err(source) => {
            return Err(SrsError::Io {
                path: path.into(),
                source,
            });
        }
    };
    if existing {
        let mut header = [0u8; 16];
        let read = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut header))
            .map_err(|source| SrsError::Io {
                path: path.into(),
                source,
            })?;
        if read < 16 || &header != b"SQLite format 3\0" {
            return Err(SrsError::Foreign {
                path: path.into(),
                detail: "SQLiteのデータベースファイルではありません".into(),
                backup: newest_backup(path),
            });
        }
    }
    Ok(existing)
}

fn check_existing(conn: &Connection, path: &Path) -> Result<(), SrsError> {
    let read_i64 = |pragma: &str| -> Result<i64, SrsError> {
        conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
            .map_err(|e| classify(path, e))
    };
    let app_id = read_i64("application_id")?;
    let version = read_i64("user_version")?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if check != "ok" {
        return Err(SrsError::Corrupt {
            path: path.into(),
            detail: check,
            backup: newest_backup(path),
        });
    }
    if app_id != APPLICATION_ID {
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        if !(app_id == 0 && version == 0 && objects == 0) {
            return Err(SrsError::Foreign {
                path: path.into(),
                detail: "別のアプリケーションのSQLiteデータベースです".into(),
                backup: newest_backup(path),
            });
        }
    }
    if version > SCHEMA_VERSION {
        return Err(SrsError::TooNew {
            path: path.into(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

fn user_version(conn: &Connection, path: &Path) -> Result<i64, SrsError> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql(path))
}

/// Brings the schema up to [`SCHEMA_VERSION`]; an existing schema is copied to
/// `progress.sqlite3.v<N>.bak` first.
fn migrate(conn: &Connection, path: &Path) -> Result<(), SrsError> {
    let version = user_version(conn, path)?;
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    if version > 0 {
        backup(conn, path, &migration_backup_path(path, version))?;
    }
    migrate_to(conn, path, SCHEMA_VERSION)
}

/// Applies the migrations up to `target` in one immediate transaction (another instance may have
/// migrated meanwhile: the version is read again under the lock).
pub(super) fn migrate_to(conn: &Connection, path: &Path, target: i64) -> Result<(), SrsError> {
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
        .map_err(sql(path))?;
    let version = user_version(&tx, path)?;
    for step in MIGRATIONS
        .iter()
        .take(target as usize)
        .skip(version.max(0) as usize)
    {
        tx.execute_batch(step).map_err(sql(path))?;
    }
    if version < target {
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(sql(path))?;
        tx.pragma_update(None, "user_version", target)
            .map_err(sql(path))?;
    }
    tx.commit().map_err(sql(path))
}

/// A consistent copy of the database at `target`, written to a temporary name and renamed. A
/// failed copy leaves no temporary behind.
pub(super) fn backup(conn: &Connection, path: &Path, target: &Path) -> Result<(), SrsError> {
    let tmp = with_suffix(target, &format!(".tmp{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let written = conn
        .execute("VACUUM INTO ?1", [tmp.to_string_lossy().as_ref()])
        .map_err(sql(path))
        .and_then(|_| {
            std::fs::rename(&tmp, target).map_err(|source| SrsError::Io {
                path: target.into(),
                source,
            })
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Removes backup temporaries (`progress.sqlite3*.bak.tmp<pid>`) that a killed process left:
/// any older than ten minutes (a backup takes seconds).
pub(super) fn remove_stale_temporaries(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let temporary = file
            .strip_prefix(name)
            .and_then(|rest| rest.split_once(".bak.tmp"))
            .is_some_and(|(_, pid)| pid.bytes().all(|b| b.is_ascii_digit()));
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(600));
        if temporary && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Refreshes `progress.sqlite3.bak` when it is missing or a day old (and there is something
/// to keep).
pub(super) fn daily_backup(conn: &Connection, path: &Path) -> Result<(), SrsError> {
    let target = daily_backup_path(path);
    let fresh = std::fs::metadata(&target)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < Duration::from_secs(86_400));
    if fresh {
        return Ok(());
    }
    let reviews: i64 = conn
        .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
        .map_err(sql(path))?;
    if reviews == 0 {
        return Ok(());
    }
    backup(conn, path, &target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{Settings, SrsError, Store};

    #[test]
    fn stale_backup_temporaries_are_removed_and_fresh_ones_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.sqlite3");
        let old = dir.path().join("progress.sqlite3.bak.tmp4242");
        let fresh = dir.path().join("progress.sqlite3.bak.tmp4243");
        let other = dir.path().join("notes.bak.tmp1");
        for f in [&old, &fresh, &other] {
            std::fs::write(f, "x").unwrap();
        }
        let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        let store = Store::open(&path, Settings::default()).unwrap();
        assert!(store.warnings().is_empty());
        assert!(!old.exists(), "a killed process's temporary is cleaned up");
        assert!(fresh.exists(), "a backup in progress is left alone");
        assert!(other.exists());
    }

    #[test]
    fn an_old_schema_is_backed_up_then_migrated_keeping_the_reviews() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.sqlite3");
        let conn = Connection::open(&path).unwrap();
        migrate_to(&conn, &path, 1).unwrap();
        conn.execute(
            "INSERT INTO reviews (item, time_ms, offset_s, rating, elapsed_days) VALUES ('c1', 1735693200000, 32400, 3, 0)",
            [],
        )
        .unwrap();
        drop(conn);

        let store = Store::open(&path, Settings::default()).unwrap();
        let version: i64 = store
            .connection()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert!(store.exam_attempts().unwrap().is_empty(), "v2 table exists");
        assert_eq!(
            store.item("c1").unwrap().unwrap().state.reps,
            1,
            "state recomputed from the log"
        );

        let backup = migration_backup_path(&path, 1);
        let old = Connection::open(&backup).unwrap();
        let old_version: i64 = old
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let old_reviews: i64 = old
            .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            (old_version, old_reviews),
            (1, 1),
            "the backup is the database before migrating"
        );
    }

    #[test]
    fn a_newer_schema_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.sqlite3");
        drop(Store::open(&path, Settings::default()).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        drop(conn);
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path, Settings::default()).unwrap_err();
        assert!(matches!(err, SrsError::TooNew { .. }), "{err:?}");
        assert!(err.to_string().contains("新しいバージョン"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}
