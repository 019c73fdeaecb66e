//! Embeds the default content (content/, quizzes/, assets/exams/) into the binary: writes a
//! table of `(repo-relative path, include_str!(…))` so an installed binary works anywhere, and a
//! hash of the content model that keys the parsed-content cache.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const TREES: [&str; 3] = ["content", "quizzes", "assets/exams"];

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "json")
        ) {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for tree in TREES {
        // A directory makes cargo rescan it for any change, added files included.
        println!("cargo:rerun-if-changed={tree}");
        collect(&root.join(tree), &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// The embedded default content: (repo-relative path, text).\npub static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let rel = file.strip_prefix(&root).expect("under the manifest dir");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    // The content model's source, hashed: a parsed-content cache written for another model is
    // ignored (see src/content/cache.rs).
    println!("cargo:rerun-if-changed=src/content/model.rs");
    let model = std::fs::read(root.join("src/content/model.rs")).expect("read model.rs");
    let hash = model.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    writeln!(
        code,
        "/// A hash of the content model's source (src/content/model.rs).\npub const MODEL_HASH: u64 = {hash:#x};"
    )
    .unwrap();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("embedded.rs");
    std::fs::write(out, code).expect("write embedded.rs");
}
