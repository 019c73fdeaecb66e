//! The Condition element: every operator family AWS documents (String, Numeric, Date, Bool,
//! Binary, IP address, ARN, Null), `…IfExists`, and the `ForAllValues:` / `ForAnyValue:` set
//! qualifiers, compiled once and evaluated against the request context.

use std::net::IpAddr;

use super::pattern::{ArnPattern, Pattern, Vars, Wild};
use crate::sim::ip::Cidr;

/// The request context as conditions see it: case-insensitive keys, string values.
pub trait Context: Vars {
    /// The values of a key (`key` is lower-case); `None` when the key is absent.
    fn values(&self, key: &str) -> Option<&[String]>;
}

/// The family of a condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// StringEquals / StringNotEquals.
    StringEquals,
    /// StringEqualsIgnoreCase / StringNotEqualsIgnoreCase.
    StringEqualsIgnoreCase,
    /// StringLike / StringNotLike.
    StringLike,
    /// NumericEquals / NumericNotEquals.
    NumericEquals,
    /// NumericLessThan.
    NumericLessThan,
    /// NumericLessThanEquals.
    NumericLessThanEquals,
    /// NumericGreaterThan.
    NumericGreaterThan,
    /// NumericGreaterThanEquals.
    NumericGreaterThanEquals,
    /// DateEquals / DateNotEquals.
    DateEquals,
    /// DateLessThan.
    DateLessThan,
    /// DateLessThanEquals.
    DateLessThanEquals,
    /// DateGreaterThan.
    DateGreaterThan,
    /// DateGreaterThanEquals.
    DateGreaterThanEquals,
    /// Bool.
    Bool,
    /// BinaryEquals.
    BinaryEquals,
    /// IpAddress / NotIpAddress.
    IpAddress,
    /// ArnEquals / ArnLike / ArnNotEquals / ArnNotLike (Equals and Like behave identically).
    Arn,
    /// Null.
    Null,
}

/// Every base operator name AWS accepts, with its family and whether it is negated.
pub const OPERATORS: &[(&str, Family, bool)] = &[
    ("StringEquals", Family::StringEquals, false),
    ("StringNotEquals", Family::StringEquals, true),
    (
        "StringEqualsIgnoreCase",
        Family::StringEqualsIgnoreCase,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        Family::StringEqualsIgnoreCase,
        true,
    ),
    ("StringLike", Family::StringLike, false),
    ("StringNotLike", Family::StringLike, true),
    ("NumericEquals", Family::NumericEquals, false),
    ("NumericNotEquals", Family::NumericEquals, true),
    ("NumericLessThan", Family::NumericLessThan, false),
    (
        "NumericLessThanEquals",
        Family::NumericLessThanEquals,
        false,
    ),
    ("NumericGreaterThan", Family::NumericGreaterThan, false),
    (
        "NumericGreaterThanEquals",
        Family::NumericGreaterThanEquals,
        false,
    ),
    ("DateEquals", Family::DateEquals, false),
    ("DateNotEquals", Family::DateEquals, true),
    ("DateLessThan", Family::DateLessThan, false),
    ("DateLessThanEquals", Family::DateLessThanEquals, false),
    ("DateGreaterThan", Family::DateGreaterThan, false),
    (
        "DateGreaterThanEquals",
        Family::DateGreaterThanEquals,
        false,
    ),
    ("Bool", Family::Bool, false),
    ("BinaryEquals", Family::BinaryEquals, false),
    ("IpAddress", Family::IpAddress, false),
    ("NotIpAddress", Family::IpAddress, true),
    ("ArnEquals", Family::Arn, false),
    ("ArnLike", Family::Arn, false),
    ("ArnNotEquals", Family::Arn, true),
    ("ArnNotLike", Family::Arn, true),
    ("Null", Family::Null, false),
];

/// A set qualifier for multivalued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// `ForAllValues:` — every request value must match (true when the key is absent or empty).
    ForAllValues,
    /// `ForAnyValue:` — some request value must match (false when the key is absent or empty).
    ForAnyValue,
}

/// A parsed operator name such as `ForAnyValue:StringLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    /// The family.
    pub family: Family,
    /// Negated matching (`StringNotEquals`, `NotIpAddress`, `ArnNotLike` …).
    pub negated: bool,
    /// The `IfExists` suffix.
    pub if_exists: bool,
    /// The set qualifier.
    pub set: Option<SetOp>,
}

