//! Document tree → [`Scenario`]: the common keys, the IAM request and its policies, `[expect]`
//! and `[[knobs]]`. Every problem is collected with its span; policies held in strings report
//! positions inside the string.

mod cx;
mod expect;
mod implied;
mod knobs;
mod organization;
mod policies;
mod principal;
mod request;
mod s3;

use std::ops::Range;
use std::sync::Arc;

use super::keys;
use super::network as net;
use super::{Scenario, ScenarioError, ScenarioKind};
use crate::sim::arn::is_role_arn;
use crate::sim::iam::IamScenario;
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::tree::Node;
use expect::expect;
use knobs::knobs;
use request::iam;

pub(super) use cx::Cx;

/// Where the scenario's id is written (errors about the whole scenario point there).
pub(super) fn id_span(doc: &Node) -> Option<Range<usize>> {
    doc.get("id")
        .map(|n| n.span.clone())
        .or(Some(doc.span.start..doc.span.start))
}

/// Builds a scenario from its document.
pub(super) fn scenario(doc: Node, source: Arc<str>) -> Result<Scenario, Vec<ScenarioError>> {
    let mut cx = Cx {
        src: &source,
        errors: Vec::new(),
    };
    let Some(root) = cx.table(&doc, "シナリオ") else {
        return Err(cx.errors);
    };
    let id = cx.string(root, "id", "シナリオ").map(str::to_string);
    if let (Some(id), Some(n)) = (&id, root.get("id"))
        && (id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        cx.err(
            K::InvalidValue,
            &n.span,
            format!("id `{id}` には英数字・ハイフン・下線だけを使います"),
            Some("例: \"scp-region-guard\"".into()),
        );
    }
    let title = cx
        .opt_string(root, "title", "シナリオ")
        .unwrap_or_default()
        .to_string();
    let kind = kind_of(&mut cx, root);
    let built = kind.and_then(|k| build_kind(&mut cx, root, k));
    let expect = kind.and_then(|k| root.get("expect").and_then(|e| expect(&mut cx, e, k)));
    // Trying knob values only makes sense on a document that is valid without them.
    let try_values = cx.errors.is_empty();
    let knobs = knobs(&mut cx, root, &doc, &source, try_values);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    match (id, built) {
        (Some(id), Some(kind)) => Ok(Scenario {
            id,
            title,
            kind,
            expect,
            knobs,
            doc,
            source,
        }),
        _ => Err(vec![ScenarioError {
            kind: K::Syntax,
            message: "シナリオを読めません".into(),
            span: Some(0..0),
            hint: None,
        }]),
    }
}

/// Builds only the simulation (used when a knob rewrites the document).
pub(super) fn kind_only(doc: &Node, source: &str) -> Result<ScenarioKind, Vec<ScenarioError>> {
    let mut cx = Cx {
        src: source,
        errors: Vec::new(),
    };
    let Some(root) = cx.table(doc, "シナリオ") else {
        return Err(cx.errors);
    };
    let built = kind_of(&mut cx, root).and_then(|k| build_kind(&mut cx, root, k));
    match built {
        Some(k) if cx.errors.is_empty() => Ok(k),
        _ => Err(cx.errors),
    }
}

/// Builds only the request of an IAM scenario whose knobs changed nothing but `request.*`,
/// reusing the compiled policies (the decision table's fast path).
pub(super) fn iam_reusing(
    doc: &Node,
    source: &str,
    old: &IamScenario,
) -> Result<ScenarioKind, Vec<ScenarioError>> {
    let mut cx = Cx {
        src: source,
        errors: Vec::new(),
    };
    let trust = is_role_arn(&old.request.resource.arn);
    let built = iam(&mut cx, doc, Some((&old.policies, trust)));
    match built {
        Some(k) if cx.errors.is_empty() => Ok(ScenarioKind::Iam(k)),
        _ => Err(cx.errors),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Iam,
    Network,
}

fn kind_of(cx: &mut Cx<'_>, root: &Node) -> Option<Kind> {
    match root.get("kind") {
        Some(n) => match n.as_str() {
            Some("iam") => Some(Kind::Iam),
            Some("network") => Some(Kind::Network),
            _ => {
                cx.err(
                    K::InvalidValue,
                    &n.span,
                    format!("kind `{}` はありません", n.render()),
                    Some("\"iam\" か \"network\" です".into()),
                );
                None
            }
        },
        None if root.get("request").is_some() => Some(Kind::Iam),
        None if root.get("flow").is_some() || root.get("direction").is_some() => {
            Some(Kind::Network)
        }
        None => {
            cx.err(
                K::MissingKey,
                &root.span,
                "kind がありません",
                Some(
                    "kind = \"iam\"([request] と [policies])か kind = \"network\" を書きます"
                        .into(),
                ),
            );
            None
        }
    }
}

fn build_kind(cx: &mut Cx<'_>, root: &Node, kind: Kind) -> Option<ScenarioKind> {
    let allowed: Vec<&str> = keys::COMMON
        .iter()
        .chain(if kind == Kind::Iam {
            keys::IAM
        } else {
            keys::NETWORK
        })
        .copied()
        .collect();
    cx.keys(root, &allowed, "シナリオ");
    match kind {
        Kind::Iam => iam(cx, root, None).map(ScenarioKind::Iam),
        Kind::Network => net::network(cx, root).map(ScenarioKind::Network),
    }
}
