use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = shikaku::cli::parse();
    match shikaku::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            shikaku::cli::out::stderr(format_args!("エラー: {err:#}\n"));
            ExitCode::from(2)
        }
    }
}
