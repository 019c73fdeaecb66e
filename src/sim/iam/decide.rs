//! The decision: which policies apply (SCP and RCP exemptions, policy types that only exist for
//! IAM users and sessions), what each says, and the one `match` that combines them the way
//! AWS's enforcement code does.

use super::matching::{Grant, Situation, statement_applies};
use super::rules::{ActionRule, RuleEffect};
use super::{Decision, IamScenario, Policies, PrincipalKind, RCP_SERVICES, Request};
use crate::sim::policy::{Effect, Policy, PolicyType};

/// Why a policy type does not take part in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplicable {
    /// Identity policies and boundaries belong to IAM users and roles only.
    NotIamEntity,
    /// Session policies exist for role and federated-user sessions only.
    NotSession,
    /// SCPs do not apply to the management account's principals.
    ManagementAccount,
    /// SCPs and RCPs do not restrict service-linked roles.
    ServiceLinkedRole,
    /// SCPs restrict principals of member accounts (users, roles, root), not services or
    /// anonymous callers.
    NotAccountPrincipal,
    /// RCPs do not apply to resources of the management account.
    ResourceInManagementAccount,
    /// RCPs apply to a list of services only.
    ServiceNotCovered,
    /// RCPs do not apply to AWS managed KMS keys.
    AwsManagedKey,
    /// A documented per-action rule decides without this policy.
    Rule(ActionRule),
}

impl NotApplicable {
    /// The Japanese reason.
    pub fn reason(self, req: &Request) -> String {
        match self {
            Self::NotIamEntity => format!(
                "{}には適用されません(IAMユーザーとロールのためのポリシーです)",
                req.principal.kind.label()
            ),
            Self::NotSession => format!(
                "セッションではない{}には適用されません",
                req.principal.kind.label()
            ),
            Self::ManagementAccount => {
                "組織の管理アカウントのプリンシパルにはSCPが適用されません".into()
            }
            Self::ServiceLinkedRole => {
                "サービスにリンクされたロールはSCP・RCPの制限を受けません".into()
            }
            Self::NotAccountPrincipal => format!(
                "SCPはメンバーアカウントのプリンシパルを制限するもので、{}には適用されません",
                req.principal.kind.label()
            ),
            Self::ResourceInManagementAccount => {
                "RCPは管理アカウントのリソースには適用されません".into()
            }
            Self::AwsManagedKey => {
                "RCPはAWSマネージドキー(AWSのサービスが代わりに作るKMSキー)には適用されません"
                    .into()
            }
            Self::Rule(ActionRule::BucketOwnerRootKeepsPolicyAccess) => {
                "バケット所有者のアカウントのルートユーザーによるバケットポリシーの操作は、バケットポリシーでは止められません".into()
            }
            Self::Rule(_) => "このアクションには権限が要らないため、ポリシーは評価されません".into(),
            Self::ServiceNotCovered => format!(
                "RCPは {} のアクションには適用されません(RCP対応サービスではありません)",
                req.service()
            ),
        }
    }
}

/// Whether policies of `ptype` take part in the request.
pub fn applicability(ptype: PolicyType, req: &Request) -> Result<(), NotApplicable> {
    let p = &req.principal;
    if let Some(rule) = req.rule {
        match rule.effect() {
            RuleEffect::Allow => return Err(NotApplicable::Rule(rule)),
            RuleEffect::SkipResourcePolicy if ptype == PolicyType::Resource => {
                return Err(NotApplicable::Rule(rule));
            }
            _ => {}
        }
    }
    match ptype {
        PolicyType::Identity | PolicyType::PermissionsBoundary if !p.kind.is_iam_entity() => {
            Err(NotApplicable::NotIamEntity)
        }
        PolicyType::Session if !p.kind.is_session() => Err(NotApplicable::NotSession),
        PolicyType::Scp if !(p.kind.is_iam_entity() || p.kind == PrincipalKind::Root) => {
            Err(NotApplicable::NotAccountPrincipal)
        }
        PolicyType::Scp if p.account_is_org_management => Err(NotApplicable::ManagementAccount),
        PolicyType::Scp | PolicyType::Rcp if p.is_service_linked_role => {
            Err(NotApplicable::ServiceLinkedRole)
        }
        PolicyType::Rcp if req.resource.account_is_org_management => {
            Err(NotApplicable::ResourceInManagementAccount)
        }
        PolicyType::Rcp if req.resource.is_aws_managed_key => Err(NotApplicable::AwsManagedKey),
        PolicyType::Rcp if !RCP_SERVICES.contains(&req.service()) => {
            Err(NotApplicable::ServiceNotCovered)
        }
        _ => Ok(()),
    }
}

