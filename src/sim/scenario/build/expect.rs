//! `[expect]`.

use super::{Cx, Kind};
use crate::sim::iam::Decision;
use crate::sim::iam::rules::ActionRule;
use crate::sim::network::Hop;
use crate::sim::policy::PolicyType;
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::scenario::{Expect, keys};
use crate::sim::tree::{Node, Value};
use crate::suggest::did_you_mean;

pub(super) fn expect(cx: &mut Cx<'_>, node: &Node, kind: Kind) -> Option<Expect> {
    let node = cx.table(node, "[expect]")?;
    match kind {
        Kind::Iam => {
            cx.keys(node, keys::IAM_EXPECT, "[expect]");
            let d = cx.string(node, "decision", "[expect]")?;
            let Some(decision) = Decision::from_name(d) else {
                let n = node.get("decision")?;
                cx.err(
                    K::InvalidValue,
                    &n.span,
                    format!("decision `{d}` はありません"),
                    Some("\"Allow\"、\"ExplicitDeny\"、\"ImplicitDeny\" のどれかです".into()),
                );
                return None;
            };
            let decisive = match node.get("decisive") {
                None => None,
                Some(n) => {
                    let Some(items) = n.as_array() else {
                        cx.err(
                            K::WrongType,
                            &n.span,
                            "decisive は配列で書きます(例: [\"scp\"])",
                            None,
                        );
                        return None;
                    };
                    let mut out = Vec::new();
                    for item in items {
                        match item.as_str().and_then(PolicyType::from_key) {
                            Some(t) => out.push(t),
                            None => {
                                let names: Vec<&str> =
                                    PolicyType::ALL.iter().map(|t| t.key()).collect();
                                cx.err(
                                    K::InvalidValue,
                                    &item.span,
                                    format!(
                                        "decisive の `{}` はポリシーの種類ではありません",
                                        item.render()
                                    ),
                                    Some(format!("使える名前: {}", names.join(", "))),
                                );
                                return None;
                            }
                        }
                    }
                    Some(out)
                }
            };
            let rule = match cx.opt_string(node, "rule", "[expect]") {
                None => None,
                Some(r) => match ActionRule::from_id(r) {
                    Some(rule) => Some(rule),
                    None => {
                        let n = node.get("rule")?;
                        let names: Vec<&str> = ActionRule::ALL.iter().map(|r| r.id()).collect();
                        cx.err(
                            K::InvalidValue,
                            &n.span,
                            format!("rule `{r}` はありません"),
                            did_you_mean(r, names.iter().copied())
                                .or_else(|| Some(format!("使える名前: {}", names.join(", ")))),
                        );
                        return None;
                    }
                },
            };
            Some(Expect::Iam {
                decision,
                decisive,
                rule,
            })
        }
        Kind::Network => {
            cx.keys(node, keys::NETWORK_EXPECT, "[expect]");
            let reachable = match node.get("reachable") {
                Some(Node {
                    value: Value::Bool(b),
                    ..
                }) => *b,
                Some(n) => {
                    cx.err(
                        K::WrongType,
                        &n.span,
                        "reachable は true か false で書きます",
                        None,
                    );
                    return None;
                }
                None => {
                    cx.err(
                        K::MissingKey,
                        &node.span,
                        "[expect] に reachable がありません",
                        None,
                    );
                    return None;
                }
            };
            let blocked_at = match cx.opt_string(node, "blocked_at", "[expect]") {
                None => None,
                Some(b) => match Hop::from_name(b) {
                    Some(h) => Some(h),
                    None => {
                        let n = node.get("blocked_at")?;
                        let names: Vec<&str> = Hop::ALL.iter().map(|h| h.as_str()).collect();
                        cx.err(
                            K::InvalidValue,
                            &n.span,
                            format!("blocked_at `{b}` はありません"),
                            did_you_mean(b, names.iter().copied())
                                .or_else(|| Some(format!("使える名前: {}", names.join(", ")))),
                        );
                        return None;
                    }
                },
            };
            if reachable && blocked_at.is_some() {
                let n = node.get("blocked_at")?;
                cx.err(
                    K::Conflict,
                    &n.span,
                    "reachable = true なら blocked_at は書きません",
                    None,
                );
            }
            Some(Expect::Network {
                reachable,
                blocked_at,
            })
        }
    }
}
