//! IAM authorization: the request (principal, action, resource, context), the policies that
//! exist for it, and the decision AWS's enforcement code reaches — explicit deny anywhere wins,
//! then RCPs and SCPs must allow at every level, then resource-based and identity-based
//! policies, permissions boundaries and session policies as "Policy evaluation logic" and
//! "Cross-account policy evaluation logic" describe. [`decide`] is the fast path; [`explain`]
//! adds the per-statement trace and the Japanese reasons.

pub mod decide;
pub mod explain;
pub mod facts;
pub mod matching;
pub mod rules;
pub mod s3;

use std::fmt;

use crate::sim::arn::Arn;
use crate::sim::policy::condition::Context;
use crate::sim::policy::{Policy, PolicyType, Vars};
pub use facts::Organization;

/// Who makes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// An IAM user with long-term credentials.
    IamUser,
    /// A role session (AssumeRole, an EC2 instance profile, SAML or web identity federation).
    AssumedRoleSession,
    /// A GetFederationToken session of an IAM user.
    FederatedUserSession,
    /// A GetSessionToken session of an IAM user: the user's own permissions, its ARN, with or
    /// without MFA (`aws:MultiFactorAuthPresent`).
    SessionTokenSession,
    /// The account's root user.
    Root,
    /// An AWS service principal such as `ec2.amazonaws.com`.
    Service,
    /// An unauthenticated caller.
    Anonymous,
    /// A user of an external identity provider calling AssumeRoleWithWebIdentity / WithSAML
    /// (matched by a trust policy's `Federated` principal).
    Federated,
}

impl PrincipalKind {
    /// The `type` value in scenario files.
    pub const NAMES: [&'static str; 8] = [
        "iam-user",
        "assumed-role-session",
        "federated-user-session",
        "session-token-session",
        "root",
        "service",
        "anonymous",
        "federated",
    ];

    /// Reads a `type` value.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "iam-user" => Self::IamUser,
            "assumed-role-session" => Self::AssumedRoleSession,
            "federated-user-session" => Self::FederatedUserSession,
            "session-token-session" => Self::SessionTokenSession,
            "root" => Self::Root,
            "service" => Self::Service,
            "anonymous" => Self::Anonymous,
            "federated" => Self::Federated,
            _ => return None,
        })
    }

    /// The Japanese name.
    pub fn label(self) -> &'static str {
        match self {
            Self::IamUser => "IAMユーザー",
            Self::AssumedRoleSession => "ロールセッション",
            Self::FederatedUserSession => "フェデレーティッドユーザーのセッション",
            Self::SessionTokenSession => "GetSessionToken のセッション",
            Self::Root => "ルートユーザー",
            Self::Service => "AWSのサービス",
            Self::Anonymous => "匿名のユーザー",
            Self::Federated => "外部IdPのユーザー",
        }
    }

    /// IAM users and sessions: the principals identity-based policies and boundaries belong to.
    pub fn is_iam_entity(self) -> bool {
        matches!(
            self,
            Self::IamUser
                | Self::AssumedRoleSession
                | Self::FederatedUserSession
                | Self::SessionTokenSession
        )
    }

    /// An IAM user, a user's session or role session (their ARN is a user's for both
    /// IAM-user kinds).
    pub fn is_user(self) -> bool {
        matches!(self, Self::IamUser | Self::SessionTokenSession)
    }

    /// Role and federated-user sessions.
    pub fn is_session(self) -> bool {
        matches!(self, Self::AssumedRoleSession | Self::FederatedUserSession)
    }
}

/// The principal of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    /// What kind of principal.
    pub kind: PrincipalKind,
    /// Its ARN (the session ARN for sessions).
    pub arn: Option<String>,
    /// Its account.
    pub account: Option<String>,
    /// The role of a role session.
    pub role_arn: Option<String>,
    /// The IAM user who called GetFederationToken.
    pub federating_user_arn: Option<String>,
    /// The service name of a service principal.
    pub service: Option<String>,
    /// The identity provider of a `federated` principal.
    pub provider: Option<String>,
    /// An S3 canonical user id.
    pub canonical_user: Option<String>,
    /// The IAM user's or role's unique id (`AIDA…`, `AROA…`), for aws:userid.
    pub unique_id: Option<String>,
    /// A service-linked role's session (exempt from SCPs and RCPs).
    pub is_service_linked_role: bool,
    /// The principal belongs to the organization's management account (exempt from SCPs).
    pub account_is_org_management: bool,
}

/// The resource of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Its ARN (`*` for actions without a resource).
    pub arn: String,
    /// The account that owns it.
    pub account: Option<String>,
    /// The owner is the organization's management account (exempt from RCPs).
    pub account_is_org_management: bool,
    /// An AWS managed KMS key (`aws/…`, created by a service): exempt from RCPs.
    pub is_aws_managed_key: bool,
}

