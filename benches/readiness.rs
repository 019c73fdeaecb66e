//! The readiness forecast ホーム recomputes on every progress refresh: 10,000 questions (with
//! task statements) and a year of history — 5,000 questions seen, about 40 reviews a day. The
//! issue's budget is ≤ 50 ms.

mod support;

use std::collections::HashMap;

use criterion::{Criterion, criterion_group, criterion_main};
use shikaku::content::Task;
use shikaku::srs::readiness::{DRAWS, Inputs, forecast};
use shikaku::srs::{Moment, Rating, ReviewRecord, Scheduler, Settings, StoredItem};

fn readiness(c: &mut Criterion) {
    let mut library = support::library(10_000);
    let domains: Vec<String> = library.blueprints[0]
        .domains
        .iter()
        .map(|d| d.key.clone())
        .collect();
    // Four task statements per domain, every question in one.
    library.blueprints[0].tasks = domains
        .iter()
        .enumerate()
        .flat_map(|(d, key)| {
            (1..=4).map(move |t| Task {
                id: format!("{}.{t}", d + 1),
                domain: key.clone(),
                title: format!("タスク {}.{t}", d + 1),
                source: String::new(),
                skills: vec![],
            })
        })
        .collect();
    for (i, q) in library.questions.iter_mut().enumerate() {
        let d = domains.iter().position(|k| *k == q.domain).unwrap_or(0);
        q.task = Some(format!("{}.{}", d + 1, i % 4 + 1));
    }
    let scheduler = Scheduler::new(Settings::default(), &[]).expect("scheduler");
    let start = Moment::parse_rfc3339("2025-12-01T10:00:00+09:00").expect("time");
    let mut reviews = Vec::new();
    let mut items = HashMap::new();
    for n in 0..5_000usize {
        let id = library.questions[n * 2].id.clone();
        // Three reviews a question, spread over the year.
        let log: Vec<(Moment, Rating)> = (0..3)
            .map(|k| {
                let day = ((n * 7 + k * 97) % 365) as i64;
                let rating = if (n + k) % 5 == 0 {
                    Rating::Again
                } else {
                    Rating::Good
                };
                (start.plus_seconds(day * 86_400 + k as i64 * 600), rating)
            })
            .collect::<Vec<_>>();
        let mut log = log;
        log.sort_by_key(|(at, _)| at.timestamp);
        for (at, rating) in &log {
            reviews.push(ReviewRecord {
                id: reviews.len() as i64 + 1,
                item: id.clone(),
                at: *at,
                rating: *rating,
                elapsed_days: 0,
                answer_ms: None,
                chosen: vec![],
                source: "app".into(),
            });
        }
        let state = scheduler.replay(&id, log).expect("replay");
        items.insert(
            id.clone(),
            StoredItem {
                id,
                state,
                first_day: None,
                suspended: false,
                leech: false,
                buried_until: None,
                content_changed: false,
            },
        );
    }
    reviews.sort_by_key(|r| r.at.timestamp);
    let now = start.plus_seconds(365 * 86_400);
    let inputs = Inputs {
        library: &library,
        blueprint: &library.blueprints[0],
        items: &items,
        reviews: &reviews,
        scheduler: &scheduler,
    };
    c.bench_function("readiness forecast, 10k questions, a year", |b| {
        b.iter(|| forecast(&inputs, now, false, 7, DRAWS))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = readiness
}
criterion_main!(benches);
