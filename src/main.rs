use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = shikaku::cli::Cli::parse();
    match shikaku::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            shikaku::cli::out::stderr(format_args!("エラー: {err:#}\n"));
            ExitCode::from(2)
        }
    }
}
