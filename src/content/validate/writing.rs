//! Item-writing checks (`lint` only): flaws that let a learner answer without knowing the
//! subject, or that make a question weaker than it looks. Each is a warning with a code; a
//! question opts out of one with `lint_allow = ["code"]`.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::{Report, Seg};
use crate::content::diagnostic::Diagnostic;
use crate::content::library::{Library, Origin};
use crate::content::model::{Question, QuestionType};
use crate::suggest::did_you_mean;

/// The correct choice is much longer than every distractor.
pub const LONG_CORRECT: &str = "long-correct-choice";
/// A 「すべて正しい」/「いずれも誤り」 style choice.
pub const ALL_OR_NONE: &str = "all-or-none-choice";
/// Two choices of one question say the same thing.
pub const REPEATED_CHOICE: &str = "repeated-choice";
/// Two questions whose prompts are near-duplicates.
pub const NEAR_DUPLICATE: &str = "near-duplicate-prompt";
/// An order item whose wording gives its position away.
pub const ORDER_GIVEAWAY: &str = "order-giveaway";
/// A question without `sources`.
pub const NO_SOURCES: &str = "no-sources";
/// A multi question whose prompt does not say how many to pick.
pub const PICK_UNSTATED: &str = "pick-unstated";

/// Every code `lint_allow` accepts, with what it means (for hints and the README).
pub const CODES: [(&str, &str); 7] = [
    (LONG_CORRECT, "正解の選択肢だけが誤答よりかなり長い"),
    (
        ALL_OR_NONE,
        "「すべて正しい」「いずれも誤り」のような選択肢",
    ),
    (REPEATED_CHOICE, "同じ内容の選択肢が2つある"),
    (NEAR_DUPLICATE, "問題文がほかの問題とほぼ同じ"),
    (ORDER_GIVEAWAY, "並べる項目の文言から位置がわかる"),
    (NO_SOURCES, "`sources` がない"),
    (PICK_UNSTATED, "multi の問題文に選ぶ数がない"),
];

/// A correct choice is "much longer" at this many times the longest distractor …
const LONG_RATIO: f64 = 1.5;
/// … and at least this many characters more (short choices vary a lot).
const LONG_MIN_EXTRA: usize = 10;
/// Prompts at least this similar (Jaccard index of character bigrams) are near-duplicates.
const DUPLICATE_NUM: usize = 4;
const DUPLICATE_DEN: usize = 5;
/// Prompts with fewer bigrams than this are too short to compare.
const DUPLICATE_MIN_BIGRAMS: usize = 6;

/// Choice texts that are not an answer but a statement about the other choices.
const ALL_OR_NONE_PHRASES: [&str; 19] = [
    "すべて正しい",
    "全て正しい",
    "いずれも正しい",
    "どれも正しい",
    "上記のすべて",
    "上記すべて",
    "以上のすべて",
    "以上すべて",
    "いずれも誤り",
    "すべて誤り",
    "全て誤り",
    "どれも誤り",
    "いずれも正しくない",
    "どれも正しくない",
    "いずれでもない",
    "いずれも該当しない",
    "該当なし",
    "alloftheabove",
    "noneoftheabove",
];

/// Words that announce a step's place when an order item starts with them.
const ORDER_START_WORDS: [&str; 12] = [
    "まず",
    "最初に",
    "はじめに",
    "初めに",
    "第一に",
    "次に",
    "続いて",
    "その後",
    "それから",
    "最後に",
    "最終的に",
    "仕上げに",
];

/// Words that announce a step's place anywhere in an order item.
const ORDER_ANY_WORDS: [&str; 5] = ["最初に", "最後に", "最終的に", "最初の手順", "最後の手順"];