/// One context key and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextEntry {
    /// The key as written.
    pub key: String,
    /// The key, lower-case.
    pub key_lower: String,
    /// Its values (one for single-valued keys).
    pub values: Vec<String>,
    /// Derived from the principal rather than written in the scenario.
    pub derived: bool,
}

/// The request context: case-insensitive keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestContext {
    /// The keys.
    pub entries: Vec<ContextEntry>,
}

impl RequestContext {
    /// The entry of a key, any case.
    pub fn get(&self, key: &str) -> Option<&ContextEntry> {
        let lower = key.to_lowercase();
        self.entries.iter().find(|e| e.key_lower == lower)
    }

    /// Adds a key unless the scenario already gave it.
    pub fn derive(&mut self, key: &str, value: String) {
        self.derive_values(key, vec![value]);
    }

    /// Adds a multivalued key unless the scenario already gave it.
    pub fn derive_values(&mut self, key: &str, values: Vec<String>) {
        if self.get(key).is_none() {
            self.entries.push(ContextEntry {
                key: key.into(),
                key_lower: key.to_lowercase(),
                values,
                derived: true,
            });
        }
    }
}

impl Vars for RequestContext {
    fn var(&self, key: &str) -> Option<&str> {
        match self.entries.iter().find(|e| e.key_lower == key) {
            Some(e) if e.values.len() == 1 => Some(e.values[0].as_str()),
            _ => None,
        }
    }
}

impl Context for RequestContext {
    fn values(&self, key: &str) -> Option<&[String]> {
        self.entries
            .iter()
            .find(|e| e.key_lower == key)
            .map(|e| e.values.as_slice())
    }
}

/// A request to authorize.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Who.
    pub principal: Principal,
    /// The action as written (`s3:GetObject`).
    pub action: String,
    /// The action, lower-case.
    pub action_lower: String,
    /// On what.
    pub resource: Resource,
    /// The context, including the keys derived from the principal.
    pub context: RequestContext,
    /// The documented per-action rule that governs this request, if any.
    pub rule: Option<rules::ActionRule>,
    /// The S3 public-access settings (`[s3]`), for S3 requests that have them.
    pub s3: Option<Box<s3::S3Settings>>,
}

impl Request {
    /// Builds a request and derives the context keys that follow from its facts (see
    /// [`facts::derived_keys`]: aws:PrincipalArn — the role ARN for a role session —
    /// aws:PrincipalAccount, aws:PrincipalType, aws:username, aws:userid, aws:ResourceAccount and,
    /// with an organization, aws:PrincipalOrgID / …OrgPaths and aws:ResourceOrgID / …OrgPaths).
    /// A key the context already has is kept (the builder rejects one that contradicts a fact).
    pub fn new(
        principal: Principal,
        action: &str,
        resource: Resource,
        mut context: RequestContext,
        org: Option<&Organization>,
    ) -> Self {
        for (key, values) in facts::derived_keys(&principal, &resource, org) {
            context.derive_values(key, values);
        }
        let action_lower = action.to_lowercase();
        let mfa = context
            .get("aws:MultiFactorAuthPresent")
            .is_some_and(|e| e.values.iter().any(|v| v.eq_ignore_ascii_case("true")));
        let same_account =
            matches!((&principal.account, &resource.account), (Some(p), Some(r)) if p == r);
        let rule = rules::rule_for(principal.kind, &action_lower, mfa, same_account);
        Self {
            action_lower,
            action: action.into(),
            principal,
            resource,
            context,
            rule,
            s3: None,
        }
    }

    /// Attaches the `[s3]` settings; an S3 rule that rejects the call (Block Public Access,
    /// ACLs disabled) governs it unless a rule already refuses it.
    pub fn with_s3(mut self, settings: s3::S3Settings) -> Self {
        let refused = self
            .rule
            .is_some_and(|r| r.effect() == rules::RuleEffect::Refuse);
        if !refused
            && let Some(r) = settings.rule(&self.action_lower, self.resource.account.as_deref())
        {
            self.rule = Some(r);
        }
        self.s3 = Some(Box::new(settings));
        self
    }

    /// The action's service prefix, lower-case.
    pub fn service(&self) -> &str {
        self.action_lower.split(':').next().unwrap_or("")
    }

    /// The resource is a KMS key: its key policy must allow before IAM policies count.
    pub fn is_kms_key(&self) -> bool {
        Arn::parse(&self.resource.arn).is_some_and(|a| a.service == "kms")
    }

