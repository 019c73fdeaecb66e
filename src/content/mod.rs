//! Content: the model, loading (embedded defaults + extra directories), validation with
//! instructor diagnostics, and lookup by id.

pub mod cache;
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
pub use load::{Base, Loaded, Sources, load, load_cached};
pub use model::*;

use serde::Serialize;

/// A stable 64-bit fingerprint of an item (FNV-1a over its JSON), used to notice edits.
///
/// The JSON is hashed as it is written, never held whole (this runs for every item at start-up).
pub fn fingerprint(item: &impl Serialize) -> u64 {
    struct Fnv(u64);
    impl std::io::Write for Fnv {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            for byte in bytes {
                self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
            }
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    if serde_json::to_writer(&mut hasher, item).is_err() {
        // As the JSON of a value that cannot be written was: no bytes.
        return 0xcbf2_9ce4_8422_2325;
    }
    hasher.0
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
