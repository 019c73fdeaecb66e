//! Folder sync (issue 14): two data dirs and one folder end up with equal stores, equal to one
//! that saw every review directly; random interleavings of events and syncs converge; what sync
//! tools do to files (cut-off lines, conflict copies, newer journals, clocks that are off,
//! missing or read-only folders) is survived without losing anything; a real git repository
//! works as the folder.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use shikaku::srs::sync::{Notice, SyncError, journal_dir};
use shikaku::srs::{ExamAttempt, Moment, NewReview, Rating, Settings, Store, StoredItem};

fn at(text: &str) -> Moment {
    Moment::parse_rfc3339(text).unwrap()
}

fn base() -> Moment {
    at("2026-11-01T09:00:00+09:00")
}

fn review(item: &str, time: Moment, rating: Rating) -> NewReview {
    NewReview {
        item: item.into(),
        at: time,
        rating,
        answer_ms: Some(3100),
        chosen: vec!["a".into()],
        fingerprint: None,
    }
}

fn open(dir: &Path) -> Store {
    Store::open_in(dir, Settings::default()).unwrap()
}

/// Everything a learner would see of a store: the log (without row ids and sources), every
/// item's state and flags, the flagged set and the finished exams.
/// One log row: item, time, rating, answer time, choices, elapsed days.
type LogRow = (String, i64, u8, Option<u32>, Vec<String>, u32);

/// The log (item, time, rating) and each item's due time.
type Core = (Vec<(String, i64, u8)>, BTreeMap<String, i64>);

#[derive(Debug, PartialEq)]
struct Seen {
    log: Vec<LogRow>,
    items: BTreeMap<String, StoredItem>,
    flagged: Vec<String>,
    exams: Vec<(String, i64, Option<u32>)>,
}

fn seen(store: &Store) -> Seen {
    Seen {
        log: store
            .all_reviews()
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r.item,
                    r.at.millis(),
                    r.rating.number(),
                    r.answer_ms,
                    r.chosen,
                    r.elapsed_days,
                )
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        items: store
            .items()
            .unwrap()
            .into_iter()
            // An item whose flags are all off is the same as no row at all.
            .filter(|(_, s)| s.state.reps > 0 || s.suspended || s.leech || s.buried_until.is_some())
            .collect(),
        flagged: store.flagged().unwrap().into_iter().collect(),
        exams: {
            let mut e: Vec<_> = store
                .exam_attempts()
                .unwrap()
                .into_iter()
                .filter(|a| a.finished.is_some())
                .map(|a| (a.exam, a.started.millis(), a.scaled_score))
                .collect();
            e.sort();
            e
        },
    }
}

fn only_log_and_states(s: Seen) -> Core {
    (
        s.log.into_iter().map(|l| (l.0, l.1, l.2)).collect(),
        s.items
            .into_iter()
            .map(|(id, item)| (id, item.state.due.map_or(0, |d| d.as_millisecond())))
            .collect(),
    )
}

