//! Keys and clicks to actions. Terminal habits: arrows and hjkl, Enter, digits pick, Space
//! toggles, `/` search, `s` simulator, `t` topic card, `u` undo, `f` flag, `q`/Esc back, `?`
//! help, Ctrl-C quits from anywhere. The config file may rebind any action to another key.

use std::collections::HashMap;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

/// What an input means, independent of the key that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move up (↑, k).
    Up,
    /// Move down (↓, j).
    Down,
    /// Left (←, h).
    Left,
    /// Right / forward (→, l).
    Right,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// Pick the n-th (0-based): digit keys 1–9 (choices, ratings, menu rows).
    Pick(usize),
    /// The digit 0: the second digit of a two-digit row number (10, 20, …).
    Zero,
    /// Toggle the highlighted row (Space).
    Toggle,
    /// Confirm / answer / continue (Enter).
    Submit,
    /// The next question (n).
    Next,
    /// Take back the last pick of an answer in progress (Backspace).
    Erase,
    /// Clear a text field (Ctrl-U while typing).
    ClearField,
    /// Undo the last recorded answer (u).
    Undo,
    /// Show every wrong choice's reason (w).
    ToggleWhy,
    /// Open search (/).
    Search,
    /// Open the linked scenario in the simulator (s).
    Simulator,
    /// Open the linked topic card (t).
    Topic,
    /// Flag the question (f).
    Flag,
    /// Bury until tomorrow (b).
    Bury,
    /// Suspend (x).
    Suspend,
    /// Practise this topic's questions (p).
    Practice,
    /// Open in $EDITOR (e).
    Edit,
    /// Put an edited scenario back to its original (R).
    Reset,
    /// The simulator's decision table over every combination of the knob values (T).
    Table,
    /// Copy the shown item's id to the clipboard (c).
    CopyId,
    /// Reload content from disk (r).
    Reload,
    /// Show content problems (!).
    Problems,
    /// Set the real exam's date (d, on ホーム).
    ExamDate,
    /// Switch focus (Tab).
    Tab,
    /// Back, or quit from the home screen (q, Esc).
    Back,
    /// Toggle help (?).
    Help,
    /// Quit at once (Ctrl-C).
    ForceQuit,
    /// A character typed into a text field.
    Type(char),
    /// A left click at a cell.
    Click {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
}

impl Action {
    /// The action a config file names, for key overrides (`[keys] search = "F"`).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "up" => Self::Up,
            "down" => Self::Down,
            "left" => Self::Left,
            "right" => Self::Right,
            "submit" => Self::Submit,
            "next" => Self::Next,
            "toggle" => Self::Toggle,
            "erase" => Self::Erase,
            "undo" => Self::Undo,
            "why" => Self::ToggleWhy,
            "search" => Self::Search,
            "simulator" => Self::Simulator,
            "topic" => Self::Topic,
            "flag" => Self::Flag,
            "bury" => Self::Bury,
            "suspend" => Self::Suspend,
            "practice" => Self::Practice,
            "edit" => Self::Edit,
            "reload" => Self::Reload,
            "reset" => Self::Reset,
            "table" => Self::Table,
            "copy" => Self::CopyId,
            "exam_date" => Self::ExamDate,
            "back" => Self::Back,
            "help" => Self::Help,
            _ => return None,
        })
    }
}

/// The default character keys (digits pick; see [`Bindings::action_for_key`]). Both the
/// dispatch and the footers read this table, so a hint names the key that really works.
pub const DEFAULT_CHARS: &[(char, Action)] = &[
    ('k', Action::Up),
    ('j', Action::Down),
    ('h', Action::Left),
    ('l', Action::Right),
    ('0', Action::Zero),
    (' ', Action::Toggle),
    ('n', Action::Next),
    ('u', Action::Undo),
    ('w', Action::ToggleWhy),
    ('/', Action::Search),
    ('s', Action::Simulator),
    ('t', Action::Topic),
    ('f', Action::Flag),
    ('b', Action::Bury),
    ('x', Action::Suspend),
    ('p', Action::Practice),
    ('e', Action::Edit),
    ('r', Action::Reload),
    ('R', Action::Reset),
    ('T', Action::Table),
    ('c', Action::CopyId),
    ('!', Action::Problems),
    ('d', Action::ExamDate),
    ('q', Action::Back),
    ('?', Action::Help),
];

/// Keys no config can rebind, with the name hints give them.
pub const SPECIAL_KEYS: &[(KeyCode, Action, &str)] = &[
    (KeyCode::Up, Action::Up, "↑"),
    (KeyCode::Down, Action::Down, "↓"),
    (KeyCode::Left, Action::Left, "←"),
    (KeyCode::Right, Action::Right, "→"),
    (KeyCode::PageUp, Action::PageUp, "PgUp"),
    (KeyCode::PageDown, Action::PageDown, "PgDn"),
    (KeyCode::Enter, Action::Submit, "Enter"),
    (KeyCode::Backspace, Action::Erase, "BS"),
    (KeyCode::Tab, Action::Tab, "Tab"),
    (KeyCode::Esc, Action::Back, "Esc"),
];

