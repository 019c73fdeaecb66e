//! Strings as IAM compares them: `*` and `?` wildcards, policy variables (`${aws:username}`,
//! `${aws:PrincipalTag/team, 'default'}`, `${*}`, `${?}`, `${$}`), resource ARNs whose wildcards
//! stay inside a colon-separated segment unless they end it, and ARN condition values compared
//! segment by segment. Everything is compiled once; matching never re-parses.

use std::borrow::Cow;

/// Where a policy variable's value comes from: the request context (single-valued keys only).
pub trait Vars {
    /// The value of the context key (`key` is lower-case), when it has exactly one value.
    fn var(&self, key: &str) -> Option<&str>;
}

/// How `*` and `?` behave in a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wild {
    /// No wildcards: `*` and `?` are plain characters (StringEquals, ArnEquals parts aside).
    None,
    /// Wildcards match any characters (Action, StringLike, ARN condition segments).
    Free,
    /// Resource ARNs: inside the first five segments a wildcard stays within its segment unless
    /// the `*` ends the segment; after the fifth colon wildcards match anything.
    Arn,
}

/// A policy variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    /// The context key, lower-case.
    pub key: String,
    /// The key as written.
    pub name: String,
    /// The default value (`${key, 'default'}`).
    pub default: Option<String>,
}

/// One piece of a compiled pattern.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Lit(String),
    Star { cross: bool },
    Quest { cross: bool },
    Var(Var),
}

/// One byte-level token for the matcher.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Byte(u8),
    Star { cross: bool },
    Quest { cross: bool },
}

/// A precomputed fast path for patterns without variables.
#[derive(Debug, Clone)]
enum Fast {
    Any,
    Exact(String),
    Prefix(String),
    Glob(Vec<Tok>),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The text as written in the policy.
    pub text: String,
    pieces: Vec<Piece>,
    fast: Option<Fast>,
    ignore_case: bool,
}

impl Pattern {
    /// Compiles `text`. `variables` is false for 2008-10-17 policies and for elements where
    /// AWS does not substitute variables; `ignore_case` lower-cases the pattern (Action).
    pub fn new(text: &str, wild: Wild, variables: bool, ignore_case: bool) -> Result<Self, String> {
        let source: Cow<'_, str> = if ignore_case {
            Cow::Owned(text.to_lowercase())
        } else {
            Cow::Borrowed(text)
        };
        let pieces = parse_pieces(&source, wild, variables)?;
        let fast = if pieces.iter().any(|p| matches!(p, Piece::Var(_))) {
            None
        } else {
            Some(fast_path(&pieces))
        };
        Ok(Self {
            text: text.to_string(),
            pieces,
            fast,
            ignore_case,
        })
    }

    /// The variables this pattern uses.
    pub fn vars(&self) -> impl Iterator<Item = &Var> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(v),
            _ => None,
        })
    }

    /// Whether the pattern contains wildcards.
    pub fn has_wildcards(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Star { .. } | Piece::Quest { .. }))
    }

    /// Whether `subject` matches. `None` when a variable has no value (AWS: such a value
    /// matches nothing).
    pub fn matches(&self, subject: &str, vars: &dyn Vars) -> Option<bool> {
        let lowered;
        let subject = if self.ignore_case && subject.chars().any(char::is_uppercase) {
            lowered = subject.to_lowercase();
            lowered.as_str()
        } else {
            subject
        };
        if let Some(fast) = &self.fast {
            return Some(match fast {
                Fast::Any => true,
                Fast::Exact(s) => s == subject,
                Fast::Prefix(p) => subject.starts_with(p.as_str()),
                Fast::Glob(toks) => glob(toks, subject.as_bytes()),
            });
        }
        let toks = self.resolve(vars)?;
        Some(glob(&toks, subject.as_bytes()))
    }

    /// The pattern with its variables replaced, as text (for explanations and equality
    /// comparisons). `None` when a variable has no value.
    pub fn resolved_text(&self, vars: &dyn Vars) -> Option<String> {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Star { .. } => out.push('*'),
                Piece::Quest { .. } => out.push('?'),
                Piece::Var(v) => out.push_str(&resolve_var(v, vars)?),
            }
        }
        Some(out)
    }

    fn resolve(&self, vars: &dyn Vars) -> Option<Vec<Tok>> {
        let mut toks = Vec::with_capacity(self.text.len());
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => toks.extend(s.bytes().map(Tok::Byte)),
                Piece::Star { cross } => toks.push(Tok::Star { cross: *cross }),
                Piece::Quest { cross } => toks.push(Tok::Quest { cross: *cross }),
                Piece::Var(v) => {
                    let value = resolve_var(v, vars)?;
                    if self.ignore_case {
                        toks.extend(value.to_lowercase().bytes().map(Tok::Byte));
                    } else {
                        toks.extend(value.bytes().map(Tok::Byte));
                    }
                }
            }
        }
        Some(toks)
    }
}

