//! `shikaku lint`: a corpus of broken files with their exact expected diagnostics, the rendered
//! caret under Japanese text, and the command's exit codes and JSON.
//!
//! Each `tests/fixtures/lint/NAME.toml` has `NAME.expected`: one block per diagnostic,
//! `severity[code] line:column message` and an optional `  hint: …` line. To re-bless after an
//! intended change: `SHIKAKU_BLESS=1 cargo test --test lint`, then review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use shikaku::content::{self, Base, Diagnostic, Sources};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")
}

/// Lints one file over the fixture repo (a small, stable base: hints that suggest ids do not
/// change when the real content grows).
fn lint_file(path: &Path) -> Vec<Diagnostic> {
    let base = Base::Repo(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo"));
    let sources = Sources {
        base,
        base_checked: false,
        layers: vec![path.to_path_buf()],
        lint: true,
    };
    content::load(&sources).diagnostics
}

fn describe(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let severity = if d.is_error() { "error" } else { "warning" };
        let (line, column) = d.location.as_ref().map_or((0, 0), |l| (l.line, l.column));
        out.push_str(&format!(
            "{severity}[{}] {line}:{column} {}\n",
            d.code, d.message
        ));
        if let Some(hint) = &d.hint {
            out.push_str(&format!("  hint: {hint}\n"));
        }
    }
    out
}

