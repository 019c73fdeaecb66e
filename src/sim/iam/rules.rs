//! AWS's per-action rules that sit beside policy evaluation: actions that need no permission,
//! callers an action refuses whatever the policies say, and the bucket owner's root user that a
//! bucket policy cannot lock out. Each rule cites the page that states it. The rule is found
//! once, when the request is built ([`rule_for`]), so the fast decision pays one `match`.

use super::PrincipalKind;

/// What a rule does to the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleEffect {
    /// Allowed without any permission; no policy, not even an explicit deny, is consulted.
    Allow,
    /// Refused whatever the policies say.
    Refuse,
    /// The resource-based policy is not consulted; SCPs, RCPs and VPC endpoint policies still are.
    SkipResourcePolicy,
}

/// One documented per-action rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionRule {
    /// `sts:GetCallerIdentity` needs no permission, and an explicit deny does not stop it.
    CallerIdentityNeedsNoPermission,
    /// `sts:GetSessionToken` needs no permission: policies cannot control authentication.
    SessionTokenNeedsNoPermission,
    /// The root user cannot call AssumeRole.
    RootCannotAssumeRole,
    /// GetFederationToken and GetSessionToken need an IAM user's (or root's) long-term
    /// credentials: role sessions and other temporary credentials cannot call them.
    TokenNeedsLongTermCredentials,
    /// A GetFederationToken session cannot call IAM API operations.
    FederatedSessionNoIam,
    /// A GetFederationToken session cannot call STS except GetCallerIdentity.
    FederatedSessionNoSts,
    /// A GetSessionToken session calls IAM only with MFA in the session.
    SessionTokenIamNeedsMfa,
    /// A GetSessionToken session calls STS only for AssumeRole and GetCallerIdentity.
    SessionTokenStsLimited,
    /// Get/Put/DeleteBucketPolicy only for identities of the bucket owner's account (405).
    BucketPolicyOwnerAccountOnly,
    /// The bucket owner's root user can always get, put and delete the bucket policy.
    BucketOwnerRootKeepsPolicyAccess,
    /// BlockPublicAcls: PutBucketAcl, PutObjectAcl and PutObject fail with a public ACL.
    S3BlockPublicAcls,
    /// BlockPublicPolicy: PutBucketPolicy fails with a public policy.
    S3BlockPublicPolicy,
    /// Object Ownership BucketOwnerEnforced: setting an ACL other than bucket-owner full
    /// control fails (AccessControlListNotSupported).
    S3AclsDisabled,
}

