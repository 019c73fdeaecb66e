//! Every size limit of the simulator in one place: what a scenario may hold (checked when it is
//! parsed, so `lint`, `sim eval` and the TUI's loader reject the same files) and how much an
//! explanation may quote and say. Real scenarios are a few KB with a handful of statements; the
//! limits are far above that and far below what exhausts memory (issue 13, item 5).

use std::borrow::Cow;

use super::iam::PolicyRef;
use super::scenario::{Scenario, ScenarioError, ScenarioErrorKind, ScenarioKind};

/// The largest scenario file, in bytes.
pub const MAX_FILE_BYTES: usize = 256 * 1024;
/// The most policy documents in one scenario.
pub const MAX_POLICIES: usize = 64;
/// The most statements in one policy document.
pub const MAX_STATEMENTS_PER_POLICY: usize = 100;
/// The most statements over all policies of a scenario.
pub const MAX_STATEMENTS: usize = 500;
/// The most request context keys.
pub const MAX_CONTEXT_KEYS: usize = 100;
/// The longest request context value, in characters.
pub const MAX_VALUE_CHARS: usize = 1024;
/// The most values one knob may take.
pub const MAX_KNOB_VALUES: usize = 64;
/// The most combinations of knob values (the decision table's limit).
pub const MAX_COMBINATIONS: usize = super::table::MAX_COMBINATIONS;
/// The most characters of one value an explanation quotes.
pub const MAX_QUOTE_CHARS: usize = 200;
/// The most characters of one statement's reason.
pub const MAX_REASON_CHARS: usize = 4000;
/// The most bytes of statement reasons one explanation holds.
pub const MAX_EXPLANATION_BYTES: usize = 64 * 1024;

/// A value as an explanation quotes it: at most [`MAX_QUOTE_CHARS`] characters, cut on a
/// character boundary, with how many characters were left out.
pub fn quote(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(MAX_QUOTE_CHARS) {
        None => Cow::Borrowed(value),
        Some((cut, _)) => {
            let rest = value[cut..].chars().count();
            Cow::Owned(format!("{}…(ほか {rest} 文字)", &value[..cut]))
        }
    }
}

/// The line that replaces reasons left out of an explanation.
pub fn omitted_note(count: usize) -> String {
    format!(
        "説明が長くなりすぎるため、{count} 個のステートメントの理由を省略しました(上限 {} KB)",
        MAX_EXPLANATION_BYTES / 1024
    )
}

/// The reason shown for a statement whose explanation was left out.
pub const OMITTED_REASON: &str = "(説明の上限を超えたため省略しました)";

fn too_many(what: &str, actual: usize, limit: usize, fix: &str) -> ScenarioError {
    ScenarioError {
        kind: ScenarioErrorKind::Limit,
        message: format!("{what}が上限を超えています({actual}。上限は {limit})"),
        span: Some(0..0),
        hint: Some(fix.into()),
    }
}

/// The file-size check, before anything is parsed.
pub fn check_size(text: &str) -> Result<(), ScenarioError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ScenarioError {
            kind: ScenarioErrorKind::Limit,
            message: format!(
                "シナリオファイルが大きすぎます({} KB。上限は {} KB)",
                text.len().div_ceil(1024),
                MAX_FILE_BYTES / 1024
            ),
            span: Some(0..0),
            hint: Some("ポリシーやコンテキストを、問題に必要なものだけに絞ってください".into()),
        });
    }
    Ok(())
}

