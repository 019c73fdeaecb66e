//! Context keys AWS derives from facts — who the principal is, whose the resource is, where each
//! account sits in the organization — rather than keys a scenario types by hand. A scenario
//! states the facts; these keys follow from them ("AWS global condition context keys" and the
//! `aws:userid` table of "IAM policy elements: Variables and tags").

use std::collections::BTreeMap;

use super::{Principal, PrincipalKind, Resource};
use crate::sim::arn::Arn;

/// An AWS Organizations organization: its ids and the OU path of each member account.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Organization {
    /// The organization id, `o-…`.
    pub id: String,
    /// The root id, `r-…`.
    pub root: String,
    /// The management account, when stated.
    pub management_account: Option<String>,
    /// Member accounts and the OUs above each, from the root down (empty: directly under the root).
    pub accounts: BTreeMap<String, Vec<String>>,
}

impl Organization {
    /// The account's Organizations entity path as the `…OrgPaths` keys carry it:
    /// `o-…/r-…/ou-…/…/` (the account itself is not part of it).
    pub fn path(&self, account: &str) -> Option<String> {
        let ous = self.accounts.get(account)?;
        let mut path = format!("{}/{}/", self.id, self.root);
        for ou in ous {
            path.push_str(ou);
            path.push('/');
        }
        Some(path)
    }

    /// The account is a member.
    pub fn has(&self, account: &str) -> bool {
        self.accounts.contains_key(account)
    }
}

