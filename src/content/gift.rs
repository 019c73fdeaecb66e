//! Moodle GIFT in and out. Export: one `$CATEGORY` per domain, the question id as the title,
//! `=`/`~` answers with `#` feedback (our `why`), `%weight%` for multi, `left -> right` for
//! match, the explanation as general feedback (`####`), and a `// shikaku: {…}` comment with
//! what GIFT has no place for (task, topics, sources, order …) so a round trip keeps it. Import:
//! single, multi with weights, match and true/false become questions; what GIFT cannot say
//! (domain, task, a `why` per wrong answer …) is left empty for `lint` to point at.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{Choice, ContentFile, Pair, Question, QuestionType};

/// What GIFT has no field for, carried in a comment line before the question.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<QuestionType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    skills: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scenario: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    no_scenario: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    lint_allow: Vec<String>,
    /// Choice ids in order (GIFT answers have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    choices: Vec<String>,
    /// Choice id → misconception id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    misconceptions: BTreeMap<String, String>,
}

const META: &str = "// shikaku: ";

/// GIFT's special characters escaped, newlines as `\n`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Undoes [`escape`] (and Moodle's `\n`).
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(next) => out.push(next),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// A question bank Moodle imports: a category per domain, in the order given.
pub fn export(questions: &[&Question], domain_name: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::from("// shikaku から書き出した問題バンク(Moodle の GIFT 形式)\n\n");
    let mut current: Option<&str> = None;
    let mut sorted: Vec<&Question> = questions.to_vec();
    sorted.sort_by(|a, b| a.domain.cmp(&b.domain));
    for q in sorted {
        if current != Some(q.domain.as_str()) {
            current = Some(q.domain.as_str());
            let name = domain_name(&q.domain).unwrap_or_else(|| q.domain.clone());
            out.push_str(&format!(
                "$CATEGORY: $course$/shikaku/{}\n// {name}\n\n",
                q.domain.replace('/', "-")
            ));
        }
        out.push_str(&question(q));
        out.push('\n');
    }
    out
}

fn question(q: &Question) -> String {
    let meta = Meta {
        id: Some(q.id.clone()),
        kind: Some(q.kind),
        domain: Some(q.domain.clone()),
        task: q.task.clone(),
        skills: q.skills.clone(),
        topics: q.topics.clone(),
        tags: q.tags.clone(),
        scenario: q.scenario.clone(),
        no_scenario: q.no_scenario.clone(),
        sources: q.sources.clone(),
        lint_allow: q.lint_allow.clone(),
        choices: q.choices.iter().map(|c| c.id.clone()).collect(),
        misconceptions: q
            .choices
            .iter()
            .filter_map(|c| c.misconception.clone().map(|m| (c.id.clone(), m)))
            .collect(),
    };
    let mut out = format!(
        "{META}{}\n::{}::[plain]{} {{\n",
        serde_json::to_string(&meta).unwrap_or_default(),
        escape(&q.id),
        escape(&q.prompt)
    );
    let feedback = |why: &Option<String>| {
        why.as_deref()
            .filter(|w| !w.trim().is_empty())
            .map(|w| format!(" #{}", escape(w)))
            .unwrap_or_default()
    };
    match q.kind {
        QuestionType::Single => {
            for c in &q.choices {
                let mark = if c.correct { '=' } else { '~' };
                out.push_str(&format!(
                    "\t{mark}{}{}\n",
                    escape(&c.text),
                    feedback(&c.why)
                ));
            }
        }
        QuestionType::Multi => {
            let right = q.choices.iter().filter(|c| c.correct).count().max(1);
            let weight = format_weight(100.0 / right as f64);
            for c in &q.choices {
                let w = if c.correct { weight.as_str() } else { "-100" };
                out.push_str(&format!(
                    "\t~%{w}%{}{}\n",
                    escape(&c.text),
                    feedback(&c.why)
                ));
            }
        }
        QuestionType::Match => {
            for p in &q.pairs {
                out.push_str(&format!("\t={} -> {}\n", escape(&p.left), escape(&p.right)));
            }
        }
        // GIFT has no ordering question: Moodle gets a matching question "position → step",
        // the comment says it was an order question.
        QuestionType::Order => {
            for (i, item) in q.items.iter().enumerate() {
                out.push_str(&format!("\t={}番目 -> {}\n", i + 1, escape(item)));
            }
        }
    }
    if !q.explanation.trim().is_empty() {
        out.push_str(&format!("\t####{}\n", escape(&q.explanation)));
    }
    out.push_str("}\n");
    out
}