/// What the applicable policies say, summarized.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Policy types with an applicable Deny statement.
    pub denied: TypeSet,
    /// Some identity-based policy allows.
    pub identity_allow: bool,
    /// The permissions boundary allows (`None`: no boundary applies).
    pub boundary: Option<bool>,
    /// The session policy allows (`None`: nothing to check; a federated-user session without a
    /// session policy is `Some(false)`).
    pub session: Option<bool>,
    /// The resource-based policy: `None` absent, `Some(None)` present without an applicable
    /// Allow, else how its best Allow named the principal.
    pub resource: Option<Option<Grant>>,
    /// SCPs: `None` not applicable, `Some(Err(level))` the first level without an Allow.
    pub scp: Option<Result<(), usize>>,
    /// RCPs, likewise.
    pub rcp: Option<Result<(), usize>>,
    /// The VPC endpoint policy allows (`None`: no endpoint).
    pub vpce: Option<bool>,
    /// What the `[s3]` settings did (ACL grants, RestrictPublicBuckets).
    pub s3: super::s3::S3Facts,
}

/// A small set of policy types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeSet(u8);

impl TypeSet {
    /// The empty set.
    pub const EMPTY: TypeSet = TypeSet(0);

    fn bit(t: PolicyType) -> u8 {
        1 << PolicyType::ALL.iter().position(|x| *x == t).unwrap_or(0)
    }

    /// A set of one.
    pub fn of(t: PolicyType) -> Self {
        Self(Self::bit(t))
    }

    /// Adds a type.
    pub fn insert(&mut self, t: PolicyType) {
        self.0 |= Self::bit(t);
    }

    /// Whether the set holds `t`.
    pub fn contains(self, t: PolicyType) -> bool {
        self.0 & Self::bit(t) != 0
    }

    /// Union.
    pub fn with(self, other: TypeSet) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// The types in canonical order.
    pub fn to_vec(self) -> Vec<PolicyType> {
        PolicyType::ALL
            .into_iter()
            .filter(|t| self.contains(*t))
            .collect()
    }
}

/// How an Allow was reached, for the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The root user of the resource's account: full access unless denied.
    RootUser,
    /// Identity-based policies (same account, no resource policy needed).
    Identity,
    /// The resource-based policy named the requester directly.
    ResourceDirect,
    /// The resource-based policy named the role (or federating user): boundary and session
    /// policy still limit it.
    ResourceLimited,
    /// Both sides allowed: cross-account, or a key / trust policy that trusts the account.
    Both,
    /// The resource-based policy alone (services, anonymous and external-IdP callers, root of
    /// another account).
    ResourceOnly,
}

/// The result of combining the facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The decision.
    pub decision: Decision,
    /// The policy types that granted (Allow) or blocked (denies).
    pub decisive: TypeSet,
    /// How an Allow was reached.
    pub route: Option<Route>,
    /// The documented per-action rule that decided, if any.
    pub rule: Option<ActionRule>,
}

/// Decides a scenario without building a trace (the fast path).
pub fn decide(sc: &IamScenario) -> Verdict {
    let main = decide_one(&sc.request, &sc.policies);
    if sc.implied.is_empty() {
        return main;
    }
    worst(
        main,
        sc.implied
            .iter()
            .map(|i| decide_one(&i.request, i.policies.as_ref().unwrap_or(&sc.policies))),
    )
    .1
}

/// Decides one request against its policies.
pub fn decide_one(req: &Request, policies: &Policies) -> Verdict {
    if let Some(v) = by_rule(req) {
        return v;
    }
    combine(&facts(req, policies), req)
}

/// The request and its implied authorizations together: an explicit deny in any of them
/// decides, then any that is not allowed; the index says which (0 = the request itself, `i`
/// = implied authorization `i - 1`).
pub fn worst(main: Verdict, implied: impl Iterator<Item = Verdict>) -> (usize, Verdict) {
    let rank = |d: Decision| match d {
        Decision::ExplicitDeny => 2,
        Decision::ImplicitDeny => 1,
        Decision::Allow => 0,
    };
    let mut best = (0, main);
    for (i, v) in implied.enumerate() {
        if rank(v.decision) > rank(best.1.decision) {
            best = (i + 1, v);
        }
    }
    best
}