#[test]
fn two_data_dirs_and_one_folder_end_with_equal_stores_equal_to_one_that_saw_every_review() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let (laptop_dir, desktop_dir, direct_dir) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let mut laptop = open(&laptop_dir);
    let mut desktop = open(&desktop_dir);
    let mut direct = open(&direct_dir);

    let t = |h: i64| base().plus_seconds(h * 3600);
    let on_laptop = [
        review("scp", t(0), Rating::Good),
        review("kms", t(1), Rating::Again),
        review("scp", t(26), Rating::Good),
    ];
    let on_desktop = [
        review("kms", t(2), Rating::Good),
        review("guardduty", t(3), Rating::Hard),
        review("scp", t(50), Rating::Easy),
    ];
    for r in &on_laptop {
        laptop.record(r).unwrap();
    }
    for r in &on_desktop {
        desktop.record(r).unwrap();
    }
    let mut all: Vec<&NewReview> = on_laptop.iter().chain(&on_desktop).collect();
    all.sort_by_key(|r| r.at.millis());
    for r in all {
        direct.record(r).unwrap();
    }
    // An answer taken back on the desktop, then given again with another rating.
    desktop
        .record(&review("vpc", t(60), Rating::Again))
        .unwrap();
    desktop.undo_last().unwrap().unwrap();
    desktop.record(&review("vpc", t(61), Rating::Good)).unwrap();
    direct.record(&review("vpc", t(61), Rating::Good)).unwrap();
    laptop.set_suspended("guardduty", true).unwrap();
    desktop.set_flagged("kms", true).unwrap();
    desktop.bury("scp", t(62)).unwrap();
    laptop
        .save_exam_attempt(&ExamAttempt {
            id: None,
            exam: "SCS-C03".into(),
            started: t(5),
            finished: Some(t(7)),
            answers: serde_json::json!([]),
            scaled_score: Some(780),
            domains: serde_json::json!([]),
        })
        .unwrap();

    let now = t(70);
    let first = laptop.sync_folder(&folder, now).unwrap();
    assert_eq!((first.imported, first.sent), (0, 5), "{first:?}");
    let second = desktop.sync_folder(&folder, now).unwrap();
    assert_eq!(
        second.imported, 3,
        "the laptop's reviews came in: {second:?}"
    );
    assert_eq!(
        second.summary().unwrap().split('。').next().unwrap(),
        "別の端末から 3件の復習を取り込みました"
    );
    let third = laptop.sync_folder(&folder, now.plus_seconds(60)).unwrap();
    assert_eq!(third.imported, 4, "{third:?}");
    assert!(third.notices.is_empty(), "{:?}", third.notices);

    let a = seen(&laptop);
    let b = seen(&desktop);
    assert_eq!(a, b, "both stores are equal");
    assert_eq!(a.flagged, ["kms"]);
    assert!(a.items["guardduty"].suspended && a.items["scp"].buried_until.is_some());
    assert_eq!(a.exams.len(), 1);
    assert_eq!(
        only_log_and_states(a),
        only_log_and_states(seen(&direct)),
        "and equal to a store that saw every review directly"
    );
    assert!(
        !seen(&desktop).log.iter().any(|l| l.1 == t(60).millis()),
        "the undone answer stays undone"
    );

    // Nothing is duplicated by syncing again, in either order.
    let again = desktop.sync_folder(&folder, now.plus_seconds(120)).unwrap();
    let again2 = laptop.sync_folder(&folder, now.plus_seconds(180)).unwrap();
    assert_eq!(
        (again.imported, again.sent, again2.imported, again2.sent),
        (0, 0, 0, 0)
    );
    assert_eq!(seen(&laptop), seen(&desktop));
}

#[test]
fn flags_and_suspensions_go_to_the_last_writer_even_when_its_clock_is_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let mut a = open(&tmp.path().join("a"));
    let mut b = open(&tmp.path().join("b"));
    let now = base();
    a.set_suspended("scp", true).unwrap();
    a.sync_folder(&folder, now).unwrap();
    b.sync_folder(&folder, now.plus_seconds(10)).unwrap();
    assert!(b.item("scp").unwrap().unwrap().suspended);
    // B's clock is an hour behind, but it saw A's change before making its own.
    b.set_suspended("scp", false).unwrap();
    b.sync_folder(&folder, now.plus_seconds(-3600)).unwrap();
    a.sync_folder(&folder, now.plus_seconds(20)).unwrap();
    assert!(
        !a.item("scp").unwrap().unwrap().suspended,
        "B's later change won"
    );
    assert!(!b.item("scp").unwrap().unwrap().suspended);
}

