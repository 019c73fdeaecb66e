//! `shikaku new question`: a skeleton question that `lint` accepts as it is — a fresh id, the
//! `#:schema` line, the blueprint's task and every required field — for an instructor to fill in.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::Ctx;
use crate::content::Library;
use crate::content::model::{Blueprint, QuestionType};
use crate::suggest::did_you_mean;

/// `shikaku new …`
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A skeleton question.
    #[command(about = "問題のひな形を出力する(skeleton question)")]
    Question(QuestionArgs),
}

/// `shikaku new question --domain KEY [--type T] [--task X.Y] [--out FILE]`
#[derive(Debug, Args)]
pub struct QuestionArgs {
    /// A domain key of the blueprint, e.g. iam.
    #[arg(help = "分野のキー(例: iam)(domain)", long)]
    pub domain: String,
    /// single (default), multi, order or match.
    #[arg(
        help = "問題の種類: single(既定)・multi・order・match(type)",
        long = "type",
        value_parser = parse_type,
        default_value = "single"
    )]
    pub kind: QuestionType,
    /// The exam guide's task (default: the domain's first).
    #[arg(
        help = "試験ガイドのタスク番号(既定: その分野の最初のタスク)(task)",
        long
    )]
    pub task: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(
        help = "標準出力ではなくファイルに書く(file)",
        long,
        value_name = "FILE"
    )]
    pub out: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(help = "同じ名前のファイルがあっても上書きする(overwrite)", long)]
    pub force: bool,
}

fn parse_type(text: &str) -> Result<QuestionType, String> {
    match text {
        "single" => Ok(QuestionType::Single),
        "multi" => Ok(QuestionType::Multi),
        "order" => Ok(QuestionType::Order),
        "match" => Ok(QuestionType::Match),
        _ => Err("single・multi・order・match のどれかです".into()),
    }
}

/// Runs `new`.
pub fn run(ctx: &Ctx, cmd: NewCommand) -> Result<ExitCode> {
    match cmd {
        NewCommand::Question(args) => question(ctx, args),
    }
}

