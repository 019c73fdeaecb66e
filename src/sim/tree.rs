//! A format-neutral document tree with byte spans: what TOML and JSON scenario files (and policy
//! documents) are read into before validation, so every error can point at its source and knobs
//! can rewrite the document by path.

use std::ops::Range;

/// One value of a document, with the byte range it came from.
#[derive(Debug, Clone)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Byte range in the source text (empty for values that were not read from a text).
    pub span: Range<usize>,
}

/// The value of a [`Node`].
#[derive(Debug, Clone)]
pub enum Value {
    /// JSON `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A non-integer number.
    Float(f64),
    /// A string (already unescaped).
    Str(String),
    /// An array.
    Array(Vec<Node>),
    /// A table / object, in source order.
    Table(Vec<Entry>),
}

/// One key of a table.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key is written.
    pub key_span: Range<usize>,
    /// Its value.
    pub node: Node,
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

impl Node {
    /// A node with the given value and span.
    pub fn new(value: Value, span: Range<usize>) -> Self {
        Self { value, span }
    }

    /// The value of `key` when this is a table.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.node)
    }

    /// The entries when this is a table.
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Table(entries) => Some(entries),
            _ => None,
        }
    }

    /// The string when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items when this is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// What kind of value this is, in Japanese, for error messages.
    pub fn kind_ja(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "真偽値",
            Value::Int(_) | Value::Float(_) => "数値",
            Value::Str(_) => "文字列",
            Value::Array(_) => "配列",
            Value::Table(_) => "テーブル(オブジェクト)",
        }
    }

    /// Moves every span by `offset` bytes (a policy read from a string inside a file).
    pub fn shift(&mut self, offset: usize) {
        self.span = self.span.start + offset..self.span.end + offset;
        match &mut self.value {
            Value::Array(items) => items.iter_mut().for_each(|n| n.shift(offset)),
            Value::Table(entries) => {
                for e in entries {
                    e.key_span = e.key_span.start + offset..e.key_span.end + offset;
                    e.node.shift(offset);
                }
            }
            _ => {}
        }
    }

    /// Replaces every span with `span` (values whose positions inside a string are unknown).
    pub fn flatten_spans(&mut self, span: &Range<usize>) {
        self.span = span.clone();
        match &mut self.value {
            Value::Array(items) => items.iter_mut().for_each(|n| n.flatten_spans(span)),
            Value::Table(entries) => {
                for e in entries {
                    e.key_span = span.clone();
                    e.node.flatten_spans(span);
                }
            }
            _ => {}
        }
    }

    /// Whether two nodes hold the same value, spans ignored.
    pub fn same(&self, other: &Node) -> bool {
        match (&self.value, &other.value) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                (*a as f64) == *b
            }
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            (Value::Table(a), Value::Table(b)) => {
                a.len() == b.len()
                    && a.iter().all(|ea| {
                        b.iter()
                            .any(|eb| eb.key == ea.key && eb.node.same(&ea.node))
                    })
            }
            _ => false,
        }
    }

    /// The node at `path`, if there is one.
    pub fn at(&self, path: &[Seg]) -> Option<&Node> {
        let mut node = self;
        for seg in path {
            node = match seg {
                Seg::Key(k) => node.get(k)?,
                Seg::Index(i) => node.as_array()?.get(*i)?,
            };
        }
        Some(node)
    }

    /// Sets the node at `path`, creating missing table keys; an index may be one past the end
    /// (appending). The error says, in Japanese, which step failed.
    pub fn set(&mut self, path: &[Seg], value: Node) -> Result<(), String> {
        let Some((first, rest)) = path.split_first() else {
            *self = value;
            return Ok(());
        };
        match (first, &mut self.value) {
            (Seg::Key(k), Value::Table(entries)) => {
                if let Some(e) = entries.iter_mut().find(|e| &e.key == k) {
                    return e.node.set(rest, value);
                }
                let mut node = match rest.first() {
                    None => value.clone(),
                    Some(Seg::Key(_)) => Node::new(Value::Table(Vec::new()), value.span.clone()),
                    Some(Seg::Index(_)) => {
                        return Err(format!("`{k}` がありません(配列の位置は指定できません)"));
                    }
                };
                if !rest.is_empty() {
                    node.set(rest, value.clone())?;
                }
                let span = node.span.clone();
                entries.push(Entry {
                    key: k.clone(),
                    key_span: span,
                    node,
                });
                Ok(())
            }
            (Seg::Index(i), Value::Array(items)) => {
                if *i < items.len() {
                    items[*i].set(rest, value)
                } else if *i == items.len() && rest.is_empty() {
                    items.push(value);
                    Ok(())
                } else {
                    Err(format!(
                        "{i} 番目の要素がありません(要素は {} 個です)",
                        items.len()
                    ))
                }
            }
            (Seg::Key(k), _) => Err(format!(
                "`{k}` を持つテーブルではありません({})",
                self.kind_ja()
            )),
            (Seg::Index(i), _) => Err(format!(
                "{i} 番目を持つ配列ではありません({})",
                self.kind_ja()
            )),
        }
    }

    /// The value as JSON (spans dropped).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Table(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.node.to_json()))
                    .collect(),
            ),
        }
    }

    /// A short one-line rendering for explanations and knob labels.
    pub fn render(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Str(s) => s.clone(),
            Value::Array(items) => {
                format!(
                    "[{}]",
                    items
                        .iter()
                        .map(Node::render)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            Value::Table(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|e| format!("{} = {}", e.key, e.node.render()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Converts a parsed TOML value into a [`Node`]; `depth` guards against pathological nesting.
pub fn from_toml(
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    depth: usize,
) -> Result<Node, Range<usize>> {
    use toml::de::DeValue;
    let span = value.span();
    if depth > MAX_DEPTH {
        return Err(span);
    }
    let v = match value.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Int(n),
            Err(_) => Value::Float(f64::INFINITY),
        },
        DeValue::Float(f) => Value::Float(f.as_str().parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|n| from_toml(n, depth + 1))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        DeValue::Table(table) => {
            let mut entries = Vec::with_capacity(table.len());
            for (k, v) in table.iter() {
                entries.push(Entry {
                    key: k.get_ref().to_string(),
                    key_span: k.span(),
                    node: from_toml(v, depth + 1)?,
                });
            }
            entries.sort_by_key(|e| e.key_span.start);
            Value::Table(entries)
        }
    };
    Ok(Node::new(v, span))
}

/// The deepest nesting any document may have.
pub const MAX_DEPTH: usize = 64;

/// Parses a knob path (`request.context.aws:MultiFactorAuthPresent`, `policies.identity.0`):
/// after `request.context.` the whole rest is one context key; numeric segments index arrays.
pub fn parse_path(text: &str) -> Result<Vec<Seg>, String> {
    if text.trim().is_empty() {
        return Err("パスが空です".into());
    }
    let mut segs = Vec::new();
    let mut rest = text;
    loop {
        if segs == [Seg::Key("request".into()), Seg::Key("context".into())] {
            if rest.is_empty() {
                return Err("`request.context.` の後にコンテキストキーが必要です".into());
            }
            segs.push(Seg::Key(rest.to_string()));
            return Ok(segs);
        }
        let (head, tail) = match rest.find('.') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        if head.is_empty() {
            return Err(format!("パス `{text}` に空の区切りがあります"));
        }
        match head.parse::<usize>() {
            Ok(i) if head.bytes().all(|b| b.is_ascii_digit()) => segs.push(Seg::Index(i)),
            _ => segs.push(Seg::Key(head.to_string())),
        }
        match tail {
            Some(t) => rest = t,
            None => return Ok(segs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_keys_keep_their_dots_and_colons() {
        let path = parse_path("request.context.s3:x-amz-server-side-encryption.v2").unwrap();
        assert_eq!(
            path,
            vec![
                Seg::Key("request".into()),
                Seg::Key("context".into()),
                Seg::Key("s3:x-amz-server-side-encryption.v2".into())
            ]
        );
        assert_eq!(
            parse_path("policies.identity.0").unwrap(),
            vec![
                Seg::Key("policies".into()),
                Seg::Key("identity".into()),
                Seg::Index(0)
            ]
        );
        assert!(parse_path("policies..identity").is_err());
    }

    #[test]
    fn set_creates_missing_keys_and_rejects_missing_indexes() {
        let mut root = Node::new(Value::Table(Vec::new()), 0..0);
        let leaf = Node::new(Value::Str("true".into()), 0..0);
        root.set(
            &parse_path("request.context.aws:SecureTransport").unwrap(),
            leaf.clone(),
        )
        .unwrap();
        assert_eq!(
            root.at(&parse_path("request.context.aws:SecureTransport").unwrap())
                .unwrap()
                .as_str(),
            Some("true")
        );
        let err = root
            .set(&parse_path("policies.identity.3").unwrap(), leaf)
            .unwrap_err();
        assert!(err.contains("identity"), "{err}");
    }
}
