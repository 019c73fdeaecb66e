//! Japanese-aware text layout: display width (full-width characters count two) and line wrapping
//! with 禁則処理 — no line starts with 、。」）and the like, and none ends with 「（. English
//! words are kept whole where they fit; nothing ever splits a character.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Whether a character could steer a terminal or reorder what it shows: C0 and C1 controls
/// (ESC, CSI, BEL, …), DEL, and the bidirectional overrides and isolates.
pub fn is_terminal_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text safe to print on a terminal: every control character but newline and tab is shown as a
/// visible escape (`\x1b`, `\u{202e}`), so content, scenario files, imports and file names can
/// neither move the cursor nor retitle the window. Text without controls is borrowed as it is.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_terminal_control(c) && c != '\n' && c != '\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x80 && is_terminal_control(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_terminal_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Display width of a string in terminal columns.
pub fn width(text: &str) -> usize {
    text.width()
}

/// Characters that may not begin a line (行頭禁則).
pub fn is_no_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | ','
            | '.'
            | '・'
            | '：'
            | '；'
            | ':'
            | ';'
            | '？'
            | '！'
            | '?'
            | '!'
            | 'ー'
            | '」'
            | '』'
            | '）'
            | ')'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '］'
            | ']'
            | '｝'
            | '}'
            | '’'
            | '”'
            | '〟'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ゕ'
            | 'ゖ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | '々'
            | '〻'
            | 'ゝ'
            | 'ゞ'
            | 'ヽ'
            | 'ヾ'
            | '…'
            | '‥'
            | '％'
            | '%'
    )
}

/// Characters that may not end a line (行末禁則).
pub fn is_no_end(c: char) -> bool {
    matches!(
        c,
        '「' | '『'
            | '（'
            | '('
            | '【'
            | '〔'
            | '〈'
            | '《'
            | '［'
            | '['
            | '｛'
            | '{'
            | '‘'
            | '“'
            | '〝'
    )
}

/// Splits one paragraph into units that wrapping never breaks: ASCII words, single spaces and
/// single other characters.
fn units(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    for (i, c) in paragraph.char_indices() {
        // A run of ASCII without spaces is one unit, punctuation included: a URL, an ARN, an IP
        // address or `ap-northeast-1.` is never broken inside by the line wrap.
        let wordish = c.is_ascii_graphic();
        match (wordish, word_start) {
            (true, None) => word_start = Some(i),
            (true, Some(_)) => {}
            (false, start) => {
                if let Some(start) = start {
                    out.push(&paragraph[start..i]);
                    word_start = None;
                }
                out.push(&paragraph[i..i + c.len_utf8()]);
            }
        }
    }
    if let Some(start) = word_start {
        out.push(&paragraph[start..]);
    }
    out
}

fn first_char(unit: &str) -> char {
    unit.chars().next().unwrap_or(' ')
}

fn last_char(unit: &str) -> char {
    unit.chars().next_back().unwrap_or(' ')
}

/// Wraps text to `max_width` columns; `\n` starts a new paragraph. Returns at least one line.
pub fn wrap(text: &str, max_width: usize) -> Vec<String> {
    wrap_indent(text, max_width, "", "")
}

/// Wraps text with a prefix on the first line (e.g. "1. ") and another on the rest (e.g. "   ").
pub fn wrap_indent(text: &str, max_width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for (n, paragraph) in text.split('\n').enumerate() {
        let prefix = if n == 0 { first } else { rest };
        wrap_paragraph(
            paragraph.trim_end_matches('\r'),
            max_width,
            prefix,
            rest,
            &mut lines,
        );
    }
    lines
}

