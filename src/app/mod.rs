//! The application state and its update function (The Elm Architecture): `update` turns a
//! message into state changes and effects; it does no I/O and reads no clock — time arrives in
//! [`Msg::Tick`], and writes leave as [`Effect`]s whose results come back as messages.

pub mod exam;
pub mod exam_date;
pub mod hints;
pub mod keymap;
pub mod practice;
pub mod progress;
pub mod quiz;
pub mod search;
pub mod simulator;
pub mod study;

use std::path::PathBuf;
use std::sync::Arc;

use crate::content::Library;
use crate::srs::{ExamAttempt, Moment, NewReview};
use keymap::Action;
use progress::{Progress, Refresh};
use quiz::Quiz;

/// The screens; they stack, and `q` goes back to the one below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// ホーム.
    Home,
    /// 学習: the spaced-repetition queue.
    Study,
    /// 演習: choosing what to practise.
    Practice,
    /// A run of practice questions.
    Quiz,
    /// 模擬試験.
    Exam,
    /// 検索.
    Search,
    /// シミュレータ.
    Simulator,
    /// 統計.
    Stats,
    /// One topic card or misconception, opened from elsewhere.
    Card,
}

/// Something for the runtime to do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Leave the app (the terminal is restored by the runtime).
    Quit,
    /// Record one answer's reviews durably (answers [`Msg::Refreshed`]).
    Record(Vec<NewReview>),
    /// Replace the last answer with these reviews (the learner changed the rating).
    Rerate(Vec<NewReview>),
    /// Take back the last answer (answers [`Msg::Undone`]).
    Undo,
    /// Suspend or unsuspend an item.
    Suspend {
        /// The item.
        id: String,
        /// On or off.
        suspended: bool,
    },
    /// Flag an item to look at again, or take the flag off.
    Flag {
        /// The item.
        id: String,
        /// On or off.
        flagged: bool,
    },
    /// Leave an item out until tomorrow.
    Bury {
        /// The item.
        id: String,
    },
    /// Save a mock exam attempt (answers [`Msg::ExamSaved`]).
    SaveExam(Box<ExamAttempt>),
    /// Read the content again from disk (answers [`Msg::Reloaded`]).
    Reload,
    /// Open a scenario in $EDITOR, then read it back (answers [`Msg::Edited`]). The editor
    /// always gets a copy in the data directory, never the loaded file itself.
    Edit {
        /// The scenario's id (names the copy).
        id: String,
        /// Its path as loaded.
        path: String,
        /// Its text, for the copy.
        text: Arc<str>,
    },
    /// Put text on the terminal's clipboard (OSC 52), e.g. an item id for `shikaku card ID`.
    Copy(String),
    /// Write the exam date set on ホーム into the config file, and put it in force in the
    /// store (answers [`Msg::Refreshed`] and [`Msg::ExamDateSaved`]). `None` removes it.
    SaveExamDate(Option<jiff::civil::Date>),
    /// Throw away the edited copy of a scenario, so it is the original again.
    DiscardEdit {
        /// The scenario's id.
        id: String,
        /// Its path as loaded.
        path: String,
    },
}

/// A message into `update`.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key or click, already mapped to what it means.
    Action(Action),
    /// The terminal's new size in cells.
    Resize(u16, u16),
    /// The time now.
    Tick(Moment),
    /// Fresh progress after a write.
    Refreshed(Refresh),
    /// The last answer was taken back; these items were in it.
    Undone(Vec<String>),
    /// An exam attempt was saved with this id.
    ExamSaved(i64),
    /// The content was read again: the new library, or the problems that kept the old one.
    Reloaded(Result<Arc<Library>, Vec<String>>),
    /// A file came back from the editor: its text, or why it could not be read.
    Edited {
        /// The file.
        path: PathBuf,
        /// Its text now.
        text: Result<String, String>,
    },
    /// A write or a read failed; the message says what and where.
    Failed(String),
    /// The exam date was written to the config file (its path), or why it could not be.
    ExamDateSaved(Result<String, String>),
}

