//! Fuzzy search over cards, questions and misconceptions. Query and text are normalized alike —
//! NFKC (full/half width), katakana to hiragana, lower case — and a romaji term also matches as
//! kana (`sekyuriti` finds セキュリティ). Every space-separated term must match, in any order.
//! Matches carry the character positions in the *original* text, for highlighting.

use unicode_normalization::UnicodeNormalization;

use super::library::{ItemKind, Library};

/// Text folded for matching, with the original character index of each folded character.
#[derive(Debug, Clone, Default)]
struct Folded {
    text: String,
    origin: Vec<usize>,
}

/// Katakana ァ..ヶ → hiragana ぁ..ゖ; everything else (ー and ヽヾ too) stays.
fn to_hiragana(c: char) -> char {
    match c {
        'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        other => other,
    }
}

fn fold_char(c: char, out: &mut String) {
    // Most characters are ASCII, kana or kanji, which NFKC leaves as they are: skip it.
    match c {
        'A'..='Z' => return out.push(c.to_ascii_lowercase()),
        '\0'..='\x7f' | 'ぁ'..='ゖ' | 'ー' | '\u{4E00}'..='\u{9FFF}' => return out.push(c),
        'ァ'..='ヶ' => return out.push(to_hiragana(c)),
        _ => {}
    }
    for n in std::iter::once(c).nfkc() {
        for lower in n.to_lowercase() {
            out.push(to_hiragana(lower));
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
    /// Where the kanji readings start in `folded` (a match from there on is a reading match).
    reading_bytes: usize,
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
    /// Which entries contain each folded character and each pair of adjacent characters, in
    /// the whole text and in the title alone: a term can only match where all of them occur.
    grams: Grams,
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
    let mut folded = fold(&combined);
    let title_bytes = folded.text.find('\n').unwrap_or(folded.text.len());
    let reading_bytes = folded.text.len();
    append_readings(&combined, &mut folded);
    let chars = signature(&folded.text);
    Entry {
        kind,
        id: id.to_string(),
        title: title.to_string(),
        folded,
        title_bytes,
        reading_bytes,
        title_chars,
        body,
        chars,
    }
}

/// A kanji (CJK unified ideographs and extension A) or the repetition mark 々.
fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々')
}

/// The longest compound `readings` looks up.
const MAX_COMPOUND: usize = 6;

/// Hiragana readings of compounds (熟語) and of single kanji, from inputx-nihongo's tables
/// (MIT OR Apache-2.0, shipped inside the crate). Built once, on the first index.
struct Readings {
    compounds: std::collections::HashMap<&'static str, Vec<String>>,
    kanji: std::collections::HashMap<char, Vec<String>>,
}

fn readings() -> &'static Readings {
    static READINGS: std::sync::LazyLock<Readings> = std::sync::LazyLock::new(|| {
        let kana = |romaji: &str| romaji_to_hiragana(romaji).into_iter().next();
        let mut compounds: std::collections::HashMap<&'static str, Vec<String>> =
            std::collections::HashMap::new();
        for e in inputx_nihongo::jukugo::JUKUGO_TABLE {
            let n = e.kanji.chars().count();
            if !(2..=MAX_COMPOUND).contains(&n) || !e.kanji.chars().all(is_kanji) {
                continue;
            }
            if let Some(k) = kana(e.reading) {
                let list = compounds.entry(e.kanji).or_default();
                if !list.contains(&k) {
                    list.push(k);
                }
            }
        }
        let mut kanji: std::collections::HashMap<char, Vec<String>> =
            std::collections::HashMap::new();
        for e in inputx_nihongo::kanji::KANJI_TABLE {
            let list = kanji.entry(e.kanji).or_default();
            for k in e.readings.iter().filter_map(|r| kana(r)) {
                if !list.contains(&k) {
                    list.push(k);
                }
            }
        }
        Readings { compounds, kanji }
    });
    &READINGS
}

