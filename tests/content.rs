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
    // Stored fingerprints stay valid: still FNV-1a over the item's JSON, byte for byte.
    let fnv = |item: &content::Card| {
        serde_json::to_vec(item)
            .unwrap()
            .iter()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
            })
    };
    for item in library.cards.iter().chain([&edited]) {
        assert_eq!(content::fingerprint(item), fnv(item), "{}", item.id);
    }
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

// The parsed-content cache (src/content/cache.rs).

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Everything a learner sees of a library, for comparing two loads.
fn items_of(library: &content::Library) -> String {
    let scenarios: Vec<&str> = library
        .scenarios
        .iter()
        .map(|s| s.scenario.id.as_str())
        .collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{scenarios:?}",
        library.cards, library.questions, library.misconceptions, library.blueprints
    )
}

fn rendered(loaded: &content::Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .map(|d| d.render_plain())
        .collect()
}

#[test]
fn the_cached_form_of_every_embedded_file_equals_a_fresh_parse() {
    use content::cache::Cache;
    use content::source::{self, FileKind};
    let data = tempfile::tempdir().unwrap();
    let sources = Sources::embedded_with(vec![]);
    let fresh = content::load(&sources);
    let first = content::load_cached(&sources, data.path());
    assert_eq!(items_of(&first.library), items_of(&fresh.library));
    let cache = Cache::read(data.path());
    let files = source::embedded(false);
    let cacheable = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Content | FileKind::Blueprint))
        .count();
    assert!(cacheable > 10);
    assert_eq!(cache.len(), cacheable, "every clean content file is cached");
    for file in &files {
        let text = file.text.as_deref().unwrap();
        match file.kind {
            FileKind::Content => {
                let parsed: content::ContentFile =
                    content::load::parse_toml(&file.path, text, content::schema::content_file)
                        .unwrap();
                let cached: content::ContentFile = cache.lookup(file).unwrap();
                assert_eq!(cached, parsed, "{}", file.path);
            }
            FileKind::Blueprint => {
                let parsed: content::Blueprint =
                    content::load::parse_toml(&file.path, text, content::schema::blueprint)
                        .unwrap();
                let cached: content::Blueprint = cache.lookup(file).unwrap();
                assert_eq!(cached, parsed, "{}", file.path);
            }
            FileKind::ScenarioToml | FileKind::ScenarioJson => {
                assert!(cache.lookup::<content::ContentFile>(file).is_none());
            }
        }
    }
    // The second start reads the cache and gets the same library.
    let second = content::load_cached(&sources, data.path());
    assert_eq!(items_of(&second.library), items_of(&fresh.library));
}

