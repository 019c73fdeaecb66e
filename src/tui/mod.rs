//! The runtime: terminal setup and restore (on every exit path, panics included), the event
//! loop with its clock, and running the effects `update` returns.

pub mod editor;
pub mod effects;

use std::io::{self, Stdout};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use anyhow::{Context, Result};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::{self, App, Msg};
use crate::cli::Ctx;
use crate::config::Config;
use crate::content;
use crate::srs::Store;
use crate::ui::{self, theme::Theme};
use effects::{EditRequest, Runtime};

/// Which screen the TUI opens on.
#[derive(Debug, Clone)]
pub enum Start {
    /// ホーム.
    Home,
    /// Straight into a mock exam of this blueprint.
    Exam(String),
}

/// Restores the terminal: leaves raw mode, the alternate screen and mouse capture. Safe to call
/// more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped, so early returns and `?` restore it too.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

type Term = Terminal<CrosstermBackend<Stdout>>;

fn enter() -> Result<Term> {
    enable_raw_mode().context("端末を raw モードにできません(端末の中で実行してください)")?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)
        .context("端末の初期化に失敗しました")?;
    Terminal::new(CrosstermBackend::new(io::stdout())).context("端末の初期化に失敗しました")
}

/// Leaves the TUI, runs the editor on the scenario's copy in the data directory (argv, never a
/// shell; see [`editor`]), comes back and reads the copy.
fn edit(terminal: &mut Term, data_dir: &Path, request: &EditRequest<'_>) -> Msg {
    let file = match editor::prepare_copy(data_dir, request.id, request.path, request.text) {
        Ok(file) => file,
        Err(err) => {
            return Msg::Edited {
                path: request.path.into(),
                text: Err(format!("編集用のファイルを用意できません: {err}")),
            };
        }
    };
    let spec = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| std::env::var("EDITOR").ok())
        .unwrap_or_else(|| "vi".into());
    let Some((program, args)) = editor::command(&spec) else {
        return Msg::Edited {
            path: file,
            text: Err(format!(
                "エディタの設定 `{spec}` を読めません(引用符が閉じていません)。EDITOR を直してください"
            )),
        };
    };
    restore();
    let status = std::process::Command::new(&program)
        .args(&args)
        .arg(&file)
        .status();
    let _ = enable_raw_mode();
    let _ = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    );
    // A fresh terminal has empty buffers, so the next frame is drawn whole. (`Terminal::clear`
    // asks the terminal for the cursor position first, which not every terminal answers.)
    if let Ok(fresh) = Terminal::new(CrosstermBackend::new(io::stdout())) {
        *terminal = fresh;
    }
    let text = match status {
        Ok(_) => crate::content::source::read_bounded_text(&file)
            .map_err(|e| format!("`{}` を読めません: {e}", file.display())),
        Err(e) => Err(format!(
            "エディタ `{program}` を起動できません: {e}(EDITOR を設定してください)"
        )),
    };
    Msg::Edited { path: file, text }
}

/// Everything up to the first frame: config, content, the store, the progress mirror.
pub struct Prepared {
    /// The app, on its first screen.
    pub app: App,
    /// The effect runtime.
    pub runtime: Runtime,
    /// The config in force.
    pub config: Config,
    /// Problems with extra content or the config, to show and to print at exit.
    pub problems: Vec<String>,
}

/// Loads everything the TUI needs (no terminal): the start-up path that the benchmark measures.
pub fn prepare(ctx: &Ctx) -> Result<Prepared> {
    let config_path = crate::paths::config_file()?;
    let (config, config_problems) = Config::load(&config_path);
    let sources = ctx.sources();
    let data_dir = ctx.data_dir()?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("データディレクトリ `{}` を作れません", data_dir.display()))?;
    let loaded = content::load_cached(&sources, &data_dir);
    let mut problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render_plain())
        .collect();
    problems.extend(config_problems.iter().map(|d| d.render_plain()));
    let library = Arc::new(loaded.library);

    let store = Store::open_in(&data_dir, config.settings.clone())?;
    problems.extend(store.warnings().iter().cloned());
    let mut runtime = Runtime::new(store, sources, data_dir);
    runtime.sync_dir = config.sync_dir.clone();
    runtime.config_path = Some(config_path);
    // Sync before the first frame, so what was studied on another device is already due here.
    let synced = effects::sync(&mut runtime);
    let progress = effects::load_progress(&mut runtime.store, &library, config.settings.clone())?;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut app = App::new(Arc::clone(&library), progress, effects::now(), seed);
    app.problems = problems.clone();
    app.exam_minutes = config.exam_minutes;
    app.set_exam_date(config.exam_date);
    app.exam.refreshed(&app.progress);
    if let Some((Some(line), _)) = synced {
        app.notice = Some(line);
    }
    Ok(Prepared {
        app,
        runtime,
        config,
        problems,
    })
}

