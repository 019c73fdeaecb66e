//! Instructors' commands driven through the real binary: `new question` skeletons that `lint`
//! accepts, and `items` statistics over learners' exports.

use std::path::Path;
use std::process::Command;

/// Runs the binary outside the repository (embedded content) with its own data and config.
fn shikaku(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shikaku"))
        .args(args)
        .current_dir(dir)
        .env("SHIKAKU_DATA", dir.join("data"))
        .env("SHIKAKU_CONFIG", dir.join("config.toml"))
        .env("SHIKAKU_NOW", "2026-12-03T10:00:00+09:00")
        .env_remove("SHIKAKU_CONTENT")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_new_question_of_every_type_passes_lint_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["single", "multi", "order", "match"] {
        let sub = dir.path().join(kind);
        std::fs::create_dir(&sub).unwrap();
        let file = sub.join("q.toml");
        let file = file.to_str().unwrap();
        let (code, _, err) = shikaku(
            dir.path(),
            &[
                "new", "question", "--domain", "iam", "--type", kind, "--out", file,
            ],
        );
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.starts_with("#:schema "), "{text}");
        assert!(text.contains("task = \"4.1\""), "{text}");
        assert!(text.contains("id = \"q-iam-20261203-1\""), "{text}");
        let (code, out, _) = shikaku(dir.path(), &["lint", "--format", "json", file]);
        assert_eq!(code, 0, "{kind}: {out}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["errors"], 0, "{kind}: {out}");
        assert_eq!(json["warnings"], 0, "{kind}: {out}");
    }
}

#[test]
fn a_second_skeleton_in_the_same_folder_gets_a_fresh_id_and_a_task_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a.toml");
    let second = dir.path().join("b.toml");
    for (file, extra) in [(&first, None), (&second, Some("4.2"))] {
        let mut args = vec!["new", "question", "--domain", "iam", "--out"];
        args.push(file.to_str().unwrap());
        if let Some(task) = extra {
            args.extend(["--task", task]);
        }
        let (code, _, err) = shikaku(dir.path(), &args);
        assert_eq!(code, 0, "{err}");
    }
    let text = std::fs::read_to_string(&second).unwrap();
    assert!(text.contains("id = \"q-iam-20261203-2\""), "{text}");
    assert!(text.contains("task = \"4.2\""), "{text}");
    // Refuses to overwrite, and names what is wrong for a bad domain or task.
    let (code, _, err) = shikaku(
        dir.path(),
        &[
            "new",
            "question",
            "--domain",
            "iam",
            "--out",
            first.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = shikaku(dir.path(), &["new", "question", "--domain", "iamm"]);
    assert_eq!(code, 2);
    assert!(err.contains("`iam` のことですか"), "{err}");
    let (code, _, err) = shikaku(
        dir.path(),
        &["new", "question", "--domain", "iam", "--task", "5.1"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("4.1, 4.2"), "{err}");
    // Without --out the skeleton goes to stdout.
    let (code, out, _) = shikaku(dir.path(), &["new", "question", "--domain", "detection"]);
    assert_eq!(code, 0);
    assert!(out.contains("domain = \"detection\""), "{out}");
}
