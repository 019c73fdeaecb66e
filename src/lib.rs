//! shikaku (資格): a terminal study app for AWS certifications in Japanese, with a live policy
//! simulator behind every question.
//!
//! The library holds everything; `src/main.rs` only parses the command line and calls [`cli::run`].

pub mod app;
pub mod cli;
pub mod config;
pub mod content;
pub mod paths;
pub mod sim;
pub mod srs;
pub mod text;
pub mod tui;
pub mod ui;
