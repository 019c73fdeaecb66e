//! The structural check: walks a parsed TOML tree (with spans) against the JSON Schema generated
//! from the content types, and reports *every* unknown, missing or wrongly typed field at its own
//! position — serde stops at the first one, an instructor wants them all.

use std::ops::Range;

use serde_json::Value;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::suggest::did_you_mean;

/// One structural problem, before it is placed in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A stable code for the diagnostic.
    pub code: &'static str,
    /// Byte span in the file.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Checks a whole document against a root schema.
pub fn check_document(root: &Spanned<DeTable<'_>>, schema: &Value) -> Vec<Problem> {
    let mut checker = Checker {
        root: schema,
        problems: Vec::new(),
    };
    checker.table(root.get_ref(), root.span(), schema, "");
    checker.problems
}

struct Checker<'s> {
    root: &'s Value,
    problems: Vec<Problem>,
}

/// The Japanese name of a TOML value's type.
fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "文字列",
        DeValue::Integer(_) => "整数",
        DeValue::Float(_) => "小数",
        DeValue::Boolean(_) => "真偽値",
        DeValue::Datetime(_) => "日時",
        DeValue::Array(_) => "配列",
        DeValue::Table(_) => "テーブル",
    }
}

fn schema_type_name(name: &str) -> &'static str {
    match name {
        "string" => "文字列",
        "integer" => "整数",
        "number" => "数値",
        "boolean" => "真偽値(true / false)",
        "array" => "配列",
        "object" => "テーブル",
        _ => "値",
    }
}

fn matches_type(value: &DeValue<'_>, name: &str) -> bool {
    matches!(
        (name, value),
        ("string", DeValue::String(_))
            | ("integer", DeValue::Integer(_))
            | ("number", DeValue::Integer(_) | DeValue::Float(_))
            | ("boolean", DeValue::Boolean(_))
            | ("array", DeValue::Array(_))
            | ("object", DeValue::Table(_))
    )
}

/// The allowed string values of an enum-like schema (`enum`, `const`, or a `oneOf` of consts).
fn string_choices(schema: &Value) -> Option<Vec<&str>> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.iter().map(Value::as_str).collect();
    }
    if let Some(value) = schema.get("const").and_then(Value::as_str) {
        return Some(vec![value]);
    }
    let alternatives = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))?
        .as_array()?;
    let mut out = Vec::new();
    for alt in alternatives {
        out.extend(string_choices(alt)?);
    }
    Some(out)
}

fn field_label(path: &str) -> String {
    if path.is_empty() {
        "ファイルの最上位".to_string()
    } else {
        format!("`{path}`")
    }
}

impl<'s> Checker<'s> {
    fn resolve(&self, mut schema: &'s Value) -> &'s Value {
        // A bounded number of hops: schemars never emits ref cycles without structure between them.
        for _ in 0..16 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(target) = reference
                .strip_prefix('#')
                .and_then(|p| self.root.pointer(p))
            else {
                break;
            };
            schema = target;
        }
        schema
    }

    fn push(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: String,
        hint: Option<String>,
    ) {
        self.problems.push(Problem {
            code,
            span,
            message,
            hint,
        });
    }

    fn value(&mut self, value: &Spanned<DeValue<'_>>, schema: &'s Value, path: &str) {
        let schema = self.resolve(schema);
        let span = value.span();
        let inner = value.get_ref();

        // schemars wraps a described reference as `allOf: [{$ref}]`: every part must hold.
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for part in parts {
                self.value(value, part, path);
            }
        }

        if let Some(choices) = string_choices(schema) {
            match inner {
                DeValue::String(s) if choices.contains(&s.as_ref()) => {}
                DeValue::String(s) => {
                    let hint = did_you_mean(s, choices.iter().copied())
                        .unwrap_or_else(|| format!("使える値: {}", choices.join(", ")));
                    self.push(
                        "invalid-value",
                        span,
                        format!("{} に `{s}` は使えません", field_label(path)),
                        Some(hint),
                    );
                }
                other => self.push(
                    "wrong-type",
                    span,
                    format!(
                        "{} は文字列のはずが、{}です",
                        field_label(path),
                        type_name(other)
                    ),
                    Some(format!("使える値: {}", choices.join(", "))),
                ),
            }
            return;
        }