/// Text folded for comparison: NFKC (full-width ASCII becomes ASCII), lower case, and only
/// letters and digits (kana and kanji count as letters), so spacing and punctuation never matter.
fn fold(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn allows(q: &Question, code: &str) -> bool {
    q.lint_allow.iter().any(|c| c == code)
}

/// Runs every item-writing check over the library's questions.
pub(super) fn check(report: &mut Report<'_>, library: &Library) {
    for (q, origin) in library.questions.iter().zip(&library.origins.questions) {
        let origin = *origin;
        check_allow_list(report, q, origin);
        let mut found: Vec<(Vec<Seg<'static>>, Diagnostic)> = Vec::new();
        long_correct(q, &mut found);
        choices(q, &mut found);
        order_items(q, &mut found);
        if q.sources.iter().all(|s| s.trim().is_empty()) {
            found.push((
                vec![Seg::Key("id")],
                Diagnostic::warning(NO_SOURCES, format!("問題 `{}` に `sources` がありません", q.id))
                    .with_hint("根拠にした AWS ドキュメントの URL を `sources = [\"https://docs.aws.amazon.com/…\"]` と書いてください"),
            ));
        }
        pick_stated(q, &mut found);
        for (path, diagnostic) in found {
            if !allows(q, diagnostic.code) {
                report.push(origin, &path, diagnostic);
            }
        }
    }
    near_duplicates(report, library);
}

fn check_allow_list(report: &mut Report<'_>, q: &Question, origin: Origin) {
    for (i, code) in q.lint_allow.iter().enumerate() {
        if CODES.iter().any(|(c, _)| c == code) {
            continue;
        }
        let hint = did_you_mean(code, CODES.iter().map(|(c, _)| *c)).unwrap_or_else(|| {
            let list: Vec<&str> = CODES.iter().map(|(c, _)| *c).collect();
            format!("使えるコード: {}", list.join(", "))
        });
        report.push(
            origin,
            &[Seg::Key("lint_allow"), Seg::Index(i)],
            Diagnostic::warning(
                "unknown-lint-allow",
                format!("`lint_allow` のコード `{code}` は問題文の検査にありません"),
            )
            .with_hint(hint),
        );
    }
}

fn choice_path(i: usize) -> Vec<Seg<'static>> {
    vec![Seg::Key("choices"), Seg::Index(i), Seg::Key("text")]
}

fn long_correct(q: &Question, found: &mut Vec<(Vec<Seg<'static>>, Diagnostic)>) {
    let length = |text: &str| text.trim().chars().count();
    let Some(longest_wrong) = q
        .choices
        .iter()
        .filter(|c| !c.correct)
        .map(|c| length(&c.text))
        .max()
    else {
        return;
    };
    for (i, choice) in q.choices.iter().enumerate().filter(|(_, c)| c.correct) {
        let n = length(&choice.text);
        if n as f64 >= LONG_RATIO * longest_wrong as f64 && n >= longest_wrong + LONG_MIN_EXTRA {
            found.push((
                choice_path(i),
                Diagnostic::warning(
                    LONG_CORRECT,
                    format!(
                        "正解の選択肢 `{}`({n} 文字)がどの誤答(最長 {longest_wrong} 文字)よりもかなり長くなっています",
                        choice.id
                    ),
                )
                .with_hint("長さで正解がわかってしまいます。誤答も同じくらい具体的に書くか、正解を短くしてください"),
            ));
        }
    }
}

fn choices(q: &Question, found: &mut Vec<(Vec<Seg<'static>>, Diagnostic)>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (i, choice) in q.choices.iter().enumerate() {
        let folded = fold(&choice.text);
        if let Some(phrase) = ALL_OR_NONE_PHRASES.iter().find(|p| folded.contains(*p)) {
            found.push((
                choice_path(i),
                Diagnostic::warning(
                    ALL_OR_NONE,
                    format!(
                        "選択肢 `{}` は「{phrase}」のようにほかの選択肢について述べています",
                        choice.id
                    ),
                )
                .with_hint("ほかの選択肢を1つでも見分ければ答えが決まってしまいます。それ自体が答えになる選択肢にしてください"),
            ));
        }
        if folded.is_empty() {
            continue;
        }
        match seen.get(&folded) {
            Some(first) => found.push((
                choice_path(i),
                Diagnostic::warning(
                    REPEATED_CHOICE,
                    format!("選択肢 `{}` は `{first}` と同じ内容です", choice.id),
                )
                .with_hint("同じ選択肢が2つあると、どちらも選ばれないか、どちらも正解になります。別の誤答にしてください"),
            )),
            None => {
                seen.insert(folded, &choice.id);
            }
        }
    }
}

/// The word or number at which an order item gives its place away, if any.
fn position_marker(item: &str) -> Option<String> {
    let raw = item.trim_start();
    // Circled numbers before NFKC, which turns ① into "1".
    if let Some(c) = raw.chars().next()
        && ('①'..='⑳').contains(&c)
    {
        return Some(c.to_string());
    }
    let text: String = raw.nfkc().flat_map(char::to_lowercase).collect();
    let text = text.trim_start_matches(['(', '[', '【', '「']);
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = text[digits.len()..].trim_start();
        let numbered = ['.', ')', ']', '、', ':', '。', '】']
            .iter()
            .any(|p| rest.starts_with(*p))
            || ["つ目", "番目", "番", "段階"]
                .iter()
                .any(|w| rest.starts_with(w));
        if numbered {
            return Some(raw.chars().take(digits.chars().count() + 1).collect());
        }
    }
    for prefix in ["第", "手順", "ステップ", "step"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let rest = rest.trim_start();
            if rest
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
            {
                return Some(format!(
                    "{prefix}{}",
                    rest.chars().next().unwrap_or_default()
                ));
            }
        }
    }
    if let Some(word) = ORDER_START_WORDS.iter().find(|w| text.starts_with(*w)) {
        return Some((*word).to_string());
    }
    ORDER_ANY_WORDS
        .iter()
        .find(|w| text.contains(*w))
        .map(|w| (*w).to_string())
}

