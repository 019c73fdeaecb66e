//! S3 public access: S3 Block Public Access at the account and bucket level, AWS's definition of
//! a public bucket policy, Object Ownership and bucket / object ACL grants. A request carries
//! these settings only when its scenario has `[s3]`; without them nothing here runs.
//!
//! Sources (Amazon S3 User Guide and API Reference):
//! - Blocking public access: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>
//!   (the four settings, the most restrictive combination of account and bucket settings, the
//!   meaning of "public").
//! - PublicAccessBlockConfiguration: <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html>
//!   (what each setting rejects or ignores; the fixed-value list of a non-public policy).
//! - Object Ownership: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>
//!   and <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html>.
//! - ACL overview: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html>
//!   (grantees and the mapping of ACL permissions to policy actions).

use super::matching::Grant;
use super::{Principal, PrincipalKind, Request};
use crate::sim::policy::condition::{Family, SetOp};
use crate::sim::policy::{Condition, Effect, Policy};

/// The four Block Public Access settings of one level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bpa {
    /// BlockPublicAcls: Put calls with a public ACL fail.
    pub block_public_acls: bool,
    /// IgnorePublicAcls: public ACL grants are ignored.
    pub ignore_public_acls: bool,
    /// BlockPublicPolicy: PutBucketPolicy with a public policy fails.
    pub block_public_policy: bool,
    /// RestrictPublicBuckets: a public bucket policy grants only to AWS services and the bucket
    /// owner's account.
    pub restrict_public_buckets: bool,
}

/// One of the four settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// BlockPublicAcls.
    BlockPublicAcls,
    /// IgnorePublicAcls.
    IgnorePublicAcls,
    /// BlockPublicPolicy.
    BlockPublicPolicy,
    /// RestrictPublicBuckets.
    RestrictPublicBuckets,
}

impl Setting {
    /// Every setting, in AWS's order.
    pub const ALL: [Setting; 4] = [
        Self::BlockPublicAcls,
        Self::IgnorePublicAcls,
        Self::BlockPublicPolicy,
        Self::RestrictPublicBuckets,
    ];

    /// AWS's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::BlockPublicAcls => "BlockPublicAcls",
            Self::IgnorePublicAcls => "IgnorePublicAcls",
            Self::BlockPublicPolicy => "BlockPublicPolicy",
            Self::RestrictPublicBuckets => "RestrictPublicBuckets",
        }
    }

    fn of(self, b: &Bpa) -> bool {
        match self {
            Self::BlockPublicAcls => b.block_public_acls,
            Self::IgnorePublicAcls => b.ignore_public_acls,
            Self::BlockPublicPolicy => b.block_public_policy,
            Self::RestrictPublicBuckets => b.restrict_public_buckets,
        }
    }
}

/// Where an effective setting comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The bucket owner's account.
    Account,
    /// The bucket.
    Bucket,
    /// Both.
    Both,
}

impl Level {
    /// The Japanese name of the setting's place.
    pub fn label(self) -> &'static str {
        match self {
            Self::Account => "アカウントのパブリックアクセスブロック設定",
            Self::Bucket => "バケットのパブリックアクセスブロック設定",
            Self::Both => "アカウントとバケットの両方のパブリックアクセスブロック設定",
        }
    }
}

/// S3 Object Ownership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// ACLs disabled (the default): ACLs no longer affect permissions.
    BucketOwnerEnforced,
    /// ACLs enabled; the bucket owner owns objects written with bucket-owner-full-control.
    BucketOwnerPreferred,
    /// ACLs enabled; the writing account owns the object.
    ObjectWriter,
}

impl Ownership {
    /// The names in scenario files.
    pub const NAMES: [&'static str; 3] = [
        "BucketOwnerEnforced",
        "BucketOwnerPreferred",
        "ObjectWriter",
    ];

    /// Reads a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "BucketOwnerEnforced" => Self::BucketOwnerEnforced,
            "BucketOwnerPreferred" => Self::BucketOwnerPreferred,
            "ObjectWriter" => Self::ObjectWriter,
            _ => return None,
        })
    }

    /// The Japanese name (S3 console terms).
    pub fn label(self) -> &'static str {
        match self {
            Self::BucketOwnerEnforced => "バケット所有者の強制(ACL 無効)",
            Self::BucketOwnerPreferred => "希望するバケット所有者(ACL 有効)",
            Self::ObjectWriter => "オブジェクトライター(ACL 有効)",
        }
    }
}