/// The whole state of the app.
#[derive(Debug, Clone)]
pub struct App {
    /// The loaded content.
    pub library: Arc<Library>,
    /// The learner's progress.
    pub progress: Progress,
    /// The time, as last told.
    pub now: Moment,
    /// The terminal size, for scrolling limits and clicks.
    pub size: (u16, u16),
    /// Seed for every shuffle, so a session is reproducible.
    pub seed: u64,
    /// The open screens, bottom first; never empty.
    pub stack: Vec<Screen>,
    /// Highlighted row on the home menu.
    pub home_cursor: usize,
    /// The study session.
    pub study: Option<study::Study>,
    /// The practice menu.
    pub practice: practice::PracticeMenu,
    /// The practice run in progress.
    pub quiz: Option<Quiz>,
    /// The mock exam (running, submitted, or offered for resuming).
    pub exam: exam::ExamScreen,
    /// The search screen.
    pub search: search::Search,
    /// The simulator screen.
    pub sim: simulator::SimScreen,
    /// The card shown on the card screen.
    pub card: Option<String>,
    /// Lines scrolled on the card and stats screens.
    pub scroll: u16,
    /// Whether the help overlay is open.
    pub help: bool,
    /// Lines the help overlay is scrolled.
    pub help_scroll: u16,
    /// The key bindings in force (the config's overrides included), for the hints.
    pub keys: keymap::Bindings,
    /// A one-line message (a save failed, content reloaded, …).
    pub notice: Option<String>,
    /// Problems with the content (bad extra files, a failed reload), shown in a panel.
    pub problems: Vec<String>,
    /// Whether the problems panel is open.
    pub show_problems: bool,
    /// The mock exam's minutes from the config (else the blueprint's).
    pub exam_minutes: Option<u32>,
    /// The real exam's date from the config.
    pub exam_date: Option<jiff::civil::Date>,
    /// The readiness forecast, recomputed when progress changes.
    pub readiness: Option<crate::srs::readiness::Readiness>,
    /// The exam date input on ホーム, while it is open.
    pub date_input: Option<exam_date::DateInput>,
    /// Whether the work left for after the first frame is done (see [`App::starting`]).
    started: bool,
}

impl App {
    /// A new app on the home screen, with its readiness forecast and the search index being
    /// built in the background.
    pub fn new(library: Arc<Library>, progress: Progress, now: Moment, seed: u64) -> Self {
        let mut app = Self::starting(library, progress, now, seed);
        app.finish_start();
        app
    }

    /// A new app with only what the first frame needs: the readiness forecast and the search
    /// index follow in [`App::finish_start`], after that frame is on screen (start-up is the
    /// time to the first frame).
    pub fn starting(library: Arc<Library>, progress: Progress, now: Moment, seed: u64) -> Self {
        let mut app = Self {
            library,
            progress,
            now,
            size: (80, 24),
            seed,
            stack: vec![Screen::Home],
            home_cursor: 0,
            study: None,
            practice: practice::PracticeMenu::default(),
            quiz: None,
            exam: exam::ExamScreen::default(),
            search: search::Search::default(),
            sim: simulator::SimScreen::default(),
            card: None,
            scroll: 0,
            help: false,
            help_scroll: 0,
            keys: keymap::Bindings::default(),
            notice: None,
            problems: Vec::new(),
            show_problems: false,
            exam_minutes: None,
            exam_date: None,
            readiness: None,
            date_input: None,
            started: false,
        };
        app.exam.refreshed(&app.progress);
        app
    }

    /// Does what [`App::starting`] left for after the first frame: starts building the search
    /// index and forecasts readiness. Returns whether there was anything to do (once).
    pub fn finish_start(&mut self) -> bool {
        if self.started {
            return false;
        }
        self.started = true;
        self.search.prepare(Arc::clone(&self.library));
        self.refresh_readiness();
        true
    }

    /// Sets the exam date and forecasts for it.
    pub fn set_exam_date(&mut self, date: Option<jiff::civil::Date>) {
        self.exam_date = date;
        self.refresh_readiness();
    }

    /// Recomputes the readiness forecast (pure and fast enough for every refresh).
    pub fn refresh_readiness(&mut self) {
        self.readiness = self
            .progress
            .readiness(&self.library, self.now, self.exam_date);
    }

    /// Days from today to the exam, when a date is set (negative once it has passed).
    pub fn days_to_exam(&self) -> Option<i32> {
        let date = self.exam_date?;
        let today = self.now.day(self.progress.settings().day_start);
        Some(crate::srs::Day::from_date(date).0 - today.0)
    }

    /// Whether keys are text (a search query or the exam date being typed).
    pub fn typing(&self) -> bool {
        self.search.typing(self.screen())
            || (self.date_input.is_some() && self.screen() == Screen::Home)
    }

    /// The screen showing.
    pub fn screen(&self) -> Screen {
        *self.stack.last().unwrap_or(&Screen::Home)
    }

    /// Opens a screen on top of the current one.
    pub fn push(&mut self, screen: Screen) {
        if self.screen() != screen {
            self.stack.push(screen);
        }
        self.scroll = 0;
    }

    /// Goes back one screen; false when already home.
    pub fn pop(&mut self) -> bool {
        self.scroll = 0;
        if self.stack.len() > 1 {
            self.stack.pop();
            true
        } else {
            false
        }
    }

