//! One vocabulary: the terms table (`assets/terms.toml`, preferred term → variants) applied to
//! every learner-facing text, with a warning and the preferred form as the hint.

use std::sync::OnceLock;

use serde::Deserialize;

use super::{Report, Seg};
use crate::content::diagnostic::Diagnostic;
use crate::content::library::{Library, Origin};

/// One row of the terms table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The form AWS's Japanese documentation uses.
    pub preferred: String,
    /// Forms to replace by it, matched as written.
    pub variants: Vec<String>,
    /// Longer words that contain a variant and are fine as they are.
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermsFile {
    terms: Vec<Term>,
}

/// The shipped terms table (embedded; a broken table is a build-time test failure, not a
/// runtime one, so it is read leniently here).
pub fn table() -> &'static [Term] {
    static TABLE: OnceLock<Vec<Term>> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str::<TermsFile>(include_str!("../../../assets/terms.toml"))
            .map(|f| f.terms)
            .unwrap_or_default()
    })
}

/// The first variant of `term` in `text` that is a word of its own: an ASCII variant must not
/// touch other ASCII letters or digits (`SG` but not `SGW` or `sg-1`), and no exception word
/// may cover it.
pub fn find_variant<'a>(term: &'a Term, text: &str) -> Option<&'a str> {
    term.variants.iter().map(String::as_str).find(|variant| {
        text.match_indices(variant).any(|(at, _)| {
            let end = at + variant.len();
            let ascii = variant.is_ascii();
            let before = text[..at].chars().next_back();
            let after = text[end..].chars().next();
            let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if ascii && (glued(before) || glued(after)) {
                return false;
            }
            !term.except.iter().any(|word| {
                word.contains(variant)
                    && text
                        .match_indices(word.as_str())
                        .any(|(w, _)| w <= at && end <= w + word.len())
            })
        })
    })
}

fn check_text(report: &mut Report<'_>, origin: Origin, path: &[Seg<'_>], text: &str) {
    for term in table() {
        if let Some(variant) = find_variant(term, text) {
            report.push(
                origin,
                path,
                Diagnostic::warning(
                    "term",
                    format!("「{variant}」ではなく「{}」と書きます", term.preferred),
                )
                .with_hint(format!(
                    "用語集(assets/terms.toml)の表記: {}",
                    term.preferred
                )),
            );
        }
    }
}

/// Applies the table to cards, questions and misconceptions.
pub(super) fn check(report: &mut Report<'_>, library: &Library) {
    for (card, origin) in library.cards.iter().zip(&library.origins.cards) {
        check_text(report, *origin, &[Seg::Key("title")], &card.title);
        for (i, fact) in card.facts.iter().enumerate() {
            check_text(report, *origin, &[Seg::Key("facts"), Seg::Index(i)], fact);
        }
        if let Some(body) = &card.body {
            check_text(report, *origin, &[Seg::Key("body")], body);
        }
    }
    for (q, origin) in library.questions.iter().zip(&library.origins.questions) {
        let origin = *origin;
        check_text(report, origin, &[Seg::Key("prompt")], &q.prompt);
        check_text(report, origin, &[Seg::Key("explanation")], &q.explanation);
        for (i, choice) in q.choices.iter().enumerate() {
            let at = |field| [Seg::Key("choices"), Seg::Index(i), Seg::Key(field)];
            check_text(report, origin, &at("text"), &choice.text);
            if let Some(why) = &choice.why {
                check_text(report, origin, &at("why"), why);
            }
        }
        for (i, item) in q.items.iter().enumerate() {
            check_text(report, origin, &[Seg::Key("items"), Seg::Index(i)], item);
        }
        for (i, pair) in q.pairs.iter().enumerate() {
            let at = |field| [Seg::Key("pairs"), Seg::Index(i), Seg::Key(field)];
            check_text(report, origin, &at("left"), &pair.left);
            check_text(report, origin, &at("right"), &pair.right);
        }
    }
    for (m, origin) in library
        .misconceptions
        .iter()
        .zip(&library.origins.misconceptions)
    {
        check_text(report, *origin, &[Seg::Key("belief")], &m.belief);
        check_text(report, *origin, &[Seg::Key("correction")], &m.correction);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(name: &str) -> &'static Term {
        table()
            .iter()
            .find(|t| t.preferred == name)
            .expect("the shipped table has the term")
    }

    #[test]
    fn the_shipped_table_parses_and_has_the_four_official_terms() {
        for t in [
            "暗黙的な拒否",
            "セキュリティグループ",
            "ネットワーク ACL",
            "キー",
            "サーバー側の暗号化",
        ] {
            term(t);
        }
    }

    #[test]
    fn variants_are_found_as_words_and_exceptions_are_left_alone() {
        let sg = term("セキュリティグループ");
        assert_eq!(find_variant(sg, "SGでポート22を許可"), Some("SG"));
        assert_eq!(find_variant(sg, "sg-0123 と SGW"), None);
        let key = term("キー");
        assert_eq!(find_variant(key, "KMSの鍵を使う"), Some("鍵"));
        assert_eq!(find_variant(key, "ラッピング用の公開鍵で暗号化"), None);
        let nacl = term("ネットワーク ACL");
        assert_eq!(
            find_variant(nacl, "ネットワークACLの規則"),
            Some("ネットワークACL")
        );
        assert_eq!(find_variant(nacl, "ネットワーク ACL の規則"), None);
    }
}