fn order_items(q: &Question, found: &mut Vec<(Vec<Seg<'static>>, Diagnostic)>) {
    if q.kind != QuestionType::Order {
        return;
    }
    for (i, item) in q.items.iter().enumerate() {
        if let Some(marker) = position_marker(item) {
            found.push((
                vec![Seg::Key("items"), Seg::Index(i)],
                Diagnostic::warning(
                    ORDER_GIVEAWAY,
                    format!("並べる項目「{item}」の「{marker}」から位置がわかります"),
                )
                .with_hint("順序を表す言葉や番号を項目から外してください。正しい順序は items の並びで決まります"),
            ));
        }
    }
}

/// The counts a prompt asks to pick: "2つ選", "(2 個選択)", "二つ選", "ふたつ選", "choose two".
pub fn stated_picks(prompt: &str) -> Vec<u32> {
    let text: String = prompt
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let mut counts = Vec::new();
    // "選" soon after the count: a count of accounts or regions is not a count to pick.
    let picks_after = |end: usize| chars.iter().skip(end).take(6).any(|&c| c == '選');
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let value = if chars[i].is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            digits.parse::<u32>().ok()
        } else if let Some(k) = "一二三四五六七八九".chars().position(|c| c == chars[i]) {
            i += 1;
            Some(k as u32 + 1)
        } else {
            for (k, word) in ["ひとつ", "ふたつ", "みっつ", "よっつ", "いつつ"]
                .iter()
                .enumerate()
            {
                let w: Vec<char> = word.chars().collect();
                if chars[i..].starts_with(&w) && picks_after(i + w.len()) {
                    counts.push(k as u32 + 1);
                }
            }
            i += 1;
            continue;
        };
        let Some(n) = value else { continue };
        let counter = chars
            .get(i)
            .is_some_and(|c| matches!(c, 'つ' | '個' | '件'));
        if counter && picks_after(i + 1) {
            counts.push(n);
        }
    }
    for verb in ["choose", "select", "pick"] {
        for (at, _) in text.match_indices(verb) {
            let rest = &text[at + verb.len()..];
            let words = ["one", "two", "three", "four", "five"];
            if let Some(k) = words.iter().position(|w| rest.starts_with(w)) {
                counts.push(k as u32 + 1);
            } else {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                counts.extend(digits.parse::<u32>().ok());
            }
        }
    }
    counts
}

