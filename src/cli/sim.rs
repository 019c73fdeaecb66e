//! `shikaku sim eval|table|list|show`: the simulator without the TUI. `eval --json` prints the JSON
//! object DESIGN.md defines; invalid input exits 2 with file:line:col diagnostics.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use crate::content::Diagnostic;
use crate::sim::scenario::{self, Format, Scenario};
use crate::sim::{self, Outcome, ScenarioKind};

/// `shikaku sim …`
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Evaluate a scenario file (TOML or JSON).
    #[command(about = "シナリオファイル(TOML または JSON)を評価する(evaluate)")]
    Eval {
        /// The scenario file.
        #[arg(help = "シナリオファイル(file)")]
        file: PathBuf,
        /// Print one JSON object.
        #[arg(help = "1つの JSON オブジェクトで出力する(json)")]
        #[arg(long)]
        json: bool,
    },
    /// The decision for every combination of a scenario's knob values.
    #[command(about = "ノブの値のすべての組み合わせの判定を表にする(decision table)")]
    Table {
        /// The scenario file.
        #[arg(help = "シナリオファイル(file)")]
        file: PathBuf,
        /// Print one JSON object.
        #[arg(help = "1つの JSON オブジェクトで出力する(json)")]
        #[arg(long)]
        json: bool,
    },
    /// List the scenarios in the content.
    #[command(about = "シナリオの一覧(list)")]
    List,
    /// Show one scenario and its decision.
    #[command(about = "シナリオと判定を表示する(show)")]
    Show {
        /// The scenario id.
        #[arg(help = "シナリオの id(scenario id)")]
        id: String,
    },
}

