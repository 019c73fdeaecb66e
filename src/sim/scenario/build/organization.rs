//! `[organization]`: the organization's ids and where each account sits, from which the
//! organization context keys are derived; and the check that typed context keys agree with the
//! facts.

use std::collections::BTreeMap;

use super::Cx;
use crate::sim::arn::is_account_id;
use crate::sim::iam::facts::derived_keys;
use crate::sim::iam::{Organization, Principal, PrincipalKind, RequestContext, Resource};
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::scenario::keys;
use crate::sim::tree::{Node, Value};

/// AWS Organizations nests OUs at most five levels below the root.
const MAX_OU_DEPTH: usize = 5;
/// At most this many accounts in a scenario's organization.
const MAX_ACCOUNTS: usize = 1000;

fn id_like(s: &str, prefix: &str, body: impl Fn(&str) -> bool) -> bool {
    s.strip_prefix(prefix).is_some_and(body)
}

fn lower_alnum(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// `o-` and 10–32 lower-case letters or digits.
fn is_org_id(s: &str) -> bool {
    id_like(s, "o-", |b| lower_alnum(b, 10, 32))
}

/// `r-` and 4–32 lower-case letters or digits.
fn is_root_id(s: &str) -> bool {
    id_like(s, "r-", |b| lower_alnum(b, 4, 32))
}

/// `ou-`, 4–32 characters of the root, `-`, 8–32 characters.
fn is_ou_id(s: &str) -> bool {
    id_like(s, "ou-", |b| {
        b.split_once('-')
            .is_some_and(|(r, o)| lower_alnum(r, 4, 32) && lower_alnum(o, 8, 32))
    })
}

pub(super) fn organization(cx: &mut Cx<'_>, node: &Node) -> Option<Organization> {
    let place = "[organization]";
    let node = cx.table(node, place)?;
    cx.keys(node, keys::ORGANIZATION, place);
    let span_of = |key: &str| node.get(key).map_or(node.span.clone(), |n| n.span.clone());
    let mut ok = true;
    let id = cx.string(node, "id", place).map(str::to_string);
    if let Some(i) = id.as_deref().filter(|i| !is_org_id(i)) {
        cx.err(
            K::InvalidValue,
            &span_of("id"),
            format!("組織の id `{i}` の形式が正しくありません"),
            Some("o- のあとに英小文字と数字 10〜32 文字です(例: \"o-a1b2c3d4e5\")".into()),
        );
        ok = false;
    }
    let root = cx.string(node, "root", place).map(str::to_string);
    if let Some(r) = root.as_deref().filter(|r| !is_root_id(r)) {
        cx.err(
            K::InvalidValue,
            &span_of("root"),
            format!("ルートの id `{r}` の形式が正しくありません"),
            Some("r- のあとに英小文字と数字 4〜32 文字です(例: \"r-ab12\")".into()),
        );
        ok = false;
    }
    let mut accounts = BTreeMap::new();
    match node.get("accounts") {
        None => {
            cx.err(
                K::MissingKey,
                &node.span,
                "[organization] に accounts がありません",
                Some("accounts = { \"111122223333\" = [\"ou-ab12-11111111\"] } のように、アカウントごとにルートから順に OU を書きます(ルート直下なら [])".into()),
            );
            ok = false;
        }
        Some(list) => {
            let Some(entries) = list.entries() else {
                cx.err(
                    K::WrongType,
                    &list.span,
                    "accounts は { \"アカウントID\" = [OU, …] } のテーブルで書きます",
                    None,
                );
                return None;
            };
            if entries.len() > MAX_ACCOUNTS {
                cx.err(
                    K::Limit,
                    &list.span,
                    format!("accounts が多すぎます({MAX_ACCOUNTS} 個まで)"),
                    None,
                );
                return None;
            }
            for e in entries {
                if !is_account_id(&e.key) {
                    cx.err(
                        K::InvalidValue,
                        &e.key_span,
                        format!("アカウント `{}` は 12 桁の数字で書きます", e.key),
                        None,
                    );
                    ok = false;
                    continue;
                }
                let Value::Array(items) = &e.node.value else {
                    cx.err(
                        K::WrongType,
                        &e.node.span,
                        format!(
                            "アカウント {} の OU はルートから順の配列で書きます(ルート直下なら [])",
                            e.key
                        ),
                        None,
                    );
                    ok = false;
                    continue;
                };
                if items.len() > MAX_OU_DEPTH {
                    cx.err(
                        K::Limit,
                        &e.node.span,
                        format!(
                            "OU の入れ子は {MAX_OU_DEPTH} 段までです(AWS Organizations の上限)"
                        ),
                        None,
                    );
                    ok = false;
                    continue;
                }
                let mut ous = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(ou) if is_ou_id(ou) => ous.push(ou.to_string()),
                        _ => {
                            cx.err(
                                K::InvalidValue,
                                &item.span,
                                format!("OU の id `{}` の形式が正しくありません", item.render()),
                                Some("例: \"ou-ab12-11111111\"(ou-ルートの文字-OU の文字)".into()),
                            );
                            ok = false;
                        }
                    }
                }
                accounts.insert(e.key.clone(), ous);
            }
        }
    }
    let management_account = cx
        .opt_string(node, "management_account", place)
        .map(str::to_string);
    if let Some(m) = &management_account
        && !accounts.contains_key(m)
        && ok
    {
        cx.err(
            K::Conflict,
            &span_of("management_account"),
            format!("管理アカウント {m} が accounts にありません"),
            Some("管理アカウントも組織のメンバーです。accounts にも書きます".into()),
        );
        ok = false;
    }
    (ok).then_some(Organization {
        id: id?,
        root: root?,
        management_account,
        accounts,
    })
}

