//! `shikaku sync [DIR] [--status] [--json]`: merge progress through a folder that Syncthing,
//! Dropbox, iCloud Drive or git keeps in step. DIR overrides `sync_dir` in the config.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Ctx;
use crate::srs::sync::{SyncError, SyncReport, SyncStatus};
use crate::srs::{Moment, Store};

/// `shikaku sync [DIR] [--status] [--json]`
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The sync folder (default: `sync_dir` in the config).
    #[arg(help = "同期フォルダ(既定: 設定ファイルの sync_dir)(sync folder)")]
    pub dir: Option<PathBuf>,
    /// Only show the devices seen and how far behind this one is; write nothing.
    #[arg(
        help = "見つかった端末と、この端末がどれだけ遅れているかを表示する(何も書き込まない)(status)",
        long
    )]
    pub status: bool,
    /// Print one JSON object.
    #[arg(help = "1つの JSON オブジェクトで出力する(json)", long)]
    pub json: bool,
}

/// "Now": `SHIKAKU_NOW` when set (tests), else the system clock.
fn now() -> Result<Moment> {
    match std::env::var("SHIKAKU_NOW") {
        Ok(text) if !text.is_empty() => Moment::parse_rfc3339(&text).map_err(anyhow::Error::msg),
        _ => Ok(Moment::from_zoned(&jiff::Zoned::now())),
    }
}

/// Runs `shikaku sync`.
pub fn run(ctx: &Ctx, args: SyncArgs) -> Result<ExitCode> {
    let config = ctx.config();
    let Some(folder) = args.dir.clone().or(config.sync_dir) else {
        errln!("エラー: {}", SyncError::NoFolder);
        return Ok(ExitCode::from(2));
    };
    let now = now()?;
    let mut store = Store::open_in(&ctx.data_dir()?, config.settings)?;
    if args.status {
        return match store.sync_status(&folder, now) {
            Ok(status) => show_status(&status, args.json),
            Err(err) => refused(err),
        };
    }
    match store.sync_folder(&folder, now) {
        Ok(report) => show_report(&report, args.json),
        Err(err) => refused(err),
    }
}

fn refused(err: SyncError) -> Result<ExitCode> {
    match err {
        SyncError::Store(err) => Err(err.into()),
        other => {
            errln!("エラー: {other}");
            Ok(ExitCode::from(2))
        }
    }
}

fn show_report(report: &SyncReport, json: bool) -> Result<ExitCode> {
    let code = if report.notices.iter().any(|n| n.is_failure()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    if json {
        crate::cli::out::json(report)?;
        return Ok(code);
    }
    outln!("この端末: {}", report.device);
    outln!(
        "{}",
        report
            .summary()
            .unwrap_or_else(|| "別の端末から新しい記録はありませんでした".into())
    );
    outln!("この端末の記録 {}件を同期フォルダに書きました", report.sent);
    for notice in &report.notices {
        errln!("注意: {notice}");
    }
    Ok(code)
}

fn show_status(status: &SyncStatus, json: bool) -> Result<ExitCode> {
    if json {
        crate::cli::out::json(status)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("同期フォルダ: {}", status.folder);
    outln!(
        "前回の同期: {}",
        status
            .last_sync
            .as_deref()
            .unwrap_or("まだ同期していません")
    );
    outln!("端末:");
    for d in &status.devices {
        let last = d.last_event.as_deref().unwrap_or("記録なし");
        if d.this_device {
            outln!(
                "  {}(この端末)  記録 {}件  最後の記録 {last}  まだ送っていない復習 {}件",
                d.device,
                d.events,
                d.behind
            );
        } else {
            outln!(
                "  {}  記録 {}件  最後の記録 {last}  まだ取り込んでいない復習 {}件",
                d.device,
                d.events,
                d.behind
            );
        }
    }
    for notice in &status.notices {
        errln!("注意: {notice}");
    }
    Ok(ExitCode::SUCCESS)
}