/// Appends the readings of the text's kanji to `folded`, one per line after the text, each
/// reading character pointing at the kanji it reads (so a reading match highlights the kanji).
/// A run of kanji is split into the longest known compounds; a kanji outside every compound
/// contributes each of its readings. The run's whole reading (the first reading of each
/// piece, joined) is a line too, so あんごうか finds 暗号化 as 暗号 + 化.
fn append_readings(text: &str, folded: &mut Folded) {
    let table = readings();
    let chars: Vec<char> = text.chars().collect();
    // Byte offset of each character (and of the end), to look compounds up without copying.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut push = |folded: &mut Folded, reading: &str, origin: &[usize]| {
        if reading.is_empty() || !seen.insert(reading.to_string()) {
            return;
        }
        folded.text.push('\n');
        folded.origin.push(origin[0]);
        // Spread the reading's characters over the kanji it reads.
        let n = reading.chars().count();
        for (i, c) in reading.chars().enumerate() {
            folded.text.push(c);
            folded.origin.push(origin[i * origin.len() / n.max(1)]);
        }
    };
    let mut i = 0;
    while i < chars.len() {
        if !is_kanji(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_kanji(chars[i]) {
            i += 1;
        }
        let run = &chars[start..i];
        let mut whole = String::new();
        let mut pieces = 0;
        let mut p = 0;
        while p < run.len() {
            let longest = (2..=MAX_COMPOUND.min(run.len() - p)).rev().find_map(|len| {
                let surface = &text[bytes[start + p]..bytes[start + p + len]];
                table.compounds.get(surface).map(|r| (len, r))
            });
            let (len, list): (usize, &[String]) = match longest {
                Some((len, r)) => (len, r),
                None => (1, table.kanji.get(&run[p]).map_or(&[][..], Vec::as_slice)),
            };
            let origin: Vec<usize> = (start + p..start + p + len).collect();
            for r in list {
                push(folded, r, &origin);
            }
            if let Some(first) = list.first() {
                whole.push_str(first);
                pieces += 1;
            }
            p += len;
        }
        if pieces > 1 {
            let origin: Vec<usize> = (start..i).collect();
            push(folded, &whole, &origin);
        }
    }
}

/// Bonus for a term found as a contiguous run, so exact words rank above scattered letters.
const CONTIGUOUS_BONUS: i64 = 1000;
/// Bonus for a match in the title over one in the body.
const TITLE_BONUS: i64 = 200;
/// A term found only in the kanji readings ranks below one found in the text as written.
const READING_PENALTY: i64 = 100;
/// Shorter terms match only as a contiguous run (a typo in two letters is another word).
const FUZZY_MIN_CHARS: usize = 3;
/// Score of a typo match per term character, less [`FUZZY_GAP_PENALTY`] per letter between:
/// always below a contiguous match.
const FUZZY_PER_CHAR: i64 = 8;
const FUZZY_GAP_PENALTY: i64 = 4;

/// How many letters may fall between a term's letters in a typo match (a letter or two that
/// were not typed): one per four letters of the term, at least one. More than that is
/// scattered letters, not a word.
fn fuzzy_slack(chars: usize) -> usize {
    (chars / 4).max(1)
}

