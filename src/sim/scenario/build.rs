//! Document tree → [`Scenario`]: the common keys, the IAM request and its policies, `[expect]`
//! and `[[knobs]]`. Every problem is collected with its span; policies held in strings report
//! positions inside the string.

use std::ops::Range;
use std::sync::Arc;

use super::network as net;
use super::{Expect, Knob, KnobValue, Scenario, ScenarioError, ScenarioKind};
use crate::sim::iam::ContextEntry;
use crate::sim::iam::rules::ActionRule;
use crate::sim::iam::{
    Decision, IamScenario, Implied, ImpliedKind, Policies, Principal, PrincipalKind, Request,
    RequestContext, Resource,
};
use crate::sim::network::Hop;
use crate::sim::policy::{Kind as DocKind, Policy, PolicyType, parse_policy, validate_policy};
use crate::sim::suggest::did_you_mean;
use crate::sim::tree::{self, Node, Value};

const COMMON_KEYS: &[&str] = &["id", "title", "kind", "expect", "knobs", "$schema"];
const IAM_KEYS: &[&str] = &["request", "policies"];
const NETWORK_KEYS: &[&str] = &[
    "direction",
    "flow",
    "target",
    "security_groups",
    "target_subnet_nacl",
    "peer",
];
/// The longest resource ARN or context value a request may carry.
const MAX_REQUEST_VALUE_LEN: usize = 4096;
const POLICY_KEYS: &[&str] = &[
    "identity",
    "resource",
    "permissions_boundary",
    "session",
    "vpc_endpoint",
    "scps",
    "rcps",
];

/// Collects problems while reading a document.
pub(super) struct Cx<'a> {
    /// The file's text (spans point into it).
    pub src: &'a str,
    /// The problems found.
    pub errors: Vec<ScenarioError>,
}

impl Cx<'_> {
    pub fn err(&mut self, span: &Range<usize>, message: impl Into<String>, hint: Option<String>) {
        self.errors.push(ScenarioError {
            message: message.into(),
            span: Some(span.clone()),
            hint,
        });
    }

    /// Reports keys of `node` that are not `allowed`.
    pub fn keys(&mut self, node: &Node, allowed: &[&str], place: &str) {
        for e in node.entries().unwrap_or(&[]) {
            if !allowed.contains(&e.key.as_str()) {
                let hint = did_you_mean(&e.key, allowed.iter().copied()).or_else(|| {
                    Some(format!(
                        "書けるキー: {}",
                        allowed
                            .iter()
                            .filter(|k| !k.starts_with('$'))
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                });
                self.err(
                    &e.key_span,
                    format!("{place}に `{}` というキーはありません", e.key),
                    hint,
                );
            }
        }
    }

    /// `node` itself, when it is a table.
    pub fn table<'n>(&mut self, node: &'n Node, place: &str) -> Option<&'n Node> {
        if node.entries().is_some() {
            Some(node)
        } else {
            self.err(
                &node.span,
                format!(
                    "{place}はテーブルで書きます({}になっています)",
                    node.kind_ja()
                ),
                None,
            );
            None
        }
    }

    /// A required string.
    pub fn string<'n>(&mut self, parent: &'n Node, key: &str, place: &str) -> Option<&'n str> {
        match parent.get(key) {
            None => {
                self.err(
                    &parent.span,
                    format!("{place}に `{key}` がありません"),
                    None,
                );
                None
            }
            Some(n) => self.as_string(n, &format!("{place}の `{key}`")),
        }
    }

    /// An optional string.
    pub fn opt_string<'n>(&mut self, parent: &'n Node, key: &str, place: &str) -> Option<&'n str> {
        let n = parent.get(key)?;
        self.as_string(n, &format!("{place}の `{key}`"))
    }

    fn as_string<'n>(&mut self, n: &'n Node, what: &str) -> Option<&'n str> {
        let s = n.as_str();
        if s.is_none() {
            self.err(
                &n.span,
                format!("{what}は文字列で書きます({}になっています)", n.kind_ja()),
                None,
            );
        }
        s
    }

    /// An optional boolean (false when absent).
    pub fn flag(&mut self, parent: &Node, key: &str, place: &str) -> bool {
        match parent.get(key) {
            None => false,
            Some(Node {
                value: Value::Bool(b),
                ..
            }) => *b,
            Some(n) => {
                self.err(
                    &n.span,
                    format!("{place}の `{key}` は true か false で書きます"),
                    None,
                );
                false
            }
        }
    }

    /// A policy document: a JSON string, or (JSON files, TOML tables) an object. An empty
    /// string or null means the policy does not exist: `Some(None)`.
    pub fn policy(
        &mut self,
        node: &Node,
        ptype: impl Into<DocKind>,
        place: &str,
    ) -> Option<Option<Policy>> {
        let ptype = ptype.into();
        match &node.value {
            Value::Null => Some(None),
            Value::Str(s) if s.trim().is_empty() => Some(None),
            Value::Str(s) => {
                let map = self
                    .src
                    .get(node.span.clone())
                    .and_then(|raw| content_map(raw, s));
                let to_file = |r: &Range<usize>| match &map {
                    Some(m) => {
                        let at = |i: usize| node.span.start + m[i.min(m.len() - 1)];
                        at(r.start)..at(r.end).max(at(r.start))
                    }
                    None => node.span.clone(),
                };
                match parse_policy(s, ptype) {
                    Ok(p) => Some(Some(p)),
                    Err(errs) => {
                        for e in errs {
                            let path = if e.path.is_empty() {
                                String::new()
                            } else {
                                format!("{}: ", e.path)
                            };
                            self.err(
                                &to_file(&e.span),
                                format!("{place}のポリシー: {path}{}", e.message),
                                e.hint,
                            );
                        }
                        None
                    }
                }
            }
            Value::Table(_) => match validate_policy(node, ptype) {
                Ok(p) => Some(Some(p)),
                Err(errs) => {
                    for e in errs {
                        let path = if e.path.is_empty() {
                            String::new()
                        } else {
                            format!("{}: ", e.path)
                        };
                        self.err(
                            &e.span,
                            format!("{place}のポリシー: {path}{}", e.message),
                            e.hint,
                        );
                    }
                    None
                }
            },
            _ => {
                self.err(
                    &node.span,
                    format!("{place}はポリシー文書(JSON の文字列)で書きます({}になっています)", node.kind_ja()),
                    Some("TOML では '''{\"Version\":\"2012-10-17\",\"Statement\":[…]}''' のように書きます".into()),
                );
                None
            }
        }
    }
}

