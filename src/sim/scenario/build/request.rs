//! `[request]`: the action, the resource, the context, and the IAM scenario assembled from them.

use std::ops::Range;
use std::sync::Arc;

use super::Cx;
use super::implied::implied_facts;
use super::organization::{apply_management, check_typed_context, organization};
use super::policies::policies;
use super::principal::principal;
use crate::sim::arn::{Arn, is_account_id, is_role_arn};
use crate::sim::iam::{
    ContextEntry, IamScenario, Implied, ImpliedKind, Policies, Principal, Request, RequestContext,
    Resource,
};
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::scenario::keys;
use crate::sim::tree::{Node, Value};

/// The longest resource ARN or context value a request may carry.
pub(super) const MAX_REQUEST_VALUE_LEN: usize = 4096;

pub(super) fn iam(
    cx: &mut Cx<'_>,
    root: &Node,
    reuse: Option<(&Arc<Policies>, bool)>,
) -> Option<IamScenario> {
    let Some(req_node) = root.get("request") else {
        cx.err(K::MissingKey, &root.span, "[request] がありません", None);
        return None;
    };
    let req_node = cx.table(req_node, "[request]")?;
    cx.keys(req_node, keys::REQUEST, "[request]");
    let action = cx.string(req_node, "action", "[request]");
    if let (Some(a), Some(n)) = (action, req_node.get("action"))
        && !valid_request_action(a)
    {
        cx.err(K::InvalidValue, &n.span, format!("アクション `{a}` の形式が正しくありません"), Some("「サービス接頭辞:アクション名」で書きます(例: \"s3:GetObject\")。ワイルドカードは使えません".into()));
    }
    let principal = match req_node.get("principal") {
        Some(n) => principal(cx, n),
        None => {
            cx.err(
                K::MissingKey,
                &req_node.span,
                "[request.principal] がありません",
                Some("type = \"iam-user\" など、リクエストするプリンシパルを書きます".into()),
            );
            None
        }
    };
    let resource = resource(
        cx,
        req_node.get("resource"),
        &req_node.span,
        principal.as_ref(),
    );
    let mut context = match req_node.get("context") {
        Some(n) => context(cx, n),
        None => Some(RequestContext::default()),
    };
    // A role's only resource-based policy is its trust policy, validated by its own grammar.
    let trust = resource.as_ref().is_some_and(|r| is_role_arn(&r.arn));
    let policies = match (reuse, root.get("policies")) {
        (Some((p, t)), _) if t == trust => Some(Arc::clone(p)),
        (_, Some(n)) => policies(cx, n, trust).map(Arc::new),
        (_, None) => Some(Arc::new(Policies::default())),
    };
    let s3 = match root.get("s3") {
        Some(n) => super::s3::s3(cx, n, action).map(Some),
        None => Some(None),
    };
    let facts = implied_facts(cx, req_node, action);
    if let (Some(ctx), Some(f)) = (context.as_mut(), &facts) {
        for (k, v) in &f.tags {
            ctx.derive(&format!("aws:RequestTag/{k}"), v.clone());
        }
        if !f.tags.is_empty() && ctx.get("aws:TagKeys").is_none() {
            ctx.entries.push(ContextEntry {
                key: "aws:TagKeys".into(),
                key_lower: "aws:tagkeys".into(),
                values: f.tags.iter().map(|(k, _)| k.clone()).collect(),
                derived: true,
            });
        }
        if let Some(id) = &f.source_identity {
            ctx.derive("sts:SourceIdentity", id.clone());
        }
    }
    let org = root.get("organization").map(|n| organization(cx, n));
    let (principal, action, resource, policies, facts, s3) =
        (principal?, action?, resource?, policies?, facts?, s3?);
    let (mut principal, mut resource) = (principal, resource);
    let org = match org {
        Some(None) => return None,
        Some(Some(o)) => Some(o),
        None => None,
    };
    if let Some(o) = &org {
        apply_management(cx, req_node, o, &mut principal, &mut resource);
    }
    let context = context.unwrap_or_default();
    let errors_before = cx.errors.len();
    check_typed_context(
        cx,
        req_node.get("context"),
        &context,
        &principal,
        &resource,
        org.as_ref(),
    );
    if cx.errors.len() > errors_before {
        return None;
    }
    let mut implied = Vec::new();
    let mut also = |kind: ImpliedKind, action: &str| {
        implied.push(Implied {
            kind,
            request: Request::new(
                principal.clone(),
                action,
                resource.clone(),
                context.clone(),
                org.as_ref(),
            ),
            policies: None,
        });
    };
    if !facts.tags.is_empty() {
        also(ImpliedKind::TagSession, "sts:TagSession");
    }
    if facts.source_identity.is_some() {
        also(ImpliedKind::SetSourceIdentity, "sts:SetSourceIdentity");
    }
    if let Some((role, service)) = &facts.pass_role {
        let mut ctx = RequestContext::default();
        ctx.derive("iam:PassedToService", service.clone());
        let account = Arn::parse(role).map(|a| a.account.to_string());
        let side = Policies {
            identity: policies.identity.clone(),
            permissions_boundary: policies.permissions_boundary.clone(),
            session: policies.session.clone(),
            scps: policies.scps.clone(),
            ..Policies::default()
        };
        implied.push(Implied {
            kind: ImpliedKind::PassRole,
            request: Request::new(
                principal.clone(),
                "iam:PassRole",
                Resource {
                    arn: role.clone(),
                    account,
                    account_is_org_management: false,
                    is_aws_managed_key: false,
                },
                ctx,
                org.as_ref(),
            ),
            policies: Some(side),
        });
    }
    let mut request = Request::new(principal, action, resource, context, org.as_ref());
    if let Some(s3) = s3 {
        request = request.with_s3(s3);
    }
    Some(IamScenario {
        request,
        policies,
        implied,
    })
}