/// Runs a `sim` subcommand.
pub fn run(ctx: &Ctx, cmd: SimCommand) -> Result<ExitCode> {
    match cmd {
        SimCommand::Eval { file, json } => eval(&file, json),
        SimCommand::Table { file, json } => table(&file, json),
        SimCommand::List => list(ctx),
        SimCommand::Show { id } => show(ctx, &id),
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Reads and parses a scenario file; on failure the diagnostics are printed and the exit code
/// (2) is returned.
fn load(file: &Path) -> Result<Scenario, ExitCode> {
    let shown = file.display().to_string();
    let text = match crate::content::source::read_bounded_text(file) {
        Ok(t) => t,
        Err(e) => {
            errln!("エラー: {shown} を読めません: {e}");
            return Err(ExitCode::from(2));
        }
    };
    let format = match file.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
        _ => Format::Toml,
    };
    match scenario::parse(&text, format) {
        Ok(s) => Ok(s),
        Err(errors) => {
            let color = color();
            for e in &errors {
                let d = Diagnostic::error(e.kind.code(), e.message.clone())
                    .with_hint_opt(e.hint.clone())
                    .at(&shown, &text, e.span.clone().unwrap_or(0..0));
                crate::cli::out::stderr_raw(&format!("{}\n\n", d.render(color)));
            }
            errln!("{shown}: {} 件のエラーがあります", errors.len());
            Err(ExitCode::from(2))
        }
    }
}

fn eval(file: &Path, json: bool) -> Result<ExitCode> {
    let scenario = match load(file) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let outcome = sim::evaluate(&scenario);
    if json {
        crate::cli::out::json(&outcome.to_json())?;
    } else {
        out!("{}", render(&scenario, &outcome));
    }
    Ok(ExitCode::SUCCESS)
}

fn table(file: &Path, json: bool) -> Result<ExitCode> {
    let scenario = match load(file) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let table = match sim::table::table(&scenario) {
        Ok(t) => t,
        Err(e) => {
            errln!("エラー: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    if json {
        crate::cli::out::json(&table.to_json(&scenario))?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("シナリオ: {}  {}", scenario.id, scenario.title);
    outln!("{} 通りの組み合わせ", table.rows.len());
    let mut header: Vec<String> = scenario.knobs.iter().map(|k| k.id.clone()).collect();
    header.push("判定".into());
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            let mut row: Vec<String> = r
                .values
                .iter()
                .enumerate()
                .map(|(k, i)| scenario.knobs[k].values[*i].label.clone())
                .collect();
            row.push(sim::table::result_text(&r.result));
            row
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            cells
                .iter()
                .map(|r| crate::text::width(&r[c]))
                .chain([crate::text::width(&header[c])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |row: &[String]| {
        row.iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - crate::text::width(cell))))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    outln!("{}", line(&header));
    for row in &cells {
        outln!("{}", line(row));
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Ctx) -> Result<ExitCode> {
    let library = ctx.load_library();
    if library.scenarios.is_empty() {
        outln!("シナリオはありません");
        return Ok(ExitCode::SUCCESS);
    }
    let width = library
        .scenarios
        .iter()
        .map(|e| e.scenario.id.len())
        .max()
        .unwrap_or(0);
    for entry in &library.scenarios {
        let s = &entry.scenario;
        let kind = match s.kind {
            ScenarioKind::Iam(_) => "iam",
            ScenarioKind::Network(_) => "network",
        };
        outln!("{:width$}  {kind:7}  {}  ({})", s.id, s.title, entry.path);
    }
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Ctx, id: &str) -> Result<ExitCode> {
    let library = ctx.load_library();
    let Some(entry) = library.scenarios.iter().find(|e| e.scenario.id == id) else {
        let hint = crate::suggest::did_you_mean(
            id,
            library.scenarios.iter().map(|e| e.scenario.id.as_str()),
        )
        .map(|h| format!("\nヒント: {h}"))
        .unwrap_or_default();
        errln!("エラー: シナリオ `{id}` はありません(`shikaku sim list` で一覧を見られます){hint}");
        return Ok(ExitCode::from(2));
    };
    let outcome = sim::evaluate(&entry.scenario);
    outln!("ファイル: {}", entry.path);
    out!("{}", render(&entry.scenario, &outcome));
    Ok(ExitCode::SUCCESS)
}

/// The Japanese report of one evaluation.
fn render(scenario: &Scenario, outcome: &Outcome) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "シナリオ: {}  {}", scenario.id, scenario.title);
    match outcome {
        Outcome::Iam(o) => {
            let _ = writeln!(out, "判定: {}({})", o.decision.label(), o.decision.as_str());
            let decisive: Vec<&str> = o.decisive.iter().map(|t| t.label()).collect();
            if !decisive.is_empty() {
                let _ = writeln!(out, "決め手: {}", decisive.join("、"));
            }
            let _ = writeln!(out, "理由: {}", o.explanation);
            for note in &o.notes {
                let _ = writeln!(out, "  ※ {note}");
            }
            let _ = writeln!(out, "\nステートメントごとの評価:");
            let mut last = None;
            for t in &o.trace {
                if last != Some(t.at.policy) {
                    last = Some(t.at.policy);
                    let _ = writeln!(out, "  {}({})", t.at.policy, t.at.policy.ptype.label());
                }
                let mark = if t.matched { "●" } else { "○" };
                let sid = t
                    .sid
                    .clone()
                    .unwrap_or_else(|| format!("#{}", t.at.statement + 1));
                let _ = writeln!(
                    out,
                    "    {mark} [{}] {sid}: {}",
                    t.effect.as_str(),
                    t.reason
                );
            }
        }
        Outcome::Network(o) => {
            let reach = if o.reachable {
                "到達できます".to_string()
            } else {
                format!(
                    "到達できません({})",
                    o.blocked_at.map_or("", |h| h.as_str())
                )
            };
            let _ = writeln!(out, "結果: {reach}");
            let _ = writeln!(out, "理由: {}", o.explanation);
            let _ = writeln!(out, "\nチェックの順序:");
            for t in &o.trace {
                let mark = match (t.reached, t.passed) {
                    (false, _) => "・",
                    (true, true) => "●",
                    (true, false) => "×",
                };
                let _ = writeln!(out, "  {mark} {}: {}", t.hop.as_str(), t.reason);
            }
        }
    }
    if let Some(expect) = scenario.expect() {
        let miss = expect.mismatches(outcome);
        if miss.is_empty() {
            let _ = writeln!(out, "\n期待値([expect]): 一致");
        } else {
            let _ = writeln!(out, "\n期待値([expect]): 不一致 — {}", miss.join("、"));
        }
    }
    if !scenario.knobs.is_empty() {
        let _ = writeln!(out, "\nノブ:");
        for knob in &scenario.knobs {
            let current = scenario.knob_current(knob);
            let values: Vec<String> = knob
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let result = match scenario.with_knob(&knob.id, i).map(|s| sim::decide(&s)) {
                        Ok(sim::Verdict::Iam(d)) => d.as_str().to_string(),
                        Ok(sim::Verdict::Network(None)) => "到達".into(),
                        Ok(sim::Verdict::Network(Some(h))) => h.as_str().into(),
                        Err(_) => "不正".into(),
                    };
                    let mark = if current == Some(i) { "*" } else { " " };
                    format!("{mark}{} → {result}", v.label)
                })
                .collect();
            let _ = writeln!(out, "  {}({}): {}", knob.label, knob.id, values.join(" / "));
        }
    }
    out
}
