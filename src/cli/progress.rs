//! `card`, `stats`, `export`, `import`, `optimize`: the progress store from the command line.
//! Output is Japanese; `--json` keys are English. `SHIKAKU_NOW` (RFC 3339) fixes "now" for
//! reproducible output.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use serde_json::json;

use super::Ctx;
use crate::srs::{self, Catalog, Moment, Store};

/// `shikaku card ID [--json]`
#[derive(Debug, Args)]
pub struct CardArgs {
    /// The item id (topic card, question or misconception).
    #[arg(help = "項目の id(トピックカード・問題・誤解)(item id)")]
    pub id: String,
    /// Print one JSON object.
    #[arg(help = "1つの JSON オブジェクトで出力する(json)")]
    #[arg(long)]
    pub json: bool,
}

/// `shikaku stats [--json]`
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print one JSON object.
    #[arg(help = "1つの JSON オブジェクトで出力する(json)")]
    #[arg(long)]
    pub json: bool,
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// The review log as JSON (a backup that `import` reads).
    Json,
    /// Topic and misconception cards as front/back lines for Anki's importer.
    AnkiTsv,
    /// The questions as a Moodle GIFT bank (a category per domain).
    Gift,
}

/// `shikaku export [--format json|anki-tsv] FILE`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json (default) or anki-tsv.
    #[arg(
        help = "形式: json(既定)、anki-tsv、gift(Moodle の問題バンク)(format)",
        long,
        value_enum,
        default_value = "json"
    )]
    pub format: ExportFormat,
    /// Where to write (`-`: standard output).
    #[arg(help = "書き出し先(- は標準出力)(file)")]
    pub file: PathBuf,
    /// Overwrite FILE if it exists.
    #[arg(help = "同じ名前のファイルがあっても上書きする(overwrite)", long)]
    pub force: bool,
}

/// `shikaku import FILE`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON export.
    #[arg(help = "取り込む JSON(shikaku export で書き出したもの)(file)")]
    pub file: PathBuf,
}

/// `shikaku optimize`
#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// Print one JSON object.
    #[arg(help = "1つの JSON オブジェクトで出力する(json)")]
    #[arg(long)]
    pub json: bool,
}

/// "Now": `SHIKAKU_NOW` when set (tests, reproducible reports), else the system clock.
pub(crate) fn now() -> Result<Moment> {
    match std::env::var("SHIKAKU_NOW") {
        Ok(text) if !text.is_empty() => Moment::parse_rfc3339(&text)
            .map_err(anyhow::Error::msg)
            .context("SHIKAKU_NOW"),
        _ => Ok(Moment::from_zoned(&jiff::Zoned::now())),
    }
}

pub(super) fn open(ctx: &Ctx) -> Result<Store> {
    // The same settings as the TUI: a store opened with other settings would recompute states.
    let store = Store::open_in(&ctx.data_dir()?, ctx.config().settings)?;
    for warning in store.warnings() {
        errln!("警告: {warning}");
    }
    Ok(store)
}