fn resolve_var(v: &Var, vars: &dyn Vars) -> Option<String> {
    match vars.var(&v.key) {
        Some(value) if !value.is_empty() => Some(value.to_string()),
        _ => v.default.clone(),
    }
}

fn fast_path(pieces: &[Piece]) -> Fast {
    let lit_only = |ps: &[Piece]| {
        ps.iter()
            .map(|p| match p {
                Piece::Lit(s) => Some(s.as_str()),
                _ => None,
            })
            .collect::<Option<String>>()
    };
    if let [Piece::Star { cross: true }] = pieces {
        return Fast::Any;
    }
    if let Some(s) = lit_only(pieces) {
        return Fast::Exact(s);
    }
    if let Some((Piece::Star { cross: true }, head)) = pieces.split_last()
        && let Some(s) = lit_only(head)
    {
        return Fast::Prefix(s);
    }
    let mut toks = Vec::new();
    for p in pieces {
        match p {
            Piece::Lit(s) => toks.extend(s.bytes().map(Tok::Byte)),
            Piece::Star { cross } => toks.push(Tok::Star { cross: *cross }),
            Piece::Quest { cross } => toks.push(Tok::Quest { cross: *cross }),
            Piece::Var(_) => {
                unreachable!("fast paths are built only for patterns without variables")
            }
        }
    }
    Fast::Glob(toks)
}

fn parse_pieces(text: &str, wild: Wild, variables: bool) -> Result<Vec<Piece>, String> {
    let mut pieces: Vec<Piece> = Vec::new();
    let push_lit = |pieces: &mut Vec<Piece>, s: &str| match pieces.last_mut() {
        Some(Piece::Lit(last)) => last.push_str(s),
        _ => pieces.push(Piece::Lit(s.to_string())),
    };
    let bytes = text.as_bytes();
    let mut colons = 0usize;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if variables && rest.starts_with("${") {
            let Some(end) = rest.find('}') else {
                return Err(format!(
                    "ポリシー変数の閉じ括弧 `}}` がありません: `{rest}`"
                ));
            };
            let inner = &rest[2..end];
            match inner {
                "*" | "?" | "$" => push_lit(&mut pieces, inner),
                _ => pieces.push(Piece::Var(parse_var(inner)?)),
            }
            i += end + 1;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        let in_head = wild == Wild::Arn && colons < 5;
        match c {
            '*' if wild != Wild::None => {
                let ends_segment = bytes.get(i + 1).is_none_or(|b| *b == b':');
                pieces.push(Piece::Star {
                    cross: !in_head || ends_segment,
                });
            }
            '?' if wild != Wild::None => pieces.push(Piece::Quest { cross: !in_head }),
            _ => {
                if c == ':' {
                    colons += 1;
                }
                push_lit(&mut pieces, &rest[..c.len_utf8()]);
            }
        }
        i += c.len_utf8();
    }
    Ok(pieces)
}

fn parse_var(inner: &str) -> Result<Var, String> {
    let (name, default) = match inner.find(',') {
        Some(comma) => {
            let default = inner[comma + 1..].trim();
            let Some(quoted) = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
            else {
                return Err(format!(
                    "ポリシー変数の既定値は一重引用符で囲みます: `${{{inner}}}`(例: `${{aws:PrincipalTag/team, 'company-wide'}}`)"
                ));
            };
            (inner[..comma].trim(), Some(quoted.to_string()))
        }
        None => (inner, None),
    };
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(format!(
            "ポリシー変数の名前が正しくありません: `${{{inner}}}`"
        ));
    }
    Ok(Var {
        key: name.to_lowercase(),
        name: name.to_string(),
        default,
    })
}