fn wrap_paragraph(
    paragraph: &str,
    max_width: usize,
    first: &str,
    rest: &str,
    lines: &mut Vec<String>,
) {
    let mut prefix = first;
    let mut available = max_width.saturating_sub(width(prefix)).max(1);
    let mut current: Vec<&str> = Vec::new();
    let mut current_width = 0;
    let mut pending: Vec<&str> = units(paragraph);
    pending.reverse();

    let flush = |current: &mut Vec<&str>, prefix: &str, lines: &mut Vec<String>| {
        while current.last() == Some(&" ") {
            current.pop();
        }
        let mut line = String::from(prefix);
        line.extend(current.drain(..));
        lines.push(line);
    };

    while let Some(unit) = pending.pop() {
        let unit_width = width(unit);
        if current.is_empty() && unit == " " && !lines.is_empty() && prefix == rest {
            continue; // no space at the start of a wrapped line
        }
        if current_width + unit_width <= available {
            current.push(unit);
            current_width += unit_width;
            continue;
        }
        if unit == " " {
            // A space that does not fit is dropped: the next unit breaks the line (with 禁則).
            continue;
        }
        if unit_width > available && unit.contains(['/', ':']) {
            // A URL, ARN or CIDR longer than a line breaks after a `/` (or an ARN's `:`), never
            // in the middle of a name: its pieces are placed like words.
            let separator: &[char] = if unit.contains('/') { &['/'] } else { &[':'] };
            let pieces: Vec<&str> = unit.split_inclusive(separator).collect();
            if pieces.len() > 1 {
                pending.extend(pieces.into_iter().rev());
                continue;
            }
        }
        if unit_width > available && unit.chars().count() > 1 {
            // A word longer than a line: break it between characters, filling this line first.
            let mut chars: Vec<&str> = unit
                .char_indices()
                .map(|(i, c)| &unit[i..i + c.len_utf8()])
                .collect();
            chars.reverse();
            pending.extend(chars);
            continue;
        }
        // Carry units to the next line so that it does not start with a no-start character and
        // this one does not end with a no-end character — as long as this line keeps something.
        let mut carry: Vec<&str> = Vec::new();
        let mut head = unit;
        while current.len() > 1
            && (is_no_start(first_char(head)) || is_no_end(last_char(current[current.len() - 1])))
        {
            let moved = current.pop().expect("len > 1");
            carry.push(moved);
            head = moved;
        }
        if current.len() == 1 && is_no_start(first_char(head)) && current[0].chars().count() > 1 {
            // The only thing left is one word: take its last letter along rather than start the
            // next line with punctuation.
            let word = current[0];
            let cut = word.char_indices().next_back().map_or(0, |(i, _)| i);
            current[0] = &word[..cut];
            carry.push(&word[cut..]);
        }
        if current.is_empty() {
            // Only possible when a single unit does not fit an empty line: place it anyway.
            current.push(unit);
            flush(&mut current, prefix, lines);
            (prefix, available, current_width) =
                (rest, max_width.saturating_sub(width(rest)).max(1), 0);
            continue;
        }
        flush(&mut current, prefix, lines);
        (prefix, available) = (rest, max_width.saturating_sub(width(rest)).max(1));
        carry.reverse();
        current.extend(carry);
        current.push(unit);
        current_width = current.iter().map(|u| width(u)).sum();
        if current_width > available {
            // The carried run cannot fit with the unit: give up on 禁則 here rather than overflow.
            let overflow = current.pop().expect("just pushed");
            pending.push(overflow);
            current_width -= width(overflow);
            if current.is_empty() {
                continue;
            }
        }
    }
    if !current.is_empty() || lines.is_empty() || paragraph.is_empty() {
        flush(&mut current, prefix, lines);
    }
}