fn journals(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(journal_dir(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// A and B with a few reviews each, both synced once (A, then B).
fn two_synced(tmp: &Path) -> (std::path::PathBuf, Store, Store) {
    let folder = tmp.join("Sync");
    std::fs::create_dir_all(&folder).unwrap();
    let mut a = open(&tmp.join("a"));
    let mut b = open(&tmp.join("b"));
    for h in 0..3 {
        a.record(&review(
            "scp",
            base().plus_seconds(h * 86_400),
            Rating::Good,
        ))
        .unwrap();
        b.record(&review(
            "kms",
            base().plus_seconds(h * 86_400 + 60),
            Rating::Good,
        ))
        .unwrap();
    }
    a.sync_folder(&folder, base().plus_seconds(4 * 86_400))
        .unwrap();
    b.sync_folder(&folder, base().plus_seconds(4 * 86_400))
        .unwrap();
    (folder, a, b)
}

fn own_journal(folder: &Path, store: &mut Store) -> std::path::PathBuf {
    journal_dir(folder).join(format!("{}.jsonl", store.device_id().unwrap()))
}

#[test]
fn a_journal_cut_off_mid_line_gives_every_whole_line_and_the_rest_later() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, mut a, mut b) = two_synced(tmp.path());
    let b_file = own_journal(&folder, &mut b);
    let full = std::fs::read_to_string(&b_file).unwrap();
    // A partial upload: the last line is cut in half.
    std::fs::write(&b_file, &full[..full.len() - 20]).unwrap();
    let report = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    assert_eq!(report.imported, 2, "{report:?}");
    let said = report
        .notices
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>();
    assert!(
        matches!(report.notices[..], [Notice::CutOff { line: 4, .. }]),
        "{said:?}"
    );
    assert!(said[0].contains("途中で切れています"), "{said:?}");
    // The upload finishes: the last review arrives.
    std::fs::write(&b_file, &full).unwrap();
    let report = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    assert_eq!(
        (report.imported, report.notices.len()),
        (1, 0),
        "{report:?}"
    );

    // This device's own journal cut off (a crash mid-append): the next append starts a new line.
    let a_file = own_journal(&folder, &mut a);
    let text = std::fs::read_to_string(&a_file).unwrap();
    std::fs::write(&a_file, format!("{text}{{\"n\":99,\"kind\":\"rev")).unwrap();
    a.record(&review(
        "iam",
        base().plus_seconds(5 * 86_400),
        Rating::Good,
    ))
    .unwrap();
    a.sync_folder(&folder, base().plus_seconds(5 * 86_400 + 60))
        .unwrap();
    let report = b
        .sync_folder(&folder, base().plus_seconds(5 * 86_400 + 120))
        .unwrap();
    assert_eq!(report.imported, 1, "the new review: {report:?}");
    assert!(
        matches!(report.notices[..], [Notice::BadLine { .. }]),
        "the torn line is skipped, not the one after it: {:?}",
        report.notices
    );
}

#[test]
fn conflict_copies_from_syncthing_and_dropbox_are_merged_without_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, mut a, mut b) = two_synced(tmp.path());
    let b_file = own_journal(&folder, &mut b);
    let stem = b_file.file_stem().unwrap().to_string_lossy().to_string();
    let text = std::fs::read_to_string(&b_file).unwrap();
    // The tool kept one version under the original name and one as a conflict copy, each with
    // an event the other lacks.
    let mut lines: Vec<&str> = text.lines().collect();
    let extra =
        r#"{"n":7,"kind":"review","item":"waf","time":"2026-11-03T10:00:00+09:00","rating":4}"#;
    lines.push(extra);
    let dir = journal_dir(&folder);
    std::fs::write(
        dir.join(format!(
            "{stem}.sync-conflict-20261103-101010-ABCDEFG.jsonl"
        )),
        lines.join("\n") + "\n",
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("{stem} (Taro's conflicted copy 2026-11-03).jsonl")),
        &text,
    )
    .unwrap();
    let report = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    assert_eq!(
        report.imported, 4,
        "three reviews once, and the copy's extra one: {report:?}"
    );
    let copies = report
        .notices
        .iter()
        .filter(|n| matches!(n, Notice::ConflictCopy { .. }))
        .count();
    assert_eq!(copies, 2, "{:?}", report.notices);
    assert!(report.notices[0].to_string().contains("競合コピー"));
    assert_eq!(a.all_reviews().unwrap().len(), 7);
    // B reads its own conflict copy too, and gets the event it lost back.
    let report = b
        .sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    assert_eq!(report.restored, 1, "{report:?}");
}

#[test]
fn a_journal_from_a_newer_shikaku_is_refused_with_a_message_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, mut a, _b) = two_synced(tmp.path());
    let newer = journal_dir(&folder).join("0123456789abcdef.jsonl");
    let text = "{\"format\":\"shikaku-journal\",\"version\":2,\"device\":\"0123456789abcdef\"}\n{\"n\":1,\"kind\":\"review2\"}\n";
    std::fs::write(&newer, text).unwrap();
    a.sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    let before = a.all_reviews().unwrap().len();
    let report = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    assert!(
        matches!(&report.notices[..], [Notice::TooNew { version: 2, .. }]),
        "{:?}",
        report.notices
    );
    assert!(
        report.notices[0]
            .to_string()
            .contains("新しいバージョンのshikaku")
    );
    assert_eq!(std::fs::read_to_string(&newer).unwrap(), text, "untouched");
    assert_eq!(a.all_reviews().unwrap().len(), before, "nothing lost");
    // A newer event kind inside a journal of this version is skipped with its own message.
    let a_file = own_journal(&folder, &mut a);
    let mut own = std::fs::read_to_string(&a_file).unwrap();
    own.push_str("{\"n\":50,\"kind\":\"hologram\",\"item\":\"scp\"}\n");
    std::fs::write(&a_file, own).unwrap();
    let report = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    assert!(
        report
            .notices
            .iter()
            .any(|n| matches!(n, Notice::UnknownEvent { kind, .. } if kind == "hologram"))
    );
}

#[test]
fn reviews_from_a_clock_far_ahead_wait_until_their_time_and_a_clock_behind_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let mut a = open(&tmp.path().join("a"));
    let mut b = open(&tmp.path().join("b"));
    let now = base();
    // B's clock is a year ahead.
    b.record(&review("scp", now.plus_seconds(365 * 86_400), Rating::Good))
        .unwrap();
    b.sync_folder(&folder, now.plus_seconds(365 * 86_400))
        .unwrap();
    let report = a.sync_folder(&folder, now).unwrap();
    assert_eq!((report.imported, report.held), (0, 1), "{report:?}");
    assert!(
        report.notices[0].to_string().contains("時計"),
        "{:?}",
        report.notices
    );
    let later = a
        .sync_folder(&folder, now.plus_seconds(365 * 86_400))
        .unwrap();
    assert_eq!(later.imported, 1, "taken in once its time came: {later:?}");
    // B's clock is then set right (a year back): it is told, and nothing is lost.
    let report = b.sync_folder(&folder, now).unwrap();
    assert!(
        report
            .notices
            .iter()
            .any(|n| matches!(n, Notice::ClockBehind { .. })),
        "{:?}",
        report.notices
    );
    assert_eq!(b.all_reviews().unwrap().len(), 1);
}