    /// The request assumes a role: the role's trust policy must allow the principal.
    pub fn is_role_trust(&self) -> bool {
        let a = self.action_lower.as_str();
        let assume = a.starts_with("sts:assumerole")
            || matches!(
                a,
                "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext"
            );
        assume && crate::sim::arn::is_role_arn(&self.resource.arn)
    }

    /// The principal and the resource belong to the same account.
    pub fn same_account(&self) -> bool {
        match (&self.principal.account, &self.resource.account) {
            (Some(p), Some(r)) => p == r,
            _ => false,
        }
    }
}

/// The policies that exist for a request; a type that is absent does not exist.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    /// Identity-based policies of the principal.
    pub identity: Vec<Policy>,
    /// The resource's resource-based policy (bucket, key or trust policy…).
    pub resource: Option<Policy>,
    /// The permissions boundary.
    pub permissions_boundary: Option<Policy>,
    /// The session policy.
    pub session: Option<Policy>,
    /// The VPC endpoint policy of the endpoint the request goes through.
    pub vpc_endpoint: Option<Policy>,
    /// SCPs per level of the principal's account, root first; `None` outside an organization.
    pub scps: Option<Vec<Vec<Policy>>>,
    /// RCPs per level of the resource's account, root first; `None` outside an organization.
    pub rcps: Option<Vec<Vec<Policy>>>,
}

/// Where a policy sits in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolicyRef {
    /// Its type.
    pub ptype: PolicyType,
    /// The organization level (SCPs and RCPs; 0 = root), else 0.
    pub level: usize,
    /// The position in its list (identity policies, the documents of a level), else 0.
    pub index: usize,
}

impl PolicyRef {
    /// Every policy present, in evaluation-report order.
    pub fn all(policies: &Policies) -> Vec<(PolicyRef, &Policy)> {
        let mut out = Vec::new();
        let one = |ptype| PolicyRef {
            ptype,
            level: 0,
            index: 0,
        };
        if let Some(levels) = &policies.scps {
            for (level, docs) in levels.iter().enumerate() {
                out.extend(docs.iter().enumerate().map(|(index, p)| {
                    (
                        PolicyRef {
                            ptype: PolicyType::Scp,
                            level,
                            index,
                        },
                        p,
                    )
                }));
            }
        }
        if let Some(levels) = &policies.rcps {
            for (level, docs) in levels.iter().enumerate() {
                out.extend(docs.iter().enumerate().map(|(index, p)| {
                    (
                        PolicyRef {
                            ptype: PolicyType::Rcp,
                            level,
                            index,
                        },
                        p,
                    )
                }));
            }
        }
        if let Some(p) = &policies.resource {
            out.push((one(PolicyType::Resource), p));
        }
        out.extend(policies.identity.iter().enumerate().map(|(index, p)| {
            (
                PolicyRef {
                    ptype: PolicyType::Identity,
                    level: 0,
                    index,
                },
                p,
            )
        }));
        if let Some(p) = &policies.permissions_boundary {
            out.push((one(PolicyType::PermissionsBoundary), p));
        }
        if let Some(p) = &policies.session {
            out.push((one(PolicyType::Session), p));
        }
        if let Some(p) = &policies.vpc_endpoint {
            out.push((one(PolicyType::VpcEndpoint), p));
        }
        out
    }

    /// The policy this refers to.
    pub fn get(self, policies: &Policies) -> Option<&Policy> {
        self.slot(policies)
    }

    /// The policy this refers to, mutably.
    pub fn get_mut(self, policies: &mut Policies) -> Option<&mut Policy> {
        match self.ptype {
            PolicyType::Identity => policies.identity.get_mut(self.index),
            PolicyType::Resource => policies.resource.as_mut(),
            PolicyType::PermissionsBoundary => policies.permissions_boundary.as_mut(),
            PolicyType::Session => policies.session.as_mut(),
            PolicyType::VpcEndpoint => policies.vpc_endpoint.as_mut(),
            PolicyType::Scp => policies
                .scps
                .as_mut()?
                .get_mut(self.level)?
                .get_mut(self.index),
            PolicyType::Rcp => policies
                .rcps
                .as_mut()?
                .get_mut(self.level)?
                .get_mut(self.index),
        }
    }

    fn slot(self, policies: &Policies) -> Option<&Policy> {
        match self.ptype {
            PolicyType::Identity => policies.identity.get(self.index),
            PolicyType::Resource => policies.resource.as_ref(),
            PolicyType::PermissionsBoundary => policies.permissions_boundary.as_ref(),
            PolicyType::Session => policies.session.as_ref(),
            PolicyType::VpcEndpoint => policies.vpc_endpoint.as_ref(),
            PolicyType::Scp => policies.scps.as_ref()?.get(self.level)?.get(self.index),
            PolicyType::Rcp => policies.rcps.as_ref()?.get(self.level)?.get(self.index),
        }
    }
}