pub(super) fn valid_request_action(a: &str) -> bool {
    match a.split_once(':') {
        Some((p, n)) => {
            !p.is_empty()
                && !n.is_empty()
                && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        None => false,
    }
}

pub(super) fn resource(
    cx: &mut Cx<'_>,
    node: Option<&Node>,
    parent: &Range<usize>,
    principal: Option<&Principal>,
) -> Option<Resource> {
    let place = "[request.resource]";
    let Some(node) = node else {
        cx.err(
            K::MissingKey,
            parent,
            "[request.resource] がありません",
            Some(
                "arn = \"arn:aws:s3:::bucket/key\"(リソースのないアクションなら \"*\")を書きます"
                    .into(),
            ),
        );
        return None;
    };
    let node = cx.table(node, place)?;
    cx.keys(node, keys::RESOURCE, place);
    let arn = cx.string(node, "arn", place)?.to_string();
    if arn.len() > MAX_REQUEST_VALUE_LEN {
        let span = node
            .get("arn")
            .map_or(node.span.clone(), |n| n.span.clone());
        cx.err(
            K::Limit,
            &span,
            format!("リソースの ARN が長すぎます(上限 {MAX_REQUEST_VALUE_LEN} バイト)"),
            None,
        );
        return None;
    }
    let span_of = |key: &str| node.get(key).map_or(node.span.clone(), |n| n.span.clone());
    let parsed = Arn::parse(&arn);
    if arn != "*" && parsed.is_none() {
        cx.err(K::InvalidArn, &span_of("arn"), format!("リソースの ARN `{arn}` の形式が正しくありません"), Some("arn:パーティション:サービス:リージョン:アカウント:リソース(例: \"arn:aws:s3:::my-bucket/key\")".into()));
    }
    let in_arn = parsed.filter(Arn::has_account).map(|a| a.account);
    let account = match (cx.opt_string(node, "account", place), in_arn) {
        (Some(a), _) if !is_account_id(a) => {
            cx.err(
                K::InvalidValue,
                &span_of("account"),
                format!("account `{a}` は 12 桁の数字で書きます"),
                None,
            );
            None
        }
        (Some(a), Some(b)) if a != b => {
            cx.err(
                K::Conflict,
                &span_of("account"),
                format!("account `{a}` が ARN のアカウント `{b}` と食い違います"),
                Some("ARN にアカウントが含まれるなら account は書かなくてかまいません".into()),
            );
            None
        }
        (Some(a), _) => Some(a.to_string()),
        (None, Some(b)) => Some(b.to_string()),
        // An ARN without an account (S3 buckets and objects) does not say whose the resource
        // is; guessing the principal's own would silently decide cross-account questions.
        (None, None) if parsed.is_some() => {
            cx.err(K::MissingKey,
                &span_of("arn"),
                format!("リソースの ARN `{arn}` にはアカウントが含まれないので、リソースを持つアカウントが分かりません"),
                Some(format!("[request.resource] に account を書きます(例: resource = {{ arn = \"{arn}\", account = \"111122223333\" }})")),
            );
            None
        }
        // `*` names no resource: the request stays inside the caller's account.
        (None, None) => principal.and_then(|p| p.account.clone()),
    };
    let account_is_org_management = cx.flag(node, "account_is_org_management", place);
    let is_aws_managed_key = cx.flag(node, "is_aws_managed_key", place);
    Some(Resource {
        arn,
        account,
        account_is_org_management,
        is_aws_managed_key,
    })
}

pub(super) fn context(cx: &mut Cx<'_>, node: &Node) -> Option<RequestContext> {
    let node = cx.table(node, "[request.context]")?;
    let mut out = RequestContext::default();
    for e in node.entries().unwrap_or(&[]) {
        if !e.key.contains(':') || e.key.starts_with(':') || e.key.ends_with(':') {
            cx.err(
                K::InvalidValue,
                &e.key_span,
                format!("コンテキストキー `{}` の形式が正しくありません", e.key),
                Some("\"aws:SourceIp\" のように「接頭辞:キー名」で書きます".into()),
            );
            continue;
        }
        if out.get(&e.key).is_some() {
            cx.err(
                K::Duplicate,
                &e.key_span,
                format!(
                    "コンテキストキー `{}` が重複しています(キーは大文字小文字を区別しません)",
                    e.key
                ),
                None,
            );
            continue;
        }
        let scalar = |n: &Node| match &n.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        };
        let values = match &e.node.value {
            Value::Array(items) => items.iter().map(scalar).collect::<Option<Vec<_>>>(),
            _ => scalar(&e.node).map(|s| vec![s]),
        };
        match values {
            Some(values) if values.iter().any(|v| v.len() > MAX_REQUEST_VALUE_LEN) || values.len() > 1000 => cx.err(K::Limit,
                &e.node.span,
                format!("コンテキストキー `{}` の値が長すぎるか多すぎます(1 つ {MAX_REQUEST_VALUE_LEN} バイト、1000 個まで)", e.key),
                None,
            ),
            Some(values) => out.entries.push(ContextEntry {
                key: e.key.clone(),
                key_lower: e.key.to_lowercase(),
                values,
                derived: false,
            }),
            None => cx.err(K::WrongType,
                &e.node.span,
                format!(
                    "コンテキストキー `{}` の値は文字列か文字列の配列で書きます",
                    e.key
                ),
                Some("真偽値や数値も \"true\" \"3600\" のように文字列で書きます".into()),
            ),
        }
    }
    Some(out)
}
