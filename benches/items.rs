//! `shikaku items` over a class: 1,000 learners' exports × 500 questions, from reading the
//! files to the finished report (budget: ≤ 2 s).

#[path = "support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use shikaku::srs::exchange::{ExportFile, ExportedReview};
use shikaku::srs::item_stats;

const LEARNERS: usize = 1_000;
const QUESTIONS: usize = 500;

fn class(c: &mut Criterion) {
    let library = support::library(QUESTIONS);
    let dir = tempfile::tempdir().unwrap();
    let mut seed: u64 = 7;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize
    };
    for learner in 0..LEARNERS {
        let reviews = (0..QUESTIONS)
            .map(|q| {
                let choice = ["a", "b", "c", "d"][next() % 4];
                ExportedReview {
                    item: format!("q-{q}"),
                    time: format!(
                        "2026-11-{:02}T{:02}:{:02}:00+09:00",
                        1 + q / 60 % 28,
                        q / 3 % 24,
                        q % 60
                    ),
                    rating: if choice == "a" { 3 } else { 1 },
                    elapsed_days: Some(0),
                    answer_ms: Some(12_000),
                    chosen: vec![choice.into()],
                }
            })
            .collect();
        let file = ExportFile {
            format: Some("shikaku-progress".into()),
            version: Some(1),
            exported_at: Some("2026-12-01T10:00:00+09:00".into()),
            learner: Some(format!("learner-{learner:016x}")),
            content_version: Some("0123456789abcdef".into()),
            reviews,
        };
        std::fs::write(
            dir.path().join(format!("{learner:04}.json")),
            serde_json::to_string_pretty(&file).unwrap(),
        )
        .unwrap();
    }
    let mut paths: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut group = c.benchmark_group("items");
    group.sample_size(10);
    group.bench_function("1000_learners_x_500_questions", |b| {
        b.iter(|| {
            let files: Vec<_> = paths
                .iter()
                .map(|p| shikaku::cli::items::read_export(p).unwrap())
                .collect();
            let report = item_stats::analyze(&library, &files);
            assert_eq!(report.questions.len(), QUESTIONS);
            std::hint::black_box(report)
        });
    });
    group.finish();
}

criterion_group!(benches, class);
criterion_main!(benches);