/// Moodle's weights have five decimals at most ("33.33333").
fn format_weight(w: f64) -> String {
    let text = format!("{w:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Something an import could not carry, with the GIFT line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportNote {
    /// 1-based line of the question in the GIFT file.
    pub line: usize,
    /// What happened (Japanese).
    pub message: String,
}

/// The questions of a GIFT file, and notes on what was left out. A question's domain is the
/// one its `// shikaku:` comment names, else `domain`, else the last part of its `$CATEGORY`.
pub fn import(text: &str, domain: Option<&str>) -> (ContentFile, Vec<ImportNote>) {
    let mut file = ContentFile::default();
    let mut notes = Vec::new();
    let mut category: Option<String> = None;
    let mut meta: Option<Meta> = None;
    let mut chunk = String::new();
    let mut chunk_line = 0;
    let mut number = 0;
    let lines: Vec<&str> = text.lines().chain(std::iter::once("")).collect();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_start_matches('\u{feff}');
        let trimmed = line.trim();
        if let Some(json) = trimmed.strip_prefix(META.trim_end()) {
            meta = serde_json::from_str(json.trim()).ok();
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("$CATEGORY:") {
            category = rest.trim().rsplit('/').next().map(str::to_string);
            continue;
        }
        if trimmed.is_empty() {
            if !chunk.trim().is_empty() {
                number += 1;
                match parse_question(&chunk, meta.take(), domain.or(category.as_deref()), number) {
                    Ok((q, mut more)) => {
                        for note in &mut more {
                            note.line = chunk_line;
                        }
                        notes.extend(more);
                        file.questions.push(q);
                    }
                    Err(message) => notes.push(ImportNote {
                        line: chunk_line,
                        message,
                    }),
                }
            }
            chunk.clear();
            meta = None;
            continue;
        }
        if chunk.is_empty() {
            chunk_line = i + 1;
        } else {
            chunk.push('\n');
        }
        chunk.push_str(line);
    }
    (file, notes)
}

/// Byte positions of `needle` in `text` that are not escaped by a backslash.
fn unescaped(text: &str, needle: char) -> Vec<usize> {
    let mut out = Vec::new();
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == needle {
            out.push(i);
        }
    }
    out
}

fn strip_format(text: &str) -> (String, bool) {
    let t = text.trim_start();
    for (tag, html) in [
        ("[plain]", false),
        ("[moodle]", false),
        ("[markdown]", false),
        ("[html]", true),
    ] {
        if let Some(rest) = t.strip_prefix(tag) {
            return (rest.to_string(), html);
        }
    }
    (t.to_string(), false)
}