        if let Some(alternatives) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            self.alternatives(value, alternatives, path);
            return;
        }

        if let Some(expected) = schema.get("type") {
            let names: Vec<&str> = match expected {
                Value::String(s) => vec![s.as_str()],
                Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !names.is_empty() && !names.iter().any(|n| matches_type(inner, n)) {
                let wanted: Vec<&str> = names
                    .iter()
                    .filter(|n| **n != "null")
                    .map(|n| schema_type_name(n))
                    .collect();
                let hint = match (inner, names.first().copied()) {
                    (DeValue::String(_), Some("integer" | "number" | "boolean")) => {
                        Some("数値や true / false は引用符で囲まずに書きます".to_string())
                    }
                    (_, Some("string")) => Some("文字列は \"…\" で囲みます".to_string()),
                    (_, Some("array")) => Some("配列は [\"…\", \"…\"] と書きます".to_string()),
                    _ => None,
                };
                self.push(
                    "wrong-type",
                    span,
                    format!(
                        "{} は{}のはずが、{}です",
                        field_label(path),
                        wanted.join("か"),
                        type_name(inner)
                    ),
                    hint,
                );
                return;
            }
        }

        match inner {
            DeValue::Table(table) => self.table(table, span, schema, path),
            DeValue::Array(items) => self.array(items, span, schema, path),
            DeValue::Integer(int) => {
                if let Some(min) = schema.get("minimum").and_then(Value::as_i64) {
                    let parsed = i64::from_str_radix(&int.as_str().replace('_', ""), int.radix());
                    if parsed.is_ok_and(|n| n < min) {
                        self.push(
                            "out-of-range",
                            span,
                            format!("{} は{min}以上の整数にしてください", field_label(path)),
                            None,
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// `anyOf` / `oneOf` of structured alternatives: accept if any fits; otherwise report the
    /// problems of the alternative that fits best.
    fn alternatives(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        alternatives: &'s [Value],
        path: &str,
    ) {
        let mut best: Option<Vec<Problem>> = None;
        for alt in alternatives {
            let mut trial = Checker {
                root: self.root,
                problems: Vec::new(),
            };
            trial.value(value, alt, path);
            if trial.problems.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| trial.problems.len() < b.len()) {
                best = Some(trial.problems);
            }
        }
        self.problems.extend(best.unwrap_or_default());
    }

    fn array(
        &mut self,
        items: &[Spanned<DeValue<'_>>],
        span: Range<usize>,
        schema: &'s Value,
        path: &str,
    ) {
        let len = items.len() as u64;
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
            && len < min
        {
            self.push(
                "wrong-length",
                span.clone(),
                format!("{} には{min}個以上の要素が要ります", field_label(path)),
                None,
            );
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
            && len > max
        {
            self.push(
                "wrong-length",
                span,
                format!("{} の要素は{max}個までです", field_label(path)),
                None,
            );
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.value(item, item_schema, &format!("{path}[{i}]"));
            }
        }
    }

    fn table(&mut self, table: &DeTable<'_>, span: Range<usize>, schema: &'s Value, path: &str) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let names = || {
            properties
                .into_iter()
                .flat_map(|p| p.keys().map(String::as_str))
        };
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            let child = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            match properties.and_then(|p| p.get(name)) {
                Some(sub) => self.value(value, sub, &child),
                None if closed => {
                    let hint = did_you_mean(name, names()).or_else(|| {
                        let mut all: Vec<&str> = names().collect();
                        all.sort_unstable();
                        Some(format!("使えるフィールド: {}", all.join(", ")))
                    });
                    self.push(
                        "unknown-field",
                        key.span(),
                        format!("不明なフィールド `{name}` です"),
                        hint,
                    );
                }
                None => {}
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !table.keys().any(|k| k.get_ref().as_ref() == name) {
                    // An empty span: the diagnostic underlines the table's first line.
                    let (where_, at) = if path.is_empty() {
                        ("ファイル".to_string(), 0..0)
                    } else {
                        (format!("{} ", field_label(path)), span.start..span.start)
                    };
                    self.push(
                        "missing-field",
                        at,
                        format!("{where_}に必須のフィールド `{name}` がありません"),
                        Some(format!("`{name} = …` を追加してください")),
                    );
                }
            }
        }
    }
}