/// Whether `subject` matches the tokens. `*` and `?` with `cross = false` never take a colon.
/// Linear-time two-pointer matching when every wildcard may cross colons; otherwise a small
/// NFA walk (resource ARNs with wildcards inside their first segments).
fn glob(toks: &[Tok], s: &[u8]) -> bool {
    if toks
        .iter()
        .all(|t| !matches!(t, Tok::Star { cross: false } | Tok::Quest { cross: false }))
    {
        return glob_free(toks, s);
    }
    glob_nfa(toks, s)
}

fn char_len(s: &[u8], at: usize) -> usize {
    match s[at] {
        b if b < 0x80 => 1,
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        _ => 2,
    }
    .min(s.len() - at)
}

fn glob_free(toks: &[Tok], s: &[u8]) -> bool {
    let (mut t, mut i) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while i < s.len() {
        match toks.get(t) {
            Some(Tok::Byte(b)) if *b == s[i] => {
                t += 1;
                i += 1;
                continue;
            }
            Some(Tok::Quest { .. }) => {
                t += 1;
                i += char_len(s, i);
                continue;
            }
            Some(Tok::Star { .. }) => {
                backtrack = Some((t, i));
                t += 1;
                continue;
            }
            _ => {}
        }
        match backtrack {
            Some((bt, bi)) => {
                let next = bi + char_len(s, bi);
                backtrack = Some((bt, next));
                t = bt + 1;
                i = next;
            }
            None => return false,
        }
    }
    toks[t.min(toks.len())..]
        .iter()
        .all(|tok| matches!(tok, Tok::Star { .. }))
}

fn glob_nfa(toks: &[Tok], s: &[u8]) -> bool {
    let n = toks.len();
    let mut cur = vec![false; n + 1];
    let mut next = vec![false; n + 1];
    let close = |set: &mut Vec<bool>| {
        for k in 0..n {
            if set[k] && matches!(toks[k], Tok::Star { .. }) {
                set[k + 1] = true;
            }
        }
    };
    cur[0] = true;
    close(&mut cur);
    let mut i = 0;
    while i < s.len() {
        let len = char_len(s, i);
        let is_colon = s[i] == b':';
        next.iter_mut().for_each(|x| *x = false);
        for k in 0..n {
            if !cur[k] {
                continue;
            }
            match toks[k] {
                Tok::Byte(b) if len == 1 && b == s[i] => next[k + 1] = true,
                Tok::Byte(b) if len > 1 && b == s[i] => {
                    // A multi-byte character must match the following literal bytes too.
                    let end = k + len;
                    if end <= n && (0..len).all(|d| toks[k + d] == Tok::Byte(s[i + d])) {
                        next[end] = true;
                    }
                }
                Tok::Quest { cross } if cross || !is_colon => next[k + 1] = true,
                Tok::Star { cross } if cross || !is_colon => next[k] = true,
                _ => {}
            }
        }
        close(&mut next);
        std::mem::swap(&mut cur, &mut next);
        if !cur.iter().any(|x| *x) {
            return false;
        }
        i += len;
    }
    cur[n]
}

/// An ARN condition value (ArnEquals / ArnLike): the six colon-separated parts are compared one
/// by one; a trailing `*` in a shorter pattern covers the rest of the ARN.
#[derive(Debug, Clone)]
pub struct ArnPattern {
    /// The value as written.
    pub text: String,
    /// Without variables: the segments, compiled once.
    parts: Vec<Pattern>,
    /// With variables: the whole value, split into segments after the variables are replaced
    /// (a variable such as `${aws:PrincipalArn}` holds colons itself).
    whole: Option<Pattern>,
}

/// The most segments an ARN has: the sixth keeps its colons.
const ARN_SEGMENTS: usize = 6;

