//! Spaced repetition and the progress store: FSRS reference vectors, the app's steps, the queue,
//! the store's durability-related behaviour (undo after restart, leeches, foreign/corrupt files),
//! export/import, statistics and the CLI commands on top.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use shikaku::content::{Card, Library, Misconception};
use shikaku::srs::{
    Catalog, CatalogItem, ExamAttempt, Interval, ItemKind, ItemState, Moment, NewReview, Phase,
    QueueReason, Rating, Scheduler, Settings, SrsError, Store, build_queue, exchange, stats,
};

fn at(text: &str) -> Moment {
    Moment::parse_rfc3339(text).unwrap()
}

fn scheduler() -> Scheduler {
    Scheduler::new(Settings::default(), &[]).unwrap()
}

fn review(item: &str, time: Moment, rating: Rating) -> NewReview {
    NewReview {
        item: item.into(),
        at: time,
        rating,
        answer_ms: Some(4200),
        chosen: vec![],
        fingerprint: None,
    }
}

/// Ratings 1,3,3,3,3,3 at elapsed study days 0,0,1,3,8,21 (10:00 in Tokyo, day start 04:00).
fn reference_log() -> Vec<(Moment, Rating)> {
    use Rating::*;
    vec![
        (at("2025-01-01T10:00:00+09:00"), Again),
        (at("2025-01-01T10:10:00+09:00"), Good),
        (at("2025-01-02T10:00:00+09:00"), Good),
        (at("2025-01-05T10:00:00+09:00"), Good),
        (at("2025-01-13T10:00:00+09:00"), Good),
        (at("2025-02-03T10:00:00+09:00"), Good),
    ]
}

fn assert_close(actual: f32, expected: f32, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-4,
        "{what}: {actual} != {expected}"
    );
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path(), Settings::default()).unwrap();
    (dir, store)
}

#[test]
fn fsrs_reference_vector_from_the_log() {
    let state = scheduler().replay("ref", reference_log()).unwrap();
    let memory = state.memory.unwrap();
    assert_close(memory.stability, 53.62691, "stability");
    assert_close(memory.difficulty, 6.3574867, "difficulty");
    assert_eq!(state.reps, 6);
}

#[test]
fn first_rating_gives_the_default_initial_stabilities() {
    let s = scheduler();
    let now = at("2025-01-01T10:00:00+09:00");
    let expected = [0.212, 1.2931, 2.3065, 8.2956];
    for (rating, want) in Rating::ALL.into_iter().zip(expected) {
        let state = s.apply("x", &ItemState::new_item(), rating, now).unwrap();
        assert_close(state.memory.unwrap().stability, want, rating.label());
    }
}

#[test]
fn the_day_starts_at_four_in_the_morning() {
    let s = scheduler();
    let evening = at("2025-01-01T21:00:00+09:00");
    assert_eq!(s.elapsed_days(evening, at("2025-01-02T03:59:00+09:00")), 0);
    assert_eq!(s.elapsed_days(evening, at("2025-01-02T04:00:00+09:00")), 1);
    // A review after midnight but before 04:00 still belongs to the day before, and
    // the recorded offset decides the local day, whatever the machine's zone.
    let late = at("2025-01-02T02:30:00+09:00");
    assert_eq!(
        late.day(Settings::default().day_start),
        evening.day(Settings::default().day_start)
    );
}

