//! Keys and clicks to actions. Terminal habits: arrows and hjkl, Enter, digits pick, Space
//! toggles, Backspace takes back, `q`/Esc go back, `?` help, Ctrl-C quits from anywhere.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

/// What an input means, independent of the key that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Pick the n-th (0-based) choice, item or right: digit keys 1–9.
    Pick(usize),
    /// Toggle the highlighted choice (Space).
    Toggle,
    /// Confirm / answer / continue (Enter).
    Submit,
    /// The next question (n).
    Next,
    /// Take back the last pick (Backspace).
    Undo,
    /// Show every wrong choice's reason (w).
    ToggleWhy,
    /// Back, or quit from the home screen (q, Esc).
    Back,
    /// Toggle help (?).
    Help,
    /// Quit at once (Ctrl-C).
    ForceQuit,
    /// A left click at a cell.
    Click {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
}

/// Maps a key press to an action, if it means one.
pub fn action_for_key(key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c' | 'C')).then_some(Action::ForceQuit);
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Char(c @ '1'..='9') => Action::Pick(c as usize - '1' as usize),
        KeyCode::Char(' ') => Action::Toggle,
        KeyCode::Enter => Action::Submit,
        KeyCode::Char('n') => Action::Next,
        KeyCode::Backspace => Action::Undo,
        KeyCode::Char('w') => Action::ToggleWhy,
        KeyCode::Char('q') | KeyCode::Esc => Action::Back,
        KeyCode::Char('?') => Action::Help,
        _ => return None,
    })
}

/// Maps a terminal event to an action, if it means one.
pub fn action_for_event(event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) => action_for_key(*key),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column: mouse.column, row: mouse.row }),
            MouseEventKind::ScrollDown => Some(Action::Down),
            MouseEventKind::ScrollUp => Some(Action::Up),
            _ => None,
        },
        _ => None,
    }
}
