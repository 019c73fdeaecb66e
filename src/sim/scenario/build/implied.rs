//! The facts that imply more authorizations (session tags, a source identity, a passed role).

use super::Cx;
use crate::sim::arn::is_role_arn;
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::scenario::keys;
use crate::sim::tree::Node;

/// The facts that imply more authorizations: session tags and a source identity (AssumeRole
/// only), and a role passed to a service.
#[derive(Debug, Default)]
pub(super) struct ImpliedFacts {
    pub(super) tags: Vec<(String, String)>,
    pub(super) source_identity: Option<String>,
    pub(super) pass_role: Option<(String, String)>,
}

pub(super) fn implied_facts(
    cx: &mut Cx<'_>,
    req: &Node,
    action: Option<&str>,
) -> Option<ImpliedFacts> {
    let mut f = ImpliedFacts::default();
    let assume = action.is_some_and(|a| a.to_ascii_lowercase().starts_with("sts:assumerole"));
    let mut ok = true;
    if let Some(n) = req.get("session_tags") {
        if !assume {
            cx.err(
                K::Conflict,
                &n.span,
                "session_tags は sts:AssumeRole…(ロールを引き受ける)リクエストにだけ書けます",
                None,
            );
            ok = false;
        }
        match n.entries() {
            Some(entries) => {
                for e in entries {
                    match e.node.as_str() {
                        Some(v) => f.tags.push((e.key.clone(), v.to_string())),
                        None => {
                            cx.err(
                                K::WrongType,
                                &e.node.span,
                                format!("セッションタグ `{}` の値は文字列で書きます", e.key),
                                None,
                            );
                            ok = false;
                        }
                    }
                }
            }
            None => {
                cx.err(
                    K::WrongType,
                    &n.span,
                    "session_tags は { キー = \"値\" } のテーブルで書きます",
                    Some("例: session_tags = { team = \"data\" }".into()),
                );
                ok = false;
            }
        }
    }
    if let Some(id) = cx.opt_string(req, "source_identity", "[request]") {
        if !assume {
            let span = req
                .get("source_identity")
                .map_or(req.span.clone(), |n| n.span.clone());
            cx.err(
                K::Conflict,
                &span,
                "source_identity は sts:AssumeRole…(ロールを引き受ける)リクエストにだけ書けます",
                None,
            );
            ok = false;
        }
        f.source_identity = Some(id.to_string());
    }
    if let Some(n) = req.get("pass_role") {
        let place = "[request.pass_role]";
        match cx.table(n, place) {
            Some(t) => {
                cx.keys(t, keys::PASS_ROLE, place);
                let role = cx.string(t, "role_arn", place).map(str::to_string);
                let service = cx.string(t, "service", place).map(str::to_string);
                match (role, service) {
                    (Some(r), Some(s)) if is_role_arn(&r) => f.pass_role = Some((r, s)),
                    (Some(r), Some(_)) => {
                        let span = t.get("role_arn").map_or(t.span.clone(), |n| n.span.clone());
                        cx.err(
                            K::InvalidArn,
                            &span,
                            format!("role_arn `{r}` は IAM ロールの ARN で書きます"),
                            Some("例: \"arn:aws:iam::111122223333:role/AppRole\"".into()),
                        );
                        ok = false;
                    }
                    _ => ok = false,
                }
            }
            None => ok = false,
        }
    }
    ok.then_some(f)
}
