//! Crash safety of the progress store: a writer process recording reviews in a loop is killed
//! with SIGKILL at many points; every review it acknowledged must be there afterwards and the
//! database must pass `PRAGMA integrity_check`. Two writers at once must lose nothing.
//!
//! The writer is this test binary itself, re-run with `--ignored --exact writer`.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use shikaku::srs::{Moment, NewReview, Rating, Settings, Store};

const DB_ENV: &str = "SHIKAKU_CRASH_DB";
const PREFIX_ENV: &str = "SHIKAKU_CRASH_PREFIX";
const LIMIT_ENV: &str = "SHIKAKU_CRASH_LIMIT";

/// The review a writer records as number `n` (unique per prefix and n).
fn nth_review(prefix: &str, n: u64) -> NewReview {
    let base = Moment::parse_rfc3339("2025-01-01T10:00:00+09:00").unwrap();
    NewReview {
        item: format!("{prefix}-{}", n % 37),
        at: base.plus_seconds(n as i64 * 7919),
        rating: Rating::ALL[(n % 4) as usize],
        answer_ms: Some(1000 + n as u32),
        chosen: vec!["a".into()],
        fingerprint: Some(n % 3),
    }
}

/// The writer: records reviews and prints `ack N` after each commit returns.
#[test]
#[ignore = "run by the crash tests as a child process"]
fn writer() {
    let Ok(db) = std::env::var(DB_ENV) else {
        return;
    };
    let prefix = std::env::var(PREFIX_ENV).unwrap_or_else(|_| "w".into());
    let limit: u64 = std::env::var(LIMIT_ENV)
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(u64::MAX);
    let mut store = Store::open(Path::new(&db), Settings::default()).unwrap();
    let start = store
        .all_reviews()
        .unwrap()
        .iter()
        .filter(|r| r.item.starts_with(&format!("{prefix}-")))
        .count() as u64;
    let mut out = std::io::stdout().lock();
    for n in start..start.saturating_add(limit) {
        store.record(&nth_review(&prefix, n)).unwrap();
        writeln!(out, "ack {n}").unwrap();
        out.flush().unwrap();
    }
}

fn spawn_writer(db: &Path, prefix: &str, limit: Option<u64>) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--ignored",
        "--exact",
        "writer",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(DB_ENV, db)
    .env(PREFIX_ENV, prefix)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(limit) = limit {
        cmd.env(LIMIT_ENV, limit.to_string());
    }
    cmd.spawn().unwrap()
}

/// Reads `ack N` lines on a thread; the receiver yields each N.
fn acks(child: &mut Child) -> mpsc::Receiver<u64> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // libtest may print "test writer ... " before the first line of output.
            let ack = line.rfind("ack ").map(|i| &line[i + 4..]);
            if let Some(n) = ack.and_then(|n| n.trim().parse().ok())
                && tx.send(n).is_err()
            {
                break;
            }
        }
    });
    rx
}

fn check_integrity(store: &Store) {
    let result: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(result, "ok");
}

/// The derived state agrees with the log: every item's reps equal its review count.
fn check_state_matches_log(store: &Store) {
    let reviews = store.all_reviews().unwrap();
    for (id, item) in store.items().unwrap() {
        let logged = reviews.iter().filter(|r| r.item == id).count();
        assert_eq!(item.state.reps as usize, logged, "state of {id}");
    }
}

#[test]
fn sigkill_at_many_points_loses_no_acknowledged_review() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("progress.sqlite3");
    let mut acknowledged: HashSet<u64> = HashSet::new();
    // Kill times from "while creating the database" to "after many commits".
    let delays_ms = [1u64, 3, 8, 15, 25, 40, 60, 90, 130, 180, 250, 350];
    let mut kills_after_acks = 0;
    for (round, delay) in delays_ms.into_iter().enumerate() {
        let mut child = spawn_writer(&db, "w", None);
        let rx = acks(&mut child);
        let deadline = Instant::now() + Duration::from_millis(delay);
        // Collect acknowledgements until the kill time (the child keeps writing).
        while let Ok(n) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            acknowledged.insert(n);
            if Instant::now() >= deadline {
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Acks already written to the pipe before the kill count too.
        while let Ok(n) = rx.recv_timeout(Duration::from_millis(200)) {
            acknowledged.insert(n);
        }
        let store = Store::open(&db, Settings::default()).unwrap();
        check_integrity(&store);
        let present: HashSet<(String, i64)> = store
            .all_reviews()
            .unwrap()
            .into_iter()
            .map(|r| (r.item, r.at.millis()))
            .collect();
        for n in &acknowledged {
            let r = nth_review("w", *n);
            assert!(
                present.contains(&(r.item.clone(), r.at.millis())),
                "round {round}: review {n} lost"
            );
        }
        check_state_matches_log(&store);
        if !acknowledged.is_empty() {
            kills_after_acks += 1;
        }
    }
    assert!(
        kills_after_acks >= 6,
        "the writer must have been killed mid-stream several times"
    );
    assert!(
        acknowledged.len() >= 20,
        "only {} reviews acknowledged",
        acknowledged.len()
    );
}

#[test]
fn two_instances_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("progress.sqlite3");
    drop(Store::open(&db, Settings::default()).unwrap());
    let per_writer = 150;
    let mut a = spawn_writer(&db, "a", Some(per_writer));
    let mut b = spawn_writer(&db, "b", Some(per_writer));
    let (ra, rb) = (acks(&mut a), acks(&mut b));
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    assert_eq!(ra.iter().count() as u64, per_writer);
    assert_eq!(rb.iter().count() as u64, per_writer);
    let store = Store::open(&db, Settings::default()).unwrap();
    check_integrity(&store);
    let reviews = store.all_reviews().unwrap();
    assert_eq!(reviews.len() as u64, per_writer * 2);
    for prefix in ["a", "b"] {
        for n in 0..per_writer {
            let r = nth_review(prefix, n);
            assert!(
                reviews.iter().any(|x| x.item == r.item && x.at == r.at),
                "{prefix} {n}"
            );
        }
    }
    check_state_matches_log(&store);
}
