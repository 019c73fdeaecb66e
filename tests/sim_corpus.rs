//! The simulator's data corpus: every case in tests/sim/corpus/*.toml is a scenario (request +
//! policies, or a network flow) written from one AWS documentation page, with the decision the
//! page implies. One harness runs them all, in TOML and again as JSON, and checks the
//! decision, the decisive policy types, the explanation and the Japanese error text.
//!
//! Case keys beside the scenario's own: `doc` (the AWS page, required), `note`, `explains` (a
//! phrase the explanation must contain), `explains_not` (a phrase it must not contain: a
//! statement that did not decide), `trace_explains` (a phrase some trace reason must
//! contain) and `expect_error` (the case must be rejected with a
//! message containing this phrase). A file's `[defaults]` table is merged under every case.

use std::path::Path;

use shikaku::sim::scenario::{self, Format};
use shikaku::sim::{self, Outcome};
use toml::{Table, Value};

/// Tables a case replaces whole rather than merging into the defaults.
const REPLACED: &[&str] = &[
    "principal",
    "resource",
    "context",
    "policies",
    "expect",
    "target_subnet_nacl",
    "peer",
    "flow",
];

fn merge(base: &Table, over: &Table, parent: &str) -> Table {
    let mut out = base.clone();
    for (k, v) in over {
        match (out.get(k), v) {
            // Security groups are replaced one by one, the others kept.
            (Some(Value::Table(b)), Value::Table(o))
                if !REPLACED.contains(&k.as_str()) && parent != "security_groups" =>
            {
                let merged = merge(b, o, k);
                out.insert(k.clone(), Value::Table(merged));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

struct Case {
    file: String,
    id: String,
    doc: String,
    expect_error: Option<String>,
    explains: Option<String>,
    explains_not: Option<String>,
    trace_explains: Option<String>,
    scenario: Table,
}

fn load_cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sim/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/sim/corpus exists")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let table: Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let defaults = table
            .get("defaults")
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        let list = table
            .get("cases")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{name}: no [[cases]]"));
        for raw in list {
            let mut case = merge(
                &defaults,
                raw.as_table()
                    .unwrap_or_else(|| panic!("{name}: a case is not a table")),
                "",
            );
            let id = case
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{name}: a case has no id"))
                .to_string();
            let take = |case: &mut Table, key: &str| {
                case.remove(key)
                    .and_then(|v| v.as_str().map(str::to_string))
            };
            let doc = take(&mut case, "doc").unwrap_or_default();
            case.remove("note");
            let expect_error = take(&mut case, "expect_error");
            let explains = take(&mut case, "explains");
            let explains_not = take(&mut case, "explains_not");
            let trace_explains = take(&mut case, "trace_explains");
            cases.push(Case {
                file: name.clone(),
                id,
                doc,
                expect_error,
                explains,
                explains_not,
                trace_explains,
                scenario: case,
            });
        }
    }
    cases
}

fn run(case: &Case, format: Format) -> Result<(), String> {
    let text = match format {
        Format::Toml => toml::to_string(&case.scenario).map_err(|e| e.to_string())?,
        Format::Json => {
            serde_json::to_string_pretty(&as_json(&case.scenario)).map_err(|e| e.to_string())?
        }
    };
    let parsed = scenario::parse(&text, format);
    if let Some(phrase) = &case.expect_error {
        return match parsed {
            Ok(_) => Err(format!("should be rejected ({phrase}) but parsed")),
            Err(errors) if errors.iter().any(|e| e.message.contains(phrase.as_str())) => {
                for e in &errors {
                    let span = e.span.clone().ok_or("an error without a span")?;
                    if span.end > text.len()
                        || !text.is_char_boundary(span.start)
                        || !text.is_char_boundary(span.end)
                    {
                        return Err(format!("error span {span:?} is not inside the text"));
                    }
                }
                Ok(())
            }
            Err(errors) => Err(format!(
                "rejected, but no message contains `{phrase}`: {:?}",
                errors.iter().map(|e| &e.message).collect::<Vec<_>>()
            )),
        };
    }
    let scenario = parsed.map_err(|errors| {
        format!(
            "rejected: {:?}",
            errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        )
    })?;
    let expect = scenario.expect().ok_or("no [expect]")?;
    let outcome = sim::evaluate(&scenario);
    let mismatches = expect.mismatches(&outcome);
    if !mismatches.is_empty() {
        return Err(format!(
            "{} — explanation: {}",
            mismatches.join("; "),
            outcome.explanation()
        ));
    }
    if sim::decide(&scenario) != outcome.summary() {
        return Err("decide() and evaluate() disagree".into());
    }
    if let Some(phrase) = &case.explains
        && !outcome.explanation().contains(phrase.as_str())
    {
        return Err(format!(
            "explanation lacks `{phrase}`: {}",
            outcome.explanation()
        ));
    }
    if let Some(phrase) = &case.explains_not
        && outcome.explanation().contains(phrase.as_str())
    {
        return Err(format!(
            "explanation names `{phrase}`, which did not decide: {}",
            outcome.explanation()
        ));
    }
    if let Outcome::Iam(o) = &outcome
        && o.trace.iter().any(|t| t.reason.is_empty())
    {
        return Err("a trace entry has no reason".into());
    }
    if let Some(phrase) = &case.trace_explains {
        let reasons: Vec<&str> = match &outcome {
            Outcome::Iam(o) => o.trace.iter().map(|t| t.reason.as_str()).collect(),
            Outcome::Network(o) => o.trace.iter().map(|t| t.reason.as_str()).collect(),
        };
        if !reasons.iter().any(|r| r.contains(phrase.as_str())) {
            return Err(format!("no trace reason contains `{phrase}`: {reasons:?}"));
        }
    }
    // Checks after the one that blocks are never shown as passed.
    if let Outcome::Network(o) = &outcome
        && let Some(first) = o.trace.iter().position(|t| !t.passed)
        && o.trace[first + 1..].iter().any(|t| t.passed || t.reached)
    {
        return Err("a check after the blocking one is shown as reached".into());
    }
    let json = outcome.to_json();
    // `rule` is there only when a documented per-action rule decided, `implied` only when the
    // request needs other authorizations.
    let keys: Vec<&str> = json
        .as_object()
        .ok_or("to_json is not an object")?
        .keys()
        .map(String::as_str)
        .filter(|k| !matches!(*k, "rule" | "implied"))
        .collect();
    let want: &[&str] = match outcome {
        Outcome::Iam(_) => &["decision", "decisive", "trace"],
        Outcome::Network(_) => &["blocked_at", "reachable", "trace"],
    };
    let mut keys_sorted = keys.clone();
    keys_sorted.sort();
    if keys_sorted != want {
        return Err(format!("--json keys are {keys:?}"));
    }
    Ok(())
}

/// The case as a JSON scenario, with every policy that parses written as an object (JSON files
/// may hold a policy as an object or as a string).
fn as_json(case: &Table) -> serde_json::Value {
    let mut json = serde_json::to_value(case).expect("a TOML table is JSON");
    fn objects(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let Ok(obj @ serde_json::Value::Object(_)) =
                    serde_json::from_str::<serde_json::Value>(s)
                {
                    *v = obj;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(objects),
            serde_json::Value::Object(map) => map.values_mut().for_each(objects),
            _ => {}
        }
    }
    if let Some(p) = json.get_mut("policies") {
        objects(p);
    }
    json
}

#[test]
fn every_corpus_case_follows_its_aws_page() {
    let cases = load_cases();
    let mut failures = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for case in &cases {
        if !ids.insert(case.id.clone()) {
            failures.push(format!("{}: duplicate case id `{}`", case.file, case.id));
        }
        if !case.doc.starts_with("https://docs.aws.amazon.com/") {
            failures.push(format!(
                "{} {}: `doc` must cite an AWS documentation page",
                case.file, case.id
            ));
        }
        for format in [Format::Toml, Format::Json] {
            if let Err(e) = run(case, format) {
                failures.push(format!(
                    "{} {} ({format:?}): {e}\n    see {}",
                    case.file, case.id, case.doc
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(
        cases.len() >= 150,
        "the corpus has {} cases; at least 150 are required",
        cases.len()
    );
    println!("{} corpus cases passed, in TOML and in JSON", cases.len());
}

#[test]
fn the_corpus_covers_every_decision_and_every_blocking_check() {
    let cases = load_cases();
    let expects: Vec<String> = cases
        .iter()
        .filter_map(|c| c.scenario.get("expect").and_then(Value::as_table))
        .flat_map(|e| e.values().map(|v| v.to_string()))
        .collect();
    for want in [
        "\"Allow\"",
        "\"ExplicitDeny\"",
        "\"ImplicitDeny\"",
        "\"sg-ingress\"",
        "\"sg-egress\"",
        "\"nacl-ingress\"",
        "\"nacl-egress\"",
        "\"nacl-egress-return\"",
        "\"nacl-ingress-return\"",
        "\"no-route\"",
        "\"blackhole\"",
        "\"no-public-ip\"",
        "\"nat-no-route\"",
        "\"egress-only\"",
        "\"peering-not-transitive\"",
    ] {
        assert!(
            expects.iter().any(|e| e == want),
            "no corpus case expects {want}"
        );
    }
    assert!(
        cases.iter().filter(|c| c.expect_error.is_some()).count() >= 10,
        "too few invalid-input cases"
    );
}

/// `shikaku sim eval`: the JSON object of DESIGN.md, exit 0 for any decision, exit 2 with a
/// file:line:col diagnostic for invalid input.
#[test]
fn sim_eval_prints_json_and_reports_invalid_files() {
    let dir = tempfile::tempdir().unwrap();
    let cases = load_cases();
    let deny = cases
        .iter()
        .find(|c| c.id == "scp-deny-outside-tokyo")
        .expect("corpus case");
    let path = dir.path().join("deny.toml");
    std::fs::write(&path, toml::to_string(&deny.scenario).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(["sim", "eval"])
        .arg(&path)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(json["decision"], "ExplicitDeny");
    assert_eq!(json["decisive"], serde_json::json!(["scp"]));
    let deny_entry = json["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["sid"] == "DenyOutsideTokyo")
        .expect("trace entry");
    assert_eq!(deny_entry["policy"], "scp");
    assert_eq!(deny_entry["effect"], "Deny");
    assert_eq!(deny_entry["matched"], true);
    assert!(
        deny_entry["reason"]
            .as_str()
            .unwrap()
            .contains("StringNotEquals aws:RequestedRegion")
    );

    let human = std::process::Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(["sim", "eval"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(0));
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("判定: 明示的な拒否(ExplicitDeny)"), "{text}");

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"id\": \"bad\",\n  \"request\": {\"action\": \"s3:GetObject\", \"principal\": {\"type\": \"anonymous\"}, \"resource\": {\"arn\": \"*\"}},\n  \"policies\": {\"resource\": {\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"NotAction\": \"s3:Put*\"}]}}\n}\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(["sim", "eval"])
        .arg(&bad)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.json:4:"), "{err}");
    assert!(
        err.contains("Action と NotAction は同じステートメントに書けません"),
        "{err}"
    );
}

/// Every shipped scenario in quizzes/scenarios still decides as its `[expect]` says (the
/// simulator's side of the content tests, independent of the question bank).
#[test]
fn every_shipped_scenario_decides_as_its_expect() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("quizzes/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("quizzes/scenarios exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let format = if path.extension().is_some_and(|e| e == "json") {
            Format::Json
        } else {
            Format::Toml
        };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match scenario::parse(&text, format) {
            Err(errors) => failures.push(format!(
                "{name}: rejected: {:?}",
                errors.iter().map(|e| &e.message).collect::<Vec<_>>()
            )),
            Ok(s) => {
                let outcome = sim::evaluate(&s);
                if let Some(e) = s.expect() {
                    let m = e.mismatches(&outcome);
                    if !m.is_empty() {
                        failures.push(format!(
                            "{name}: {} — {}",
                            m.join("; "),
                            outcome.explanation()
                        ));
                    }
                }
            }
        }
    }
    assert!(files.len() >= 72, "only {} scenarios", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The decision table edits one working copy of the scenario for all its rows; every row must
/// still be what a fresh copy with that combination set decides (knobs on the request, on
/// policies, on the network, and switched-off statements alike).
#[test]
fn every_table_row_decides_as_a_fresh_copy_with_those_knob_values() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("quizzes/scenarios");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("quizzes/scenarios exists") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut s = scenario::parse(&text, Format::Toml).unwrap();
        if s.knobs.is_empty() {
            continue;
        }
        // A switched-off statement must stay off in every row.
        if let Some(first) = s.statements().first().copied() {
            s.set_statement_enabled(first, false);
        }
        let table = sim::table::table(&s).unwrap();
        for row in &table.rows {
            let choice: Vec<(usize, usize)> = row.values.iter().copied().enumerate().collect();
            let fresh = s.with_knob_values(&choice).map(|f| sim::decide(&f));
            assert_eq!(
                row.result.as_ref().ok(),
                fresh.as_ref().ok(),
                "{}: row {:?}",
                path.display(),
                row.values
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} scenarios with knobs");
}

/// `shikaku sim table`: every combination of the knob values with its decision, as text and
/// JSON; more than 4,096 combinations is a clear error (exit 2).
#[test]
fn sim_table_lists_every_knob_combination() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("layers.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("quizzes/scenarios/all-policy-layers-s3.toml"),
        &path,
    )
    .unwrap();
    let run = |args: &[&str], file: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_shikaku"))
            .args(["sim", "table"])
            .arg(file)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--json"], &path);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(
        rows[0]["values"],
        serde_json::json!(["s3:PutObject", "true"])
    );
    assert_eq!(rows[0]["result"], "Allow");
    assert_eq!(rows[2]["result"], "ImplicitDeny");
    let text = String::from_utf8(run(&[], &path).stdout).unwrap();
    assert!(text.contains("6 通りの組み合わせ"), "{text}");
    assert!(
        text.contains("s3:DeleteObject  true   ImplicitDeny"),
        "{text}"
    );

    // 13 knobs of two values: 8,192 combinations.
    let mut big = std::fs::read_to_string(&path).unwrap();
    for i in 0..13 {
        big.push_str(&format!(
            "\n[[knobs]]\nid = \"k{i}\"\nlabel = \"k{i}\"\nset = \"request.context.test:k{i}\"\nvalues = [\"a\", \"b\"]\n"
        ));
    }
    let big_path = dir.path().join("big.toml");
    std::fs::write(&big_path, big).unwrap();
    let out = run(&[], &big_path);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    // The loader rejects it before a table is built (src/sim/limits.rs).
    assert!(
        err.contains("ノブの値の組み合わせの数が上限を超えています(49152。上限は 4096)"),
        "{err}"
    );
}
