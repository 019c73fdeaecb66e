//! The command line: clap definitions and dispatch. Each command group lives in its own file;
//! the default command opens the TUI.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::content::{self, Sources};

/// `println!` for the command line: escaped, and quiet on a closed pipe (see [`out`]).
macro_rules! outln {
    () => { $crate::cli::out::stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::out::stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `print!` for the command line (see [`out`]).
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::out::stdout(format_args!($($arg)*)) };
}

/// `eprintln!` for the command line: escaped (see [`out`]).
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::out::stderr(format_args!("{}\n", format_args!($($arg)*))) };
}

pub mod gift;
pub mod items;
pub mod lint;
pub mod new;
pub mod out;
pub mod progress;
pub mod schema;
pub mod sim;
pub mod sync;
pub mod today;

/// 資格 — AWS認定を日本語で学ぶターミナル学習アプリ
#[derive(Debug, Parser)]
#[command(name = "shikaku", version, about, long_about = None)]
pub struct Cli {
    /// Extra content directory (repeatable); its files add items or override them by id.
    #[arg(
        help = "追加のコンテンツディレクトリ(何度でも指定可。同じ id は上書き)(extra content directory)",
        long = "content",
        value_name = "DIR",
        global = true
    )]
    pub content: Vec<PathBuf>,
    /// Where progress is kept (default: SHIKAKU_DATA, else the platform's data directory).
    #[arg(
        help = "学習記録の置き場所(既定: SHIKAKU_DATA、なければ OS の標準)(data directory)",
        long = "data",
        value_name = "DIR",
        global = true,
        env = "SHIKAKU_DATA"
    )]
    pub data: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands; none opens the TUI.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Straight into a mock exam.
    #[command(about = "すぐに模擬試験を始める(mock exam)")]
    Exam {
        /// Exam id of a blueprint in assets/exams/.
        #[arg(
            help = "試験の id(assets/exams/ のブループリント)(exam id)",
            long,
            default_value = "SCS-C03"
        )]
        exam: String,
    },
    /// Check content files; exit 1 on any error.
    #[command(about = "コンテンツを検査する。エラーがあれば終了コード 1(check content)")]
    Lint(lint::LintArgs),
    /// Print the JSON Schema of cards, questions, misconceptions and scenarios.
    #[command(about = "カード・問題・誤解・シナリオの JSON Schema を出力する(JSON Schema)")]
    Schema(schema::SchemaArgs),
    /// The policy simulator without the TUI.
    #[command(about = "ポリシーシミュレータを画面なしで使う(policy simulator)")]
    #[command(subcommand)]
    Sim(sim::SimCommand),
    /// An item's memory state, due date and history.
    #[command(about = "項目の記憶の状態・期日・履歴(an item's memory state)")]
    Card(progress::CardArgs),
    /// Totals, retention, per-domain accuracy, forecast.
    #[command(about = "回答数・保持率・分野別の正答率・予定(statistics)")]
    Stats(progress::StatsArgs),
    /// Today's study queue as the TUI shows it: id, kind, domain, why it is due.
    Today(today::TodayArgs),
    /// Back up progress (json) or export cards for Anki (anki-tsv).
    #[command(about = "学習記録のバックアップ(json)、Anki 用のカード(anki-tsv)(export)")]
    Export(progress::ExportArgs),
    /// Merge a progress backup into the store.
    #[command(about = "バックアップを重複なしで取り込む(import)")]
    Import(progress::ImportArgs),
    /// Fit personal FSRS parameters from the review log.
    #[command(about = "回答履歴から自分用の FSRS パラメータを求める(optimize)")]
    Optimize(progress::OptimizeArgs),
    /// Instructors: item statistics over learners' exports.
    #[command(about = "講師向け: 受講者のエクスポートから問題ごとの統計(item statistics)")]
    Items(items::ItemsArgs),
    /// Instructors: a Moodle GIFT bank as TOML.
    #[command(
        name = "import-gift",
        about = "講師向け: Moodle の GIFT 形式の問題を TOML に取り込む(import GIFT)"
    )]
    ImportGift(gift::ImportGiftArgs),
    /// Instructors: a skeleton question that lint accepts.
    #[command(about = "講師向け: lint が通る問題のひな形(skeleton)")]
    #[command(subcommand)]
    New(new::NewCommand),
    /// Merge progress through a folder kept in step by Syncthing, Dropbox, iCloud Drive or git.
    #[command(
        about = "Syncthing・Dropbox・git などで同期しているフォルダを通して学習記録をまとめる(sync)"
    )]
    Sync(sync::SyncArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(about = "シェルの補完スクリプトを出力する(shell completions)")]
    Completions {
        /// The shell.
        #[arg(help = "シェル(shell)")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `shikaku man > shikaku.1`.
    #[command(about = "man ページ(roff)を出力する(man page)")]
    Man,
}