#[test]
fn new_items_go_through_one_and_ten_minute_steps() {
    let s = scheduler();
    let now = at("2025-03-01T09:00:00+09:00");
    let preview = s.preview("c", &ItemState::new_item(), now).unwrap();
    assert_eq!(preview[0].interval, Interval::Minutes(1));
    assert_eq!(
        preview[1].interval,
        Interval::Minutes(6),
        "Hard on the first step: between 1 and 10 min"
    );
    assert_eq!(preview[2].interval, Interval::Minutes(10));
    assert!(
        matches!(preview[3].interval, Interval::Days(d) if d >= 7),
        "{:?}",
        preview[3]
    );
    assert_eq!(preview[0].interval.label(), "1分");

    let after_good = s
        .apply("c", &ItemState::new_item(), Rating::Good, now)
        .unwrap();
    assert_eq!(after_good.phase, Phase::Learning);
    let later = now.plus_seconds(600);
    let graduated = s.apply("c", &after_good, Rating::Good, later).unwrap();
    assert_eq!(graduated.phase, Phase::Review);
    assert!(graduated.interval_days >= 1);
    // Due at the start (04:00) of the due study day.
    let due = Moment {
        timestamp: graduated.due.unwrap(),
        offset: now.offset,
    }
    .to_zoned();
    assert_eq!((due.hour(), due.minute()), (4, 0));
}