/// The scenario-wide limits, after the scenario is built.
pub fn check(scenario: &Scenario) -> Vec<ScenarioError> {
    let mut out = Vec::new();
    if let ScenarioKind::Iam(iam) = &scenario.kind {
        let policies = PolicyRef::all(&iam.policies);
        if policies.len() > MAX_POLICIES {
            out.push(too_many(
                "ポリシーの数",
                policies.len(),
                MAX_POLICIES,
                "問題に関係するポリシーだけを残してください",
            ));
        }
        let mut total = 0;
        for (at, p) in &policies {
            total += p.statements.len();
            if p.statements.len() > MAX_STATEMENTS_PER_POLICY {
                out.push(too_many(
                    &format!("{at} のステートメントの数"),
                    p.statements.len(),
                    MAX_STATEMENTS_PER_POLICY,
                    "ステートメントをまとめるか、問題に関係するものだけを残してください",
                ));
            }
        }
        if total > MAX_STATEMENTS {
            out.push(too_many(
                "全ポリシーのステートメントの合計",
                total,
                MAX_STATEMENTS,
                "問題に関係するステートメントだけを残してください",
            ));
        }
        let context = &iam.request.context.entries;
        let written = context.iter().filter(|e| !e.derived).count();
        if written > MAX_CONTEXT_KEYS {
            out.push(too_many(
                "リクエストのコンテキストキーの数",
                written,
                MAX_CONTEXT_KEYS,
                "判定に使うキーだけを書いてください",
            ));
        }
        for e in context.iter().filter(|e| !e.derived) {
            if let Some(v) = e
                .values
                .iter()
                .find(|v| v.chars().count() > MAX_VALUE_CHARS)
            {
                out.push(too_many(
                    &format!("コンテキストキー `{}` の値の長さ(文字)", quote(&e.key)),
                    v.chars().count(),
                    MAX_VALUE_CHARS,
                    "値を短くしてください(実際のAWSのコンテキスト値はこれより短いものです)",
                ));
            }
        }
    }
    let mut combinations: usize = 1;
    for k in &scenario.knobs {
        if k.values.len() > MAX_KNOB_VALUES {
            out.push(too_many(
                &format!("ノブ `{}` の値の数", quote(&k.id)),
                k.values.len(),
                MAX_KNOB_VALUES,
                "値を代表的なものに絞ってください",
            ));
        }
        combinations = combinations.saturating_mul(k.values.len().max(1));
    }
    if combinations > MAX_COMBINATIONS {
        out.push(too_many(
            "ノブの値の組み合わせの数",
            combinations,
            MAX_COMBINATIONS,
            "ノブか値を減らしてください",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_cut_on_a_character_boundary_saying_how_much_was_cut() {
        let long = "鍵".repeat(MAX_QUOTE_CHARS + 5);
        let q = quote(&long);
        assert!(q.starts_with(&"鍵".repeat(MAX_QUOTE_CHARS)));
        assert!(q.ends_with("…(ほか 5 文字)"), "{q}");
        assert_eq!(quote("short"), "short");
        let exact = "a".repeat(MAX_QUOTE_CHARS);
        assert_eq!(quote(&exact), exact.as_str());
    }
}

#[cfg(test)]
mod hostile {
    //! A generated hostile scenario: many long context values quoted by many statements.
    use super::*;
    use crate::sim::{Format, Outcome, evaluate, scenario};

    /// `keys` context keys of `len` characters, `policies` identity policies of `statements`
    /// statements, each with a condition on `conds` of the keys.
    pub(crate) fn generate(
        keys: usize,
        len: usize,
        policies: usize,
        statements: usize,
        conds: usize,
        ch: &str,
    ) -> String {
        let mut s = String::from(
            "id = \"hostile\"\ntitle = \"大きすぎるシナリオ\"\nkind = \"iam\"\n\n[request]\naction = \"s3:GetObject\"\n[request.principal]\ntype = \"iam-user\"\narn = \"arn:aws:iam::111111111111:user/a\"\naccount = \"111111111111\"\n[request.resource]\narn = \"arn:aws:s3:::b/k\"\naccount = \"111111111111\"\n[request.context]\n",
        );
        let value = ch.repeat(len);
        for k in 0..keys {
            s.push_str(&format!("\"t:k{k}\" = \"{value}\"\n"));
        }
        s.push_str("\n[policies]\nidentity = [\n");
        for _ in 0..policies {
            let stmts: Vec<String> = (0..statements)
                .map(|i| {
                    let c: Vec<String> = (0..conds)
                        .map(|j| format!("\"t:k{}\":\"x\"", (i + j) % keys))
                        .collect();
                    format!(
                        "{{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{{\"StringEquals\":{{{}}}}}}}",
                        c.join(",")
                    )
                })
                .collect();
            s.push_str(&format!(
                "'''{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}''',\n",
                stmts.join(",")
            ));
        }
        s.push_str("]\n");
        s
    }

    fn explanation_bytes(o: &Outcome) -> usize {
        let Outcome::Iam(o) = o else { unreachable!() };
        o.explanation.len()
            + o.notes.iter().map(String::len).sum::<usize>()
            + o.trace.iter().map(|t| t.reason.len()).sum::<usize>()
    }

    #[test]
    fn a_hostile_scenario_is_rejected_naming_each_limit_it_breaks() {
        // 200 keys of 1,300 characters (3 bytes each), 600 statements quoting 10 keys each:
        // about 890 KB, accepted before the limits (and explained in ~50 MB).
        let text = generate(200, 1300, 2, 300, 10, "鍵");
        assert!(text.len() > 880 * 1024, "{}", text.len());
        let errs = scenario::parse(&text, Format::Toml).unwrap_err();
        let all: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert!(all[0].contains("シナリオファイルが大きすぎます"), "{all:?}");
        assert!(all[0].contains("上限は 256 KB"), "{all:?}");
        // Under the file limit, the other limits name themselves with the actual value.
        let text = generate(150, 100, 1, 120, 2, "a");
        assert!(text.len() < MAX_FILE_BYTES);
        let errs = scenario::parse(&text, Format::Toml).unwrap_err();
        let all: Vec<String> = errs.iter().map(|e| e.message.clone()).collect();
        assert!(
            all.iter()
                .any(|m| m.contains("ステートメントの数が上限を超えています(120。上限は 100)")),
            "{all:?}"
        );
        assert!(
            all.iter()
                .any(|m| m.contains("コンテキストキーの数が上限を超えています(150。上限は 100)")),
            "{all:?}"
        );
        assert!(errs.iter().all(|e| e.hint.is_some()));
    }

    #[test]
    fn the_largest_scenario_within_the_limits_is_explained_within_the_cap() {
        // 100 keys of 1,024 characters (ASCII), 5 policies of 100 statements quoting 10 keys each.
        let text = generate(MAX_CONTEXT_KEYS, MAX_VALUE_CHARS, 5, 100, 10, "a");
        assert!(text.len() <= MAX_FILE_BYTES, "{}", text.len());
        let sc = scenario::parse(&text, Format::Toml).unwrap();
        let out = evaluate(&sc);
        let bytes = explanation_bytes(&out);
        // Unbounded, this is 500 × 10 × 1 KB ≈ 5 MB.
        assert!(bytes < 2 * MAX_EXPLANATION_BYTES, "{bytes} bytes");
        let Outcome::Iam(o) = &out else {
            unreachable!()
        };
        assert!(
            o.notes
                .iter()
                .any(|n| n.contains("個のステートメントの理由を省略しました")),
            "{:?}",
            o.notes
        );
        assert!(
            o.trace[0].reason.contains("…(ほか 824 文字)"),
            "{}",
            o.trace[0].reason
        );
    }
}
