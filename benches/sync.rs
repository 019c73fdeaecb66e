//! Syncing through a folder: the issue's budget is 100,000 events in ≤ 1 s. Measured: another
//! device's journal of 100,000 reviews (1,000 items × 100) merged into an empty store (parse,
//! insert, recompute every item from its log), and the same sync again when nothing is new.

use std::fmt::Write as _;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use shikaku::srs::sync::{Header, journal_dir};
use shikaku::srs::{Moment, Settings, Store};

const EVENTS: u32 = 100_000;

fn write_journal(folder: &Path) {
    let dir = journal_dir(folder);
    std::fs::create_dir_all(&dir).expect("journal dir");
    let header = Header::new("00000000bench000");
    let mut text = serde_json::to_string(&header).expect("header") + "\n";
    let base = Moment::parse_rfc3339("2024-01-01T10:00:00+09:00").expect("time");
    for n in 0..EVENTS {
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
    group.finish();
}

criterion_group!(benches, sync);
criterion_main!(benches);
