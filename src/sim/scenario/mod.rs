//! Scenario files (quizzes/scenarios/*.toml, or JSON of the same shape): parsing with every
//! problem reported at its byte span, the `[expect]` block, and `[[knobs]]` that rewrite the
//! document by path so the TUI can flip them and the content tests can check that a knob
//! changes the decision.

mod build;
pub mod file;
pub mod keys;
mod network;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::Arc;

pub use file::ScenarioFile;

use super::iam::{Decision, IamScenario, PolicyRef, StatementRef};
use super::network::{Hop, NetworkScenario};
use super::policy::{PolicyErrorKind, PolicyType};
use super::tree::{Node, Seg};
use super::{Outcome, json, tree};

/// The syntax of a scenario file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.toml`
    Toml,
    /// `.json`
    Json,
}

/// What kind of problem a scenario file has; [`ScenarioErrorKind::code`] is the stable code its
/// diagnostic carries (`shikaku sim`, `shikaku lint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioErrorKind {
    /// The file is not valid TOML or JSON.
    Syntax,
    /// A key the format does not have.
    UnknownKey,
    /// A required key or section is missing.
    MissingKey,
    /// A value of the wrong type (a number where a string belongs).
    WrongType,
    /// A value the format or AWS rejects.
    InvalidValue,
    /// An ARN that is malformed or of the wrong kind.
    InvalidArn,
    /// Values that contradict each other or a fact of the scenario.
    Conflict,
    /// A name that refers to something the scenario does not define.
    UnknownReference,
    /// The same id or key twice.
    Duplicate,
    /// Over a size limit.
    Limit,
    /// A knob that cannot be applied.
    Knob,
    /// The outcome differs from `[expect]`.
    ExpectMismatch,
    /// A policy document inside the scenario, with the policy's own kind.
    Policy(PolicyErrorKind),
}

impl ScenarioErrorKind {
    /// The stable code, e.g. `scenario-unknown-key` or `policy-not-allowed`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Syntax => "scenario-syntax",
            Self::UnknownKey => "scenario-unknown-key",
            Self::MissingKey => "scenario-missing-key",
            Self::WrongType => "scenario-wrong-type",
            Self::InvalidValue => "scenario-invalid-value",
            Self::InvalidArn => "scenario-invalid-arn",
            Self::Conflict => "scenario-conflict",
            Self::UnknownReference => "scenario-unknown-reference",
            Self::Duplicate => "scenario-duplicate",
            Self::Limit => "scenario-limit",
            Self::Knob => "scenario-knob",
            Self::ExpectMismatch => "scenario-expect-mismatch",
            Self::Policy(k) => k.code(),
        }
    }
}

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// What kind of problem it is.
    pub kind: ScenarioErrorKind,
    /// What is wrong, in Japanese.
    pub message: String,
    /// Byte range in the file's text, when known.
    pub span: Option<Range<usize>>,
    /// How to fix it, when a hint helps.
    pub hint: Option<String>,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// What a scenario simulates.
// Scenarios are few and long-lived; boxing the larger variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ScenarioKind {
    /// An IAM authorization request.
    Iam(IamScenario),
    /// A network connection.
    Network(NetworkScenario),
}

/// The expected result written in `[expect]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// IAM: the decision and, optionally, the decisive policy types.
    Iam {
        /// The expected decision.
        decision: Decision,
        /// The expected decisive types (compared as a set).
        decisive: Option<Vec<PolicyType>>,
        /// The documented per-action rule expected to decide.
        rule: Option<crate::sim::iam::rules::ActionRule>,
    },
    /// Network: reachability and, optionally, where it is blocked.
    Network {
        /// Whether the connection works.
        reachable: bool,
        /// The first check that blocks.
        blocked_at: Option<Hop>,
    },
}

