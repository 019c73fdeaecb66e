//! The explained decision: for every statement of every policy, whether it matched and why not
//! (principal, action, resource, condition, with the values compared), and one Japanese
//! sentence naming the rule that decided.

use std::fmt::Write as _;

use super::decide::{self, NotApplicable, Route, Verdict, applicability};
use super::matching::{
    Grant, Situation, action_matches, identity_chain, principal_grant, resource_matches,
    statement_applies,
};
use super::{Decision, IamScenario, PolicyRef, PrincipalKind, Request, StatementRef};
use crate::sim::limits;
use crate::sim::policy::condition::{Outcome as CondOutcome, SetOp, ValueMatch};
use crate::sim::policy::{Condition, Effect, Policy, PolicyType, Statement, Version};

/// One statement's part in the decision.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementTrace {
    /// Which statement.
    pub at: StatementRef,
    /// Its Sid.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// The policy takes part in this request.
    pub applicable: bool,
    /// Not switched off by the learner.
    pub enabled: bool,
    /// The statement applies to the request.
    pub matched: bool,
    /// Why, in Japanese, with the values compared.
    pub reason: String,
}

/// The explained result of an IAM scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct IamOutcome {
    /// Allow, ExplicitDeny or ImplicitDeny.
    pub decision: Decision,
    /// The policy types that granted (Allow) or blocked (denies), in canonical order.
    pub decisive: Vec<PolicyType>,
    /// The sentence naming the decisive rule.
    pub explanation: String,
    /// Exemptions and other facts worth knowing (SCPs not applying, derived context keys…).
    pub notes: Vec<String>,
    /// Every statement of every policy.
    pub trace: Vec<StatementTrace>,
    /// The documented per-action rule that decided (or set a policy aside), if any.
    pub rule: Option<super::rules::ActionRule>,
    /// The other authorizations the request needs, each explained on its own.
    pub implied: Vec<ImpliedOutcome>,
}

/// One implied authorization, explained.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpliedOutcome {
    /// Why it is needed.
    pub kind: super::ImpliedKind,
    /// The implied action (`sts:TagSession` …).
    pub action: String,
    /// It decided the request (it is the first that is not allowed).
    pub decides: bool,
    /// Its own explained result (its `implied` is empty).
    pub outcome: IamOutcome,
}

/// Evaluates a scenario with the full trace and the Japanese explanation.
pub fn explain(sc: &IamScenario) -> IamOutcome {
    let main = explain_one(sc);
    if sc.implied.is_empty() {
        return main;
    }
    let implied: Vec<(&super::Implied, IamOutcome)> = sc
        .implied
        .iter()
        .map(|i| {
            let one = IamScenario {
                request: i.request.clone(),
                policies: i
                    .policies
                    .clone()
                    .map_or_else(|| std::sync::Arc::clone(&sc.policies), std::sync::Arc::new),
                implied: Vec::new(),
            };
            (i, explain_one(&one))
        })
        .collect();
    let (decider, _) = decide::worst(
        decide::decide_one(&sc.request, &sc.policies),
        sc.implied
            .iter()
            .map(|i| decide::decide_one(&i.request, i.policies.as_ref().unwrap_or(&sc.policies))),
    );
    let mut out = main;
    let list: Vec<ImpliedOutcome> = implied
        .iter()
        .enumerate()
        .map(|(n, (i, o))| ImpliedOutcome {
            kind: i.kind,
            action: i.request.action.clone(),
            decides: decider == n + 1,
            outcome: o.clone(),
        })
        .collect();
    for i in &list {
        out.notes.push(format!(
            "{}: {} → {}",
            i.action,
            i.kind.reason(),
            i.outcome.decision.label()
        ));
    }
    if decider > 0 {
        let d = &list[decider - 1];
        out.decision = d.outcome.decision;
        out.decisive = d.outcome.decisive.clone();
        out.rule = d.outcome.rule;
        out.explanation = format!(
            "{}を行うには {} の認可も必要で、そちらで決まりました({})。{}",
            sc.request.action,
            d.action,
            d.kind.reason(),
            d.outcome.explanation
        );
    }
    out.implied = list;
    out
}