/// The store for a command that only reads: opened read-only, so it works on a read-only file
/// or folder and leaves nothing behind.
pub(super) fn open_reading(ctx: &Ctx) -> Result<Store> {
    let store = Store::open_read_only_in(&ctx.data_dir()?, ctx.config().settings)?;
    for warning in store.warnings() {
        errln!("警告: {warning}");
    }
    Ok(store)
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    crate::cli::out::json(&value)?;
    Ok(())
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn local_time(m: Moment) -> String {
    m.to_zoned().strftime("%Y-%m-%d %H:%M").to_string()
}

/// `shikaku card ID`: memory state, due date and history of any id in the store or content.
pub fn card(ctx: &Ctx, args: CardArgs) -> Result<ExitCode> {
    let now = now()?;
    let store = open_reading(ctx)?;
    let library = ctx.load_library();
    let catalog = Catalog::from_library(&library);
    let content = catalog.get(&args.id);
    let stored = store.item(&args.id)?;
    let history = store.history(&args.id)?;
    if content.is_none() && stored.is_none() && history.is_empty() {
        let ids = library
            .cards
            .iter()
            .map(|c| c.id.as_str())
            .chain(library.questions.iter().map(|q| q.id.as_str()))
            .chain(library.misconceptions.iter().map(|m| m.id.as_str()));
        let hint = crate::suggest::did_you_mean(&args.id, ids)
            .map(|h| format!("\nヒント: {h}"))
            .unwrap_or_default();
        errln!(
            "エラー: 「{}」という項目はコンテンツにも進捗データにもありません{hint}",
            args.id
        );
        return Ok(ExitCode::from(2));
    }
    let scheduler = store.scheduler();
    let state = stored
        .as_ref()
        .map_or_else(srs::ItemState::new_item, |s| s.state.clone());
    let retrievability = scheduler.retrievability(&state, now);
    let due = state.due.map(|t| Moment {
        timestamp: t,
        offset: now.offset,
    });
    let orphan = content.is_none();
    let flag = |f: fn(&srs::StoredItem) -> bool| stored.as_ref().is_some_and(f);
    if args.json {
        let history: Vec<_> = history
            .iter()
            .map(|r| {
                json!({
                    "time": r.at.to_rfc3339(),
                    "rating": r.rating.number(),
                    "elapsed_days": r.elapsed_days,
                    "answer_ms": r.answer_ms,
                    "chosen": r.chosen,
                    "source": r.source,
                })
            })
            .collect();
        print_json(&json!({
            "item": args.id,
            "kind": content.map(|c| c.kind),
            "domain": content.and_then(|c| c.domain.clone()),
            "orphan": orphan,
            "phase": state.phase,
            "stability": state.memory.map(|m| m.stability),
            "difficulty": state.memory.map(|m| m.difficulty),
            "retrievability": retrievability,
            "due": due.map(|d| d.to_rfc3339()),
            "interval_days": state.interval_days,
            "reps": state.reps,
            "lapses": state.lapses,
            "suspended": flag(|s| s.suspended),
            "leech": flag(|s| s.leech),
            "buried_until": stored.as_ref().and_then(|s| s.buried_until).map(|d| d.date().to_string()),
            "content_changed": flag(|s| s.content_changed),
            "history": history,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let kind = content.map_or(
        "コンテンツにない項目(孤立。進捗は残しています)",
        |c| c.kind.label(),
    );
    outln!("項目: {}({kind})", args.id);
    outln!("状態: {}", state.phase.label());
    if let Some(m) = state.memory {
        outln!("安定度(S): {:.2}日", m.stability);
        outln!("難易度(D): {:.2}(1〜10)", m.difficulty);
    }
    if let Some(r) = retrievability {
        outln!("いまの想起確率(R): {:.1}%", r * 100.0);
    }
    if let Some(due) = due {
        let days = (due.timestamp.as_second() - now.timestamp.as_second()) as f64 / 86_400.0;
        let when = if days <= 0.0 {
            "期限です".to_string()
        } else {
            format!("あと{days:.1}日")
        };
        outln!("次回: {}({when})", local_time(due));
    }
    if state.interval_days > 0 {
        outln!("間隔: {}日", state.interval_days);
    }
    outln!("復習回数: {} / 忘却回数: {}", state.reps, state.lapses);
    let mut flags = Vec::new();
    if flag(|s| s.suspended) {
        flags.push("保留中");
    }
    if flag(|s| s.leech) {
        flags.push("リーチ(何度も忘れている)");
    }
    if flag(|s| s.content_changed) {
        flags.push("内容が更新されました");
    }
    if !flags.is_empty() {
        outln!("フラグ: {}", flags.join("、"));
    }
    if !history.is_empty() {
        outln!("履歴:");
        for r in &history {
            let secs = r
                .answer_ms
                .map(|ms| format!("  {:.1}秒", f64::from(ms) / 1000.0));
            outln!(
                "  {}  {}  前回から{}日{}",
                local_time(r.at),
                r.rating.label(),
                r.elapsed_days,
                secs.unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `shikaku stats`: totals, retention, forecast, per-domain accuracy, leeches, orphans.
pub fn stats(ctx: &Ctx, args: StatsArgs) -> Result<ExitCode> {
    let now = now()?;
    let store = open_reading(ctx)?;
    let library = ctx.load_library();
    let catalog = Catalog::from_library(&library);
    let reviews = store.all_reviews()?;
    let items = store.items()?;
    let stats = srs::stats::compute(
        &reviews,
        &items,
        &catalog,
        now,
        store.scheduler().settings(),
    );
    let progress = crate::app::progress::Progress {
        items,
        reviews,
        attempts: Vec::new(),
        flagged: Default::default(),
        scheduler: store.scheduler().clone(),
        catalog,
    };
    let readiness = progress.readiness(&library, now, ctx.config().exam_date);
    if args.json {
        let mut value = serde_json::to_value(&stats)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("readiness".into(), serde_json::to_value(&readiness)?);
        }
        print_json(&value)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(r) = &readiness {
        outln!(
            "予測{}: {}点({}〜{}、80%の範囲) 合格可能性 {:.0}%",
            if r.exam_date {
                "(試験日)"
            } else {
                "(今日受けたら)"
            },
            r.predicted,
            r.low,
            r.high,
            r.pass_probability * 100.0
        );
        for t in r.tasks.iter().take(3) {
            outln!(
                "  弱いタスク {} {}: 正答の見込み {:.0}%({}問中 {}問を学習済み)",
                t.key,
                t.name,
                t.expected * 100.0,
                t.questions,
                t.seen
            );
        }
    }
    outln!("今日({}): 期限の項目 {}件", stats.today, stats.due_today);
    outln!(
        "復習の合計: {}回 / 学習した項目: {}件",
        stats.total_reviews,
        stats.items_studied
    );
    let r = stats.true_retention;
    let r30 = stats.true_retention_30d;
    outln!(
        "真の保持率: {}({}/{}回)、直近30日: {}({}/{}回)",
        percent(r.rate),
        r.passed,
        r.total,
        percent(r30.rate),
        r30.passed,
        r30.total
    );
    outln!("日ごとの復習回数(直近14日):");
    let start = stats.reviews_per_day.len().saturating_sub(14);
    if stats.reviews_per_day.is_empty() {
        outln!("  まだ復習がありません");
    }
    for d in &stats.reviews_per_day[start..] {
        outln!("  {}  {}回", d.date, d.count);
    }
    outln!("今後30日の予定(期限になる項目数):");
    for week in stats.forecast.chunks(7) {
        let cells: Vec<String> = week
            .iter()
            .map(|d| format!("{} {:>3}", &d.date[5..], d.count))
            .collect();
        outln!("  {}", cells.join("  "));
    }
    outln!("分野ごとの正答率:");
    if stats.domains.is_empty() {
        outln!("  まだデータがありません");
    }
    for d in &stats.domains {
        let name = d.name.as_deref().unwrap_or(&d.domain);
        outln!(
            "  {name}: {}({}/{}回)",
            percent(d.accuracy),
            d.correct,
            d.reviews
        );
    }
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "なし".to_string()
        } else {
            ids.join(", ")
        }
    };
    outln!("リーチ: {}", list(&stats.leeches));
    outln!("保留中: {}", list(&stats.suspended));
    outln!(
        "孤立した項目(コンテンツから消えたID。進捗は残しています): {}",
        list(&stats.orphans)
    );
    Ok(ExitCode::SUCCESS)
}

/// `shikaku export`: the review log as JSON, or cards for Anki.
pub fn export(ctx: &Ctx, args: ExportArgs) -> Result<ExitCode> {
    let (text, said) = match args.format {
        ExportFormat::Json => {
            let store = open_reading(ctx)?;
            let reviews = store.all_reviews()?;
            let mut file = srs::exchange::export_json(&reviews, now()?);
            file.learner = Some(learner_id(&ctx.data_dir()?)?);
            // Quietly: a backup is no place for a report on content problems.
            let library = crate::content::load(&ctx.sources()).library;
            file.content_version = Some(crate::content::content_version(&library));
            (
                serde_json::to_string_pretty(&file)? + "\n",
                format!(
                    "{}件の復習を {} に書き出しました",
                    reviews.len(),
                    shown(&args.file)
                ),
            )
        }
        ExportFormat::Gift => {
            let library = ctx.load_library();
            let questions: Vec<&crate::content::Question> = library.questions.iter().collect();
            let name = |key: &str| {
                library
                    .blueprints
                    .iter()
                    .flat_map(|b| b.domains.iter())
                    .find(|d| d.key == key)
                    .map(|d| d.name.clone())
            };
            (
                crate::content::gift::export(&questions, name),
                format!(
                    "問題{}問を {} に書き出しました(Moodle の問題バンクで GIFT 形式として読み込めます)",
                    questions.len(),
                    shown(&args.file)
                ),
            )
        }
        ExportFormat::AnkiTsv => {
            let library = ctx.load_library();
            (
                srs::exchange::anki_tsv(&library),
                format!(
                    "学習カード{}枚とよくある誤解{}件を {} に書き出しました(Ankiの「読み込む」で取り込めます)",
                    library.cards.len(),
                    library.misconceptions.len(),
                    shown(&args.file)
                ),
            )
        }
    };
    if !write(&args.file, &text, args.force)? {
        return Ok(ExitCode::from(2));
    }
    // The report goes to stderr, so `export -` leaves a clean file on stdout.
    errln!("{said}");
    Ok(ExitCode::SUCCESS)
}

/// The anonymous learner id of this data directory: random, made on the first export and kept
/// in `learner-id`, so every export of one learner carries the same id and nothing personal.
fn learner_id(data_dir: &std::path::Path) -> Result<String> {
    let path = data_dir.join("learner-id");
    if let Ok(text) = crate::content::source::read_bounded_text(&path) {
        let id = text.trim();
        if !id.is_empty() {
            return Ok(id.to_string());
        }
    }
    let id = format!("learner-{:016x}", rand::random::<u64>());
    // A read-only data folder still exports: this once with an id that is not kept.
    let kept =
        std::fs::create_dir_all(data_dir).and_then(|()| std::fs::write(&path, format!("{id}\n")));
    if kept.is_err() {
        errln!(
            "警告: 受講者ID を {} に保存できませんでした(フォルダに書き込めません)。この書き出しの受講者IDは次の書き出しとは別になります。フォルダを書き込めるようにすると(例: chmod u+w)、次から同じIDになります",
            path.display()
        );
    }
    Ok(id)
}

fn shown(path: &std::path::Path) -> String {
    if path == std::path::Path::new("-") {
        "標準出力".into()
    } else {
        path.display().to_string()
    }
}

/// Writes an export: `-` is standard output; an existing file is kept unless `force` (false
/// when it refused, after saying why).
pub(crate) fn write(path: &std::path::Path, text: &str, force: bool) -> Result<bool> {
    if path == std::path::Path::new("-") {
        crate::cli::out::stdout_raw(text);
        return Ok(true);
    }
    if path.exists() && !force {
        errln!(
            "エラー: {} はもうあります。上書きするには --force を付けてください",
            path.display()
        );
        return Ok(false);
    }
    std::fs::write(path, text).with_context(|| format!("{} に書き込めません", path.display()))?;
    Ok(true)
}

/// `shikaku import`: merges a JSON export (by item + time) and recomputes the state.
pub fn import(ctx: &Ctx, args: ImportArgs) -> Result<ExitCode> {
    let text = crate::content::source::read_bounded_text(&args.file)
        .with_context(|| format!("{} を読めません", args.file.display()))?;
    let reviews = srs::exchange::parse_import(&text, &args.file)?;
    srs::exchange::check_times(&reviews, &args.file, now()?)?;
    let mut store = open(ctx)?;
    let report = store.import(&reviews)?;
    let skipped = if report.duplicates > 0 {
        format!("(すでにあった{}件は飛ばしました)", report.duplicates)
    } else {
        String::new()
    };
    outln!(
        "{}件の復習を取り込みました{skipped}。{}項目の状態を計算し直しました",
        report.added,
        report.items
    );
    Ok(ExitCode::SUCCESS)
}

/// `shikaku optimize`: personal FSRS parameters, saved only if they predict better.
pub fn optimize(ctx: &Ctx, args: OptimizeArgs) -> Result<ExitCode> {
    let mut store = open(ctx)?;
    let outcome = srs::optimize::optimize(&mut store)?;
    if args.json {
        print_json(&outcome)?;
        return Ok(ExitCode::SUCCESS);
    }
    use srs::optimize::Outcome;
    match outcome {
        Outcome::NotEnough { have, need } => outln!(
            "最適化には長期の復習(前回と別の日の復習)が{need}回必要です。いまは{have}回なので、あと{}回必要です",
            need - have
        ),
        Outcome::Improved { before, after, .. } => outln!(
            "ログ損失: いまのパラメータ {before:.4} → 最適化後 {after:.4}。予測が良くなったので新しいパラメータを保存しました"
        ),
        Outcome::NotImproved { before, after } => outln!(
            "ログ損失: いまのパラメータ {before:.4} → 最適化後 {after:.4}。良くならなかったので、パラメータは変えていません"
        ),
    }
    Ok(ExitCode::SUCCESS)
}
