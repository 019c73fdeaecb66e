//! Fuzzy search over cards, questions and misconceptions. Query and text are normalized alike —
//! NFKC (full/half width), katakana to hiragana, lower case — and a romaji term also matches as
//! kana (`sekyuriti` finds セキュリティ). Every space-separated term must match, in any order.
//! Matches carry the character positions in the *original* text, for highlighting.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use unicode_normalization::UnicodeNormalization;

use super::library::{ItemKind, Library};

/// Text folded for matching, with the original character index of each folded character.
#[derive(Debug, Clone, Default)]
struct Folded {
    text: String,
    origin: Vec<usize>,
}

fn fold_char(c: char, out: &mut String) {
    for n in std::iter::once(c).nfkc() {
        for lower in n.to_lowercase() {
            out.push(match lower {
                // Katakana ァ..ヶ → hiragana ぁ..ゖ; ー and ヽヾ stay.
                'ァ'..='ヶ' => char::from_u32(lower as u32 - 0x60).unwrap_or(lower),
                other => other,
            });
        }
    }
}

fn fold(text: &str) -> Folded {
    let mut folded = Folded::default();
    let mut buf = String::new();
    for (i, c) in text.chars().enumerate() {
        buf.clear();
        fold_char(c, &mut buf);
        for f in buf.chars() {
            folded.text.push(f);
            folded.origin.push(i);
        }
    }
    folded
}

/// Folds a query term the same way as the text.
pub fn normalize(text: &str) -> String {
    fold(text).text
}

/// One searchable item.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What it is.
    pub kind: ItemKind,
    /// Its id.
    pub id: String,
    /// The line shown in results (a card's title, a question's prompt, a misconception's belief).
    pub title: String,
    /// The rest of its text (facts, choices, correction), searched too.
    pub body: String,
    /// Title and body folded into one text, title first.
    folded: Folded,
    /// Byte length of the folded title within `folded` (a match before it is in the title).
    title_bytes: usize,
    /// Character count of the original title (positions past it are in the body).
    title_chars: usize,
    /// Which characters occur (hashed into 128 bits): a term with a character outside it cannot
    /// match, which rejects most entries before any matching.
    chars: u128,
}

/// The 128-bit character signature of a text.
fn signature(text: &str) -> u128 {
    text.chars().fold(0, |sig, c| {
        sig | 1u128 << ((c as u32).wrapping_mul(2_654_435_761) >> 25)
    })
}

/// A search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Index::entries`].
    pub entry: usize,
    /// Higher is better.
    pub score: i64,
    /// Character positions in the entry's title that matched.
    pub title_positions: Vec<usize>,
    /// Character positions in the entry's body that matched.
    pub body_positions: Vec<usize>,
}

/// The search index over a library.
pub struct Index {
    /// Everything searchable, cards first.
    pub entries: Vec<Entry>,
    matcher: SkimMatcherV2,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("entries", &self.entries.len())
            .finish()
    }
}

fn entry(kind: ItemKind, id: &str, title: &str, body: String) -> Entry {
    // One text to search: title, a newline (never in a term), body; body positions are shifted
    // past the title so they map back to the original body.
    let title_chars = title.chars().count();
    let combined = format!("{title}\n{body}");
    let folded = fold(&combined);
    let title_bytes = folded.text.find('\n').unwrap_or(folded.text.len());
    let chars = signature(&folded.text);
    Entry {
        kind,
        id: id.to_string(),
        title: title.to_string(),
        folded,
        title_bytes,
        title_chars,
        body,
        chars,
    }
}

/// Bonus for a term found as a contiguous run, so exact words rank above scattered letters.
const CONTIGUOUS_BONUS: i64 = 1000;
/// Bonus for a match in the title over one in the body.
const TITLE_BONUS: i64 = 200;