/// How a character key is named in hints.
fn char_name(c: char) -> String {
    match c {
        ' ' => "Space".into(),
        c => c.to_string(),
    }
}

/// Key overrides from the config file: a character key to an action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bindings {
    overrides: HashMap<char, Action>,
}

impl Bindings {
    /// Bindings from `name = "key"` pairs; returns the pairs it did not understand, and the
    /// (key, action name, shadowed action name) of overrides that take a key another action
    /// already has by default.
    pub fn from_config(
        pairs: &HashMap<String, String>,
    ) -> (Self, Vec<String>, Vec<(char, String, String)>) {
        let mut overrides = HashMap::new();
        let mut unknown = Vec::new();
        let mut shadowed = Vec::new();
        let defaults = Self::default();
        let mut names: Vec<&String> = pairs.keys().collect();
        names.sort();
        for name in names {
            let key = &pairs[name];
            let mut chars = key.chars();
            match (Action::from_name(name), chars.next(), chars.next()) {
                (Some(action), Some(c), None) => {
                    let press = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                    if let Some(before) = defaults.action_for_key(press, false)
                        && before != action
                    {
                        shadowed.push((c, name.clone(), format!("{before:?}")));
                    }
                    overrides.insert(c, action);
                }
                _ => unknown.push(format!("{name} = \"{key}\"")),
            }
        }
        (Self { overrides }, unknown, shadowed)
    }

    /// Maps a key press to an action. While `typing`, printable keys are text.
    pub fn action_for_key(&self, key: KeyEvent, typing: bool) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return match key.code {
                KeyCode::Char('c' | 'C') => Some(Action::ForceQuit),
                KeyCode::Char('u' | 'U') if typing => Some(Action::ClearField),
                _ => None,
            };
        }
        if typing {
            return Some(match key.code {
                KeyCode::Char(c) => Action::Type(c),
                KeyCode::Backspace => Action::Erase,
                KeyCode::Enter => Action::Submit,
                KeyCode::Esc => Action::Back,
                KeyCode::Up => Action::Up,
                KeyCode::Down => Action::Down,
                KeyCode::Tab => Action::Tab,
                KeyCode::PageUp => Action::PageUp,
                KeyCode::PageDown => Action::PageDown,
                _ => return None,
            });
        }
        if let KeyCode::Char(c) = key.code
            && let Some(action) = self.overrides.get(&c)
        {
            return Some(*action);
        }
        if let KeyCode::Char(c) = key.code {
            if let Some(d) = c.to_digit(10).filter(|d| *d > 0) {
                return Some(Action::Pick(d as usize - 1));
            }
            return DEFAULT_CHARS
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, action)| *action);
        }
        SPECIAL_KEYS
            .iter()
            .find(|(code, _, _)| *code == key.code)
            .map(|(_, action, _)| *action)
    }

    /// The keys that do `action` now, as the footer and help name them: the learner's own
    /// bindings first, then the defaults no override has taken, then keys no config can move
    /// (arrows, Enter, Esc…).
    pub fn key_names(&self, action: Action) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut own: Vec<char> = self
            .overrides
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(c, _)| *c)
            .collect();
        own.sort_unstable();
        names.extend(own.into_iter().map(char_name));
        let free = |c: char| !self.overrides.contains_key(&c);
        if let Action::Pick(i) = action {
            let c = char::from_digit(i as u32 + 1, 10).filter(|_| i < 9);
            names.extend(c.filter(|c| free(*c)).map(char_name));
        }
        if action == Action::Zero && free('0') {
            names.push("0".into());
        }
        let chars = DEFAULT_CHARS
            .iter()
            .filter(|(c, a)| *a == action && free(*c))
            .map(|(c, _)| char_name(*c));
        let special = SPECIAL_KEYS
            .iter()
            .filter(|(_, a, _)| *a == action)
            .map(|(_, _, name)| (*name).to_string());
        // Arrows are what a footer shows for moving; letters first elsewhere (q before Esc).
        if matches!(
            action,
            Action::Up | Action::Down | Action::Left | Action::Right
        ) {
            names.extend(special);
            names.extend(chars);
        } else {
            names.extend(chars);
            names.extend(special);
        }
        names
    }

    /// The key the footer shows for `action` (its first name), if any key does it.
    pub fn key_name(&self, action: Action) -> Option<String> {
        self.key_names(action).into_iter().next()
    }

    /// A text that names keys, with each `{key:NAME}` (an action's config name) and `{pick:N}`
    /// (the N-th row or choice, 1-based) replaced by the key that does it now, so body texts
    /// follow the learner's bindings as the footers do. A placeholder for an action no key
    /// does reads 未割り当て.
    pub fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let inner = &rest[start + 1..start + len];
            let action = match inner.split_once(':') {
                Some(("key", name)) => Action::from_name(name),
                Some(("pick", n)) => n
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .map(|n| Action::Pick(n - 1)),
                _ => None,
            };
            out.push_str(&rest[..start]);
            match action {
                Some(action) => {
                    out.push_str(&self.key_name(action).unwrap_or_else(|| "未割り当て".into()))
                }
                // Not ours (`{left}`, `{minutes}`): left for the caller.
                None => out.push_str(&rest[start..=start + len]),
            }
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Maps a terminal event to an action, if it means one.
    pub fn action_for_event(&self, event: &Event, typing: bool) -> Option<Action> {
        match event {
            Event::Key(key) => self.action_for_key(*key, typing),
            Event::Mouse(mouse) => match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                    column: mouse.column,
                    row: mouse.row,
                }),
                MouseEventKind::ScrollDown => Some(Action::Down),
                MouseEventKind::ScrollUp => Some(Action::Up),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Maps a key press with the default bindings (tests and the default config).
