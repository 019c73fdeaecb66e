//! Content loading: the model parses every question type, the embedded content is clean, extra
//! directories override by id, and a broken extra file is reported and skipped.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use shikaku::content::{self, Base, QuestionType, Sources};

fn fixture_repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo")
}

#[test]
fn every_question_type_parses() {
    let loaded = content::load(&Sources {
        base: Base::Repo(fixture_repo()),
        base_checked: true,
        layers: vec![],
        lint: false,
    });
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let library = loaded.library;
    let kinds: HashSet<QuestionType> = library.questions.iter().map(|q| q.kind).collect();
    assert_eq!(kinds.len(), 4);
    let multi = library.question("q-fixture-multi").unwrap();
    assert_eq!(multi.pick, Some(2));
    assert_eq!(multi.correct_ids().collect::<Vec<_>>(), ["a", "b"]);
    let order = library.question("q-fixture-order").unwrap();
    assert_eq!(order.items.len(), 3);
    let pairs = &library.question("q-fixture-match").unwrap().pairs;
    assert_eq!(pairs[0].right, "IAM Identity Center");
    assert_eq!(
        library.misconception("scp-does-auth").unwrap().topics,
        ["scp"]
    );
    assert_eq!(
        library
            .scenario("fixture-region-guard")
            .unwrap()
            .scenario
            .id,
        "fixture-region-guard"
    );
    let blueprint = library.main_blueprint().unwrap();
    assert_eq!(
        (
            blueprint.questions,
            blueprint.scored,
            blueprint.minutes,
            blueprint.passing_score
        ),
        (65, 50, 170, 750)
    );
}

#[test]
fn the_embedded_content_is_clean_and_covers_every_type() {
    let loaded = content::load(&Sources {
        base: Base::Embedded,
        base_checked: true,
        layers: vec![],
        lint: true,
    });
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render_plain())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
    let library = loaded.library;
    assert!(library.questions.len() >= 12);
    let kinds: HashSet<QuestionType> = library.questions.iter().map(|q| q.kind).collect();
    assert_eq!(kinds.len(), 4, "all four question types ship");
    let blueprint = library
        .blueprint("SCS-C03")
        .expect("the SCS-C03 blueprint is embedded");
    let keys: Vec<&str> = blueprint.domains.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "detection",
            "incident-response",
            "infrastructure",
            "iam",
            "data-protection",
            "governance"
        ]
    );
    assert_eq!(blueprint.domains.iter().map(|d| d.weight).sum::<u32>(), 100);
}

#[test]
fn an_extra_directory_overrides_items_by_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("override.toml"),
        r#"
[[cards]]
id = "scp"
title = "上書きしたSCPのカード"
domain = "governance"
facts = ["講師が書き換えた要点"]
"#,
    )
    .unwrap();
    let sources = Sources {
        base: Base::Repo(fixture_repo()),
        base_checked: false,
        layers: vec![dir.path().into()],
        lint: false,
    };
    let loaded = content::load(&sources);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let cards: Vec<_> = loaded
        .library
        .cards
        .iter()
        .filter(|c| c.id == "scp")
        .collect();
    assert_eq!(cards.len(), 1, "an override replaces, never duplicates");
    assert_eq!(cards[0].title, "上書きしたSCPのカード");
}

#[test]
fn a_broken_extra_file_is_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.toml"),
        "[[cards]]\nid = \"extra-card\"\ntitle = \"追加\"\ndomain = \"iam\"\nfacts = [\"要点\"]\n\n[[cards]]\nid = \"bad\"\ntitel = \"綴り\"\n",
    )
    .unwrap();
    let sources = Sources {
        base: Base::Repo(fixture_repo()),
        base_checked: false,
        layers: vec![dir.path().into()],
        lint: false,
    };
    let loaded = content::load(&sources);
    assert!(loaded.error_count() > 0);
    let location = loaded.diagnostics[0].location.as_ref().unwrap();
    assert!(location.file.ends_with("broken.toml"));
    // The whole file is skipped, the defaults stay usable.
    assert!(loaded.library.card("extra-card").is_none());
    assert!(loaded.library.card("scp").is_some());
}

