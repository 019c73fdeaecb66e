//! Instructors' commands driven through the real binary: `new question` skeletons that `lint`
//! accepts, and `items` statistics over learners' exports.

use std::path::Path;
use std::process::Command;

/// Runs the binary outside the repository (embedded content) with its own data and config.
fn shikaku(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(args)
        .current_dir(dir)
        .env("SHIKAKU_DATA", dir.join("data"))
        .env("SHIKAKU_CONFIG", dir.join("config.toml"))
        .env("SHIKAKU_NOW", "2026-12-03T10:00:00+09:00")
        .env_remove("SHIKAKU_CONTENT")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_new_question_of_every_type_passes_lint_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["single", "multi", "order", "match"] {
        let sub = dir.path().join(kind);
        std::fs::create_dir(&sub).unwrap();
        let file = sub.join("q.toml");
        let file = file.to_str().unwrap();
        let (code, _, err) = shikaku(
            dir.path(),
            &[
                "new", "question", "--domain", "iam", "--type", kind, "--out", file,
            ],
        );
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.starts_with("#:schema "), "{text}");
        assert!(text.contains("task = \"4.1\""), "{text}");
        assert!(text.contains("id = \"q-iam-20261203-1\""), "{text}");
        let (code, out, _) = shikaku(dir.path(), &["lint", "--format", "json", file]);
        assert_eq!(code, 0, "{kind}: {out}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["errors"], 0, "{kind}: {out}");
        assert_eq!(json["warnings"], 0, "{kind}: {out}");
    }
}

