//! The runtime: terminal setup and restore (on every exit path, panics included), the event
//! loop with its clock, and running the effects `update` returns.

pub mod editor;
pub mod effects;

use std::io::{self, Stdout};
use std::path::{Path, PathBuf};
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
use crate::config::Config;
use crate::content::{self, Sources};
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

/// What the event loop talks to: input, a monotonic clock, drawing and the editor. The terminal
/// in the app, a script in tests.
pub trait Front {
    /// Waits up to `timeout` for an event; `None` when the time passed without one.
    fn poll(&mut self, timeout: Duration) -> Result<Option<Event>>;
    /// A monotonic clock (the one-second tick is measured on it).
    fn instant(&self) -> Instant;
    /// The time of day for [`Msg::Tick`].
    fn now(&self) -> crate::srs::Moment {
        effects::now()
    }
    /// Draws one frame of the app.
    fn draw(&mut self, app: &App) -> Result<()>;
    /// Runs the editor on a scenario and reads it back.
    fn edit(&mut self, request: EditRequest<'_>) -> Msg;
}

/// How often the loop polled and drew.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoopStats {
    /// Polls for input (one per 200 ms when idle).
    pub polls: usize,
    /// Frames drawn.
    pub draws: usize,
}

/// How long one poll waits: short, so a signal is noticed at once.
pub const POLL: Duration = Duration::from_millis(200);

/// Whether the screen shows a running clock (the exam's, once per second).
fn clock_on_screen(app: &App) -> bool {
    app.screen() == app::Screen::Exam && app.exam.exam.as_ref().is_some_and(|e| !e.submitted())
}

fn minute_of(moment: &crate::srs::Moment) -> i64 {
    moment.timestamp.as_second().div_euclid(60)
}

/// The event loop: draws only when something changed (a key that means something, a resize,
/// an answer coming back, the minute turning, or each second while the exam clock runs), so an
/// idle app draws nothing and uses no CPU between polls. Returns when the learner quits.
pub fn event_loop(
    app: &mut App,
    rt: &mut Runtime,
    bindings: &app::keymap::Bindings,
    front: &mut dyn Front,
    signalled: &AtomicBool,
) -> Result<LoopStats> {
    let mut stats = LoopStats::default();
    let mut dirty = true;
    let mut last_tick = front.instant();
    let mut drawn_minute = minute_of(&app.now);
    loop {
        if dirty {
            front.draw(app)?;
            stats.draws += 1;
            dirty = false;
            drawn_minute = minute_of(&app.now);
            // The first frame is up: what it could do without comes now, and shows in the next.
            if app.finish_start() {
                dirty = true;
                continue;
            }
        }
        let mut msgs = Vec::new();
        if signalled.load(Ordering::Relaxed) {
            msgs.push(Msg::Action(app::keymap::Action::ForceQuit));
        } else {
            stats.polls += 1;
            match front.poll(POLL)? {
                Some(event) => {
                    // The clock is current for what the key does (an exam that ran out is
                    // submitted, and saved, before the key acts on it).
                    msgs.push(Msg::Tick(front.now()));
                    match event {
                        Event::Resize(w, h) => msgs.push(Msg::Resize(w, h)),
                        other => {
                            // A key without a meaning (or a mouse move) is no message: nothing
                            // changes, nothing is drawn.
                            if let Some(action) = bindings.action_for_event(&other, app.typing()) {
                                msgs.push(Msg::Action(action));
                            }
                        }
                    }
                }
                // A second's tick keeps the exam clock moving without input.
                None if front.instant().duration_since(last_tick) >= Duration::from_secs(1) => {
                    last_tick = front.instant();
                    msgs.push(Msg::Tick(front.now()));
                }
                None => {}
            }
        }
        for msg in msgs {
            let tick = matches!(msg, Msg::Tick(_));
            let screen = app.screen();
            let quit = effects::dispatch(app, rt, msg, &mut |request| front.edit(request));
            if quit {
                return Ok(stats);
            }
            // A tick changes what is shown only where a clock runs, when it moved the app to
            // another screen (an exam that ran out), or when the minute turned (what is due).
            if !tick
                || app.screen() != screen
                || clock_on_screen(app)
                || minute_of(&app.now) != drawn_minute
            {
                dirty = true;
            }
        }
    }
}

/// The real front: the terminal, the system clock and $EDITOR.
struct TerminalFront {
    terminal: Term,
    theme: Theme,
    data_dir: std::path::PathBuf,
}