#[test]
fn a_missing_folder_is_refused_and_a_read_only_one_still_brings_reviews_in() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = open(&tmp.path().join("a"));
    let err = a
        .sync_folder(&tmp.path().join("not-mounted"), base())
        .unwrap_err();
    assert!(matches!(err, SyncError::MissingFolder(_)));
    assert!(err.to_string().contains("同期フォルダ"), "{err}");
    assert!(
        !tmp.path().join("not-mounted").exists(),
        "no folder made in the wrong place"
    );

    let (folder, mut a, mut b) = two_synced(&tmp.path().join("ro"));
    b.record(&review(
        "kms",
        base().plus_seconds(4 * 86_400),
        Rating::Hard,
    ))
    .unwrap();
    a.record(&review(
        "scp",
        base().plus_seconds(4 * 86_400),
        Rating::Hard,
    ))
    .unwrap();
    b.sync_folder(&folder, base().plus_seconds(4 * 86_400 + 60))
        .unwrap();
    use std::os::unix::fs::PermissionsExt;
    let dir = journal_dir(&folder);
    let a_file = own_journal(&folder, &mut a);
    let perms = std::fs::metadata(&dir).unwrap().permissions();
    let file_perms = std::fs::metadata(&a_file).unwrap().permissions();
    std::fs::set_permissions(&a_file, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable = std::fs::OpenOptions::new()
        .append(true)
        .open(&a_file)
        .is_ok();
    let report = a.sync_folder(&folder, base().plus_seconds(4 * 86_400 + 120));
    std::fs::set_permissions(&dir, perms).unwrap();
    std::fs::set_permissions(&a_file, file_perms).unwrap();
    let mut report = report.unwrap();
    assert_eq!(report.imported, 4, "B's reviews still came in: {report:?}");
    if writable {
        // Root writes through permission bits: make the journal unwritable another way (a
        // device that takes no data) and sync again from the same state.
        assert_eq!(report.sent, 1);
        let text = std::fs::read_to_string(&a_file).unwrap();
        let trimmed: Vec<&str> = text.lines().collect();
        let before_last = trimmed[..trimmed.len() - 1].join("\n") + "\n";
        let kept = a_file.with_extension("keep");
        std::fs::write(&kept, before_last).unwrap();
        std::fs::remove_file(&a_file).unwrap();
        std::os::unix::fs::symlink("/dev/full", &a_file).unwrap();
        let failed = a.sync_folder(&folder, base().plus_seconds(4 * 86_400 + 150));
        std::fs::remove_file(&a_file).unwrap();
        std::fs::rename(&kept, &a_file).unwrap();
        report = failed.unwrap();
    }
    {
        assert_eq!(report.sent, 0);
        assert!(report.notices.iter().any(|n| n.is_failure()));
        assert!(
            report
                .notices
                .iter()
                .any(|n| n.to_string().contains("書き込めません"))
        );
        // Writable again: what was not sent goes now.
        let report = a
            .sync_folder(&folder, base().plus_seconds(4 * 86_400 + 180))
            .unwrap();
        assert_eq!(report.sent, 1, "{report:?}");
    }
    let report = b
        .sync_folder(&folder, base().plus_seconds(4 * 86_400 + 240))
        .unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(seen(&a), seen(&b));
}

#[test]
fn a_restored_backup_gets_its_later_reviews_back_from_its_own_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, a, _b) = two_synced(tmp.path());
    let a_path = a.path().to_path_buf();
    let before = seen(&a);
    drop(a);
    // The learner restores an old copy of the database (same device id, fewer reviews).
    let conn = rusqlite::Connection::open(&a_path).unwrap();
    conn.execute("DELETE FROM reviews WHERE item = 'scp' AND id > (SELECT MIN(id) FROM reviews WHERE item = 'scp')", [])
        .unwrap();
    drop(conn);
    let mut a = open(a_path.parent().unwrap());
    let report = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    assert_eq!((report.restored, report.imported), (2, 3), "{report:?}");
    assert_eq!(seen(&a).log.len(), before.log.len() + 3);
}