/// The verdict of a rule that decides without the policies (`None`: the policies decide,
/// perhaps with some of them set aside by the rule).
pub fn by_rule(req: &Request) -> Option<Verdict> {
    let rule = req.rule?;
    let decision = match rule.effect() {
        RuleEffect::Allow => Decision::Allow,
        RuleEffect::Refuse => Decision::ImplicitDeny,
        RuleEffect::SkipResourcePolicy => return None,
    };
    Some(Verdict {
        decision,
        decisive: TypeSet::EMPTY,
        route: None,
        rule: Some(rule),
    })
}

/// Scans one policy: whether an applicable Deny exists, and the best applicable Allow.
pub fn scan(policy: &Policy, req: &Request, sit: Situation) -> (bool, Option<Grant>) {
    let mut deny = false;
    let mut allow: Option<Grant> = None;
    for stmt in &policy.statements {
        if let Some(grant) = statement_applies(stmt, req, sit) {
            match stmt.effect {
                Effect::Deny => deny = true,
                Effect::Allow => allow = allow.max(Some(grant)),
            }
        }
    }
    (deny, allow)
}

/// Gathers the facts of every applicable policy.
pub fn facts(req: &Request, policies: &Policies) -> Facts {
    let sit = Situation {
        has_boundary: policies.permissions_boundary.is_some() && req.principal.kind.is_iam_entity(),
    };
    let mut f = Facts::default();
    let on = |t| applicability(t, req).is_ok();
    if on(PolicyType::Identity) {
        for p in &policies.identity {
            let (deny, allow) = scan(p, req, sit);
            if deny {
                f.denied.insert(PolicyType::Identity);
            }
            f.identity_allow |= allow.is_some();
        }
    }
    let single = |t: PolicyType, p: &Option<Policy>, f: &mut Facts| -> Option<Option<Grant>> {
        let p = p.as_ref()?;
        if !on(t) {
            return None;
        }
        let (deny, allow) = scan(p, req, sit);
        if deny {
            f.denied.insert(t);
        }
        Some(allow)
    };
    let mut resource = single(PolicyType::Resource, &policies.resource, &mut f);
    if let Some(s3) = req.s3.as_deref() {
        let bucket_policy = policies
            .resource
            .as_ref()
            .filter(|_| on(PolicyType::Resource));
        f.s3 = super::s3::adjust(req, s3, bucket_policy, &mut resource);
    }
    f.resource = resource;
    let boundary = single(
        PolicyType::PermissionsBoundary,
        &policies.permissions_boundary,
        &mut f,
    );
    f.boundary = boundary.map(|a| a.is_some());
    let session = single(PolicyType::Session, &policies.session, &mut f);
    f.session = session.map(|a| a.is_some());
    if f.session.is_none() && req.principal.kind == PrincipalKind::FederatedUserSession {
        // GetFederationToken without a session policy: the session has no permissions.
        f.session = Some(false);
    }
    let vpce = single(PolicyType::VpcEndpoint, &policies.vpc_endpoint, &mut f);
    f.vpce = vpce.map(|a| a.is_some());
    for (t, levels, slot) in [
        (PolicyType::Scp, &policies.scps, &mut f.scp),
        (PolicyType::Rcp, &policies.rcps, &mut f.rcp),
    ] {
        let Some(levels) = levels else { continue };
        if !on(t) {
            continue;
        }
        let mut result = Ok(());
        for (level, docs) in levels.iter().enumerate() {
            let mut allowed = false;
            for p in docs {
                let (deny, allow) = scan(p, req, sit);
                if deny {
                    f.denied.insert(t);
                }
                allowed |= allow.is_some();
            }
            if !allowed && result.is_ok() {
                result = Err(level);
            }
        }
        *slot = Some(result);
    }
    f
}

