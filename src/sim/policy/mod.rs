//! AWS policy documents: the compiled form of the JSON grammar (Version, Id, Statement, Sid,
//! Effect, Principal / NotPrincipal, Action / NotAction, Resource / NotResource, Condition), the
//! policy types a request may meet, and the validation errors (a JSON path, a Japanese message,
//! a byte span). Parsing and validation live in [`validate`]; matching in [`pattern`] and
//! [`condition`].

pub mod condition;
pub mod pattern;
pub mod validate;

use std::fmt;
use std::ops::Range;

pub use condition::Condition;
pub use pattern::{Pattern, Vars};
pub use validate::{Kind, parse_policy, validate_policy};

/// Where a policy is attached, which decides the rules it is validated and evaluated by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyType {
    /// Identity-based policies of the principal (user, its groups, role).
    Identity,
    /// The resource's resource-based policy (bucket policy, KMS key policy, role trust policy…).
    Resource,
    /// Service control policies of the principal's account.
    Scp,
    /// Resource control policies of the resource's account.
    Rcp,
    /// The permissions boundary of the principal's user or role.
    PermissionsBoundary,
    /// The session policy passed when the session was created.
    Session,
    /// The policy of the VPC endpoint the request goes through.
    VpcEndpoint,
}

impl PolicyType {
    /// Every type, in the canonical order of `decisive`.
    pub const ALL: [PolicyType; 7] = [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::Scp,
        PolicyType::Rcp,
        PolicyType::PermissionsBoundary,
        PolicyType::Session,
        PolicyType::VpcEndpoint,
    ];

    /// The name used in `decisive` and in the JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Resource => "resource",
            Self::Scp => "scp",
            Self::Rcp => "rcp",
            Self::PermissionsBoundary => "permissions_boundary",
            Self::Session => "session",
            Self::VpcEndpoint => "vpc_endpoint",
        }
    }

    /// Reads a `decisive` name; `[policies]` spellings (`scps`, `rcps`) and `kms_key` are
    /// accepted too.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "identity" => Self::Identity,
            "resource" | "kms_key" | "trust" => Self::Resource,
            "scp" | "scps" => Self::Scp,
            "rcp" | "rcps" => Self::Rcp,
            "permissions_boundary" => Self::PermissionsBoundary,
            "session" => Self::Session,
            "vpc_endpoint" => Self::VpcEndpoint,
            _ => return None,
        })
    }

    /// The Japanese name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Identity => "アイデンティティベースのポリシー",
            Self::Resource => "リソースベースのポリシー",
            Self::Scp => "SCP",
            Self::Rcp => "RCP",
            Self::PermissionsBoundary => "アクセス許可の境界",
            Self::Session => "セッションポリシー",
            Self::VpcEndpoint => "VPCエンドポイントポリシー",
        }
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `2012-10-17`: policy variables are substituted.
    V2012_10_17,
    /// `2008-10-17`, or no Version element: `${…}` is plain text.
    V2008_10_17,
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// `"Effect": "Allow"`.
    Allow,
    /// `"Effect": "Deny"`.
    Deny,
}

impl Effect {
    /// As written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        }
    }
}

/// One entry of a Principal / NotPrincipal element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalId {
    /// `"*"` or `{"AWS": "*"}`: everyone, anonymous users included.
    Everyone,
    /// An AWS account, written as `123456789012` or `arn:aws:iam::123456789012:root`.
    Account(String),
    /// An IAM user, role, assumed-role session or federated-user ARN.
    Arn(String),
    /// A service principal such as `ec2.amazonaws.com` (lower-case).
    Service(String),
    /// A federated identity provider (`cognito-identity.amazonaws.com`, a SAML/OIDC provider ARN).
    Federated(String),
    /// An S3 canonical user id.
    CanonicalUser(String),
}

impl fmt::Display for PrincipalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Everyone => f.write_str("*"),
            Self::Account(a) => write!(f, "アカウント {a}"),
            Self::Arn(a) | Self::Service(a) | Self::Federated(a) | Self::CanonicalUser(a) => {
                f.write_str(a)
            }
        }
    }
}

/// A Principal or NotPrincipal element.
#[derive(Debug, Clone)]
pub struct PrincipalSpec {
    /// `NotPrincipal`.
    pub negated: bool,
    /// The listed principals.
    pub ids: Vec<PrincipalId>,
}

/// An Action / NotAction or Resource / NotResource element.
#[derive(Debug, Clone)]
pub struct PatternList {
    /// `NotAction` / `NotResource`.
    pub negated: bool,
    /// The compiled patterns.
    pub patterns: Vec<Pattern>,
}

/// One statement.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The Sid, when there is one.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// Principal / NotPrincipal (resource-based policies).
    pub principal: Option<PrincipalSpec>,
    /// Action / NotAction.
    pub action: PatternList,
    /// Resource / NotResource; `None` means "the resource the policy is attached to".
    pub resource: Option<PatternList>,
    /// The conditions, all of which must hold.
    pub conditions: Vec<Condition>,
    /// Switched off by the learner in the simulator (not part of the document).
    pub disabled: bool,
}

/// A validated, compiled policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The language version.
    pub version: Version,
    /// The Id element.
    pub id: Option<String>,
    /// The statements in order.
    pub statements: Vec<Statement>,
}

/// What kind of problem a policy document has; [`PolicyErrorKind::code`] is the stable code a
/// diagnostic carries (like content diagnostics' codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyErrorKind {
    /// The text is not valid JSON.
    Syntax,
    /// An element the policy grammar does not have (`Statment`).
    UnknownElement,
    /// A required element is missing (Effect, Action, Statement, …).
    MissingElement,
    /// An element has the wrong JSON type (a number where a string belongs).
    WrongType,
    /// A value AWS rejects (an unknown Effect or condition operator, a malformed ARN or action).
    InvalidValue,
    /// Two elements that exclude each other (Action with NotAction, Principal with NotPrincipal).
    Conflict,
    /// Something this policy type does not allow (NotPrincipal with Allow, Principal in an
    /// identity policy, Resource in a trust policy, an Allow in an RCP).
    NotAllowed,
    /// The same Sid twice.
    Duplicate,
    /// Over a size limit (statements, values, value length).
    Limit,
}

impl PolicyErrorKind {
    /// The stable code, e.g. `policy-not-allowed`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Syntax => "policy-syntax",
            Self::UnknownElement => "policy-unknown-element",
            Self::MissingElement => "policy-missing-element",
            Self::WrongType => "policy-wrong-type",
            Self::InvalidValue => "policy-invalid-value",
            Self::Conflict => "policy-conflict",
            Self::NotAllowed => "policy-not-allowed",
            Self::Duplicate => "policy-duplicate",
            Self::Limit => "policy-limit",
        }
    }
}

/// A problem with a policy document.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PolicyError {
    /// What kind of problem it is (its code names it in diagnostics).
    pub kind: PolicyErrorKind,
    /// The JSON path, e.g. `Statement[1].Condition.StringEqulas`.
    pub path: String,
    /// What is wrong, in Japanese.
    pub message: String,
    /// Byte range in the policy text.
    pub span: Range<usize>,
    /// How to fix it.
    pub hint: Option<String>,
}
