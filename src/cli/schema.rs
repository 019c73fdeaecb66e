//! `shikaku schema`: the JSON Schema of content, blueprint and scenario files, for taplo /
//! Even Better TOML (`#:schema ./shikaku.schema.json` at the top of a file).

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};

use crate::content::schema;

/// Which file kind's schema to print.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum SchemaKind {
    /// Any shikaku file (the default).
    #[default]
    All,
    /// Cards, questions and misconceptions.
    Content,
    /// Exam blueprints.
    Blueprint,
    /// Simulator scenarios.
    Scenario,
}

/// `shikaku schema [--kind …]`
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// all (default), content, blueprint or scenario.
    #[arg(long, value_enum, default_value = "all")]
    pub kind: SchemaKind,
}

/// Prints the schema as pretty JSON.
pub fn run(args: SchemaArgs) -> Result<ExitCode> {
    let value = match args.kind {
        SchemaKind::All => schema::combined(),
        SchemaKind::Content => schema::content_file(),
        SchemaKind::Blueprint => schema::blueprint(),
        SchemaKind::Scenario => schema::scenario(),
    };
    crate::cli::out::json(&value)?;
    Ok(ExitCode::SUCCESS)
}
