//! `shikaku lint`: checks content files and prints every problem, rustc-style or as JSON.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde_json::json;

use super::Ctx;
use crate::content::{self, Base, Library, Loaded, QuestionType, Sources, coverage};

/// Output formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// rustc-style text with the source line and a caret.
    Text,
    /// One JSON object for editors and CI.
    Json,
}

/// `shikaku lint [PATH…] [--format json] [--summary]`
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to check (default: the embedded content, or the repo's files when
    #[arg(
        help = "検査するファイルやディレクトリ(既定: 埋め込みコンテンツ、リポジトリ内ではリポジトリのファイル)(paths)"
    )]
    /// run inside the repo). Ids they reference are resolved against the embedded content too.
    pub paths: Vec<PathBuf>,
    /// text (default) or json.
    #[arg(
        help = "出力形式: text または json(format)",
        long,
        value_enum,
        default_value = "text"
    )]
    pub format: LintFormat,
    /// Also print counts: cards, questions by type and domain, scenarios, misconceptions.
    #[arg(
        help = "カード・問題(種類別・分野別)・シナリオ・誤解の数も出す(summary)",
        long
    )]
    pub summary: bool,
    /// Also print coverage of the exam guide: questions per domain (share vs weight), per task
    #[arg(
        help = "試験ガイドのカバレッジ(分野・タスク・スキルごとの問題数)も出す。足りないところは警告(coverage)"
    )]
    /// and per skill, by type; gaps are warnings.
    #[arg(long)]
    pub coverage: bool,
    /// The blueprint for `--coverage` (default: SCS-C03, else the first one).
    #[arg(
        help = "--coverage に使うブループリント(既定: SCS-C03)(exam id)",
        long,
        value_name = "ID"
    )]
    pub exam: Option<String>,
}

/// Which files `lint` checks, given its arguments.
pub fn sources(ctx: &Ctx, paths: &[PathBuf]) -> Sources {
    let repo = std::env::current_dir()
        .ok()
        .and_then(|cwd| content::source::find_repo(&cwd));
    let base = repo.map_or(Base::Embedded, Base::Repo);
    let mut layers = ctx.content_dirs.clone();
    layers.extend(paths.iter().cloned());
    Sources {
        base,
        base_checked: paths.is_empty(),
        layers,
        lint: true,
    }
}