/// One derived key and its values.
pub type Fact = (&'static str, Vec<String>);

/// Every context key that follows from the principal, the resource and the organization.
pub fn derived_keys(
    principal: &Principal,
    resource: &Resource,
    org: Option<&Organization>,
) -> Vec<Fact> {
    let p = principal;
    let mut out: Vec<Fact> = Vec::new();
    let mut one = |key: &'static str, value: String| out.push((key, vec![value]));
    let principal_arn = match p.kind {
        PrincipalKind::AssumedRoleSession => p.role_arn.clone(),
        PrincipalKind::Root => p
            .arn
            .clone()
            .or_else(|| p.account.as_ref().map(|a| format!("arn:aws:iam::{a}:root"))),
        PrincipalKind::IamUser
        | PrincipalKind::SessionTokenSession
        | PrincipalKind::FederatedUserSession => p.arn.clone(),
        _ => None,
    };
    if let Some(arn) = principal_arn {
        one("aws:PrincipalArn", arn);
    }
    let aws_account = (p.kind.is_iam_entity() || p.kind == PrincipalKind::Root)
        .then_some(p.account.as_deref())
        .flatten();
    if let Some(account) = aws_account {
        one("aws:PrincipalAccount", account.to_string());
    }
    let principal_type = match p.kind {
        PrincipalKind::IamUser | PrincipalKind::SessionTokenSession => Some("User"),
        PrincipalKind::AssumedRoleSession => Some("AssumedRole"),
        PrincipalKind::FederatedUserSession => Some("FederatedUser"),
        PrincipalKind::Root => Some("Account"),
        PrincipalKind::Anonymous => Some("Anonymous"),
        _ => None,
    };
    if let Some(t) = principal_type {
        one("aws:PrincipalType", t.into());
    }
    if p.kind.is_user()
        && let Some(name) = p.arn.as_deref().and_then(|a| a.rsplit('/').next())
    {
        one("aws:username", name.into());
    }
    if let Some(id) = userid(p) {
        one("aws:userid", id);
    }
    one(
        "aws:PrincipalIsAWSService",
        (p.kind == PrincipalKind::Service).to_string(),
    );
    if let (PrincipalKind::Service, Some(service)) = (p.kind, &p.service) {
        one("aws:PrincipalServiceName", service.clone());
    }
    let resource_account = (resource.arn != "*")
        .then_some(resource.account.as_deref())
        .flatten();
    if let Some(account) = resource_account {
        one("aws:ResourceAccount", account.to_string());
    }
    if let Some(org) = org {
        if let Some(account) = aws_account.filter(|a| org.has(a)) {
            one("aws:PrincipalOrgID", org.id.clone());
            out.push((
                "aws:PrincipalOrgPaths",
                org.path(account).into_iter().collect(),
            ));
        }
        if let Some(account) = resource_account.filter(|a| org.has(a)) {
            out.push(("aws:ResourceOrgID", vec![org.id.clone()]));
            out.push((
                "aws:ResourceOrgPaths",
                org.path(account).into_iter().collect(),
            ));
        }
    }
    out
}

/// `aws:userid` by principal type: the account id for the root user, the unique id for an IAM
/// user, `role-id:session-name` for a role session, `account:name` for a federated user,
/// `anonymous` for an unauthenticated caller. Service principals and external identities
/// calling AssumeRoleWith… carry none.
fn userid(p: &Principal) -> Option<String> {
    let last = |arn: &str| arn.rsplit('/').next().map(str::to_string);
    match p.kind {
        PrincipalKind::Root => p.account.clone(),
        PrincipalKind::IamUser | PrincipalKind::SessionTokenSession => p
            .unique_id
            .clone()
            .or_else(|| p.arn.as_deref().map(|a| placeholder_id("AIDA", a))),
        PrincipalKind::AssumedRoleSession => {
            let role = p
                .unique_id
                .clone()
                .or_else(|| p.role_arn.as_deref().map(|a| placeholder_id("AROA", a)))?;
            let session = p.arn.as_deref().and_then(last)?;
            Some(format!("{role}:{session}"))
        }
        PrincipalKind::FederatedUserSession => {
            let name = p
                .arn
                .as_deref()
                .and_then(|a| Arn::parse(a).map(|arn| arn.resource.to_string()))
                .and_then(|r| r.strip_prefix("federated-user/").map(str::to_string))?;
            Some(format!("{}:{name}", p.account.as_deref()?))
        }
        PrincipalKind::Anonymous => Some("anonymous".into()),
        PrincipalKind::Service | PrincipalKind::Federated => None,
    }
}

/// A stand-in unique id for a scenario that does not state one: the prefix AWS uses for the
/// entity (`AIDA` users, `AROA` roles) and 17 characters that depend only on the ARN, so it is
/// stable across runs yet never equal to an id a policy names.
pub fn placeholder_id(prefix: &str, arn: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    // FNV-1a, 64 bits, twice (the second over the first's output) for 17 base-32 digits.
    let fnv = |seed: u64, bytes: &[u8]| {
        bytes.iter().fold(seed, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let a = fnv(0xcbf2_9ce4_8422_2325, arn.as_bytes());
    let b = fnv(a, &a.to_le_bytes());
    let bits = (u128::from(a) << 64) | u128::from(b);
    let mut out = String::with_capacity(prefix.len() + 17);
    out.push_str(prefix);
    for i in 0..17 {
        out.push(ALPHABET[((bits >> (i * 5)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(kind: PrincipalKind, arn: &str) -> Principal {
        Principal {
            kind,
            arn: Some(arn.into()),
            account: Arn::parse(arn).map(|a| a.account.to_string()),
            role_arn: None,
            federating_user_arn: None,
            service: None,
            provider: None,
            canonical_user: None,
            unique_id: None,
            is_service_linked_role: false,
            account_is_org_management: false,
        }
    }

    #[test]
    fn userid_follows_the_principal_type() {
        let root = principal(PrincipalKind::Root, "arn:aws:iam::111122223333:root");
        assert_eq!(userid(&root).as_deref(), Some("111122223333"));
        let mut user = principal(
            PrincipalKind::IamUser,
            "arn:aws:iam::111122223333:user/alice",
        );
        user.unique_id = Some("AIDAJQABLZS4A3QDU576Q".into());
        assert_eq!(userid(&user).as_deref(), Some("AIDAJQABLZS4A3QDU576Q"));
        let mut session = principal(
            PrincipalKind::AssumedRoleSession,
            "arn:aws:sts::111122223333:assumed-role/Dev/alice",
        );
        session.role_arn = Some("arn:aws:iam::111122223333:role/Dev".into());
        session.unique_id = Some("AROADBQP57FF2AEXAMPLE".into());
        assert_eq!(
            userid(&session).as_deref(),
            Some("AROADBQP57FF2AEXAMPLE:alice")
        );
        let fed = principal(
            PrincipalKind::FederatedUserSession,
            "arn:aws:sts::111122223333:federated-user/bob",
        );
        assert_eq!(userid(&fed).as_deref(), Some("111122223333:bob"));
        let anon = Principal {
            arn: None,
            account: None,
            ..principal(PrincipalKind::Anonymous, "x")
        };
        assert_eq!(userid(&anon).as_deref(), Some("anonymous"));
    }

    #[test]
    fn placeholder_ids_are_stable_distinct_and_shaped_like_aws_ids() {
        let a = placeholder_id("AIDA", "arn:aws:iam::111122223333:user/alice");
        assert_eq!(
            a,
            placeholder_id("AIDA", "arn:aws:iam::111122223333:user/alice")
        );
        assert_ne!(
            a,
            placeholder_id("AIDA", "arn:aws:iam::111122223333:user/bob")
        );
        assert_eq!(a.len(), 21);
        assert!(a.starts_with("AIDA") && a.bytes().all(|b| b.is_ascii_alphanumeric()));
    }

    #[test]
    fn org_paths_run_from_the_organization_to_the_accounts_ou() {
        let org = Organization {
            id: "o-a1b2c3d4e5".into(),
            root: "r-ab12".into(),
            management_account: None,
            accounts: BTreeMap::from([
                (
                    "111122223333".into(),
                    vec!["ou-ab12-11111111".into(), "ou-ab12-22222222".into()],
                ),
                ("444455556666".into(), vec![]),
            ]),
        };
        assert_eq!(
            org.path("111122223333").as_deref(),
            Some("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/")
        );
        assert_eq!(
            org.path("444455556666").as_deref(),
            Some("o-a1b2c3d4e5/r-ab12/")
        );
        assert_eq!(org.path("999999999999"), None);
    }
}