/// Applies what the organization says about the management account: the principal's and the
/// resource's `account_is_org_management` follow from it, and a flag that says otherwise is an
/// error.
pub(super) fn apply_management(
    cx: &mut Cx<'_>,
    req_node: &Node,
    org: &Organization,
    principal: &mut Principal,
    resource: &mut Resource,
) {
    let Some(m) = org.management_account.as_deref() else {
        return;
    };
    let flag_span = |table: &str| {
        req_node
            .get(table)
            .and_then(|t| t.get("account_is_org_management"))
            .map(|n| n.span.clone())
    };
    for (table, account, flag) in [
        (
            "principal",
            principal.account.as_deref(),
            &mut principal.account_is_org_management,
        ),
        (
            "resource",
            resource.account.as_deref(),
            &mut resource.account_is_org_management,
        ),
    ] {
        let is = account == Some(m);
        if *flag && !is {
            let span = flag_span(table).unwrap_or(req_node.span.clone());
            cx.err(
                K::Conflict,
                &span,
                format!("[request.{table}] の account_is_org_management = true が、[organization] の管理アカウント {m} と食い違います"),
                Some("[organization] に management_account を書いたなら、このフラグは書かなくてかまいません".into()),
            );
        }
        *flag = is;
    }
}

/// Every key [`derived_keys`] can give, lower-case.
const FACT_KEYS: &[&str] = &[
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:username",
    "aws:userid",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:resourceaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
];

/// Reports context keys the scenario typed whose values contradict what the facts give.
pub(super) fn check_typed_context(
    cx: &mut Cx<'_>,
    context_node: Option<&Node>,
    context: &RequestContext,
    principal: &Principal,
    resource: &Resource,
    org: Option<&Organization>,
) {
    // Most scenarios type none of these keys: then there is nothing to compare.
    let typed_fact = context
        .entries
        .iter()
        .any(|e| !e.derived && FACT_KEYS.contains(&e.key_lower.as_str()));
    if !typed_fact {
        return;
    }
    for (key, values) in derived_keys(principal, resource, org) {
        // Without a stated unique id, an IAM user's or role's aws:userid is a stand-in; a typed
        // value is the scenario's own statement of it.
        let stand_in = key == "aws:userid"
            && principal.unique_id.is_none()
            && matches!(
                principal.kind,
                PrincipalKind::IamUser
                    | PrincipalKind::SessionTokenSession
                    | PrincipalKind::AssumedRoleSession
            );
        let Some(typed) = context.get(key).filter(|e| !e.derived) else {
            continue;
        };
        let mut a = typed.values.clone();
        let mut b = values.clone();
        a.sort();
        b.sort();
        if stand_in || a == b {
            continue;
        }
        let span = context_node
            .and_then(Node::entries)
            .and_then(|es| es.iter().find(|e| e.key.eq_ignore_ascii_case(key)))
            .map_or(context_node.map_or(0..0, |n| n.span.clone()), |e| {
                e.key_span.clone()
            });
        cx.err(
            K::Conflict,
            &span,
            format!(
                "コンテキストキー `{}` の値 {} が、シナリオの事実から決まる値 {} と食い違います",
                typed.key,
                quoted(&typed.values),
                quoted(&values)
            ),
            Some(format!("{key} はプリンシパル・リソースのアカウントや [organization] から決まるので、書かなくてかまいません。値を変えたいときは事実のほう(account、arn、[organization] など)を変えます")),
        );
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join("・")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::iam::facts::Organization as Org;

    #[test]
    fn fact_keys_name_every_key_the_facts_can_give() {
        let org = Org {
            id: "o-a1b2c3d4e5".into(),
            root: "r-ab12".into(),
            management_account: None,
            accounts: BTreeMap::from([("111122223333".to_string(), vec![])]),
        };
        for kind in [
            PrincipalKind::AssumedRoleSession,
            PrincipalKind::IamUser,
            PrincipalKind::Service,
        ] {
            let p = Principal {
                kind,
                arn: Some("arn:aws:sts::111122223333:assumed-role/R/s".into()),
                account: Some("111122223333".into()),
                role_arn: Some("arn:aws:iam::111122223333:role/R".into()),
                federating_user_arn: None,
                service: Some("ec2.amazonaws.com".into()),
                provider: None,
                canonical_user: None,
                unique_id: None,
                is_service_linked_role: false,
                account_is_org_management: false,
            };
            let r = Resource {
                arn: "arn:aws:s3:::b/k".into(),
                account: Some("111122223333".into()),
                account_is_org_management: false,
                is_aws_managed_key: false,
            };
            for (key, _) in derived_keys(&p, &r, Some(&org)) {
                assert!(FACT_KEYS.contains(&key.to_lowercase().as_str()), "{key}");
            }
        }
    }

    #[test]
    fn organization_ids_follow_the_organizations_patterns() {
        assert!(is_org_id("o-a1b2c3d4e5"));
        assert!(!is_org_id("o-short"));
        assert!(!is_org_id("o-A1B2C3D4E5"));
        assert!(is_root_id("r-ab12"));
        assert!(!is_root_id("ab12"));
        assert!(is_ou_id("ou-ab12-11111111"));
        assert!(!is_ou_id("ou-ab12"));
        assert!(!is_ou_id("ou-ab12-1111"));
    }
}