#[test]
fn an_edited_file_is_parsed_again_and_its_problems_are_reported_with_their_place() {
    let repo = tempfile::tempdir().unwrap();
    copy_tree(&fixture_repo(), repo.path());
    let data = tempfile::tempdir().unwrap();
    let sources = Sources {
        base: Base::Repo(repo.path().to_path_buf()),
        base_checked: true,
        layers: vec![],
        lint: false,
    };
    let card = repo.path().join("content/iam/iam-identity-center.toml");
    let original = std::fs::read_to_string(&card).unwrap();
    let first = content::load_cached(&sources, data.path());
    assert!(first.diagnostics.is_empty(), "{:#?}", first.diagnostics);
    let cached = content::cache::Cache::read(data.path()).len();
    assert!(cached > 1);
    assert_eq!(
        first.library.card("iam-identity-center").unwrap().title,
        "IAM Identity Center"
    );
    // Same length, same modification time: only the text tells the edit.
    let modified = std::fs::metadata(&card).unwrap().modified().unwrap();
    let edited = original.replace("IAM Identity Center\"", "IAM Identity Centre\"");
    assert_eq!(edited.len(), original.len());
    std::fs::write(&card, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&card)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let second = content::load_cached(&sources, data.path());
    assert_eq!(
        second.library.card("iam-identity-center").unwrap().title,
        "IAM Identity Centre"
    );
    // Written again: the edited file's fresh parse beside the others' cached ones.
    let rewritten = content::cache::Cache::read(data.path());
    assert_eq!(rewritten.len(), cached);
    let files = content::source::read_dir_layer(&repo.path().join("content"), true, 0).0;
    let edited_file = files
        .iter()
        .find(|f| f.path.ends_with("iam-identity-center.toml"))
        .unwrap();
    let entry: content::ContentFile = rewritten.lookup(edited_file).unwrap();
    assert_eq!(entry.cards[0].title, "IAM Identity Centre");
    // A problem in a file that was cached clean is reported as a fresh parse reports it.
    std::fs::write(
        &card,
        edited.replace("domain = \"iam\"", "domian = \"iam\""),
    )
    .unwrap();
    let broken = content::load_cached(&sources, data.path());
    let expected = rendered(&content::load(&sources));
    assert!(!expected.is_empty());
    assert_eq!(rendered(&broken), expected);
    let shown = expected.join("\n");
    assert!(
        shown.contains("iam-identity-center.toml:4:"),
        "file:line:col of the misspelt key: {shown}"
    );
    assert!(broken.library.card("iam-identity-center").is_none());
    // A semantic problem (a reference to nothing) too.
    std::fs::write(
        &card,
        original.replace("related = [\"scp\"]", "related = [\"scpp\"]"),
    )
    .unwrap();
    let unknown = content::load_cached(&sources, data.path());
    assert_eq!(rendered(&unknown), rendered(&content::load(&sources)));
    assert!(
        rendered(&unknown)
            .join("\n")
            .contains("iam-identity-center.toml:6:"),
        "{:?}",
        rendered(&unknown)
    );
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored_and_written_again() {
    use content::cache::{Cache, FILE_NAME};
    let data = tempfile::tempdir().unwrap();
    let sources = Sources::embedded_with(vec![]);
    let fresh = items_of(&content::load(&sources).library);
    content::load_cached(&sources, data.path());
    let path = data.path().join(FILE_NAME);
    let good = std::fs::read(&path).unwrap();
    assert!(Cache::read(data.path()).len() > 10);
    // A title changed inside the cache (a bit flip on disk): the checksum no longer holds.
    let text = String::from_utf8(good.clone()).unwrap();
    let at = text.find("\"title\":\"").unwrap() + 9;
    let mut flipped = good.clone();
    flipped[at] ^= 0x01;
    let torn = good[..good.len() / 2].to_vec();
    let foreign_header = text.replacen("shikaku-content-cache 2 ", "shikaku-content-cache 0 ", 1);
    assert_ne!(foreign_header, text);
    for bad in [
        flipped,
        torn,
        b"garbage\n{}".to_vec(),
        Vec::new(),
        foreign_header.into_bytes(),
    ] {
        std::fs::write(&path, &bad).unwrap();
        assert!(Cache::read(data.path()).is_empty());
        let loaded = content::load_cached(&sources, data.path());
        assert_eq!(items_of(&loaded.library), fresh);
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        // The bad cache was replaced by a sound one.
        assert_eq!(std::fs::read(&path).unwrap(), good);
    }
    // Lint never reads the cache: a cache that lies (its checksum made to fit) changes nothing.
    let lying = text.replacen("\"title\":\"", "\"title\":\"嘘", 1);
    let (body, _) = lying.trim_end().rsplit_once('\n').unwrap();
    let body = format!("{body}\n");
    let trailer = text.lines().last().unwrap();
    let model = trailer.split(' ').nth(2).unwrap();
    let forged = format!(
        "{body}shikaku-content-cache 2 {model} {:016x}\n",
        content::cache::text_hash(body.as_bytes())
    );
    std::fs::write(&path, forged).unwrap();
    assert!(
        Cache::read(data.path()).len() > 10,
        "the forged cache passes its checksum"
    );
    let lint = Sources {
        lint: true,
        ..Sources::embedded_with(vec![])
    };
    let linted = content::load_cached(&lint, data.path());
    assert_eq!(
        items_of(&linted.library),
        items_of(&content::load(&lint).library)
    );
}