/// The best score a typo match of a term can reach: one letter between, the fewest there is
/// (with none it is a contiguous match).
fn fuzzy_bound(chars: usize) -> i64 {
    FUZZY_PER_CHAR * chars as i64 - FUZZY_GAP_PENALTY
}

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
        let grams = Grams::new(&entries);
        Self { entries, grams }
    }

    /// Bytes held by the postings of the index (not counting the entries' own text).
    pub fn postings_bytes(&self) -> usize {
        self.grams.bytes()
    }

    /// Items matching every term of `query`, best first, at most `limit`.
    ///
    /// The postings give each entry that can match an upper bound of its score without reading
    /// its text; entries are scored exactly in the order of that bound, and the search stops
    /// once no remaining bound can enter the results. The results are those of
    /// [`Index::search_exhaustive`].
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let terms = parse(query);
        if terms.is_empty() || limit == 0 {
            return Vec::new();
        }
        let n = self.entries.len();
        // Per term: the entries it can match and, per variant, where it can match how well.
        let mut allowed: Option<Bits> = None;
        let mut term_sets = Vec::with_capacity(terms.len());
        for variants in &terms {
            let mut any = Bits::empty(n);
            let mut sets = Vec::with_capacity(variants.len());
            for term in variants {
                let set = self.grams.variant(term, n);
                any.or(&set.contiguous);
                if let Some(fuzzy) = &set.fuzzy {
                    any.or(fuzzy);
                }
                sets.push(set);
            }
            match &mut allowed {
                Some(all) => all.and(&any),
                None => allowed = Some(any),
            }
            term_sets.push(sets);
        }
        let Some(allowed) = allowed else {
            return Vec::new();
        };
        // Upper bounds, in entry order.
        let mut candidates: Vec<(usize, i64)> = allowed
            .iter()
            .map(|i| {
                let bound = terms
                    .iter()
                    .zip(&term_sets)
                    .map(|(variants, sets)| {
                        variants
                            .iter()
                            .zip(sets)
                            .filter_map(|(term, set)| set.bound(term, i))
                            .max()
                            .unwrap_or(0)
                    })
                    .sum();
                (i, bound)
            })
            .collect();
        let mut bounds: Vec<i64> = candidates.iter().map(|c| c.1).collect();
        bounds.sort_unstable_by(|a, b| b.cmp(a));
        bounds.dedup();
        // The best `limit` so far, worst on top: lowest score, then highest entry.
        let mut best: std::collections::BinaryHeap<(std::cmp::Reverse<i64>, usize)> =
            std::collections::BinaryHeap::with_capacity(limit + 1);
        'bounds: for bound in bounds {
            for &(i, _) in candidates.iter().filter(|c| c.1 == bound) {
                if best.len() == limit {
                    let &(std::cmp::Reverse(worst), worst_entry) = best.peek().expect("limit > 0");
                    // Bounds only fall from here on, and entries rise within a bound.
                    if bound < worst || (bound == worst && i > worst_entry) {
                        break 'bounds;
                    }
                }
                let Some(score) = self.score_entry(&self.entries[i], &terms) else {
                    continue;
                };
                debug_assert!(score <= bound, "bound {bound} below score {score}");
                best.push((std::cmp::Reverse(score), i));
                if best.len() > limit {
                    best.pop();
                }
            }
        }
        candidates.clear();
        let mut scored: Vec<(i64, usize)> = best
            .into_iter()
            .map(|(std::cmp::Reverse(s), i)| (s, i))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .map(|(score, i)| self.positions(i, score, &terms))
            .collect()
    }

    /// The same results as [`Index::search`], found by scoring every entry: the reference the
    /// pruned search is tested and benchmarked against.
    pub fn search_exhaustive(&self, query: &str, limit: usize) -> Vec<Hit> {
        let terms = parse(query);
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
            } else if byte >= entry.reading_bytes {
                -READING_PENALTY
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
        if term.chars < FUZZY_MIN_CHARS || !term.fuzzy {
            return None;
        }
        // Typos in the text as written (not in the readings), within one line.
        let text = &text[..entry.reading_bytes];
        let max_span = term.chars + fuzzy_slack(term.chars);
        let (span, start) = tightest(text, &term.text, max_span)?;
        let score =
            FUZZY_PER_CHAR * term.chars as i64 - FUZZY_GAP_PENALTY * (span - term.chars) as i64;
        let mut positions = Vec::new();
        if want_positions {
            let base = text[..start].chars().count();
            span_from(&text[start..], &term.text, span, |i| {
                positions.push(entry.folded.origin[base + i]);
            });
        }
        Some((score, positions))
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

/// A query split into terms, each with its variants (as typed, as kana).
fn parse(query: &str) -> Vec<Vec<Term>> {
    query
        .split_whitespace()
        .map(|t| {
            term_variants(t)
                .into_iter()
                .map(|v| {
                    let mut term = Term::new(v);
                    // Romaji typed half-way ("sek" on the way to "sekyuriti") has no reading
                    // yet; scattered letters of it are noise, so it matches only as typed.
                    term.fuzzy = !romaji_in_progress(&term.text);
                    term
                })
                .collect()
        })
        .collect()
}

/// Whether `text` is romaji cut short: no reading as it is, but one once its trailing
/// consonants (at most two: "k", "ky", "sh") are dropped.
fn romaji_in_progress(text: &str) -> bool {
    if text.len() < 2
        || !text.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        || !romaji_to_hiragana(text).is_empty()
    {
        return false;
    }
    let stem = text.trim_end_matches(|c: char| !"aiueo-".contains(c));
    text.len() - stem.len() <= 2 && !stem.is_empty() && !romaji_to_hiragana(stem).is_empty()
}

/// The tightest occurrence of `pattern`'s characters in order in `text`, within one line and
/// spanning at most `max_span` characters: its span in characters and its start byte.
fn tightest(text: &str, pattern: &str, max_span: usize) -> Option<(usize, usize)> {
    let first = pattern.chars().next()?;
    let least = pattern.chars().count();
    let mut buf = [0; 4];
    let needle = first.encode_utf8(&mut buf).as_bytes();
    let mut best: Option<(usize, usize)> = None;
    for start in memchr::memmem::find_iter(text.as_bytes(), needle) {
        let limit = best.map_or(max_span, |(span, _)| span - 1);
        if let Some(span) = span_from(&text[start..], pattern, limit, |_| {}) {
            best = Some((span, start));
            if span == least {
                break;
            }
        }
    }
    best
}

/// The characters from the start of `text` up to and including the last of `pattern`'s
/// characters matched in order (each as early as it can be, reported to `matched` by its
/// character index), if that is at most `limit` characters and no line break.
fn span_from(
    text: &str,
    pattern: &str,
    limit: usize,
    mut matched: impl FnMut(usize),
) -> Option<usize> {
    let mut want = pattern.chars();
    let mut next = want.next();
    for (i, c) in text.chars().take(limit).enumerate() {
        if c == '\n' {
            return None;
        }
        if Some(c) == next {
            matched(i);
            next = want.next();
            if next.is_none() {
                return Some(i + 1);
            }
        }
    }
    None
}

/// A set of entries as a bitmap.
#[derive(Debug, Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64)])
    }

    fn full(n: usize) -> Self {
        let mut bits = Self(vec![u64::MAX; n.div_ceil(64)]);
        if let Some(last) = bits.0.last_mut()
            && !n.is_multiple_of(64)
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        bits
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    fn and(&mut self, other: &Bits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
    }

    fn or(&mut self, other: &Bits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut word = word;
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros() as usize;
                    word &= word - 1;
                    w * 64 + bit
                })
            })
        })
    }
}