/// What every command may need: where content and data are.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Extra content directories, `--content` first, then `SHIKAKU_CONTENT`.
    pub content_dirs: Vec<PathBuf>,
    /// The explicit data directory, if any.
    pub data: Option<PathBuf>,
}

impl Ctx {
    /// Builds the context from the parsed command line and the environment.
    pub fn new(cli: &Cli) -> Self {
        let mut content_dirs = cli.content.clone();
        if let Some(value) = std::env::var_os("SHIKAKU_CONTENT") {
            content_dirs
                .extend(std::env::split_paths(&value).filter(|p| !p.as_os_str().is_empty()));
        }
        Self {
            content_dirs,
            data: cli.data.clone(),
        }
    }

    /// The content sources: the embedded defaults — or, run inside the shikaku repo, its files
    /// on disk, so an instructor's edits show at once and `r` reloads them — plus the extra
    /// directories.
    pub fn sources(&self) -> Sources {
        let repo = std::env::current_dir()
            .ok()
            .and_then(|cwd| content::source::find_repo(&cwd));
        match repo {
            Some(root) => Sources {
                base: content::Base::Repo(root),
                base_checked: true,
                layers: self.content_dirs.clone(),
                lint: false,
            },
            None => Sources::embedded_with(self.content_dirs.clone()),
        }
    }

    /// The config file's settings; its problems are printed to stderr with their place (the
    /// valid settings still apply).
    pub fn config(&self) -> crate::config::Config {
        let Ok(path) = crate::paths::config_file() else {
            return crate::config::Config::default();
        };
        let (config, problems) = crate::config::Config::load(&path);
        for problem in &problems {
            crate::cli::out::stderr_raw(&format!("{}\n", problem.render_plain()));
        }
        config
    }

    /// The data directory in use.
    pub fn data_dir(&self) -> Result<PathBuf> {
        crate::paths::data_dir(self.data.clone())
    }

    /// Loads the library, printing problems with extra files to stderr (they are skipped).
    pub fn load_library(&self) -> content::Library {
        let loaded = content::load(&self.sources());
        for diag in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            crate::cli::out::stderr_raw(&format!("{}\n", diag.render_plain()));
        }
        loaded.library
    }
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = Ctx::new(&cli);
    match cli.command {
        None => crate::tui::run(ctx.sources(), ctx.data_dir()?, crate::tui::Start::Home),
        Some(Command::Exam { exam }) => crate::tui::run(
            ctx.sources(),
            ctx.data_dir()?,
            crate::tui::Start::Exam(exam),
        ),
        Some(Command::Lint(args)) => lint::run(&ctx, args),
        Some(Command::Schema(args)) => schema::run(args),
        Some(Command::Sim(cmd)) => sim::run(&ctx, cmd),
        Some(Command::Card(args)) => progress::card(&ctx, args),
        Some(Command::Stats(args)) => progress::stats(&ctx, args),
        Some(Command::Today(args)) => today::run(&ctx, args),
        Some(Command::Export(args)) => progress::export(&ctx, args),
        Some(Command::Import(args)) => progress::import(&ctx, args),
        Some(Command::Optimize(args)) => progress::optimize(&ctx, args),
        Some(Command::New(cmd)) => new::run(&ctx, cmd),
        Some(Command::Items(args)) => items::run(&ctx, args),
        Some(Command::ImportGift(args)) => gift::run(args),
        Some(Command::Sync(args)) => sync::run(&ctx, args),
        Some(Command::Completions { shell }) => {
            let mut text = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "shikaku",
                &mut text,
            );
            out::stdout_raw(&String::from_utf8_lossy(&text));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            let mut text = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut text)?;
            out::stdout_raw(&String::from_utf8_lossy(&text));
            Ok(ExitCode::SUCCESS)
        }
    }
}
