//! The application state and its update function (The Elm Architecture): `update` turns a
//! message into state changes and effects; it does no I/O and reads no clock.

pub mod keymap;
pub mod quiz;

use std::sync::Arc;

use crate::content::Library;
use keymap::Action;
use quiz::{Input, Quiz};

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// ホーム: the domains and their question counts.
    Home,
    /// 演習: answering questions.
    Quiz,
}

/// Something for the runtime to do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the app (the terminal is restored by the runtime).
    Quit,
}

/// A message into `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A key or click, already mapped to what it means.
    Action(Action),
    /// The terminal's new size in cells.
    Resize(u16, u16),
}

/// The whole state of the app.
#[derive(Debug, Clone)]
pub struct App {
    /// The loaded content.
    pub library: Arc<Library>,
    /// Problems with extra content files, shown on the home screen.
    pub warnings: Vec<String>,
    /// The screen showing.
    pub screen: Screen,
    /// Highlighted row on the home screen.
    pub home_cursor: usize,
    /// The quiz in progress, if any.
    pub quiz: Option<Quiz>,
    /// Whether the help overlay is open.
    pub help: bool,
    /// The terminal size, for scrolling limits.
    pub size: (u16, u16),
    /// Seed for every shuffle, so a session is reproducible.
    pub seed: u64,
}

/// One row of the home screen: a domain and how many questions it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRow {
    /// The domain key, or `None` for "all domains".
    pub key: Option<String>,
    /// Japanese name.
    pub name: String,
    /// Questions in it.
    pub questions: usize,
    /// Blueprint weight in percent (none for "all").
    pub weight: Option<u32>,
}

impl App {
    /// A new app on the home screen.
    pub fn new(library: Arc<Library>, seed: u64) -> Self {
        Self {
            library,
            warnings: Vec::new(),
            screen: Screen::Home,
            home_cursor: 0,
            quiz: None,
            help: false,
            size: (80, 24),
            seed,
        }
    }

    /// The home screen's rows: each blueprint domain, then all domains together.
    pub fn domain_rows(&self) -> Vec<DomainRow> {
        let mut rows: Vec<DomainRow> = self
            .library
            .main_blueprint()
            .map(|b| {
                b.domains
                    .iter()
                    .map(|d| DomainRow {
                        key: Some(d.key.clone()),
                        name: d.name.clone(),
                        questions: self.library.questions_in(&d.key).count(),
                        weight: Some(d.weight),
                    })
                    .collect()
            })
            .unwrap_or_default();
        rows.push(DomainRow {
            key: None,
            name: crate::ui::strings::ALL_DOMAINS.to_string(),
            questions: self.library.questions.len(),
            weight: None,
        });
        rows
    }

    fn start_quiz(&mut self, row: usize) {
        let rows = self.domain_rows();
        let Some(row) = rows.get(row) else { return };
        let ids: Vec<String> = self
            .library
            .questions
            .iter()
            .filter(|q| row.key.as_deref().is_none_or(|k| q.domain == k))
            .map(|q| q.id.clone())
            .collect();
        // Each run gets its own shuffle, still reproducible from the app's seed.
        self.seed = self.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        if let Some(quiz) = Quiz::new(&self.library, row.name.clone(), &ids, self.seed) {
            self.quiz = Some(quiz);
            self.screen = Screen::Quiz;
        }
    }
}

/// Applies a message to the app and returns what the runtime should do.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Msg::Action(Action::ForceQuit) => vec![Effect::Quit],
        Msg::Action(Action::Help) => {
            app.help = !app.help;
            Vec::new()
        }
        Msg::Action(action) if app.help => {
            if matches!(action, Action::Back | Action::Submit) {
                app.help = false;
            }
            Vec::new()
        }
        Msg::Action(action) => match app.screen {
            Screen::Home => update_home(app, action),
            Screen::Quiz => update_quiz(app, action),
        },
    }
}

fn update_home(app: &mut App, action: Action) -> Vec<Effect> {
    let rows = app.domain_rows().len();
    match action {
        Action::Back => return vec![Effect::Quit],
        Action::Up => app.home_cursor = app.home_cursor.checked_sub(1).unwrap_or(rows.saturating_sub(1)),
        Action::Down => app.home_cursor = if app.home_cursor + 1 >= rows { 0 } else { app.home_cursor + 1 },
        Action::Submit | Action::Right => app.start_quiz(app.home_cursor),
        Action::Pick(n) if n < rows => {
            app.home_cursor = n;
            app.start_quiz(n);
        }
        Action::Click { row, .. } => {
            if let Some(n) = crate::ui::home::row_at(app, row) {
                app.home_cursor = n;
                app.start_quiz(n);
            }
        }
        _ => {}
    }
    Vec::new()
}