#[test]
fn a_second_skeleton_in_the_same_folder_gets_a_fresh_id_and_a_task_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a.toml");
    let second = dir.path().join("b.toml");
    for (file, extra) in [(&first, None), (&second, Some("4.2"))] {
        let mut args = vec!["new", "question", "--domain", "iam", "--out"];
        args.push(file.to_str().unwrap());
        if let Some(task) = extra {
            args.extend(["--task", task]);
        }
        let (code, _, err) = shikaku(dir.path(), &args);
        assert_eq!(code, 0, "{err}");
    }
    let text = std::fs::read_to_string(&second).unwrap();
    assert!(text.contains("id = \"q-iam-20261203-2\""), "{text}");
    assert!(text.contains("task = \"4.2\""), "{text}");
    // Refuses to overwrite, and names what is wrong for a bad domain or task.
    let (code, _, err) = shikaku(
        dir.path(),
        &[
            "new",
            "question",
            "--domain",
            "iam",
            "--out",
            first.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = shikaku(dir.path(), &["new", "question", "--domain", "iamm"]);
    assert_eq!(code, 2);
    assert!(err.contains("`iam` のことですか"), "{err}");
    let (code, _, err) = shikaku(
        dir.path(),
        &["new", "question", "--domain", "iam", "--task", "5.1"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("4.1, 4.2"), "{err}");
    // Without --out the skeleton goes to stdout.
    let (code, out, _) = shikaku(dir.path(), &["new", "question", "--domain", "detection"]);
    assert_eq!(code, 0);
    assert!(out.contains("domain = \"detection\""), "{out}");
}

mod items {
    use super::shikaku;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use shikaku::content::{Choice, Library, Question, QuestionType};
    use shikaku::srs::exchange::{ExportFile, ExportedReview};
    use shikaku::srs::item_stats::{self, Flag, LearnerFile};

    fn question(id: &str) -> Question {
        let choice = |c: &str| Choice {
            id: c.into(),
            text: format!("選択肢{c}"),
            correct: c == "a",
            why: (c != "a").then(|| "理由".into()),
            misconception: None,
        };
        Question {
            id: id.into(),
            kind: QuestionType::Single,
            domain: "iam".into(),
            task: Some("4.1".into()),
            skills: vec![],
            topics: vec![],
            tags: vec![],
            scenario: None,
            no_scenario: Some("知識".into()),
            prompt: format!("{id}の問い"),
            explanation: "解説".into(),
            pick: None,
            choices: ["a", "b", "c", "d"].into_iter().map(choice).collect(),
            items: vec![],
            pairs: vec![],
            sources: vec![],
            lint_allow: vec![],
        }
    }

    /// One learner's export: (question, chosen choice) in the order answered.
    fn export(learner: &str, answers: &[(&str, &str)]) -> ExportFile {
        ExportFile {
            format: Some("shikaku-progress".into()),
            version: Some(1),
            exported_at: None,
            learner: Some(learner.into()),
            content_version: None,
            reviews: answers
                .iter()
                .enumerate()
                .map(|(i, (item, chosen))| ExportedReview {
                    item: (*item).into(),
                    time: format!("2026-11-{:02}T10:00:00+09:00", i + 1),
                    rating: if *chosen == "a" { 3 } else { 1 },
                    elapsed_days: None,
                    answer_ms: None,
                    chosen: vec![(*chosen).into()],
                })
                .collect(),
        }
    }

    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("a value");
        assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
    }

    /// Six learners, four questions, right (1) or wrong (0) on the first attempt:
    ///
    /// ```text
    ///       q1 q2 q3 q4  total
    /// L1     1  1  1  1  4
    /// L2     1  1  1  0  3
    /// L3     1  1  0  0  2
    /// L4     1  0  1  0  2
    /// L5     0  1  0  0  1
    /// L6     0  0  0  1  1
    /// ```
    ///
    /// q1 by hand: facility 4/6. Rest scores (share right of the other three): L1 1, L2 2/3,
    /// L3–L6 1/3. Mean rest of the right 7/12, of the wrong 1/3, population sd 0.25459;
    /// r = (7/12 − 1/3) / 0.25459 × √(2/3 · 1/3) = 0.46291. Upper–lower: 27% of 6 is 2; the
    /// upper two (L1, L2) are both right; the lower two come from the tie L3–L6 (two of four
    /// right), counted in proportion: 1/2. D = 1 − 1/2 = 0.5.
    /// q3: upper L1 and half of the tie L2/L3 (one right): 0.75; lower two of L4–L6 (one of
    /// three right): 1/3; D = 5/12. q4 is negative: r = −0.22086.
    #[test]
    fn the_statistics_of_a_small_class_match_a_hand_computation() {
        let library = Library::new(
            vec![],
            ["q1", "q2", "q3", "q4"].into_iter().map(question).collect(),
            vec![],
            vec![],
            vec![],
        );
        let rows = [
            [1, 1, 1, 1],
            [1, 1, 1, 0],
            [1, 1, 0, 0],
            [1, 0, 1, 0],
            [0, 1, 0, 0],
            [0, 0, 0, 1],
        ];
        let files: Vec<LearnerFile> = rows
            .iter()
            .enumerate()
            .map(|(l, row)| {
                let answers: Vec<(&str, &str)> = ["q1", "q2", "q3", "q4"]
                    .iter()
                    .zip(row)
                    .map(|(q, &x)| (*q, if x == 1 { "a" } else { "b" }))
                    .collect();
                let learner = format!("L{}", l + 1);
                LearnerFile {
                    export: export(&learner, &answers),
                    learner,
                }
            })
            .collect();
        let report = item_stats::analyze(&library, &files);
        assert_eq!(report.learners, 6);
        let stats = |id: &str| report.questions.iter().find(|s| s.id == id).unwrap();
        close(stats("q1").facility, 4.0 / 6.0);
        close(stats("q1").point_biserial, 0.462_910_049_886_275_7);
        close(stats("q1").upper_lower, 0.5);
        close(stats("q3").point_biserial, 0.447_213_595_499_958);
        close(stats("q3").upper_lower, 5.0 / 12.0);
        close(stats("q4").point_biserial, -0.220_863_052_149_693);
        close(stats("q4").upper_lower, 0.0);
        let q1 = stats("q1");
        let rate = |c: &str| q1.picks.iter().find(|p| p.choice == c).unwrap().rate;
        assert!((rate("a") - 4.0 / 6.0).abs() < 1e-9);
        assert!((rate("b") - 2.0 / 6.0).abs() < 1e-9);
        assert_eq!(rate("c"), 0.0);
        // Six learners are too few to judge: every item says how many more are needed.
        assert!(
            report
                .questions
                .iter()
                .all(|s| s.flags == vec![Flag::TooFewAttempts])
        );
        assert_eq!(q1.learners_needed, item_stats::MIN_ATTEMPTS - 6);
        // A retry does not change the first attempt.
        let mut again = files.clone();
        again[4].export.reviews.push(ExportedReview {
            item: "q1".into(),
            time: "2026-12-01T10:00:00+09:00".into(),
            rating: 3,
            elapsed_days: None,
            answer_ms: None,
            chosen: vec!["a".into()],
        });
        let retried = item_stats::analyze(&library, &again);
        let q1_again = retried.questions.iter().find(|s| s.id == "q1").unwrap();
        assert_eq!(q1_again.facility, q1.facility);
        assert_eq!(q1_again.answers, q1.answers + 1);
    }

    fn content_toml(ids: &[String]) -> String {
        let mut out = String::new();
        for id in ids {
            out.push_str(&format!(
                "[[questions]]\nid = \"{id}\"\ntype = \"single\"\ndomain = \"iam\"\ntask = \"4.1\"\n\
                 no_scenario = \"知識\"\nprompt = \"{id}についての問い\"\nexplanation = \"解説\"\n"
            ));
            for c in ["a", "b", "c", "d"] {
                out.push_str(&format!(
                    "\n[[questions.choices]]\nid = \"{c}\"\ntext = \"{id}の{c}\"\n"
                ));
                if c == "a" {
                    out.push_str("correct = true\n");
                } else {
                    out.push_str("why = \"理由\"\n");
                }
            }
            out.push('\n');
        }
        out
    }

    /// A seeded class of 300 learners with abilities, 20 questions with difficulties and
    /// discriminations (a 2-parameter logistic model), one planted question the strong
    /// learners get wrong, one with a distractor nobody takes, and one too few answered; run
    /// through export files and the real binary.
    #[test]
    fn a_simulated_class_flags_the_planted_problems() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let exports = dir.path().join("exports");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::create_dir_all(&exports).unwrap();
        let mut ids: Vec<String> = (0..17).map(|i| format!("q-sim-{i:02}")).collect();
        ids.extend([
            "q-sim-planted".into(),
            "q-sim-dead".into(),
            "q-sim-rare".into(),
        ]);
        std::fs::write(content.join("class.toml"), content_toml(&ids)).unwrap();
        let mut rng = StdRng::seed_from_u64(12);
        let params: Vec<(f64, f64)> = ids
            .iter()
            .map(|id| match id.as_str() {
                "q-sim-planted" => (-1.8, 0.0),
                _ => (rng.random_range(0.9..2.0), rng.random_range(-1.2..1.2)),
            })
            .collect();
        for learner in 0..300 {
            let theta: f64 = (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0;
            let mut answers: Vec<(String, String)> = Vec::new();
            for (id, (a, b)) in ids.iter().zip(&params) {
                if id == "q-sim-rare" && learner >= 10 {
                    continue;
                }
                let p = 1.0 / (1.0 + (-a * (theta - b)).exp());
                let chosen = if rng.random::<f64>() < p {
                    "a"
                } else if id == "q-sim-dead" {
                    ["b", "c"][rng.random_range(0..2)]
                } else {
                    ["b", "c", "d"][rng.random_range(0..3)]
                };
                answers.push((id.clone(), chosen.into()));
            }
            let refs: Vec<(&str, &str)> = answers
                .iter()
                .map(|(q, c)| (q.as_str(), c.as_str()))
                .collect();
            let file = export(&format!("learner-{learner:04}"), &refs);
            std::fs::write(
                exports.join(format!("{learner:04}.json")),
                serde_json::to_string(&file).unwrap(),
            )
            .unwrap();
        }
        let content_arg = content.to_str().unwrap();
        let (code, out, err) = shikaku(
            dir.path(),
            &[
                "--content",
                content_arg,
                "items",
                "--format",
                "json",
                exports.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0, "{err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let report = &json["report"];
        assert_eq!(report["learners"], 300);
        let questions = report["questions"].as_array().unwrap();
        assert_eq!(questions.len(), ids.len());
        // Worst first: the planted question leads, the one too few answered comes last.
        assert_eq!(questions[0]["id"], "q-sim-planted", "{out}");
        assert_eq!(questions[0]["flags"][0], "negative-discrimination");
        let last = questions.last().unwrap();
        assert_eq!(last["id"], "q-sim-rare");
        assert_eq!(last["flags"][0], "too-few-attempts");
        assert_eq!(last["learners_needed"], 20);
        let dead = questions.iter().find(|q| q["id"] == "q-sim-dead").unwrap();
        assert!(
            dead["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "dead-distractor"),
            "{dead}"
        );
        assert_eq!(dead["dead_choices"], serde_json::json!(["d"]));
        for q in questions
            .iter()
            .filter(|q| q["id"] != "q-sim-planted" && q["id"] != "q-sim-rare")
        {
            let r = q["point_biserial"].as_f64().unwrap();
            assert!(r > 0.2, "{} has r = {r}", q["id"]);
            assert!(
                !q["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == "negative-discrimination"
                        || f == "dead-distractor" && q["id"] != "q-sim-dead"),
                "{q}"
            );
        }
        // One summary per domain and per task.
        assert_eq!(report["domains"][0]["key"], "iam");
        assert_eq!(report["tasks"][0]["key"], "4.1");
        assert_eq!(report["domains"][0]["questions"], ids.len());

        // The same numbers as CSV (worst first) and as a table.
        let (code, csv, _) = shikaku(
            dir.path(),
            &[
                "--content",
                content_arg,
                "items",
                "--format",
                "csv",
                exports.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0);
        let mut lines = csv.lines();
        assert!(lines.next().unwrap().starts_with("id,domain,task,learners"));
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("q-sim-planted,iam,4.1,300,")
        );
        assert_eq!(csv.lines().count(), ids.len() + 1);
        let (code, text, _) = shikaku(
            dir.path(),
            &["--content", content_arg, "items", exports.to_str().unwrap()],
        );
        assert_eq!(code, 0);
        assert!(text.contains("識別力が負"), "{text}");
        assert!(text.contains("ほとんど選ばれない誤答 d"), "{text}");
        assert!(text.contains("あと 20 人"), "{text}");
    }

    #[test]
    fn a_real_export_carries_an_anonymous_id_and_the_content_version_and_old_exports_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let backup = dir.path().join("in.json");
        // An export of the old shape: no learner, no content version.
        let old = serde_json::json!({"reviews": [
            {"item": "q-scp-region-guard", "time": "2026-11-01T10:00:00+09:00", "rating": 3, "chosen": ["a"]}
        ]});
        std::fs::write(&backup, old.to_string()).unwrap();
        let (code, _, err) = shikaku(dir.path(), &["import", backup.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        let first = dir.path().join("first.json");
        let second = dir.path().join("second.json");
        for file in [&first, &second] {
            let (code, _, err) = shikaku(dir.path(), &["export", file.to_str().unwrap()]);
            assert_eq!(code, 0, "{err}");
        }
        let read = |p: &std::path::Path| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
        };
        let (a, b) = (read(&first), read(&second));
        let learner = a["learner"].as_str().unwrap();
        assert!(learner.starts_with("learner-"), "{a}");
        assert_eq!(a["learner"], b["learner"], "one learner, one id");
        assert_eq!(a["content_version"].as_str().unwrap().len(), 16);
        // Nothing personal: only the format's own keys.
        let keys: Vec<&String> = a.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "content_version",
                "exported_at",
                "format",
                "learner",
                "reviews",
                "version"
            ]
        );
        // items reads the new export and the old one side by side.
        let (code, out, err) = shikaku(
            dir.path(),
            &[
                "items",
                "--format",
                "json",
                first.to_str().unwrap(),
                backup.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0, "{err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["report"]["learners"], 2);
    }
}
