//! `shikaku items FILE…`: item statistics over a class's progress exports, worst first, as a
//! table, JSON or CSV.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde_json::json;

use super::Ctx;
use crate::srs::exchange::ExportFile;
use crate::srs::item_stats::{self, Flag, ItemStats, LearnerFile, Report};

/// Output formats of `items`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ItemsFormat {
    /// A table for reading.
    Text,
    /// One JSON object.
    Json,
    /// One line per question, for a spreadsheet.
    Csv,
}

/// `shikaku items FILE… [--format text|json|csv]`
#[derive(Debug, Args)]
pub struct ItemsArgs {
    /// Learners' exports (`shikaku export`), or folders holding them (*.json).
    #[arg(
        help = "受講者のエクスポート(shikaku export の JSON)、またはそれを入れたフォルダ(files)",
        required = true
    )]
    pub paths: Vec<PathBuf>,
    /// text (default), json or csv.
    #[arg(
        help = "出力形式: text・json・csv(format)",
        long,
        value_enum,
        default_value = "text"
    )]
    pub format: ItemsFormat,
}

/// The export files named on the command line: files as given, folders' `*.json` sorted.
fn export_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .map_err(|e| format!("{} を読めません({e})", path.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
                .collect();
            found.sort();
            out.extend(found);
        } else if path.exists() {
            out.push(path.clone());
        } else {
            return Err(format!("`{}` が見つかりません", path.display()));
        }
    }
    Ok(out)
}

/// Reads one export; the learner id falls back to the file name for older exports.
pub fn read_export(path: &Path) -> Result<LearnerFile, String> {
    let text = crate::content::source::read_bounded_text(path)
        .map_err(|e| format!("{} を読めません({e})", path.display()))?;
    let export: ExportFile = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: shikaku export の JSON ではありません({e})",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    let learner = export.learner.clone().unwrap_or_else(|| {
        path.file_stem().map_or_else(
            || path.display().to_string(),
            |s| s.to_string_lossy().into(),
        )
    });
    Ok(LearnerFile { learner, export })
}

