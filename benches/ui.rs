//! Start-up and drawing budgets (DESIGN.md): start to first frame on the embedded content
//! (≤ 30 ms) and with 10,000 generated questions (≤ 200 ms); one frame at 200×60 (≤ 2 ms).
//! The start-up path is the real one (`tui::prepare`: config, content through the parsed-content
//! cache, the SQLite store, the progress mirror) plus the first draw, without the terminal's own
//! I/O. `complete_frame_*` adds what the event loop does right after the first frame (the
//! readiness forecast, the search index started) and the second frame.

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shikaku::app::keymap::Action;
use shikaku::app::{Msg, update};
use shikaku::cli::Ctx;
use shikaku::content::ContentFile;
use shikaku::tui;
use shikaku::ui::{self, theme::Theme};

/// Writes `n` generated questions (and their cards and misconceptions) as TOML files.
pub fn write_generated(dir: &Path, n: usize) {
    let library = support::library(n);
    for (i, chunk) in library.questions.chunks(1000).enumerate() {
        let file = ContentFile {
            questions: chunk.to_vec(),
            ..ContentFile::default()
        };
        std::fs::write(
            dir.join(format!("questions-{i}.toml")),
            toml::to_string(&file).unwrap(),
        )
        .unwrap();
    }
    let rest = ContentFile {
        cards: library.cards.clone(),
        misconceptions: library.misconceptions.clone(),
        ..ContentFile::default()
    };
    std::fs::write(dir.join("cards.toml"), toml::to_string(&rest).unwrap()).unwrap();
}

fn ctx(content: Vec<PathBuf>, data: &Path) -> Ctx {
    Ctx {
        content_dirs: content,
        data: Some(data.to_path_buf()),
    }
}

fn first_frame(ctx: &Ctx) {
    let prepared =
        tui::prepare(ctx.sources(), ctx.data_dir().expect("data dir")).expect("start-up");
    let mut app = prepared.app;
    update(&mut app, Msg::Resize(80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| ui::view(&app, frame, Theme::default()))
        .unwrap();
}

/// The first frame, then what the event loop does right after it (the readiness forecast, the
/// search index started in the background) and the second frame, which shows the forecast.
fn first_and_complete_frame(ctx: &Ctx) {
    let prepared =
        tui::prepare(ctx.sources(), ctx.data_dir().expect("data dir")).expect("start-up");
    let mut app = prepared.app;
    update(&mut app, Msg::Resize(80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| ui::view(&app, frame, Theme::default()))
        .unwrap();
    assert!(app.finish_start());
    terminal
        .draw(|frame| ui::view(&app, frame, Theme::default()))
        .unwrap();
}

fn startup(c: &mut Criterion) {
    let config = tempfile::tempdir().unwrap();
    // SAFETY: set before any thread of this process reads the environment.
    unsafe { std::env::set_var("SHIKAKU_CONFIG", config.path()) };
    let data = tempfile::tempdir().unwrap();
    let embedded = ctx(Vec::new(), data.path());
    first_frame(&embedded); // creates the store once
    let mut group = c.benchmark_group("startup");
    group.bench_function("first_frame_embedded", |b| {
        b.iter(|| first_frame(&embedded))
    });
    group.bench_function("complete_frame_embedded", |b| {
        b.iter(|| first_and_complete_frame(&embedded))
    });

    let generated = tempfile::tempdir().unwrap();
    write_generated(generated.path(), 10_000);
    let data10k = tempfile::tempdir().unwrap();
    let big = ctx(vec![generated.path().to_path_buf()], data10k.path());
    first_frame(&big);
    group.sample_size(20);
    group.bench_function("first_frame_10k_questions", |b| {
        b.iter(|| first_frame(&big))
    });
    group.bench_function("complete_frame_10k_questions", |b| {
        b.iter(|| first_and_complete_frame(&big))
    });
    group.finish();
}

fn frames(c: &mut Criterion) {
    let config = tempfile::tempdir().unwrap();
    // SAFETY: as above.
    unsafe { std::env::set_var("SHIKAKU_CONFIG", config.path()) };
    let data = tempfile::tempdir().unwrap();
    let prepared = {
        let ctx = ctx(Vec::new(), data.path());
        tui::prepare(ctx.sources(), ctx.data_dir().unwrap()).unwrap()
    };
    let mut app = prepared.app;
    app.finish_start();
    update(&mut app, Msg::Resize(200, 60));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut group = c.benchmark_group("frame_200x60");
    group.bench_function("home", |b| {
        b.iter(|| {
            terminal
                .draw(|f| ui::view(&app, f, Theme::default()))
                .unwrap();
        })
    });
    update(&mut app, Msg::Action(Action::Pick(1)));
    update(&mut app, Msg::Action(Action::Pick(2)));
    group.bench_function("question", |b| {
        b.iter(|| {
            terminal
                .draw(|f| ui::view(&app, f, Theme::default()))
                .unwrap();
        })
    });
    let scenario = app.library.scenarios[0].scenario.id.clone();
    app.open_scenario(&scenario);
    group.bench_function("simulator", |b| {
        b.iter(|| {
            terminal
                .draw(|f| ui::view(&app, f, Theme::default()))
                .unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, startup, frames);
criterion_main!(benches);
