//! The quiz body laid out: a question (all four types) or its feedback — right or wrong, the
//! reason the chosen choice is wrong, the misconception it embodies, the explanation, and on
//! request every other wrong choice's reason — as styled lines with the rows a click can pick.
//! The screens draw it; `update` uses it to limit scrolling and to map clicks to choices.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::app::keymap::Bindings;
use crate::app::quiz::{FeedbackKind, Input, Quiz, Response};
use crate::content::{Library, Question, QuestionType};
use crate::srs::Rating;
use crate::strings;
use crate::text;
use crate::theme::Theme;

/// The laid-out body: its lines and which line starts which pickable row.
pub struct Body {
    /// Styled lines, already wrapped to the width.
    pub lines: Vec<Line<'static>>,
    /// (line index, display position) for each choice / item / right that a click can pick.
    pub targets: Vec<(usize, usize)>,
    /// The bindings the texts that name keys follow.
    keys: Bindings,
}

impl Body {
    fn new(keys: &Bindings) -> Self {
        Self {
            lines: Vec::new(),
            targets: Vec::new(),
            keys: keys.clone(),
        }
    }

    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// Adds wrapped text; every line gets `style`.
    fn para(&mut self, content: &str, width: usize, first: &str, rest: &str, style: Style) {
        for line in text::wrap_indent(content, width, first, rest) {
            self.lines.push(Line::styled(line, style));
        }
    }

    fn target(&mut self, position: usize) {
        self.targets.push((self.lines.len(), position));
    }
}

/// Columns of padding each side of the body.
pub const PAD: u16 = 1;

/// Width available to the body text.
pub fn body_width(size: (u16, u16)) -> usize {
    usize::from(size.0.saturating_sub(2 * PAD)).max(1)
}

/// Height of the scrolling body.
pub fn body_height(size: (u16, u16)) -> usize {
    let (_, body, _) = super::chrome(Rect::new(0, 0, size.0, size.1));
    usize::from(body.height).max(1)
}

/// Only the lines (for scroll limits).
pub fn body_lines(
    library: &Library,
    quiz: &Quiz,
    width: usize,
    keys: &Bindings,
) -> Vec<Line<'static>> {
    body(library, quiz, width, Theme::default(), keys).lines
}

/// Which display position a click on terminal row `row` picks, before answering.
pub fn choice_at(
    library: &Library,
    quiz: &Quiz,
    size: (u16, u16),
    row: u16,
    keys: &Bindings,
) -> Option<usize> {
    let (_, area, _) = super::chrome(Rect::new(0, 0, size.0, size.1));
    if row < area.y || row >= area.bottom() {
        return None;
    }
    let line = usize::from(row - area.y) + usize::from(quiz.scroll);
    let layout = body(library, quiz, body_width(size), Theme::default(), keys);
    // The target whose first line is at or above the click, if the click is within its lines.
    let index = layout
        .targets
        .iter()
        .rposition(|(start, _)| *start <= line)?;
    let end = layout
        .targets
        .get(index + 1)
        .map_or(layout.lines.len(), |(start, _)| *start);
    (line < end && !layout.lines[line].spans.is_empty()).then_some(layout.targets[index].1)
}