impl Operator {
    /// Parses an operator name; `None` when AWS does not know it.
    pub fn parse(name: &str) -> Option<Self> {
        let (set, rest) = if let Some(r) = name.strip_prefix("ForAllValues:") {
            (Some(SetOp::ForAllValues), r)
        } else if let Some(r) = name.strip_prefix("ForAnyValue:") {
            (Some(SetOp::ForAnyValue), r)
        } else {
            (None, name)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        let (_, family, negated) = OPERATORS.iter().find(|(n, _, _)| *n == base)?;
        if *family == Family::Null && (if_exists || set.is_some()) {
            return None;
        }
        Some(Self {
            family: *family,
            negated: *negated,
            if_exists,
            set,
        })
    }

    /// Every accepted spelling's base names, for "did you mean" hints.
    pub fn names() -> impl Iterator<Item = &'static str> {
        OPERATORS.iter().map(|(n, _, _)| *n)
    }
}

/// The compiled values of one condition key.
#[derive(Debug, Clone)]
pub enum Values {
    /// String and Bool operators (variables allowed).
    Text(Vec<Pattern>),
    /// Numeric operators.
    Number(Vec<f64>),
    /// Date operators, as milliseconds since the epoch.
    Date(Vec<i64>),
    /// BinaryEquals, decoded from base64.
    Binary(Vec<Vec<u8>>),
    /// IpAddress / NotIpAddress.
    Ip(Vec<Cidr>),
    /// ARN operators.
    Arn(Vec<ArnPattern>),
    /// Null: `true` means "the key must be absent".
    Null(Vec<bool>),
}

/// One `operator: { key: values }` pair.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The operator as written.
    pub operator_text: String,
    /// The parsed operator.
    pub operator: Operator,
    /// The key as written.
    pub key: String,
    /// The key, lower-case (keys are case-insensitive).
    pub key_lower: String,
    /// The values as written.
    pub raw_values: Vec<String>,
    /// The compiled values.
    pub values: Values,
}