/// Explains the request alone (its implied authorizations aside).
fn explain_one(sc: &IamScenario) -> IamOutcome {
    let req = &sc.request;
    let verdict = decide::decide_one(&sc.request, &sc.policies);
    let sit = Situation {
        has_boundary: sc.policies.permissions_boundary.is_some()
            && req.principal.kind.is_iam_entity(),
    };
    let mut trace = Vec::new();
    let mut notes = Vec::new();
    let mut noted: Vec<PolicyType> = Vec::new();
    for (at, policy) in PolicyRef::all(&sc.policies) {
        let applies = applicability(at.ptype, req);
        if let Err(na) = applies
            && !noted.contains(&at.ptype)
        {
            noted.push(at.ptype);
            notes.push(format!("{}: {}", at.ptype.label(), na.reason(req)));
        }
        if policy.version == Version::V2008_10_17 && mentions_variables(policy) {
            notes.push(format!("{at}: Version が 2012-10-17 ではないため、${{…}} はポリシー変数ではなく文字列として扱われます"));
        }
        for (i, stmt) in policy.statements.iter().enumerate() {
            trace.push(trace_statement(
                StatementRef {
                    policy: at,
                    statement: i,
                },
                stmt,
                req,
                sit,
                applies,
            ));
        }
    }
    if req.principal.kind == PrincipalKind::FederatedUserSession && sc.policies.session.is_none() {
        notes.push("GetFederationToken でセッションポリシーを渡していないため、このセッションにはリソースベースのポリシーで直接与えられたもの以外の権限がありません".into());
    }
    let derived: Vec<String> = req
        .context
        .entries
        .iter()
        .filter(|e| e.derived)
        .map(|e| format!("{}={}", e.key, limits::quote(&e.values.join(","))))
        .collect();
    if !derived.is_empty() {
        notes.push(format!(
            "事実(プリンシパル・リソース・組織)から導いたコンテキストキー: {}",
            derived.join("、")
        ));
    }
    if let Some(rule) = req.rule {
        notes.push(format!("{}(出典: {})", rule.sentence(), rule.doc()));
    }
    if let Some(s3) = req.s3.as_deref() {
        let f = decide::facts(req, &sc.policies);
        notes.extend(super::s3::notes(s3, &f.s3));
        if let Some(l) = f.s3.restricted {
            for t in trace.iter_mut().filter(|t| {
                t.at.policy.ptype == PolicyType::Resource && t.matched && t.effect == Effect::Allow
            }) {
                t.reason.push_str(&super::s3::set_aside_sentence(l));
            }
        }
    }
    let explanation = sentence(sc, &verdict, &trace);
    bound_reasons(&mut trace, &mut notes);
    IamOutcome {
        decision: verdict.decision,
        decisive: verdict.decisive.to_vec(),
        explanation,
        notes,
        trace,
        rule: verdict.rule,
        implied: Vec::new(),
    }
}

/// Keeps the statement reasons within [`limits::MAX_EXPLANATION_BYTES`]: past the cap each
/// reason is replaced by a short marker, and one note says how many were left out.
fn bound_reasons(trace: &mut [StatementTrace], notes: &mut Vec<String>) {
    let mut used = 0;
    let mut omitted = 0;
    for t in trace.iter_mut() {
        if let Some((cut, _)) = t.reason.char_indices().nth(limits::MAX_REASON_CHARS) {
            let rest = t.reason[cut..].chars().count();
            t.reason.truncate(cut);
            t.reason.push_str(&format!("…(ほか {rest} 文字)"));
        }
        used += t.reason.len();
        if used > limits::MAX_EXPLANATION_BYTES {
            t.reason = limits::OMITTED_REASON.into();
            omitted += 1;
        }
    }
    if omitted > 0 {
        notes.push(limits::omitted_note(omitted));
    }
}

fn mentions_variables(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.resource
            .as_ref()
            .is_some_and(|r| r.patterns.iter().any(|p| p.text.contains("${")))
            || s.conditions
                .iter()
                .any(|c| c.raw_values.iter().any(|v| v.contains("${")))
    })
}

