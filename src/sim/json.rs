//! JSON with byte spans. serde_json checks the syntax (and the nesting limit) and decodes strings
//! and numbers; a small scanner over the then-valid text records where every value sits, so a
//! policy error can point at the exact key.

use std::ops::Range;

use super::tree::{Entry, MAX_DEPTH, Node, Value};

/// The largest JSON text accepted (policy documents are at most a few KiB in AWS).
pub const MAX_JSON_BYTES: usize = 512 * 1024;

/// A JSON problem, in Japanese, with where it is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct JsonError {
    /// What is wrong.
    pub message: String,
    /// Byte range in the JSON text.
    pub span: Range<usize>,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Parses JSON into a [`Node`] tree; duplicate keys and excessive size or nesting are errors.
pub fn parse(text: &str) -> Result<Node, Vec<JsonError>> {
    if text.len() > MAX_JSON_BYTES {
        return Err(vec![JsonError {
            message: format!(
                "JSON が大きすぎます({} バイト。上限は {} バイト)",
                text.len(),
                MAX_JSON_BYTES
            ),
            span: 0..text.len().min(1),
            hint: None,
        }]);
    }
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        return Err(vec![syntax_error(text, &e)]);
    }
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        errors: Vec::new(),
    };
    scanner.skip_ws();
    let node = scanner.value(0);
    match node {
        Some(node) if scanner.errors.is_empty() => Ok(node),
        _ => {
            if scanner.errors.is_empty() {
                scanner.errors.push(JsonError {
                    message: "JSON を読めません".into(),
                    span: 0..0,
                    hint: None,
                });
            }
            Err(scanner.errors)
        }
    }
}