#[test]
fn every_fixture_gives_exactly_its_expected_diagnostics() {
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    for path in entries {
        let actual = describe(&lint_file(&path));
        let expected_path = path.with_extension("expected");
        if std::env::var_os("SHIKAKU_BLESS").is_some() {
            std::fs::write(&expected_path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("missing {}", expected_path.display()));
        if actual != expected {
            failures.push(format!(
                "--- {}\nexpected:\n{expected}\nactual:\n{actual}",
                path.display()
            ));
        }
        checked += 1;
    }
    assert!(checked >= 6, "the corpus shrank to {checked} files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lint_allow_silences_only_the_codes_it_names() {
    let diagnostics = lint_file(&fixtures().join("writing.toml"));
    let lines = |id: &str| -> Vec<String> {
        diagnostics
            .iter()
            .filter(|d| d.message.contains(&format!("`{id}`")) || d.message.contains(id))
            .map(|d| d.code.to_string())
            .collect()
    };
    // q-writing-allowed has every flaw it allows and nothing else: no warning names it.
    assert!(lines("q-writing-allowed").is_empty(), "{diagnostics:?}");
    let allowed_line = 139;
    assert!(
        diagnostics.iter().all(|d| d
            .location
            .as_ref()
            .is_none_or(|l| l.line < allowed_line - 5)),
        "{diagnostics:?}"
    );
    // A misspelt code silences nothing and says which code was meant.
    let unknown = diagnostics
        .iter()
        .find(|d| d.code == "unknown-lint-allow")
        .expect("the misspelt code is reported");
    assert_eq!(unknown.hint.as_deref(), Some("`no-sources` のことですか?"));
    // Every item-writing check is a warning: the file still passes lint.
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
}

#[test]
fn a_near_duplicate_names_the_pair_and_how_similar() {
    let diagnostics = lint_file(&fixtures().join("writing.toml"));
    let pair = diagnostics
        .iter()
        .find(|d| d.code == "near-duplicate-prompt")
        .expect("a near-duplicate");
    assert!(
        pair.message.contains("`q-writing-near-duplicate`"),
        "{}",
        pair.message
    );
    assert!(
        pair.message.contains("`q-fixture-single`"),
        "{}",
        pair.message
    );
    assert!(pair.message.contains("類似度 100%"), "{}", pair.message);
    // Reported on the added file's question, not on the base's.
    let file = &pair.location.as_ref().unwrap().file;
    assert!(file.ends_with("writing.toml"), "{file}");
}

#[test]
fn the_caret_sits_under_the_key_after_full_width_text() {
    let diagnostics = lint_file(&fixtures().join("caret_after_japanese.toml"));
    let unknown = diagnostics
        .iter()
        .find(|d| d.code == "unknown-field")
        .expect("an unknown-field diagnostic");
    let rendered = unknown.render_plain();
    let lines: Vec<&str> = rendered.lines().collect();
    // `{ left = "東京リージョン", ` is 27 display columns wide: 7 full-width characters count two.
    let source = lines.iter().find(|l| l.contains("left =")).unwrap();
    let caret = lines.iter().find(|l| l.contains('^')).unwrap();
    let source_col =
        unicode_width::UnicodeWidthStr::width(&source[..source.find("rihgt").unwrap()]);
    let caret_col = caret.find('^').unwrap();
    assert_eq!(caret_col, source_col, "\n{rendered}");
    assert_eq!(
        caret.trim_end().matches('^').count(),
        "rihgt".len(),
        "\n{rendered}"
    );
    assert_eq!(
        unknown.location.as_ref().map(|l| (l.line, l.column)),
        Some((10, 23))
    );
}

#[test]
fn rendering_is_rustc_style() {
    let diagnostics = lint_file(&fixtures().join("fields.toml"));
    let typo = diagnostics
        .iter()
        .find(|d| d.message.contains("explanaton"))
        .unwrap();
    let expected = "\
error[unknown-field]: 不明なフィールド `explanaton` です
  --> PATH:13:1
   |
13 | explanaton = \"綴りの誤り\"
   | ^^^^^^^^^^
   = ヒント: `explanation` のことですか?";
    let path = typo.location.as_ref().unwrap().file.clone();
    assert_eq!(typo.render_plain(), expected.replace("PATH", &path));
}

#[test]
fn broken_toml_never_panics() {
    let samples = [
        "",
        "[",
        "[[questions]",
        "a = ",
        "[[questions]]\nid = 1\n",
        "\u{feff}[[cards]]\n",
        "x = \"\\u{zz}\"",
        "[[questions]]\nchoices = 3\n",
        "[[questions.choices]]\nid = \"a\"\n",
        "cards = [1, 2]\n",
        "[[cards]]\nid=\"a\"\ntitle=\"t\"\ndomain=\"iam\"\nfacts=[[]]\n",
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, sample) in samples.iter().enumerate() {
        let path = dir.path().join(format!("s{i}.toml"));
        std::fs::write(&path, sample).unwrap();
        let diagnostics = lint_file(&path);
        for d in &diagnostics {
            assert!(d.location.is_some(), "{sample:?}: {d:?}");
        }
    }
}

fn shikaku(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SHIKAKU_CONTENT")
        .output()
        .unwrap()
}

#[test]
fn exit_codes_follow_the_contract() {
    let clean = fixtures().join("clean.toml");
    let broken = fixtures().join("semantics.toml");
    assert_eq!(
        shikaku(&["lint", clean.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let out = shikaku(&["lint", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("semantics.toml:3:8"));
    assert_eq!(
        shikaku(&["lint", "--format", "yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(shikaku(&["lint", "no/such/dir"]).status.code(), Some(2));
}

#[test]
fn json_output_lists_every_diagnostic() {
    let broken = fixtures().join("fields.toml");
    let out = shikaku(&["lint", "--format", "json", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(json["errors"].as_u64(), Some(diagnostics.len() as u64));
    let typo = diagnostics
        .iter()
        .find(|d| d["code"] == "unknown-field")
        .unwrap();
    assert_eq!(typo["line"], 13);
    assert_eq!(typo["column"], 1);
    assert!(typo["file"].as_str().unwrap().ends_with("fields.toml"));
    assert_eq!(typo["hint"], "`explanation` のことですか?");
}

#[test]
fn the_repo_content_is_clean() {
    let out = shikaku(&["lint"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn schema_describes_every_file_kind() {
    let out = shikaku(&["schema"]);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let definitions = schema["definitions"].as_object().unwrap();
    for name in [
        "ContentFile",
        "Card",
        "Question",
        "Choice",
        "Misconception",
        "Blueprint",
        "ScenarioFile",
    ] {
        assert!(definitions.contains_key(name), "missing {name}");
    }
    assert_eq!(definitions["Question"]["additionalProperties"], false);
    let required = definitions["Question"]["required"].as_array().unwrap();
    assert!(required.iter().any(|r| r == "prompt"));
}

mod fuzz {
    use proptest::prelude::*;
    use shikaku::content::{ContentFile, load::parse_toml, schema};

    const SEED: &str = include_str!("fixtures/repo/quizzes/scs-c03/iam.toml");

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Cutting, duplicating or corrupting any part of a real file gives diagnostics with a
        /// place, never a panic.
        #[test]
        fn mutated_files_never_panic(cut in 0usize..4000, len in 0usize..40, insert in "[\\[\\]=\"{},\\n a-z東京]{0,6}") {
            let chars: Vec<char> = SEED.chars().collect();
            let start = cut.min(chars.len());
            let end = (start + len).min(chars.len());
            let mutated: String = chars[..start].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[end..].iter()).collect();
            if let Err(diagnostics) = parse_toml::<ContentFile>("f.toml", &mutated, schema::content_file) {
                prop_assert!(!diagnostics.is_empty());
                for d in diagnostics {
                    let location = d.location.expect("every problem has a place");
                    prop_assert!(location.line >= 1 && location.column >= 1);
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            let _ = parse_toml::<ContentFile>("f.toml", &text, schema::content_file);
        }
    }
}

#[test]
fn lint_rejects_a_scenario_beyond_the_size_limits_naming_the_limit_and_the_fix() {
    // One identity policy of 150 statements (the limit is 100 per policy).
    let stmt = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#;
    let stmts = vec![stmt; 150].join(",");
    let text = format!(
        "id = \"hostile\"\ntitle = \"大きい\"\nkind = \"iam\"\n[request]\naction = \"s3:GetObject\"\n[request.principal]\ntype = \"iam-user\"\narn = \"arn:aws:iam::111111111111:user/a\"\naccount = \"111111111111\"\n[request.resource]\narn = \"arn:aws:s3:::b/k\"\naccount = \"111111111111\"\n[policies]\nidentity = ['''{{\"Version\":\"2012-10-17\",\"Statement\":[{stmts}]}}''']\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenarios").join("hostile.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    let diagnostics = lint_file(&path);
    let found = diagnostics
        .iter()
        .find(|d| {
            d.code == "scenario-limit"
                && d.message.contains("ステートメントの数が上限を超えています")
        })
        .unwrap_or_else(|| panic!("{}", describe(&diagnostics)));
    assert!(
        found.message.contains("(150。上限は 100)"),
        "{}",
        found.message
    );
    assert!(
        found
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("ステートメント"))
    );
}

#[test]
fn scenario_and_policy_problems_carry_codes_of_their_kind() {
    let text = r#"id = "coded"
title = "種類ごとのコード"
kind = "iam"
[request]
action = "s3:GetObject"
[request.principal]
type = "iam-user"
arn = "arn:aws:iam::111111111111:user/a"
acount = "111111111111"
[request.resource]
arn = "arn:aws:s3:::b/k"
[policies]
identity = ['''{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}''']
resource = '''{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"*"}]}'''
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenarios").join("coded.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    let diagnostics = lint_file(&path);
    let code_of = |needle: &str| {
        diagnostics
            .iter()
            .find(|d| d.message.contains(needle))
            .map(|d| d.code)
            .unwrap_or_else(|| panic!("no `{needle}` in {}", describe(&diagnostics)))
    };
    assert_eq!(
        code_of("`acount` というキーはありません"),
        "scenario-unknown-key"
    );
    assert_eq!(
        code_of("アカウントが含まれないので"),
        "scenario-missing-key"
    );
    assert_eq!(code_of("NotPrincipal は"), "policy-not-allowed");
}