/// Runs the TUI until the learner quits.
pub fn run(ctx: &Ctx, start: Start) -> Result<ExitCode> {
    let Prepared {
        mut app,
        runtime: mut rt,
        config,
        problems,
    } = prepare(ctx)?;
    if let Start::Exam(exam) = &start
        && app.library.blueprint(exam).is_none()
    {
        let known: Vec<&str> = app
            .library
            .blueprints
            .iter()
            .map(|b| b.id.as_str())
            .collect();
        anyhow::bail!(
            "試験 `{exam}` のブループリントがありません(あるもの: {})",
            known.join(", ")
        );
    }
    let data_dir = rt.data_dir.clone();
    let theme = if config.mono {
        Theme { color: false }
    } else {
        Theme::from_env()
    };

    // The panic hook restores the terminal first, so the message is readable.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    let guard = Guard;
    let mut terminal = enter()?;
    let size = terminal.size()?;
    app::update(&mut app, Msg::Resize(size.width, size.height));
    if let Start::Exam(exam) = start {
        app::exam::open(&mut app);
        if app.exam.resumable.is_none() {
            let effects = app::exam::start(&mut app, Some(&exam), config.exam_minutes);
            for effect in effects {
                for msg in effects::perform(&mut rt, effect) {
                    app::update(&mut app, msg);
                }
            }
        }
    }
    // SIGTERM, SIGHUP and SIGINT leave like Ctrl-C does: a running exam is saved, the terminal
    // restored by the guard. A second signal ends the process at once.
    let signalled = Arc::new(AtomicBool::new(false));
    for signal in [SIGTERM, SIGHUP, SIGINT] {
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&signalled));
        let _ = signal_hook::flag::register(signal, Arc::clone(&signalled));
    }
    let mut last_tick = Instant::now();
    loop {
        terminal.draw(|frame| ui::view(&app, frame, theme))?;
        // Short polls so a signal is noticed at once; a second's tick keeps the exam clock
        // moving even without input.
        let msg = if signalled.load(Ordering::Relaxed) {
            Some(Msg::Action(app::keymap::Action::ForceQuit))
        } else if event::poll(Duration::from_millis(200)).context("端末からの入力を読めません")?
        {
            let event = event::read().context("端末からの入力を読めません")?;
            app::update(&mut app, Msg::Tick(effects::now()));
            match event {
                Event::Resize(w, h) => Some(Msg::Resize(w, h)),
                other => config
                    .bindings
                    .action_for_event(&other, app.typing())
                    .map(Msg::Action),
            }
        } else if last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            Some(Msg::Tick(effects::now()))
        } else {
            None
        };
        let Some(msg) = msg else { continue };
        let quit = effects::dispatch(&mut app, &mut rt, msg, &mut |request| {
            edit(&mut terminal, &data_dir, &request)
        });
        if quit {
            break;
        }
    }
    drop(terminal);
    drop(guard);
    // Sync on quit (after the terminal is restored, so the result stays readable).
    if let Some((Some(line), _)) = effects::sync(&mut rt) {
        eprintln!("{line}");
    }
    // Problems with extra content stay readable after the alternate screen is gone.
    for problem in &problems {
        crate::cli::out::stderr(format_args!("{problem}\n\n"));
    }
    if let Some(message) = rt.flush_pending(effects::now()) {
        crate::cli::out::stderr(format_args!("{message}\n"));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