/// Maps byte offsets inside a decoded string value to offsets inside its raw token.
fn content_map(raw: &str, decoded: &str) -> Option<Vec<usize>> {
    let identity = |start: usize| Some((0..=decoded.len()).map(|i| start + i).collect::<Vec<_>>());
    let skip_newline = |s: &str, at: usize| {
        if s[at..].starts_with("\r\n") {
            at + 2
        } else if s[at..].starts_with('\n') {
            at + 1
        } else {
            at
        }
    };
    if raw.len() >= 6 && raw.starts_with("'''") {
        let start = skip_newline(raw, 3);
        return (raw.get(start..raw.len() - 3) == Some(decoded))
            .then(|| identity(start))
            .flatten();
    }
    if raw.len() >= 6 && raw.starts_with("\"\"\"") {
        let start = skip_newline(raw, 3);
        let body = raw.get(start..raw.len() - 3)?;
        let map = crate::sim::json::string_offsets(&format!("\"{body}\""), decoded)?;
        return Some(map.into_iter().map(|m| m - 1 + start).collect());
    }
    if raw.len() >= 2 && raw.starts_with('\'') {
        return (raw.get(1..raw.len() - 1) == Some(decoded))
            .then(|| identity(1))
            .flatten();
    }
    if raw.starts_with('"') {
        return crate::sim::json::string_offsets(raw, decoded);
    }
    None
}

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
enum Kind {
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
    let allowed: Vec<&str> = COMMON_KEYS
        .iter()
        .chain(if kind == Kind::Iam {
            IAM_KEYS
        } else {
            NETWORK_KEYS
        })
        .copied()
        .collect();
    cx.keys(root, &allowed, "シナリオ");
    match kind {
        Kind::Iam => iam(cx, root, None).map(ScenarioKind::Iam),
        Kind::Network => net::network(cx, root).map(ScenarioKind::Network),
    }
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn iam(cx: &mut Cx<'_>, root: &Node, reuse: Option<(&Policies, bool)>) -> Option<IamScenario> {
    let Some(req_node) = root.get("request") else {
        cx.err(&root.span, "[request] がありません", None);
        return None;
    };
    let req_node = cx.table(req_node, "[request]")?;
    cx.keys(
        req_node,
        &[
            "action",
            "context",
            "principal",
            "resource",
            "session_tags",
            "source_identity",
            "pass_role",
        ],
        "[request]",
    );
    let action = cx.string(req_node, "action", "[request]");
    if let (Some(a), Some(n)) = (action, req_node.get("action"))
        && !valid_request_action(a)
    {
        cx.err(&n.span, format!("アクション `{a}` の形式が正しくありません"), Some("「サービス接頭辞:アクション名」で書きます(例: \"s3:GetObject\")。ワイルドカードは使えません".into()));
    }
    let principal = match req_node.get("principal") {
        Some(n) => principal(cx, n),
        None => {
            cx.err(
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
        principal.as_ref(),
        &req_node.span,
    );
    let mut context = match req_node.get("context") {
        Some(n) => context(cx, n),
        None => Some(RequestContext::default()),
    };
    // A role's only resource-based policy is its trust policy, validated by its own grammar.
    let trust = resource.as_ref().is_some_and(|r| is_role_arn(&r.arn));
    let policies = match (reuse, root.get("policies")) {
        (Some((p, t)), _) if t == trust => Some(p.clone()),
        (_, Some(n)) => policies(cx, n, trust),
        (_, None) => Some(Policies::default()),
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
    let (principal, action, resource, policies, facts) =
        (principal?, action?, resource?, policies?, facts?);
    let context = context.unwrap_or_default();
    let mut implied = Vec::new();
    let mut also = |kind: ImpliedKind, action: &str| {
        implied.push(Implied {
            kind,
            request: Request::new(principal.clone(), action, resource.clone(), context.clone()),
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
        let account = role.split(':').nth(4).map(str::to_string);
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
            ),
            policies: Some(side),
        });
    }
    let request = Request::new(principal, action, resource, context);
    Some(IamScenario {
        request,
        policies,
        implied,
    })
}

/// The facts that imply more authorizations: session tags and a source identity (AssumeRole
/// only), and a role passed to a service.
#[derive(Debug, Default)]
struct ImpliedFacts {
    tags: Vec<(String, String)>,
    source_identity: Option<String>,
    pass_role: Option<(String, String)>,
}

fn implied_facts(cx: &mut Cx<'_>, req: &Node, action: Option<&str>) -> Option<ImpliedFacts> {
    let mut f = ImpliedFacts::default();
    let assume = action.is_some_and(|a| a.to_ascii_lowercase().starts_with("sts:assumerole"));
    let mut ok = true;
    if let Some(n) = req.get("session_tags") {
        if !assume {
            cx.err(
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
                cx.keys(t, &["role_arn", "service"], place);
                let role = cx.string(t, "role_arn", place).map(str::to_string);
                let service = cx.string(t, "service", place).map(str::to_string);
                match (role, service) {
                    (Some(r), Some(s)) if is_role_arn(&r) => f.pass_role = Some((r, s)),
                    (Some(r), Some(_)) => {
                        let span = t.get("role_arn").map_or(t.span.clone(), |n| n.span.clone());
                        cx.err(
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

fn valid_request_action(a: &str) -> bool {
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

const PRINCIPAL_KEYS: &[&str] = &[
    "type",
    "arn",
    "account",
    "role_arn",
    "federating_user_arn",
    "service",
    "provider",
    "canonical_user",
    "is_service_linked_role",
    "account_is_org_management",
];

fn principal(cx: &mut Cx<'_>, node: &Node) -> Option<Principal> {
    let place = "[request.principal]";
    let node = cx.table(node, place)?;
    cx.keys(node, PRINCIPAL_KEYS, place);
    let type_name = cx.string(node, "type", place)?;
    let Some(kind) = PrincipalKind::from_name(type_name) else {
        let n = node.get("type")?;
        cx.err(
            &n.span,
            format!("プリンシパルの type `{type_name}` はありません"),
            did_you_mean(type_name, PrincipalKind::NAMES)
                .or_else(|| Some(format!("使える type: {}", PrincipalKind::NAMES.join(", ")))),
        );
        return None;
    };
    let get = |cx: &mut Cx<'_>, key: &str| cx.opt_string(node, key, place).map(str::to_string);
    let mut p = Principal {
        kind,
        arn: get(cx, "arn"),
        account: get(cx, "account"),
        role_arn: get(cx, "role_arn"),
        federating_user_arn: get(cx, "federating_user_arn"),
        service: get(cx, "service"),
        provider: get(cx, "provider"),
        canonical_user: get(cx, "canonical_user"),
        is_service_linked_role: cx.flag(node, "is_service_linked_role", place),
        account_is_org_management: cx.flag(node, "account_is_org_management", place),
    };
    let span_of = |key: &str| node.get(key).map_or(node.span.clone(), |n| n.span.clone());
    let arn_parts = p
        .arn
        .as_deref()
        .map(|a| a.splitn(6, ':').collect::<Vec<_>>());
    let arn_shape = |service: &str, prefix: &str| {
        arn_parts.as_ref().is_some_and(|v| {
            v.len() == 6
                && v[0] == "arn"
                && v[2] == service
                && v[3].is_empty()
                && is_account(v[4])
                && v[5].starts_with(prefix)
        })
    };
    let needs_arn = |cx: &mut Cx<'_>, shape: bool, example: &str| {
        if !shape {
            let msg = match &p.arn {
                None => format!("{} には arn が必要です", kind.label()),
                Some(a) => format!("{} の ARN `{a}` の形式が正しくありません", kind.label()),
            };
            cx.err(&span_of("arn"), msg, Some(format!("例: \"{example}\"")));
        }
        shape
    };
    let arn_account = arn_parts
        .as_ref()
        .and_then(|v| v.get(4).map(|s| s.to_string()));
    match kind {
        PrincipalKind::IamUser | PrincipalKind::SessionTokenSession => {
            needs_arn(
                cx,
                arn_shape("iam", "user/"),
                "arn:aws:iam::111122223333:user/alice",
            );
        }
        PrincipalKind::AssumedRoleSession => {
            let ok = needs_arn(
                cx,
                arn_shape("sts", "assumed-role/")
                    && arn_parts
                        .as_ref()
                        .is_some_and(|v| v[5].matches('/').count() >= 2),
                "arn:aws:sts::111122223333:assumed-role/Dev/alice",
            );
            let role_name = p
                .arn
                .as_deref()
                .and_then(|a| a.split('/').nth(1))
                .map(str::to_string);
            match (&p.role_arn, role_name) {
                (None, Some(name)) if ok => {
                    let partition = arn_parts.as_ref().map_or("aws", |v| v[1]);
                    p.role_arn = Some(format!(
                        "arn:{partition}:iam::{}:role/{name}",
                        arn_account.clone().unwrap_or_default()
                    ));
                }
                (Some(role), Some(name)) if ok => {
                    let v: Vec<&str> = role.splitn(6, ':').collect();
                    let valid = v.len() == 6
                        && v[0] == "arn"
                        && v[2] == "iam"
                        && v[5].starts_with("role/")
                        && v[5].len() > 5;
                    if !valid || v.get(4).map(|s| s.to_string()) != arn_account {
                        cx.err(&span_of("role_arn"), format!("role_arn `{role}` はセッションと同じアカウントのロールの ARN で書きます"), Some(format!("例: \"arn:aws:iam::{}:role/{name}\"", arn_account.clone().unwrap_or_default())));
                    }
                }
                _ => {}
            }
        }
        PrincipalKind::FederatedUserSession => {
            needs_arn(
                cx,
                arn_shape("sts", "federated-user/"),
                "arn:aws:sts::111122223333:federated-user/bob",
            );
            if let Some(f) = &p.federating_user_arn
                && (!f.starts_with("arn:") || !f.contains(":user/"))
            {
                cx.err(
                    &span_of("federating_user_arn"),
                    format!("federating_user_arn `{f}` は IAM ユーザーの ARN で書きます"),
                    None,
                );
            }
        }
        PrincipalKind::Root => {
            if p.arn.is_some() && !arn_shape("iam", "root") {
                cx.err(
                    &span_of("arn"),
                    "ルートユーザーの ARN は arn:aws:iam::アカウントID:root です",
                    None,
                );
            }
        }
        PrincipalKind::Service => {
            if p.service.is_none() {
                cx.err(
                    &node.span,
                    "type = \"service\" には service(例: \"ec2.amazonaws.com\")が必要です",
                    None,
                );
            }
        }
        PrincipalKind::Federated => {
            if p.provider.is_none() {
                cx.err(&node.span, "type = \"federated\" には provider(例: \"cognito-identity.amazonaws.com\" や SAML プロバイダーの ARN)が必要です", None);
            }
        }
        PrincipalKind::Anonymous => {}
    }
    if kind.is_iam_entity() || kind == PrincipalKind::Root {
        match (&p.account, &arn_account) {
            (None, Some(a)) if is_account(a) => p.account = Some(a.clone()),
            (Some(acct), Some(a)) if acct != a && is_account(a) => {
                cx.err(
                    &span_of("account"),
                    format!("account `{acct}` が ARN のアカウント `{a}` と違います"),
                    None,
                );
            }
            (None, _) => cx.err(
                &node.span,
                format!("{} には account が必要です", kind.label()),
                Some("12 桁のアカウント ID を書きます".into()),
            ),
            _ => {}
        }
    }
    if let Some(a) = &p.account
        && !is_account(a)
    {
        cx.err(
            &span_of("account"),
            format!("account `{a}` は 12 桁の数字で書きます"),
            None,
        );
    }
    Some(p)
}

fn resource(
    cx: &mut Cx<'_>,
    node: Option<&Node>,
    principal: Option<&Principal>,
    parent: &Range<usize>,
) -> Option<Resource> {
    let place = "[request.resource]";
    let Some(node) = node else {
        cx.err(
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
    cx.keys(
        node,
        &[
            "arn",
            "account",
            "account_is_org_management",
            "is_aws_managed_key",
        ],
        place,
    );
    let arn = cx.string(node, "arn", place)?.to_string();
    if arn.len() > MAX_REQUEST_VALUE_LEN {
        let span = node
            .get("arn")
            .map_or(node.span.clone(), |n| n.span.clone());
        cx.err(
            &span,
            format!("リソースの ARN が長すぎます(上限 {MAX_REQUEST_VALUE_LEN} バイト)"),
            None,
        );
        return None;
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if arn != "*"
        && (parts.len() != 6 || parts[0] != "arn" || parts[1].is_empty() || parts[2].is_empty())
    {
        let span = node
            .get("arn")
            .map_or(node.span.clone(), |n| n.span.clone());
        cx.err(&span, format!("リソースの ARN `{arn}` の形式が正しくありません"), Some("arn:パーティション:サービス:リージョン:アカウント:リソース(例: \"arn:aws:s3:::my-bucket/key\")".into()));
    }
    let account = match cx.opt_string(node, "account", place) {
        Some(a) => {
            if !is_account(a) {
                let span = node
                    .get("account")
                    .map_or(node.span.clone(), |n| n.span.clone());
                cx.err(
                    &span,
                    format!("account `{a}` は 12 桁の数字で書きます"),
                    None,
                );
            }
            Some(a.to_string())
        }
        None => match parts.get(4) {
            Some(a) if is_account(a) => Some(a.to_string()),
            // S3 ARNs carry no account: the resource is taken to be the principal's own.
            _ => principal.and_then(|p| p.account.clone()),
        },
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

fn context(cx: &mut Cx<'_>, node: &Node) -> Option<RequestContext> {
    let node = cx.table(node, "[request.context]")?;
    let mut out = RequestContext::default();
    for e in node.entries().unwrap_or(&[]) {
        if !e.key.contains(':') || e.key.starts_with(':') || e.key.ends_with(':') {
            cx.err(
                &e.key_span,
                format!("コンテキストキー `{}` の形式が正しくありません", e.key),
                Some("\"aws:SourceIp\" のように「接頭辞:キー名」で書きます".into()),
            );
            continue;
        }
        if out.get(&e.key).is_some() {
            cx.err(
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
            Some(values) if values.iter().any(|v| v.len() > MAX_REQUEST_VALUE_LEN) || values.len() > 1000 => cx.err(
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
            None => cx.err(
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

fn is_role_arn(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    parts.nth(2) == Some("iam") && parts.nth(2).is_some_and(|r| r.starts_with("role/"))
}

fn policies(cx: &mut Cx<'_>, node: &Node, trust: bool) -> Option<Policies> {
    let node = cx.table(node, "[policies]")?;
    cx.keys(node, POLICY_KEYS, "[policies]");
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
                &n.span,
                format!("{key} は階層ごとのポリシーの配列の配列で書きます"),
                Some(hint),
            );
            ok = false;
            continue;
        };
        if levels.is_empty() {
            cx.err(
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

fn expect(cx: &mut Cx<'_>, node: &Node, kind: Kind) -> Option<Expect> {
    let node = cx.table(node, "[expect]")?;
    match kind {
        Kind::Iam => {
            cx.keys(node, &["decision", "decisive", "rule"], "[expect]");
            let d = cx.string(node, "decision", "[expect]")?;
            let Some(decision) = Decision::from_name(d) else {
                let n = node.get("decision")?;
                cx.err(
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
                        cx.err(&n.span, "decisive は配列で書きます(例: [\"scp\"])", None);
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
            cx.keys(node, &["reachable", "blocked_at"], "[expect]");
            let reachable = match node.get("reachable") {
                Some(Node {
                    value: Value::Bool(b),
                    ..
                }) => *b,
                Some(n) => {
                    cx.err(&n.span, "reachable は true か false で書きます", None);
                    return None;
                }
                None => {
                    cx.err(&node.span, "[expect] に reachable がありません", None);
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

fn knobs(cx: &mut Cx<'_>, root: &Node, doc: &Node, source: &str, try_values: bool) -> Vec<Knob> {
    let Some(list) = root.get("knobs") else {
        return Vec::new();
    };
    let Some(items) = list.as_array() else {
        cx.err(&list.span, "knobs は [[knobs]] の配列で書きます", None);
        return Vec::new();
    };
    let mut out: Vec<Knob> = Vec::new();
    if items.len() > 50 {
        cx.err(&list.span, "ノブが多すぎます(50 個まで)", None);
        return out;
    }
    for item in items {
        let Some(item) = cx.table(item, "[[knobs]]") else {
            continue;
        };
        cx.keys(item, &["id", "label", "set", "values"], "[[knobs]]");
        let id = cx.string(item, "id", "[[knobs]]").map(str::to_string);
        let label = cx.string(item, "label", "[[knobs]]").map(str::to_string);
        let set = cx.string(item, "set", "[[knobs]]").map(str::to_string);
        if let (Some(id), Some(n)) = (&id, item.get("id"))
            && out.iter().any(|k| &k.id == id)
        {
            cx.err(&n.span, format!("ノブの id `{id}` が重複しています"), None);
        }
        let path = set.as_deref().and_then(|s| match tree::parse_path(s) {
            Ok(p) => Some(p),
            Err(m) => {
                let span = item.get("set").map_or(item.span.clone(), |n| n.span.clone());
                cx.err(&span, format!("set のパスが正しくありません: {m}"), Some("例: \"request.context.aws:MultiFactorAuthPresent\"、\"policies.identity.0\"".into()));
                None
            }
        });
        let values = match item.get("values") {
            Some(n) => match n.as_array() {
                Some(v) if v.len() > 100 => {
                    cx.err(&n.span, "ノブの値が多すぎます(100 個まで)", None);
                    continue;
                }
                Some(v) if !v.is_empty() => v,
                _ => {
                    cx.err(&n.span, "values は 1 つ以上の値の配列で書きます", None);
                    continue;
                }
            },
            None => {
                cx.err(&item.span, "[[knobs]] に values がありません", None);
                continue;
            }
        };
        let (Some(id), Some(label), Some(set), Some(path)) = (id, label, set, path) else {
            continue;
        };
        let mut knob_values = Vec::with_capacity(values.len());
        for (i, v) in values.iter().enumerate() {
            if !try_values {
                knob_values.push(KnobValue {
                    label: value_label(v),
                    node: v.clone(),
                });
                continue;
            }
            let mut trial = doc.clone();
            let applied = trial
                .set(&path, v.clone())
                .map_err(|m| {
                    vec![ScenarioError {
                        message: m,
                        span: Some(v.span.clone()),
                        hint: None,
                    }]
                })
                .and_then(|()| kind_only(&trial, source));
            if let Err(errs) = applied {
                let first = errs.first().map_or(String::new(), |e| e.message.clone());
                cx.err(
                    &v.span,
                    format!(
                        "ノブ `{id}` の {} 番目の値を適用するとシナリオが不正になります: {first}",
                        i + 1
                    ),
                    errs.first().and_then(|e| e.hint.clone()),
                );
                for e in errs.into_iter().skip(1) {
                    if e.span
                        .as_ref()
                        .is_some_and(|s| s.start >= v.span.start && s.end <= v.span.end)
                    {
                        cx.errors.push(e);
                    }
                }
            }
            knob_values.push(KnobValue {
                label: value_label(v),
                node: v.clone(),
            });
        }
        if let Some(names) = named_values(&label, knob_values.len()) {
            for (value, name) in knob_values.iter_mut().zip(names) {
                value.label = name;
            }
        }
        out.push(Knob {
            id,
            label,
            set,
            path,
            values: knob_values,
        });
    }
    out
}

/// The names a knob's label gives its values in closing parentheses, one per value in order:
/// 「カスタムNACLの送信ルール(なし / エフェメラルポートを許可)」.
fn named_values(label: &str, count: usize) -> Option<Vec<String>> {
    let inner = label
        .strip_suffix('\u{ff09}')
        .or_else(|| label.strip_suffix(')'))?;
    let open = inner.rfind(['\u{ff08}', '('])?;
    let paren = inner[open..].chars().next()?.len_utf8();
    let names: Vec<String> = inner[open + paren..]
        .split(" / ")
        .map(|n| n.trim().to_string())
        .collect();
    (count >= 2 && names.len() == count && names.iter().all(|n| !n.is_empty())).then_some(names)
}

/// A knob value as a learner reads it: no TOML punctuation. Ports `[from, to]` as 443 or
/// 1024-65535, booleans as はい / いいえ, lists joined with 、, rules as their fields.
fn readable(v: &Node) -> String {
    let port = |n: &Node| match n.value {
        Value::Int(i) => Some(i),
        _ => None,
    };
    match &v.value {
        Value::Bool(true) => "はい".into(),
        Value::Bool(false) => "いいえ".into(),
        Value::Array(items) if items.is_empty() => "(なし)".into(),
        Value::Array(items) => match items.iter().map(port).collect::<Option<Vec<i64>>>() {
            Some(p) if p.len() == 2 && p[0] == p[1] => p[0].to_string(),
            Some(p) if p.len() == 2 => format!("{}-{}", p[0], p[1]),
            _ => items.iter().map(readable).collect::<Vec<_>>().join("、"),
        },
        Value::Table(entries) => entries
            .iter()
            .map(|e| match (e.key.as_str(), &e.node.value) {
                ("rule", _) => format!("ルール{}", readable(&e.node)),
                ("action", Value::Str(a)) if a == "allow" => "許可".into(),
                ("action", Value::Str(a)) if a == "deny" => "拒否".into(),
                ("protocol", Value::Str(p)) if p == "-1" => "全プロトコル".into(),
                _ => readable(&e.node),
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => v.render(),
    }
}

/// A short label for a knob value: policy documents are summarized by their Sids.
fn value_label(v: &Node) -> String {
    if let Some(s) = v.as_str() {
        if s.trim().is_empty() {
            return "(なし)".into();
        }
        if s.trim_start().starts_with('{')
            && let Ok(doc) = serde_json::from_str::<serde_json::Value>(s)
        {
            let stmts = match &doc["Statement"] {
                serde_json::Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            let sids: Vec<String> = stmts
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    st["Sid"]
                        .as_str()
                        .map_or(format!("#{}", i + 1), str::to_string)
                })
                .collect();
            return format!("ポリシー({})", sids.join(", "));
        }
    }
    let text = readable(v);
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}