/// An ACL grantee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grantee {
    /// The All Users group: anyone, anonymous requests included.
    AllUsers,
    /// The Authenticated Users group: any AWS account's authenticated principal.
    AuthenticatedUsers,
    /// An AWS account (12-digit id; the canonical user id of the account in AWS).
    Account(String),
    /// A canonical user id.
    CanonicalUser(String),
}

impl Grantee {
    /// Reads a grantee as written in scenario files.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "AllUsers" => Self::AllUsers,
            "AuthenticatedUsers" => Self::AuthenticatedUsers,
            t if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) => Self::Account(t.into()),
            t if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Self::CanonicalUser(t.into())
            }
            _ => return None,
        })
    }

    /// A public grantee (the All Users or Authenticated Users group).
    pub fn is_public(&self) -> bool {
        matches!(self, Self::AllUsers | Self::AuthenticatedUsers)
    }

    fn show(&self) -> &str {
        match self {
            Self::AllUsers => "AllUsers(すべての人)",
            Self::AuthenticatedUsers => "AuthenticatedUsers(認証済みユーザー)",
            Self::Account(a) | Self::CanonicalUser(a) => a,
        }
    }

    /// How the grantee names the requester (like a Principal element).
    fn grant_for(&self, p: &Principal) -> Option<Grant> {
        match self {
            Self::AllUsers => Some(Grant::Direct),
            Self::AuthenticatedUsers => {
                (p.kind != PrincipalKind::Anonymous).then_some(Grant::Direct)
            }
            Self::Account(a)
                if p.account.as_deref() == Some(a.as_str())
                    && (p.kind.is_iam_entity() || p.kind == PrincipalKind::Root) =>
            {
                Some(if p.kind == PrincipalKind::Root {
                    Grant::Direct
                } else {
                    Grant::Account
                })
            }
            Self::CanonicalUser(c) if p.canonical_user.as_deref() == Some(c.as_str()) => {
                Some(Grant::Direct)
            }
            _ => None,
        }
    }
}

/// An ACL permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// READ.
    Read,
    /// WRITE (buckets only).
    Write,
    /// READ_ACP.
    ReadAcp,
    /// WRITE_ACP.
    WriteAcp,
    /// FULL_CONTROL.
    FullControl,
}

impl Permission {
    /// The names in scenario files.
    pub const NAMES: [&'static str; 5] = ["READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL"];

    /// Reads a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "READ" => Self::Read,
            "WRITE" => Self::Write,
            "READ_ACP" => Self::ReadAcp,
            "WRITE_ACP" => Self::WriteAcp,
            "FULL_CONTROL" => Self::FullControl,
            _ => return None,
        })
    }

    /// The name.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The policy actions (lower-case) this permission grants on a bucket or an object
    /// (ACL overview, "Mapping of ACL permissions and access policy permissions").
    fn actions(self, on_bucket: bool) -> &'static [&'static str] {
        match (self, on_bucket) {
            (Self::Read, true) => &[
                "s3:listbucket",
                "s3:listbucketversions",
                "s3:listbucketmultipartuploads",
            ],
            (Self::Write, true) => &["s3:putobject", "s3:deleteobject"],
            (Self::ReadAcp, true) => &["s3:getbucketacl"],
            (Self::WriteAcp, true) => &["s3:putbucketacl"],
            (Self::Read, false) => &["s3:getobject", "s3:getobjectversion"],
            (Self::ReadAcp, false) => &["s3:getobjectacl", "s3:getobjectversionacl"],
            (Self::WriteAcp, false) => &["s3:putobjectacl", "s3:putobjectversionacl"],
            (Self::Write, false) | (Self::FullControl, _) => &[],
        }
    }

    fn grants(self, action: &str, on_bucket: bool) -> bool {
        if self == Self::FullControl {
            let all: &[Permission] = if on_bucket {
                &[Self::Read, Self::Write, Self::ReadAcp, Self::WriteAcp]
            } else {
                &[Self::Read, Self::ReadAcp, Self::WriteAcp]
            };
            return all.iter().any(|p| p.grants(action, on_bucket));
        }
        self.actions(on_bucket).contains(&action)
    }
}