pub fn action_for_key(key: KeyEvent) -> Option<Action> {
    Bindings::default().action_for_key(key, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn texts_name_the_keys_bound_now() {
        let defaults = Bindings::default();
        assert_eq!(
            defaults.fill("{key:why} で理由、{pick:2} 難しい、残り {left}"),
            "w で理由、2 難しい、残り {left}"
        );
        let pairs = HashMap::from([
            ("why".to_string(), "W".to_string()),
            ("search".to_string(), "2".to_string()),
        ]);
        let (rebound, _, _) = Bindings::from_config(&pairs);
        // `2` now searches, so nothing picks the second row; `w` is still free for ToggleWhy.
        assert_eq!(
            rebound.fill("{key:why} / {pick:2} / {key:nothing} / {unclosed"),
            "W / 未割り当て / {key:nothing} / {unclosed"
        );
    }

    #[test]
    fn typing_turns_every_printable_key_into_text() {
        let keys = Bindings::default();
        assert_eq!(
            keys.action_for_key(press('q'), true),
            Some(Action::Type('q'))
        );
        assert_eq!(keys.action_for_key(press('q'), false), Some(Action::Back));
    }

    #[test]
    fn a_left_click_is_a_click_and_the_wheel_scrolls() {
        use crossterm::event::MouseEvent;
        let mouse = |kind| {
            Event::Mouse(MouseEvent {
                kind,
                column: 4,
                row: 7,
                modifiers: KeyModifiers::NONE,
            })
        };
        let keys = Bindings::default();
        assert_eq!(
            keys.action_for_event(&mouse(MouseEventKind::Down(MouseButton::Left)), false),
            Some(Action::Click { column: 4, row: 7 })
        );
        assert_eq!(
            keys.action_for_event(&mouse(MouseEventKind::ScrollDown), false),
            Some(Action::Down)
        );
    }

    #[test]
    fn config_overrides_rebind_keys() {
        let pairs = HashMap::from([
            ("search".to_string(), "F".to_string()),
            ("nonsense".to_string(), "z".to_string()),
        ]);
        let (keys, unknown, shadowed) = Bindings::from_config(&pairs);
        assert_eq!(keys.action_for_key(press('F'), false), Some(Action::Search));
        assert_eq!(unknown, ["nonsense = \"z\""]);
        assert!(shadowed.is_empty(), "F was free");
    }

    #[test]
    fn every_default_key_name_maps_back_to_its_action() {
        let keys = Bindings::default();
        for (c, action) in DEFAULT_CHARS {
            assert!(keys.key_names(*action).contains(&char_name(*c)), "{c}");
            let press = KeyEvent::new(KeyCode::Char(*c), KeyModifiers::NONE);
            assert_eq!(keys.action_for_key(press, false), Some(*action), "{c}");
        }
        assert_eq!(keys.key_name(Action::Up).as_deref(), Some("↑"));
        assert_eq!(keys.key_names(Action::Back), ["q", "Esc"]);
        assert_eq!(keys.key_names(Action::Pick(2)), ["3"]);
    }

    #[test]
    fn a_rebound_key_is_named_first_and_a_taken_default_is_not_named() {
        let pairs = HashMap::from([
            ("bury".to_string(), "B".to_string()),
            ("search".to_string(), "b".to_string()),
        ]);
        let (keys, _, _) = Bindings::from_config(&pairs);
        assert_eq!(keys.key_names(Action::Bury), ["B"], "b now searches");
        assert_eq!(keys.key_names(Action::Search), ["b", "/"]);
    }
}