impl Index {
    /// Indexes card titles and facts, question prompts and choices, and misconceptions.
    pub fn new(library: &Library) -> Self {
        let mut entries = Vec::with_capacity(
            library.cards.len() + library.questions.len() + library.misconceptions.len(),
        );
        for card in &library.cards {
            entries.push(entry(
                ItemKind::Card,
                &card.id,
                &card.title,
                card.facts.join("\n"),
            ));
        }
        for q in &library.questions {
            let mut body: Vec<&str> = q.choices.iter().map(|c| c.text.as_str()).collect();
            body.extend(q.items.iter().map(String::as_str));
            for pair in &q.pairs {
                body.push(&pair.left);
                body.push(&pair.right);
            }
            entries.push(entry(
                ItemKind::Question,
                &q.id,
                q.prompt.trim(),
                body.join("\n"),
            ));
        }
        for m in &library.misconceptions {
            entries.push(entry(
                ItemKind::Misconception,
                &m.id,
                &m.belief,
                m.correction.clone(),
            ));
        }
        Self {
            entries,
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// Items matching every term of `query`, best first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let terms: Vec<Vec<Term>> = query
            .split_whitespace()
            .map(|t| term_variants(t).into_iter().map(Term::new).collect())
            .collect();
        if terms.is_empty() {
            return Vec::new();
        }
        // Scores first (cheap); match positions only for the hits that are shown.
        let mut scored: Vec<(i64, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| {
                terms
                    .iter()
                    .all(|variants| variants.iter().any(|t| t.signature & !entry.chars == 0))
            })
            .filter_map(|(i, entry)| self.score_entry(entry, &terms).map(|score| (score, i)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(limit);
        scored
            .into_iter()
            .map(|(score, i)| self.positions(i, score, &terms))
            .collect()
    }

    /// The entry's score if every term matches it somewhere.
    fn score_entry(&self, entry: &Entry, terms: &[Vec<Term>]) -> Option<i64> {
        let mut total = 0;
        for variants in terms {
            total += variants
                .iter()
                .filter_map(|term| self.match_term(entry, term, false).map(|m| m.0))
                .max()?;
        }
        Some(total)
    }

    /// Matches one term in an entry: a contiguous occurrence first (cheap and best), else fuzzy
    /// for terms long enough for a typo to matter. Positions are computed only on request.
    fn match_term(
        &self,
        entry: &Entry,
        term: &Term,
        want_positions: bool,
    ) -> Option<(i64, Vec<usize>)> {
        let text = &entry.folded.text;
        if term.signature & !entry.chars != 0 {
            return None;
        }
        if let Some(byte) = term.finder.find(text.as_bytes()) {
            let bonus = if byte < entry.title_bytes {
                TITLE_BONUS
            } else {
                0
            };
            let score = CONTIGUOUS_BONUS + bonus + 10 * term.chars as i64;
            let positions = if want_positions {
                let start = text[..byte].chars().count();
                (start..start + term.chars)
                    .map(|i| entry.folded.origin[i])
                    .collect()
            } else {
                Vec::new()
            };
            return Some((score, positions));
        }
        if term.chars < 3 {
            return None;
        }
        let (score, positions) = if want_positions {
            let (score, indices) = self.matcher.fuzzy_indices(text, &term.text)?;
            (
                score,
                indices
                    .into_iter()
                    .map(|i| entry.folded.origin[i])
                    .collect(),
            )
        } else {
            (self.matcher.fuzzy_match(text, &term.text)?, Vec::new())
        };
        // Scattered single letters across a long text are noise, not a match.
        (score >= 8 * term.chars as i64).then_some((score, positions))
    }

    fn positions(&self, index: usize, score: i64, terms: &[Vec<Term>]) -> Hit {
        let entry = &self.entries[index];
        let mut hit = Hit {
            entry: index,
            score,
            title_positions: Vec::new(),
            body_positions: Vec::new(),
        };
        for variants in terms {
            let best = variants
                .iter()
                .filter_map(|term| self.match_term(entry, term, true))
                .max_by_key(|m| m.0);
            for position in best.map(|m| m.1).unwrap_or_default() {
                // Positions count characters of "title\nbody".
                if position < entry.title_chars {
                    hit.title_positions.push(position);
                } else if position > entry.title_chars {
                    hit.body_positions.push(position - entry.title_chars - 1);
                }
            }
        }
        hit.title_positions.sort_unstable();
        hit.title_positions.dedup();
        hit.body_positions.sort_unstable();
        hit.body_positions.dedup();
        hit
    }
}

/// A folded query term, ready to match.
struct Term {
    text: String,
    chars: usize,
    signature: u128,
    finder: memchr::memmem::Finder<'static>,
}

impl Term {
    fn new(text: String) -> Self {
        let finder = memchr::memmem::Finder::new(text.as_bytes()).into_owned();
        Self {
            chars: text.chars().count(),
            signature: signature(&text),
            finder,
            text,
        }
    }
}

/// A term as typed and, when it is romaji, as kana too.
fn term_variants(term: &str) -> Vec<String> {
    let folded = normalize(term);
    let mut variants = vec![folded.clone()];
    if folded.chars().all(|c| c.is_ascii_lowercase() || c == '-') && folded.len() >= 2 {
        for kana in romaji_to_hiragana(&folded) {
            if !variants.contains(&kana) {
                variants.push(kana);
            }
        }
    }
    variants
}

/// Romaji (Hepburn, with the common IME spellings) to hiragana. Ambiguous syllables (ti, di, tu)
/// give more than one reading; input that is not romaji gives none.
pub fn romaji_to_hiragana(romaji: &str) -> Vec<String> {
    let mut results = vec![String::new()];
    let bytes = romaji.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &romaji[i..];
        // A doubled consonant is a small っ (not for n).
        if rest.len() >= 2
            && bytes[i] == bytes[i + 1]
            && bytes[i].is_ascii_alphabetic()
            && !b"aiueon".contains(&bytes[i])
        {
            results.iter_mut().for_each(|r| r.push('っ'));
            i += 1;
            continue;
        }
        if rest.starts_with('-') {
            results.iter_mut().for_each(|r| r.push('ー'));
            i += 1;
            continue;
        }
        let Some((len, readings)) = (1..=3).rev().filter(|&n| n <= rest.len()).find_map(|n| {
            let syllable = &rest[..n];
            // "n" alone is ん only before a consonant or at the end.
            if syllable == "n" && rest.len() > 1 && b"aiueoy".contains(&bytes[i + 1]) {
                return None;
            }
            romaji_syllable(syllable).map(|r| (n, r))
        }) else {
            return Vec::new();
        };
        results = results
            .iter()
            .flat_map(|prefix| {
                readings
                    .iter()
                    .map(move |reading| format!("{prefix}{reading}"))
            })
            .take(8)
            .collect();
        i += len;
    }
    results
}

fn romaji_syllable(s: &str) -> Option<&'static [&'static str]> {
    Some(match s {
        "a" => &["あ"],
        "i" => &["い"],
        "u" => &["う"],
        "e" => &["え"],
        "o" => &["お"],
        "ka" => &["か"],
        "ki" => &["き"],
        "ku" => &["く"],
        "ke" => &["け"],
        "ko" => &["こ"],
        "ga" => &["が"],
        "gi" => &["ぎ"],
        "gu" => &["ぐ"],
        "ge" => &["げ"],
        "go" => &["ご"],
        "sa" => &["さ"],
        "si" | "shi" => &["し"],
        "su" => &["す"],
        "se" => &["せ"],
        "so" => &["そ"],
        "za" => &["ざ"],
        "zi" | "ji" => &["じ"],
        "zu" => &["ず"],
        "ze" => &["ぜ"],
        "zo" => &["ぞ"],
        "ta" => &["た"],
        "ti" => &["ち", "てぃ"],
        "chi" => &["ち"],
        "tu" => &["つ", "とぅ"],
        "tsu" => &["つ"],
        "te" => &["て"],
        "to" => &["と"],
        "da" => &["だ"],
        "di" => &["ぢ", "でぃ"],
        "du" => &["づ", "どぅ"],
        "de" => &["で"],
        "do" => &["ど"],
        "na" => &["な"],
        "ni" => &["に"],
        "nu" => &["ぬ"],
        "ne" => &["ね"],
        "no" => &["の"],
        "ha" => &["は"],
        "hi" => &["ひ"],
        "hu" | "fu" => &["ふ"],
        "he" => &["へ"],
        "ho" => &["ほ"],
        "ba" => &["ば"],
        "bi" => &["び"],
        "bu" => &["ぶ"],
        "be" => &["べ"],
        "bo" => &["ぼ"],
        "pa" => &["ぱ"],
        "pi" => &["ぴ"],
        "pu" => &["ぷ"],
        "pe" => &["ぺ"],
        "po" => &["ぽ"],
        "ma" => &["ま"],
        "mi" => &["み"],
        "mu" => &["む"],
        "me" => &["め"],
        "mo" => &["も"],
        "ya" => &["や"],
        "yu" => &["ゆ"],
        "yo" => &["よ"],
        "ra" => &["ら"],
        "ri" => &["り"],
        "ru" => &["る"],
        "re" => &["れ"],
        "ro" => &["ろ"],
        "wa" => &["わ"],
        "wo" => &["を"],
        "n" | "nn" => &["ん"],
        "kya" => &["きゃ"],
        "kyu" => &["きゅ"],
        "kyo" => &["きょ"],
        "gya" => &["ぎゃ"],
        "gyu" => &["ぎゅ"],
        "gyo" => &["ぎょ"],
        "sha" | "sya" => &["しゃ"],
        "shu" | "syu" => &["しゅ"],
        "sho" | "syo" => &["しょ"],
        "she" => &["しぇ"],
        "ja" | "jya" | "zya" => &["じゃ"],
        "ju" | "jyu" | "zyu" => &["じゅ"],
        "jo" | "jyo" | "zyo" => &["じょ"],
        "je" => &["じぇ"],
        "cha" | "tya" => &["ちゃ"],
        "chu" | "tyu" => &["ちゅ"],
        "cho" | "tyo" => &["ちょ"],
        "che" => &["ちぇ"],
        "nya" => &["にゃ"],
        "nyu" => &["にゅ"],
        "nyo" => &["にょ"],
        "hya" => &["ひゃ"],
        "hyu" => &["ひゅ"],
        "hyo" => &["ひょ"],
        "bya" => &["びゃ"],
        "byu" => &["びゅ"],
        "byo" => &["びょ"],
        "pya" => &["ぴゃ"],
        "pyu" => &["ぴゅ"],
        "pyo" => &["ぴょ"],
        "mya" => &["みゃ"],
        "myu" => &["みゅ"],
        "myo" => &["みょ"],
        "rya" => &["りゃ"],
        "ryu" => &["りゅ"],
        "ryo" => &["りょ"],
        "fa" => &["ふぁ"],
        "fi" => &["ふぃ"],
        "fe" => &["ふぇ"],
        "fo" => &["ふぉ"],
        "thi" => &["てぃ"],
        "dhi" => &["でぃ"],
        "wi" => &["うぃ"],
        "we" => &["うぇ"],
        "vu" => &["ゔ"],
        "va" => &["ゔぁ"],
        "vi" => &["ゔぃ"],
        "ve" => &["ゔぇ"],
        "vo" => &["ゔぉ"],
        "tyi" => &["てぃ"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_unifies_width_kana_and_case() {
        assert_eq!(normalize("ＳＣＰ"), "scp");
        assert_eq!(normalize("ｾｷｭﾘﾃｨ"), "せきゅりてぃ");
        assert_eq!(normalize("セキュリティ"), "せきゅりてぃ");
        assert_eq!(normalize("IAMロール"), "iamろーる");
    }

    #[test]
    fn romaji_reads_as_kana() {
        assert!(romaji_to_hiragana("sekyuriti").contains(&"せきゅりてぃ".to_string()));
        assert_eq!(romaji_to_hiragana("kagi"), ["かぎ"]);
        assert_eq!(romaji_to_hiragana("kinyuu"), ["きにゅう"]);
        assert_eq!(romaji_to_hiragana("hakken"), ["はっけん"]);
        assert_eq!(romaji_to_hiragana("ro-ru"), ["ろーる"]);
        assert!(romaji_to_hiragana("xyzq").is_empty());
    }
}

#[cfg(test)]
mod behaviour {
    use super::*;
    use crate::content::{Card, Library, Misconception};

    fn library() -> Library {
        let card = |id: &str, title: &str, fact: &str| Card {
            id: id.into(),
            title: title.into(),
            domain: "iam".into(),
            tags: vec![],
            facts: vec![fact.into()],
            body: None,
            related: vec![],
            sources: vec![],
        };
        Library::new(
            vec![
                card(
                    "sg",
                    "セキュリティグループ",
                    "ステートフルで、許可ルールだけを書く",
                ),
                card(
                    "nacl",
                    "ネットワークACL",
                    "ステートレスで、番号の小さいルールから評価する",
                ),
                card(
                    "kms",
                    "KMSのキーポリシー",
                    "キーポリシーがアカウントを許可して初めてIAMポリシーが効く",
                ),
            ],
            vec![],
            vec![Misconception {
                id: "scp-grants".into(),
                belief: "SCPで権限を付与できる".into(),
                correction: "SCPは上限を決めるだけ".into(),
                topics: vec![],
            }],
            vec![],
            vec![],
        )
    }

    fn ids(index: &Index, query: &str) -> Vec<String> {
        index
            .search(query, 10)
            .into_iter()
            .map(|h| index.entries[h.entry].id.clone())
            .collect()
    }

    #[test]
    fn hiragana_and_romaji_find_katakana() {
        let index = Index::new(&library());
        assert_eq!(ids(&index, "せきゅりてぃ"), ["sg"]);
        assert_eq!(ids(&index, "sekyuriti"), ["sg"]);
        assert_eq!(ids(&index, "ｾｷｭﾘﾃｨ"), ["sg"]);
    }

    #[test]
    fn every_term_must_match_in_any_order() {
        let index = Index::new(&library());
        assert_eq!(ids(&index, "ステートレス 番号"), ["nacl"]);
        assert_eq!(ids(&index, "番号 ステートレス"), ["nacl"]);
        assert!(ids(&index, "ステートレス 許可ルール").is_empty());
        assert_eq!(ids(&index, "ｓｃｐ"), ["scp-grants"]);
    }

    #[test]
    fn positions_point_into_the_original_text() {
        let index = Index::new(&library());
        let hits = index.search("きーぽりしー", 10);
        let hit = &hits[0];
        let entry = &index.entries[hit.entry];
        assert_eq!(entry.id, "kms");
        let title: Vec<char> = entry.title.chars().collect();
        let highlighted: String = hit.title_positions.iter().map(|&i| title[i]).collect();
        assert_eq!(highlighted, "キーポリシー");
        let body: Vec<char> = entry.body.chars().collect();
        assert!(hit.body_positions.iter().all(|&i| i < body.len()));
    }

    #[test]
    fn contiguous_matches_are_exactly_what_a_scan_finds() {
        let index = Index::new(&library());
        for query in [
            "る",
            "るー",
            "ルール",
            "許可",
            "ポリシー アカウント",
            "scp",
            "ｓｃｐ 上限",
            "kii",
            "すてーとふる",
            "ぞうきばやし",
            "ーる",
        ] {
            let found: Vec<usize> = index.search(query, 100).iter().map(|h| h.entry).collect();
            let terms: Vec<String> = query.split_whitespace().map(normalize).collect();
            let mut expected: Vec<usize> = (0..index.entries.len())
                .filter(|&i| {
                    let text = &index.entries[i].folded.text;
                    terms.iter().all(|t| {
                        text.contains(t.as_str())
                            || term_variants(t).iter().any(|v| text.contains(v.as_str()))
                    })
                })
                .collect();
            let mut contiguous: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&i| {
                    let text = &index.entries[i].folded.text;
                    terms
                        .iter()
                        .all(|t| term_variants(t).iter().any(|v| text.contains(v.as_str())))
                })
                .collect();
            contiguous.sort_unstable();
            expected.sort_unstable();
            assert_eq!(contiguous, expected, "{query}");
        }
    }

    #[test]
    fn a_typo_still_finds_the_word() {
        let index = Index::new(&library());
        // ステートレス with one letter missing.
        assert_eq!(ids(&index, "すてーれす"), ["nacl"]);
    }

    #[test]
    fn an_empty_query_finds_nothing() {
        assert!(Index::new(&library()).search("   ", 10).is_empty());
    }
}