/// Runs `lint`: exit 0 when clean (warnings allowed), 1 on any error, 2 on a usage error.
pub fn run(ctx: &Ctx, args: LintArgs) -> Result<ExitCode> {
    if let Some(missing) = args.paths.iter().find(|p| !p.exists()) {
        errln!("エラー: `{}` が見つかりません", missing.display());
        return Ok(ExitCode::from(2));
    }
    let mut loaded = content::load(&sources(ctx, &args.paths));
    // The config file is checked too: its problems are reported as config problems with their
    // place, like any content file's.
    if let Ok(path) = crate::paths::config_file() {
        loaded
            .diagnostics
            .extend(crate::config::Config::load(&path).1);
    }
    let blueprint = match &args.exam {
        Some(id) => match loaded.library.blueprint(id) {
            Some(b) => Some(b.clone()),
            None => {
                let known: Vec<&str> = loaded
                    .library
                    .blueprints
                    .iter()
                    .map(|b| b.id.as_str())
                    .collect();
                errln!(
                    "エラー: 試験 `{id}` のブループリントがありません(あるもの: {})",
                    known.join(", ")
                );
                return Ok(ExitCode::from(2));
            }
        },
        None => loaded.library.main_blueprint().cloned(),
    };
    let coverage = (args.coverage || args.summary)
        .then(|| {
            blueprint
                .as_ref()
                .map(|b| coverage::coverage(&loaded.library, b))
        })
        .flatten();
    if args.coverage
        && let Some(c) = &coverage
    {
        loaded.diagnostics.extend(c.warnings());
    }
    let errors = loaded.error_count();
    let warnings = loaded.diagnostics.len() - errors;
    match args.format {
        LintFormat::Json => {
            let mut out = json!({
                "files": loaded.file_count,
                "errors": errors,
                "warnings": warnings,
                "diagnostics": loaded.diagnostics,
            });
            if args.summary {
                out["summary"] = summary_json(&loaded.library);
            }
            if let Some(c) = &coverage {
                out["coverage"] = serde_json::to_value(c)?;
            }
            crate::cli::out::json(&out)?;
        }
        LintFormat::Text => {
            let color = std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            for diagnostic in &loaded.diagnostics {
                crate::cli::out::stdout_raw(&format!("{}\n\n", diagnostic.render(color)));
            }
            outln!("{}", closing_line(&loaded, errors, warnings));
            if args.summary {
                out!("{}", summary_text(&loaded.library));
            }
            if args.coverage
                && let Some(c) = &coverage
            {
                out!("\n{}", c.render());
            }
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn closing_line(loaded: &Loaded, errors: usize, warnings: usize) -> String {
    let files = loaded.file_count;
    match (errors, warnings) {
        (0, 0) => format!("問題はありません({files} ファイル)"),
        (0, w) => format!("エラーはありません。警告 {w} 件({files} ファイル)"),
        (e, w) => format!(
            "エラー {e} 件、警告 {w} 件({files} ファイル)。エラーを直してから使ってください"
        ),
    }
}

/// The counts `--summary` prints.
struct Summary<'a> {
    cards: usize,
    questions: usize,
    by_type: BTreeMap<&'static str, usize>,
    by_domain: Vec<(&'a str, &'a str, usize)>,
    scenarios: usize,
    linked: usize,
    not_simulated: usize,
    misconceptions: usize,
}

fn summarize(library: &Library) -> Summary<'_> {
    let mut by_type = BTreeMap::new();
    for kind in [
        QuestionType::Single,
        QuestionType::Multi,
        QuestionType::Order,
        QuestionType::Match,
    ] {
        by_type.insert(
            kind.as_str(),
            library.questions.iter().filter(|q| q.kind == kind).count(),
        );
    }
    let by_domain = library
        .main_blueprint()
        .map(|b| {
            b.domains
                .iter()
                .map(|d| {
                    (
                        d.key.as_str(),
                        d.name.as_str(),
                        library.questions_in(&d.key).count(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Summary {
        cards: library.cards.len(),
        questions: library.questions.len(),
        by_type,
        by_domain,
        scenarios: library.scenarios.len(),
        linked: library
            .questions
            .iter()
            .filter(|q| q.scenario.is_some())
            .count(),
        not_simulated: library
            .questions
            .iter()
            .filter(|q| q.no_scenario.is_some())
            .count(),
        misconceptions: library.misconceptions.len(),
    }
}

fn summary_text(library: &Library) -> String {
    let s = summarize(library);
    let types: Vec<String> = s.by_type.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let mut out = format!(
        "\nカード: {}\n問題: {}({})\n",
        s.cards,
        s.questions,
        types.join(" / ")
    );
    for (key, name, count) in &s.by_domain {
        out.push_str(&format!("  {name} ({key}): {count}\n"));
    }
    out.push_str(&format!(
        "シナリオ: {}\nシミュレータにつながる問題: {}\nシミュレータで示せない問題(no_scenario): {}\n誤解: {}\n",
        s.scenarios, s.linked, s.not_simulated, s.misconceptions
    ));
    out
}

fn summary_json(library: &Library) -> serde_json::Value {
    let s = summarize(library);
    json!({
        "cards": s.cards,
        "questions": s.questions,
        "questions_by_type": s.by_type,
        "questions_by_domain": s.by_domain.iter().map(|(k, _, n)| (k.to_string(), *n)).collect::<BTreeMap<_, _>>(),
        "scenarios": s.scenarios,
        "linked_questions": s.linked,
        "no_scenario_questions": s.not_simulated,
        "misconceptions": s.misconceptions,
    })
}