/// Compiles the values of a condition; the error is Japanese.
pub fn compile_values(family: Family, raw: &[String], variables: bool) -> Result<Values, String> {
    let each = |f: &dyn Fn(&str) -> Result<(), String>| raw.iter().try_for_each(|r| f(r));
    Ok(match family {
        Family::StringEquals | Family::StringEqualsIgnoreCase | Family::Bool => {
            let ic = family == Family::StringEqualsIgnoreCase;
            if family == Family::Bool {
                each(&|r| {
                    if r.eq_ignore_ascii_case("true") || r.eq_ignore_ascii_case("false") || (variables && r.contains("${")) {
                        Ok(())
                    } else {
                        Err(format!("Bool の値は \"true\" か \"false\" です: `{r}`"))
                    }
                })?;
            }
            Values::Text(raw.iter().map(|r| Pattern::new(r, Wild::None, variables, ic)).collect::<Result<_, _>>()?)
        }
        Family::StringLike => {
            Values::Text(raw.iter().map(|r| Pattern::new(r, Wild::Free, variables, false)).collect::<Result<_, _>>()?)
        }
        Family::NumericEquals
        | Family::NumericLessThan
        | Family::NumericLessThanEquals
        | Family::NumericGreaterThan
        | Family::NumericGreaterThanEquals => Values::Number(
            raw.iter()
                .map(|r| parse_number(r).ok_or_else(|| format!("数値として読めません: `{r}`(Numeric 演算子にポリシー変数は使えません)")))
                .collect::<Result<_, _>>()?,
        ),
        Family::DateEquals
        | Family::DateLessThan
        | Family::DateLessThanEquals
        | Family::DateGreaterThan
        | Family::DateGreaterThanEquals => Values::Date(
            raw.iter()
                .map(|r| {
                    parse_date(r).ok_or_else(|| {
                        format!("日時として読めません: `{r}`(ISO 8601 の 2024-01-01T00:00:00Z か、エポック秒で書きます。ワイルドカードは使えません)")
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        Family::BinaryEquals => Values::Binary(
            raw.iter()
                .map(|r| base64_decode(r).ok_or_else(|| format!("base64 として読めません: `{r}`")))
                .collect::<Result<_, _>>()?,
        ),
        Family::IpAddress => Values::Ip(raw.iter().map(|r| Cidr::parse(r)).collect::<Result<_, _>>()?),
        Family::Arn => Values::Arn(raw.iter().map(|r| ArnPattern::new(r, variables)).collect::<Result<_, _>>()?),
        Family::Null => Values::Null(
            raw.iter()
                .map(|r| match r.to_ascii_lowercase().as_str() {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(format!("Null の値は \"true\"(キーがない)か \"false\"(キーがある)です: `{r}`")),
                })
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// How one request value compared with the policy values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueMatch {
    /// Some policy value matched.
    Matched,
    /// No policy value matched.
    NotMatched,
    /// Every policy value needs a variable that has no value (never matches).
    NoVariable,
}

/// Why a condition held or not, for explanations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The key is absent and `…IfExists` makes the condition true.
    AbsentIfExists,
    /// The key is absent: positive operators fail, negated ones hold, ForAllValues holds,
    /// ForAnyValue fails.
    Absent,
    /// The key is present (possibly with an empty set of values).
    Compared,
    /// Null: presence compared.
    Null,
}

impl Condition {
    /// Whether the condition holds for the request.
    pub fn holds(&self, ctx: &dyn Context) -> bool {
        self.evaluate(ctx).0
    }

    /// Whether the condition holds, and how it was decided.
    pub fn evaluate(&self, ctx: &dyn Context) -> (bool, Outcome) {
        let op = self.operator;
        let values = ctx.values(&self.key_lower);
        if let Values::Null(want) = &self.values {
            let present = values.is_some_and(|v| !v.is_empty());
            return (want.iter().any(|absent| *absent != present), Outcome::Null);
        }
        let Some(values) = values else {
            if op.if_exists {
                return (true, Outcome::AbsentIfExists);
            }
            let held = match op.set {
                Some(SetOp::ForAllValues) => true,
                Some(SetOp::ForAnyValue) => false,
                None => op.negated,
            };
            return (held, Outcome::Absent);
        };
        let held = match op.set {
            None => {
                let any = values
                    .iter()
                    .any(|v| self.matches_value(v, ctx) == ValueMatch::Matched);
                if op.negated { !any } else { any }
            }
            Some(set) => {
                // AWS: a value set that resolves to empty (for example an empty string) makes
                // ForAllValues true and ForAnyValue false.
                let values: &[String] = if values.len() == 1 && values[0].is_empty() {
                    &[]
                } else {
                    values
                };
                let each =
                    |v: &String| (self.matches_value(v, ctx) == ValueMatch::Matched) != op.negated;
                match set {
                    SetOp::ForAllValues => values.iter().all(each),
                    SetOp::ForAnyValue => values.iter().any(each),
                }
            }
        };
        (held, Outcome::Compared)
    }

    /// Whether one request value matches any policy value (positive matching: the negation is
    /// applied by the caller, as AWS's NOR).
    pub fn matches_value(&self, value: &str, ctx: &dyn Vars) -> ValueMatch {
        let mut missing = 0usize;
        let matched = match &self.values {
            Values::Text(patterns) => {
                let bool_op = self.operator.family == Family::Bool;
                patterns.iter().any(|p| {
                    let r = if bool_op {
                        p.resolved_text(ctx).map(|t| t.eq_ignore_ascii_case(value))
                    } else {
                        p.matches(value, ctx)
                    };
                    match r {
                        Some(m) => m,
                        None => {
                            missing += 1;
                            false
                        }
                    }
                })
            }
            Values::Number(ns) => parse_number(value)
                .is_some_and(|v| ns.iter().any(|n| compare(self.operator.family, v, *n))),
            Values::Date(ds) => parse_date(value).is_some_and(|v| {
                ds.iter()
                    .any(|d| compare(self.operator.family, v as f64, *d as f64))
            }),
            Values::Binary(bs) => {
                let bytes = base64_decode(value).unwrap_or_else(|| value.as_bytes().to_vec());
                bs.contains(&bytes)
            }
            Values::Ip(cidrs) => value
                .trim()
                .parse::<IpAddr>()
                .is_ok_and(|ip| cidrs.iter().any(|c| c.contains(ip))),
            Values::Arn(arns) => arns.iter().any(|a| match a.matches(value, ctx) {
                Some(m) => m,
                None => {
                    missing += 1;
                    false
                }
            }),
            Values::Null(_) => false,
        };
        if matched {
            ValueMatch::Matched
        } else if missing > 0 && missing == self.raw_values.len() {
            ValueMatch::NoVariable
        } else {
            ValueMatch::NotMatched
        }
    }
}

fn compare(family: Family, request: f64, policy: f64) -> bool {
    match family {
        Family::NumericEquals | Family::DateEquals => request == policy,
        Family::NumericLessThan | Family::DateLessThan => request < policy,
        Family::NumericLessThanEquals | Family::DateLessThanEquals => request <= policy,
        Family::NumericGreaterThan | Family::DateGreaterThan => request > policy,
        Family::NumericGreaterThanEquals | Family::DateGreaterThanEquals => request >= policy,
        _ => false,
    }
}

/// Parses an integer or decimal number.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Parses a W3C ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, with an optional time and zone) or
/// epoch seconds, into milliseconds since 1970-01-01T00:00:00Z.
pub fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && t.len() != 4 {
        return t.parse::<i64>().ok()?.checked_mul(1000);
    }
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (date, time) = match t.split_once(['T', 't']) {
        Some((d, tm)) => (d, Some(tm)),
        None => (t, None),
    };
    let mut parts = date.split('-');
    let year = num(parts.next()?)?;
    let month = parts.next().map_or(Some(1), num)?;
    let day = parts.next().map_or(Some(1), num)?;
    if parts.next().is_some()
        || !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
    {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) * 86_400_000;
    if let Some(time) = time {
        let (clock, offset_ms) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
            (c, 0)
        } else if let Some(i) = time.rfind(['+', '-']) {
            let (c, zone) = time.split_at(i);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "0"));
            (c, sign * (num(h)? * 60 + num(m)?) * 60_000)
        } else {
            (time, 0)
        };
        let mut hms = clock.split(':');
        let h = num(hms.next()?)?;
        let m = num(hms.next()?)?;
        let (s, frac) = match hms.next() {
            Some(sec) => match sec.split_once('.') {
                Some((s, f)) => (num(s)?, format!("{f:0<3}")[..3].parse::<i64>().ok()?),
                None => (num(sec)?, 0),
            },
            None => (0, 0),
        };
        if h > 24 || m > 59 || s > 60 {
            return None;
        }
        millis += ((h * 60 + m) * 60 + s) * 1000 + frac - offset_ms;
    }
    Some(millis)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Decodes standard base64 (padding optional).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let t = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in t.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_parse_with_qualifiers_and_suffixes() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.family, Family::StringLike);
        assert!(op.if_exists && !op.negated);
        assert_eq!(op.set, Some(SetOp::ForAnyValue));
        assert!(Operator::parse("NotIpAddress").unwrap().negated);
        assert!(Operator::parse("StringEqual").is_none());
        assert!(
            Operator::parse("NullIfExists").is_none(),
            "IfExists cannot be added to Null"
        );
        assert!(
            Operator::parse("stringequals").is_none(),
            "operator names are case-sensitive"
        );
    }

    #[test]
    fn dates_in_every_w3c_form_and_epoch_seconds() {
        let base = parse_date("2020-01-01T00:00:00Z").unwrap();
        assert_eq!(parse_date("2020-01-01").unwrap(), base);
        assert_eq!(parse_date("2020").unwrap(), base);
        assert_eq!(parse_date("1577836800").unwrap(), base);
        assert_eq!(parse_date("2020-01-01T09:00:00+09:00").unwrap(), base);
        assert_eq!(parse_date("2020-01-01T00:00:01.5Z").unwrap(), base + 1500);
        assert_eq!(parse_date("2019-12-31T23:59Z").unwrap(), base - 60_000);
        assert!(parse_date("2020-13-01").is_none());
        assert!(parse_date("2020-*").is_none());
    }

    #[test]
    fn base64_round_trip() {
        assert_eq!(
            base64_decode("QmluYXJ5VmFsdWVJbkJhc2U2NA==").unwrap(),
            b"BinaryValueInBase64"
        );
        assert!(base64_decode("not base64!").is_none());
    }
}
