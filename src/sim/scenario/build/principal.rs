//! `[request.principal]`.

use super::Cx;
use crate::sim::arn::{Arn, is_account_id};
use crate::sim::iam::{Principal, PrincipalKind};
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::scenario::keys;
use crate::sim::tree::Node;
use crate::suggest::did_you_mean;

pub(super) fn principal(cx: &mut Cx<'_>, node: &Node) -> Option<Principal> {
    let place = "[request.principal]";
    let node = cx.table(node, place)?;
    cx.keys(node, keys::PRINCIPAL, place);
    let type_name = cx.string(node, "type", place)?;
    let Some(kind) = PrincipalKind::from_name(type_name) else {
        let n = node.get("type")?;
        cx.err(
            K::InvalidValue,
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
        unique_id: get(cx, "unique_id"),
        is_service_linked_role: cx.flag(node, "is_service_linked_role", place),
        account_is_org_management: cx.flag(node, "account_is_org_management", place),
    };
    let span_of = |key: &str| node.get(key).map_or(node.span.clone(), |n| n.span.clone());
    if let Some(id) = &p.unique_id {
        // IAM unique ids: AIDA… for users, AROA… for roles (IAM identifiers, "Unique identifiers").
        let prefix = match kind {
            PrincipalKind::IamUser | PrincipalKind::SessionTokenSession => Some("AIDA"),
            PrincipalKind::AssumedRoleSession => Some("AROA"),
            _ => None,
        };
        match prefix {
            None => cx.err(
                K::Conflict,
                &span_of("unique_id"),
                format!(
                    "unique_id は IAM ユーザーとロールセッションだけに書きます({} には書けません)",
                    kind.label()
                ),
                None,
            ),
            Some(prefix)
                if !id.starts_with(prefix)
                    || !(16..=128).contains(&id.len())
                    || !id
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
            {
                cx.err(
                    K::InvalidValue,
                    &span_of("unique_id"),
                    format!("unique_id `{id}` の形式が正しくありません"),
                    Some(format!("{} の一意の ID は {prefix} で始まる英大文字と数字です(例: \"{prefix}JQABLZS4A3QDU576Q\")", if prefix == "AIDA" { "IAM ユーザー" } else { "ロール" })),
                );
            }
            Some(_) => {}
        }
    }
    let arn = p.arn.as_deref().and_then(Arn::parse);
    let arn_shape = |service: &str, prefix: &str| {
        arn.is_some_and(|a| {
            a.region.is_empty() && a.has_account() && a.resource_is(service, prefix)
        })
    };
    let needs_arn = |cx: &mut Cx<'_>, shape: bool, example: &str| {
        if !shape {
            let msg = match &p.arn {
                None => format!("{} には arn が必要です", kind.label()),
                Some(a) => format!("{} の ARN `{a}` の形式が正しくありません", kind.label()),
            };
            cx.err(
                K::InvalidArn,
                &span_of("arn"),
                msg,
                Some(format!("例: \"{example}\"")),
            );
        }
        shape
    };
    let arn_account = arn.map(|a| a.account.to_string());
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
                    && arn.is_some_and(|a| a.resource.matches('/').count() >= 2),
                "arn:aws:sts::111122223333:assumed-role/Dev/alice",
            );
            let role_name = p
                .arn
                .as_deref()
                .and_then(|a| a.split('/').nth(1))
                .map(str::to_string);
            match (&p.role_arn, role_name) {
                (None, Some(name)) if ok => {
                    let partition = arn.map_or("aws", |a| a.partition);
                    p.role_arn = Some(format!(
                        "arn:{partition}:iam::{}:role/{name}",
                        arn_account.clone().unwrap_or_default()
                    ));
                }
                (Some(role), Some(name)) if ok => {
                    let role_account = Arn::parse(role).filter(Arn::is_role).map(|a| a.account);
                    if role_account.is_none() || role_account != arn_account.as_deref() {
                        cx.err(K::InvalidArn, &span_of("role_arn"), format!("role_arn `{role}` はセッションと同じアカウントのロールの ARN で書きます"), Some(format!("例: \"arn:aws:iam::{}:role/{name}\"", arn_account.clone().unwrap_or_default())));
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
                    K::InvalidArn,
                    &span_of("federating_user_arn"),
                    format!("federating_user_arn `{f}` は IAM ユーザーの ARN で書きます"),
                    None,
                );
            }
        }
        PrincipalKind::Root => {
            if p.arn.is_some() && !arn_shape("iam", "root") {
                cx.err(
                    K::InvalidArn,
                    &span_of("arn"),
                    "ルートユーザーの ARN は arn:aws:iam::アカウントID:root です",
                    None,
                );
            }
        }
        PrincipalKind::Service => {
            if p.service.is_none() {
                cx.err(
                    K::MissingKey,
                    &node.span,
                    "type = \"service\" には service(例: \"ec2.amazonaws.com\")が必要です",
                    None,
                );
            }
        }
        PrincipalKind::Federated => {
            if p.provider.is_none() {
                cx.err(K::MissingKey, &node.span, "type = \"federated\" には provider(例: \"cognito-identity.amazonaws.com\" や SAML プロバイダーの ARN)が必要です", None);
            }
        }
        PrincipalKind::Anonymous => {}
    }
    if kind.is_iam_entity() || kind == PrincipalKind::Root {
        match (&p.account, &arn_account) {
            (None, Some(a)) if is_account_id(a) => p.account = Some(a.clone()),
            (Some(acct), Some(a)) if acct != a && is_account_id(a) => {
                cx.err(
                    K::Conflict,
                    &span_of("account"),
                    format!("account `{acct}` が ARN のアカウント `{a}` と違います"),
                    None,
                );
            }
            (None, _) => cx.err(
                K::MissingKey,
                &node.span,
                format!("{} には account が必要です", kind.label()),
                Some("12 桁のアカウント ID を書きます".into()),
            ),
            _ => {}
        }
    }
    if let Some(a) = &p.account
        && !is_account_id(a)
    {
        cx.err(
            K::InvalidValue,
            &span_of("account"),
            format!("account `{a}` は 12 桁の数字で書きます"),
            None,
        );
    }
    Some(p)
}