/// Plain text from the little HTML Moodle writes (`<p>`, `<br>`, entities).
fn plain(text: &str, html: bool) -> String {
    let text = unescape(text);
    if !html {
        return text;
    }
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in text.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name = tag.trim_start_matches('/').to_ascii_lowercase();
                if name.starts_with("br") || name.starts_with('p') && tag.starts_with('/') {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

struct Answer {
    correct: bool,
    weight: Option<f64>,
    text: String,
    feedback: Option<String>,
}

fn parse_question(
    chunk: &str,
    meta: Option<Meta>,
    domain: Option<&str>,
    number: usize,
) -> Result<(Question, Vec<ImportNote>), String> {
    let meta = meta.unwrap_or_default();
    let mut notes = Vec::new();
    let mut rest = chunk.trim();
    let mut title = None;
    if rest.starts_with("::") {
        let body = &rest[2..];
        if let Some(end) = unescaped(body, ':')
            .windows(2)
            .find(|w| w[1] == w[0] + 1)
            .map(|w| w[0])
        {
            title = Some(unescape(&body[..end]));
            rest = &body[end + 2..];
        }
    }
    let Some(&open) = unescaped(rest, '{').first() else {
        return Err("答えの `{…}` がない問題(説明文)は取り込めません".into());
    };
    let Some(&close) = unescaped(rest, '}').iter().rev().find(|&&c| c > open) else {
        return Err("答えの `{…}` が閉じていません".into());
    };
    let (before, html) = strip_format(&rest[..open]);
    let after = rest[close + 1..].trim();
    let mut prompt = plain(&before, html);
    if !after.is_empty() {
        prompt = format!("{prompt} ___ {}", plain(after, html));
    }
    let mut block = &rest[open + 1..close];
    let mut explanation = String::new();
    if let Some(at) = block.find("####") {
        explanation = plain(&block[at + 4..], html);
        block = &block[..at];
    }
    let body = block.trim();
    let id = meta
        .id
        .clone()
        .or_else(|| title.clone().filter(|t| is_id(t)))
        .unwrap_or_else(|| format!("q-gift-{number}"));
    let mut q = Question {
        id,
        kind: QuestionType::Single,
        domain: meta
            .domain
            .clone()
            .or_else(|| domain.map(str::to_string))
            .unwrap_or_default(),
        task: meta.task.clone(),
        skills: meta.skills.clone(),
        topics: meta.topics.clone(),
        tags: meta.tags.clone(),
        scenario: meta.scenario.clone(),
        no_scenario: meta.no_scenario.clone(),
        prompt,
        explanation,
        pick: None,
        choices: Vec::new(),
        items: Vec::new(),
        pairs: Vec::new(),
        sources: meta.sources.clone(),
        lint_allow: meta.lint_allow.clone(),
    };
    if let Some(t) = title.filter(|t| *t != q.id) {
        q.tags.push(format!("gift:{t}"));
    }
    if body.is_empty() {
        return Err("記述式(`{}`)は取り込めません".into());
    }
    if body.starts_with('#') {
        return Err("数値問題(`{#…}`)は取り込めません".into());
    }
    let (tf, tf_feedback) = match body.split_once('#') {
        Some((head, fb)) => (head.trim(), Some(fb)),
        None => (body, None),
    };
    if let Some(truth) = match tf {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    } {
        // {T#wrong feedback#right feedback}: the first feedback is for the wrong answer.
        let wrong_fb = tf_feedback
            .and_then(|f| f.split('#').next())
            .map(|f| plain(f, html))
            .filter(|f| !f.is_empty());
        for (cid, text, value) in [("a", "正しい", true), ("b", "誤り", false)] {
            let correct = value == truth;
            q.choices.push(Choice {
                id: cid.into(),
                text: text.into(),
                correct,
                why: if correct { None } else { wrong_fb.clone() },
                misconception: None,
            });
        }
        return Ok((q, notes));
    }
    let answers = split_answers(body, html);
    let pairs: Vec<(String, String)> = answers
        .iter()
        .filter_map(|a| {
            a.correct
                .then(|| a.text.split_once("->"))
                .flatten()
                .map(|(l, r)| (l.trim().to_string(), r.trim().to_string()))
        })
        .collect();
    if !pairs.is_empty() {
        if meta.kind == Some(QuestionType::Order) {
            q.kind = QuestionType::Order;
            q.items = pairs.into_iter().map(|(_, r)| r).collect();
        } else {
            q.kind = QuestionType::Match;
            q.pairs = pairs
                .into_iter()
                .map(|(left, right)| Pair { left, right })
                .collect();
        }
        return Ok((q, notes));
    }
    if answers.iter().all(|a| a.correct) {
        return Err("短答式(`=` だけの答え)は取り込めません".into());
    }
    let weighted = answers.iter().any(|a| a.weight.is_some());
    let right = answers
        .iter()
        .filter(|a| a.correct || a.weight.is_some_and(|w| w > 0.0))
        .count();
    q.kind = if weighted && right != 1 || meta.kind == Some(QuestionType::Multi) {
        QuestionType::Multi
    } else {
        QuestionType::Single
    };
    if q.kind == QuestionType::Multi {
        q.pick = Some(right as u32);
    }
    for (k, a) in answers.into_iter().enumerate() {
        let correct = a.correct || a.weight.is_some_and(|w| w > 0.0);
        let cid = meta.choices.get(k).cloned().unwrap_or_else(|| choice_id(k));
        if !correct && a.feedback.is_none() {
            notes.push(ImportNote {
                line: 0,
                message: format!(
                    "問題 `{}` の誤答 `{cid}` にフィードバックがありません(`why` を書いてください)",
                    q.id
                ),
            });
        }
        q.choices.push(Choice {
            misconception: meta.misconceptions.get(&cid).cloned(),
            id: cid,
            text: a.text,
            correct,
            // Feedback on a right answer is praise, not a reason: kept out of `why`.
            why: if correct { None } else { a.feedback },
        });
    }
    Ok((q, notes))
}

fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn choice_id(k: usize) -> String {
    let letters = "abcdefghijklmnopqrstuvwxyz";
    letters
        .chars()
        .nth(k)
        .map_or_else(|| format!("c{k}"), |c| c.to_string())
}

fn split_answers(body: &str, html: bool) -> Vec<Answer> {
    let mut starts: Vec<usize> = unescaped(body, '=')
        .into_iter()
        .chain(unescaped(body, '~'))
        .collect();
    starts.sort_unstable();
    let mut out = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(body.len());
        let correct = body[start..].starts_with('=');
        let mut text = &body[start + 1..end];
        let mut weight = None;
        if let Some(inner) = text.trim_start().strip_prefix('%')
            && let Some(close) = inner.find('%')
        {
            weight = inner[..close].trim().parse::<f64>().ok();
            text = &inner[close + 1..];
        }
        let (text, feedback) = match unescaped(text, '#').first() {
            Some(&at) => (
                &text[..at],
                Some(plain(&text[at + 1..], html)).filter(|f| !f.is_empty()),
            ),
            None => (text, None),
        };
        out.push(Answer {
            correct,
            weight,
            text: plain(text, html),
            feedback,
        });
    }
    out
}
