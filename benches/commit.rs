//! Committing one answer durably (WAL, synchronous=FULL): the design's budget is ≤ 5 ms median.
//! Each iteration records one review in its own immediate transaction and recomputes the item's
//! state from its log, exactly as the study screen does before showing the next item.

use std::cell::Cell;

use criterion::{Criterion, criterion_group, criterion_main};
use shikaku::srs::{Moment, NewReview, Rating, Settings, Store};

fn commit(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open_in(dir.path(), Settings::default()).expect("open store");
    let base = Moment::parse_rfc3339("2025-01-01T10:00:00+09:00").expect("time");
    // A realistic store: 500 items with 20 reviews each.
    let history: Vec<NewReview> = (0..10_000u32)
        .map(|n| NewReview {
            item: format!("item-{}", n % 500),
            at: base.plus_seconds(i64::from(n) * 600),
            rating: Rating::ALL[(n % 4) as usize],
            answer_ms: Some(3000),
            chosen: vec![],
            fingerprint: None,
        })
        .collect();
    store.import(&history).expect("seed history");
    let n = Cell::new(10_000u32);
    c.bench_function("commit one answer (durable)", |b| {
        b.iter(|| {
            let i = n.get();
            n.set(i + 1);
            store
                .record(&NewReview {
                    item: format!("item-{}", i % 500),
                    at: base.plus_seconds(i64::from(i) * 600),
                    rating: Rating::Good,
                    answer_ms: Some(2500),
                    chosen: vec!["a".into()],
                    fingerprint: Some(42),
                })
                .expect("record")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(200);
    targets = commit
}
criterion_main!(benches);