/// How the resource-based policy is called for this request.
pub fn resource_label(req: &Request) -> &'static str {
    if req.is_kms_key() {
        "キーポリシー"
    } else if req.is_role_trust() {
        "信頼ポリシー"
    } else {
        "リソースベースのポリシー"
    }
}

fn policy_label(at: PolicyRef, req: &Request) -> String {
    match at.ptype {
        PolicyType::Resource => resource_label(req).into(),
        t => t.label().into(),
    }
}

fn statement_name(t: &StatementTrace, req: &Request) -> String {
    let label = policy_label(t.at.policy, req);
    match &t.sid {
        Some(sid) => format!("{label}『{sid}』"),
        None => format!(
            "{label}({} の {} 番目のステートメント)",
            t.at.policy,
            t.at.statement + 1
        ),
    }
}

fn trace_statement(
    at: StatementRef,
    stmt: &Statement,
    req: &Request,
    sit: Situation,
    applies: Result<(), NotApplicable>,
) -> StatementTrace {
    let base = |matched, reason: String, applicable| StatementTrace {
        at,
        sid: stmt.sid.clone(),
        effect: stmt.effect,
        applicable,
        enabled: !stmt.disabled,
        matched,
        reason,
    };
    if let Err(na) = applies {
        return base(
            false,
            format!("このポリシーは評価されません: {}", na.reason(req)),
            false,
        );
    }
    if stmt.disabled {
        return base(false, "このステートメントはオフにされています".into(), true);
    }
    let matched = statement_applies(stmt, req, sit);
    let mut parts: Vec<String> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    let grant = principal_grant(stmt, &req.principal, sit);
    if let Some(spec) = &stmt.principal {
        let listed = spec
            .ids
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let who = requester(req);
        match (spec.negated, grant) {
            (false, None) => failed.push(format!("Principal: リクエストの {who} は [{listed}] に含まれません")),
            (true, None) => failed.push(format!("NotPrincipal: {who} は除外リスト [{listed}] に含まれるため対象外です")),
            (false, Some(Grant::Account)) => parts.push(format!(
                "Principal: {who} はアカウントとして [{listed}] に一致(IAMユーザーやロールには、そのアカウントのIAMポリシーでの許可も必要です)"
            )),
            (false, Some(Grant::Limited)) => parts.push(format!(
                "Principal: {who} はロール(またはフェデレーションしたIAMユーザー)のARNとして [{listed}] に一致(アクセス許可の境界とセッションポリシーの制限を受けます)"
            )),
            (false, Some(Grant::Direct)) => parts.push(format!("Principal: {who} は [{listed}] に一致")),
            (true, Some(_)) if stmt.effect == Effect::Deny && sit.has_boundary && !excluded_plain(stmt, req) => {
                parts.push("NotPrincipal: アクセス許可の境界を持つIAMプリンシパルには、NotPrincipal の Deny が常に適用されます".into())
            }
            (true, Some(_)) => {
                let missing: Vec<String> = identity_chain(&req.principal)
                    .into_iter()
                    .filter(|id| !spec.ids.contains(id))
                    .map(|id| id.to_string())
                    .collect();
                if missing.is_empty() || missing.len() == identity_chain(&req.principal).len() {
                    parts.push(format!("NotPrincipal: {who} は除外リスト [{listed}] に含まれないので対象"));
                } else {
                    parts.push(format!(
                        "NotPrincipal: 除外リスト [{listed}] に {} がないので対象(除外するには、アカウント・ロール・セッションなど要求元のすべてを列挙します)",
                        missing.join("、")
                    ));
                }
            }
        }
    }
    let actions = stmt
        .action
        .patterns
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let action_ok = action_matches(&stmt.action, req);
    match (stmt.action.negated, action_ok) {
        (false, true) => parts.push(format!("Action: {} は [{actions}] に一致", req.action)),
        (false, false) => failed.push(format!(
            "Action: {} は [{actions}] に一致しません",
            req.action
        )),
        (true, true) => parts.push(format!(
            "NotAction: {} は除外リスト [{actions}] に含まれないので対象",
            req.action
        )),
        (true, false) => failed.push(format!(
            "NotAction: {} は除外リスト [{actions}] に含まれるため対象外です",
            req.action
        )),
    }
    if let Some(list) = &stmt.resource {
        let shown = list
            .patterns
            .iter()
            .map(|p| match p.resolved_text(&req.context) {
                Some(t) if t != p.text => format!("{}(= {})", p.text, limits::quote(&t)),
                Some(_) => p.text.clone(),
                None => format!(
                    "{}(変数に値がないため、どのリソースにも一致しません)",
                    p.text
                ),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let ok = resource_matches(Some(list), req);
        let arn = &req.resource.arn;
        match (list.negated, ok) {
            (false, true) => parts.push(format!("Resource: {arn} は [{shown}] に一致")),
            (false, false) => failed.push(format!("Resource: {arn} は [{shown}] に一致しません")),
            (true, true) => parts.push(format!(
                "NotResource: {arn} は除外リスト [{shown}] に含まれないので対象"
            )),
            (true, false) => failed.push(format!(
                "NotResource: {arn} は除外リスト [{shown}] に含まれるため対象外です"
            )),
        }
    }
    for c in &stmt.conditions {
        let (held, text) = describe_condition(c, req);
        if held {
            parts.push(format!("条件 {text}"));
        } else {
            failed.push(format!("条件 {text}"));
        }
    }
    debug_assert_eq!(
        matched.is_some(),
        failed.is_empty(),
        "trace and decision disagree on {at:?}"
    );
    let reason = if failed.is_empty() {
        format!("一致しました。{}", parts.join("。"))
    } else {
        format!("一致しません。{}", failed.join("。"))
    };
    base(matched.is_some(), reason, true)
}

fn excluded_plain(stmt: &Statement, req: &Request) -> bool {
    principal_grant(
        stmt,
        &req.principal,
        Situation {
            has_boundary: false,
        },
    )
    .is_none()
}

fn requester(req: &Request) -> String {
    let p = &req.principal;
    let id = match p.kind {
        PrincipalKind::Service => p.service.clone(),
        PrincipalKind::Federated => p.provider.clone(),
        PrincipalKind::Anonymous => Some("匿名".into()),
        _ => p.arn.clone().or_else(|| p.account.clone()),
    };
    format!("{}({})", p.kind.label(), id.unwrap_or_default())
}

fn show(values: &[String]) -> String {
    match values {
        [] => "(空)".into(),
        [one] => limits::quote(one).into_owned(),
        many => format!(
            "[{}]",
            many.iter()
                .map(|v| limits::quote(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Describes one condition: whether it held, the operator, the key, and both sides' values.
pub fn describe_condition(c: &Condition, req: &Request) -> (bool, String) {
    let (held, how) = c.evaluate(&req.context);
    let verdict = if held { "成立" } else { "不成立" };
    let policy_values = show(&c.raw_values);
    let mut text = format!("{} {}: ", c.operator_text, c.key);
    match how {
        CondOutcome::AbsentIfExists => {
            let _ = write!(text, "キーがリクエストにないため IfExists により{verdict}");
        }
        CondOutcome::Absent => {
            let why = match c.operator.set {
                Some(SetOp::ForAllValues) => "ForAllValues はキーがないと成立します",
                Some(SetOp::ForAnyValue) => "ForAnyValue はキーがないと成立しません",
                None if c.operator.negated => "否定の演算子はキーがないと成立します",
                None => "キーがないので一致しません",
            };
            let _ = write!(
                text,
                "キーがリクエストにありません(ポリシーの値 {policy_values})。{why} → {verdict}"
            );
        }
        CondOutcome::Null => {
            let present = req
                .context
                .get(&c.key)
                .is_some_and(|e| !e.values.is_empty());
            let _ = write!(
                text,
                "キーはリクエストに{}(ポリシーの値 {policy_values}: true は「ない」、false は「ある」) → {verdict}",
                if present {
                    "あります"
                } else {
                    "ありません"
                }
            );
        }
        CondOutcome::Compared => {
            let entry = req.context.get(&c.key);
            let values = entry.map(|e| e.values.clone()).unwrap_or_default();
            let resolved: Vec<String> = match &c.values {
                crate::sim::policy::condition::Values::Text(ps) => ps
                    .iter()
                    .map(|p| match p.resolved_text(&req.context) {
                        Some(t) if t != p.text => format!("{}(= {})", p.text, limits::quote(&t)),
                        Some(_) => p.text.clone(),
                        None => format!("{}(変数に値がありません)", p.text),
                    })
                    .collect(),
                crate::sim::policy::condition::Values::Arn(ps) => {
                    ps.iter().map(|p| p.text.clone()).collect()
                }
                _ => c.raw_values.clone(),
            };
            let _ = write!(
                text,
                "リクエストの値 {} / ポリシーの値 {} → {verdict}",
                show(&values),
                show(&resolved)
            );
            if values
                .iter()
                .any(|v| c.matches_value(v, &req.context) == ValueMatch::NoVariable)
            {
                text.push_str("(ポリシー変数に値がないため、その値とは一致しません)");
            }
            if entry.is_some_and(|e| e.derived) {
                text.push_str("(キーの値はプリンシパルから導きました)");
            }
            if let Some(hint) = case_only_difference(c, &values) {
                text.push_str(&hint);
            }
        }
    }
    (held, text)
}

/// When a case-sensitive string operator compared values that differ only by case, says so
/// (StringEquals and StringLike compare case-sensitively; StringEqualsIgnoreCase does not).
fn case_only_difference(c: &Condition, values: &[String]) -> Option<String> {
    use crate::sim::policy::condition::Family;
    let name = match c.operator.family {
        Family::StringEquals => "StringEquals",
        Family::StringLike => "StringLike",
        _ => return None,
    };
    let differs_by_case = values.iter().any(|v| {
        c.raw_values
            .iter()
            .any(|p| p != v && p.to_lowercase() == v.to_lowercase())
    });
    differs_by_case.then(|| {
        format!(
            "(値は大文字と小文字だけが違います。{name} 系の演算子は大文字と小文字を区別します。区別しないなら StringEqualsIgnoreCase を使います)"
        )
    })
}

/// The one sentence naming the decisive rule (two when it helps to say why).
fn sentence(sc: &IamScenario, v: &Verdict, trace: &[StatementTrace]) -> String {
    use super::rules::RuleEffect;
    if let Some(rule) = v.rule {
        if let Some(level) = sc.request.s3.as_deref().and_then(|s| s.rule_level(rule)) {
            return format!("{}の {}", level.label(), rule.sentence());
        }
        match rule.effect() {
            RuleEffect::Allow | RuleEffect::Refuse => return rule.sentence().to_string(),
            RuleEffect::SkipResourcePolicy => {
                return format!("{}。{}", rule.sentence(), policy_sentence(sc, v, trace));
            }
        }
    }
    policy_sentence(sc, v, trace)
}

fn policy_sentence(sc: &IamScenario, v: &Verdict, trace: &[StatementTrace]) -> String {
    let req = &sc.request;
    match v.decision {
        Decision::ExplicitDeny => {
            // Every layer that denies is named (its first matching Deny statement).
            let names: Vec<String> = PolicyType::ALL
                .iter()
                .filter(|t| v.decisive.contains(**t))
                .filter_map(|t| {
                    trace
                        .iter()
                        .find(|s| s.at.policy.ptype == *t && s.matched && s.effect == Effect::Deny)
                })
                .map(|t| statement_name(t, req))
                .collect();
            match names.as_slice() {
                [] => "明示的な拒否があります。明示的な拒否はどの許可よりも優先されます".into(),
                [one] => format!(
                    "{one}が明示的に拒否しています。明示的な拒否はどの許可よりも優先されます"
                ),
                many => format!(
                    "{}がそれぞれ明示的に拒否しています。明示的な拒否はどの許可よりも優先され、1 つあれば拒否が決まります",
                    many.join("と")
                ),
            }
        }
        Decision::Allow => allow_sentence(sc, v, trace),
        Decision::ImplicitDeny => implicit_sentence(sc, v),
    }
}

fn first_allow(trace: &[StatementTrace], t: PolicyType) -> Option<&StatementTrace> {
    trace
        .iter()
        .find(|s| s.at.policy.ptype == t && s.matched && s.effect == Effect::Allow)
}

fn allow_sentence(sc: &IamScenario, v: &Verdict, trace: &[StatementTrace]) -> String {
    let req = &sc.request;
    let s3 = decide::facts(req, &sc.policies).s3;
    let acl = req.s3.as_deref().and_then(|s| super::s3::acl_name(s, &s3));
    // A bucket-policy Allow that RestrictPublicBuckets set aside did not grant: the ACL did.
    let set_aside = |t| t == PolicyType::Resource && s3.restricted.is_some();
    let name = |t| {
        first_allow(trace, t)
            .filter(|_| !set_aside(t))
            .map(|s| statement_name(s, req))
            .or_else(|| acl.clone().filter(|_| t == PolicyType::Resource))
            .unwrap_or_else(|| {
                policy_label(
                    PolicyRef {
                        ptype: t,
                        level: 0,
                        index: 0,
                    },
                    req,
                )
            })
    };
    let guards = {
        let mut g = Vec::new();
        if sc.policies.scps.is_some() && applicability(PolicyType::Scp, req).is_ok() {
            g.push("SCP");
        }
        if sc.policies.rcps.is_some() && applicability(PolicyType::Rcp, req).is_ok() {
            g.push("RCP");
        }
        if sc.policies.permissions_boundary.is_some()
            && applicability(PolicyType::PermissionsBoundary, req).is_ok()
        {
            g.push("アクセス許可の境界");
        }
        if sc.policies.session.is_some() && applicability(PolicyType::Session, req).is_ok() {
            g.push("セッションポリシー");
        }
        if sc.policies.vpc_endpoint.is_some() {
            g.push("VPCエンドポイントポリシー");
        }
        g
    };
    let within = if guards.is_empty() {
        String::new()
    } else {
        format!("{}の範囲内で、", guards.join("・"))
    };
    let rl = resource_label(req);
    match v.route {
        Some(Route::RootUser) => format!(
            "{within}ルートユーザーは自分のアカウントのリソースに対して、明示的に拒否されない限りすべて許可されます"
        ),
        Some(Route::Identity) => format!(
            "{within}{}が許可し、明示的な拒否はありません",
            name(PolicyType::Identity)
        ),
        Some(Route::ResourceDirect) => format!(
            "{within}{}がこのプリンシパル自身に直接許可しています。同じアカウント内でユーザーやセッションに直接与えた許可は、アイデンティティベースのポリシー・アクセス許可の境界・セッションポリシーの暗黙的な拒否に制限されません",
            name(PolicyType::Resource)
        ),
        Some(Route::ResourceLimited) => {
            let whom = if req.principal.kind == PrincipalKind::FederatedUserSession {
                "フェデレーションしたIAMユーザーのARN"
            } else {
                "ロールのARN"
            };
            format!(
                "{within}{}が{whom}に許可しています。この許可にはアイデンティティベースのポリシーは不要ですが、アクセス許可の境界とセッションポリシーの制限は受けます",
                name(PolicyType::Resource)
            )
        }
        Some(Route::Both) if req.same_account() => format!(
            "{within}{}がアカウントにIAMポリシーでの制御を任せ、{}が許可しています。{rl}がアカウントを許可して初めてIAMポリシーが有効になります",
            name(PolicyType::Resource),
            name(PolicyType::Identity)
        ),
        Some(Route::Both) => format!(
            "{within}{}と{}の両方が許可しています。クロスアカウントのアクセスには両方の許可が必要です",
            name(PolicyType::Identity),
            name(PolicyType::Resource)
        ),
        Some(Route::ResourceOnly) | None => {
            format!("{within}{}が許可しています", name(PolicyType::Resource))
        }
    }
}

fn implicit_sentence(sc: &IamScenario, v: &Verdict) -> String {
    let req = &sc.request;
    let rl = resource_label(req);
    let mut reasons: Vec<String> = Vec::new();
    let f = decide::facts(req, &sc.policies);
    let s3_why = super::s3::deny_reason(&f.s3, req.resource.account.as_deref());
    for t in v.decisive.to_vec() {
        reasons.push(match t {
            PolicyType::Resource if s3_why.is_some() => s3_why.clone().unwrap_or_default(),
            PolicyType::Scp => {
                let level = match f.scp {
                    Some(Err(l)) => l,
                    _ => 0,
                };
                format!("SCP の階層 {}({})にこのリクエストを許可するステートメントがありません。SCPはすべての階層で許可が必要で、それ自体は権限を与えません", level + 1, level_name(level))
            }
            PolicyType::Rcp => {
                let level = match f.rcp {
                    Some(Err(l)) => l,
                    _ => 0,
                };
                format!("RCP の階層 {}({})にこのリクエストを許可するステートメントがありません", level + 1, level_name(level))
            }
            PolicyType::VpcEndpoint => "VPCエンドポイントポリシーがこのリクエストを許可していません".into(),
            PolicyType::Identity if !req.same_account() && req.principal.kind.is_iam_entity() => {
                "呼び出し元アカウントのアイデンティティベースのポリシーが許可していません。クロスアカウントのアクセスにはリソース側と呼び出し側の両方の許可が必要です".into()
            }
            PolicyType::Identity if req.is_kms_key() || req.is_role_trust() => {
                format!("{rl}はアカウントを信頼していますが、アイデンティティベースのポリシーが許可していません")
            }
            PolicyType::Identity => "アイデンティティベースのポリシーにこのリクエストを許可するステートメントがありません".into(),
            PolicyType::Resource if req.is_kms_key() => {
                "キーポリシーがこのプリンシパルもそのアカウントも許可していません。キーポリシーが許可しない限り、IAMポリシーだけではKMSキーを使えません".into()
            }
            PolicyType::Resource if req.is_role_trust() => "信頼ポリシーがこのプリンシパルを信頼していません。ロールを引き受けるには信頼ポリシーでの許可が必要です".into(),
            PolicyType::Resource if sc.policies.resource.is_none() => match req.principal.kind {
                k if k.is_iam_entity() => "リソースは別のアカウントにあり、リソースベースのポリシーがありません。クロスアカウントのアクセスにはリソース側の許可が必要です".into(),
                k => format!("{}に権限を与えられるのはリソースベースのポリシーだけですが、ありません", k.label()),
            },
            PolicyType::Resource => format!("{rl}にこのリクエストを許可するステートメントがありません"),
            PolicyType::PermissionsBoundary => "アクセス許可の境界がこの操作を許可していません。境界は上限を決めるだけで、境界の外の操作はできません".into(),
            PolicyType::Session if sc.policies.session.is_none() => {
                "GetFederationToken でセッションポリシーを渡していないため、フェデレーティッドユーザーのセッションには権限がありません".into()
            }
            PolicyType::Session => "セッションポリシーがこの操作を許可していません".into(),
        });
    }
    if reasons.is_empty() {
        return "このリクエストを許可するポリシーがないため、暗黙的に拒否されます".into();
    }
    if reasons.len() == 1 {
        return format!("{}。そのため暗黙的に拒否されます", reasons[0]);
    }
    let names: Vec<&str> = v
        .decisive
        .to_vec()
        .into_iter()
        .map(|t| match t {
            PolicyType::Resource => rl,
            t => t.label(),
        })
        .collect();
    let rule = if v.decisive.contains(PolicyType::Identity)
        && v.decisive.contains(PolicyType::Resource)
        && req.same_account()
    {
        "同じアカウント内では、アイデンティティベースのポリシーかリソースベースのポリシーのどちらかの許可が必要です".to_string()
    } else {
        format!(
            "許可されるには {} のすべてが許可している必要があり、1 つでも許可しなければ暗黙的に拒否されます",
            names.join("・")
        )
    };
    format!(
        "{} 層がこのリクエストを止めています。{}。{rule}",
        names.len(),
        reasons.join("。また、")
    )
}

fn level_name(level: usize) -> &'static str {
    if level == 0 {
        "組織のルート"
    } else {
        "OUまたはアカウント"
    }
}