/// One ACL grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclGrant {
    /// Who.
    pub grantee: Grantee,
    /// What.
    pub permission: Permission,
}

/// The `[s3]` settings of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct S3Settings {
    /// The bucket owner's account-level Block Public Access.
    pub account: Bpa,
    /// The bucket-level Block Public Access.
    pub bucket: Bpa,
    /// Object Ownership (BucketOwnerEnforced when not written, as for new buckets).
    pub ownership: Ownership,
    /// The bucket ACL.
    pub bucket_acl: Vec<AclGrant>,
    /// The object ACL.
    pub object_acl: Vec<AclGrant>,
    /// The ACL a PutBucketAcl / PutObjectAcl / PutObject request sets, if any.
    pub request_acl: Option<Vec<AclGrant>>,
    /// The policy a PutBucketPolicy request sets is public (`None`: not given).
    pub request_policy_public: Option<bool>,
}

/// Which ACL an action is authorized by: `Some(true)` the bucket's, `Some(false)` the object's.
fn acl_target(action: &str) -> Option<bool> {
    const BUCKET: &[&str] = &[
        "s3:listbucket",
        "s3:listbucketversions",
        "s3:listbucketmultipartuploads",
        "s3:putobject",
        "s3:deleteobject",
        "s3:getbucketacl",
        "s3:putbucketacl",
    ];
    const OBJECT: &[&str] = &[
        "s3:getobject",
        "s3:getobjectversion",
        "s3:getobjectacl",
        "s3:getobjectversionacl",
        "s3:putobjectacl",
        "s3:putobjectversionacl",
    ];
    if BUCKET.contains(&action) {
        Some(true)
    } else if OBJECT.contains(&action) {
        Some(false)
    } else {
        None
    }
}

impl S3Settings {
    /// The effective setting (account OR bucket) and where it comes from.
    pub fn effective(&self, s: Setting) -> Option<Level> {
        match (s.of(&self.account), s.of(&self.bucket)) {
            (true, true) => Some(Level::Both),
            (true, false) => Some(Level::Account),
            (false, true) => Some(Level::Bucket),
            (false, false) => None,
        }
    }

    /// The S3 rule that rejects a Put request before any policy is read.
    pub fn rule(
        &self,
        action: &str,
        bucket_owner: Option<&str>,
    ) -> Option<super::rules::ActionRule> {
        use super::rules::ActionRule as R;
        if let ("s3:putbucketacl" | "s3:putobjectacl" | "s3:putobject", Some(acl)) =
            (action, &self.request_acl)
        {
            let owner_full_control = |g: &AclGrant| {
                g.permission == Permission::FullControl
                    && matches!(&g.grantee, Grantee::Account(a) if Some(a.as_str()) == bucket_owner)
            };
            if self.ownership == Ownership::BucketOwnerEnforced
                && !acl.iter().all(owner_full_control)
            {
                return Some(R::S3AclsDisabled);
            }
            if self.effective(Setting::BlockPublicAcls).is_some()
                && acl.iter().any(|g| g.grantee.is_public())
            {
                return Some(R::S3BlockPublicAcls);
            }
        }
        if action == "s3:putbucketpolicy"
            && self.request_policy_public == Some(true)
            && self.effective(Setting::BlockPublicPolicy).is_some()
        {
            return Some(R::S3BlockPublicPolicy);
        }
        None
    }

    /// The level of the setting a rule names (for the explanation).
    pub fn rule_level(&self, rule: super::rules::ActionRule) -> Option<Level> {
        use super::rules::ActionRule as R;
        match rule {
            R::S3BlockPublicAcls => self.effective(Setting::BlockPublicAcls),
            R::S3BlockPublicPolicy => self.effective(Setting::BlockPublicPolicy),
            _ => None,
        }
    }
}

