use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = shikaku::cli::Cli::parse();
    match shikaku::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("エラー: {err:#}");
            ExitCode::from(2)
        }
    }
}