/// One step of the random history.
#[derive(Debug, Clone)]
enum Step {
    Review {
        device: usize,
        item: usize,
        rating: u8,
    },
    Undo {
        device: usize,
    },
    Suspend {
        device: usize,
        item: usize,
        on: bool,
    },
    Flag {
        device: usize,
        item: usize,
        on: bool,
    },
    Sync {
        device: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..3usize, 0..5usize, 1..=4u8).prop_map(|(device, item, rating)| Step::Review { device, item, rating }),
        1 => (0..3usize).prop_map(|device| Step::Undo { device }),
        1 => (0..3usize, 0..5usize, any::<bool>()).prop_map(|(device, item, on)| Step::Suspend { device, item, on }),
        1 => (0..3usize, 0..5usize, any::<bool>()).prop_map(|(device, item, on)| Step::Flag { device, item, on }),
        3 => (0..3usize).prop_map(|device| Step::Sync { device }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any interleaving of reviews, undos, flags and syncs on three devices ends, once every
    /// device has synced twice, with three equal stores whose log is exactly the reviews that
    /// were not taken back, and a store built from the journals' lines in any order agrees.
    #[test]
    fn random_interleavings_of_events_and_syncs_converge(
        steps in proptest::collection::vec(step(), 1..40),
        skew in proptest::collection::vec(-7200i64..7200, 3),
        shuffle_seed in any::<u64>(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("Sync");
        std::fs::create_dir(&folder).unwrap();
        let mut stores: Vec<Store> = (0..3).map(|d| open(&tmp.path().join(format!("d{d}")))).collect();
        // (device, item, time, rating) of every review still standing.
        let mut alive: Vec<(usize, String, i64, u8)> = Vec::new();
        let mut clock = 0i64;
        for step in &steps {
            clock += 600;
            let now = |d: usize| base().plus_seconds(clock + skew[d]);
            match step {
                Step::Review { device, item, rating } => {
                    let r = review(&format!("item-{item}"), now(*device), Rating::from_number(*rating).unwrap());
                    stores[*device].record(&r).unwrap();
                    alive.push((*device, r.item.clone(), r.at.millis(), *rating));
                }
                Step::Undo { device } => {
                    if let Some(undone) = stores[*device].undo_last().unwrap() {
                        let r = &undone.reviews[0];
                        alive.retain(|a| !(a.0 == *device && a.1 == r.item && a.2 == r.at.millis()));
                    }
                }
                Step::Suspend { device, item, on } => stores[*device].set_suspended(&format!("item-{item}"), *on).unwrap(),
                Step::Flag { device, item, on } => stores[*device].set_flagged(&format!("item-{item}"), *on).unwrap(),
                Step::Sync { device } => { stores[*device].sync_folder(&folder, now(*device)).unwrap(); }
            }
        }
        for round in 0..2 {
            for (d, store) in stores.iter_mut().enumerate() {
                let now = base().plus_seconds(clock + 600 * (round + 1) + skew[d]);
                store.sync_folder(&folder, now).unwrap();
            }
        }
        let first = seen(&stores[0]);
        for store in &stores[1..] {
            prop_assert_eq!(&seen(store), &first);
        }
        let mut expected: Vec<(String, i64, u8)> = alive.iter().map(|a| (a.1.clone(), a.2, a.3)).collect();
        expected.sort_by(|x, y| (x.1, &x.0).cmp(&(y.1, &y.0)));
        let mut got: Vec<(String, i64, u8)> = first.log.iter().map(|l| (l.0.clone(), l.1, l.2)).collect();
        got.sort_by(|x, y| (x.1, &x.0).cmp(&(y.1, &y.0)));
        prop_assert_eq!(&got, &expected, "nothing duplicated or lost");
        // Each store read only what was appended since its last sync: reading every journal
        // whole once more changes nothing.
        stores[0].forget_sync_positions().unwrap();
        stores[0].sync_folder(&folder, base().plus_seconds(clock + 3000 + skew[0])).unwrap();
        prop_assert_eq!(&seen(&stores[0]), &first, "a full read agrees");

        // The same events, every journal's lines shuffled, into a fresh store: the same log
        // and states (the flags there are this store's own, so only the log is compared).
        let shuffled = tmp.path().join("Shuffled");
        std::fs::create_dir_all(journal_dir(&shuffled)).unwrap();
        let mut state = shuffle_seed | 1;
        for file in journals(&folder) {
            let text = std::fs::read_to_string(&file).unwrap();
            let mut lines: Vec<&str> = text.lines().collect();
            let header = lines.remove(0);
            for i in (1..lines.len()).rev() {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                lines.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let out = std::iter::once(header).chain(lines).collect::<Vec<_>>().join("\n") + "\n";
            std::fs::write(journal_dir(&shuffled).join(file.file_name().unwrap()), out).unwrap();
        }
        let mut fresh = open(&tmp.path().join("fresh"));
        fresh.sync_folder(&shuffled, base().plus_seconds(clock + 3600)).unwrap();
        prop_assert_eq!(only_log_and_states(seen(&fresh)), only_log_and_states(first));
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn shikaku(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(["--data", data.to_str().unwrap()])
        .args(args)
        .env("SHIKAKU_CONFIG", data.join("none.toml"))
        .env("SHIKAKU_NOW", "2026-12-01T12:00:00+09:00")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The README's two commands around `shikaku sync`: pull before, commit and push after.
fn sync_with_git(clone: &Path, data: &Path) -> String {
    git(clone, &["pull", "--no-rebase", "--quiet", "origin", "main"]);
    let (code, out, err) = shikaku(data, &["sync", clone.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    git(clone, &["add", "shikaku"]);
    let status = Command::new("git")
        .args(["diff", "--cached", "--quiet"])
        .current_dir(clone)
        .status()
        .unwrap();
    if !status.success() {
        git(clone, &["commit", "--quiet", "-m", "shikaku sync"]);
    }
    git(clone, &["push", "--quiet", "origin", "HEAD:main"]);
    out
}

#[test]
fn a_git_repository_is_the_folder_two_clones_of_a_bare_repo_merge_trivially() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    git(
        root,
        &["init", "--quiet", "--bare", "-b", "main", "progress.git"],
    );
    git(root, &["init", "--quiet", "-b", "main", "seed"]);
    std::fs::write(root.join("seed/README"), "shikaku progress\n").unwrap();
    git(&root.join("seed"), &["add", "README"]);
    git(&root.join("seed"), &["commit", "--quiet", "-m", "start"]);
    git(
        &root.join("seed"),
        &["push", "--quiet", "../progress.git", "main"],
    );
    for name in ["laptop", "desktop"] {
        git(root, &["clone", "--quiet", "progress.git", name]);
    }
    let (laptop, desktop) = (root.join("laptop-data"), root.join("desktop-data"));
    let write = |dir: &Path, item: &str, hour: u32| {
        std::fs::create_dir_all(dir).unwrap();
        let file = dir.join("in.json");
        std::fs::write(
            &file,
            format!(r#"{{"reviews":[{{"item":"{item}","time":"2026-11-30T{hour:02}:00:00+09:00","rating":3}}]}}"#),
        )
        .unwrap();
        let (code, _, err) = shikaku(dir, &["import", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
    };
    write(&laptop, "scp", 9);
    write(&desktop, "kms", 10);
    // Both devices study before either has pulled the other's work: git merges the two new
    // files without a conflict.
    sync_with_git(&root.join("laptop"), &laptop);
    git(&root.join("desktop"), &["config", "pull.rebase", "false"]);
    let out = sync_with_git(&root.join("desktop"), &desktop);
    assert!(
        out.contains("別の端末から 1件の復習を取り込みました"),
        "{out}"
    );
    write(&laptop, "scp", 20);
    write(&desktop, "iam", 21);
    sync_with_git(&root.join("laptop"), &laptop);
    sync_with_git(&root.join("desktop"), &desktop);
    let out = sync_with_git(&root.join("laptop"), &laptop);
    assert!(
        out.contains("別の端末から 1件の復習を取り込みました"),
        "{out}"
    );
    let (_, a, _) = shikaku(&laptop, &["export", "-"]);
    let (_, b, _) = shikaku(&desktop, &["export", "-"]);
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("exported_at") && !l.contains("\"learner\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(a.matches("\"item\"").count(), 4);
    let (code, status, _) = shikaku(
        &laptop,
        &["sync", "--status", root.join("laptop").to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert!(
        status.contains("(この端末)") && status.contains("まだ取り込んでいない復習 0件"),
        "{status}"
    );
}

#[test]
fn the_tui_syncs_on_reload_and_says_how_many_reviews_came_in() {
    use shikaku::app::keymap::Action;
    use shikaku::app::{App, Msg};
    use shikaku::content::{self, Base, Sources};
    use shikaku::tui::effects::{self, Runtime};

    let tmp = tempfile::tempdir().unwrap();
    let (folder, _a, mut b) = two_synced(tmp.path());
    for h in 0..2 {
        b.record(&review(
            "iam",
            base().plus_seconds(5 * 86_400 + h * 60),
            Rating::Good,
        ))
        .unwrap();
    }
    b.sync_folder(&folder, base().plus_seconds(6 * 86_400))
        .unwrap();

    let sources = Sources {
        base: Base::Repo(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo")),
        base_checked: true,
        layers: vec![],
        lint: false,
    };
    let library = std::sync::Arc::new(content::load(&sources).library);
    let data = tmp.path().join("a");
    let mut store = open(&data);
    let progress = effects::load_progress(&mut store, &library, Settings::default()).unwrap();
    let mut app = App::new(library, progress, base().plus_seconds(7 * 86_400), 1);
    let mut rt = Runtime::new(store, sources, data);
    rt.sync_dir = Some(folder.clone());
    effects::dispatch(&mut app, &mut rt, Msg::Action(Action::Reload), &mut |_| {
        Msg::Failed("no editor".into())
    });
    assert_eq!(
        app.notice.as_deref(),
        Some("別の端末から 5件の復習を取り込みました"),
        "{:?}",
        app.notice
    );
    assert_eq!(
        app.progress.items["iam"].state.reps, 2,
        "the progress on screen is refreshed"
    );
    // With no sync folder configured nothing is synced.
    rt.sync_dir = None;
    assert!(effects::sync(&mut rt).is_none());
}

#[test]
fn cli_sync_without_a_folder_or_with_a_missing_one_exits_2_with_a_japanese_message() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (code, _, err) = shikaku(&data, &["sync"]);
    assert_eq!(code, 2);
    assert!(err.contains("sync_dir"), "{err}");
    let missing = tmp.path().join("Dropbox");
    let (code, _, err) = shikaku(&data, &["sync", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("同期フォルダ") && err.contains("ありません"),
        "{err}"
    );
    std::fs::create_dir(&missing).unwrap();
    let (code, out, err) = shikaku(&data, &["sync", "--json", missing.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["imported"], 0);
    assert_eq!(report["device"].as_str().unwrap().len(), 16);
    let (code, out, _) = shikaku(
        &data,
        &["sync", "--status", "--json", missing.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["devices"][0]["this_device"], true);
    assert_eq!(
        status["device"], report["device"],
        "the device id is made once per data dir"
    );
}

/// The file entry of `device`'s own journal in a sync report.
fn file_of(report: &shikaku::srs::sync::SyncReport, device: &str) -> shikaku::srs::sync::FileSeen {
    report
        .files
        .iter()
        .find(|f| f.name == format!("{device}.jsonl"))
        .cloned()
        .unwrap_or_else(|| panic!("no journal of {device}: {report:?}"))
}

/// A review line of `device`'s journal, written as another shikaku would.
fn line(n: u64, item: &str, time: Moment, rating: u8) -> String {
    format!(
        "{{\"n\":{n},\"kind\":\"review\",\"item\":\"{item}\",\"time\":\"{}\",\"rating\":{rating}}}\n",
        time.to_rfc3339()
    )
}

#[test]
fn a_sync_reads_only_what_another_device_appended_since_the_last_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, mut a, mut b) = two_synced(tmp.path());
    let b_id = b.device_id().unwrap();
    let b_file = own_journal(&folder, &mut b);
    let first = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();
    assert_eq!(first.imported, 3);
    assert_eq!(
        file_of(&first, &b_id).skipped_bytes,
        0,
        "the first read is whole"
    );
    let read_before = std::fs::metadata(&b_file).unwrap().len();

    for h in 0..2 {
        b.record(&review(
            "kms",
            base().plus_seconds(6 * 86_400 + h * 60),
            Rating::Hard,
        ))
        .unwrap();
    }
    b.sync_folder(&folder, base().plus_seconds(6 * 86_400 + 600))
        .unwrap();
    let report = a
        .sync_folder(&folder, base().plus_seconds(6 * 86_400 + 900))
        .unwrap();
    let seen_b = file_of(&report, &b_id);
    assert_eq!(report.imported, 2, "{report:?}");
    assert_eq!(
        (seen_b.skipped_bytes, seen_b.events),
        (read_before, 2),
        "only the new lines"
    );
    let nothing = a
        .sync_folder(&folder, base().plus_seconds(6 * 86_400 + 960))
        .unwrap();
    assert_eq!(
        file_of(&nothing, &b_id).events,
        0,
        "nothing new, nothing read"
    );

    // A line cut off mid-way is read from its start once it is whole.
    let whole_before = std::fs::metadata(&b_file).unwrap().len();
    let next = line(50, "iam", base().plus_seconds(7 * 86_400), 3);
    let (half, rest) = next.split_at(next.len() / 2);
    let append = |text: &str| {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&b_file)
            .unwrap();
        f.write_all(text.as_bytes()).unwrap();
    };
    append(half);
    let cut = a
        .sync_folder(&folder, base().plus_seconds(7 * 86_400 + 60))
        .unwrap();
    assert_eq!(cut.imported, 0);
    assert!(
        matches!(cut.notices[..], [Notice::CutOff { .. }]),
        "{:?}",
        cut.notices
    );
    append(rest);
    let done = a
        .sync_folder(&folder, base().plus_seconds(7 * 86_400 + 120))
        .unwrap();
    assert_eq!(done.imported, 1, "{done:?}");
    assert_eq!(file_of(&done, &b_id).skipped_bytes, whole_before);
    assert!(done.notices.is_empty(), "{:?}", done.notices);

    // Equal to a store that read every journal whole, and to a full read of its own.
    let mut fresh = open(&tmp.path().join("fresh"));
    fresh
        .sync_folder(&folder, base().plus_seconds(7 * 86_400 + 180))
        .unwrap();
    assert_eq!(
        only_log_and_states(seen(&fresh)),
        only_log_and_states(seen(&a))
    );
    let before = seen(&a);
    a.forget_sync_positions().unwrap();
    let again = a
        .sync_folder(&folder, base().plus_seconds(7 * 86_400 + 240))
        .unwrap();
    assert_eq!((again.imported, again.changed), (0, 0), "{again:?}");
    assert_eq!(seen(&a), before);
}

#[test]
fn a_replaced_or_truncated_journal_is_read_whole_again_and_merges_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, mut a, mut b) = two_synced(tmp.path());
    let b_id = b.device_id().unwrap();
    let b_file = own_journal(&folder, &mut b);
    a.sync_folder(&folder, base().plus_seconds(5 * 86_400))
        .unwrap();

    // Replaced by a file of the same length that says something else (a rating changed there).
    let text = std::fs::read_to_string(&b_file).unwrap();
    let replaced = text.replacen("\"rating\":3", "\"rating\":1", 1);
    assert_ne!(replaced, text);
    assert_eq!(replaced.len(), text.len());
    std::fs::write(&b_file, &replaced).unwrap();
    let report = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400 + 60))
        .unwrap();
    assert_eq!(file_of(&report, &b_id).skipped_bytes, 0, "read whole again");
    assert_eq!(report.changed, 1, "{report:?}");
    let mut fresh = open(&tmp.path().join("fresh"));
    fresh
        .sync_folder(&folder, base().plus_seconds(5 * 86_400 + 120))
        .unwrap();
    assert_eq!(
        seen(&fresh).log,
        seen(&a).log,
        "as a store that read it first"
    );

    // Cut back to its header and first review, then written on: read whole, the new line in.
    let mut lines = replaced.split_inclusive('\n');
    let mut cut: String = lines.by_ref().take(2).collect();
    cut.push_str(&line(60, "iam", base().plus_seconds(5 * 86_400), 3));
    std::fs::write(&b_file, &cut).unwrap();
    let report = a
        .sync_folder(&folder, base().plus_seconds(5 * 86_400 + 180))
        .unwrap();
    let seen_b = file_of(&report, &b_id);
    assert_eq!((seen_b.skipped_bytes, seen_b.events), (0, 2), "{report:?}");
    assert_eq!(report.imported, 1);
    let before = seen(&a);
    a.forget_sync_positions().unwrap();
    a.sync_folder(&folder, base().plus_seconds(5 * 86_400 + 240))
        .unwrap();
    assert_eq!(seen(&a), before, "the same as a full read");
}

#[test]
fn an_undo_on_one_device_read_alone_keeps_a_review_another_device_still_has() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("Sync");
    let dir = journal_dir(&folder);
    std::fs::create_dir_all(&dir).unwrap();
    let header = |device: &str| {
        serde_json::to_string(&shikaku::srs::sync::Header::new(device)).unwrap() + "\n"
    };
    let t = base();
    // The same review (item and time) on two devices, e.g. one restored from the other's data.
    for device in ["00000000000000bb", "00000000000000cc"] {
        let text = header(device) + &line(1, "scp", t, 3);
        std::fs::write(dir.join(format!("{device}.jsonl")), text).unwrap();
    }
    let mut a = open(&tmp.path().join("a"));
    let report = a.sync_folder(&folder, t.plus_seconds(3600)).unwrap();
    assert_eq!(report.imported, 1);
    // One of them takes it back; the other still has it, so it stands (as a full read says).
    let undo = format!(
        "{{\"n\":2,\"kind\":\"undo\",\"item\":\"scp\",\"time\":\"{}\"}}\n",
        t.to_rfc3339()
    );
    let cc = dir.join("00000000000000cc.jsonl");
    let text = std::fs::read_to_string(&cc).unwrap() + &undo;
    std::fs::write(&cc, text).unwrap();
    let report = a.sync_folder(&folder, t.plus_seconds(7200)).unwrap();
    assert!(
        file_of(&report, "00000000000000cc").skipped_bytes > 0,
        "{report:?}"
    );
    assert_eq!(report.changed, 0, "{report:?}");
    assert_eq!(a.history("scp").unwrap().len(), 1, "the review stands");
    let mut fresh = open(&tmp.path().join("fresh"));
    fresh.sync_folder(&folder, t.plus_seconds(7200)).unwrap();
    assert_eq!(seen(&fresh).log, seen(&a).log);
}
