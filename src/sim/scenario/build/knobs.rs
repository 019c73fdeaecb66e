//! `[[knobs]]`: the values a learner may flip, each tried on the document.

use super::{Cx, kind_only};
use crate::sim::scenario::ScenarioErrorKind as K;
use crate::sim::scenario::{Knob, KnobValue, ScenarioError, keys};
use crate::sim::tree::{self, Node, Value};

pub(super) fn knobs(
    cx: &mut Cx<'_>,
    root: &Node,
    doc: &Node,
    source: &str,
    try_values: bool,
) -> Vec<Knob> {
    let Some(list) = root.get("knobs") else {
        return Vec::new();
    };
    let Some(items) = list.as_array() else {
        cx.err(
            K::WrongType,
            &list.span,
            "knobs は [[knobs]] の配列で書きます",
            None,
        );
        return Vec::new();
    };
    let mut out: Vec<Knob> = Vec::new();
    if items.len() > 50 {
        cx.err(K::Limit, &list.span, "ノブが多すぎます(50 個まで)", None);
        return out;
    }
    for item in items {
        let Some(item) = cx.table(item, "[[knobs]]") else {
            continue;
        };
        cx.keys(item, keys::KNOB, "[[knobs]]");
        let id = cx.string(item, "id", "[[knobs]]").map(str::to_string);
        let label = cx.string(item, "label", "[[knobs]]").map(str::to_string);
        let set = cx.string(item, "set", "[[knobs]]").map(str::to_string);
        if let (Some(id), Some(n)) = (&id, item.get("id"))
            && out.iter().any(|k| &k.id == id)
        {
            cx.err(
                K::Duplicate,
                &n.span,
                format!("ノブの id `{id}` が重複しています"),
                None,
            );
        }
        let path = set.as_deref().and_then(|s| match tree::parse_path(s) {
            Ok(p) => Some(p),
            Err(m) => {
                let span = item.get("set").map_or(item.span.clone(), |n| n.span.clone());
                cx.err(K::InvalidValue, &span, format!("set のパスが正しくありません: {m}"), Some("例: \"request.context.aws:MultiFactorAuthPresent\"、\"policies.identity.0\"".into()));
                None
            }
        });
        let values = match item.get("values") {
            Some(n) => match n.as_array() {
                Some(v) if v.len() > 100 => {
                    cx.err(K::Limit, &n.span, "ノブの値が多すぎます(100 個まで)", None);
                    continue;
                }
                Some(v) if !v.is_empty() => v,
                _ => {
                    cx.err(
                        K::WrongType,
                        &n.span,
                        "values は 1 つ以上の値の配列で書きます",
                        None,
                    );
                    continue;
                }
            },
            None => {
                cx.err(
                    K::MissingKey,
                    &item.span,
                    "[[knobs]] に values がありません",
                    None,
                );
                continue;
            }
        };
        let (Some(id), Some(label), Some(set), Some(path)) = (id, label, set, path) else {
            continue;
        };
        let mut knob_values = Vec::with_capacity(values.len());
        for (i, v) in values.iter().enumerate() {
            if !try_values {
                knob_values.push(KnobValue {
                    label: value_label(v),
                    node: v.clone(),
                });
                continue;
            }
            let mut trial = doc.clone();
            let applied = trial
                .set(&path, v.clone())
                .map_err(|m| {
                    vec![ScenarioError {
                        kind: K::Knob,
                        message: m,
                        span: Some(v.span.clone()),
                        hint: None,
                    }]
                })
                .and_then(|()| kind_only(&trial, source));
            if let Err(errs) = applied {
                let first = errs.first().map_or(String::new(), |e| e.message.clone());
                cx.err(
                    K::Knob,
                    &v.span,
                    format!(
                        "ノブ `{id}` の {} 番目の値を適用するとシナリオが不正になります: {first}",
                        i + 1
                    ),
                    errs.first().and_then(|e| e.hint.clone()),
                );
                for e in errs.into_iter().skip(1) {
                    if e.span
                        .as_ref()
                        .is_some_and(|s| s.start >= v.span.start && s.end <= v.span.end)
                    {
                        cx.errors.push(e);
                    }
                }
            }
            knob_values.push(KnobValue {
                label: value_label(v),
                node: v.clone(),
            });
        }
        if let Some(names) = named_values(&label, knob_values.len()) {
            for (value, name) in knob_values.iter_mut().zip(names) {
                value.label = name;
            }
        }
        out.push(Knob {
            id,
            label,
            set,
            path,
            values: knob_values,
        });
    }
    out
}

/// The names a knob's label gives its values in closing parentheses, one per value in order:
/// 「カスタムNACLの送信ルール(なし / エフェメラルポートを許可)」.
pub(super) fn named_values(label: &str, count: usize) -> Option<Vec<String>> {
    let inner = label
        .strip_suffix('\u{ff09}')
        .or_else(|| label.strip_suffix(')'))?;
    let open = inner.rfind(['\u{ff08}', '('])?;
    let paren = inner[open..].chars().next()?.len_utf8();
    let names: Vec<String> = inner[open + paren..]
        .split(" / ")
        .map(|n| n.trim().to_string())
        .collect();
    (count >= 2 && names.len() == count && names.iter().all(|n| !n.is_empty())).then_some(names)
}

/// A knob value as a learner reads it: no TOML punctuation. Ports `[from, to]` as 443 or
/// 1024-65535, booleans as はい / いいえ, lists joined with 、, rules as their fields.
pub(super) fn readable(v: &Node) -> String {
    let port = |n: &Node| match n.value {
        Value::Int(i) => Some(i),
        _ => None,
    };
    match &v.value {
        Value::Bool(true) => "はい".into(),
        Value::Bool(false) => "いいえ".into(),
        Value::Array(items) if items.is_empty() => "(なし)".into(),
        Value::Array(items) => match items.iter().map(port).collect::<Option<Vec<i64>>>() {
            Some(p) if p.len() == 2 && p[0] == p[1] => p[0].to_string(),
            Some(p) if p.len() == 2 => format!("{}-{}", p[0], p[1]),
            _ => items.iter().map(readable).collect::<Vec<_>>().join("、"),
        },
        Value::Table(entries) => entries
            .iter()
            .map(|e| match (e.key.as_str(), &e.node.value) {
                ("rule", _) => format!("ルール{}", readable(&e.node)),
                ("action", Value::Str(a)) if a == "allow" => "許可".into(),
                ("action", Value::Str(a)) if a == "deny" => "拒否".into(),
                ("protocol", Value::Str(p)) if p == "-1" => "全プロトコル".into(),
                _ => readable(&e.node),
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => v.render(),
    }
}

/// A short label for a knob value: policy documents are summarized by their Sids.
pub(super) fn value_label(v: &Node) -> String {
    if let Some(s) = v.as_str() {
        if s.trim().is_empty() {
            return "(なし)".into();
        }
        if s.trim_start().starts_with('{')
            && let Ok(doc) = serde_json::from_str::<serde_json::Value>(s)
        {
            let stmts = match &doc["Statement"] {
                serde_json::Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            let sids: Vec<String> = stmts
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    st["Sid"]
                        .as_str()
                        .map_or(format!("#{}", i + 1), str::to_string)
                })
                .collect();
            return format!("ポリシー({})", sids.join(", "));
        }
    }
    let text = readable(v);
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}
