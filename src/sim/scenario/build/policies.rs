//! `[policies]`: every policy type, validated by its own grammar.

use super::Cx;
use crate::sim::iam::Policies;
use crate::sim::policy::{Kind as DocKind, Policy, PolicyType};
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::scenario::keys;
use crate::sim::tree::{Node, Value};

pub(super) fn policies(cx: &mut Cx<'_>, node: &Node, trust: bool) -> Option<Policies> {
    let node = cx.table(node, "[policies]")?;
    cx.keys(node, keys::POLICIES, "[policies]");
    let mut out = Policies::default();
    let mut ok = true;
    let mut single = |cx: &mut Cx<'_>, key: &str, t: DocKind| -> Option<Policy> {
        let n = node.get(key)?;
        let r = cx.policy(n, t, &format!("policies.{key}"));
        ok &= r.is_some();
        r.flatten()
    };
    let resource_kind = if trust {
        DocKind::Trust
    } else {
        DocKind::Of(PolicyType::Resource)
    };
    out.resource = single(cx, "resource", resource_kind);
    out.permissions_boundary = single(
        cx,
        "permissions_boundary",
        PolicyType::PermissionsBoundary.into(),
    );
    out.session = single(cx, "session", PolicyType::Session.into());
    out.vpc_endpoint = single(cx, "vpc_endpoint", PolicyType::VpcEndpoint.into());
    if let Some(n) = node.get("identity") {
        let items: Vec<&Node> = match &n.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![n],
        };
        for (i, item) in items.into_iter().enumerate() {
            match cx.policy(
                item,
                PolicyType::Identity,
                &format!("policies.identity[{i}]"),
            ) {
                Some(Some(p)) => out.identity.push(p),
                Some(None) => {}
                None => ok = false,
            }
        }
    }
    for (key, t) in [("scps", PolicyType::Scp), ("rcps", PolicyType::Rcp)] {
        let Some(n) = node.get(key).filter(|n| !matches!(n.value, Value::Null)) else {
            continue;
        };
        let hint = format!(
            "{key} = [[ルートのポリシー…], [OUのポリシー…], [アカウントのポリシー…]] のように、階層ごとの配列を並べます"
        );
        let Some(levels) = n.as_array() else {
            cx.err(
                K::WrongType,
                &n.span,
                format!("{key} は階層ごとのポリシーの配列の配列で書きます"),
                Some(hint),
            );
            ok = false;
            continue;
        };
        if levels.is_empty() {
            cx.err(
                K::MissingKey,
                &n.span,
                format!("{key} に階層がありません"),
                Some(format!("組織に属さないなら {key} を書きません。{hint}")),
            );
            ok = false;
            continue;
        }
        let mut parsed = Vec::new();
        for (l, level) in levels.iter().enumerate() {
            let Some(docs) = level.as_array() else {
                cx.err(
                    K::WrongType,
                    &level.span,
                    format!("{key}[{l}] はその階層のポリシーの配列で書きます"),
                    Some(hint.clone()),
                );
                ok = false;
                continue;
            };
            let mut list = Vec::new();
            for (i, d) in docs.iter().enumerate() {
                match cx.policy(d, t, &format!("policies.{key}[{l}][{i}]")) {
                    Some(Some(p)) => list.push(p),
                    Some(None) => {}
                    None => ok = false,
                }
            }
            parsed.push(list);
        }
        match t {
            PolicyType::Scp => out.scps = Some(parsed),
            _ => out.rcps = Some(parsed),
        }
    }
    ok.then_some(out)
}