/// Combines the facts into a decision: every arm is one rule of AWS's evaluation logic.
pub fn combine(f: &Facts, req: &Request) -> Verdict {
    use PolicyType as T;
    // Any applicable explicit Deny, in any policy type, decides.
    if !f.denied.is_empty() {
        return Verdict {
            decision: Decision::ExplicitDeny,
            decisive: f.denied,
            route: None,
            rule: None,
        };
    }
    // RCPs, SCPs and the VPC endpoint policy grant nothing but must each allow.
    let mut common = TypeSet::EMPTY;
    if matches!(f.rcp, Some(Err(_))) {
        common.insert(T::Rcp);
    }
    if matches!(f.scp, Some(Err(_))) {
        common.insert(T::Scp);
    }
    if f.vpce == Some(false) {
        common.insert(T::VpcEndpoint);
    }
    let res = TypeSet::of(T::Resource);
    let id = TypeSet::of(T::Identity);
    let mut limits = TypeSet::EMPTY;
    if f.boundary == Some(false) {
        limits.insert(T::PermissionsBoundary);
    }
    if f.session == Some(false) {
        limits.insert(T::Session);
    }
    let id_fails = if f.identity_allow {
        limits
    } else {
        limits.with(id)
    };
    let same = req.same_account();
    // Role trust policies and KMS key policies must allow even within one account.
    let strict = req.is_kms_key() || req.is_role_trust();
    let resource_only = |paths: &mut Vec<(Route, TypeSet, TypeSet)>| match f.resource {
        Some(Some(_)) => paths.push((Route::ResourceOnly, res, TypeSet::EMPTY)),
        _ => paths.push((Route::ResourceOnly, res, res)),
    };
    // Each path to Allow: (route, the types that grant on it, the types failing on it).
    let mut paths: Vec<(Route, TypeSet, TypeSet)> = Vec::with_capacity(2);
    match req.principal.kind {
        // The root user has full access to its own account's resources unless denied.
        PrincipalKind::Root if same && !strict => {
            paths.push((Route::RootUser, TypeSet::EMPTY, TypeSet::EMPTY))
        }
        PrincipalKind::Root
        | PrincipalKind::Service
        | PrincipalKind::Anonymous
        | PrincipalKind::Federated => resource_only(&mut paths),
        _ if same && !strict => {
            // Same account: an Allow in the identity side or in the resource policy suffices.
            paths.push((Route::Identity, id, id_fails));
            match f.resource {
                Some(Some(Grant::Direct)) => {
                    paths.push((Route::ResourceDirect, res, TypeSet::EMPTY))
                }
                Some(Some(Grant::Limited)) => paths.push((Route::ResourceLimited, res, limits)),
                // A resource policy without an Allow is a missing alternative only when the
                // identity side does not allow either; when the identity side allows, what
                // blocks is the boundary or session policy that limits it.
                Some(None) if !f.identity_allow => paths.push((Route::ResourceDirect, res, res)),
                // Naming the account delegates to its IAM policies: the identity path decides.
                Some(Some(Grant::Account)) | Some(None) | None => {}
            }
        }
        _ if same => match f.resource {
            Some(Some(Grant::Direct)) => paths.push((Route::ResourceDirect, res, TypeSet::EMPTY)),
            Some(Some(Grant::Limited)) => paths.push((Route::ResourceLimited, res, limits)),
            // The key / trust policy trusts the account: its IAM policies decide.
            Some(Some(Grant::Account)) => paths.push((Route::Both, res.with(id), id_fails)),
            _ => paths.push((Route::ResourceDirect, res, res)),
        },
        // Cross-account: both the trusting resource policy and the trusted identity side.
        _ => match f.resource {
            Some(Some(_)) => paths.push((Route::Both, res.with(id), id_fails)),
            _ => paths.push((Route::Both, res.with(id), res.with(id_fails))),
        },
    }
    let satisfied: Vec<&(Route, TypeSet, TypeSet)> = paths
        .iter()
        .filter(|(_, _, fails)| fails.with(common).is_empty())
        .collect();
    if let Some(first) = satisfied.first() {
        let grants = satisfied
            .iter()
            .fold(TypeSet::EMPTY, |acc, (_, g, _)| acc.with(*g));
        return Verdict {
            decision: Decision::Allow,
            decisive: grants,
            route: Some(first.0),
            rule: req.rule,
        };
    }
    // No path is open: the blockers of the nearest path(s) decided.
    let min = paths
        .iter()
        .map(|(_, _, fails)| fails.with(common).len())
        .min()
        .unwrap_or(0);
    let decisive = paths
        .iter()
        .filter(|(_, _, fails)| fails.with(common).len() == min)
        .fold(TypeSet::EMPTY, |acc, (_, _, fails)| {
            acc.with(fails.with(common))
        });
    Verdict {
        decision: Decision::ImplicitDeny,
        decisive,
        route: None,
        rule: None,
    }
}