impl Expect {
    /// The differences between this expectation and an outcome, in Japanese (empty: it matches).
    pub fn mismatches(&self, outcome: &Outcome) -> Vec<String> {
        let mut out = Vec::new();
        match (self, outcome) {
            (
                Expect::Iam {
                    decision,
                    decisive,
                    rule,
                },
                Outcome::Iam(o),
            ) => {
                if rule.is_some() && o.rule != *rule {
                    let show = |r: Option<crate::sim::iam::rules::ActionRule>| {
                        r.map_or("なし", |r| r.id()).to_string()
                    };
                    out.push(format!(
                        "rule が {} ではなく {} になりました",
                        show(*rule),
                        show(o.rule)
                    ));
                }
                if o.decision != *decision {
                    out.push(format!(
                        "判定が {} ではなく {} になりました",
                        decision.as_str(),
                        o.decision.as_str()
                    ));
                }
                if let Some(want) = decisive {
                    let mut want: Vec<PolicyType> = want.clone();
                    want.sort();
                    want.dedup();
                    let mut got = o.decisive.clone();
                    got.sort();
                    if want != got {
                        let names = |v: &[PolicyType]| {
                            v.iter().map(|t| t.key()).collect::<Vec<_>>().join(", ")
                        };
                        out.push(format!(
                            "decisive が [{}] ではなく [{}] になりました",
                            names(&want),
                            names(&got)
                        ));
                    }
                }
            }
            (
                Expect::Network {
                    reachable,
                    blocked_at,
                },
                Outcome::Network(o),
            ) => {
                if o.reachable != *reachable {
                    out.push(format!(
                        "reachable が {reachable} ではなく {} になりました",
                        o.reachable
                    ));
                }
                if blocked_at.is_some() && o.blocked_at != *blocked_at {
                    let show =
                        |h: Option<Hop>| h.map_or("なし".to_string(), |h| h.as_str().to_string());
                    out.push(format!(
                        "blocked_at が {} ではなく {} になりました",
                        show(*blocked_at),
                        show(o.blocked_at)
                    ));
                }
            }
            _ => out.push("[expect] の種類がシナリオの種類と合いません".into()),
        }
        out
    }
}

/// One value a knob can take.
#[derive(Debug, Clone)]
pub struct KnobValue {
    /// A short rendering for the TUI.
    pub label: String,
    node: Node,
}

/// Something the learner may flip: a path into the document and the values it may take.
#[derive(Debug, Clone)]
pub struct Knob {
    /// Stable id.
    pub id: String,
    /// Japanese label.
    pub label: String,
    /// The path as written (`request.context.aws:MultiFactorAuthPresent`).
    pub set: String,
    path: Vec<Seg>,
    /// The values.
    pub values: Vec<KnobValue>,
}

/// A parsed, validated scenario with its policies compiled.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Stable id, referenced by questions.
    pub id: String,
    /// Japanese title.
    pub title: String,
    /// The simulation.
    pub kind: ScenarioKind,
    /// `[expect]`, when written.
    pub expect: Option<Expect>,
    /// `[[knobs]]`.
    pub knobs: Vec<Knob>,
    doc: Node,
    source: Arc<str>,
}

/// Parses a scenario file, reporting every problem found.
pub fn parse(text: &str, format: Format) -> Result<Scenario, Vec<ScenarioError>> {
    super::limits::check_size(text).map_err(|e| vec![e])?;
    let doc = read(text, format)?;
    let scenario = build::scenario(doc, Arc::from(text))?;
    let over = super::limits::check(&scenario);
    if over.is_empty() {
        Ok(scenario)
    } else {
        Err(over)
    }
}

