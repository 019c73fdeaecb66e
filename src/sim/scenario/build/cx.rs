//! The error collector every builder writes into, and its typed readers.

use std::ops::Range;

use crate::sim::policy::{Kind as DocKind, Policy, parse_policy, validate_policy};
use crate::sim::scenario::{ScenarioError, ScenarioErrorKind, ScenarioErrorKind as K};
use crate::sim::tree::{Node, Value};
use crate::suggest::did_you_mean;

/// Collects problems while reading a document.
pub(in crate::sim::scenario) struct Cx<'a> {
    /// The file's text (spans point into it).
    pub src: &'a str,
    /// The problems found.
    pub errors: Vec<ScenarioError>,
}

impl Cx<'_> {
    pub fn err(
        &mut self,
        kind: ScenarioErrorKind,
        span: &Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.errors.push(ScenarioError {
            kind,
            message: message.into(),
            span: Some(span.clone()),
            hint,
        });
    }

    /// Reports keys of `node` that are not `allowed`.
    pub fn keys(&mut self, node: &Node, allowed: &[&str], place: &str) {
        for e in node.entries().unwrap_or(&[]) {
            if !allowed.contains(&e.key.as_str()) {
                let hint = did_you_mean(&e.key, allowed.iter().copied()).or_else(|| {
                    Some(format!(
                        "書けるキー: {}",
                        allowed
                            .iter()
                            .filter(|k| !k.starts_with('$'))
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                });
                self.err(
                    K::UnknownKey,
                    &e.key_span,
                    format!("{place}に `{}` というキーはありません", e.key),
                    hint,
                );
            }
        }
    }

    /// `node` itself, when it is a table.
    pub fn table<'n>(&mut self, node: &'n Node, place: &str) -> Option<&'n Node> {
        if node.entries().is_some() {
            Some(node)
        } else {
            self.err(
                K::WrongType,
                &node.span,
                format!(
                    "{place}はテーブルで書きます({}になっています)",
                    node.kind_ja()
                ),
                None,
            );
            None
        }
    }

    /// A required string.
    pub fn string<'n>(&mut self, parent: &'n Node, key: &str, place: &str) -> Option<&'n str> {
        match parent.get(key) {
            None => {
                self.err(
                    K::MissingKey,
                    &parent.span,
                    format!("{place}に `{key}` がありません"),
                    None,
                );
                None
            }
            Some(n) => self.as_string(n, &format!("{place}の `{key}`")),
        }
    }

    /// An optional string.
    pub fn opt_string<'n>(&mut self, parent: &'n Node, key: &str, place: &str) -> Option<&'n str> {
        let n = parent.get(key)?;
        self.as_string(n, &format!("{place}の `{key}`"))
    }

    fn as_string<'n>(&mut self, n: &'n Node, what: &str) -> Option<&'n str> {
        let s = n.as_str();
        if s.is_none() {
            self.err(
                K::WrongType,
                &n.span,
                format!("{what}は文字列で書きます({}になっています)", n.kind_ja()),
                None,
            );
        }
        s
    }

    /// An optional boolean (false when absent).
    pub fn flag(&mut self, parent: &Node, key: &str, place: &str) -> bool {
        match parent.get(key) {
            None => false,
            Some(Node {
                value: Value::Bool(b),
                ..
            }) => *b,
            Some(n) => {
                self.err(
                    K::WrongType,
                    &n.span,
                    format!("{place}の `{key}` は true か false で書きます"),
                    None,
                );
                false
            }
        }
    }

    /// A policy document: a JSON string, or (JSON files, TOML tables) an object. An empty
    /// string or null means the policy does not exist: `Some(None)`.
    pub fn policy(
        &mut self,
        node: &Node,
        ptype: impl Into<DocKind>,
        place: &str,
    ) -> Option<Option<Policy>> {
        let ptype = ptype.into();
        match &node.value {
            Value::Null => Some(None),
            Value::Str(s) if s.trim().is_empty() => Some(None),
            Value::Str(s) => {
                let map = self
                    .src
                    .get(node.span.clone())
                    .and_then(|raw| content_map(raw, s));
                let to_file = |r: &Range<usize>| match &map {
                    Some(m) => {
                        let at = |i: usize| node.span.start + m[i.min(m.len() - 1)];
                        at(r.start)..at(r.end).max(at(r.start))
                    }
                    None => node.span.clone(),
                };
                match parse_policy(s, ptype) {
                    Ok(p) => Some(Some(p)),
                    Err(errs) => {
                        for e in errs {
                            let path = if e.path.is_empty() {
                                String::new()
                            } else {
                                format!("{}: ", e.path)
                            };
                            self.err(
                                K::Policy(e.kind),
                                &to_file(&e.span),
                                format!("{place}のポリシー: {path}{}", e.message),
                                e.hint,
                            );
                        }
                        None
                    }
                }
            }
            Value::Table(_) => match validate_policy(node, ptype) {
                Ok(p) => Some(Some(p)),
                Err(errs) => {
                    for e in errs {
                        let path = if e.path.is_empty() {
                            String::new()
                        } else {
                            format!("{}: ", e.path)
                        };
                        self.err(
                            K::Policy(e.kind),
                            &e.span,
                            format!("{place}のポリシー: {path}{}", e.message),
                            e.hint,
                        );
                    }
                    None
                }
            },
            _ => {
                self.err(K::WrongType,
                    &node.span,
                    format!("{place}はポリシー文書(JSON の文字列)で書きます({}になっています)", node.kind_ja()),
                    Some("TOML では '''{\"Version\":\"2012-10-17\",\"Statement\":[…]}''' のように書きます".into()),
                );
                None
            }
        }
    }
}

/// Maps byte offsets inside a decoded string value to offsets inside its raw token.
pub(super) fn content_map(raw: &str, decoded: &str) -> Option<Vec<usize>> {
    let identity = |start: usize| Some((0..=decoded.len()).map(|i| start + i).collect::<Vec<_>>());
    let skip_newline = |s: &str, at: usize| {
        if s[at..].starts_with("\r\n") {
            at + 2
        } else if s[at..].starts_with('\n') {
            at + 1
        } else {
            at
        }
    };
    if raw.len() >= 6 && raw.starts_with("'''") {
        let start = skip_newline(raw, 3);
        return (raw.get(start..raw.len() - 3) == Some(decoded))
            .then(|| identity(start))
            .flatten();
    }
    if raw.len() >= 6 && raw.starts_with("\"\"\"") {
        let start = skip_newline(raw, 3);
        let body = raw.get(start..raw.len() - 3)?;
        let map = crate::sim::json::string_offsets(&format!("\"{body}\""), decoded)?;
        return Some(map.into_iter().map(|m| m - 1 + start).collect());
    }
    if raw.len() >= 2 && raw.starts_with('\'') {
        return (raw.get(1..raw.len() - 1) == Some(decoded))
            .then(|| identity(1))
            .flatten();
    }
    if raw.starts_with('"') {
        return crate::sim::json::string_offsets(raw, decoded);
    }
    None
}
