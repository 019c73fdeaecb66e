//! `shikaku import-gift FILE`: a Moodle GIFT bank as our TOML (`export --format gift` is the
//! other direction, in progress.rs).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::content::gift;

/// `shikaku import-gift FILE [--domain KEY] [--out FILE]`
#[derive(Debug, Args)]
pub struct ImportGiftArgs {
    /// A GIFT file (Moodle's question bank export).
    #[arg(help = "GIFT 形式のファイル(Moodle の問題バンクの書き出し)(file)")]
    pub file: PathBuf,
    /// The domain for questions that name none.
    #[arg(
        help = "分野のキー(GIFT のコメントで分野がわからない問題に使う)(domain)",
        long
    )]
    pub domain: Option<String>,
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

/// Runs `import-gift`: exit 0 with TOML written, 2 when the file cannot be read.
pub fn run(args: ImportGiftArgs) -> Result<ExitCode> {
    let text = match crate::content::source::read_bounded_text(&args.file) {
        Ok(text) => text,
        Err(e) => {
            errln!("エラー: {} を読めません({e})", args.file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let (file, notes) = gift::import(&text, args.domain.as_deref());
    let mut out = String::from(
        "#:schema ./shikaku.schema.json\n# Moodle GIFT から取り込みました。`shikaku lint` で足りないところ(分野・タスク・誤答の why など)を確かめてください。\n",
    );
    for note in &notes {
        out.push_str(&format!(
            "# GIFT {}行目: {}\n",
            note.line,
            note.message.replace('\n', " ")
        ));
        errln!("{}:{}: {}", args.file.display(), note.line, note.message);
    }
    out.push('\n');
    out.push_str(&toml::to_string(&file)?);
    let said = format!(
        "{}問を取り込みました(取り込めなかったもの・足りないもの {} 件)",
        file.questions.len(),
        notes.len()
    );
    match &args.out {
        None => crate::cli::out::stdout_raw(&out),
        Some(path) => {
            if !super::progress::write(path, &out, args.force)? {
                return Ok(ExitCode::from(2));
            }
        }
    }
    errln!("{said}");
    Ok(ExitCode::SUCCESS)
}
