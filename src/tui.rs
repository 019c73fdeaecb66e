//! The runtime: terminal setup and restore (on every exit path, panics included), the event
//! loop, and running the effects `update` returns.

use std::io::{self, Stdout};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::{self, App, Effect, Msg, keymap};
use crate::cli::Ctx;
use crate::content;
use crate::ui::{self, theme::Theme};

/// Which screen the TUI opens on.
#[derive(Debug, Clone)]
pub enum Start {
    /// ホーム.
    Home,
    /// A mock exam of this blueprint (the exam screen is not built yet: opens on home).
    Exam(String),
}

/// Restores the terminal: leaves raw mode, the alternate screen and mouse capture. Safe to call
/// more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen, crossterm::cursor::Show);
}

/// Restores the terminal when dropped, so early returns and `?` restore it too.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn setup() -> Result<(Guard, Terminal<CrosstermBackend<Stdout>>)> {
    // The panic hook restores the terminal first, so the message is readable.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enable_raw_mode().context("端末を raw モードにできません(端末の中で実行してください)")?;
    let guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture).context("端末の初期化に失敗しました")?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout())).context("端末の初期化に失敗しました")?;
    Ok((guard, terminal))
}

/// Runs the TUI until the learner quits.
pub fn run(ctx: &Ctx, start: Start) -> Result<ExitCode> {
    let loaded = content::load(&ctx.sources());
    let warnings: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.render_plain()).collect();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut app = App::new(Arc::new(loaded.library), seed);
    app.warnings = warnings.clone();
    let _ = start;
    let theme = Theme::from_env();

    let (guard, mut terminal) = setup()?;
    let size = terminal.size()?;
    app::update(&mut app, Msg::Resize(size.width, size.height));
    loop {
        terminal.draw(|frame| ui::view(&app, frame, theme))?;
        let event = event::read().context("端末からの入力を読めません")?;
        let msg = match event {
            Event::Resize(w, h) => Some(Msg::Resize(w, h)),
            other => keymap::action_for_event(&other).map(Msg::Action),
        };
        let Some(msg) = msg else { continue };
        if app::update(&mut app, msg).contains(&Effect::Quit) {
            break;
        }
    }
    drop(terminal);
    drop(guard);
    // Problems with extra content stay readable after the alternate screen is gone.
    for warning in &warnings {
        eprintln!("{warning}\n");
    }
    Ok(ExitCode::SUCCESS)
}