/// What the S3 settings did to a request's resource-side grant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct S3Facts {
    /// RestrictPublicBuckets set aside the public bucket policy's Allow.
    pub restricted: Option<Level>,
    /// The bucket or object ACL granted the request (and how it named the requester).
    pub acl: Option<Grant>,
    /// Which grant that was: on the bucket's ACL (else the object's), at this position.
    pub acl_from: Option<(bool, usize)>,
    /// A public ACL grant would have matched but IgnorePublicAcls ignores it.
    pub public_acl_ignored: Option<Level>,
    /// An ACL grant would have matched but ACLs are disabled (BucketOwnerEnforced).
    pub acl_disabled: bool,
}

/// The best ACL grant for the request, and whether IgnorePublicAcls / ACLs disabled set one aside.
fn acl_grant(req: &Request, s3: &S3Settings) -> S3Facts {
    let mut out = S3Facts::default();
    let Some(on_bucket) = acl_target(&req.action_lower) else {
        return out;
    };
    let acl = if on_bucket {
        &s3.bucket_acl
    } else {
        &s3.object_acl
    };
    let ignore = s3.effective(Setting::IgnorePublicAcls);
    for (i, g) in acl.iter().enumerate() {
        if !g.permission.grants(&req.action_lower, on_bucket) {
            continue;
        }
        let Some(grant) = g.grantee.grant_for(&req.principal) else {
            continue;
        };
        if s3.ownership == Ownership::BucketOwnerEnforced {
            out.acl_disabled = true;
        } else if g.grantee.is_public() && ignore.is_some() {
            out.public_acl_ignored = ignore;
        } else if out.acl < Some(grant) {
            out.acl = Some(grant);
            out.acl_from = Some((on_bucket, i));
        }
    }
    out
}

/// Applies the S3 settings to the resource side of the facts: RestrictPublicBuckets takes the
/// public bucket policy's Allow away from callers outside the bucket owner's account, and an
/// effective ACL grant counts as a resource-based grant.
pub fn adjust(
    req: &Request,
    s3: &S3Settings,
    bucket_policy: Option<&Policy>,
    resource: &mut Option<Option<Grant>>,
) -> S3Facts {
    let mut out = acl_grant(req, s3);
    if let (Some(level), Some(policy), Some(Some(_))) = (
        s3.effective(Setting::RestrictPublicBuckets),
        bucket_policy,
        &*resource,
    ) {
        let insider = req.principal.kind == PrincipalKind::Service || req.same_account();
        if !insider && is_public_policy(policy) {
            *resource = Some(None);
            out.restricted = Some(level);
        }
    }
    if let Some(g) = out.acl {
        *resource = Some(resource.flatten().max(Some(g)));
    }
    out
}

/// Condition keys whose fixed values keep a wildcard-principal statement from being public
/// (Blocking public access, "The meaning of public"; PublicAccessBlockConfiguration).
const FIXING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
];

/// A condition that pins the statement to fixed values: an equality operator (not negated,
/// not IfExists, not ForAllValues) on a fixing key whose values hold no wildcard or variable,
/// or aws:SourceIp limited to CIDR blocks no broader than /8 (IPv4) or /32 (IPv6).
fn pins(c: &Condition) -> bool {
    let op = &c.operator;
    if op.negated || op.if_exists || op.set == Some(SetOp::ForAllValues) || c.raw_values.is_empty()
    {
        return false;
    }
    if c.key_lower == "aws:sourceip" {
        return op.family == Family::IpAddress
            && c.raw_values.iter().all(|v| {
                let (addr, prefix) = v.split_once('/').unwrap_or((v, "128"));
                let min = if addr.contains(':') { 32 } else { 8 };
                prefix.trim().parse::<u8>().is_ok_and(|p| p >= min)
            });
    }
    let fixed_family = matches!(
        op.family,
        Family::StringEquals | Family::StringEqualsIgnoreCase | Family::StringLike | Family::Arn
    );
    fixed_family
        && FIXING_KEYS.contains(&c.key_lower.as_str())
        && c.raw_values
            .iter()
            .all(|v| !v.contains(['*', '?']) && !v.contains("${"))
}