/// Turns a serde_json error into a Japanese message at a byte offset.
fn syntax_error(text: &str, e: &serde_json::Error) -> JsonError {
    let offset = offset_of(text, e.line(), e.column());
    let raw = e.to_string();
    let what = raw.split(" at line ").next().unwrap_or(&raw);
    let (message, hint) = if what.starts_with("EOF while parsing") {
        (
            "JSON が途中で終わっています".to_string(),
            Some("閉じ括弧 `}` `]` や閉じ引用符が足りないかもしれません".to_string()),
        )
    } else if what == "trailing comma" {
        (
            "最後の要素の後に余分なカンマがあります".into(),
            Some("JSON では末尾のカンマは使えません".into()),
        )
    } else if what == "key must be a string" {
        (
            "キーは二重引用符で囲んだ文字列でなければなりません".into(),
            Some("`{\"Effect\": \"Allow\"}` のように書きます".into()),
        )
    } else if what == "trailing characters" {
        ("JSON の後に余分な文字があります".into(), None)
    } else if what == "recursion limit exceeded" {
        (format!("入れ子が深すぎます(上限 {MAX_DEPTH} 段)"), None)
    } else if what.starts_with("expected") {
        (
            format!(
                "JSON の構文エラー: {} が必要です",
                what.trim_start_matches("expected ")
            ),
            None,
        )
    } else if what.contains("control character") {
        (
            "文字列の中に制御文字(改行など)がそのまま入っています".into(),
            Some("改行は \\n と書きます".into()),
        )
    } else {
        (format!("JSON の構文エラー: {what}"), None)
    };
    JsonError {
        message,
        span: offset..(offset + 1).min(text.len()).max(offset),
        hint,
    }
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    errors: Vec<JsonError>,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len()
            && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            self.errors.push(JsonError {
                message: format!("入れ子が深すぎます(上限 {MAX_DEPTH} 段)"),
                span: self.pos..self.pos + 1,
                hint: None,
            });
            return None;
        }
        let start = self.pos;
        let value = match *self.bytes.get(self.pos)? {
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => Value::Str(self.string()?),
            b't' => {
                self.pos += 4;
                Value::Bool(true)
            }
            b'f' => {
                self.pos += 5;
                Value::Bool(false)
            }
            b'n' => {
                self.pos += 4;
                Value::Null
            }
            _ => self.number()?,
        };
        Some(Node::new(value, start..self.pos))
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        self.pos += 1;
        let mut entries: Vec<Entry> = Vec::new();
        loop {
            self.skip_ws();
            match *self.bytes.get(self.pos)? {
                b'}' => {
                    self.pos += 1;
                    return Some(Value::Table(entries));
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = key_start..self.pos;
            self.skip_ws();
            self.pos += 1; // ':'
            self.skip_ws();
            let node = self.value(depth + 1)?;
            if let Some(first) = entries.iter().find(|e| e.key == key) {
                let line = self.text[..first.key_span.start].matches('\n').count() + 1;
                self.errors.push(JsonError {
                    message: format!("キー `{key}` が重複しています({line} 行目にもあります)"),
                    span: key_span.clone(),
                    hint: Some("同じオブジェクトに同じキーは一度だけ書きます".into()),
                });
            }
            entries.push(Entry {
                key,
                key_span,
                node,
            });
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match *self.bytes.get(self.pos)? {
                b']' => {
                    self.pos += 1;
                    return Some(Value::Array(items));
                }
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => items.push(self.value(depth + 1)?),
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        let mut i = self.pos + 1;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        serde_json::from_str::<String>(self.text.get(start..self.pos)?).ok()
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.pos;
        while self.pos < self.bytes.len()
            && matches!(
                self.bytes[self.pos],
                b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
            )
        {
            self.pos += 1;
        }
        let text = &self.text[start..self.pos];
        if let Ok(i) = text.parse::<i64>() {
            return Some(Value::Int(i));
        }
        text.parse::<f64>().ok().map(Value::Float)
    }
}

/// Maps byte offsets of a decoded JSON string back to the raw string literal (`"…"`), so a
/// policy held in a JSON string can still point inside itself. `None` when the raw text does
/// not decode to `decoded`.
pub fn string_offsets(raw: &str, decoded: &str) -> Option<Vec<usize>> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut map = Vec::with_capacity(decoded.len() + 1);
    let mut out = String::with_capacity(decoded.len());
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let raw_at = i + 1;
        if bytes[i] == b'\\' {
            let (ch, len) = match bytes.get(i + 1)? {
                b'n' => ('\n', 2),
                b't' => ('\t', 2),
                b'r' => ('\r', 2),
                b'b' => ('\u{8}', 2),
                b'f' => ('\u{c}', 2),
                b'"' => ('"', 2),
                b'\\' => ('\\', 2),
                b'/' => ('/', 2),
                b'u' => {
                    let hi = u32::from_str_radix(body.get(i + 2..i + 6)?, 16).ok()?;
                    if (0xD800..0xDC00).contains(&hi) {
                        let lo = u32::from_str_radix(body.get(i + 8..i + 12)?, 16).ok()?;
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?);
                        (char::from_u32(c)?, 12)
                    } else {
                        (char::from_u32(hi)?, 6)
                    }
                }
                _ => return None,
            };
            for _ in 0..ch.len_utf8() {
                map.push(raw_at);
            }
            out.push(ch);
            i += len;
        } else {
            let ch = body[i..].chars().next()?;
            for k in 0..ch.len_utf8() {
                map.push(raw_at + k);
            }
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    map.push(body.len() + 1);
    (out == decoded).then_some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_values_and_keys() {
        let text = r#"{ "Version": "2012-10-17", "Statement": [ {"Effect": "Allow"} ] }"#;
        let node = parse(text).unwrap();
        let st = node.get("Statement").unwrap().as_array().unwrap();
        let effect = st[0].get("Effect").unwrap();
        assert_eq!(&text[effect.span.clone()], "\"Allow\"");
        let entry = &st[0].entries().unwrap()[0];
        assert_eq!(&text[entry.key_span.clone()], "\"Effect\"");
    }

    #[test]
    fn syntax_errors_are_japanese_with_position() {
        let text = "{\"Effect\": \"Allow\",}";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("カンマ"), "{}", errs[0].message);
        assert_eq!(errs[0].span.start, text.len() - 1);
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let errs = parse(r#"{"Effect":"Allow","Effect":"Deny"}"#).unwrap_err();
        assert!(errs[0].message.contains("重複"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let errs = parse(&text).unwrap_err();
        assert!(errs[0].message.contains("入れ子"), "{}", errs[0].message);
    }

    #[test]
    fn escaped_strings_map_back_to_raw_offsets() {
        let raw = r#""{\"Effect\":\"Deny\"}""#;
        let decoded = serde_json::from_str::<String>(raw).unwrap();
        let map = string_offsets(raw, &decoded).unwrap();
        let at = decoded.find("Deny").unwrap();
        assert_eq!(&raw[map[at]..map[at] + 4], "Deny");
    }
}
