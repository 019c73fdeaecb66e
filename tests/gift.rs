//! Moodle GIFT in and out: a fixture with every construct we map (and Moodle's documented
//! escapes), and a round trip of the shipped question bank that keeps every question and `why`.

use std::path::Path;
use std::process::Command;

use shikaku::content::gift;
use shikaku::content::{Question, QuestionType};

fn fixture() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gift/constructs.gift"),
    )
    .unwrap()
}

#[test]
fn every_gift_construct_we_map_becomes_a_question() {
    let (file, notes) = gift::import(&fixture(), None);
    let q = |id: &str| -> &Question {
        file.questions
            .iter()
            .find(|q| q.id == id)
            .unwrap_or_else(|| panic!("{id} in {:#?}", file.questions))
    };
    // A title that is not an id becomes a tag; the category names the domain.
    let first = &file.questions[0];
    assert_eq!(first.id, "q-gift-1");
    assert_eq!(first.domain, "iam");
    assert_eq!(first.tags, vec!["gift:SCPの役割".to_string()]);
    assert_eq!(first.kind, QuestionType::Single);
    assert_eq!(first.prompt, "SCPは何をするか。");
    assert_eq!(first.explanation, "SCPは権限の上限を決める。");
    assert_eq!(first.choices.len(), 3);
    assert!(first.choices[0].correct && first.choices[0].why.is_none());
    assert_eq!(first.choices[1].why.as_deref(), Some("SCPは権限を与えない"));

    // Moodle's escapes: \: \~ \= \# \{ \} \\ and \n.
    let e = q("q-escapes");
    assert_eq!(e.prompt, "記号: ~ = # { } \\ を含む問い\n2行目");
    assert_eq!(e.choices[0].text, "a=b の式");
    assert_eq!(e.choices[1].text, "c~d の式");
    assert_eq!(e.choices[1].why.as_deref(), Some("波線は#の前"));
    assert_eq!(e.choices[2].text, "e{f} の式");

    let m = q("q-gift-multi");
    assert_eq!(m.kind, QuestionType::Multi);
    assert_eq!(m.pick, Some(2));
    let correct: Vec<bool> = m.choices.iter().map(|c| c.correct).collect();
    assert_eq!(correct, [true, true, false, false]);

    let pairs = &q("q-gift-match").pairs;
    assert_eq!(pairs.len(), 3);
    assert_eq!(pairs[1].left, "権限の上限");
    assert_eq!(pairs[1].right, "SCP");

    let tf = q("q-gift-tf");
    assert_eq!(tf.prompt, "ルートユーザーにもSCPは効く。");
    assert!(!tf.choices[0].correct && tf.choices[1].correct);
    assert_eq!(
        tf.choices[0].why.as_deref(),
        Some("管理アカウント以外のルートユーザーには効く")
    );

    // What GIFT cannot carry into our format is named with its line.
    let messages: Vec<String> = notes
        .iter()
        .map(|n| format!("{}: {}", n.line, n.message))
        .collect();
    let has = |line: usize, text: &str| {
        messages
            .iter()
            .any(|m| m.starts_with(&format!("{line}: ")) && m.contains(text))
    };
    assert!(
        has(17, "誤答 `d` にフィードバックがありません"),
        "{messages:#?}"
    );
    assert!(has(32, "短答式"), "{messages:#?}");
    assert!(has(34, "数値問題"), "{messages:#?}");
    assert!(has(36, "記述式"), "{messages:#?}");
    assert!(has(38, "説明文"), "{messages:#?}");
    assert_eq!(file.questions.len(), 5);
}

#[test]
fn import_gift_writes_toml_that_lint_checks_and_points_at_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let gift_path = dir.path().join("bank.gift");
    std::fs::write(&gift_path, fixture()).unwrap();
    let toml_path = dir.path().join("bank.toml");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_shikaku"))
            .args(args)
            .current_dir(dir.path())
            .env("SHIKAKU_DATA", dir.path().join("data"))
            .env("SHIKAKU_CONFIG", dir.path().join("config.toml"))
            .env_remove("SHIKAKU_CONTENT")
            .output()
            .unwrap()
    };
    let out = run(&[
        "import-gift",
        gift_path.to_str().unwrap(),
        "--out",
        toml_path.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&toml_path).unwrap();
    assert!(text.starts_with("#:schema "), "{text}");
    assert!(text.contains("# GIFT 32行目: 短答式"), "{text}");
    let out = run(&["lint", "--format", "json", toml_path.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // GIFT has no task and no reason on every wrong answer: lint says where.
    assert!(codes.contains(&"missing-task"), "{codes:?}");
    assert!(codes.contains(&"missing-why"), "{codes:?}");
    assert!(codes.contains(&"empty"), "{codes:?}");
}

fn normalized(q: &Question) -> Question {
    let mut q = q.clone();
    let trim = |s: &mut String| *s = s.trim().to_string();
    trim(&mut q.prompt);
    trim(&mut q.explanation);
    for c in &mut q.choices {
        trim(&mut c.text);
        if let Some(w) = &mut c.why {
            trim(w);
        }
    }
    for i in &mut q.items {
        trim(i);
    }
    for p in &mut q.pairs {
        trim(&mut p.left);
        trim(&mut p.right);
    }
    q
}

#[test]
fn a_round_trip_of_the_shipped_bank_keeps_every_question_and_every_why() {
    let library = shikaku::content::load_embedded();
    assert!(library.questions.len() > 100);
    let questions: Vec<&Question> = library.questions.iter().collect();
    let text = gift::export(&questions, |_| None);
    assert!(text.contains("$CATEGORY: $course$/shikaku/iam"));
    let (file, notes) = gift::import(&text, None);
    assert!(notes.is_empty(), "{notes:#?}");
    assert_eq!(file.questions.len(), library.questions.len());
    for back in &file.questions {
        let original = library.question(&back.id).expect("the same id");
        assert_eq!(normalized(back), normalized(original), "{}", back.id);
    }
}

#[test]
fn escaping_and_unescaping_are_inverse_on_awkward_text() {
    for text in [
        "a:b",
        "~=#{}",
        "\\",
        "行1\n行2",
        "arn:aws:iam::111:root",
        "50%",
        "x -> y",
        "// not a comment",
    ] {
        assert_eq!(gift::unescape(&gift::escape(text)), text);
    }
}
