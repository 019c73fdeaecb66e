//! Instructor diagnostics: a message at `path:line:col` with the source line, a caret under the
//! right *display* column (full-width Japanese counts two), and a hint — rendered rustc-style or
//! as JSON.

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

/// How bad a problem is: errors make `lint` fail and make the TUI skip the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed.
    Error,
    /// Worth a look; does not fail `lint`.
    Warning,
}

/// Where a problem is, resolved from a byte span to lines and columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file as the user named it (repo-relative for embedded content).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters (as editors and rustc count).
    pub column: usize,
    /// 1-based line where the span ends.
    pub end_line: usize,
    /// 1-based column just past the span's end on `end_line`.
    pub end_column: usize,
    /// The text of `line`, tabs expanded.
    #[serde(skip)]
    pub source_line: String,
    /// Display columns before the caret (0-based) within `source_line`.
    #[serde(skip)]
    pub caret_offset: usize,
    /// Display width of the caret run (at least 1).
    #[serde(skip)]
    pub caret_width: usize,
}

const TAB_WIDTH: usize = 4;

fn char_width(c: char) -> usize {
    if c == '\t' {
        TAB_WIDTH
    } else {
        c.width().unwrap_or(0)
    }
}

/// The byte offset where each line of a text starts, for resolving many spans in one file.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

impl Location {
    /// Resolves a byte span of `text` (clamped to the text, snapped to char boundaries).
    pub fn from_span(file: &str, text: &str, span: Range<usize>) -> Self {
        Self::from_span_in(file, text, span, &line_starts(text))
    }

    /// Like [`Location::from_span`], with the text's [`line_starts`] computed once.
    pub fn from_span_in(file: &str, text: &str, span: Range<usize>, starts: &[usize]) -> Self {
        let start = floor_boundary(text, span.start.min(text.len()));
        let end = floor_boundary(text, span.end.clamp(start, text.len()));
        let (line, column) = line_col(text, start, starts);
        let (end_line, end_column) = line_col(text, end, starts);
        let line_start = starts[line - 1];
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let raw_line = text[line_start..line_end].trim_end_matches('\r');
        let caret_offset: usize = text[line_start..start].chars().map(char_width).sum();
        // The caret covers the span on its first line only.
        let span_end_on_line = end.min(line_start + raw_line.len()).max(start);
        let caret_width = text[start..span_end_on_line]
            .chars()
            .map(char_width)
            .sum::<usize>()
            .max(1);
        let source_line = raw_line.replace('\t', &" ".repeat(TAB_WIDTH));
        Self {
            file: file.to_string(),
            line,
            column,
            end_line,
            end_column,
            source_line,
            caret_offset,
            caret_width,
        }
    }

    /// A location for a whole file that could not be read as text (no source line).
    pub fn file_only(file: &str, line: usize, column: usize) -> Self {
        Self {
            file: file.to_string(),
            line,
            column,
            end_line: line,
            end_column: column,
            source_line: String::new(),
            caret_offset: 0,
            caret_width: 1,
        }
    }
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// 1-based line and character column of a byte offset.
fn line_col(text: &str, offset: usize, starts: &[usize]) -> (usize, usize) {
    let line = starts.partition_point(|&s| s <= offset).max(1);
    let line_start = starts[line - 1];
    (line, text[line_start..offset].chars().count() + 1)
}

/// One problem found in content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// error or warning.
    pub severity: Severity,
    /// A stable kebab-case code, e.g. `unknown-field`.
    pub code: &'static str,
    /// What is wrong (Japanese).
    pub message: String,
    /// How to fix it, when a hint helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where; absent for problems that belong to no file.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
            location: None,
        }
    }

    /// A new warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Places the problem at a span of a file's text.
    pub fn at(mut self, file: &str, text: &str, span: Range<usize>) -> Self {
        self.location = Some(Location::from_span(file, text, span));
        self
    }

    /// Places the problem at a resolved location.
    pub fn at_location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// rustc-style text without colour.
    pub fn render_plain(&self) -> String {
        self.render(false)
    }

    /// rustc-style text; `color` adds ANSI colours. Every part that comes from a file (the
    /// message, the path, the source line, the hint) has its terminal controls escaped, so the
    /// result is safe to print whatever the file holds.
    pub fn render(&self, color: bool) -> String {
        use crate::text::escape_controls as esc;
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let (label, label_color) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = String::new();
        let head = format!("{label}[{}]", esc(self.code));
        let _ = write!(
            out,
            "{}{}",
            paint(label_color, &head),
            paint("1", &format!(": {}", esc(&self.message)))
        );
        if let Some(loc) = &self.location {
            let gutter = loc.line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = write!(
                out,
                "\n{pad}{} {}:{}:{}",
                paint("1;34", "-->"),
                esc(&loc.file),
                loc.line,
                loc.column
            );
            if !loc.source_line.is_empty() || loc.caret_offset > 0 {
                let bar = paint("1;34", "|");
                let (line, caret_offset) = escaped_line(&loc.source_line, loc.caret_offset);
                let _ = write!(out, "\n{pad} {bar}");
                let _ = write!(
                    out,
                    "\n{} {bar} {}",
                    paint("1;34", &loc.line.to_string()),
                    line
                );
                let caret = format!(
                    "{}{}",
                    " ".repeat(caret_offset),
                    "^".repeat(loc.caret_width)
                );
                let _ = write!(out, "\n{pad} {bar} {}", paint(label_color, &caret));
            }
            if let Some(hint) = &self.hint {
                let _ = write!(
                    out,
                    "\n{pad} {} {}",
                    paint("1;34", "="),
                    paint("1", &format!("ヒント: {}", esc(hint)))
                );
            }
        } else if let Some(hint) = &self.hint {
            let _ = write!(out, "\n  = ヒント: {}", esc(hint));
        }
        out
    }
}

/// A source line with its controls escaped, and the caret's column moved by the width the
/// escapes added before it.
fn escaped_line(line: &str, caret_offset: usize) -> (String, usize) {
    let escaped = crate::text::escape_controls(line);
    if matches!(escaped, std::borrow::Cow::Borrowed(_)) {
        return (line.to_string(), caret_offset);
    }
    let mut width = 0;
    let mut prefix_end = line.len();
    for (i, c) in line.char_indices() {
        if width >= caret_offset {
            prefix_end = i;
            break;
        }
        width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    let prefix = &line[..prefix_end];
    let grown = crate::text::width(&crate::text::escape_controls(prefix))
        .saturating_sub(crate::text::width(prefix));
    (escaped.into_owned(), caret_offset + grown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_counts_full_width_characters_as_two_columns() {
        let text = "prompt = \"東京\"\nexplanaton = 1\n";
        let start = text.find("東京").unwrap();
        let loc = Location::from_span("f.toml", text, start..start + "東京".len());
        assert_eq!((loc.line, loc.column), (1, 11));
        assert_eq!(loc.caret_offset, 10);
        assert_eq!(loc.caret_width, 4);
    }

    #[test]
    fn spans_past_the_end_and_inside_a_character_are_clamped() {
        let text = "a = \"語\"";
        let loc = Location::from_span("f.toml", text, 6..999);
        assert_eq!(loc.line, 1);
        assert!(loc.caret_width >= 1);
    }
}