impl ActionRule {
    /// A stable id (JSON output, `[expect] rule`).
    pub fn id(self) -> &'static str {
        match self {
            Self::CallerIdentityNeedsNoPermission => "get-caller-identity-needs-no-permission",
            Self::SessionTokenNeedsNoPermission => "get-session-token-needs-no-permission",
            Self::RootCannotAssumeRole => "root-cannot-assume-role",
            Self::TokenNeedsLongTermCredentials => "token-needs-long-term-credentials",
            Self::FederatedSessionNoIam => "federated-session-no-iam",
            Self::FederatedSessionNoSts => "federated-session-no-sts",
            Self::SessionTokenIamNeedsMfa => "session-token-iam-needs-mfa",
            Self::SessionTokenStsLimited => "session-token-sts-limited",
            Self::BucketPolicyOwnerAccountOnly => "bucket-policy-owner-account-only",
            Self::BucketOwnerRootKeepsPolicyAccess => "bucket-owner-root-keeps-policy-access",
            Self::S3BlockPublicAcls => "s3-block-public-acls",
            Self::S3BlockPublicPolicy => "s3-block-public-policy",
            Self::S3AclsDisabled => "s3-acls-disabled",
        }
    }

    /// Every rule.
    pub const ALL: [ActionRule; 13] = [
        Self::CallerIdentityNeedsNoPermission,
        Self::SessionTokenNeedsNoPermission,
        Self::RootCannotAssumeRole,
        Self::TokenNeedsLongTermCredentials,
        Self::FederatedSessionNoIam,
        Self::FederatedSessionNoSts,
        Self::SessionTokenIamNeedsMfa,
        Self::SessionTokenStsLimited,
        Self::BucketPolicyOwnerAccountOnly,
        Self::BucketOwnerRootKeepsPolicyAccess,
        Self::S3BlockPublicAcls,
        Self::S3BlockPublicPolicy,
        Self::S3AclsDisabled,
    ];

    /// Reads a rule id.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }

    /// What it does to the decision.
    pub fn effect(self) -> RuleEffect {
        match self {
            Self::CallerIdentityNeedsNoPermission | Self::SessionTokenNeedsNoPermission => {
                RuleEffect::Allow
            }
            Self::BucketOwnerRootKeepsPolicyAccess => RuleEffect::SkipResourcePolicy,
            _ => RuleEffect::Refuse,
        }
    }

    /// The AWS page that states the rule.
    pub fn doc(self) -> &'static str {
        match self {
            Self::CallerIdentityNeedsNoPermission => {
                "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"
            }
            Self::SessionTokenNeedsNoPermission => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html"
            }
            Self::RootCannotAssumeRole
            | Self::TokenNeedsLongTermCredentials
            | Self::FederatedSessionNoIam
            | Self::FederatedSessionNoSts
            | Self::SessionTokenIamNeedsMfa
            | Self::SessionTokenStsLimited => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_sts-comparison.html"
            }
            Self::BucketPolicyOwnerAccountOnly | Self::BucketOwnerRootKeepsPolicyAccess => {
                "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html"
            }
            Self::S3BlockPublicAcls | Self::S3BlockPublicPolicy => {
                "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html"
            }
            Self::S3AclsDisabled => {
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html"
            }
        }
    }

    /// The sentence naming the rule, in Japanese.
    pub fn sentence(self) -> &'static str {
        match self {
            Self::CallerIdentityNeedsNoPermission => {
                "sts:GetCallerIdentity には権限が要りません。明示的に拒否するポリシーがあっても呼び出せます(拒否されても同じ情報が返るためです)"
            }
            Self::SessionTokenNeedsNoPermission => {
                "sts:GetSessionToken には権限が要りません。認証のための操作はポリシーで制御できません"
            }
            Self::RootCannotAssumeRole => {
                "ルートユーザーの認証情報では AssumeRole を呼び出せません。ロールを引き受けられるのはIAMユーザーかロールのセッションです"
            }
            Self::TokenNeedsLongTermCredentials => {
                "GetFederationToken と GetSessionToken は IAMユーザー(またはルートユーザー)の長期的な認証情報で呼び出します。ロールのセッションなど一時的な認証情報では呼び出せません"
            }
            Self::FederatedSessionNoIam => {
                "GetFederationToken で得たセッションでは、ポリシーにかかわらず IAM の API を呼び出せません"
            }
            Self::FederatedSessionNoSts => {
                "GetFederationToken で得たセッションでは、GetCallerIdentity 以外の STS の API を呼び出せません"
            }
            Self::SessionTokenIamNeedsMfa => {
                "GetSessionToken で得たセッションでは、MFA の情報を含めて取得した場合(aws:MultiFactorAuthPresent が true)にしか IAM の API を呼び出せません"
            }
            Self::SessionTokenStsLimited => {
                "GetSessionToken で得たセッションでは、AssumeRole と GetCallerIdentity 以外の STS の API を呼び出せません"
            }
            Self::BucketPolicyOwnerAccountOnly => {
                "バケットポリシーの取得・設定・削除は、バケット所有者のアカウントに属するIDにしかできません(権限があっても 405 Method Not Allowed になります)"
            }
            Self::BucketOwnerRootKeepsPolicyAccess => {
                "バケット所有者のアカウントのルートユーザーは、バケットポリシーが明示的に拒否していても、バケットポリシーを取得・設定・削除できます。止められるのは SCP・RCP と VPC エンドポイントポリシーだけです"
            }
            Self::S3BlockPublicAcls => {
                "BlockPublicAcls により、パブリックな ACL(AllUsers・AuthenticatedUsers への付与)を設定する PutBucketAcl・PutObjectAcl・PutObject は、ポリシーにかかわらず拒否されます(既存の ACL には影響しません)"
            }
            Self::S3BlockPublicPolicy => {
                "BlockPublicPolicy により、パブリックなバケットポリシーを設定する PutBucketPolicy は、ポリシーにかかわらず拒否されます(既存のバケットポリシーには影響しません)"
            }
            Self::S3AclsDisabled => {
                "オブジェクト所有者がバケット所有者の強制(ACL 無効)のため、バケット所有者のフルコントロール以外の ACL を設定するリクエストは AccessControlListNotSupported(HTTP 400。アクセス拒否の 403 ではありません)で失敗します。シミュレータでは許可されないリクエストとして暗黙的な拒否に数えます"
            }
        }
    }
}

/// The rule that governs a request, if any (`action` lower-case).
pub fn rule_for(
    kind: PrincipalKind,
    action: &str,
    mfa: bool,
    same_account: bool,
) -> Option<ActionRule> {
    use ActionRule as R;
    use PrincipalKind as K;
    let (service, name) = action.split_once(':')?;
    match (service, name) {
        ("sts", "getcalleridentity") if kind != K::Anonymous => {
            Some(R::CallerIdentityNeedsNoPermission)
        }
        _ if kind == K::FederatedUserSession && service == "iam" => Some(R::FederatedSessionNoIam),
        _ if kind == K::FederatedUserSession && service == "sts" => Some(R::FederatedSessionNoSts),
        _ if kind == K::SessionTokenSession && service == "iam" && !mfa => {
            Some(R::SessionTokenIamNeedsMfa)
        }
        ("sts", n) if kind == K::SessionTokenSession && n != "assumerole" => {
            Some(R::SessionTokenStsLimited)
        }
        ("sts", "getfederationtoken" | "getsessiontoken")
            if !matches!(kind, K::IamUser | K::Root) =>
        {
            Some(R::TokenNeedsLongTermCredentials)
        }
        ("sts", "getsessiontoken") => Some(R::SessionTokenNeedsNoPermission),
        ("sts", "assumerole") if kind == K::Root => Some(R::RootCannotAssumeRole),
        ("s3", "getbucketpolicy" | "putbucketpolicy" | "deletebucketpolicy") => {
            if !same_account {
                Some(R::BucketPolicyOwnerAccountOnly)
            } else if same_account && kind == K::Root {
                Some(R::BucketOwnerRootKeepsPolicyAccess)
            } else {
                None
            }
        }
        _ => None,
    }
}
