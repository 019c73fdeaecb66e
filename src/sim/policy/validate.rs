//! Parse → validate for policy documents: JSON text (or an already-read document tree) becomes
//! a compiled [`Policy`], or every problem found, each with its JSON path, a Japanese message
//! and a span. The rules follow AWS's policy grammar and the limits of each policy type.

use super::condition::{Operator, compile_values};
use super::pattern::{Pattern, Wild};
use super::{
    Effect, PatternList, Policy, PolicyError, PolicyErrorKind, PolicyErrorKind as K, PolicyType,
    PrincipalId, PrincipalSpec, Statement, Version,
};
use crate::sim::arn::{Arn, is_account_id};
use crate::sim::json;
use crate::sim::tree::{Node, Value};
use crate::suggest::did_you_mean;

/// At most this many statements in one policy.
pub const MAX_STATEMENTS: usize = 1000;
/// At most this many values in one element.
pub const MAX_VALUES: usize = 1000;
/// At most this many characters in one action, resource, principal or condition value (ARNs are
/// at most 2048 in AWS).
pub const MAX_VALUE_LEN: usize = 4096;

const TOP_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_KEYS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// What a document is validated as: the grammar of a policy type, or a role trust policy (a
/// resource-based policy with a grammar of its own: Principal required, no NotPrincipal, no
/// Resource, STS actions only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A policy of this type.
    Of(PolicyType),
    /// A role trust policy (evaluated as the role's resource-based policy).
    Trust,
}

impl From<PolicyType> for Kind {
    fn from(t: PolicyType) -> Self {
        Kind::Of(t)
    }
}

impl Kind {
    fn ptype(self) -> PolicyType {
        match self {
            Kind::Of(t) => t,
            Kind::Trust => PolicyType::Resource,
        }
    }
}

/// Actions a role trust policy may name (IAM: "AssumeRole policy may only specify STS
/// AssumeRole actions").
const TRUST_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

/// Parses and validates a policy document written as JSON text.
pub fn parse_policy(text: &str, kind: impl Into<Kind>) -> Result<Policy, Vec<PolicyError>> {
    let kind = kind.into();
    let node = json::parse(text).map_err(|errs| {
        errs.into_iter()
            .map(|e| PolicyError {
                kind: PolicyErrorKind::Syntax,
                path: String::new(),
                message: e.message,
                span: e.span,
                hint: e.hint,
            })
            .collect::<Vec<_>>()
    })?;
    validate_policy(&node, kind)
}

/// Validates a policy document already read into a tree.
pub fn validate_policy(node: &Node, kind: impl Into<Kind>) -> Result<Policy, Vec<PolicyError>> {
    let kind = kind.into();
    let mut v = Validator {
        ptype: kind.ptype(),
        trust: kind == Kind::Trust,
        errors: Vec::new(),
    };
    let policy = v.policy(node);
    match policy {
        Some(p) if v.errors.is_empty() => Ok(p),
        _ => Err(v.errors),
    }
}

struct Validator {
    ptype: PolicyType,
    trust: bool,
    errors: Vec<PolicyError>,
}

impl Validator {
    fn err(
        &mut self,
        kind: PolicyErrorKind,
        path: &str,
        node_span: &std::ops::Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.errors.push(PolicyError {
            kind,
            path: path.to_string(),
            message: message.into(),
            span: node_span.clone(),
            hint,
        });
    }

    fn unknown_keys(&mut self, node: &Node, path: &str, allowed: &[&str], what: &str) {
        for e in node.entries().unwrap_or(&[]) {
            if allowed.contains(&e.key.as_str()) {
                continue;
            }
            let exact_case = allowed.iter().find(|k| k.eq_ignore_ascii_case(&e.key));
            let hint = match exact_case {
                Some(k) => Some(format!(
                    "要素名は大文字小文字を区別します。`{k}` と書きます"
                )),
                None => did_you_mean(&e.key, allowed.iter().copied()),
            };
            let at = join(path, &e.key);
            self.err(
                K::UnknownElement,
                &at,
                &e.key_span,
                format!("{what}に `{}` という要素はありません", e.key),
                hint,
            );
        }
    }

