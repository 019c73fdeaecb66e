//! The command line as a user (or an attacker) drives it: the real binary with untrusted input,
//! its output read back byte for byte.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// A data and a config directory of its own, outside the repository.
struct Home {
    data: tempfile::TempDir,
    config: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Self {
            data: tempfile::tempdir().unwrap(),
            config: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shikaku"));
        cmd.args(args)
            .current_dir(self.config.path())
            .env("SHIKAKU_DATA", self.data.path())
            .env("SHIKAKU_CONFIG", self.config.path())
            .env_remove("SHIKAKU_CONTENT");
        cmd
    }

    /// Runs to the end at a fixed "now" (`SHIKAKU_NOW`).
    fn run_with_now(&self, args: &[&str], now: &str) -> (i32, String, String) {
        let out = self.command(args).env("SHIKAKU_NOW", now).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs to the end; returns (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.command(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

const ESC: char = '\u{1b}';

fn assert_no_raw_controls(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| shikaku::text::is_terminal_control(c) && c != '\n' && c != '\t')
        .collect();
    assert!(
        bad.is_empty(),
        "{what} printed raw controls {bad:?}:\n{text}"
    );
}

#[test]
fn a_policy_sid_with_an_escape_sequence_is_shown_not_obeyed_by_sim_eval() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evil.json");
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": format!("A{ESC}]0;pwned\u{7}"), "Effect": "Allow",
                       "Action": "s3:GetObject", "Resource": "*"}]
    })
    .to_string();
    let scenario = serde_json::json!({
        "id": "evil",
        "title": format!("title{ESC}[2J"),
        "kind": "iam",
        "request": {
            "action": "s3:GetObject",
            "principal": {"type": "iam-user", "arn": "arn:aws:iam::111111111111:user/a", "account": "111111111111"},
            "resource": {"arn": "arn:aws:s3:::b/k", "account": "111111111111"}
        },
        "policies": {"identity": [policy]}
    });
    std::fs::write(&file, scenario.to_string()).unwrap();
    let (code, out, err) = home.run(&["sim", "eval", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_no_raw_controls("sim eval", &out);
    assert!(
        out.contains("\\x1b]0;pwned\\x07"),
        "the Sid is shown escaped:\n{out}"
    );
    let (_, json, _) = home.run(&["sim", "eval", file.to_str().unwrap(), "--json"]);
    assert_no_raw_controls("sim eval --json", &json);
    serde_json::from_str::<serde_json::Value>(&json).expect("still valid JSON");
}

#[test]
fn a_content_line_with_an_escape_sequence_is_echoed_escaped_by_lint() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        format!("[[cards]]\nid = \"x\"\ntitel = \"{ESC}]0;pwned{ESC}\\\\ \u{9b}2J\"\n"),
    )
    .unwrap();
    let (code, out, err) = home.run(&["lint", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert_no_raw_controls("lint", &out);
    assert_no_raw_controls("lint (stderr)", &err);
    assert!(out.contains("\\x1b]0;pwned"), "{out}");
    let (_, json, _) = home.run(&["lint", file.to_str().unwrap(), "--format", "json"]);
    assert_no_raw_controls("lint --format json", &json);
}

#[test]
fn an_imported_item_id_with_an_escape_sequence_is_shown_escaped_by_stats_and_card() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("import.json");
    let id = format!("q-evil{ESC}]0;pwned\u{7}");
    let export = serde_json::json!({
        "reviews": [{"item": id, "time": "2026-01-05T10:00:00+09:00", "rating": 1}]
    });
    std::fs::write(&file, export.to_string()).unwrap();
    let (code, _, err) = home.run(&["import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, stats, err) = home.run(&["stats"]);
    assert_no_raw_controls("stats", &stats);
    assert_no_raw_controls("stats (stderr)", &err);
    assert!(stats.contains("q-evil\\x1b]0;pwned\\x07"), "{stats}");
    let (_, card, err) = home.run(&["card", &id]);
    assert_no_raw_controls("card", &card);
    assert_no_raw_controls("card (stderr)", &err);
}

/// Starts `shikaku ARGS` with its stdout on a pipe whose reader has already gone, as
/// `shikaku ARGS | head -1` is once `head` has its line.
fn run_into_closed_pipe(home: &Home, args: &[&str]) -> (i32, String) {
    let mut child = home
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), err)
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_instead_of_panicking() {
    let home = Home::new();
    for args in [
        &["sim", "list"][..],
        &["stats"],
        &["schema"],
        &["lint", "--summary"],
    ] {
        let (code, err) = run_into_closed_pipe(&home, args);
        assert_ne!(code, 101, "{args:?} panicked: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
    }
}

/// Runs to the end or fails the test after 30 s (a hang is the bug these tests look for).
fn run_bounded(home: &Home, args: &[&str]) -> (i32, String, String) {
    let mut child = home
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("`shikaku {}` hung", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn symlink_loops_and_fifos_in_a_content_dir_are_reported_not_followed_forever() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::os::unix::fs::symlink(&content, content.join("a")).unwrap();
    std::os::unix::fs::symlink(&content, content.join("b")).unwrap();
    let fifo = content.join("x.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let (code, out, err) = run_bounded(&home, &["lint", content.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("ループ"), "the loop is named:\n{out}");
    assert!(
        out.contains("通常のファイルではありません"),
        "the FIFO is named:\n{out}"
    );
    let (code, _, err) = run_bounded(&home, &["stats", "--content", content.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn sim_eval_of_an_endless_device_is_refused_instead_of_reading_forever() {
    let home = Home::new();
    let (code, _, err) = run_bounded(&home, &["sim", "eval", "/dev/zero"]);
    assert_eq!(code, 2);
    assert!(err.contains("通常のファイルではありません"), "{err}");
}

#[test]
fn an_unknown_id_is_a_bad_argument_with_a_suggestion_for_card_and_sim_show() {
    let home = Home::new();
    let (code, _, err) = home.run(&["card", "q-kms-viaservic"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("q-kms-viaservice"), "did you mean: {err}");
    let (code, _, err) = home.run(&["sim", "show", "sg-ssh-admin-onl"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("sg-ssh-admin-only"), "did you mean: {err}");
}

#[test]
fn export_never_overwrites_without_force_and_dash_writes_stdout() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.json");
    std::fs::write(&file, "precious").unwrap();
    let (code, _, err) = home.run(&["export", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
    let (code, _, err) = home.run(&["export", "--force", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&file).unwrap().contains("reviews"));
    let (code, out, err) = home.run(&["export", "-"]);
    assert_eq!(code, 0, "{err}");
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("stdout is the export alone");
    assert!(parsed["reviews"].is_array());
}

#[test]
fn config_errors_are_reported_as_config_errors_by_every_command_and_lint() {
    let home = Home::new();
    let file = home.config.path().join("my-config.toml");
    std::fs::write(&file, "daily_new_limit = 3\nretenton = 0.8\n").unwrap();
    // SHIKAKU_CONFIG may name the file itself.
    let run = |args: &[&str]| {
        let out = home
            .command(args)
            .env("SHIKAKU_CONFIG", &file)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, err) = run(&["stats"]);
    assert_eq!(code, 0, "the valid settings still apply: {err}");
    assert!(err.contains("my-config.toml:2:1"), "path:line:col: {err}");
    assert!(err.contains("retention"), "did you mean: {err}");
    let (code, out, _) = run(&["lint"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("my-config.toml:2:1"), "{out}");
}

#[test]
fn an_import_dated_in_2200_or_9999_is_refused_with_the_allowed_range() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    for (year, expected) in [("2200", "までにしてください"), ("9999", "範囲の外")] {
        let file = dir.path().join(format!("{year}.json"));
        let export = serde_json::json!({
            "reviews": [{"item": "q-x", "time": format!("{year}-12-31T23:59:59+09:00"), "rating": 3}]
        });
        std::fs::write(&file, export.to_string()).unwrap();
        let (code, _, err) = home.run(&["import", file.to_str().unwrap()]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(expected), "{year}: {err}");
    }
    let (_, stats, _) = home.run(&["stats", "--json"]);
    assert!(!stats.contains("q-x"), "nothing was imported: {stats}");
}

#[test]
fn today_prints_the_queue_the_study_screen_will_show_with_why_each_is_there() {
    use shikaku::srs::{Moment, NewReview, Rating, Settings, Store};
    let home = Home::new();
    let now = "2026-12-01T09:30:00+09:00";
    let library = shikaku::content::load_embedded();
    let card = library.cards[0].id.clone();
    {
        let mut store = Store::open_in(home.data.path(), Settings::default()).unwrap();
        store
            .record(&NewReview {
                item: card.clone(),
                at: Moment::parse_rfc3339("2026-12-01T09:00:00+09:00").unwrap(),
                rating: Rating::Again,
                answer_ms: None,
                chosen: vec![],
                fingerprint: None,
            })
            .unwrap();
    }
    let (code, out, err) = home.run_with_now(&["today", "--json"], now);
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let printed: Vec<&str> = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    // The TUI's own queue for the same store and moment.
    let mut store = Store::open_in(home.data.path(), Settings::default()).unwrap();
    let progress =
        shikaku::tui::effects::load_progress(&mut store, &library, Settings::default()).unwrap();
    let tui: Vec<String> = progress
        .today(Moment::parse_rfc3339(now).unwrap())
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(printed, tui);
    let first = &plan["items"][0];
    assert_eq!(first["id"], card.as_str());
    assert_eq!(first["reason"], "learning");
    assert_eq!(first["kind"], "card");
    assert!(first["domain"].is_string());
    assert!(
        first["why"].as_str().unwrap().contains("学習ステップ"),
        "{first}"
    );
    assert_eq!(plan["date"], "2026-12-01");
    assert_eq!(plan["counts"]["learning"], 1);
    let led = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["follows"].is_string())
        .expect("a new question that follows its card");
    assert!(
        led["why"].as_str().unwrap().contains("のあとに解く"),
        "{led}"
    );
    // The text form says the same, one item per entry.
    let (code, text, _) = home.run_with_now(&["today"], now);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("今日の学習(2026-12-01): 学習中 1"),
        "{text}"
    );
    assert!(text.contains(&card), "{text}");
    assert_no_raw_controls("today", &text);
}

/// Runs shikaku as an ordinary user: root writes through permission bits, so when the tests run
/// as root the commands run as `nobody` (setpriv) in directories handed to it. `None` when that
/// is impossible (root without setpriv): the caller cannot test permissions then.
fn unprivileged(home: &Home) -> Option<impl Fn(&[&str]) -> (i32, String, String) + '_> {
    use std::os::unix::fs::MetadataExt;
    let probe = home.config.path().join("uid-probe");
    std::fs::write(&probe, "").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    std::fs::remove_file(&probe).unwrap();
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    if root {
        setpriv?;
        for dir in [home.data.path(), home.config.path()] {
            std::os::unix::fs::chown(dir, Some(65534), Some(65534)).unwrap();
        }
    }
    Some(move |args: &[&str]| {
        let mut cmd = match (root, setpriv) {
            (true, Some(setpriv)) => {
                let mut cmd = Command::new(setpriv);
                cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                    .arg(env!("CARGO_BIN_EXE_shikaku"));
                cmd
            }
            _ => Command::new(env!("CARGO_BIN_EXE_shikaku")),
        };
        let out = cmd
            .args(args)
            .current_dir(home.config.path())
            .env("SHIKAKU_DATA", home.data.path())
            .env("SHIKAKU_CONFIG", home.config.path())
            .env("SHIKAKU_NOW", "2026-11-22T10:00:00+09:00")
            .env_remove("SHIKAKU_CONTENT")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
}

#[test]
fn a_read_only_store_or_folder_still_answers_the_reading_commands_and_leaves_nothing_stale() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let Some(run) = unprivileged(&home) else {
        eprintln!("skipped: running as root without setpriv, permissions cannot be tested");
        return;
    };
    let import = home.config.path().join("import.json");
    std::fs::write(
        &import,
        r#"{"reviews":[{"item":"scp","time":"2026-11-20T10:00:00+09:00","rating":3}]}"#,
    )
    .unwrap();
    std::os::unix::fs::chown(&import, Some(65534), Some(65534)).ok();
    let import = import.to_str().unwrap().to_string();
    let (code, _, err) = run(&["import", &import]);
    assert_eq!(code, 0, "{err}");
    let data = home.data.path();
    let db = data.join("progress.sqlite3");
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    for (what, target, locked, open) in [
        ("the file", db.clone(), 0o444, 0o644),
        ("the folder", data.to_path_buf(), 0o555, 0o755),
    ] {
        mode(&target, locked);
        let reading = [
            vec!["stats"],
            vec!["card", "scp"],
            vec!["today"],
            vec!["export", "-"],
        ];
        let mut results = Vec::new();
        for args in &reading {
            results.push((args.clone(), run(args)));
        }
        // A write says what is wrong, where, and how to fix it, in Japanese.
        let (write_code, _, write_err) = run(&["import", &import]);
        mode(&target, open);
        for (args, (code, out, err)) in results {
            assert_eq!(code, 0, "{what} read-only: {args:?} failed: {err}");
            assert!(!out.trim().is_empty(), "{args:?} printed nothing");
        }
        assert_ne!(write_code, 0, "{what}: a write cannot succeed");
        assert!(
            write_err.contains(&db.display().to_string())
                && write_err.contains("chmod")
                && !write_err.to_lowercase().contains("readonly")
                && !write_err.contains("attempt to"),
            "{what}: {write_err}"
        );
        // Writable again: nothing left behind keeps failing.
        for name in ["progress.sqlite3-shm", "progress.sqlite3-wal"] {
            let left = data.join(name);
            if let Ok(meta) = std::fs::metadata(&left) {
                assert!(
                    !meta.permissions().readonly(),
                    "{what}: a read-only {name} was left behind"
                );
            }
        }
        let (code, out, err) = run(&["stats"]);
        assert!(
            code == 0 && !out.is_empty(),
            "{what}, stats afterwards: {err}"
        );
        let (code, _, err) = run(&["import", &import]);
        assert_eq!(code, 0, "{what}, a write afterwards: {err}");
    }
}

/// `--help` speaks Japanese, with English only in parentheses: no clap heading or flag text in
/// English, for the root, a subcommand, a nested subcommand and `help` itself.
#[test]
fn help_is_in_japanese_at_every_level() {
    let home = Home::new();
    for args in [
        &["--help"][..],
        &["today", "--help"],
        &["sim", "eval", "--help"],
        &["help", "sim"],
        &["help"],
    ] {
        let (code, out, err) = home.run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("使い方"), "{args:?}:\n{out}");
        for english in [
            "Usage:",
            "Commands:",
            "Options:",
            "Arguments:",
            "Print help",
            "Print version",
            "Print this message",
            "a terminal study app",
            "Today's study queue",
        ] {
            assert!(!out.contains(english), "{args:?} says {english:?}:\n{out}");
        }
    }
    // A mistyped command or option is explained in Japanese too, with clap's suggestion.
    for (args, hint) in [(&["exm"][..], "`exam`"), (&["stats", "--jsn"], "`--json`")] {
        let (code, _, err) = home.run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.starts_with("エラー: "), "{args:?}:\n{err}");
        assert!(
            err.contains(hint) && err.contains("使い方"),
            "{args:?}:\n{err}"
        );
        assert!(
            !err.contains("error:") && !err.contains("Usage:"),
            "{args:?}:\n{err}"
        );
    }
    let (code, out, _) = home.run(&["--version"]);
    assert_eq!(
        (code, out.trim()),
        (0, concat!("shikaku ", env!("CARGO_PKG_VERSION")))
    );
}
