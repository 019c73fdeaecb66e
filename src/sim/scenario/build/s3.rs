//! `[s3]`: Block Public Access at the account and bucket level, Object Ownership, the bucket and
//! object ACLs, and what a Put request sets (its ACL, its bucket policy).

use super::Cx;
use crate::sim::iam::s3::{
    AclGrant, Bpa, Grantee, Ownership, Permission, S3Settings, is_public_policy,
};
use crate::sim::policy::PolicyType;
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::scenario::keys;
use crate::sim::tree::Node;
use crate::suggest::did_you_mean;

/// Reads `[s3]`; `action` is the request's action (the table is for S3 requests only).
pub(super) fn s3(cx: &mut Cx<'_>, node: &Node, action: Option<&str>) -> Option<S3Settings> {
    let place = "[s3]";
    let node = cx.table(node, place)?;
    cx.keys(node, keys::S3, place);
    if let Some(a) = action
        && !a.to_lowercase().starts_with("s3:")
    {
        cx.err(
            K::InvalidValue,
            &node.span,
            format!("[s3] は S3 のアクションのリクエストにだけ書けます(アクションは {a})"),
            None,
        );
    }
    let before = cx.errors.len();
    let bpa = |cx: &mut Cx<'_>, key: &str| -> Bpa {
        let Some(n) = node.get(key) else {
            return Bpa::default();
        };
        let place = format!("[s3] {key}");
        let Some(t) = cx.table(n, &place) else {
            return Bpa::default();
        };
        cx.keys(t, keys::S3_BPA, &place);
        Bpa {
            block_public_acls: cx.flag(t, "block_public_acls", &place),
            ignore_public_acls: cx.flag(t, "ignore_public_acls", &place),
            block_public_policy: cx.flag(t, "block_public_policy", &place),
            restrict_public_buckets: cx.flag(t, "restrict_public_buckets", &place),
        }
    };
    let account = bpa(cx, "account_block_public_access");
    let bucket = bpa(cx, "bucket_block_public_access");
    let ownership = match cx.opt_string(node, "object_ownership", place) {
        None => Ownership::BucketOwnerEnforced,
        Some(name) => match Ownership::from_name(name) {
            Some(o) => o,
            None => {
                let span = node
                    .get("object_ownership")
                    .map_or(node.span.clone(), |n| n.span.clone());
                cx.err(
                    K::InvalidValue,
                    &span,
                    format!("object_ownership `{name}` はありません"),
                    did_you_mean(name, Ownership::NAMES)
                        .or_else(|| Some(format!("使える値: {}", Ownership::NAMES.join(", ")))),
                );
                Ownership::BucketOwnerEnforced
            }
        },
    };
    let bucket_acl = acl(cx, node, "bucket_acl", true).unwrap_or_default();
    let object_acl = acl(cx, node, "object_acl", false).unwrap_or_default();
    let on_bucket = action.is_some_and(|a| a.eq_ignore_ascii_case("s3:putbucketacl"));
    let request_acl = acl(cx, node, "request_acl", on_bucket);
    let request_policy_public = match node.get("request_policy") {
        None => None,
        Some(n) => cx
            .policy(n, PolicyType::Resource, "[s3] request_policy")
            .map(|p| p.as_ref().is_some_and(is_public_policy)),
    };
    (cx.errors.len() == before).then_some(S3Settings {
        account,
        bucket,
        ownership,
        bucket_acl,
        object_acl,
        request_acl,
        request_policy_public,
    })
}

fn acl(cx: &mut Cx<'_>, node: &Node, key: &str, on_bucket: bool) -> Option<Vec<AclGrant>> {
    let n = node.get(key)?;
    let Some(items) = n.as_array() else {
        cx.err(
            K::WrongType,
            &n.span,
            format!("[s3] の `{key}` は {{ grantee, permission }} の配列で書きます"),
            None,
        );
        return None;
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let place = format!("[s3] {key}[{i}]");
        let Some(t) = cx.table(item, &place) else {
            continue;
        };
        cx.keys(t, keys::S3_GRANT, &place);
        let grantee = cx.string(t, "grantee", &place).map(str::to_string);
        let permission = cx.string(t, "permission", &place).map(str::to_string);
        let span_of = |k: &str| t.get(k).map_or(t.span.clone(), |n| n.span.clone());
        let grantee = grantee.and_then(|g| match Grantee::parse(&g) {
            Some(x) => Some(x),
            None => {
                cx.err(
                    K::InvalidValue,
                    &span_of("grantee"),
                    format!("grantee `{g}` はありません"),
                    Some("\"AllUsers\"、\"AuthenticatedUsers\"、12 桁のアカウント ID、64 桁の正規ユーザー ID のどれかです".into()),
                );
                None
            }
        });
        let permission = permission.and_then(|p| match Permission::from_name(&p) {
            Some(Permission::Write) if !on_bucket => {
                cx.err(
                    K::InvalidValue,
                    &span_of("permission"),
                    "WRITE はオブジェクトの ACL には使えません(バケットの ACL だけの権限です)",
                    None,
                );
                None
            }
            Some(x) => Some(x),
            None => {
                cx.err(
                    K::InvalidValue,
                    &span_of("permission"),
                    format!("permission `{p}` はありません"),
                    did_you_mean(&p, Permission::NAMES)
                        .or_else(|| Some(format!("使える値: {}", Permission::NAMES.join(", ")))),
                );
                None
            }
        });
        if let (Some(grantee), Some(permission)) = (grantee, permission) {
            out.push(AclGrant {
                grantee,
                permission,
            });
        }
    }
    Some(out)
}