    fn policy(&mut self, node: &Node) -> Option<Policy> {
        if node.entries().is_none() {
            self.err(
                K::WrongType,
                "",
                &node.span,
                format!(
                    "ポリシーは JSON オブジェクトで書きます({}になっています)",
                    node.kind_ja()
                ),
                None,
            );
            return None;
        }
        self.unknown_keys(node, "", TOP_KEYS, "ポリシー");
        let version = match node.get("Version") {
            None => Version::V2008_10_17,
            Some(n) => {
                match n.as_str() {
                    Some("2012-10-17") => Version::V2012_10_17,
                    Some("2008-10-17") => Version::V2008_10_17,
                    _ => {
                        self.err(K::InvalidValue,
                        "Version",
                        &n.span,
                        format!("Version `{}` は使えません", n.render()),
                        Some("\"2012-10-17\" と書きます(ポリシー変数はこのバージョンでだけ使えます)".into()),
                    );
                        Version::V2012_10_17
                    }
                }
            }
        };
        let id = node.get("Id").and_then(|n| {
            let s = n.as_str().map(str::to_string);
            if s.is_none() {
                self.err(K::WrongType, "Id", &n.span, "Id は文字列で書きます", None);
            }
            s
        });
        let Some(stmts) = node.get("Statement") else {
            self.err(
                K::MissingElement,
                "",
                &node.span,
                "Statement がありません",
                Some("\"Statement\": [ { \"Effect\": …, \"Action\": …, … } ] を書きます".into()),
            );
            return None;
        };
        let list: Vec<(String, &Node)> = match &stmts.value {
            Value::Table(_) => vec![("Statement".to_string(), stmts)],
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("Statement[{i}]"), n))
                .collect(),
            _ => {
                self.err(
                    K::WrongType,
                    "Statement",
                    &stmts.span,
                    "Statement はオブジェクトかオブジェクトの配列で書きます",
                    None,
                );
                return None;
            }
        };
        if list.len() > MAX_STATEMENTS {
            self.err(
                K::Limit,
                "Statement",
                &stmts.span,
                format!(
                    "ステートメントが多すぎます({} 個。上限は {MAX_STATEMENTS} 個)",
                    list.len()
                ),
                None,
            );
            return None;
        }
        let mut statements = Vec::with_capacity(list.len());
        for (path, n) in list {
            if let Some(s) = self.statement(n, &path, version) {
                statements.push(s);
            }
        }
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for (i, s) in statements.iter().enumerate() {
            if let Some(sid) = s.sid.as_deref() {
                if let Some((_, first)) = seen.iter().find(|(x, _)| *x == sid) {
                    let path = format!("Statement[{i}].Sid");
                    let span = stmts
                        .as_array()
                        .and_then(|a| a.get(i))
                        .and_then(|n| n.get("Sid"))
                        .map_or(stmts.span.clone(), |n| n.span.clone());
                    self.errors.push(PolicyError {
                        kind: PolicyErrorKind::Duplicate,
                        path,
                        message: format!(
                            "Sid `{sid}` が重複しています({first} 番目のステートメントと同じ)"
                        ),
                        span,
                        hint: Some("Sid はポリシーの中で一意にします".into()),
                    });
                } else {
                    seen.push((sid, i));
                }
            }
        }
        Some(Policy {
            version,
            id,
            statements,
        })
    }

    fn statement(&mut self, node: &Node, path: &str, version: Version) -> Option<Statement> {
        if node.entries().is_none() {
            self.err(
                K::WrongType,
                path,
                &node.span,
                format!(
                    "ステートメントはオブジェクトで書きます({}になっています)",
                    node.kind_ja()
                ),
                None,
            );
            return None;
        }
        self.unknown_keys(node, path, STATEMENT_KEYS, "ステートメント");
        let vars = version == Version::V2012_10_17;
        let sid = node.get("Sid").and_then(|n| match n.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(
                    K::WrongType,
                    &join(path, "Sid"),
                    &n.span,
                    "Sid は文字列で書きます",
                    None,
                );
                None
            }
        });
        let effect = match node.get("Effect") {
            None => {
                self.err(
                    K::MissingElement,
                    path,
                    &node.span,
                    "Effect がありません",
                    Some("\"Effect\": \"Allow\" か \"Deny\" を書きます".into()),
                );
                None
            }
            Some(n) => match n.as_str() {
                Some("Allow") => Some(Effect::Allow),
                Some("Deny") => Some(Effect::Deny),
                other => {
                    let hint = match other {
                        Some(s)
                            if s.eq_ignore_ascii_case("allow")
                                || s.eq_ignore_ascii_case("deny") =>
                        {
                            "Effect は大文字小文字を区別します。\"Allow\" か \"Deny\" と書きます"
                        }
                        _ => "\"Allow\" か \"Deny\" のどちらかです",
                    };
                    self.err(
                        K::InvalidValue,
                        &join(path, "Effect"),
                        &n.span,
                        format!("Effect `{}` は使えません", n.render()),
                        Some(hint.into()),
                    );
                    None
                }
            },
        };
        let principal = self.principal_element(node, path);
        let action = self.action_element(node, path);
        let resource = self.resource_element(node, path, vars);
        let conditions = match node.get("Condition") {
            Some(c) => self.conditions(c, &join(path, "Condition"), vars),
            None => Some(Vec::new()),
        };
        if let (Some(Effect::Allow), Some(n)) = (effect, node.get("NotPrincipal")) {
            self.err(K::NotAllowed,
                &join(path, "NotPrincipal"),
                &n.span,
                "NotPrincipal は \"Effect\": \"Deny\" とだけ使えます(AWS: Using it with \"Effect\":\"Allow\" is not supported)",
                Some("許可する相手は Principal に列挙します".into()),
            );
            return None;
        }
        if self.ptype == PolicyType::Rcp {
            self.rcp_rules(node, path, effect)?;
        }
        Some(Statement {
            sid,
            effect: effect?,
            principal: principal?,
            action: action?,
            resource: resource?,
            conditions: conditions?,
            disabled: false,
        })
    }

    /// What Organizations allows in an RCP beside the common grammar: no NotAction, and Allow
    /// only as in RCPFullAWSAccess (Principal, Action and Resource `*`, no Condition).
    fn rcp_rules(&mut self, node: &Node, path: &str, effect: Option<Effect>) -> Option<()> {
        if let Some(n) = node.get("NotAction") {
            self.err(
                K::NotAllowed,
                &join(path, "NotAction"),
                &n.span,
                "RCP には NotAction を書けません(RCP がサポートしない要素です)",
                Some("Action に対象のアクションを列挙します".into()),
            );
            return None;
        }
        let star = |key: &str| node.get(key).and_then(|n| n.as_str()) == Some("*");
        if effect == Some(Effect::Allow)
            && !(star("Principal")
                && star("Action")
                && star("Resource")
                && node.get("Condition").is_none())
        {
            self.err(K::NotAllowed,
                path,
                &node.span,
                "RCP の Allow は RCPFullAWSAccess(Principal・Action・Resource がすべて \"*\" で Condition なし)にだけ使えます(AWS: The effect of Allow is only supported for the RCPFullAWSAccess policy)",
                Some("RCP は Deny で制限を書きます".into()),
            );
            return None;
        }
        Some(())
    }

    /// `Some(None)` when there is no principal element (and none is needed).
    fn principal_element(&mut self, node: &Node, path: &str) -> Option<Option<PrincipalSpec>> {
        let p = node.get("Principal");
        let np = node.get("NotPrincipal");
        if let (Some(_), Some(n)) = (p, np) {
            self.err(
                K::Conflict,
                &join(path, "NotPrincipal"),
                &n.span,
                "Principal と NotPrincipal は同じステートメントに書けません",
                None,
            );
            return None;
        }
        let (negated, element) = match (p, np) {
            (Some(p), None) => (false, p),
            (None, Some(n)) => (true, n),
            _ => {
                return match self.ptype {
                    PolicyType::Resource if self.trust => {
                        self.err(
                            K::MissingElement,
                            path,
                            &node.span,
                            "信頼ポリシーのステートメントには Principal が必要です",
                            Some("例: \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}".into()),
                        );
                        None
                    }
                    PolicyType::Resource => {
                        self.err(K::MissingElement,
                            path,
                            &node.span,
                            "リソースベースのポリシーのステートメントには Principal(または NotPrincipal)が必要です",
                            Some("例: \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}".into()),
                        );
                        None
                    }
                    _ => Some(None),
                };
            }
        };
        let name = if negated { "NotPrincipal" } else { "Principal" };
        let at = join(path, name);
        if self.trust && negated {
            self.err(K::NotAllowed,
                &at,
                &element.span,
                "信頼ポリシーには NotPrincipal を書けません(AWS: You cannot use the NotPrincipal element in an IAM role trust policy)",
                Some("引き受けられる相手を Principal に列挙します".into()),
            );
            return None;
        }
        match self.ptype {
            PolicyType::Identity
            | PolicyType::PermissionsBoundary
            | PolicyType::Session
            | PolicyType::Scp => {
                self.err(K::NotAllowed,
                    &at,
                    &element.span,
                    format!("{}には {name} を書けません", self.ptype.label()),
                    Some("プリンシパルはポリシーを付けた相手で決まります。Principal はリソースベースのポリシーで使います".into()),
                );
                return None;
            }
            PolicyType::Rcp if negated => {
                self.err(
                    K::NotAllowed,
                    &at,
                    &element.span,
                    "RCP には NotPrincipal を書けません(RCP がサポートしない要素です)",
                    Some("対象を絞るには Condition(aws:PrincipalArn など)を使います".into()),
                );
                return None;
            }
            PolicyType::Rcp if element.as_str() != Some("*") => {
                self.err(
                    K::NotAllowed,
                    &at,
                    &element.span,
                    "RCP の Principal は \"*\" だけです",
                    Some("対象を絞るには Condition(aws:PrincipalArn など)を使います".into()),
                );
                return None;
            }
            _ => {}
        }
        let ids = self.principal_ids(element, &at)?;
        Some(Some(PrincipalSpec { negated, ids }))
    }

    fn principal_ids(&mut self, element: &Node, path: &str) -> Option<Vec<PrincipalId>> {
        match &element.value {
            Value::Str(s) if s == "*" => return Some(vec![PrincipalId::Everyone]),
            Value::Str(s) => {
                self.err(K::InvalidValue,
                    path,
                    &element.span,
                    format!("Principal に文字列で書けるのは \"*\" だけです(`{s}`)"),
                    Some(format!("{{\"AWS\": \"{s}\"}} や {{\"Service\": \"{s}\"}} のように種類を付けて書きます")),
                );
                return None;
            }
            Value::Table(_) => {}
            _ => {
                self.err(
                    K::WrongType,
                    path,
                    &element.span,
                    "Principal は \"*\" かオブジェクトで書きます",
                    None,
                );
                return None;
            }
        }
        self.unknown_keys(element, path, PRINCIPAL_KEYS, "Principal");
        let mut ids = Vec::new();
        let mut ok = true;
        for e in element.entries().unwrap_or(&[]) {
            if !PRINCIPAL_KEYS.contains(&e.key.as_str()) {
                ok = false;
                continue;
            }
            let at = join(path, &e.key);
            let Some(values) = self.strings(&e.node, &at) else {
                ok = false;
                continue;
            };
            for (text, span) in values {
                match principal_id(&e.key, &text) {
                    Ok(id) => ids.push(id),
                    Err((message, hint)) => {
                        ok = false;
                        self.err(K::InvalidValue, &at, &span, message, hint);
                    }
                }
            }
        }
        if ok && ids.is_empty() {
            self.err(
                K::InvalidValue,
                path,
                &element.span,
                "Principal が空です",
                None,
            );
            return None;
        }
        ok.then_some(ids)
    }

    fn action_element(&mut self, node: &Node, path: &str) -> Option<PatternList> {
        let (negated, element) = match (node.get("Action"), node.get("NotAction")) {
            (Some(_), Some(n)) => {
                self.err(
                    K::Conflict,
                    &join(path, "NotAction"),
                    &n.span,
                    "Action と NotAction は同じステートメントに書けません",
                    Some("どちらか一方だけを書きます".into()),
                );
                return None;
            }
            (Some(a), None) => (false, a),
            (None, Some(n)) => (true, n),
            (None, None) => {
                self.err(
                    K::MissingElement,
                    path,
                    &node.span,
                    "Action(または NotAction)がありません",
                    Some("例: \"Action\": \"s3:GetObject\"".into()),
                );
                return None;
            }
        };
        let at = join(path, if negated { "NotAction" } else { "Action" });
        let values = self.strings(element, &at)?;
        let mut patterns = Vec::with_capacity(values.len());
        let mut ok = true;
        if self.trust && negated {
            self.err(K::NotAllowed,
                &at,
                &element.span,
                "信頼ポリシーには NotAction を書けません(AWS: AssumeRole policy may only specify STS AssumeRole actions)",
                Some("\"Action\": \"sts:AssumeRole\" のように書きます".into()),
            );
            return None;
        }
        for (text, span) in values {
            if self.trust && !trust_action(&text) {
                ok = false;
                self.err(K::NotAllowed,
                    &at,
                    &span,
                    format!("信頼ポリシーに `{text}` は書けません(AWS: AssumeRole policy may only specify STS AssumeRole actions)"),
                    Some("sts:AssumeRole、sts:AssumeRoleWithSAML、sts:AssumeRoleWithWebIdentity、sts:TagSession、sts:SetSourceIdentity、sts:SetContext のどれかです。ロールの権限はアイデンティティベースのポリシーに書きます".into()),
                );
                continue;
            }
            if let Err(hint) = check_action(&text) {
                ok = false;
                self.err(
                    K::InvalidValue,
                    &at,
                    &span,
                    format!("アクション `{text}` の形式が正しくありません"),
                    Some(hint),
                );
                continue;
            }
            match Pattern::new(&text, Wild::Free, false, true) {
                Ok(p) => patterns.push(p),
                Err(m) => {
                    ok = false;
                    self.err(K::InvalidValue, &at, &span, m, None);
                }
            }
        }
        ok.then_some(PatternList { negated, patterns })
    }

    /// `Some(None)` when there is no resource element and none is needed.
    fn resource_element(
        &mut self,
        node: &Node,
        path: &str,
        vars: bool,
    ) -> Option<Option<PatternList>> {
        let (negated, element) = match (node.get("Resource"), node.get("NotResource")) {
            (Some(_), Some(n)) => {
                self.err(
                    K::Conflict,
                    &join(path, "NotResource"),
                    &n.span,
                    "Resource と NotResource は同じステートメントに書けません",
                    None,
                );
                return None;
            }
            (Some(r), None) => (false, r),
            (None, Some(n)) => (true, n),
            (None, None) => {
                return match self.ptype {
                    PolicyType::Resource | PolicyType::VpcEndpoint => Some(None),
                    _ => {
                        self.err(
                            K::MissingElement,
                            path,
                            &node.span,
                            format!(
                                "{}のステートメントには Resource(または NotResource)が必要です",
                                self.ptype.label()
                            ),
                            Some("すべてのリソースなら \"Resource\": \"*\" と書きます".into()),
                        );
                        None
                    }
                };
            }
        };
        let at = join(path, if negated { "NotResource" } else { "Resource" });
        if self.trust {
            let name = if negated { "NotResource" } else { "Resource" };
            self.err(K::NotAllowed,
                &at,
                &element.span,
                format!("信頼ポリシーには {name} を書けません(AWS: MalformedPolicyDocument: Has prohibited field {name})"),
                Some("信頼ポリシーの対象はロールそのものです。ロールの権限はアイデンティティベースのポリシーに書きます".into()),
            );
            return None;
        }
        let values = self.strings(element, &at)?;
        let mut patterns = Vec::with_capacity(values.len());
        let mut ok = true;
        for (text, span) in values {
            if let Err(hint) = check_resource(&text) {
                ok = false;
                self.err(
                    K::InvalidValue,
                    &at,
                    &span,
                    format!("リソース `{text}` は ARN の形式になっていません"),
                    Some(hint),
                );
                continue;
            }
            match Pattern::new(&text, Wild::Arn, vars, false) {
                Ok(p) => patterns.push(p),
                Err(m) => {
                    ok = false;
                    self.err(K::InvalidValue, &at, &span, m, None);
                }
            }
        }
        ok.then_some(Some(PatternList { negated, patterns }))
    }

    fn conditions(&mut self, node: &Node, path: &str, vars: bool) -> Option<Vec<super::Condition>> {
        let Some(entries) = node.entries() else {
            self.err(
                K::WrongType,
                path,
                &node.span,
                "Condition はオブジェクトで書きます",
                Some("例: \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}".into()),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for op_entry in entries {
            let at = join(path, &op_entry.key);
            let Some(op) = Operator::parse(&op_entry.key) else {
                ok = false;
                let base = op_entry
                    .key
                    .rsplit(':')
                    .next()
                    .unwrap_or(&op_entry.key)
                    .trim_end_matches("IfExists");
                let hint = did_you_mean(base, Operator::names())
                    .or_else(|| Some("StringEquals、StringLike、ArnLike、Bool、IpAddress、NumericLessThan、DateGreaterThan、Null などの演算子を使います".into()));
                self.err(
                    K::InvalidValue,
                    &at,
                    &op_entry.key_span,
                    format!(
                        "条件演算子 `{}` はありません(AWS はこのポリシーを受け付けません)",
                        op_entry.key
                    ),
                    hint,
                );
                continue;
            };
            let Some(keys) = op_entry.node.entries() else {
                ok = false;
                self.err(
                    K::WrongType,
                    &at,
                    &op_entry.node.span,
                    "条件演算子の値は {\"条件キー\": 値} のオブジェクトで書きます",
                    None,
                );
                continue;
            };
            for key_entry in keys {
                let key_at = join(&at, &key_entry.key);
                if !valid_condition_key(&key_entry.key) {
                    ok = false;
                    self.err(
                        K::InvalidValue,
                        &key_at,
                        &key_entry.key_span,
                        format!("条件キー `{}` の形式が正しくありません", key_entry.key),
                        Some("`aws:SourceIp` のように「サービス接頭辞:キー名」で書きます".into()),
                    );
                    continue;
                }
                let Some(raw) = self.condition_values(&key_entry.node, &key_at) else {
                    ok = false;
                    continue;
                };
                match compile_values(op.family, &raw, vars) {
                    Ok(values) => out.push(super::Condition {
                        operator_text: op_entry.key.clone(),
                        operator: op,
                        key: key_entry.key.clone(),
                        key_lower: key_entry.key.to_lowercase(),
                        raw_values: raw,
                        values,
                    }),
                    Err(m) => {
                        ok = false;
                        self.err(K::InvalidValue, &key_at, &key_entry.node.span, m, None);
                    }
                }
            }
        }
        ok.then_some(out)
    }

    fn condition_values(&mut self, node: &Node, path: &str) -> Option<Vec<String>> {
        let scalar = |n: &Node| -> Option<String> {
            match &n.value {
                Value::Str(s) => Some(s.clone()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Int(i) => Some(i.to_string()),
                Value::Float(f) => Some(f.to_string()),
                _ => None,
            }
        };
        let items: Vec<&Node> = match &node.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![node],
        };
        if items.is_empty() {
            self.err(
                K::InvalidValue,
                path,
                &node.span,
                "条件の値が空の配列です",
                None,
            );
            return None;
        }
        if items.len() > MAX_VALUES {
            self.err(
                K::Limit,
                path,
                &node.span,
                format!("値が多すぎます({} 個。上限は {MAX_VALUES} 個)", items.len()),
                None,
            );
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        for n in items {
            match scalar(n) {
                Some(s) if s.len() > MAX_VALUE_LEN => {
                    self.err(K::Limit, path, &n.span, too_long(s.len()), None);
                    return None;
                }
                Some(s) => out.push(s),
                None => {
                    self.err(
                        K::WrongType,
                        path,
                        &n.span,
                        format!(
                            "条件の値は文字列・数値・真偽値かその配列で書きます({}になっています)",
                            n.kind_ja()
                        ),
                        None,
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A string or a non-empty array of strings, with spans.
    fn strings(
        &mut self,
        node: &Node,
        path: &str,
    ) -> Option<Vec<(String, std::ops::Range<usize>)>> {
        match &node.value {
            Value::Str(s) if s.len() > MAX_VALUE_LEN => {
                self.err(K::Limit, path, &node.span, too_long(s.len()), None);
                None
            }
            Value::Str(s) => Some(vec![(s.clone(), node.span.clone())]),
            Value::Array(items) if items.is_empty() => {
                self.err(
                    K::InvalidValue,
                    path,
                    &node.span,
                    "空の配列は書けません",
                    None,
                );
                None
            }
            Value::Array(items) if items.len() > MAX_VALUES => {
                self.err(
                    K::Limit,
                    path,
                    &node.span,
                    format!("値が多すぎます({} 個。上限は {MAX_VALUES} 個)", items.len()),
                    None,
                );
                None
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for n in items {
                    match n.as_str() {
                        Some(s) if s.len() > MAX_VALUE_LEN => {
                            self.err(K::Limit, path, &n.span, too_long(s.len()), None);
                            return None;
                        }
                        Some(s) => out.push((s.to_string(), n.span.clone())),
                        None => {
                            self.err(
                                K::WrongType,
                                path,
                                &n.span,
                                format!("文字列で書きます({}になっています)", n.kind_ja()),
                                None,
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            }
            _ => {
                self.err(
                    K::WrongType,
                    path,
                    &node.span,
                    format!(
                        "文字列か文字列の配列で書きます({}になっています)",
                        node.kind_ja()
                    ),
                    None,
                );
                None
            }
        }
    }
}

/// An action a role trust policy may name: one of [`TRUST_ACTIONS`], or an STS wildcard that
/// matches one.
fn trust_action(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if !lower.starts_with("sts:") {
        return false;
    }
    struct NoVars;
    impl super::Vars for NoVars {
        fn var(&self, _: &str) -> Option<&str> {
            None
        }
    }
    match Pattern::new(&lower, Wild::Free, false, true) {
        Ok(p) => TRUST_ACTIONS
            .iter()
            .any(|a| p.matches(a, &NoVars) == Some(true)),
        Err(_) => false,
    }
}

fn too_long(len: usize) -> String {
    format!("値が長すぎます({len} バイト。上限は {MAX_VALUE_LEN} バイト)")
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Checks an action name: `*` or `service:Action`, wildcards allowed.
fn check_action(text: &str) -> Result<(), String> {
    if text == "*" {
        return Ok(());
    }
    let ok = match text.split_once(':') {
        Some((prefix, name)) => {
            !prefix.is_empty()
                && !name.is_empty()
                && prefix
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'*' | b'?'))
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'?' | b'-' | b'_'))
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err("「サービス接頭辞:アクション名」で書きます(例: \"s3:GetObject\"、\"ec2:*\"、すべてなら \"*\")".into())
    }
}

/// Checks a resource: `*` or an ARN (`arn:partition:service:region:account:resource`).
fn check_resource(text: &str) -> Result<(), String> {
    const HINT: &str = "arn:パーティション:サービス:リージョン:アカウント:リソース の形で書きます(例: \"arn:aws:s3:::my-bucket/*\"、すべてなら \"*\")";
    if text == "*" {
        return Ok(());
    }
    // A wildcard may stand for the fields it leaves out: `arn:aws:s3:*`.
    let mut fields = text.split(':');
    let ok = Arn::parse(text).is_some()
        || (text.contains('*')
            && fields.next() == Some("arn")
            && fields.next().is_some_and(|p| !p.is_empty())
            && fields.next().is_some_and(|s| !s.is_empty()));
    if ok { Ok(()) } else { Err(HINT.into()) }
}

fn valid_condition_key(key: &str) -> bool {
    match key.split_once(':') {
        Some((prefix, name)) => {
            !prefix.is_empty() && !name.is_empty() && !key.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Reads one principal value of the given kind; the error is a Japanese message and hint.
fn principal_id(kind: &str, text: &str) -> Result<PrincipalId, (String, Option<String>)> {
    let wildcard_err = || {
        (
            format!("Principal の値 `{text}` にワイルドカードは使えません"),
            Some("すべてなら \"*\"、ARN の一部で絞るなら Condition の aws:PrincipalArn と ArnLike を使います".to_string()),
        )
    };
    match kind {
        "AWS" => {
            if text == "*" {
                return Ok(PrincipalId::Everyone);
            }
            if text.contains(['*', '?']) {
                return Err(wildcard_err());
            }
            if is_account_id(text) {
                return Ok(PrincipalId::Account(text.to_string()));
            }
            let hint = || {
                Some("12 桁のアカウント ID、\"arn:aws:iam::111122223333:root\"、\"arn:aws:iam::111122223333:role/名前\" などで書きます".to_string())
            };
            let Some(Arn {
                service,
                account,
                resource,
                ..
            }) = Arn::parse(text)
            else {
                return Err((
                    format!("AWS プリンシパル `{text}` の形式が正しくありません"),
                    hint(),
                ));
            };
            let valid = match service {
                "iam" if resource.starts_with("group/") => {
                    return Err((
                        format!("IAM グループ `{text}` はプリンシパルになれません(AWS: Invalid principal in policy)"),
                        Some("グループはアクセス許可をまとめる入れ物で、認証されるIDではありません。ユーザーかロールの ARN を書きます".into()),
                    ));
                }
                "iam" => {
                    resource == "root"
                        || ["user/", "role/"]
                            .iter()
                            .any(|p| resource.starts_with(p) && resource.len() > p.len())
                }
                "sts" => {
                    resource.starts_with("assumed-role/") && resource.matches('/').count() >= 2
                        || resource.starts_with("federated-user/")
                            && resource.len() > "federated-user/".len()
                }
                _ => false,
            };
            if !valid || !(is_account_id(account) || service == "iam" && !account.is_empty()) {
                return Err((
                    format!("AWS プリンシパル `{text}` の形式が正しくありません"),
                    hint(),
                ));
            }
            if resource == "root" {
                Ok(PrincipalId::Account(account.to_string()))
            } else {
                Ok(PrincipalId::Arn(text.to_string()))
            }
        }
        "Service" => {
            if text.contains(['*', '?']) {
                return Err(wildcard_err());
            }
            if text.is_empty() || text.contains(char::is_whitespace) {
                return Err((
                    format!("サービスプリンシパル `{text}` の形式が正しくありません"),
                    Some("例: \"ec2.amazonaws.com\"".into()),
                ));
            }
            Ok(PrincipalId::Service(text.to_lowercase()))
        }
        "Federated" => {
            if text.is_empty() || text.contains(['*', '?']) {
                return Err(wildcard_err());
            }
            Ok(PrincipalId::Federated(text.to_string()))
        }
        _ => {
            if text.is_empty() {
                return Err(("CanonicalUser が空です".into(), None));
            }
            Ok(PrincipalId::CanonicalUser(text.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, ptype: PolicyType) -> Vec<PolicyError> {
        parse_policy(text, ptype).expect_err("should be invalid")
    }

    #[test]
    fn action_with_not_action_is_rejected_with_path_and_span() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Delete*","Resource":"*"}]}"#;
        let errs = errors(text, PolicyType::Identity);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].path, "Statement[0].NotAction");
        assert_eq!(&text[errs[0].span.clone()], "\"s3:Delete*\"");
        assert!(errs[0].message.contains("同じステートメントに書けません"));
    }

    #[test]
    fn every_problem_is_reported() {
        let text = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"allow","Action":"s3GetObject","Resource":"s3:::bucket"},
            {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEqulas":{"aws:username":"x"}}}]}"#;
        let errs = errors(text, PolicyType::Identity);
        let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Statement[0].Effect",
                "Statement[0].Action",
                "Statement[0].Resource",
                "Statement[1].Condition.StringEqulas"
            ]
        );
        assert!(errs[0].hint.as_deref().unwrap().contains("大文字小文字"));
        assert_eq!(
            errs[3].hint.as_deref(),
            Some("`StringEquals` のことですか?")
        );
        assert!(
            errs[3]
                .message
                .contains("AWS はこのポリシーを受け付けません")
        );
    }

    #[test]
    fn principal_rules_depend_on_the_policy_type() {
        let with_principal = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}"#;
        assert!(
            errors(with_principal, PolicyType::Identity)[0]
                .message
                .contains("Principal を書けません")
        );
        assert!(
            errors(with_principal, PolicyType::Scp)[0]
                .message
                .contains("SCP")
        );
        assert!(parse_policy(with_principal, PolicyType::Resource).is_ok());
        let without = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#;
        assert!(
            errors(without, PolicyType::Resource)[0]
                .message
                .contains("Principal")
        );
        let wildcard_arn = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"s3:*"}}"#;
        assert!(
            errors(wildcard_arn, PolicyType::Resource)[0]
                .message
                .contains("ワイルドカード")
        );
    }

    #[test]
    fn malformed_values_are_rejected() {
        let bad_ip = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/40"}}}}"#;
        assert!(
            errors(bad_ip, PolicyType::Identity)[0]
                .message
                .contains("プレフィックス長")
        );
        let bad_date = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"yesterday"}}}}"#;
        assert!(
            errors(bad_date, PolicyType::Identity)[0]
                .message
                .contains("日時")
        );
        let bad_version = r#"{"Version":"2012-10-18","Statement":[]}"#;
        assert!(
            errors(bad_version, PolicyType::Identity)[0]
                .message
                .contains("Version")
        );
        let not_json = "{\"Version\": \"2012-10-17\", \"Statement\": [}";
        assert!(!errors(not_json, PolicyType::Identity).is_empty());
    }
}