/// The entries holding one gram: their sorted numbers while few, else a bitmap (whichever is
/// smaller).
#[derive(Debug)]
enum Postings {
    Sparse(Vec<u32>),
    Dense(Bits),
}

impl Postings {
    fn new(entries: Vec<u32>, n: usize) -> Self {
        if entries.len() * 32 >= n {
            let mut bits = Bits::empty(n);
            entries.iter().for_each(|&i| bits.set(i as usize));
            Self::Dense(bits)
        } else {
            let mut entries = entries;
            entries.shrink_to_fit();
            Self::Sparse(entries)
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Sparse(v) => v.len(),
            Self::Dense(b) => b.0.iter().map(|w| w.count_ones() as usize).sum(),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Self::Sparse(v) => v.capacity() * 4,
            Self::Dense(b) => b.0.capacity() * 8,
        }
    }

    /// `bits` ∩ these entries.
    fn intersect(&self, bits: &Bits, n: usize) -> Bits {
        match self {
            Self::Dense(own) => {
                let mut out = own.clone();
                out.and(bits);
                out
            }
            Self::Sparse(own) => {
                let mut out = Bits::empty(n);
                own.iter()
                    .map(|&i| i as usize)
                    .filter(|&i| bits.contains(i))
                    .for_each(|i| out.set(i));
                out
            }
        }
    }
}

/// A cheap hash for gram keys (already well spread integers).
#[derive(Default)]
struct GramHasher(u64);

impl std::hash::Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type GramMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<GramHasher>>;

/// The key of one character.
fn char_key(c: char) -> u64 {
    u64::from(c)
}

/// The key of two adjacent characters (distinct from every character key).
fn pair_key(a: char, b: char) -> u64 {
    1 << 42 | u64::from(a) << 21 | u64::from(b)
}

/// Character and character-pair postings over the folded text of every entry, and over the
/// folded titles alone.
#[derive(Debug, Default)]
struct Grams {
    all: GramMap<Postings>,
    title: GramMap<Postings>,
}

impl Grams {
    fn new(entries: &[Entry]) -> Self {
        let n = entries.len();
        let mut all: GramMap<Vec<u32>> = GramMap::default();
        let mut title: GramMap<Vec<u32>> = GramMap::default();
        let add = |map: &mut GramMap<Vec<u32>>, key: u64, i: u32| {
            let list = map.entry(key).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        };
        for (i, entry) in entries.iter().enumerate() {
            let i = i as u32;
            let text = &entry.folded.text;
            let mut prev: Option<char> = None;
            for (byte, c) in text.char_indices() {
                let in_title = byte < entry.title_bytes;
                add(&mut all, char_key(c), i);
                if in_title {
                    add(&mut title, char_key(c), i);
                }
                if let Some(p) = prev {
                    add(&mut all, pair_key(p, c), i);
                    if in_title {
                        add(&mut title, pair_key(p, c), i);
                    }
                }
                prev = Some(c);
            }
        }
        let finish = |map: GramMap<Vec<u32>>| -> GramMap<Postings> {
            map.into_iter()
                .map(|(k, v)| (k, Postings::new(v, n)))
                .collect()
        };
        Self {
            all: finish(all),
            title: finish(title),
        }
    }