/// AWS's definition of a public bucket policy: an Allow statement for a wildcard principal
/// (`"*"`, `{"AWS":"*"}`, or NotPrincipal) that no condition pins to fixed values.
pub fn is_public_policy(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.effect == Effect::Allow
            && !s.disabled
            && s.principal.as_ref().is_some_and(|p| {
                p.negated
                    || p.ids
                        .iter()
                        .any(|id| matches!(id, crate::sim::policy::PrincipalId::Everyone))
            })
            && !s.conditions.iter().any(pins)
    })
}

/// The Japanese notes on the S3 settings of a request.
pub fn notes(s3: &S3Settings, f: &S3Facts) -> Vec<String> {
    let mut out = Vec::new();
    let on: Vec<String> = Setting::ALL
        .iter()
        .filter_map(|s| {
            s3.effective(*s).map(|l| {
                let w = match l {
                    Level::Account => "アカウント",
                    Level::Bucket => "バケット",
                    Level::Both => "アカウントとバケット",
                };
                format!("{}({w})", s.name())
            })
        })
        .collect();
    out.push(if on.is_empty() {
        "パブリックアクセスブロック: どの設定もオフです".into()
    } else {
        format!(
            "パブリックアクセスブロック: {} がオンです(アカウントとバケットの設定のうち、制限の厳しい組み合わせが適用されます)",
            on.join("、")
        )
    });
    out.push(format!("オブジェクト所有者: {}", s3.ownership.label()));
    if f.acl_disabled {
        out.push("ACL の付与がこのリクエストに当てはまりますが、オブジェクト所有者がバケット所有者の強制のため ACL は無効で、アクセス許可に影響しません".into());
    }
    if let Some(l) = f.public_acl_ignored {
        out.push(ignored_sentence(l));
    }
    if f.acl.is_some() {
        out.push("ACL の付与がこのリクエストを許可しています(ACL はリソースベースの許可として評価されます)".into());
        if let Some(l) = f.restricted {
            out.push(format!(
                "{}の RestrictPublicBuckets はパブリックなバケットポリシーによる許可だけを無効にし、ACL の付与には影響しません(パブリックな ACL を無視するのは IgnorePublicAcls です)",
                l.label()
            ));
        }
    }
    out
}

/// Added to a matching Allow of a public bucket policy that RestrictPublicBuckets set aside.
pub fn set_aside_sentence(l: Level) -> String {
    format!(
        "。ただし、{}の RestrictPublicBuckets により、パブリックなバケットポリシーのこの許可はバケット所有者のアカウント外のリクエストには効きません",
        l.label()
    )
}

fn ignored_sentence(l: Level) -> String {
    format!(
        "{}の IgnorePublicAcls により、パブリックな ACL(AllUsers・AuthenticatedUsers への付与)は無視されます",
        l.label()
    )
}

/// Why the resource side did not allow, when the S3 settings took the grant away.
pub fn deny_reason(f: &S3Facts, owner: Option<&str>) -> Option<String> {
    if let Some(l) = f.restricted {
        let owner = owner.map_or_else(String::new, |a| format!("(バケット所有者の {a})"));
        return Some(format!(
            "バケットポリシーはパブリック(固定値の条件がないワイルドカードのプリンシパルへの許可)と判定されます。{}の RestrictPublicBucketsにより、公開ポリシーによるアクセスはこのアカウント{owner}のプリンシパルとAWSのサービスだけに制限されます(別のアカウントや匿名のユーザーへの許可は、アカウントを指定したものも含めて無効になります)",
            l.label()
        ));
    }
    if let Some(l) = f.public_acl_ignored {
        return Some(ignored_sentence(l));
    }
    if f.acl_disabled {
        return Some("オブジェクト所有者がバケット所有者の強制(ACL 無効)のため、ACL の付与はアクセス許可に影響しません".into());
    }
    None
}

/// How the ACL grant that allowed the request is named in the explanation.
pub fn acl_name(s3: &S3Settings, f: &S3Facts) -> Option<String> {
    let (on_bucket, i) = f.acl_from?;
    let (place, acl) = if on_bucket {
        ("バケット", &s3.bucket_acl)
    } else {
        ("オブジェクト", &s3.object_acl)
    };
    let g = acl.get(i)?;
    Some(format!(
        "{place}の ACL({} に {})",
        g.grantee.show(),
        g.permission.name()
    ))
}
