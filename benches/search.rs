//! Fuzzy search per keystroke over 10,000 items (budget: ≤ 2 ms median). Each keystroke of a
//! query as typed is one search over the whole index.

#[path = "support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use shikaku::content::search::Index;

fn keystrokes(c: &mut Criterion) {
    let library = support::library(10_000);
    let index = Index::new(&library);
    assert!(index.entries.len() >= 10_000);
    let mut group = c.benchmark_group("search_10k");
    for query in [
        "せきゅりてぃ",
        "sekyuriti",
        "KMS キー",
        "クロスアカウント 暗号化",
        "ぐあーどでゅーてぃ",
    ] {
        let prefixes: Vec<String> = query
            .char_indices()
            .map(|(i, ch)| query[..i + ch.len_utf8()].to_string())
            .collect();
        group.bench_function(format!("keystroke/{query}"), |b| {
            let mut k = 0;
            b.iter(|| {
                let q = &prefixes[k % prefixes.len()];
                k += 1;
                std::hint::black_box(index.search(q, 50))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, keystrokes);
criterion_main!(benches);