/// Lays out the current question or its feedback.
pub fn body(library: &Library, quiz: &Quiz, width: usize, theme: Theme, keys: &Bindings) -> Body {
    let mut body = Body::new(keys);
    let Some(question) = quiz.question(library) else {
        return body;
    };
    if quiz.finished {
        body.para(strings::FINISHED, width, "", "", theme.heading());
        body.blank();
        let score = strings::SCORE
            .replace("{0}", &quiz.answered.to_string())
            .replace("{1}", &quiz.correct.to_string());
        body.para(&score, width, "", "", theme.text());
        body.blank();
        body.para(strings::BACK_HOME, width, "", "", theme.dim());
        return body;
    }
    match &quiz.feedback {
        None => question_body(&mut body, question, quiz, width, theme),
        Some(feedback) => {
            // A review shows the question again: it is read long after it was answered.
            if let FeedbackKind::Review { .. } = feedback.kind {
                body.para(question.prompt.trim(), width, "", "", theme.text());
                body.blank();
            }
            let (label, style) = match (feedback.kind, feedback.correct) {
                (FeedbackKind::Review { answered: false }, _) => {
                    (strings::UNANSWERED, theme.wrong())
                }
                (_, true) => (strings::CORRECT, theme.correct()),
                (_, false) => (strings::WRONG, theme.wrong()),
            };
            body.para(label, width, "", "", style);
            if feedback.correct && feedback.kind == FeedbackKind::Live {
                let said = feedback.said.map_or("", |r| r.label());
                let hint = body.keys.fill(strings::RERATE_HINT);
                let hint = if said.is_empty() {
                    hint
                } else {
                    format!("{hint} ({said})")
                };
                body.para(&hint, width, "", "", theme.dim());
                if let Some(intervals) = &feedback.intervals {
                    let each: Vec<String> = [Rating::Hard, Rating::Good, Rating::Easy]
                        .iter()
                        .map(|&r| {
                            let interval = intervals[usize::from(r.number()) - 1];
                            format!("{} {}", r.label(), interval.label())
                        })
                        .collect();
                    let line = format!("{}{}", strings::RERATE_INTERVALS, each.join(" / "));
                    body.para(&line, width, "", "", theme.dim());
                }
            }
            body.blank();
            match &feedback.response {
                Response::Choices(chosen) => {
                    choices_feedback(
                        &mut body,
                        library,
                        question,
                        quiz,
                        chosen,
                        feedback.show_all_why,
                        width,
                        theme,
                    );
                }
                Response::Order(order) => order_feedback(&mut body, question, order, width, theme),
                Response::Match(assigned) => {
                    match_feedback(&mut body, question, assigned, width, theme)
                }
            }
            body.blank();
            body.para(strings::EXPLANATION, width, "", "", theme.heading());
            body.para(question.explanation.trim(), width, "", "", theme.text());
            if !question.sources.is_empty() {
                body.blank();
                body.para(strings::SOURCES, width, "", "", theme.dim());
                for source in &question.sources {
                    body.para(source, width, "  ", "  ", theme.dim());
                }
            }
            body.blank();
            body.para(
                &format!(
                    "{}: {}{}",
                    strings::ITEM_ID,
                    question.id,
                    body.keys.fill(strings::COPY_ID)
                ),
                width,
                "",
                "",
                theme.dim(),
            );
        }
    }
    body
}

fn question_body(body: &mut Body, question: &Question, quiz: &Quiz, width: usize, theme: Theme) {
    body.para(question.prompt.trim(), width, "", "", theme.text());
    body.blank();
    let shown = quiz.current();
    match &quiz.input {
        Input::Choices { cursor, selected } => {
            if question.kind == QuestionType::Multi {
                let n = question.pick.unwrap_or(1);
                body.para(
                    &strings::PICK_N.replace("{}", &n.to_string()),
                    width,
                    "",
                    "",
                    theme.dim(),
                );
            }
            let multi = question.kind == QuestionType::Multi;
            for (pos, &index) in shown.order.iter().enumerate() {
                let choice = &question.choices[index];
                let pointer = if pos == *cursor { ">" } else { " " };
                let mark = match (multi, selected[pos]) {
                    (true, true) => "[x]",
                    (true, false) => "[ ]",
                    (false, true) => "(*)",
                    (false, false) => "( )",
                };
                let first = format!("{pointer} {mark} {}. ", pos + 1);
                let rest = " ".repeat(text::width(&first));
                let style = if selected[pos] {
                    theme.selected()
                } else {
                    theme.text()
                };
                body.target(pos);
                body.para(&choice.text, width, &first, &rest, style);
            }
        }
        Input::Order { sequence } => {
            body.para(strings::ORDER_HINT, width, "", "", theme.dim());
            for (pos, &index) in shown.order.iter().enumerate() {
                let rank = sequence.iter().position(|&p| p == pos);
                let mark = rank.map_or_else(|| "[ ]".to_string(), |r| format!("[{}]", r + 1));
                let first = format!("{mark} {}. ", pos + 1);
                let rest = " ".repeat(text::width(&first));
                let style = if rank.is_some() {
                    theme.selected()
                } else {
                    theme.text()
                };
                body.target(pos);
                body.para(&question.items[index], width, &first, &rest, style);
            }
            body.blank();
            let picked: Vec<String> = sequence.iter().map(|p| (p + 1).to_string()).collect();
            let line = format!("{}: {}", strings::YOUR_ORDER, picked.join(" → "));
            body.para(&line, width, "", "", theme.heading());
        }
        Input::Match { cursor, assigned } => {
            body.para(strings::MATCH_HINT, width, "", "", theme.dim());
            for (i, pair) in question.pairs.iter().enumerate() {
                let pointer = if i == *cursor { ">" } else { " " };
                let answer =
                    assigned[i].map_or_else(|| "[ ]".to_string(), |p| format!("[{}]", p + 1));
                let first = format!("{pointer} {}. ", letter(i));
                let rest = " ".repeat(text::width(&first));
                let style = if i == *cursor {
                    theme.selected()
                } else {
                    theme.text()
                };
                body.para(
                    &format!("{} → {answer}", pair.left),
                    width,
                    &first,
                    &rest,
                    style,
                );
            }
            body.blank();
            body.para(strings::MATCH_OPTIONS, width, "", "", theme.heading());
            for (pos, &index) in shown.order.iter().enumerate() {
                let first = format!("  {}. ", pos + 1);
                let rest = " ".repeat(text::width(&first));
                body.target(pos);
                body.para(
                    &question.pairs[index].right,
                    width,
                    &first,
                    &rest,
                    theme.text(),
                );
            }
        }
    }
}