/// Reads a file's text into a document tree.
fn read(text: &str, format: Format) -> Result<Node, Vec<ScenarioError>> {
    match format {
        Format::Json => json::parse(text).map_err(|errs| {
            errs.into_iter()
                .map(|e| ScenarioError {
                    kind: ScenarioErrorKind::Syntax,
                    message: e.message,
                    span: Some(e.span),
                    hint: e.hint,
                })
                .collect()
        }),
        Format::Toml => {
            if text.len() > json::MAX_JSON_BYTES * 2 {
                return Err(vec![ScenarioError {
                    kind: ScenarioErrorKind::Limit,
                    message: "ファイルが大きすぎます".into(),
                    span: Some(0..0),
                    hint: None,
                }]);
            }
            let (root, syntax) = toml::de::DeTable::parse_recoverable(text);
            if !syntax.is_empty() {
                return Err(syntax
                    .into_iter()
                    .map(|e| ScenarioError {
                        kind: ScenarioErrorKind::Syntax,
                        message: format!("TOML の構文エラー: {}", e.message().trim()),
                        span: e.span(),
                        hint: None,
                    })
                    .collect());
            }
            let span = root.span();
            let value =
                toml::Spanned::new(span.clone(), toml::de::DeValue::Table(root.into_inner()));
            tree::from_toml(&value, 0).map_err(|span| {
                vec![ScenarioError {
                    kind: ScenarioErrorKind::Limit,
                    message: format!("入れ子が深すぎます(上限 {} 段)", tree::MAX_DEPTH),
                    span: Some(span),
                    hint: None,
                }]
            })
        }
    }
}

impl Scenario {
    /// `[expect]`, when written.
    pub fn expect(&self) -> Option<&Expect> {
        self.expect.as_ref()
    }

    /// Whether `outcome` matches `[expect]` (true when there is none).
    pub fn matches_expect(&self, outcome: &Outcome) -> bool {
        self.expect
            .as_ref()
            .is_none_or(|e| e.mismatches(outcome).is_empty())
    }

    /// The knob with this id.
    pub fn knob(&self, id: &str) -> Option<&Knob> {
        self.knobs.iter().find(|k| k.id == id)
    }

    /// Which value of `knob` the scenario currently has, if any.
    pub fn knob_current(&self, knob: &Knob) -> Option<usize> {
        let current = self.doc.at(&knob.path)?;
        knob.values.iter().position(|v| v.node.same(current))
    }

    /// A copy of the scenario with a knob set to one of its values. Switched-off statements
    /// stay off where they still exist.
    pub fn with_knob(
        &self,
        knob_id: &str,
        value_index: usize,
    ) -> Result<Scenario, Vec<ScenarioError>> {
        let Some(k) = self.knobs.iter().position(|k| k.id == knob_id) else {
            return Err(vec![ScenarioError {
                kind: ScenarioErrorKind::Knob,
                message: format!("ノブ `{knob_id}` はありません"),
                span: None,
                hint: None,
            }]);
        };
        self.with_knob_values(&[(k, value_index)])
    }

    /// A copy with several knobs set at once (`(knob index, value index)` pairs), built once.
    /// Switched-off statements stay off where they still exist.
    pub fn with_knob_values(
        &self,
        choice: &[(usize, usize)],
    ) -> Result<Scenario, Vec<ScenarioError>> {
        let mut doc = self.doc.clone();
        self.apply_knobs(&mut doc, choice)?;
        let kind = self.kind_for(&doc, choice)?;
        Ok(Scenario {
            id: self.id.clone(),
            title: self.title.clone(),
            kind,
            expect: self.expect.clone(),
            knobs: self.knobs.clone(),
            doc,
            source: self.source.clone(),
        })
    }

    /// Sets the chosen knob values in `doc`, in the knobs' order.
    fn apply_knobs(
        &self,
        doc: &mut Node,
        choice: &[(usize, usize)],
    ) -> Result<(), Vec<ScenarioError>> {
        let err = |message: String| {
            vec![ScenarioError {
                kind: ScenarioErrorKind::Knob,
                message,
                span: None,
                hint: None,
            }]
        };
        for &(k, i) in choice {
            let knob = self
                .knobs
                .get(k)
                .ok_or_else(|| err(format!("{k} 番目のノブはありません")))?;
            let value = knob
                .values
                .get(i)
                .ok_or_else(|| err(format!("ノブ `{}` に {i} 番目の値はありません", knob.id)))?;
            doc.set(&knob.path, value.node.clone())
                .map_err(|m| err(format!("ノブ `{}` を適用できません: {m}", knob.id)))?;
        }
        Ok(())
    }

