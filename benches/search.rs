//! Fuzzy search per keystroke (budget: ≤ 2 ms median at 10,000 items, ≤ 10 ms at 100,000) and
//! the index build. Each keystroke of a query as typed is one search over the whole index: one
//! iteration searches the next prefix of the query, so the figure is the mean over the prefixes.
//! Query kinds: typical kana, romaji, two terms, no hit. `SEARCH_BENCH_EXHAUSTIVE=1` also times
//! the reference search that scores every entry (the search before the postings index), for a
//! before/after under the same load. The size of the postings is printed per corpus.

#[path = "support/mod.rs"]
mod support;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use shikaku::content::search::Index;

const QUERIES: &[(&str, &str)] = &[
    ("typical", "せきゅりてぃ"),
    ("romaji", "sekyuriti"),
    ("two-terms", "KMS キー"),
    ("two-terms-long", "クロスアカウント 暗号化"),
    ("long-kana", "ぐあーどでゅーてぃ"),
    ("no-hit", "らむだかんすう"),
    ("no-hit-romaji", "ramudakansuu"),
];

fn prefixes(query: &str) -> Vec<String> {
    query
        .char_indices()
        .map(|(i, ch)| query[..i + ch.len_utf8()].to_string())
        .collect()
}

fn keystrokes_at(c: &mut Criterion, items: usize, label: &str) {
    let library = support::library(items);
    let index = Index::new(&library);
    assert!(index.entries.len() >= items);
    eprintln!(
        "search_{label}: {} entries, postings {:.1} MiB",
        index.entries.len(),
        index.postings_bytes() as f64 / (1024.0 * 1024.0)
    );
    let exhaustive = std::env::var_os("SEARCH_BENCH_EXHAUSTIVE").is_some();
    let mut group = c.benchmark_group(format!("search_{label}"));
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    for (kind, query) in QUERIES {
        let prefixes = prefixes(query);
        group.bench_function(format!("keystroke/{kind}/{query}"), |b| {
            let mut k = 0;
            b.iter(|| {
                let q = &prefixes[k % prefixes.len()];
                k += 1;
                std::hint::black_box(index.search(q, 50))
            });
        });
        if exhaustive {
            group.bench_function(format!("exhaustive/{kind}/{query}"), |b| {
                let mut k = 0;
                b.iter(|| {
                    let q = &prefixes[k % prefixes.len()];
                    k += 1;
                    std::hint::black_box(index.search_exhaustive(q, 50))
                });
            });
        }
    }
    group.finish();
}

fn keystrokes(c: &mut Criterion) {
    keystrokes_at(c, 10_000, "10k");
    keystrokes_at(c, 100_000, "100k");
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("search_build");
    group
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10);
    for (items, label) in [(10_000, "10k"), (100_000, "100k")] {
        let library = support::library(items);
        group.bench_function(format!("index/{label}"), |b| {
            b.iter(|| std::hint::black_box(Index::new(&library)))
        });
    }
    group.finish();
}

criterion_group!(benches, keystrokes, build);
criterion_main!(benches);