#[test]
fn content_edits_change_the_fingerprint_and_nothing_else_does() {
    let library = content::load(&Sources {
        base: Base::Repo(fixture_repo()),
        base_checked: false,
        layers: vec![],
        lint: false,
    })
    .library;
    let card = library.card("scp").unwrap().clone();
    let mut edited = card.clone();
    edited.facts[0].push('。');
    assert_eq!(
        content::fingerprint(&card),
        content::fingerprint(&card.clone())
    );
    assert_ne!(content::fingerprint(&card), content::fingerprint(&edited));
}

#[test]
fn every_scenario_decides_as_its_expect_and_a_knob_changes_it() {
    let library = content::load_embedded();
    assert!(
        library.scenarios.len() >= 72,
        "only {} scenarios",
        library.scenarios.len()
    );
    let mut failures = Vec::new();
    for entry in &library.scenarios {
        let scenario = &entry.scenario;
        let outcome = shikaku::sim::evaluate(scenario);
        let Some(expect) = scenario.expect() else {
            failures.push(format!("{}: no [expect]", entry.path));
            continue;
        };
        let mismatches = expect.mismatches(&outcome);
        if !mismatches.is_empty() {
            failures.push(format!("{}: {}", entry.path, mismatches.join("; ")));
        }
        let decided = shikaku::sim::decide(scenario);
        let changes = scenario.knobs.iter().any(|knob| {
            (0..knob.values.len()).any(|i| {
                scenario
                    .with_knob(&knob.id, i)
                    .is_ok_and(|flipped| shikaku::sim::decide(&flipped) != decided)
            })
        });
        if !changes {
            failures.push(format!("{}: no knob changes the decision", entry.path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn questions_about_decisions_link_the_simulator_or_say_why_not() {
    let library = content::load_embedded();
    for question in &library.questions {
        match (&question.scenario, &question.no_scenario) {
            (Some(id), None) => assert!(
                library.scenario(id).is_some(),
                "{}: scenario {id} is missing",
                question.id
            ),
            (None, Some(reason)) => assert!(!reason.trim().is_empty(), "{}", question.id),
            _ => panic!("{}: exactly one of scenario / no_scenario", question.id),
        }
    }
    let linked = library
        .questions
        .iter()
        .filter(|q| q.scenario.is_some())
        .count();
    assert!(linked >= 72, "only {linked} questions link a scenario");
}

#[test]
fn the_bank_is_exam_grade_by_the_exam_guide() {
    let loaded = content::load(&Sources {
        base: Base::Embedded,
        base_checked: true,
        layers: vec![],
        lint: true,
    });
    let terms: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "term")
        .map(|d| d.render_plain())
        .collect();
    assert!(
        terms.is_empty(),
        "terminology warnings:\n{}",
        terms.join("\n\n")
    );
    let library = loaded.library;
    let by_type = |kind| library.questions.iter().filter(|q| q.kind == kind).count();
    assert!(
        library.questions.len() >= 420,
        "{} questions",
        library.questions.len()
    );
    assert!(by_type(QuestionType::Multi) >= 60);
    assert!(by_type(QuestionType::Order) >= 30);
    assert!(by_type(QuestionType::Match) >= 30);
    let blueprint = library.main_blueprint().unwrap();
    let coverage = shikaku::content::coverage::coverage(&library, blueprint);
    let gaps: Vec<String> = coverage
        .warnings()
        .iter()
        .map(|d| d.render_plain())
        .collect();
    assert!(gaps.is_empty(), "{}", gaps.join("\n"));
    for task in &coverage.tasks {
        assert!(
            task.questions >= 15,
            "task {} has {} questions",
            task.id,
            task.questions
        );
    }
    assert_eq!(coverage.untasked, 0);
    // Six exams drawn by weight, none repeating a question of an earlier one.
    let mut seen = std::collections::HashSet::new();
    for seed in 1..=6 {
        let exam = shikaku::app::exam::draw(&library, blueprint, seed, &seen);
        assert_eq!(exam.len(), 65, "exam {seed}");
        assert!(
            exam.iter().all(|id| !seen.contains(id)),
            "exam {seed} repeats a question"
        );
        seen.extend(exam);
    }
}