    /// Builds what `doc` (this scenario with the `choice` knobs set) simulates. Knobs on the
    /// request alone keep the compiled policies (switched-off statements too); otherwise
    /// switched-off statements stay off where they still exist.
    fn kind_for(
        &self,
        doc: &Node,
        choice: &[(usize, usize)],
    ) -> Result<ScenarioKind, Vec<ScenarioError>> {
        let request_only = choice.iter().all(|&(k, _)| {
            matches!(self.knobs.get(k).and_then(|k| k.path.first()), Some(Seg::Key(key)) if key == "request")
        });
        if let (true, ScenarioKind::Iam(iam)) = (request_only, &self.kind) {
            return build::iam_reusing(doc, &self.source, iam);
        }
        let mut kind = build::kind_only(doc, &self.source)?;
        if let ScenarioKind::Iam(iam) = &mut kind {
            for r in self.disabled_statements() {
                if let Some(s) = r
                    .policy
                    .get_mut(Arc::make_mut(&mut iam.policies))
                    .and_then(|p| p.statements.get_mut(r.statement))
                {
                    s.disabled = true;
                }
            }
        }
        Ok(kind)
    }

    /// A cursor over knob combinations that edits one copy of the document in place instead of
    /// copying the scenario for each (the decision table).
    pub(crate) fn combinations(&self) -> Combinations<'_> {
        Combinations {
            scenario: self,
            doc: self.doc.clone(),
        }
    }

    /// Every statement of every policy (IAM scenarios), for switching them off and on.
    pub fn statements(&self) -> Vec<StatementRef> {
        let ScenarioKind::Iam(iam) = &self.kind else {
            return Vec::new();
        };
        PolicyRef::all(&iam.policies)
            .into_iter()
            .flat_map(|(policy, p)| {
                (0..p.statements.len()).map(move |statement| StatementRef { policy, statement })
            })
            .collect()
    }

    /// The statements switched off.
    pub fn disabled_statements(&self) -> Vec<StatementRef> {
        let ScenarioKind::Iam(iam) = &self.kind else {
            return Vec::new();
        };
        self.statements()
            .into_iter()
            .filter(|r| {
                r.policy
                    .get(&iam.policies)
                    .and_then(|p| p.statements.get(r.statement))
                    .is_some_and(|s| s.disabled)
            })
            .collect()
    }

    /// Switches a statement off or on; false when there is no such statement.
    pub fn set_statement_enabled(&mut self, at: StatementRef, enabled: bool) -> bool {
        let ScenarioKind::Iam(iam) = &mut self.kind else {
            return false;
        };
        match at
            .policy
            .get_mut(Arc::make_mut(&mut iam.policies))
            .and_then(|p| p.statements.get_mut(at.statement))
        {
            Some(s) => {
                s.disabled = !enabled;
                true
            }
            None => false,
        }
    }

    /// One statement as the document currently holds it (knobs applied), as JSON, for display.
    pub fn statement_source(&self, at: StatementRef) -> Option<serde_json::Value> {
        let policy = self.policy_source(at.policy)?;
        match &policy["Statement"] {
            serde_json::Value::Array(list) => list.get(at.statement).cloned(),
            object @ serde_json::Value::Object(_) if at.statement == 0 => Some(object.clone()),
            _ => None,
        }
    }

    /// One policy document as the document currently holds it (knobs applied), as JSON.
    pub fn policy_source(&self, at: PolicyRef) -> Option<serde_json::Value> {
        let policies = self.doc.get("policies")?;
        let present = |n: &&Node| match &n.value {
            tree::Value::Null => false,
            tree::Value::Str(s) => !s.trim().is_empty(),
            _ => true,
        };
        let list = |n: &Node| -> Vec<Node> {
            match n.as_array() {
                Some(items) => items.iter().filter(present).cloned().collect(),
                None => [n].into_iter().filter(present).cloned().collect(),
            }
        };
        let node = match at.ptype {
            PolicyType::Identity => list(policies.get("identity")?).get(at.index)?.clone(),
            PolicyType::Scp | PolicyType::Rcp => {
                let key = if at.ptype == PolicyType::Scp {
                    "scps"
                } else {
                    "rcps"
                };
                list(policies.get(key)?.as_array()?.get(at.level)?)
                    .get(at.index)?
                    .clone()
            }
            t => policies.get(t.key())?.clone(),
        };
        match &node.value {
            tree::Value::Str(s) => serde_json::from_str(s).ok(),
            _ => Some(node.to_json()),
        }
    }

    /// A copy with one statement switched off or on.
    pub fn with_statement_enabled(&self, at: StatementRef, enabled: bool) -> Scenario {
        let mut next = self.clone();
        next.set_statement_enabled(at, enabled);
        next
    }
}