#[test]
fn review_buttons_are_ordered_and_a_lapse_goes_to_relearning() {
    let s = scheduler();
    let log = reference_log();
    let state = s.replay("ref", log.clone()).unwrap();
    let now = at("2025-03-20T10:00:00+09:00");
    let p = s.preview("ref", &state, now).unwrap();
    assert_eq!(p[0].interval, Interval::Minutes(10), "relearning step");
    let days: Vec<u32> = p[1..]
        .iter()
        .map(|n| match n.interval {
            Interval::Days(d) => d,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(days[0] < days[1] && days[1] < days[2], "{days:?}");
    assert_eq!(p[0].state.lapses, 1);
    assert_eq!(p[0].state.phase, Phase::Relearning);
}

#[test]
fn fuzz_is_seeded_and_stays_within_the_maximum() {
    let log = reference_log();
    let a = scheduler().replay("ref", log.clone()).unwrap();
    let b = scheduler().replay("ref", log.clone()).unwrap();
    assert_eq!(a, b, "replaying the same log gives the same intervals");
    let settings = Settings {
        max_interval_days: 30,
        ..Settings::default()
    };
    let capped = Scheduler::new(settings, &[])
        .unwrap()
        .replay("ref", log)
        .unwrap();
    assert!(capped.interval_days <= 30);
}

fn catalog() -> Catalog {
    let item = |id: &str, kind, domain: &str| CatalogItem {
        id: id.into(),
        kind,
        domain: Some(domain.into()),
        fingerprint: 1,
    };
    Catalog::new(vec![
        item("c1", ItemKind::Card, "iam"),
        item("c2", ItemKind::Card, "iam"),
        item("c3", ItemKind::Card, "detection"),
        item("q1", ItemKind::Question, "iam"),
        item("q2", ItemKind::Question, "detection"),
        item("q3", ItemKind::Question, "detection"),
        item("m1", ItemKind::Misconception, "iam"),
    ])
}

#[test]
fn the_queue_puts_learning_and_due_first_then_new_up_to_the_limit() {
    let (_dir, mut store) = temp_store();
    let day1 = at("2025-04-01T09:00:00+09:00");
    store.record(&review("c1", day1, Rating::Easy)).unwrap(); // review, due in days
    store.record(&review("q1", day1, Rating::Easy)).unwrap();
    let now = at("2025-05-01T09:00:00+09:00");
    store
        .record(&review("c2", now.plus_seconds(-120), Rating::Again))
        .unwrap(); // learning, due now

    let settings = Settings {
        daily_new_limit: 3,
        ..Settings::default()
    };
    let items = store.items().unwrap();
    let queue = build_queue(&catalog(), &items, now, &settings, 7);
    let ids: Vec<&str> = queue.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(queue[0].id, "c2");
    assert_eq!(queue[0].reason, QueueReason::Learning);
    assert_eq!(queue[1].reason, QueueReason::Due);
    assert_eq!(queue[2].reason, QueueReason::Due);
    assert_ne!(queue[1].kind, queue[2].kind, "kinds interleaved: {ids:?}");
    // c2 was introduced today, so 2 of the 3 new slots remain; kinds alternate; no misconception.
    let new: Vec<&str> = queue
        .iter()
        .filter(|e| e.reason == QueueReason::New)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(new, ["c3", "q2"]);
    assert!(!ids.contains(&"m1"));
    assert_eq!(
        queue,
        build_queue(&catalog(), &items, now, &settings, 7),
        "deterministic per seed"
    );

    store.set_suspended("c1", true).unwrap();
    store.bury("q1", now).unwrap();
    let queue = build_queue(&catalog(), &store.items().unwrap(), now, &settings, 7);
    assert!(
        queue.iter().all(|e| e.id != "c1" && e.id != "q1"),
        "{queue:?}"
    );
    let tomorrow = at("2025-05-02T09:00:00+09:00");
    let queue = build_queue(&catalog(), &store.items().unwrap(), tomorrow, &settings, 7);
    assert!(
        queue.iter().any(|e| e.id == "q1"),
        "burial ends with the day"
    );
    assert!(queue.iter().all(|e| e.id != "c1"), "suspension stays");
}

#[test]
fn due_reviews_are_shuffled_by_the_seed() {
    let items: Vec<CatalogItem> = (0..30)
        .map(|i| CatalogItem {
            id: format!("c{i:02}"),
            kind: ItemKind::Card,
            domain: None,
            fingerprint: 0,
        })
        .collect();
    let catalog = Catalog::new(items);
    let (_dir, mut store) = temp_store();
    for i in 0..30 {
        store
            .record(&review(
                &format!("c{i:02}"),
                at("2025-01-01T09:00:00Z"),
                Rating::Easy,
            ))
            .unwrap();
    }
    let now = at("2026-01-01T09:00:00Z");
    let items = store.items().unwrap();
    let order = |seed| {
        build_queue(&catalog, &items, now, &Settings::default(), seed)
            .into_iter()
            .map(|e| e.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(order(1).len(), 30);
    assert_eq!(order(1), order(1));
    assert_ne!(order(1), order(2));
}

#[test]
fn recorded_state_matches_the_preview_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let now = at("2025-01-01T10:00:00+09:00");
    let mut store = Store::open_in(dir.path(), Settings::default()).unwrap();
    let preview = store.preview("c1", now).unwrap();
    let recorded = store.record(&review("c1", now, Rating::Good)).unwrap();
    assert_eq!(recorded.state, preview[2].state);
    drop(store);
    let store = Store::open_in(dir.path(), Settings::default()).unwrap();
    assert_eq!(store.item("c1").unwrap().unwrap().state, recorded.state);
    let sync: i64 = store
        .connection()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let mode: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn the_store_recomputes_the_reference_vector() {
    let (_dir, mut store) = temp_store();
    for (time, rating) in reference_log() {
        store.record(&review("ref", time, rating)).unwrap();
    }
    let memory = store.item("ref").unwrap().unwrap().state.memory.unwrap();
    assert_close(memory.stability, 53.62691, "stability");
    assert_close(memory.difficulty, 6.3574867, "difficulty");
    let elapsed: Vec<u32> = store
        .history("ref")
        .unwrap()
        .iter()
        .map(|r| r.elapsed_days)
        .collect();
    assert_eq!(elapsed, [0, 0, 1, 3, 8, 21]);
}

#[test]
fn undo_takes_back_the_whole_last_answer_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let t = at("2025-01-01T10:00:00+09:00");
    let mut store = Store::open_in(dir.path(), Settings::default()).unwrap();
    let first = store.record(&review("q1", t, Rating::Good)).unwrap();
    // A wrong answer naming a misconception: the question and the misconception together.
    store
        .record_all(&[
            review("q1", t.plus_seconds(700), Rating::Again),
            review("m1", t.plus_seconds(700), Rating::Again),
        ])
        .unwrap();
    drop(store);
    let mut store = Store::open_in(dir.path(), Settings::default()).unwrap();
    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.item, "q1");
    assert_eq!(undone.reviews.len(), 2);
    assert_eq!(store.item("q1").unwrap().unwrap().state, first.state);
    assert!(
        store.item("m1").unwrap().is_none(),
        "the misconception is new again"
    );
    store.undo_last().unwrap().unwrap();
    assert!(store.undo_last().unwrap().is_none());
    assert!(store.history("q1").unwrap().is_empty());
}

#[test]
fn eight_lapses_make_a_leech_that_is_tagged_and_suspended() {
    let (_dir, mut store) = temp_store();
    let mut t = at("2025-01-01T10:00:00+09:00");
    store.record(&review("hard-one", t, Rating::Easy)).unwrap();
    let mut last = None;
    for lapse in 1..=8 {
        let state = store.item("hard-one").unwrap().unwrap().state;
        t = Moment {
            timestamp: state.due.unwrap(),
            offset: t.offset,
        }
        .plus_seconds(3600);
        let r = store.record(&review("hard-one", t, Rating::Again)).unwrap();
        assert_eq!(r.state.lapses, lapse);
        assert_eq!(r.became_leech, lapse == 8, "lapse {lapse}");
        last = Some(r);
        if lapse < 8 {
            t = t.plus_seconds(600);
            store.record(&review("hard-one", t, Rating::Good)).unwrap();
        }
    }
    assert!(last.unwrap().became_leech);
    let item = store.item("hard-one").unwrap().unwrap();
    assert!(item.leech && item.suspended);
    store.undo_last().unwrap();
    let item = store.item("hard-one").unwrap().unwrap();
    assert!(
        !item.leech && !item.suspended,
        "undo lifts the leech it caused"
    );
    assert_eq!(item.state.lapses, 7);
}

fn assert_refused(path: &Path, expect_backup: Option<&Path>) -> String {
    let before = std::fs::read(path).unwrap();
    let err = Store::open(path, Settings::default()).unwrap_err();
    assert!(
        matches!(err, SrsError::Foreign { .. } | SrsError::Corrupt { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("バックアップ"), "{message}");
    if let Some(backup) = expect_backup {
        assert!(message.contains(&backup.display().to_string()), "{message}");
    }
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "the file is never overwritten"
    );
    message
}

#[test]
fn a_foreign_or_corrupt_file_is_refused_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.sqlite3");

    std::fs::write(
        &path,
        "これはデータベースではありません。大事なメモ\n".repeat(20),
    )
    .unwrap();
    let message = assert_refused(&path, None);
    assert!(message.contains("バックアップはありません"), "{message}");

    std::fs::remove_file(&path).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');")
        .unwrap();
    drop(other);
    assert_refused(&path, None);

    // A damaged shikaku database, with a backup from an earlier start.
    std::fs::remove_file(&path).unwrap();
    let mut store = Store::open(&path, Settings::default()).unwrap();
    for i in 0..200 {
        store
            .record(&review(
                &format!("item-{i}"),
                at("2025-01-01T10:00:00Z"),
                Rating::Good,
            ))
            .unwrap();
    }
    drop(store);
    drop(Store::open(&path, Settings::default()).unwrap()); // writes the daily backup
    let backup = dir.path().join("progress.sqlite3.bak");
    assert!(backup.exists());
    let mut bytes = std::fs::read(&path).unwrap();
    for b in bytes.iter_mut().skip(4096).take(8192) {
        *b = 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("progress.sqlite3-wal"));
    let _ = std::fs::remove_file(dir.path().join("progress.sqlite3-shm"));
    assert_refused(&path, Some(&backup));
    // The backup named in the message is a working copy.
    let restored = Store::open(&backup, Settings::default()).unwrap();
    assert_eq!(restored.all_reviews().unwrap().len(), 200);
}

#[test]
fn export_then_import_merges_without_duplicates() {
    let (_dir, mut source) = temp_store();
    let t = at("2025-01-01T21:30:00.250+09:00");
    for (i, rating) in [Rating::Good, Rating::Hard, Rating::Again, Rating::Easy]
        .into_iter()
        .enumerate()
    {
        source
            .record(&review("c1", t.plus_seconds(86_400 * i as i64 * 2), rating))
            .unwrap();
        source
            .record(&review(
                "q1",
                t.plus_seconds(3600 + 86_400 * i as i64),
                rating,
            ))
            .unwrap();
    }
    let file = exchange::export_json(&source.all_reviews().unwrap(), t);
    assert!(
        file.reviews[0].time.ends_with("+09:00"),
        "{}",
        file.reviews[0].time
    );
    let text = serde_json::to_string(&file).unwrap();

    let (_dir2, mut target) = temp_store();
    target.record(&review("c1", t, Rating::Good)).unwrap(); // already there
    let parsed = exchange::parse_import(&text, Path::new("backup.json")).unwrap();
    let report = target.import(&parsed).unwrap();
    assert_eq!((report.added, report.duplicates), (7, 1));
    let again = target.import(&parsed).unwrap();
    assert_eq!((again.added, again.duplicates), (0, 8));
    assert_eq!(target.all_reviews().unwrap().len(), 8);
    for id in ["c1", "q1"] {
        assert_eq!(
            target.item(id).unwrap().unwrap().state,
            source.item(id).unwrap().unwrap().state
        );
    }
}

#[test]
fn import_takes_a_file_with_only_item_time_and_rating_and_reports_bad_ones() {
    let ok = r#"{"reviews": [{"item": "c9", "time": "2025-01-01T10:00:00+09:00", "rating": 3}]}"#;
    let reviews = exchange::parse_import(ok, Path::new("a.json")).unwrap();
    assert_eq!(reviews[0].rating, Rating::Good);
    let bad = r#"{"reviews": [{"item": "c9", "time": "2025-01-01T10:00:00+09:00", "rating": 5}]}"#;
    let err = exchange::parse_import(bad, Path::new("b.json"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("b.json") && err.contains("reviews[0]") && err.contains("rating"),
        "{err}"
    );
    let no_offset = r#"{"reviews": [{"item": "c9", "time": "2025-01-01T10:00:00", "rating": 3}]}"#;
    let err = exchange::parse_import(no_offset, Path::new("c.json"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("RFC 3339"), "{err}");
}

#[test]
fn edited_items_are_flagged_and_vanished_ones_kept_as_orphans() {
    let (_dir, mut store) = temp_store();
    let t = at("2025-01-01T10:00:00+09:00");
    store
        .record(&NewReview {
            fingerprint: Some(1),
            ..review("c1", t, Rating::Good)
        })
        .unwrap();
    store.record(&review("gone", t, Rating::Good)).unwrap();
    let mut items = catalog().items().to_vec();
    items[0].fingerprint = 2; // c1's text was edited
    let sync = store.sync_content(&Catalog::new(items.clone())).unwrap();
    assert_eq!(sync.changed, ["c1"]);
    assert_eq!(sync.orphans, ["gone"]);
    let c1 = store.item("c1").unwrap().unwrap();
    assert!(c1.content_changed);
    assert_eq!(c1.state.reps, 1, "history kept");
    store.acknowledge_change("c1").unwrap();
    assert!(!store.item("c1").unwrap().unwrap().content_changed);
    assert!(
        store
            .sync_content(&Catalog::new(items))
            .unwrap()
            .changed
            .is_empty()
    );
    assert_eq!(
        store.history("gone").unwrap().len(),
        1,
        "orphans are never deleted"
    );
}

#[test]
fn exam_attempts_are_saved_updated_and_listed() {
    let (_dir, mut store) = temp_store();
    let start = at("2025-06-01T09:00:00+09:00");
    let mut attempt = ExamAttempt {
        id: None,
        exam: "SCS-C03".into(),
        started: start,
        finished: None,
        answers: serde_json::json!([]),
        scaled_score: None,
        domains: serde_json::json!([]),
    };
    let id = store.save_exam_attempt(&attempt).unwrap();
    attempt.id = Some(id);
    attempt.finished = Some(start.plus_seconds(170 * 60));
    attempt.answers = serde_json::json!([{"question": "q1", "chosen": ["a"]}]);
    attempt.scaled_score = Some(812);
    attempt.domains = serde_json::json!([{"domain": "iam", "correct": 8, "total": 10}]);
    assert_eq!(store.save_exam_attempt(&attempt).unwrap(), id);
    assert_eq!(store.exam_attempts().unwrap(), vec![attempt]);
}

#[test]
fn stats_count_days_retention_forecast_domains_and_orphans() {
    let (_dir, mut store) = temp_store();
    let t = at("2025-01-01T10:00:00+09:00");
    store.record(&review("c1", t, Rating::Good)).unwrap();
    store
        .record(&review("c1", t.plus_seconds(86_400 * 3), Rating::Good))
        .unwrap();
    store.record(&review("q1", t, Rating::Good)).unwrap();
    store
        .record(&review("q1", t.plus_seconds(86_400 * 3), Rating::Again))
        .unwrap();
    store.record(&review("gone", t, Rating::Easy)).unwrap();
    let now = t.plus_seconds(86_400 * 3 + 60);
    let s = stats::compute(
        &store.all_reviews().unwrap(),
        &store.items().unwrap(),
        &catalog(),
        now,
        &Settings::default(),
    );
    assert_eq!(s.total_reviews, 5);
    assert_eq!(s.reviews_per_day.len(), 2);
    assert_eq!(s.reviews_per_day[0].count, 3);
    assert_eq!((s.true_retention.passed, s.true_retention.total), (1, 2));
    assert_eq!(s.forecast.len(), 30);
    assert_eq!(
        s.forecast.iter().map(|d| d.count).sum::<usize>(),
        3,
        "{:?}",
        s.forecast
    );
    let iam = s.domains.iter().find(|d| d.domain == "iam").unwrap();
    assert_eq!((iam.correct, iam.reviews), (3, 4));
    assert_eq!(s.orphans, ["gone"]);
}

#[test]
fn anki_tsv_has_the_header_and_one_escaped_line_per_card_and_misconception() {
    let card = Card {
        id: "scp".into(),
        title: "SCP\tと\"権限\"".into(),
        domain: "iam".into(),
        tags: vec![],
        facts: vec!["上限を決める".into(), "管理アカウントには効かない".into()],
        body: None,
        related: vec![],
        sources: vec![],
    };
    let misconception = Misconception {
        id: "scp-does-auth".into(),
        belief: "SCPで認証できる".into(),
        correction: "SCPは権限の上限".into(),
        topics: vec![],
    };
    let library = Library::new(vec![card], vec![], vec![misconception], vec![], vec![]);
    let tsv = exchange::anki_tsv(&library);
    assert_eq!(
        tsv,
        "#separator:tab\n#html:false\n#tags column:3\n\
         \"SCP\tと\"\"権限\"\"\"\t\"・上限を決める\n・管理アカウントには効かない\"\tshikaku shikaku::iam\n\
         【誤解】SCPで認証できる\tSCPは権限の上限\tshikaku shikaku::誤解\n"
    );
}

// ---- the command line ----

fn shikaku(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(args)
        .env("SHIKAKU_DATA", data)
        .env("SHIKAKU_NOW", "2025-02-10T12:00:00+09:00")
        .env_remove("SHIKAKU_CONTENT")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write_history(dir: &Path) -> PathBuf {
    let reviews: Vec<_> = reference_log()
        .into_iter()
        .map(|(m, r)| serde_json::json!({"item": "zz-imported", "time": m.to_rfc3339(), "rating": r.number()}))
        .collect();
    let path = dir.join("history.json");
    std::fs::write(&path, serde_json::json!({ "reviews": reviews }).to_string()).unwrap();
    path
}

#[test]
fn cli_import_then_card_json_shows_the_reference_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write_history(dir.path());
    let (code, out, err) = shikaku(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("6件の復習を取り込みました"), "{out}");
    let (code, out, _) = shikaku(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("0件の復習を取り込みました") && out.contains("6件は飛ばしました"),
        "{out}"
    );

    let (code, out, err) = shikaku(&data, &["card", "zz-imported", "--json"]);
    assert_eq!(code, 0, "{err}");
    let card: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_close(
        card["stability"].as_f64().unwrap() as f32,
        53.62691,
        "stability",
    );
    assert_close(
        card["difficulty"].as_f64().unwrap() as f32,
        6.3574867,
        "difficulty",
    );
    assert_eq!(card["orphan"], true, "an id the content lacks still shows");
    assert_eq!(card["history"].as_array().unwrap().len(), 6);
    let r = card["retrievability"].as_f64().unwrap();
    assert!(r > 0.9 && r <= 1.0, "{r}");

    let (code, out, _) = shikaku(&data, &["card", "zz-imported"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("安定度(S): 53.63日") && out.contains("履歴:"),
        "{out}"
    );
    let (code, _, err) = shikaku(&data, &["card", "no-such-item"]);
    assert_eq!(code, 2, "an unknown id is a bad argument");
    assert!(err.contains("no-such-item"), "{err}");
}

#[test]
fn cli_export_stats_and_optimize() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write_history(dir.path());
    assert_eq!(shikaku(&data, &["import", file.to_str().unwrap()]).0, 0);

    let export = dir.path().join("export.json");
    let (code, out, err) = shikaku(&data, &["export", export.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}{out}");
    assert!(
        err.contains("6件の復習を"),
        "the report goes to stderr: {err}"
    );
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    assert_eq!(exported["reviews"][0]["time"], "2025-01-01T10:00:00+09:00");
    assert_eq!(exported["reviews"][0]["rating"], 1);

    let (code, out, err) = shikaku(&data, &["stats", "--json"]);
    assert_eq!(code, 0, "{err}");
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stats["total_reviews"], 6);
    assert_eq!(stats["forecast"].as_array().unwrap().len(), 30);
    assert_eq!(stats["orphans"], serde_json::json!(["zz-imported"]));
    let (code, out, _) = shikaku(&data, &["stats"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("真の保持率") && out.contains("孤立した項目"),
        "{out}"
    );

    let (code, out, err) = shikaku(&data, &["optimize"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("64回必要") && out.contains("あと60回"),
        "{out}"
    );
}

#[test]
fn cli_refuses_a_corrupt_database_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("progress.sqlite3");
    std::fs::write(&db, b"not a database at all").unwrap();
    let (code, _, err) = shikaku(dir.path(), &["stats"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&db.display().to_string()) && err.contains("バックアップ"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), b"not a database at all");
}

#[test]
fn optimize_fits_parameters_on_enough_reviews_and_keeps_them_only_if_better() {
    use shikaku::srs::optimize::{MIN_TRAINING_REVIEWS, Outcome, optimize, training_items};
    let (_dir, mut store) = temp_store();
    // 40 items, each reviewed on growing gaps; harder items forget sometimes.
    let base = at("2024-01-01T10:00:00+09:00");
    let mut reviews = Vec::new();
    for i in 0..40u32 {
        let mut day = 0i64;
        for (n, gap) in [0i64, 1, 3, 7, 15, 30].into_iter().enumerate() {
            day += gap;
            let forgot = (i * 7 + n as u32 * 3) % 10 < (i % 4) + 1;
            let rating = if n == 0 {
                Rating::Good
            } else if forgot {
                Rating::Again
            } else {
                Rating::Good
            };
            reviews.push(review(
                &format!("item-{i}"),
                base.plus_seconds(day * 86_400 + i64::from(i)),
                rating,
            ));
        }
    }
    store.import(&reviews).unwrap();
    let (items, _) = training_items(&store.all_reviews().unwrap(), Settings::default().day_start);
    assert_eq!(items.len(), 200);
    assert!(items.len() >= MIN_TRAINING_REVIEWS);
    match optimize(&mut store).unwrap() {
        Outcome::Improved {
            before,
            after,
            parameters,
        } => {
            assert!(after < before);
            assert_eq!(store.saved_parameters().unwrap(), parameters);
            assert_eq!(store.scheduler().parameters(), parameters.as_slice());
        }
        Outcome::NotImproved { before, after } => {
            assert!(after >= before);
            assert!(store.saved_parameters().unwrap().is_empty());
        }
        other => panic!("{other:?}"),
    }
    let _: HashMap<(), ()> = HashMap::new();
}

#[test]
fn a_wrong_choice_naming_a_misconception_schedules_it_with_again() {
    use shikaku::content::{Choice, Question, QuestionType};
    use shikaku::srs::grade;
    let choice = |id: &str, correct: bool, misconception: Option<&str>| Choice {
        id: id.into(),
        text: format!("選択肢{id}"),
        correct,
        why: (!correct).then(|| "理由".to_string()),
        misconception: misconception.map(str::to_string),
    };
    let question = Question {
        id: "q-scp".into(),
        kind: QuestionType::Single,
        domain: "iam".into(),
        task: None,
        skills: vec![],
        topics: vec![],
        tags: vec![],
        scenario: None,
        no_scenario: Some("サービスの知識を問う".into()),
        prompt: "問い".into(),
        explanation: "解説".into(),
        pick: None,
        choices: vec![
            choice("a", true, None),
            choice("b", false, Some("scp-does-auth")),
        ],
        items: vec![],
        pairs: vec![],
        sources: vec![],
        lint_allow: vec![],
    };
    let now = at("2025-01-01T10:00:00+09:00");
    let wrong = vec!["b".to_string()];
    assert_eq!(grade::choices_correct(&question, &wrong), Some(false));
    let reviews = grade::answer_reviews(&question, false, None, &wrong, Some(9000), now);
    let got: Vec<(&str, Rating)> = reviews
        .iter()
        .map(|r| (r.item.as_str(), r.rating))
        .collect();
    assert_eq!(
        got,
        [("q-scp", Rating::Again), ("scp-does-auth", Rating::Again)]
    );

    let right = vec!["a".to_string()];
    assert_eq!(grade::choices_correct(&question, &right), Some(true));
    let reviews = grade::answer_reviews(&question, true, Some(Rating::Easy), &right, None, now);
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        reviews[0].rating,
        Rating::Easy,
        "a right answer may be rated Easy"
    );
    assert_eq!(
        grade::question_rating(true, Some(Rating::Again)),
        Rating::Good
    );
}

#[test]
fn flags_survive_a_restart_and_two_instances() {
    let (dir, mut store) = temp_store();
    let mut other = Store::open_in(dir.path(), Settings::default()).unwrap();
    store.set_flagged("q-a", true).unwrap();
    other.set_flagged("q-b", true).unwrap();
    store.set_flagged("q-c", true).unwrap();
    store.set_flagged("q-c", false).unwrap();
    drop((store, other));
    let store = Store::open_in(dir.path(), Settings::default()).unwrap();
    let flagged: Vec<String> = store.flagged().unwrap().into_iter().collect();
    assert_eq!(
        flagged,
        ["q-a", "q-b"],
        "neither instance lost the other's flag"
    );
}