/// Cuts a string to at most `max_width` columns, ending with … when cut.
pub fn truncate(text: &str, max_width: usize) -> String {
    if width(text) <= max_width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let budget = max_width.saturating_sub(1);
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        out.push(c);
        used += w;
    }
    if max_width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_url_breaks_after_a_slash_never_inside_a_name() {
        let url =
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html";
        let lines = super::wrap_indent(url, 60, "  ", "  ");
        assert_eq!(
            lines,
            [
                "  https://docs.aws.amazon.com/IAM/latest/UserGuide/",
                "  access_policies_boundaries.html"
            ]
        );
        let text = "送信元は 198.51.100.0/24 と arn:aws:iam::111111111111:role/Admin です";
        for line in super::wrap(text, 20) {
            assert!(!line.ends_with("198.51."), "{line}");
        }
    }

    #[test]
    fn control_characters_are_shown_escaped_and_plain_text_is_untouched() {
        use super::escape_controls;
        assert_eq!(
            escape_controls("a\x1b]0;pwned\x07b"),
            "a\\x1b]0;pwned\\x07b"
        );
        assert_eq!(escape_controls("\u{9b}31m\u{202e}"), "\\u{9b}31m\\u{202e}");
        assert_eq!(escape_controls("行1\n\t行2\r"), "行1\n\t行2\\x0d");
        assert!(matches!(
            escape_controls("日本語 text"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    use super::*;

    #[test]
    fn wraps_by_display_width() {
        let lines = wrap("あいうえおかきくけこ", 6);
        assert_eq!(lines, ["あいう", "えおか", "きくけ", "こ"]);
        assert!(lines.iter().all(|l| width(l) <= 6));
    }

    #[test]
    fn punctuation_never_starts_a_line() {
        // Without 禁則 the 。 would start the second line.
        let lines = wrap("あいう。えお", 6);
        assert_eq!(lines, ["あい", "う。え", "お"]);
        let lines = wrap("「SCP」は権限を与えない。", 8);
        for line in &lines[1..] {
            assert!(!is_no_start(line.chars().next().unwrap()), "{lines:?}");
        }
    }

    #[test]
    fn opening_brackets_never_end_a_line() {
        let lines = wrap("ああ「いい」", 6);
        assert!(
            lines.iter().all(|l| !is_no_end(l.chars().last().unwrap())),
            "{lines:?}"
        );
    }

    #[test]
    fn english_words_stay_whole_when_they_fit() {
        let lines = wrap("use IAM Identity Center now", 12);
        assert_eq!(lines, ["use IAM", "Identity", "Center now"]);
    }

    #[test]
    fn long_words_break_between_characters() {
        let lines = wrap("arn:aws:iam::111111111111:role/Dev", 10);
        assert!(lines.iter().all(|l| width(l) <= 10), "{lines:?}");
        assert_eq!(lines.concat(), "arn:aws:iam::111111111111:role/Dev");
    }

    #[test]
    fn hanging_indent() {
        let lines = wrap_indent("あいうえおかき", 8, "1. ", "   ");
        assert_eq!(lines, ["1. あい", "   うえ", "   おか", "   き"]);
    }

    #[test]
    fn tiny_widths_do_not_panic_or_lose_text() {
        for w in 0..4 {
            let lines = wrap("あ。い「う」", w);
            assert_eq!(lines.concat(), "あ。い「う」");
        }
    }

    #[test]
    fn truncates_with_ellipsis() {
        assert_eq!(truncate("あいうえお", 5), "あい…");
        assert_eq!(truncate("abc", 5), "abc");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// Japanese-like text: kana, kanji, ASCII words, spaces and punctuation, with no run of
        /// more than two no-start characters (longer runs cannot always be kept off a line start).
        fn japanese() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                "[あ-ん]{1,4}",
                "[ア-ン]{1,4}",
                "[一-龠]{1,3}",
                "[a-zA-Z0-9]{1,12}",
                Just(" ".to_string()),
                Just("、".to_string()),
                Just("。".to_string()),
                Just("」".to_string()),
                Just("）".to_string()),
                Just("「".to_string()),
                Just("（".to_string()),
                Just("ー".to_string()),
            ];
            prop::collection::vec(piece, 1..40).prop_map(|parts| {
                let mut out = String::new();
                for part in parts {
                    // Spaces do not separate punctuation for this purpose: 「、 、 、」 is one run.
                    let mut tail = out.chars().rev().filter(|c| *c != ' ');
                    let run = tail.clone().take_while(|c| is_no_start(*c)).count();
                    let after_opening = tail.next().is_some_and(is_no_end);
                    if (run >= 2 || after_opening) && part.chars().next().is_some_and(is_no_start) {
                        out.push('あ');
                    }
                    out.push_str(&part);
                }
                out
            })
        }

        proptest! {
            #[test]
            fn lines_fit_keep_every_character_and_respect_kinsoku(text in japanese(), max in 8usize..60) {
                let lines = wrap(&text, max);
                for line in &lines {
                    prop_assert!(width(line) <= max, "{line:?} is wider than {max}");
                }
                for line in lines.iter().skip(1) {
                    if let Some(first) = line.chars().next() {
                        prop_assert!(!matches!(first, '、' | '。' | '」' | '）'), "{lines:?}");
                    }
                }
                let joined: String = lines.concat();
                let without_spaces = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
                prop_assert_eq!(without_spaces(&joined), without_spaces(&text));
            }
        }
    }
}
