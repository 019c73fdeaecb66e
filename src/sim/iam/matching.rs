//! Whether one statement applies to a request: Principal / NotPrincipal, Action / NotAction,
//! Resource / NotResource and every Condition. The same functions serve the fast decision and
//! the explained trace, so the two cannot disagree.

use super::{Principal, PrincipalKind, Request};
use crate::sim::policy::{PatternList, PrincipalId, PrincipalSpec, Statement};

/// How a statement's Principal element named the requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    /// Through the account (`123456789012` or `arn:aws:iam::123456789012:root`): the account's
    /// own IAM policies must still allow IAM users and roles.
    Account,
    /// Through the role ARN of a role session or the IAM user of a federated-user session:
    /// limited by the permissions boundary and the session policy.
    Limited,
    /// The requester itself (user ARN, session ARN, `*`, a service, a provider): not limited
    /// by implicit denies in identity policies, boundaries or session policies (same account).
    Direct,
}

/// Everything a statement needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct Situation {
    /// The principal has a permissions boundary (NotPrincipal with Deny then always applies).
    pub has_boundary: bool,
}

/// The statement applies to the request; `Some` tells how the principal matched (always
/// [`Grant::Direct`] for statements without a Principal element).
pub fn statement_applies(stmt: &Statement, req: &Request, sit: Situation) -> Option<Grant> {
    if stmt.disabled {
        return None;
    }
    let grant = principal_grant(stmt, &req.principal, sit)?;
    (action_matches(&stmt.action, req)
        && resource_matches(stmt.resource.as_ref(), req)
        && stmt.conditions.iter().all(|c| c.holds(&req.context)))
    .then_some(grant)
}

/// How the principal element names the requester; `None` when it does not.
pub fn principal_grant(stmt: &Statement, p: &Principal, sit: Situation) -> Option<Grant> {
    let Some(spec) = &stmt.principal else {
        return Some(Grant::Direct);
    };
    if spec.negated {
        // AWS: "The NotPrincipal element with a Deny effect will always deny any IAM principal
        // that has a permissions boundary policy attached" (Permissions boundaries page).
        if stmt.effect == crate::sim::policy::Effect::Deny
            && sit.has_boundary
            && p.kind.is_iam_entity()
        {
            return Some(Grant::Direct);
        }
        return (!excluded_by(spec, p)).then_some(Grant::Direct);
    }
    spec.ids.iter().filter_map(|id| grant_for(id, p)).max()
}

/// NotPrincipal excludes a requester only when every identity AWS checks for it — the account,
/// the role, the session or user — is listed.
fn excluded_by(spec: &PrincipalSpec, p: &Principal) -> bool {
    if spec.ids.contains(&PrincipalId::Everyone) {
        return true;
    }
    let chain = identity_chain(p);
    !chain.is_empty()
        && chain
            .iter()
            .all(|id| spec.ids.iter().any(|listed| same_id(listed, id)))
}

fn same_id(listed: &PrincipalId, id: &PrincipalId) -> bool {
    match (listed, id) {
        (PrincipalId::Service(a), PrincipalId::Service(b)) => a.eq_ignore_ascii_case(b),
        _ => listed == id,
    }
}

/// The identities a request is made as, outermost first.
pub fn identity_chain(p: &Principal) -> Vec<PrincipalId> {
    let account = p.account.clone().map(PrincipalId::Account);
    let arn = p.arn.clone().map(PrincipalId::Arn);
    match p.kind {
        PrincipalKind::IamUser
        | PrincipalKind::SessionTokenSession
        | PrincipalKind::FederatedUserSession => account.into_iter().chain(arn).collect(),
        PrincipalKind::AssumedRoleSession => account
            .into_iter()
            .chain(p.role_arn.clone().map(PrincipalId::Arn))
            .chain(arn)
            .collect(),
        PrincipalKind::Root => account.into_iter().collect(),
        PrincipalKind::Service => p
            .service
            .clone()
            .map(PrincipalId::Service)
            .into_iter()
            .collect(),
        PrincipalKind::Federated => p
            .provider
            .clone()
            .map(PrincipalId::Federated)
            .into_iter()
            .collect(),
        PrincipalKind::Anonymous => Vec::new(),
    }
}

fn grant_for(id: &PrincipalId, p: &Principal) -> Option<Grant> {
    let same = |a: &Option<String>, b: &str| a.as_deref() == Some(b);
    match id {
        PrincipalId::Everyone => Some(Grant::Direct),
        // An account principal stands for the account's IAM identities and its root user; it
        // never names a service, an external IdP's user or an anonymous caller, whatever
        // account the scenario gives them (Principal element page, "AWS account principals").
        PrincipalId::Account(a)
            if same(&p.account, a) && (p.kind.is_iam_entity() || p.kind == PrincipalKind::Root) =>
        {
            Some(if p.kind == PrincipalKind::Root {
                Grant::Direct
            } else {
                Grant::Account
            })
        }
        PrincipalId::Arn(arn) => match p.kind {
            PrincipalKind::IamUser | PrincipalKind::SessionTokenSession if same(&p.arn, arn) => {
                Some(Grant::Direct)
            }
            PrincipalKind::AssumedRoleSession if same(&p.arn, arn) => Some(Grant::Direct),
            PrincipalKind::AssumedRoleSession if same(&p.role_arn, arn) => Some(Grant::Limited),
            PrincipalKind::FederatedUserSession if same(&p.arn, arn) => Some(Grant::Direct),
            PrincipalKind::FederatedUserSession if same(&p.federating_user_arn, arn) => {
                Some(Grant::Limited)
            }
            PrincipalKind::Root if same(&p.arn, arn) => Some(Grant::Direct),
            _ => None,
        },
        PrincipalId::Service(s) if p.kind == PrincipalKind::Service => p
            .service
            .as_deref()
            .is_some_and(|x| x.eq_ignore_ascii_case(s))
            .then_some(Grant::Direct),
        PrincipalId::Federated(f) if p.kind == PrincipalKind::Federated => {
            same(&p.provider, f).then_some(Grant::Direct)
        }
        PrincipalId::CanonicalUser(c) => same(&p.canonical_user, c).then_some(Grant::Direct),
        _ => None,
    }
}

/// Action / NotAction against the request's action (case-insensitive).
pub fn action_matches(list: &PatternList, req: &Request) -> bool {
    let any = list
        .patterns
        .iter()
        .any(|p| p.matches(&req.action_lower, &req.context) == Some(true));
    any != list.negated
}

/// Resource / NotResource against the request's resource (case-sensitive). A pattern whose
/// variable has no value matches no resource. No element: the resource the policy is on.
pub fn resource_matches(list: Option<&PatternList>, req: &Request) -> bool {
    let Some(list) = list else { return true };
    let any = list
        .patterns
        .iter()
        .any(|p| p.matches(&req.resource.arn, &req.context) == Some(true));
    any != list.negated
}