fn pick_stated(q: &Question, found: &mut Vec<(Vec<Seg<'static>>, Diagnostic)>) {
    if q.kind != QuestionType::Multi {
        return;
    }
    let Some(pick) = q.pick else { return };
    if q.prompt.trim().is_empty() {
        return;
    }
    let stated = stated_picks(&q.prompt);
    if stated.contains(&pick) {
        return;
    }
    let message = match stated.first() {
        Some(other) => format!("問題文は {other} つ選ぶと書いていますが、pick = {pick} です"),
        None => format!("問題文に選ぶ数({pick} つ)が書かれていません"),
    };
    found.push((
        vec![Seg::Key("prompt")],
        Diagnostic::warning(PICK_UNSTATED, message).with_hint(format!(
            "問題文の終わりに「({pick}つ選択)」のように選ぶ数を書いてください"
        )),
    ));
}

/// The sorted, distinct character bigrams of a folded text.
fn bigrams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = fold(text).chars().collect();
    let mut grams: Vec<u64> = chars
        .windows(2)
        .map(|w| (u64::from(w[0] as u32) << 32) | u64::from(w[1] as u32))
        .collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Jaccard index of two sorted, distinct lists, as (shared, union).
fn overlap(a: &[u32], b: &[u32]) -> (usize, usize) {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (shared, a.len() + b.len() - shared)
}

fn similar_enough(shared: usize, union: usize) -> bool {
    shared * DUPLICATE_DEN >= union * DUPLICATE_NUM
}

/// Past this many texts sharing a rare bigram, later texts are not indexed under it: a bank of
/// generated, templated prompts would otherwise compare every pair.
const INDEX_CAP: usize = 256;

/// For each text that has an earlier near-duplicate (Jaccard index of character bigrams at
/// least 4/5), one pair `(i, j, similarity)` with `i < j`: the most similar earlier text.
/// Prefix filtering keeps it near linear: with the bigrams of every text ordered rarest first,
/// two sets that similar must share one of the first `n - ceil(0.8 n) + 1` of each, so only
/// texts sharing a rare bigram are compared; exact duplicates are found by hashing.
pub fn near_duplicate_pairs(texts: &[&str]) -> Vec<(usize, usize, f64)> {
    let sets: Vec<Vec<u64>> = texts.iter().map(|t| bigrams(t)).collect();
    let mut frequency: HashMap<u64, usize> = HashMap::new();
    for set in &sets {
        for gram in set {
            *frequency.entry(*gram).or_default() += 1;
        }
    }
    let mut order: Vec<(usize, u64)> = frequency.iter().map(|(g, n)| (*n, *g)).collect();
    order.sort_unstable();
    let rank: HashMap<u64, u32> = order
        .iter()
        .enumerate()
        .map(|(r, (_, g))| (*g, r as u32))
        .collect();
    let ranked: Vec<Vec<u32>> = sets
        .iter()
        .map(|set| {
            let mut r: Vec<u32> = set.iter().map(|g| rank[g]).collect();
            r.sort_unstable();
            r
        })
        .collect();
    let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut exact: HashMap<&[u32], usize> = HashMap::new();
    let mut pairs = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (j, set) in ranked.iter().enumerate() {
        let n = set.len();
        if n < DUPLICATE_MIN_BIGRAMS {
            continue;
        }
        if let Some(&i) = exact.get(set.as_slice()) {
            pairs.push((i, j, 1.0));
            continue;
        }
        exact.insert(set.as_slice(), j);
        let prefix = n - (DUPLICATE_NUM * n).div_ceil(DUPLICATE_DEN) + 1;
        candidates.clear();
        for token in &set[..prefix] {
            if let Some(list) = index.get(token) {
                candidates.extend_from_slice(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(usize, usize, usize)> = None;
        for &i in &candidates {
            let (shared, union) = overlap(&ranked[i], set);
            let better = best.is_none_or(|(_, s, u)| shared * u > s * union);
            if similar_enough(shared, union) && better {
                best = Some((i, shared, union));
            }
        }
        if let Some((i, shared, union)) = best {
            pairs.push((i, j, shared as f64 / union as f64));
        }
        for token in &set[..prefix] {
            let list = index.entry(*token).or_default();
            if list.len() < INDEX_CAP {
                list.push(j);
            }
        }
    }
    pairs
}

fn near_duplicates(report: &mut Report<'_>, library: &Library) {
    let prompts: Vec<&str> = library
        .questions
        .iter()
        .map(|q| q.prompt.as_str())
        .collect();
    for (i, j, similarity) in near_duplicate_pairs(&prompts) {
        let (first, second) = (&library.questions[i], &library.questions[j]);
        if allows(first, NEAR_DUPLICATE) || allows(second, NEAR_DUPLICATE) {
            continue;
        }
        // The later question is the one reported: an added file's question, not the base's.
        report.push(
            library.origins.questions[j],
            &[Seg::Key("prompt")],
            Diagnostic::warning(
                NEAR_DUPLICATE,
                format!(
                    "問題 `{}` の問題文が `{}` とほぼ同じです(類似度 {:.0}%)",
                    second.id,
                    first.id,
                    similarity * 100.0
                ),
            )
            .with_hint(
                "同じことを問うなら1問にまとめ、別のことを問うなら場面や問い方を変えてください",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_filter_finds_exactly_the_pairs_a_full_comparison_finds() {
        let base = [
            "S3バケットのオブジェクトをKMSキーで暗号化したい。最も運用負荷の低い方法はどれか。",
            "S3バケットのオブジェクトをKMSキーで暗号化したい。最も運用負荷が低い方法はどれか。",
            "S3バケットのオブジェクトをKMSキーで暗号化したい。最もコストの低い方法はどれか。",
            "CloudTrailの証跡を組織全体で有効にしたい。どうするべきか。",
            "CloudTrailの証跡を組織の全アカウントで有効にしたい。どうするべきか。",
            "GuardDutyの検出結果を自動で修復したい。",
            "短い",
        ];
        let mut texts: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        for k in 0..40 {
            texts.push(format!(
                "{}の設定を変更して{}を守りたい。何をするか。",
                k,
                k * 7
            ));
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let fast = near_duplicate_pairs(&refs);
        let sets: Vec<Vec<u64>> = refs.iter().map(|t| bigrams(t)).collect();
        let mut slow = Vec::new();
        for j in 0..sets.len() {
            for i in 0..j {
                if sets[i].len() < DUPLICATE_MIN_BIGRAMS || sets[j].len() < DUPLICATE_MIN_BIGRAMS {
                    continue;
                }
                let shared = sets[i].iter().filter(|g| sets[j].contains(g)).count();
                let union = sets[i].len() + sets[j].len() - shared;
                if similar_enough(shared, union) {
                    slow.push((i, j));
                }
            }
        }
        // One report per later text, against an earlier text it is similar to.
        let mut flagged: Vec<usize> = fast.iter().map(|p| p.1).collect();
        let mut expected: Vec<usize> = slow.iter().map(|p| p.1).collect();
        flagged.sort_unstable();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(flagged, expected);
        for (i, j, _) in &fast {
            assert!(slow.contains(&(*i, *j)));
        }
        assert!(fast.iter().any(|p| (p.0, p.1) == (0, 1)));
    }

    #[test]
    fn stated_picks_reads_the_usual_ways_of_saying_how_many() {
        assert_eq!(stated_picks("正しいものはどれか。(2つ選択)"), vec![2]);
        assert_eq!(stated_picks("正しいものを２つ選びなさい。"), vec![2]);
        assert_eq!(stated_picks("三つ選べ"), vec![3]);
        assert_eq!(stated_picks("ふたつ選んでください"), vec![2]);
        assert_eq!(stated_picks("Which are true? (Choose two.)"), vec![2]);
        assert!(stated_picks("3つのアカウントで何をするか。").is_empty());
    }

    #[test]
    fn position_markers_are_found_at_the_start_and_in_the_wording() {
        assert_eq!(position_marker("まず証跡を作る").as_deref(), Some("まず"));
        assert_eq!(position_marker("1. 証跡を作る").as_deref(), Some("1."));
        assert_eq!(position_marker("①証跡を作る").as_deref(), Some("①"));
        assert_eq!(position_marker("手順3: 確認する").as_deref(), Some("手順3"));
        assert_eq!(
            position_marker("設定を最後に確認する").as_deref(),
            Some("最後に")
        );
        assert_eq!(position_marker("証跡を作る"), None);
        assert_eq!(position_marker("3つのリージョンで有効にする"), None);
    }
}
