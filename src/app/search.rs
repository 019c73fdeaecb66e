//! 検索 (`/`): type a query, see matches as you type (all terms, any order, hiragana ↔ katakana,
//! romaji), Enter opens the item: a card or misconception on the card screen, a question as a
//! one-question practice.

use std::sync::{Arc, OnceLock};

use super::keymap::Action;
use super::{App, Effect, Screen};
use crate::content::search::{Hit, Index};
use crate::content::{ItemKind, Library};

/// How many results are kept.
pub const LIMIT: usize = 200;

/// The search screen's state.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// The query as typed.
    pub query: String,
    /// Results, best first.
    pub hits: Vec<Hit>,
    /// Highlighted result.
    pub cursor: usize,
    /// Whether keys go into the query (else they navigate).
    pub editing: bool,
    /// The index: built in the background from load (see [`Search::prepare`]), or on first use.
    index: Arc<OnceLock<Index>>,
}

impl Search {
    /// Starts building the index of `library` on a background thread, so the first `/` finds
    /// it ready (at 10,000 items the build takes a noticeable fraction of a second).
    pub fn prepare(&mut self, library: Arc<Library>) {
        let cell = Arc::new(OnceLock::new());
        self.index = Arc::clone(&cell);
        // Without a thread the index is simply built on first use.
        let _ = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || {
                cell.get_or_init(|| Index::new(&library));
            });
    }

    /// Opens the screen with the query field focused; waits for the index if it is still being
    /// built, or builds it now.
    pub fn open(&mut self, library: &Library) {
        self.index.get_or_init(|| Index::new(library));
        self.editing = true;
        self.run();
    }

    /// The content changed: the index of the new content is built in the background.
    pub fn invalidate(&mut self, library: Arc<Library>) {
        self.hits.clear();
        self.cursor = 0;
        self.prepare(library);
    }

    /// Whether printable keys are text right now.
    pub fn typing(&self, screen: Screen) -> bool {
        screen == Screen::Search && self.editing
    }

    /// The index, once built.
    pub fn index(&self) -> Option<&Index> {
        self.index.get()
    }

    fn run(&mut self) {
        self.hits = self
            .index
            .get()
            .map(|i| i.search(&self.query, LIMIT))
            .unwrap_or_default();
        self.cursor = self.cursor.min(self.hits.len().saturating_sub(1));
    }
}

fn open_hit(app: &mut App) {
    let cell = Arc::clone(&app.search.index);
    let Some(index) = cell.get() else {
        return;
    };
    let Some(hit) = app.search.hits.get(app.search.cursor) else {
        return;
    };
    let entry = &index.entries[hit.entry];
    match entry.kind {
        ItemKind::Card | ItemKind::Misconception => app.open_card(&entry.id),
        ItemKind::Question => {
            // A one-question run of exactly this question.
            let title = crate::strings::SEARCH_TITLE.to_string();
            let seed = app.next_seed();
            if let Some(mut quiz) =
                super::quiz::Quiz::new(&app.library, title, std::slice::from_ref(&entry.id), seed)
            {
                quiz.shown_at = Some(app.now);
                app.quiz = Some(quiz);
                app.push(Screen::Quiz);
            }
        }
    }
}

/// The search screen.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let search = &mut app.search;
    let n = search.hits.len();
    match action {
        Action::Type(c) => {
            search.query.push(c);
            search.cursor = 0;
            search.run();
        }
        Action::ClearField => {
            search.query.clear();
            search.cursor = 0;
            search.run();
        }
        Action::Erase => {
            search.query.pop();
            search.cursor = 0;
            search.run();
        }
        Action::Up => search.cursor = search.cursor.saturating_sub(1),
        Action::Down if search.cursor + 1 < n => search.cursor += 1,
        Action::PageDown => search.cursor = (search.cursor + 10).min(n.saturating_sub(1)),
        Action::PageUp => search.cursor = search.cursor.saturating_sub(10),
        Action::Tab => search.editing = !search.editing,
        Action::Search => search.editing = true,
        Action::Submit if n > 0 => open_hit(app),
        Action::Click { row, .. } => {
            if let Some(i) = crate::layout::search_row_at(app, row) {
                app.search.cursor = i;
                open_hit(app);
            }
        }
        Action::Back => {
            // Esc leaves the screen in one step, from the field or from the results (Tab moves
            // between the field and the results).
            search.editing = false;
            app.pop();
        }
        _ => {}
    }
    Vec::new()
}