    fn bytes(&self) -> usize {
        [&self.all, &self.title]
            .iter()
            .map(|map| {
                map.capacity() * (8 + std::mem::size_of::<Postings>())
                    + map.values().map(Postings::bytes).sum::<usize>()
            })
            .sum()
    }

    /// Entries of `map` holding every key (all entries for no key).
    fn every(map: &GramMap<Postings>, keys: &[u64], n: usize) -> Bits {
        let mut lists = Vec::with_capacity(keys.len());
        for key in keys {
            match map.get(key) {
                Some(list) => lists.push(list),
                None => return Bits::empty(n),
            }
        }
        lists.sort_by_key(|l| l.len());
        let mut bits = Bits::full(n);
        for list in lists {
            bits = list.intersect(&bits, n);
        }
        bits
    }

    /// Entries of `within` holding at least `need` of `keys`.
    fn at_least(
        map: &GramMap<Postings>,
        keys: &[u64],
        need: usize,
        within: Bits,
        n: usize,
    ) -> Bits {
        if need == 0 {
            return within;
        }
        let mut counts = vec![0u8; n];
        for list in keys.iter().filter_map(|key| map.get(key)) {
            list.intersect(&within, n)
                .iter()
                .for_each(|i| counts[i] = counts[i].saturating_add(1));
        }
        let mut out = Bits::empty(n);
        within
            .iter()
            .filter(|&i| usize::from(counts[i]) >= need)
            .for_each(|i| out.set(i));
        out
    }

    /// Where one term variant can match.
    fn variant(&self, term: &Term, n: usize) -> VariantSet {
        let chars: Vec<char> = term.text.chars().collect();
        let contiguous_keys: Vec<u64> = if chars.len() == 1 {
            vec![char_key(chars[0])]
        } else {
            let mut keys: Vec<u64> = chars.windows(2).map(|w| pair_key(w[0], w[1])).collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        };
        let fuzzy = (term.chars >= FUZZY_MIN_CHARS && term.fuzzy).then(|| {
            let mut keys: Vec<u64> = chars.iter().map(|&c| char_key(c)).collect();
            keys.sort_unstable();
            keys.dedup();
            let every_char = Self::every(&self.all, &keys, n);
            // At most `fuzzy_slack` letters fall between the term's letters, each breaking one
            // of its pairs: the other pairs occur as they are (a repeated pair counts once).
            let need = contiguous_keys
                .len()
                .saturating_sub(fuzzy_slack(term.chars));
            Self::at_least(&self.all, &contiguous_keys, need, every_char, n)
        });
        VariantSet {
            title: Self::every(&self.title, &contiguous_keys, n),
            contiguous: Self::every(&self.all, &contiguous_keys, n),
            fuzzy,
        }
    }
}

/// The entries where one term variant can match: as a contiguous run in the title, anywhere,
/// or (long enough terms) scattered.
struct VariantSet {
    title: Bits,
    contiguous: Bits,
    fuzzy: Option<Bits>,
}

impl VariantSet {
    /// The best score the variant can reach in entry `i`, if it can match there.
    fn bound(&self, term: &Term, i: usize) -> Option<i64> {
        let chars = term.chars as i64;
        let contiguous = if self.title.contains(i) {
            Some(CONTIGUOUS_BONUS + TITLE_BONUS + 10 * chars)
        } else if self.contiguous.contains(i) {
            Some(CONTIGUOUS_BONUS + 10 * chars)
        } else {
            None
        };
        let fuzzy = self
            .fuzzy
            .as_ref()
            .filter(|f| f.contains(i))
            .map(|_| fuzzy_bound(term.chars));
        contiguous.max(fuzzy)
    }
}

/// A folded query term, ready to match.
struct Term {
    text: String,
    chars: usize,
    signature: u128,
    finder: memchr::memmem::Finder<'static>,
    /// Whether it may also match scattered (typo-tolerant), not only as a contiguous run.
    fuzzy: bool,
}

