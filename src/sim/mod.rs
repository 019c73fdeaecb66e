//! The policy simulator: AWS authorization and network reachability, decided as AWS documents
//! them and explained in Japanese. Pure — no terminal, no files, no clock.
//!
//! Stages, each with its own errors (as in cedar-policy):
//! 1. **parse** — [`scenario::parse`] reads a TOML or JSON scenario file into a spanned document
//!    tree ([`tree`], [`json`]); policy documents are JSON (strings in TOML, objects or strings in
//!    JSON). Errors: [`scenario::ScenarioError`] (Japanese message, byte span, hint), all of them.
//! 2. **validate** — [`policy::validate`] checks AWS's policy grammar per policy type (Version,
//!    Statement, Effect, Principal/NotPrincipal, Action/NotAction, Resource/NotResource,
//!    Condition operators) and compiles patterns once; errors are [`policy::PolicyError`] with a
//!    JSON path. The scenario builder checks the request, `[expect]` and `[[knobs]]`.
//! 3. **evaluate** — [`decide`] (fast, no trace) and [`evaluate`] (with trace): IAM in [`iam`],
//!    networks in [`network`].
//! 4. **explain** — per statement / per check reasons and one sentence naming the decisive rule.
//!
//! The API the TUI and the content tests use:
//! - `scenario::parse(text, Format) -> Result<Scenario, Vec<ScenarioError>>`
//! - `evaluate(&Scenario) -> Outcome`: `Outcome::Iam(IamOutcome { decision, decisive,
//!   explanation, notes, trace })` or `Outcome::Network(NetworkOutcome { reachable, blocked_at,
//!   explanation, trace })`; `Outcome::to_json()` is `shikaku sim eval --json`.
//! - `decide(&Scenario) -> Verdict`: the decision only, allocation-light (benchmarked).
//! - `Scenario::expect()`, `Scenario::matches_expect(&Outcome)`, `Expect::mismatches(&Outcome)`.
//! - `Scenario::with_knob(knob_id, value_index) -> Result<Scenario, Vec<ScenarioError>>` and
//!   `Scenario::knob_current(&Knob)`.
//! - `Scenario::statements()`, `Scenario::set_statement_enabled(StatementRef, bool)` and
//!   `with_statement_enabled`: switch one policy statement off and on (the trace's `at`);
//!   `Scenario::statement_source(StatementRef)` / `policy_source(PolicyRef)`: the statement or
//!   policy JSON as the document holds it now (knobs applied), for display.
//! - Network `blocked_at` names the target's checks as DESIGN.md lists them and, when the peer
//!   ENI is the flow's other end, its own checks as `peer-sg-egress`, `peer-nacl-egress`,
//!   `peer-sg-ingress`, `peer-nacl-ingress`, `peer-nacl-egress-return`, `peer-nacl-ingress-return`.
//! - `table::table(&Scenario) -> Result<DecisionTable, TableError>`: the bare result of every
//!   combination of knob values (at most 4,096), for `shikaku sim table` and the table view.
//! - `scenario::check(&Scenario)`: the content rules (expect holds, ≥1 knob, a knob changes
//!   the result) for `lint` and the content tests.

pub mod arn;
pub mod iam;
pub mod ip;
pub mod json;
pub mod limits;
pub mod network;
pub mod policy;
pub mod scenario;
pub mod table;
pub mod tree;

use serde_json::{Value, json};

pub use iam::Decision;
pub use iam::explain::{IamOutcome, ImpliedOutcome, StatementTrace};
pub use network::{Hop, HopTrace, NetworkOutcome};
pub use scenario::{Format, Scenario, ScenarioError, ScenarioKind};

/// The explained result of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// An IAM decision.
    Iam(IamOutcome),
    /// A network result.
    Network(NetworkOutcome),
}

/// The bare result of a scenario (see [`decide`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// An IAM decision.
    Iam(Decision),
    /// Reachable (`None`) or the first check that blocks.
    Network(Option<Hop>),
}

/// Decides a scenario without building a trace.
pub fn decide(scenario: &Scenario) -> Verdict {
    decide_kind(&scenario.kind)
}

/// [`decide`] on what a scenario simulates.
pub fn decide_kind(kind: &ScenarioKind) -> Verdict {
    match kind {
        ScenarioKind::Iam(sc) => Verdict::Iam(iam::decide::decide(sc).decision),
        ScenarioKind::Network(sc) => Verdict::Network(network::decide(sc)),
    }
}

/// Evaluates a scenario with the per-statement (or per-check) trace and the explanation.
pub fn evaluate(scenario: &Scenario) -> Outcome {
    match &scenario.kind {
        ScenarioKind::Iam(sc) => Outcome::Iam(iam::explain::explain(sc)),
        ScenarioKind::Network(sc) => Outcome::Network(network::explain(sc)),
    }
}

impl Outcome {
    /// The sentence naming the decisive rule.
    pub fn explanation(&self) -> &str {
        match self {
            Outcome::Iam(o) => &o.explanation,
            Outcome::Network(o) => &o.explanation,
        }
    }

    /// The bare result, for comparing outcomes.
    pub fn summary(&self) -> Verdict {
        match self {
            Outcome::Iam(o) => Verdict::Iam(o.decision),
            Outcome::Network(o) => Verdict::Network(o.blocked_at),
        }
    }

    /// The JSON object of `shikaku sim eval --json` (DESIGN.md): `decision`, `decisive`,
    /// `trace` for IAM; `reachable`, `blocked_at`, `trace` for networks.
    pub fn to_json(&self) -> Value {
        match self {
            Outcome::Iam(o) => {
                let mut v = json!({
                "decision": o.decision.as_str(),
                "decisive": o.decisive.iter().map(|t| t.key()).collect::<Vec<_>>(),
                "trace": o.trace.iter().map(|t| json!({
                    "policy": t.at.policy.ptype.key(),
                    "location": t.at.policy.to_string(),
                    "index": t.at.statement,
                    "sid": t.sid,
                    "effect": t.effect.as_str(),
                    "matched": t.matched,
                    "reason": t.reason,
                })).collect::<Vec<_>>(),
                });
                if !o.implied.is_empty() {
                    v["implied"] = o
                        .implied
                        .iter()
                        .map(|i| {
                            let mut one = Outcome::Iam(i.outcome.clone()).to_json();
                            one["action"] = json!(i.action);
                            one["decides"] = json!(i.decides);
                            one["explanation"] = json!(i.outcome.explanation);
                            one
                        })
                        .collect();
                }
                if let Some(rule) = o.rule {
                    v["rule"] =
                        json!({ "id": rule.id(), "doc": rule.doc(), "sentence": rule.sentence() });
                }
                v
            }
            Outcome::Network(o) => json!({
                "reachable": o.reachable,
                "blocked_at": o.blocked_at.map(Hop::as_str),
                "trace": o.trace.iter().map(|t| json!({
                    "check": t.hop.as_str(),
                    "passed": if t.reached { json!(t.passed) } else { Value::Null },
                    "reached": t.reached,
                    "rule": t.rule,
                    "reason": t.reason,
                })).collect::<Vec<_>>(),
            }),
        }
    }
}