fn question(ctx: &Ctx, args: QuestionArgs) -> Result<ExitCode> {
    // Quietly: the skeleton needs the blueprints and the ids in use, not a report on content.
    // The folder it is written to counts too, so a second skeleton there gets the next id.
    let mut sources = ctx.sources();
    if let Some(dir) = args.out.as_ref().and_then(|p| p.parent())
        && dir.is_dir()
    {
        sources.layers.push(dir.to_path_buf());
    }
    let library = crate::content::load(&sources).library;
    let Some(blueprint) = library
        .blueprints
        .iter()
        .find(|b| b.domains.iter().any(|d| d.key == args.domain))
    else {
        let keys = library.domain_keys();
        let mut list: Vec<&str> = keys.iter().copied().collect();
        list.sort_unstable();
        let hint = did_you_mean(&args.domain, list.iter().copied())
            .map(|h| format!("{h} "))
            .unwrap_or_default();
        errln!(
            "エラー: 分野 `{}` はありません。{hint}(使える分野: {})",
            args.domain,
            list.join(", ")
        );
        return Ok(ExitCode::from(2));
    };
    let tasks: Vec<&str> = blueprint
        .tasks
        .iter()
        .filter(|t| t.domain == args.domain)
        .map(|t| t.id.as_str())
        .collect();
    let task = match &args.task {
        Some(task) if !tasks.is_empty() && !tasks.contains(&task.as_str()) => {
            errln!(
                "エラー: タスク `{task}` は分野 `{}` にありません(この分野: {})",
                args.domain,
                tasks.join(", ")
            );
            return Ok(ExitCode::from(2));
        }
        Some(task) => Some(task.clone()),
        None => tasks.first().map(|t| t.to_string()),
    };
    let date = super::progress::now()?.to_rfc3339();
    let day: String = date.chars().take(10).filter(char::is_ascii_digit).collect();
    let id = fresh_id(&library, &args.domain, &day);
    let text = skeleton(&Skeleton {
        id: &id,
        kind: args.kind,
        domain: &args.domain,
        task: task.as_deref(),
        blueprint,
    });
    match &args.out {
        None => crate::cli::out::stdout_raw(&text),
        Some(path) => {
            if !super::progress::write(path, &text, args.force)? {
                return Ok(ExitCode::from(2));
            }
            errln!(
                "問題 `{id}` のひな形を {} に書きました。「(…)」を書き換えて `shikaku lint {}` で確かめてください",
                path.display(),
                path.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `q-<domain>-<yyyymmdd>-<n>` with the smallest `n` no loaded question uses.
pub fn fresh_id(library: &Library, domain: &str, day: &str) -> String {
    (1..)
        .map(|n| format!("q-{domain}-{day}-{n}"))
        .find(|id| library.question(id).is_none())
        .unwrap_or_default()
}

/// What a skeleton is made of.
pub struct Skeleton<'a> {
    /// The fresh id.
    pub id: &'a str,
    /// The question type.
    pub kind: QuestionType,
    /// The domain key.
    pub domain: &'a str,
    /// The task, when the blueprint lists tasks.
    pub task: Option<&'a str>,
    /// The blueprint the domain belongs to (task titles for the comment).
    pub blueprint: &'a Blueprint,
}

/// The TOML text of a skeleton question.
pub fn skeleton(s: &Skeleton<'_>) -> String {
    let mut out = String::from(
        "#:schema ./shikaku.schema.json\n\
         # `shikaku schema > shikaku.schema.json` でスキーマを作ると、エディタで補完と検査が効きます。\n\
         # 「(…)」を書き換えてから `shikaku lint このファイル` で確かめてください。\n\n\
         [[questions]]\n",
    );
    out.push_str(&format!(
        "id = \"{}\"   # 変えない id。学習記録はこの id で保存されます\n",
        s.id
    ));
    out.push_str(&format!(
        "type = \"{}\"\ndomain = \"{}\"\n",
        s.kind.as_str(),
        s.domain
    ));
    if let Some(task) = s.task {
        let title = s
            .blueprint
            .tasks
            .iter()
            .find(|t| t.id == task)
            .map_or("", |t| t.title.as_str());
        out.push_str(&format!(
            "task = \"{task}\"   # 試験ガイドのタスク: {title}\n"
        ));
    }
    out.push_str(
        "topics = []   # 関連するトピックカードの id\n\
         no_scenario = \"(シミュレータで示せない理由)\"   # 示せるなら代わりに scenario = \"シナリオの id\"\n",
    );
    let prompt = match s.kind {
        QuestionType::Single => "(場面と問い。どうするべきか。)",
        QuestionType::Multi => "(場面と問い。正しいものはどれか。)(2つ選択)",
        QuestionType::Order => "(場面と問い。正しい順に並べよ。)",
        QuestionType::Match => "(場面と問い。それぞれを対応付けよ。)",
    };
    out.push_str(&format!(
        "prompt = \"\"\"{prompt}\"\"\"\n\
         explanation = \"\"\"(正解の理由)\"\"\"\n\
         sources = [\"https://docs.aws.amazon.com/\"]   # 根拠にした AWS ドキュメントの URL\n"
    ));
    let choice = |id: &str, text: &str, correct: bool| {
        if correct {
            format!("\n[[questions.choices]]\nid = \"{id}\"\ntext = \"{text}\"\ncorrect = true\n")
        } else {
            format!(
                "\n[[questions.choices]]\nid = \"{id}\"\ntext = \"{text}\"\nwhy = \"(この選択肢が誤りである理由)\"\n"
            )
        }
    };
    match s.kind {
        QuestionType::Single => {
            out.push_str(&choice("a", "(正解の選択肢)", true));
            out.push_str(&choice("b", "(誤りの選択肢1)", false));
            out.push_str(&choice("c", "(誤りの選択肢2)", false));
            out.push_str(&choice("d", "(誤りの選択肢3)", false));
        }
        QuestionType::Multi => {
            out.push_str("pick = 2   # correct = true の数と同じにします\n");
            out.push_str(&choice("a", "(正解の選択肢1)", true));
            out.push_str(&choice("b", "(正解の選択肢2)", true));
            out.push_str(&choice("c", "(誤りの選択肢1)", false));
            out.push_str(&choice("d", "(誤りの選択肢2)", false));
            out.push_str(&choice("e", "(誤りの選択肢3)", false));
        }
        QuestionType::Order => out.push_str(
            "items = [\"(手順A)\", \"(手順B)\", \"(手順C)\"]   # 正しい順に。画面ではシャッフルされます\n",
        ),
        QuestionType::Match => out.push_str(
            "pairs = [\n  { left = \"(左A)\", right = \"(右A)\" },\n  { left = \"(左B)\", right = \"(右B)\" },\n  { left = \"(左C)\", right = \"(右C)\" },\n]\n",
        ),
    }
    out
}