impl Term {
    fn new(text: String) -> Self {
        let finder = memchr::memmem::Finder::new(text.as_bytes()).into_owned();
        Self {
            chars: text.chars().count(),
            signature: signature(&text),
            finder,
            text,
            fuzzy: true,
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
    fn folding_fast_paths_agree_with_nfkc() {
        let slow = |c: char| -> String {
            std::iter::once(c)
                .nfkc()
                .flat_map(char::to_lowercase)
                .map(|l| match l {
                    'ァ'..='ヶ' => char::from_u32(l as u32 - 0x60).unwrap_or(l),
                    other => other,
                })
                .collect()
        };
        let ranges = [
            '\0'..='\x7f',
            'ぁ'..='ゖ',
            'ァ'..='ヶ',
            'ー'..='ー',
            '\u{4E00}'..='\u{9FFF}',
        ];
        for c in ranges.into_iter().flatten() {
            let mut fast = String::new();
            fold_char(c, &mut fast);
            assert_eq!(fast, slow(c), "{c:?} U+{:04X}", c as u32);
        }
    }

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

    #[test]
    fn romaji_cut_short_is_recognised() {
        for typing in ["sek", "seky", "ramud", "kag"] {
            assert!(romaji_in_progress(typing), "{typing} is romaji being typed");
        }
        // Complete romaji, English words and kana are not.
        for other in ["sekyuriti", "kagi", "kms", "cloudtrail", "せき", "k"] {
            assert!(!romaji_in_progress(other), "{other}");
        }
    }

    #[test]
    fn a_typo_match_is_the_tightest_within_one_line() {
        // Spans count characters, not bytes; the later, tighter occurrence wins.
        assert_eq!(tightest("せきゅりてぃ", "せりぃ", 10), Some((6, 0)));
        assert_eq!(tightest("s-e-c secret", "sec", 10), Some((3, 6)));
        assert_eq!(tightest("sxec", "sec", 4), Some((4, 0)));
        // Too spread out, out of order, or across a line break: no match.
        assert_eq!(tightest("sxxec", "sec", 4), None);
        assert_eq!(tightest("せきゅりてぃ", "りせ", 10), None);
        assert_eq!(tightest("se\nc", "sec", 10), None);
        assert_eq!(tightest("", "a", 10), None);
    }
}

#[cfg(test)]
mod behaviour {
    use super::*;
    use crate::content::{Card, Library, Misconception};

    fn card(id: &str, title: &str, facts: &[&str]) -> Card {
        Card {
            id: id.into(),
            title: title.into(),
            domain: "iam".into(),
            tags: vec![],
            facts: facts.iter().map(|f| f.to_string()).collect(),
            body: None,
            related: vec![],
            sources: vec![],
        }
    }

    fn cards(cards: Vec<Card>) -> Library {
        Library::new(cards, vec![], vec![], vec![], vec![])
    }

    fn library() -> Library {
        Library::new(
            vec![
                card(
                    "sg",
                    "セキュリティグループ",
                    &["ステートフルで、許可ルールだけを書く"],
                ),
                card(
                    "nacl",
                    "ネットワークACL",
                    &["ステートレスで、番号の小さいルールから評価する"],
                ),
                card(
                    "kms",
                    "KMSのキーポリシー",
                    &["キーポリシーがアカウントを許可して初めてIAMポリシーが効く"],
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
    fn romaji_typed_half_way_matches_only_as_typed() {
        let library = cards(vec![
            card("key", "Secret Key", &[]),
            card("sek", "Sekyuriti", &[]),
        ]);
        let index = Index::new(&library);
        // "sek" on the way to "sekyuriti": not the scattered s-e-…-k of "secret key".
        assert_eq!(ids(&index, "sek"), ["sek"]);
        // A typo in an English word still finds it.
        assert_eq!(ids(&index, "secrt"), ["key"]);
    }

    #[test]
    fn letters_spread_over_lines_are_not_a_typo() {
        let library = cards(vec![
            card("word", "設定", &["secret"]),
            card("spread", "設定", &["sec", "rt"]),
        ]);
        let index = Index::new(&library);
        // "secrt" is "secret" with a letter missing, not "sec" in one fact and "rt" in the next.
        assert_eq!(ids(&index, "secrt"), ["word"]);
    }

    #[test]
    fn an_empty_query_finds_nothing() {
        assert!(Index::new(&library()).search("   ", 10).is_empty());
    }
}