impl ArnPattern {
    /// Compiles an ARN condition value.
    pub fn new(text: &str, variables: bool) -> Result<Self, String> {
        let whole = Pattern::new(text, Wild::Free, variables, false)?;
        if whole.vars().next().is_some() {
            return Ok(Self {
                text: text.to_string(),
                parts: Vec::new(),
                whole: Some(whole),
            });
        }
        let parts = text
            .splitn(ARN_SEGMENTS, ':')
            .map(|p| Pattern::new(p, Wild::Free, variables, false))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            text: text.to_string(),
            parts,
            whole: None,
        })
    }

    /// Whether `subject` matches; `None` when a variable has no value.
    pub fn matches(&self, subject: &str, vars: &dyn Vars) -> Option<bool> {
        if let Some(whole) = &self.whole {
            let toks = whole.resolve(vars)?;
            let segments: Vec<&[Tok]> = toks
                .splitn(ARN_SEGMENTS, |t| *t == Tok::Byte(b':'))
                .collect();
            let last_is_star = matches!(
                segments.last().and_then(|s| s.last()),
                Some(Tok::Star { .. })
            );
            let Some(subject_parts) = arn_segments(subject, segments.len(), last_is_star) else {
                return Some(false);
            };
            return Some(
                segments
                    .iter()
                    .zip(subject_parts)
                    .all(|(toks, s)| glob(toks, s.as_bytes())),
            );
        }
        let last_is_star = self.parts.last().is_some_and(|p| p.text.ends_with('*'));
        let Some(subject_parts) = arn_segments(subject, self.parts.len(), last_is_star) else {
            return Some(false);
        };
        let mut all = true;
        for (p, s) in self.parts.iter().zip(subject_parts) {
            if !p.matches(s, vars)? {
                all = false;
            }
        }
        Some(all)
    }
}

