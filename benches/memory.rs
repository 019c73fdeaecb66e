//! Peak memory (RSS) at the first frame with 10,000 generated questions (budget: ≤ 80 MB).
//! Not criterion: it runs the start-up once and reads the kernel's high-water mark. Run with
//! `cargo bench --bench memory`; it exits non-zero over budget.

#[path = "support/mod.rs"]
mod support;

use shikaku::cli::Ctx;
use shikaku::content::ContentFile;

const BUDGET_MB: f64 = 80.0;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// In the child process: start up on the generated content and report the peak.
fn child(dir: &str, data: &str) {
    let before = peak_rss_mb();
    let ctx = Ctx {
        content_dirs: vec![dir.into()],
        data: Some(data.into()),
    };
    let mut prepared =
        shikaku::tui::prepare(ctx.sources(), ctx.data_dir().expect("data dir")).expect("start-up");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| shikaku::ui::view(&prepared.app, f, shikaku::ui::theme::Theme::default()))
        .unwrap();
    // What the event loop does after the first frame, and the frame that shows it.
    prepared.app.finish_start();
    terminal
        .draw(|f| shikaku::ui::view(&prepared.app, f, shikaku::ui::theme::Theme::default()))
        .unwrap();
    let peak = peak_rss_mb();
    println!(
        "memory/first_frame_10k_questions: peak RSS {peak:.1} MB (process before start-up {before:.1} MB, budget {BUDGET_MB} MB, {} questions)",
        prepared.app.library.questions.len()
    );
    if peak > BUDGET_MB {
        eprintln!("over budget");
        std::process::exit(1);
    }
}

fn main() {
    // The measurement runs in a fresh process so that generating the content does not count.
    if let (Ok(dir), Ok(data)) = (
        std::env::var("SHIKAKU_BENCH_CONTENT"),
        std::env::var("SHIKAKU_BENCH_DATA"),
    ) {
        child(&dir, &data);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let library = support::library(10_000);
    for (i, chunk) in library.questions.chunks(1000).enumerate() {
        let file = ContentFile {
            questions: chunk.to_vec(),
            ..ContentFile::default()
        };
        std::fs::write(
            dir.path().join(format!("q{i}.toml")),
            toml::to_string(&file).unwrap(),
        )
        .unwrap();
    }
    let rest = ContentFile {
        cards: library.cards,
        misconceptions: library.misconceptions,
        ..ContentFile::default()
    };
    std::fs::write(
        dir.path().join("cards.toml"),
        toml::to_string(&rest).unwrap(),
    )
    .unwrap();
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    // The first start parses every file and writes the parsed-content cache; the second (every
    // start after) reads the cache.
    let mut code = 0;
    for start in ["first start", "later start"] {
        println!("{start}:");
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .env("SHIKAKU_BENCH_CONTENT", dir.path())
            .env("SHIKAKU_BENCH_DATA", data.path())
            .env("SHIKAKU_CONFIG", config.path())
            .status()
            .unwrap();
        if !status.success() {
            code = status.code().unwrap_or(1);
        }
    }
    let cache = std::fs::metadata(data.path().join("content-cache.json")).map_or(0, |m| m.len());
    println!("content cache: {:.1} MB", cache as f64 / (1024.0 * 1024.0));
    // To look closer (e.g. valgrind --tool=massif on the child), keep the generated content.
    if std::env::var_os("SHIKAKU_BENCH_KEEP").is_some() {
        println!(
            "kept: SHIKAKU_BENCH_CONTENT={} SHIKAKU_BENCH_DATA={} SHIKAKU_CONFIG={}",
            dir.keep().display(),
            data.keep().display(),
            config.keep().display()
        );
    }
    std::process::exit(code);
}
