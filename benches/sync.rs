//! Syncing through a folder: the issue's budget is 100,000 events in ≤ 1 s. Measured: another
//! device's journal of 100,000 reviews (1,000 items × 100) merged into an empty store (parse,
//! insert, recompute every item from its log), the same sync again when nothing is new, and a
//! sync of a store that has merged those 100,000 when the journal has grown by 100 more.

use std::fmt::Write as _;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use shikaku::srs::sync::{Header, journal_dir};
use shikaku::srs::{Moment, Settings, Store};

const EVENTS: u32 = 100_000;

/// One review line of the bench device, event number `n` (0-based).
fn review_line(text: &mut String, n: u32) {
    let base = Moment::parse_rfc3339("2024-01-01T10:00:00+09:00").expect("time");
    let at = base.plus_seconds(i64::from(n) * 900);
    let _ = writeln!(
        text,
        r#"{{"n":{},"kind":"review","item":"item-{}","time":"{}","rating":{},"answer_ms":4200}}"#,
        n + 1,
        n % 1000,
        at.to_rfc3339(),
        1 + (n * 7 % 10).min(3),
    );
}

/// Copies the files directly in `from` (the store and its WAL) into `to`.
fn copy_files(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}

fn write_journal(folder: &Path) {
    let dir = journal_dir(folder);
    std::fs::create_dir_all(&dir).expect("journal dir");
    let header = Header::new("00000000bench000");
    let mut text = serde_json::to_string(&header).expect("header") + "\n";
    for n in 0..EVENTS {
        review_line(&mut text, n);
    }
    std::fs::write(dir.join("00000000bench000.jsonl"), text).expect("journal");
}

fn sync(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("folder");
    write_journal(folder.path());
    let now = Moment::parse_rfc3339("2027-01-01T10:00:00+09:00").expect("now");
    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    group.bench_function("100,000 events into an empty store", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("data dir");
                let store = Store::open_in(dir.path(), Settings::default()).expect("store");
                (dir, store)
            },
            |(dir, mut store)| {
                let report = store.sync_folder(folder.path(), now).expect("sync");
                assert_eq!(report.imported, EVENTS as usize);
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    let dir = tempfile::tempdir().expect("data dir");
    let mut store = Store::open_in(dir.path(), Settings::default()).expect("store");
    store.sync_folder(folder.path(), now).expect("first sync");
    group.bench_function("100,000 events already merged", |b| {
        b.iter(|| {
            let report = store.sync_folder(folder.path(), now).expect("sync");
            assert_eq!(report.imported, 0);
        })
    });
    drop(store);
    let merged = dir;
    group.bench_function("100,000 events already merged, 100 new appended", |b| {
        b.iter_batched(
            || {
                let data = tempfile::tempdir().expect("data dir");
                copy_files(merged.path(), data.path());
                let grown = tempfile::tempdir().expect("folder");
                let journals = journal_dir(grown.path());
                std::fs::create_dir_all(&journals).expect("journal dir");
                copy_files(&journal_dir(folder.path()), &journals);
                let mut more = String::new();
                for n in EVENTS..EVENTS + 100 {
                    review_line(&mut more, n);
                }
                let file = journals.join("00000000bench000.jsonl");
                let mut journal = std::fs::OpenOptions::new()
                    .append(true)
                    .open(file)
                    .expect("journal");
                std::io::Write::write_all(&mut journal, more.as_bytes()).expect("append");
                let store = Store::open_in(data.path(), Settings::default()).expect("store");
                (data, grown, store)
            },
            |(data, grown, mut store)| {
                let report = store.sync_folder(grown.path(), now).expect("sync");
                assert_eq!(report.imported, 100);
                (data, grown, store)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, sync);
criterion_main!(benches);