/// The content rules a shipped scenario must follow beyond being valid: `[expect]` is written
/// and holds, there is at least one knob, and some knob value changes the result. Each problem
/// is an error at the scenario's id (the lead's `lint` shows them with the parse errors).
pub fn check(scenario: &Scenario) -> Vec<ScenarioError> {
    let mut out = Vec::new();
    let at = build::id_span(&scenario.doc);
    let outcome = super::evaluate(scenario);
    match &scenario.expect {
        None => out.push(ScenarioError { kind: ScenarioErrorKind::MissingKey,
            message: "[expect] がありません".into(),
            span: at.clone(),
            hint: Some("decision = \"Allow\" | \"ExplicitDeny\" | \"ImplicitDeny\"(ネットワークなら reachable)を書きます".into()),
        }),
        Some(e) => {
            for m in e.mismatches(&outcome) {
                out.push(ScenarioError { kind: ScenarioErrorKind::ExpectMismatch, message: format!("[expect] と結果が違います: {m}"), span: at.clone(), hint: Some(outcome.explanation().to_string()) });
            }
        }
    }
    if scenario.knobs.is_empty() {
        out.push(ScenarioError {
            kind: ScenarioErrorKind::MissingKey,
            message: "ノブ([[knobs]])がありません".into(),
            span: at.clone(),
            hint: Some(
                "学習者が切り替えて判定の変化を見られるよう、少なくとも 1 つ書きます".into(),
            ),
        });
    } else {
        let base = outcome.summary();
        let changes = scenario.knobs.iter().any(|k| {
            (0..k.values.len()).any(|i| {
                scenario
                    .with_knob(&k.id, i)
                    .is_ok_and(|s| super::evaluate(&s).summary() != base)
            })
        });
        if !changes {
            out.push(ScenarioError {
                kind: ScenarioErrorKind::Knob,
                message: "どのノブの値でも結果が変わりません".into(),
                span: at,
                hint: Some(
                    "少なくとも 1 つのノブの値で判定(または到達性)が変わるようにします".into(),
                ),
            });
        }
    }
    out
}

/// Knob combinations of one scenario, decided on one working copy of its document
/// ([`Scenario::combinations`]).
pub(crate) struct Combinations<'a> {
    scenario: &'a Scenario,
    doc: Node,
}

impl Combinations<'_> {
    /// What the scenario simulates with every knob set as `choice` says. Every knob in `choice`
    /// is set each time, in order, so the working copy ends as a fresh copy would.
    pub(crate) fn kind(
        &mut self,
        choice: &[(usize, usize)],
    ) -> Result<ScenarioKind, Vec<ScenarioError>> {
        self.scenario.apply_knobs(&mut self.doc, choice)?;
        self.scenario.kind_for(&self.doc, choice)
    }
}
