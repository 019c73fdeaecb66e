//! The pruned search (postings, score bounds, early stop) finds exactly what scoring every entry
//! finds: same entries, order, scores and highlighted positions.

#[path = "../benches/support/mod.rs"]
mod support;

use proptest::prelude::*;
use shikaku::content::search::Index;
use shikaku::content::{Card, Library, Misconception};

/// The benchmark's queries, typed one character at a time, and the unit tests' queries.
const QUERIES: &[&str] = &[
    "せきゅりてぃ",
    "sekyuriti",
    "KMS キー",
    "クロスアカウント 暗号化",
    "ぐあーどでゅーてぃ",
    "らむだかんすう",
    "ramudakansuu",
    "ステートレス 番号",
    "ｓｃｐ 上限",
    "きーぽりしー",
    "すてーれす",
    "ーる",
    "guardduty cloudtrail",
    "ｾｷｭﾘﾃｨ",
    "かぎ",
    "angouka",
    "しょめい",
];

fn prefixes(query: &str) -> Vec<&str> {
    query
        .char_indices()
        .map(|(i, ch)| &query[..i + ch.len_utf8()])
        .collect()
}

#[test]
fn every_keystroke_of_the_bench_queries_finds_what_the_exhaustive_search_finds() {
    let library = support::library(3_000);
    let index = Index::new(&library);
    let mut compared = 0;
    for query in QUERIES {
        for prefix in prefixes(query) {
            for limit in [1, 10, 50, 200, 100_000] {
                let pruned = index.search(prefix, limit);
                let exhaustive = index.search_exhaustive(prefix, limit);
                assert_eq!(pruned, exhaustive, "query {prefix:?}, limit {limit}");
                compared += usize::from(!pruned.is_empty());
            }
        }
    }
    // The comparison is not vacuous: most keystrokes find something.
    assert!(compared > 100, "{compared}");
}

/// Small pieces that make texts with many partial, scattered and repeated matches.
const ATOMS: &[&str] = &[
    "せ",
    "き",
    "ゅ",
    "り",
    "て",
    "ぃ",
    "ー",
    "る",
    "キー",
    "ポリシー",
    "セキュリティ",
    "ｾｷｭ",
    "a",
    "b",
    "s",
    "e",
    "k",
    "ra",
    "mu",
    "Guard",
    "Duty",
    "-",
    "/",
    "、",
    "。",
    "暗号化",
    "鍵",
    "ろ",
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(ATOMS).prop_map(str::to_string), 1 => Just(" ".to_string())],
        0..max,
    )
    .prop_map(|atoms| atoms.concat())
}

fn term() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(ATOMS), 1..5).prop_map(|a| a.concat()),
        prop::sample::select(&["se", "sekyu", "ki-", "kagi", "ramu", "rira", "teli", "abs"][..])
            .prop_map(str::to_string),
    ]
}

fn library(cards: Vec<(String, Vec<String>)>, misconceptions: Vec<(String, String)>) -> Library {
    Library::new(
        cards
            .into_iter()
            .enumerate()
            .map(|(i, (title, facts))| Card {
                id: format!("c{i}"),
                title,
                domain: "iam".into(),
                tags: vec![],
                facts,
                body: None,
                related: vec![],
                sources: vec![],
            })
            .collect(),
        vec![],
        misconceptions
            .into_iter()
            .enumerate()
            .map(|(i, (belief, correction))| Misconception {
                id: format!("m{i}"),
                belief,
                correction,
                topics: vec![],
            })
            .collect(),
        vec![],
        vec![],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn pruned_search_equals_exhaustive_search_on_generated_content(
        cards in prop::collection::vec((text(8), prop::collection::vec(text(30), 0..3)), 0..60),
        misconceptions in prop::collection::vec((text(10), text(20)), 0..10),
        terms in prop::collection::vec(term(), 1..4),
        limit in prop_oneof![Just(1usize), Just(3), Just(20), Just(1000)],
    ) {
        let index = Index::new(&library(cards, misconceptions));
        let query = terms.join(" ");
        for prefix in prefixes(&query) {
            prop_assert_eq!(
                index.search(prefix, limit),
                index.search_exhaustive(prefix, limit),
                "query {:?}, limit {}", prefix, limit
            );
        }
    }
}

fn card(title: &str, facts: &[&str]) -> (String, Vec<String>) {
    (
        title.to_string(),
        facts.iter().map(|f| f.to_string()).collect(),
    )
}

/// Kanji are found by their reading, typed as hiragana, katakana or romaji, and the kanji are
/// what gets highlighted; an item with the word as written ranks above one found by reading.
#[test]
fn kanji_are_found_by_their_reading() {
    let index = Index::new(&library(
        vec![
            card(
                "S3 の鍵の管理",
                &["バケットキーで KMS の呼び出しを減らします"],
            ),
            card("通信の暗号化", &["TLS 1.2 以上を強制します"]),
            card("デジタル署名", &["KMS の非対称キーで署名と検証をします"]),
            card("かぎの話", &["ひらがなで書いた かぎ という語"]),
            card("無関係なカード", &["ログの保存期間"]),
        ],
        vec![],
    ));
    let ids = |q: &str| -> Vec<String> {
        index
            .search(q, 10)
            .iter()
            .map(|h| index.entries[h.entry].id.clone())
            .collect()
    };
    // かぎ: the card written in hiragana first, then 鍵 by its reading.
    assert_eq!(ids("かぎ"), ["c3", "c0"]);
    assert_eq!(ids("カギ"), ["c3", "c0"]);
    assert!(ids("kagi").contains(&"c0".to_string()), "{:?}", ids("kagi"));
    // 暗号化 as 暗号 + 化, in kana and in romaji.
    assert_eq!(ids("あんごうか"), ["c1"]);
    assert_eq!(ids("angou"), ["c1"]);
    assert_eq!(ids("しょめい"), ["c2"]);
    // The kanji are highlighted, not nothing.
    let hit = &index.search("かぎ", 10)[1];
    let title: Vec<char> = index.entries[hit.entry].title.chars().collect();
    let shown: String = hit.title_positions.iter().map(|&i| title[i]).collect();
    assert_eq!(shown, "鍵");
    // A reading never makes an unrelated item match.
    assert!(ids("あんごうか").iter().all(|id| id != "c4"));
}