impl fmt::Display for PolicyRef {
    /// The location as written in the scenario file: `identity[0]`, `scps[1][0]`, `resource`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ptype {
            PolicyType::Identity => write!(f, "identity[{}]", self.index),
            PolicyType::Scp => write!(f, "scps[{}][{}]", self.level, self.index),
            PolicyType::Rcp => write!(f, "rcps[{}][{}]", self.level, self.index),
            t => f.write_str(t.key()),
        }
    }
}

/// One statement of one policy of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatementRef {
    /// The policy.
    pub policy: PolicyRef,
    /// The statement's position in it.
    pub statement: usize,
}

/// Why a request needs an authorization besides its own action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpliedKind {
    /// AssumeRole with session tags also needs `sts:TagSession`.
    TagSession,
    /// AssumeRole with a source identity also needs `sts:SetSourceIdentity`.
    SetSourceIdentity,
    /// Passing a role to a service needs `iam:PassRole` on that role.
    PassRole,
}

impl ImpliedKind {
    /// Why, in Japanese.
    pub fn reason(self) -> &'static str {
        match self {
            Self::TagSession => {
                "セッションタグを渡す AssumeRole には sts:TagSession の許可も必要です"
            }
            Self::SetSourceIdentity => {
                "ソースアイデンティティを設定する AssumeRole には sts:SetSourceIdentity の許可も必要です"
            }
            Self::PassRole => {
                "ロールをサービスに渡すには、そのロールに対する iam:PassRole の許可が必要です"
            }
        }
    }
}

/// One more authorization the request needs: its own request, decided against the scenario's
/// policies (or, for PassRole, the principal's side only).
#[derive(Debug, Clone)]
pub struct Implied {
    /// Why it is needed.
    pub kind: ImpliedKind,
    /// The implied request (same principal).
    pub request: Request,
    /// The policies it meets when they differ from the scenario's (PassRole: no resource-based
    /// or VPC endpoint policy).
    pub policies: Option<Policies>,
}

/// An IAM scenario after validation: the request and its policies, compiled.
#[derive(Debug, Clone)]
pub struct IamScenario {
    /// The request.
    pub request: Request,
    /// The policies (shared: the decision table reuses them for every request-only combination).
    pub policies: std::sync::Arc<Policies>,
    /// The other authorizations the request needs (session tags, source identity, PassRole).
    pub implied: Vec<Implied>,
}

/// Allow, ExplicitDeny or ImplicitDeny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// A Deny statement applies.
    ExplicitDeny,
    /// Nothing that must allow did.
    ImplicitDeny,
}

impl Decision {
    /// As written in scenario files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::ExplicitDeny => "ExplicitDeny",
            Self::ImplicitDeny => "ImplicitDeny",
        }
    }

    /// Reads a decision name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "Allow" => Self::Allow,
            "ExplicitDeny" => Self::ExplicitDeny,
            "ImplicitDeny" => Self::ImplicitDeny,
            _ => return None,
        })
    }

    /// The Japanese name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Allow => "許可",
            Self::ExplicitDeny => "明示的な拒否",
            Self::ImplicitDeny => "暗黙的な拒否",
        }
    }
}

/// RCPs apply to these services only (AWS Organizations User Guide, "Resource control policies
/// (RCPs)", List of AWS services that support RCPs).
pub const RCP_SERVICES: &[&str] = &[
    "appstream",
    "dsql",
    "clouddirectory",
    "cloudfront",
    "cloudsearch",
    "logs",
    "networkmonitor",
    "cognito-identity",
    "cognito-idp",
    "comprehend",
    "comprehendmedical",
    "firehose",
    "dynamodb",
    "dax",
    "autoscaling",
    "ecr",
    "ecr-public",
    "gamelift",
    "inspector-scan",
    "kendra",
    "kinesisvideo",
    "memorydb",
    "aoss",
    "personalize",
    "polly",
    "s3",
    "swf",
    "sqs",
    "textract",
    "timestream-influxdb",
    "transcribe",
    "translate",
    "workspaces",
    "appconfig",
    "autoscaling-plans",
    "budgets",
    "servicediscovery",
    "cloudtrail-data",
    "codeartifact",
    "codebuild",
    "codecommit",
    "codepipeline",
    "compute-optimizer",
    "cost-optimization-hub",
    "events",
    "fms",
    "fis",
    "health",
    "rolesanywhere",
    "kms",
    "opensearch",
    "pricing",
    "pca-connector-ad",
    "resource-groups",
    "secretsmanager",
    "sts",
    "signin",
    "support",
    "transfer",
    "notifications",
    "wafv2",
    "xray",
];
