//! shikaku (資格): a terminal study app for AWS certifications in Japanese, with a live policy
//! simulator behind every question.
//!
//! The library holds everything; `src/main.rs` only parses the command line and calls [`cli::run`].

pub mod app;
pub mod cli;
pub mod config;
pub mod content;
pub mod layout;
pub mod paths;
pub mod sim;
pub mod srs;
pub mod strings;
pub mod suggest;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;

/// The layers point one way: `app` (state and update) never reaches into `ui` (drawing) or
/// `cli`, and `tui` (the runtime) never into `cli`. What both sides need lives in `strings`,
/// `layout` and `theme`.
#[cfg(test)]
mod layers {
    use std::path::Path;

    /// Every `.rs` file under `dir` with the lines that name one of `forbidden`.
    fn offenders(dir: &str, forbidden: &[&str]) -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
        let mut found = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("source dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source");
                    for (n, line) in text.lines().enumerate() {
                        let code = line.split("//").next().unwrap_or("").replace(' ', "");
                        if forbidden.iter().any(|f| code.contains(f)) {
                            found.push(format!("{}:{}: {line}", path.display(), n + 1));
                        }
                    }
                }
            }
        }
        found
    }

    #[test]
    fn app_never_uses_ui_or_cli() {
        let found = offenders(
            "app",
            &[
                "crate::ui",
                "crate::cli",
                "crate::{ui",
                "crate::{cli",
                "super::super::ui",
            ],
        );
        assert!(
            found.is_empty(),
            "app reaches into ui or cli:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn tui_never_uses_cli() {
        let found = offenders("tui", &["crate::cli", "crate::{cli"]);
        assert!(
            found.is_empty(),
            "tui reaches into cli:\n{}",
            found.join("\n")
        );
    }
}