/// `subject` cut into the `k` segments a pattern of `k` segments compares: a pattern of fewer
/// than six segments matches only when its last segment ends in `*` (which then spans the rest).
fn arn_segments(subject: &str, k: usize, last_is_star: bool) -> Option<Vec<&str>> {
    if k < ARN_SEGMENTS && !last_is_star {
        return None;
    }
    let parts: Vec<&str> = subject.splitn(k, ':').collect();
    (parts.len() == k).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoVars;
    impl Vars for NoVars {
        fn var(&self, _: &str) -> Option<&str> {
            None
        }
    }
    struct User;
    impl Vars for User {
        fn var(&self, key: &str) -> Option<&str> {
            (key == "aws:username").then_some("a*b")
        }
    }

    fn res(p: &str, s: &str) -> bool {
        Pattern::new(p, Wild::Arn, true, false)
            .unwrap()
            .matches(s, &NoVars)
            .unwrap()
    }

    #[test]
    fn resource_stars_span_slashes_and_trailing_stars_span_colons() {
        assert!(res(
            "arn:aws:s3:::bucket/*/test/*",
            "arn:aws:s3:::bucket/1///test///object.jpg"
        ));
        assert!(res(
            "arn:aws:s3:::bucket/*/test/*",
            "arn:aws:s3:::bucket//test/object.jpg"
        ));
        assert!(!res(
            "arn:aws:s3:::bucket/*/test/*",
            "arn:aws:s3:::bucket/1-test/object.jpg"
        ));
        assert!(res(
            "arn:aws:dynamodb:*:table/prod-*",
            "arn:aws:dynamodb:us-east-1:111122223333:table/prod-x"
        ));
        assert!(!res(
            "arn:aws:dynamodb:us-*-1:111122223333:table/x",
            "arn:aws:dynamodb:us-east:x-1:111122223333:table/x"
        ));
        assert!(res("arn:aws:s3:::b/a:b*", "arn:aws:s3:::b/a:b:c"));
        assert!(
            !res("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x"),
            "resources are case-sensitive"
        );
    }

    #[test]
    fn actions_ignore_case() {
        let p = Pattern::new("S3:Get*", Wild::Free, false, true).unwrap();
        assert!(p.matches("s3:getobject", &NoVars).unwrap());
        assert!(p.matches("S3:GETOBJECT", &NoVars).unwrap());
        let q = Pattern::new("iam:*AccessKey?", Wild::Free, false, true).unwrap();
        assert!(q.matches("iam:CreateAccessKeys", &NoVars).unwrap());
        assert!(!q.matches("iam:CreateAccessKey", &NoVars).unwrap());
    }

    #[test]
    fn variable_values_are_literal_and_special_variables_escape() {
        let p = Pattern::new("home/${aws:username}/*", Wild::Free, true, false).unwrap();
        assert!(p.matches("home/a*b/x", &User).unwrap());
        assert!(
            !p.matches("home/aXb/x", &User).unwrap(),
            "a * inside a variable value is not a wildcard"
        );
        let star = Pattern::new("a${*}b", Wild::Free, true, false).unwrap();
        assert!(star.matches("a*b", &NoVars).unwrap());
        assert!(!star.matches("axb", &NoVars).unwrap());
        let missing = Pattern::new("${aws:PrincipalTag/team}", Wild::Free, true, false).unwrap();
        assert_eq!(missing.matches("x", &NoVars), None);
        let dflt = Pattern::new(
            "b-${aws:PrincipalTag/team, 'company-wide'}",
            Wild::Free,
            true,
            false,
        )
        .unwrap();
        assert_eq!(dflt.matches("b-company-wide", &NoVars), Some(true));
        let old = Pattern::new("${aws:username}", Wild::Free, false, false).unwrap();
        assert!(
            old.matches("${aws:username}", &User).unwrap(),
            "2008-10-17: variables are plain text"
        );
    }

    #[test]
    fn arn_condition_values_compare_segment_by_segment() {
        let p = ArnPattern::new("arn:aws:someservice:*:111122223333:finance/*", true).unwrap();
        assert!(!p.matches("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", &NoVars).unwrap());
        assert!(
            p.matches(
                "arn:aws:someservice:us-east-2:111122223333:finance/a:b",
                &NoVars
            )
            .unwrap()
        );
        let any = ArnPattern::new("*", true).unwrap();
        assert!(any.matches("arn:aws:s3:::x", &NoVars).unwrap());
        let partial = ArnPattern::new("arn:aws:sns:*", true).unwrap();
        assert!(
            partial
                .matches("arn:aws:sns:us-east-1:1:t", &NoVars)
                .unwrap()
        );
    }

    struct Caller;
    impl Vars for Caller {
        fn var(&self, key: &str) -> Option<&str> {
            match key {
                "aws:principalarn" => Some("arn:aws:iam::111122223333:role/app"),
                "aws:principalaccount" => Some("111122223333"),
                "aws:username" => Some("x*:y"),
                _ => None,
            }
        }
    }

    #[test]
    fn arn_condition_values_may_be_variables_that_hold_colons() {
        let whole = ArnPattern::new("${aws:PrincipalArn}", true).unwrap();
        assert_eq!(
            whole.matches("arn:aws:iam::111122223333:role/app", &Caller),
            Some(true)
        );
        assert_eq!(
            whole.matches("arn:aws:iam::111122223333:role/other", &Caller),
            Some(false)
        );
        let account = ArnPattern::new("arn:aws:iam::${aws:PrincipalAccount}:role/*", true).unwrap();
        assert_eq!(
            account.matches("arn:aws:iam::111122223333:role/ci", &Caller),
            Some(true)
        );
        assert_eq!(
            account.matches("arn:aws:iam::444455556666:role/ci", &Caller),
            Some(false)
        );
        // A variable's value is literal: its `*` is no wildcard, its `:` no segment break.
        let user = ArnPattern::new("arn:aws:iam::1:user/${aws:username}", true).unwrap();
        assert_eq!(
            user.matches("arn:aws:iam::1:user/x*:y", &Caller),
            Some(true)
        );
        assert_eq!(
            user.matches("arn:aws:iam::1:user/xz:y", &Caller),
            Some(false)
        );
        // No value: matches nothing.
        let missing = ArnPattern::new("${aws:SourceArn}", true).unwrap();
        assert_eq!(missing.matches("arn:aws:s3:::b", &Caller), None);
        // 2008-10-17: plain text, compared as a (wrong) ARN.
        let old = ArnPattern::new("${aws:PrincipalArn}", false).unwrap();
        assert_eq!(
            old.matches("arn:aws:iam::111122223333:role/app", &Caller),
            Some(false)
        );
    }

    #[test]
    fn pathological_patterns_stay_fast() {
        let p = Pattern::new(&"*a".repeat(40).to_string(), Wild::Free, false, false).unwrap();
        assert!(!p.matches(&"b".repeat(300), &NoVars).unwrap());
        let r = Pattern::new(
            &format!("arn:a*a*a*a*:s3:::{}", "*a".repeat(30)),
            Wild::Arn,
            false,
            false,
        )
        .unwrap();
        assert!(
            !r.matches(
                &format!("arn:{}:s3:::{}", "a".repeat(200), "b".repeat(300)),
                &NoVars
            )
            .unwrap()
        );
    }
}