impl Front for TerminalFront {
    fn poll(&mut self, timeout: Duration) -> Result<Option<Event>> {
        if event::poll(timeout).context("端末からの入力を読めません")? {
            Ok(Some(event::read().context("端末からの入力を読めません")?))
        } else {
            Ok(None)
        }
    }

    fn instant(&self) -> Instant {
        Instant::now()
    }

    fn draw(&mut self, app: &App) -> Result<()> {
        let theme = self.theme;
        self.terminal.draw(|frame| ui::view(app, frame, theme))?;
        Ok(())
    }

    fn edit(&mut self, request: EditRequest<'_>) -> Msg {
        edit(&mut self.terminal, &self.data_dir, &request)
    }
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
pub fn prepare(sources: Sources, data_dir: PathBuf) -> Result<Prepared> {
    let config_path = crate::paths::config_file()?;
    let (config, config_problems) = Config::load(&config_path);
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
    // The readiness forecast and the search index come after the first frame (the loop asks
    // for them once it is drawn).
    let mut app = App::starting(Arc::clone(&library), progress, effects::now(), seed);
    app.problems = problems.clone();
    app.exam_minutes = config.exam_minutes;
    app.keys = config.bindings.clone();
    app.exam_date = config.exam_date;
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
pub fn run(sources: Sources, data_dir: PathBuf, start: Start) -> Result<ExitCode> {
    let Prepared {
        mut app,
        runtime: mut rt,
        config,
        problems,
    } = prepare(sources, data_dir)?;
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
    let terminal = enter()?;
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
    let mut front = TerminalFront {
        terminal,
        theme,
        data_dir,
    };
    event_loop(&mut app, &mut rt, &config.bindings, &mut front, &signalled)?;
    drop(front);
    drop(guard);
    // Sync on quit (after the terminal is restored, so the result stays readable).
    if let Some((Some(line), _)) = effects::sync(&mut rt) {
        eprintln!("{line}");
    }
    // Problems with extra content stay readable after the alternate screen is gone.
    for problem in &problems {
        print_escaped(&format!("{problem}\n\n"));
    }
    if let Some(message) = rt.flush_pending(effects::now()) {
        print_escaped(&format!("{message}\n"));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints to stderr with terminal controls escaped (content can name anything).
fn print_escaped(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr()
        .lock()
        .write_all(crate::text::escape_controls(text).as_bytes());
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::content::Sources;
    use crate::srs::{Moment, Settings};

    /// One step of a script: time passing without input, or an event.
    enum Step {
        Idle,
        Event(Event),
        /// An event that comes after a long wait (the clock jumps while the poll waits).
        Late(Duration, Event),
    }

    /// A scripted front: a fake clock that moves only as the script says, a test terminal.
    struct Script {
        steps: VecDeque<Step>,
        start: Instant,
        clock: Instant,
        base: Moment,
        terminal: Terminal<TestBackend>,
        done: Arc<AtomicBool>,
    }

    impl Front for Script {
        fn poll(&mut self, timeout: Duration) -> Result<Option<Event>> {
            match self.steps.pop_front() {
                Some(Step::Idle) => {
                    self.clock += timeout;
                    Ok(None)
                }
                Some(Step::Event(event)) => Ok(Some(event)),
                Some(Step::Late(pause, event)) => {
                    self.clock += pause;
                    Ok(Some(event))
                }
                None => {
                    // The script is over: leave as a signal would.
                    self.done.store(true, Ordering::Relaxed);
                    Ok(None)
                }
            }
        }

        fn instant(&self) -> Instant {
            self.clock
        }

        fn now(&self) -> Moment {
            let passed = self.clock.duration_since(self.start);
            Moment {
                timestamp: self.base.timestamp
                    + jiff::SignedDuration::from_millis(passed.as_millis() as i64),
                offset: self.base.offset,
            }
        }

        fn draw(&mut self, app: &App) -> Result<()> {
            self.terminal
                .draw(|frame| ui::view(app, frame, Theme::default()))?;
            Ok(())
        }

        fn edit(&mut self, request: EditRequest<'_>) -> Msg {
            Msg::Edited {
                path: request.path.into(),
                text: Ok(request.text.to_string()),
            }
        }
    }

    struct Run {
        app: App,
        rt: Runtime,
        _data: tempfile::TempDir,
    }

    /// The embedded content with an empty store, at the start of a minute.
    fn start() -> Run {
        let data = tempfile::tempdir().unwrap();
        let library = Arc::new(content::load_embedded());
        let mut store = Store::open_in(data.path(), Settings::default()).unwrap();
        let progress = effects::load_progress(&mut store, &library, Settings::default()).unwrap();
        let now = minute_start();
        let mut app = App::starting(library, progress, now, 7);
        app::update(&mut app, Msg::Resize(100, 30));
        let rt = Runtime::new(
            store,
            Sources::embedded_with(Vec::new()),
            data.path().to_path_buf(),
        );
        Run {
            app,
            rt,
            _data: data,
        }
    }

    fn minute_start() -> Moment {
        let now = effects::now();
        let second = now.timestamp.as_second();
        Moment {
            timestamp: jiff::Timestamp::from_second(second - second.rem_euclid(60)).unwrap(),
            offset: now.offset,
        }
    }

    fn play(run: &mut Run, steps: Vec<Step>) -> LoopStats {
        let done = Arc::new(AtomicBool::new(false));
        let clock = Instant::now();
        let mut script = Script {
            steps: steps.into(),
            start: clock,
            clock,
            base: run.app.now,
            terminal: Terminal::new(TestBackend::new(100, 30)).unwrap(),
            done: Arc::clone(&done),
        };
        let bindings = Config::default().bindings;
        event_loop(&mut run.app, &mut run.rt, &bindings, &mut script, &done).unwrap()
    }

    fn key(code: KeyCode) -> Step {
        Step::Event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn idle(polls: usize) -> Vec<Step> {
        (0..polls).map(|_| Step::Idle).collect()
    }

    #[test]
    fn an_idle_home_draws_nothing_after_the_first_frames() {
        let mut run = start();
        let mut steps = idle(150);
        // A mouse move and a key that means nothing here change nothing either.
        steps.push(Step::Event(Event::Mouse(MouseEvent {
            kind: MouseEventKind::Moved,
            column: 3,
            row: 4,
            modifiers: KeyModifiers::NONE,
        })));
        steps.push(key(KeyCode::F(12)));
        steps.extend(idle(100));
        let stats = play(&mut run, steps);
        // 250 polls (50 seconds, 50 ticks): the first frame, then the one with the readiness
        // forecast that is computed after it. Nothing more.
        assert_eq!(stats.draws, 2, "{stats:?}");
        assert!(stats.polls >= 252, "{stats:?}");
        assert!(run.app.readiness.is_some());
    }

    #[test]
    fn a_key_that_does_something_draws_once() {
        let mut run = start();
        let mut steps = idle(10);
        steps.push(key(KeyCode::Down));
        steps.extend(idle(10));
        steps.push(Step::Event(Event::Resize(120, 40)));
        steps.extend(idle(10));
        let stats = play(&mut run, steps);
        assert_eq!(run.app.home_cursor, 1);
        assert_eq!(stats.draws, 4, "{stats:?}");
    }

    #[test]
    fn the_turning_minute_redraws_ホーム_once() {
        let mut run = start();
        // 80 seconds idle: one minute turns.
        let stats = play(&mut run, idle(400));
        assert_eq!(stats.draws, 3, "{stats:?}");
    }

    fn sit_exam(run: &mut Run, minutes: Option<u32>) {
        app::exam::open(&mut run.app);
        for effect in app::exam::start(&mut run.app, None, minutes) {
            for msg in effects::perform(&mut run.rt, effect) {
                app::update(&mut run.app, msg);
            }
        }
        assert_eq!(run.app.screen(), app::Screen::Exam);
        assert!(clock_on_screen(&run.app));
    }

    #[test]
    fn the_exam_clock_draws_once_a_second() {
        let mut run = start();
        sit_exam(&mut run, None);
        // Ten seconds: ten ticks, each moves the clock on screen.
        let stats = play(&mut run, idle(50));
        assert_eq!(stats.draws, 2 + 10, "{stats:?}");
    }

    #[test]
    fn an_exam_that_runs_out_under_a_key_is_submitted_and_saved() {
        let mut run = start();
        sit_exam(&mut run, Some(1));
        // The first thing after the minute is an event (no idle tick came first): its tick
        // submits the exam, and the submission is saved.
        let steps = vec![Step::Late(Duration::from_secs(61), Event::FocusGained)];
        play(&mut run, steps);
        let attempts = run.rt.store.exam_attempts().unwrap();
        assert!(
            attempts.iter().any(|a| a.finished.is_some()),
            "the timed-out exam is saved as finished: {attempts:?}"
        );
    }
}