fn update_quiz(app: &mut App, action: Action) -> Vec<Effect> {
    let library = Arc::clone(&app.library);
    // A click on a choice (or item, or right) means the same as its number key.
    let action = match (action, app.quiz.as_ref()) {
        (Action::Click { row, .. }, Some(quiz)) if quiz.feedback.is_none() => {
            match crate::ui::quiz::choice_at(&library, quiz, app.size, row) {
                Some(pos) => Action::Pick(pos),
                None => return Vec::new(),
            }
        }
        (action, _) => action,
    };
    let Some(quiz) = app.quiz.as_mut() else {
        app.screen = Screen::Home;
        return Vec::new();
    };
    if action == Action::Back {
        app.quiz = None;
        app.screen = Screen::Home;
        return Vec::new();
    }
    if quiz.finished {
        if matches!(action, Action::Submit | Action::Right | Action::Next) {
            app.quiz = None;
            app.screen = Screen::Home;
        }
        return Vec::new();
    }
    let Some(question) = quiz.question(&library).cloned() else { return Vec::new() };
    let body_height = crate::ui::quiz::body_height(app.size);
    let max_scroll = |quiz: &Quiz| {
        let lines = crate::ui::quiz::body_lines(&library, quiz, crate::ui::quiz::body_width(app.size)).len();
        u16::try_from(lines.saturating_sub(body_height)).unwrap_or(u16::MAX)
    };

    if quiz.feedback.is_some() {
        if matches!(action, Action::Submit | Action::Right | Action::Next) {
            if !quiz.advance(&library) {
                quiz.finished = true;
                quiz.feedback = None;
            }
            return Vec::new();
        }
        let max = max_scroll(quiz);
        let feedback = quiz.feedback.as_mut().expect("checked");
        match action {
            Action::ToggleWhy => feedback.show_all_why = !feedback.show_all_why,
            Action::Down => feedback.scroll = (feedback.scroll + 1).min(max),
            Action::Up => feedback.scroll = feedback.scroll.saturating_sub(1),
            Action::PageDown => feedback.scroll = (feedback.scroll + body_height as u16).min(max),
            Action::PageUp => feedback.scroll = feedback.scroll.saturating_sub(body_height as u16),
            _ => {}
        }
        // The toggle changes the body's length: keep the scroll inside it.
        let max = max_scroll_after(&library, quiz, app.size);
        if let Some(f) = quiz.feedback.as_mut() {
            f.scroll = f.scroll.min(max);
        }
        return Vec::new();
    }

    match (&mut quiz.input, action) {
        (_, Action::Submit) => {
            quiz.submit(&library);
        }
        (_, Action::PageDown) => quiz.scroll = (quiz.scroll + body_height as u16).min(max_scroll(quiz)),
        (_, Action::PageUp) => quiz.scroll = quiz.scroll.saturating_sub(body_height as u16),
        (Input::Choices { cursor, selected }, action) => {
            let n = selected.len();
            let single = question.kind == crate::content::QuestionType::Single;
            let choose = |pos: usize, selected: &mut Vec<bool>| {
                if single {
                    selected.iter_mut().for_each(|s| *s = false);
                    selected[pos] = true;
                } else {
                    selected[pos] = !selected[pos];
                }
            };
            match action {
                Action::Up => *cursor = cursor.checked_sub(1).unwrap_or(n.saturating_sub(1)),
                Action::Down => *cursor = if *cursor + 1 >= n { 0 } else { *cursor + 1 },
                Action::Toggle => choose(*cursor, selected),
                Action::Pick(p) if p < n => {
                    *cursor = p;
                    choose(p, selected);
                }
                _ => {}
            }
        }
        (Input::Order { sequence }, action) => {
            let n = question.items.len();
            match action {
                Action::Pick(p) if p < n && !sequence.contains(&p) => sequence.push(p),
                Action::Undo => {
                    sequence.pop();
                }
                _ => {}
            }
        }
        (Input::Match { cursor, assigned }, action) => {
            let n = assigned.len();
            match action {
                Action::Up => *cursor = cursor.checked_sub(1).unwrap_or(n.saturating_sub(1)),
                Action::Down => *cursor = if *cursor + 1 >= n { 0 } else { *cursor + 1 },
                Action::Pick(p) if p < n => {
                    // A right may serve one left only: taking it from another left frees that one.
                    for a in assigned.iter_mut() {
                        if *a == Some(p) {
                            *a = None;
                        }
                    }
                    assigned[*cursor] = Some(p);
                    if let Some(next) = (0..n).map(|i| (*cursor + 1 + i) % n).find(|&i| assigned[i].is_none()) {
                        *cursor = next;
                    }
                }
                Action::Undo => assigned[*cursor] = None,
                _ => {}
            }
        }
    }
    Vec::new()
}

fn max_scroll_after(library: &Library, quiz: &Quiz, size: (u16, u16)) -> u16 {
    let lines = crate::ui::quiz::body_lines(library, quiz, crate::ui::quiz::body_width(size)).len();
    u16::try_from(lines.saturating_sub(crate::ui::quiz::body_height(size))).unwrap_or(u16::MAX)
}
