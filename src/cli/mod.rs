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
#[command(
    name = "shikaku",
    version,
    about = "資格 — AWS 認定を日本語で学ぶターミナルの学習アプリ。ポリシーシミュレータつき",
    long_about = None
)]
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
    #[command(about = "今日の学習の順番(画面と同じ): id・種類・分野・出題の理由(today's queue)")]
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
    /// The help of a command (clap's own `help` is English, so it is ours).
    #[command(about = "コマンドのヘルプを表示する(help)")]
    Help {
        /// The command, subcommands after it (`help sim eval`).
        #[arg(help = "コマンド(command)")]
        command: Vec<String>,
    },
}

/// The command line as clap builds it from [`Cli`], with Japanese headings, help and version
/// flags and `help` command (clap's own are English).
pub fn command() -> clap::Command {
    fn flag(
        name: &'static str,
        short: char,
        action: clap::ArgAction,
        help: &'static str,
    ) -> clap::Arg {
        clap::Arg::new(name)
            .short(short)
            .long(name)
            .action(action)
            .help(help)
    }
    fn localize(cmd: clap::Command) -> clap::Command {
        cmd.help_template("{about-with-newline}\n使い方(usage): {usage}\n\n{all-args}{after-help}")
            .subcommand_help_heading("コマンド(commands)")
            .disable_help_subcommand(true)
            .disable_help_flag(true)
            .arg(flag(
                "help",
                'h',
                clap::ArgAction::Help,
                "このヘルプを表示する(help)",
            ))
            .mut_args(|arg| {
                let heading = if arg.is_positional() {
                    "引数(arguments)"
                } else {
                    "オプション(options)"
                };
                arg.help_heading(heading)
            })
            .mut_subcommands(localize)
    }
    localize(
        <Cli as clap::CommandFactory>::command()
            .disable_version_flag(true)
            .arg(flag(
                "version",
                'V',
                clap::ArgAction::Version,
                "バージョンを表示する(version)",
            )),
    )
}

/// Parses the process's arguments; `--help` and `--version` print and exit 0, a usage error
/// is explained in Japanese and exits 2.
pub fn parse() -> Cli {
    let parsed = command()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(err) => {
            use clap::error::ErrorKind;
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                err.exit()
            }
            out::stderr(format_args!("{}", usage_error(&err)));
            std::process::exit(2)
        }
    }
}

/// A clap usage error in Japanese: what is wrong, a suggestion when clap has one, the usage line.
fn usage_error(err: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let get = |kind| err.get(kind).map(ToString::to_string).unwrap_or_default();
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut text = match err.kind() {
        ErrorKind::InvalidSubcommand => {
            format!(
                "`{}` というコマンドはありません",
                get(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::UnknownArgument => format!("`{arg}` というオプションはありません"),
        ErrorKind::MissingRequiredArgument => format!("{arg} を指定してください"),
        ErrorKind::MissingSubcommand => "コマンドを指定してください".to_string(),
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            if value.is_empty() {
                format!("{arg} に値を指定してください(使える値: {valid})")
            } else {
                format!("{arg} に `{value}` は使えません(使える値: {valid})")
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err)
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            format!("{arg} の値 `{value}` が正しくありません{why}")
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} と {} は一緒に使えません", get(ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("余分な引数 `{value}` があります")
        }
        _ => format!("引数が正しくありません({})", err.kind()),
    };
    let suggested = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|kind| err.get(kind).map(ToString::to_string));
    text = format!("エラー: {text}\n");
    if let Some(suggested) = suggested {
        text.push_str(&format!("ヒント: `{suggested}` のことですか?\n"));
    }
    let usage = get(ContextKind::Usage);
    if let Some(usage) = usage.strip_prefix("Usage: ") {
        text.push_str(&format!("\n使い方(usage): {usage}\n"));
    }
    text.push_str("詳しくは --help を付けて実行してください\n");
    text
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
            clap_complete::generate(shell, &mut command(), "shikaku", &mut text);
            out::stdout_raw(&String::from_utf8_lossy(&text));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Help { command: path }) => {
            let mut cmd = command();
            // Built, so that each subcommand's usage line names its whole path.
            cmd.build();
            for name in &path {
                let Some(sub) = cmd.find_subcommand(name).cloned() else {
                    let names: Vec<String> = cmd
                        .get_subcommands()
                        .map(|s| s.get_name().to_string())
                        .collect();
                    let hint = crate::suggest::did_you_mean(name, names.iter().map(String::as_str))
                        .map(|h| format!("\nヒント: {h}"))
                        .unwrap_or_default();
                    out::stderr(format_args!(
                        "エラー: コマンド `{name}` はありません(`shikaku --help` で一覧を見られます){hint}\n"
                    ));
                    return Ok(ExitCode::from(2));
                };
                cmd = sub;
            }
            out::stdout(format_args!("{}", cmd.render_help()));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            let mut text = Vec::new();
            clap_mangen::Man::new(command()).render(&mut text)?;
            out::stdout_raw(&String::from_utf8_lossy(&text));
            Ok(ExitCode::SUCCESS)
        }
    }
}