/// Runs `items`: exit 0 with a report, 1 when some files could not be read, 2 when none could.
pub fn run(ctx: &Ctx, args: ItemsArgs) -> Result<ExitCode> {
    let paths = match export_paths(&args.paths) {
        Ok(paths) => paths,
        Err(message) => {
            errln!("エラー: {message}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut files = Vec::with_capacity(paths.len());
    let mut failed = 0;
    for path in &paths {
        match read_export(path) {
            Ok(file) => files.push(file),
            Err(message) => {
                errln!("エラー: {message}");
                failed += 1;
            }
        }
    }
    if files.is_empty() {
        errln!("エラー: 読めるエクスポートがありません");
        return Ok(ExitCode::from(2));
    }
    let library = ctx.load_library();
    let report = item_stats::analyze(&library, &files);
    let current = crate::content::content_version(&library);
    if report.content_versions.iter().any(|(v, _)| *v != current) {
        let list: Vec<String> = report
            .content_versions
            .iter()
            .map(|(v, n)| format!("{v}: {n}人"))
            .collect();
        errln!(
            "注意: 今のコンテンツ({current})と違う版で学んだエクスポートがあります({})。直した問題の数値は直す前の回答を含みます",
            list.join("、")
        );
    }
    match args.format {
        ItemsFormat::Json => crate::cli::out::json(&json!({
            "content_version": current,
            "thresholds": {
                "min_attempts": item_stats::MIN_ATTEMPTS,
                "low_discrimination": item_stats::LOW_DISCRIMINATION,
                "dead_distractor": item_stats::DEAD_DISTRACTOR,
                "too_easy": item_stats::TOO_EASY,
                "too_hard": item_stats::TOO_HARD,
            },
            "report": report,
        }))?,
        ItemsFormat::Csv => out!("{}", csv(&report)),
        ItemsFormat::Text => out!("{}", text(&report)),
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn num(value: Option<f64>) -> String {
    value.map_or_else(|| "-".into(), |v| format!("{v:.2}"))
}

fn flag_text(s: &ItemStats, flag: Flag) -> String {
    match flag {
        Flag::NegativeDiscrimination => "識別力が負(できる受講者ほど誤る)".into(),
        Flag::LowDiscrimination => format!("識別力が低い({} 未満)", item_stats::LOW_DISCRIMINATION),
        Flag::TooHard => format!("難しすぎる(正答率 {} 未満)", item_stats::TOO_HARD),
        Flag::TooEasy => format!("易しすぎる(正答率 {} 超)", item_stats::TOO_EASY),
        Flag::DeadDistractor => format!(
            "ほとんど選ばれない誤答 {}(5% 未満)",
            s.dead_choices.join(", ")
        ),
        Flag::TooFewAttempts => format!(
            "判断には人数が足りない(あと {} 人、{} 人必要)",
            s.learners_needed,
            item_stats::MIN_ATTEMPTS
        ),
    }
}

/// The table `items` prints.
pub fn text(report: &Report) -> String {
    let mut out = format!(
        "受講者 {} 人、問題 {} 問(ワーストから)。識別は点双列相関(ほかの問題の成績との相関)\n\n",
        report.learners,
        report.questions.len()
    );
    let width = report
        .questions
        .iter()
        .map(|s| s.id.len())
        .chain([4])
        .max()
        .unwrap_or(4);
    // Columns: the header's Japanese is two columns a character, hence the padding by display
    // width rather than by `format!` width.
    let pad = |text: &str, to: usize| {
        let w = unicode_width::UnicodeWidthStr::width(text);
        format!("{text}{}", " ".repeat(to.saturating_sub(w)))
    };
    out.push_str(&format!(
        "{}  {}  {}  {}  {}\n",
        pad("問題", width),
        pad("人数", 6),
        pad("正答率", 6),
        pad("識別", 6),
        "上位-下位27%"
    ));
    for s in &report.questions {
        out.push_str(&format!(
            "{}  {}  {}  {}  {}\n",
            pad(&s.id, width),
            pad(&s.learners.to_string(), 6),
            pad(&num(s.facility), 6),
            pad(&num(s.point_biserial), 6),
            num(s.upper_lower)
        ));
        if !s.picks.is_empty() {
            let picks: Vec<String> = s
                .picks
                .iter()
                .map(|p| {
                    format!(
                        "{}{} {:.0}%",
                        p.choice,
                        if p.correct { "(正)" } else { "" },
                        p.rate * 100.0
                    )
                })
                .collect();
            out.push_str(&format!("  選択率: {}\n", picks.join("  ")));
        }
        for flag in &s.flags {
            out.push_str(&format!("  ! {}\n", flag_text(s, *flag)));
        }
    }
    for (title, groups) in [("分野ごと", &report.domains), ("タスクごと", &report.tasks)] {
        if groups.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}\n"));
        for g in groups {
            out.push_str(&format!(
                "  {}: 問題 {}、平均正答率 {}、平均識別 {}、要確認 {}\n",
                g.key,
                g.questions,
                num(g.mean_facility),
                num(g.mean_point_biserial),
                g.flagged
            ));
        }
    }
    if report.unknown_items > 0 {
        out.push_str(&format!(
            "\n今のコンテンツにない項目への回答 {} 件は数えていません\n",
            report.unknown_items
        ));
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One line per question, worst first.
pub fn csv(report: &Report) -> String {
    let mut out = String::from(
        "id,domain,task,learners,answers,facility,point_biserial,upper_lower,flags,picks\n",
    );
    let opt = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.4}"));
    for s in &report.questions {
        let flags: Vec<&str> = s.flags.iter().map(|f| f.code()).collect();
        let picks: Vec<String> = s
            .picks
            .iter()
            .map(|p| format!("{}={:.4}", p.choice, p.rate))
            .collect();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            csv_field(&s.id),
            csv_field(&s.domain),
            csv_field(s.task.as_deref().unwrap_or("")),
            s.learners,
            s.answers,
            opt(s.facility),
            opt(s.point_biserial),
            opt(s.upper_lower),
            flags.join(";"),
            csv_field(&picks.join(";")),
        ));
    }
    out
}