fn letter(i: usize) -> char {
    char::from(b'A' + u8::try_from(i % 26).unwrap_or(0))
}

#[allow(clippy::too_many_arguments)]
fn choices_feedback(
    body: &mut Body,
    library: &Library,
    question: &Question,
    quiz: &Quiz,
    chosen: &[String],
    show_all_why: bool,
    width: usize,
    theme: Theme,
) {
    let mut hidden_reasons = false;
    for (pos, &index) in quiz.current().order.iter().enumerate() {
        let choice = &question.choices[index];
        let picked = chosen.contains(&choice.id);
        let (mark, style) = match (choice.correct, picked) {
            (true, _) => ("✔", theme.correct()),
            (false, true) => ("✘", theme.wrong()),
            (false, false) => (" ", theme.text()),
        };
        let first = format!("{mark} {}. ", pos + 1);
        let rest = " ".repeat(text::width(&first));
        let suffix = if picked { "(あなたの選択)" } else { "" };
        body.para(
            &format!("{}{suffix}", choice.text),
            width,
            &first,
            &rest,
            style,
        );
        if let Some(why) = choice.why.as_deref().filter(|_| !choice.correct) {
            if picked || show_all_why {
                let why_first = format!("{rest}{}", strings::WHY_WRONG);
                let why_rest = " ".repeat(text::width(&why_first));
                let why_style = if picked { theme.wrong() } else { theme.dim() };
                body.para(why, width, &why_first, &why_rest, why_style);
            } else {
                hidden_reasons = true;
            }
        }
    }
    for choice in question
        .choices
        .iter()
        .filter(|c| chosen.contains(&c.id) && !c.correct)
    {
        if let Some(m) = choice
            .misconception
            .as_deref()
            .and_then(|id| library.misconception(id))
        {
            body.blank();
            body.para(
                &format!("{}: {}", strings::MISCONCEPTION, m.belief),
                width,
                "",
                "  ",
                theme.wrong(),
            );
            body.para(&m.correction, width, "  → ", "    ", theme.text());
        }
    }
    if hidden_reasons {
        body.blank();
        let offer = body.keys.fill(strings::SHOW_ALL_WHY);
        body.para(&offer, width, "", "", theme.dim());
    }
}

fn order_feedback(
    body: &mut Body,
    question: &Question,
    order: &[usize],
    width: usize,
    theme: Theme,
) {
    body.para(strings::CORRECT_ORDER, width, "", "", theme.heading());
    for (i, item) in question.items.iter().enumerate() {
        let right = order.get(i) == Some(&i);
        let (mark, style) = if right {
            ("✔", theme.correct())
        } else {
            ("✘", theme.wrong())
        };
        let first = format!("{mark} {}. ", i + 1);
        let rest = " ".repeat(text::width(&first));
        body.para(item, width, &first, &rest, style);
    }
    body.blank();
    body.para(strings::YOUR_ORDER, width, "", "", theme.heading());
    for (i, &index) in order.iter().enumerate() {
        let first = format!("  {}. ", i + 1);
        let rest = " ".repeat(text::width(&first));
        let style = if index == i {
            theme.text()
        } else {
            theme.wrong()
        };
        body.para(&question.items[index], width, &first, &rest, style);
    }
}

fn match_feedback(
    body: &mut Body,
    question: &Question,
    assigned: &[usize],
    width: usize,
    theme: Theme,
) {
    body.para(strings::CORRECT_PAIRS, width, "", "", theme.heading());
    for (i, pair) in question.pairs.iter().enumerate() {
        let right = assigned.get(i) == Some(&i);
        let (mark, style) = if right {
            ("✔", theme.correct())
        } else {
            ("✘", theme.wrong())
        };
        let first = format!("{mark} {}. ", letter(i));
        let rest = " ".repeat(text::width(&first));
        body.para(
            &format!("{} → {}", pair.left, pair.right),
            width,
            &first,
            &rest,
            style,
        );
        if !right && let Some(given) = assigned.get(i).and_then(|&j| question.pairs.get(j)) {
            body.para(
                &format!("{}: {}", strings::YOUR_ANSWER, given.right),
                width,
                &rest,
                &rest,
                theme.dim(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn letters_label_lefts() {
        assert_eq!(super::letter(0), 'A');
        assert_eq!(super::letter(3), 'D');
    }
}