    /// A fresh seed for the next shuffle, still reproducible from the first.
    pub fn next_seed(&mut self) -> u64 {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.seed
    }

    /// Opens a topic card or misconception on the card screen.
    pub fn open_card(&mut self, id: &str) {
        if self.library.card(id).is_some() || self.library.misconception(id).is_some() {
            self.card = Some(id.to_string());
            self.push(Screen::Card);
        }
    }

    /// Opens a scenario in the simulator.
    pub fn open_scenario(&mut self, id: &str) {
        if self.sim.open(&self.library, id) {
            self.push(Screen::Simulator);
        } else {
            self.notice = Some(crate::strings::NO_SCENARIO.to_string());
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
        Msg::Tick(now) => {
            app.now = now;
            exam::tick(app)
        }
        Msg::Refreshed(refresh) => {
            app.progress.apply(refresh);
            app.refresh_readiness();
            app.exam.refreshed(&app.progress);
            study::refreshed(app);
            Vec::new()
        }
        Msg::Undone(ids) => {
            study::undone(app, &ids);
            practice::undone(app, &ids);
            let what = ids.first().map(|id| item_label(&app.library, id));
            app.notice = Some(match what {
                Some(what) => format!("{}: {what}", crate::strings::UNDONE),
                None => crate::strings::UNDONE.to_string(),
            });
            Vec::new()
        }
        Msg::ExamSaved(id) => {
            app.exam.saved(id);
            Vec::new()
        }
        Msg::Reloaded(result) => {
            reloaded(app, result);
            Vec::new()
        }
        Msg::Edited { path, text } => {
            app.sim.edited(&path, text);
            Vec::new()
        }
        Msg::Failed(message) => {
            app.notice = Some(message);
            Vec::new()
        }
        Msg::ExamDateSaved(result) => {
            exam_date::saved(app, result);
            Vec::new()
        }
        Msg::Action(action) => act(app, action),
    }
}

fn reloaded(app: &mut App, result: Result<Arc<Library>, Vec<String>>) {
    match result {
        Ok(library) => {
            app.progress.catalog = crate::srs::Catalog::from_library(&library);
            app.library = library;
            // Shown orders index into the questions: rebuild those whose question changed.
            if let Some(quiz) = app.quiz.as_mut() {
                quiz.refit(&app.library);
            }
            if let Some(exam) = app.exam.exam.as_mut() {
                exam::refit_questions(&mut exam.questions, &app.library);
            }
            app.refresh_readiness();
            app.search.invalidate(Arc::clone(&app.library));
            app.problems.clear();
            app.show_problems = false;
            app.notice = Some(crate::strings::RELOADED.to_string());
        }
        Err(problems) => {
            app.problems = problems;
            app.show_problems = true;
            app.notice = Some(crate::strings::RELOAD_FAILED.to_string());
        }
    }
}

/// How an item is named in a notice: a card's title, a misconception's belief, a question's id
/// with the start of its prompt.
fn item_label(library: &Library, id: &str) -> String {
    let short = |text: &str| crate::text::truncate(text.trim(), 24);
    if let Some(card) = library.card(id) {
        return card.title.clone();
    }
    if let Some(q) = library.question(id) {
        return format!("{id}「{}」", short(&q.prompt));
    }
    if let Some(m) = library.misconceptions.iter().find(|m| m.id == id) {
        return short(&m.belief);
    }
    id.to_string()
}

/// The id of the card, question or misconception on screen, if one is.
pub fn shown_item_id(app: &App) -> Option<String> {
    match app.screen() {
        Screen::Quiz => app.quiz.as_ref().map(|q| q.current().id.clone()),
        Screen::Study => app
            .study
            .as_ref()
            .and_then(|s| s.current.as_ref())
            .map(|c| c.id().to_string()),
        Screen::Card => app.card.clone(),
        _ => None,
    }
}

fn act(app: &mut App, action: Action) -> Vec<Effect> {
    app.notice = None;
    if action == Action::ForceQuit {
        return exam::before_quit(app)
            .into_iter()
            .chain([Effect::Quit])
            .collect();
    }
    if action == Action::CopyId
        && !app.typing()
        && let Some(id) = shown_item_id(app)
    {
        app.notice = Some(format!("{}: {id}", crate::strings::COPIED_ID));
        return vec![Effect::Copy(id)];
    }
    if app.show_problems {
        if matches!(action, Action::Back | Action::Submit) {
            app.show_problems = false;
        }
        return Vec::new();
    }
    if action == Action::Help && !app.typing() {
        app.help = !app.help;
        app.help_scroll = 0;
        return Vec::new();
    }
    if app.help {
        let max = crate::layout::help_max_scroll(app.size, hints::help(app).len());
        let page = app.size.1.saturating_sub(4).max(1);
        let scroll = &mut app.help_scroll;
        match action {
            Action::Back | Action::Submit => app.help = false,
            Action::Down => *scroll = scroll.saturating_add(1).min(max),
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            _ => {}
        }
        return Vec::new();
    }
    // Reload works everywhere but while typing a query or sitting an exam.
    if action == Action::Reload && !app.typing() && app.screen() != Screen::Exam {
        return vec![Effect::Reload];
    }
    if app.date_input.is_some() && app.screen() == Screen::Home {
        return exam_date::update(app, action);
    }
    match app.screen() {
        Screen::Home => home(app, action),
        Screen::Study => study::update(app, action),
        Screen::Practice => practice::update_menu(app, action),
        Screen::Quiz => practice::update_quiz(app, action),
        Screen::Exam => exam::update(app, action),
        Screen::Search => search::update(app, action),
        Screen::Simulator => simulator::update(app, action),
        Screen::Stats | Screen::Card => scroll_screen(app, action),
    }
}

/// The home menu's entries, in order.
pub const HOME_MENU: [Screen; 6] = [
    Screen::Study,
    Screen::Practice,
    Screen::Exam,
    Screen::Search,
    Screen::Simulator,
    Screen::Stats,
];

fn open(app: &mut App, screen: Screen) -> Vec<Effect> {
    match screen {
        Screen::Study => study::start(app),
        Screen::Exam => exam::open(app),
        Screen::Search => {
            app.search.open(&app.library);
            app.push(Screen::Search);
        }
        Screen::Simulator => {
            app.sim.list();
            app.push(Screen::Simulator);
        }
        other => app.push(other),
    }
    Vec::new()
}

fn home(app: &mut App, action: Action) -> Vec<Effect> {
    let n = HOME_MENU.len();
    match action {
        Action::Back => {
            return exam::before_quit(app)
                .into_iter()
                .chain([Effect::Quit])
                .collect();
        }
        Action::Up => app.home_cursor = app.home_cursor.checked_sub(1).unwrap_or(n - 1),
        Action::Down => app.home_cursor = (app.home_cursor + 1) % n,
        Action::Submit | Action::Right => return open(app, HOME_MENU[app.home_cursor]),
        Action::Pick(i) if i < n => {
            app.home_cursor = i;
            return open(app, HOME_MENU[i]);
        }
        // 7, 8, 9: practise the forecast's three weakest tasks.
        Action::Pick(i) if (n..n + 3).contains(&i) => {
            let task = app
                .readiness
                .as_ref()
                .and_then(|r| r.tasks.get(i - n))
                .map(|t| (t.key.clone(), t.name.clone()));
            if let Some((key, name)) = task {
                practice::start_task(app, &key, &name);
            }
        }
        Action::Search => return open(app, Screen::Search),
        Action::Simulator => return open(app, Screen::Simulator),
        Action::Problems if !app.problems.is_empty() => app.show_problems = true,
        Action::ExamDate => exam_date::open(app),
        Action::Undo => return vec![Effect::Undo],
        Action::Click { row, .. } => {
            if let Some(i) = crate::layout::home_row_at(app, row) {
                app.home_cursor = i;
                return open(app, HOME_MENU[i]);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Toggles the flag of an item.
pub fn toggle_flag(app: &App, id: &str) -> Effect {
    Effect::Flag {
        id: id.to_string(),
        flagged: !app.progress.flagged.contains(id),
    }
}

/// Screens that only show text: scroll, and `q` goes back.
fn scroll_screen(app: &mut App, action: Action) -> Vec<Effect> {
    let page = app.size.1.saturating_sub(3).max(1);
    match action {
        Action::Back => {
            app.pop();
        }
        Action::Down => app.scroll = app.scroll.saturating_add(1),
        Action::Up => app.scroll = app.scroll.saturating_sub(1),
        Action::PageDown => app.scroll = app.scroll.saturating_add(page),
        Action::PageUp => app.scroll = app.scroll.saturating_sub(page),
        Action::Practice if app.screen() == Screen::Card => {
            if let Some(id) = app.card.clone() {
                practice::start_topic(app, &id);
            }
        }
        Action::Flag if app.screen() == Screen::Card => {
            if let Some(id) = app.card.clone() {
                return vec![toggle_flag(app, &id)];
            }
        }
        Action::Suspend if app.screen() == Screen::Card => {
            if let Some(id) = app.card.clone() {
                let suspended = app.progress.items.get(&id).is_some_and(|i| i.suspended);
                return vec![Effect::Suspend {
                    id,
                    suspended: !suspended,
                }];
            }
        }
        _ => {}
    }
    Vec::new()
}
