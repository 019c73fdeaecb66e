//! Content: the model, loading (embedded defaults + extra directories), validation with
//! instructor diagnostics, and lookup by id.

pub mod coverage;
pub mod diagnostic;
pub mod gift;
pub mod library;
pub mod load;
pub mod model;
pub mod schema;
pub mod search;
pub mod source;
pub mod structure;
pub mod validate;

pub use diagnostic::{Diagnostic, Location, Severity};
pub use library::{ItemKind, Library, ScenarioEntry};
pub use load::{Base, Loaded, Sources, load};
pub use model::*;

use serde::Serialize;

/// A stable 64-bit fingerprint of an item (FNV-1a over its JSON), used to notice edits.
pub fn fingerprint(item: &impl Serialize) -> u64 {
    let json = serde_json::to_vec(item).unwrap_or_default();
    json.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A short fingerprint of a library's questions (16 hex digits): two exports with the same
/// version were answered against the same questions.
pub fn content_version(library: &Library) -> String {
    format!("{:016x}", fingerprint(&library.questions))
}

/// The embedded content, loaded and merged (its problems are checked by the test suite).
pub fn load_embedded() -> Library {
    load(&Sources::embedded_with(Vec::new())).library
}
