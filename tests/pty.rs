//! The real binary in a pseudo-terminal (portable-pty), its screen read back with vt100 — which
//! understands full-width characters — as a learner would see it.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A running `shikaku` in an 80×24 terminal.
struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

/// A data and a config directory shared by the sessions of one test.
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

    fn start(&self, args: &[&str]) -> Session {
        Session::start(args, self)
    }

    /// Runs `shikaku ARGS` to completion (not in a terminal) and returns stdout.
    fn run(&self, args: &[&str]) -> String {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_shikaku"))
            .args(args)
            .env("SHIKAKU_DATA", self.data.path())
            .env("SHIKAKU_CONFIG", self.config.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Session {
    fn start(args: &[&str], home: &Home) -> Self {
        Self::start_with_env(args, home, &[])
    }

    fn start_with_env(args: &[&str], home: &Home, env: &[(&str, &str)]) -> Self {
        Self::start_program(&[env!("CARGO_BIN_EXE_shikaku")], args, home, env)
    }

    /// `program` is the command before `args`: shikaku itself, or a wrapper that runs it.
    fn start_program(program: &[&str], args: &[&str], home: &Home, env: &[(&str, &str)]) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(program[0]);
        cmd.args(&program[1..]);
        cmd.args(args);
        // Outside the repo: an edited scenario must be a copy, never the repo's file.
        cmd.cwd(home.config.path());
        cmd.env("SHIKAKU_DATA", home.data.path());
        cmd.env("SHIKAKU_CONFIG", home.config.path());
        cmd.env("TERM", "xterm-256color");
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd.env_remove("SHIKAKU_CONTENT");
        let child = pty.slave.spawn_command(cmd).expect("spawn shikaku");
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        // The master must outlive the session; leaking it is fine in a test process.
        std::mem::forget(pty.master);
        Self {
            screen,
            writer,
            child,
        }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits (generously: this is not a speed check) until the screen shows `needle`.
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?}; screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// [`Self::wait_for`], then until the screen stops changing (a frame seen half drawn would
    /// hold the title of the new question over the body of the old one).
    fn wait_for_settled(&self, needle: &str) -> String {
        let mut text = self.wait_for(needle);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            std::thread::sleep(Duration::from_millis(150));
            let now = self.wait_for(needle);
            if now == text || Instant::now() >= deadline {
                return now;
            }
            text = now;
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(80));
    }

    fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "shikaku did not exit; screen:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The question on screen and the display number of one of its wrong choices, read from the
/// screen and the embedded content (as a learner would: by reading the text).
fn wrong_choice_on_screen(
    screen: &str,
    library: &shikaku::content::Library,
) -> Option<(String, usize)> {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let body: Vec<&str> = screen.lines().skip(1).collect();
    let prompt_start = squash(body.first()?);
    let question = library
        .questions
        .iter()
        .find(|q| !prompt_start.is_empty() && squash(&q.prompt).starts_with(&prompt_start))?;
    if question.kind != shikaku::content::QuestionType::Single {
        return None;
    }
    for line in &body {
        let trimmed = line.trim_start_matches([' ', '>']);
        let Some(rest) = trimmed
            .strip_prefix("( ) ")
            .or_else(|| trimmed.strip_prefix("[ ] "))
        else {
            continue;
        };
        let (number, text) = rest.split_once(". ")?;
        let start = squash(text);
        let choice = question
            .choices
            .iter()
            .find(|c| squash(&c.text).starts_with(&start))?;
        if !choice.correct {
            return Some((question.id.clone(), number.parse().ok()?));
        }
    }
    None
}

#[test]
fn answer_a_question_in_a_real_terminal_and_quit() {
    let home = Home::new();
    let mut s = home.start(&[]);
    let screen = s.wait_for("学習");
    assert!(screen.contains("分野別の習得度"), "{screen}");
    s.send("2"); // 演習
    s.wait_for("演習する範囲を選ぶ");
    s.send("7"); // every domain: with many rows a digit selects the row, Enter opens it
    s.send("\r");
    s.wait_for("演習: すべての分野");
    // Whatever the question type, picking 1, 2, 3… and answering after each completes it.
    for key in ["1", "2", "3", "4", "5", "6", "7", "8", "9"] {
        s.send(key);
        s.send("\r");
        if s.text().contains("正解") {
            break;
        }
    }
    let feedback = s.wait_for("正解");
    assert!(
        feedback.contains("✔ 正解") || feedback.contains("✘ 不正解"),
        "{feedback}"
    );
    s.send("q");
    s.wait_for("演習する範囲を選ぶ");
    s.send("q");
    s.wait_for("分野別の習得度");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_wrong_answer_shows_why_and_is_kept_across_a_restart() {
    let library = shikaku::content::load_embedded();
    let home = Home::new();
    let mut s = home.start(&[]);
    s.wait_for("分野別の習得度");
    s.send("2");
    s.wait_for("演習する範囲を選ぶ");
    // Practice runs are shuffled: retry until the first question has choices.
    let (id, number) = loop {
        s.send("4"); // アイデンティティとアクセス管理 (a digit selects the row, Enter opens it)
        s.send("\r");
        let screen = s.wait_for("演習: ");
        if let Some(found) = wrong_choice_on_screen(&screen, &library) {
            break found;
        }
        s.send("q");
        s.wait_for("演習する範囲を選ぶ");
    };
    let question = library.question(&id).unwrap().clone();
    s.send(&number.to_string());
    s.send("\r");
    let feedback = s.wait_for("不正解");
    // The reason the chosen choice is wrong is on screen (its first words at least).
    let shown: Vec<&str> = question
        .choices
        .iter()
        .filter(|c| !c.correct)
        .filter_map(|c| c.why.as_deref())
        .collect();
    let flat: String = feedback.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        shown.iter().any(|why| flat.contains(
            &why.chars()
                .filter(|c| !c.is_whitespace())
                .take(12)
                .collect::<String>()
        )),
        "{feedback}"
    );
    for _ in 0..3 {
        s.send("q");
    }
    assert_eq!(s.wait_exit(), 0);

    // Started again: the answer is still there.
    let mut s = home.start(&[]);
    let screen = s.wait_for("分野別の習得度");
    // Today's reviews: the answer, and the misconception its choice named, if any.
    assert!(
        screen.contains("回答済み 1") || screen.contains("回答済み 2"),
        "{screen}"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let card: serde_json::Value =
        serde_json::from_str(&home.run(&["card", &id, "--json"])).unwrap();
    let history = card["history"].as_array().expect("a history array");
    assert_eq!(history.len(), 1, "{card}");
    assert_eq!(history[0]["rating"], 1, "a wrong answer is Again: {card}");
}

#[test]
fn an_exam_left_by_quitting_resumes_with_its_time() {
    let home = Home::new();
    let mut s = home.start(&["exam"]);
    let screen = s.wait_for("模擬試験 1/65");
    assert!(
        screen.contains("残り 2:5") || screen.contains("残り 2:49"),
        "{screen}"
    );
    s.send("1");
    s.send("\r");
    let second = s.wait_for_settled("模擬試験 2/65");
    let prompt = second.lines().nth(1).unwrap_or("").trim().to_string();
    s.send("q"); // leave the exam: it is saved, and it says so
    let saved = s.wait_for("模擬試験を保存しました");
    assert!(saved.contains("分野別の習得度"), "{saved}");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);

    // Started again: ホーム shows the suspended exam with its time; 3 and Enter resume it.
    let mut s = home.start(&[]);
    let screen = s.wait_for("中断中の模擬試験: 残り 2:");
    assert!(screen.contains("分野別の習得度"), "{screen}");
    s.send("3");
    let lobby = s.wait_for("中断した模擬試験があります");
    assert!(
        lobby.contains("残り 169分") || lobby.contains("残り 170分"),
        "{lobby}"
    );
    s.send("\r");
    let screen = s.wait_for_settled("模擬試験 2/65");
    assert!(
        screen.contains("残り 2:4") || screen.contains("残り 2:5"),
        "{screen}"
    );
    assert_eq!(
        screen.lines().nth(1).unwrap_or("").trim(),
        prompt,
        "the same question of the same exam"
    );
    s.send("q");
    s.wait_for("分野別の習得度");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_hiragana_query_finds_katakana_text() {
    let home = Home::new();
    let mut s = home.start(&[]);
    s.wait_for("分野別の習得度");
    s.send("/");
    s.wait_for("検索: ");
    s.send("せきゅりてぃぐるーぷ");
    let screen = s.wait_for("セキュリティグループ");
    assert!(
        screen.contains("[カード]") || screen.contains("[問題]"),
        "{screen}"
    );
    s.send("\x1b"); // one Esc leaves the field and the screen
    s.wait_for("分野別の習得度");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn editing_a_scenario_in_the_editor_re_evaluates_it() {
    let home = Home::new();
    // The "editor" rewrites the request's region in place (argv, no shell).
    let mut s = Session::start_with_env(
        &[],
        &home,
        &[("EDITOR", "sed -i s/us-east-1/ap-northeast-1/g")],
    );
    s.wait_for("分野別の習得度");
    s.send("5"); // シミュレータ
    s.wait_for("シナリオを選ぶ");
    // Find a scenario whose request is in us-east-1 and whose decision flips with the region.
    let library = shikaku::content::load_embedded();
    let (index, _) = library
        .scenarios
        .iter()
        .enumerate()
        .find(|(_, e)| {
            e.scenario.id == "scp-region-guard-ec2"
                || e.text.contains("\"aws:RequestedRegion\" = \"us-east-1\"")
        })
        .expect("a scenario in us-east-1");
    for _ in 0..index {
        s.send("j");
    }
    s.send("\r");
    let before = s.wait_for("判定");
    s.send("e");
    let after = s.wait_for("aws:RequestedRegion = ap-northeast-1");
    assert_ne!(
        before.lines().find(|l| l.contains("判定")),
        after.lines().find(|l| l.contains("判定")),
        "the decision changed after the edit:\n{after}"
    );
    let copy = home
        .data
        .path()
        .join("scenarios")
        .join(format!("{}.toml", library.scenarios[index].scenario.id));
    assert!(
        std::fs::read_to_string(&copy)
            .unwrap()
            .contains("ap-northeast-1"),
        "the edit went to a copy in the data dir"
    );
    s.send("q");
    s.send("q");
    s.wait_for("分野別の習得度");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

/// Opens the simulator on the only scenario of `content` (it is listed last) and presses `e`.
fn open_extra_scenario_and_edit(s: &mut Session, library_len: usize) {
    s.wait_for("分野別の習得度");
    s.send("5");
    s.wait_for("シナリオを選ぶ");
    for _ in 0..library_len {
        s.send("j");
    }
    s.send("\r");
    s.wait_for("判定");
    s.send("e");
}

#[test]
fn a_scenario_file_name_can_never_become_an_editor_command_or_option() {
    let home = Home::new();
    let content = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("quizzes/scenarios/sg-ssh-admin-only.toml"),
    )
    .unwrap()
    .replace("id = \"sg-ssh-admin-only\"", "id = \"zz-hostile-name\"");
    // vi reads `+cmd` as a command to run and `-R` as an option.
    let hostile = content.path().join("+!touch PWNED.toml");
    std::fs::write(&hostile, &original).unwrap();
    // A fake editor that records its arguments, one per line.
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("argv.log");
    let editor = bin.path().join("fake editor");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\" >> '{}'; done\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();

    let content_arg = content.path().to_str().unwrap().to_string();
    let editor_arg = editor.to_str().unwrap().to_string();
    let mut s = Session::start_with_env(
        &["--content", &content_arg],
        &home,
        &[("EDITOR", &editor_arg)],
    );
    let before = shikaku::content::load_embedded().scenarios.len();
    open_extra_scenario_and_edit(&mut s, before);
    s.wait_for("zz-hostile-name");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !log.exists() {
        assert!(Instant::now() < deadline, "the editor was not started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let args = std::fs::read_to_string(&log).unwrap();
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(args.len(), 1, "one argument, the file: {args:?}");
    let file = std::path::Path::new(args[0]);
    assert!(file.is_absolute(), "{args:?}");
    assert!(
        file.starts_with(home.data.path()),
        "the editor gets a copy in the data dir, not the content file: {args:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&hostile).unwrap(),
        original,
        "the loaded file itself is never edited"
    );
    s.send("q");
    s.send("q");
    s.wait_for("分野別の習得度");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(!home.config.path().join("PWNED").exists());
}

#[test]
fn an_edited_scenario_is_a_copy_and_r_puts_the_original_back() {
    let home = Home::new();
    let content = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("quizzes/scenarios/sg-ssh-admin-only.toml"),
    )
    .unwrap()
    .replace("id = \"sg-ssh-admin-only\"", "id = \"zz-editable\"");
    let file = content.path().join("zz-editable.toml");
    std::fs::write(&file, &original).unwrap();
    let content_arg = content.path().to_str().unwrap().to_string();
    // The "editor" lets the admin's port-22 rule admit everyone (argv, no shell).
    let mut s = Session::start_with_env(
        &["--content", &content_arg],
        &home,
        &[("EDITOR", "sed -i s#198.51.100.10/32#0.0.0.0/0#")],
    );
    let before = shikaku::content::load_embedded().scenarios.len();
    open_extra_scenario_and_edit(&mut s, before);
    s.wait_for("到達できます");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    let copy = home.data.path().join("scenarios/zz-editable.toml");
    assert!(
        std::fs::read_to_string(&copy)
            .unwrap()
            .contains("0.0.0.0/0")
    );
    s.send("R");
    let deadline = Instant::now() + Duration::from_secs(20);
    while copy.exists() {
        assert!(Instant::now() < deadline, "the copy was not discarded");
        std::thread::sleep(Duration::from_millis(50));
    }
    s.send("q");
    s.send("q");
    s.wait_for("分野別の習得度");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_save_a_running_exam() {
    for signal in ["TERM", "HUP"] {
        let home = Home::new();
        let mut s = home.start(&["exam"]);
        s.wait_for("模擬試験 1/65");
        s.send("1");
        s.send("\r");
        s.wait_for("模擬試験 2/65");
        let pid = s.child.process_id().expect("a pid");
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        s.wait_exit();
        // Give the reader thread a moment to see the last bytes.
        std::thread::sleep(Duration::from_millis(300));
        let screen = s.screen.lock().unwrap();
        assert!(
            !screen.screen().alternate_screen(),
            "SIG{signal} left the alternate screen on"
        );
        assert_eq!(
            screen.screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "SIG{signal} left mouse capture on"
        );
        drop(screen);
        let mut s = home.start(&["exam"]);
        s.wait_for("中断した模擬試験があります");
        s.send("1");
        s.wait_for("模擬試験 2/65");
        s.send("q");
        s.wait_for("分野別の習得度");
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
    }
}

#[test]
fn the_exam_date_set_with_d_shows_on_home_and_stays_after_a_restart() {
    let home = Home::new();
    let config = home.config.path().join("config.toml");
    std::fs::write(&config, "# mine\ntheme = \"mono\"\n").unwrap();
    let date = jiff::Zoned::now().date() + jiff::Span::new().days(100);
    let mut s = home.start(&[]);
    s.wait_for("試験日は未設定");
    s.send("d");
    s.wait_for("試験日を入力してください");
    s.send(&date.to_string());
    s.send("\r");
    let screen = s.wait_for(&format!("試験日 {date}(あと "));
    assert!(
        screen.contains("(試験日)"),
        "the forecast is for it: {screen}"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let written = std::fs::read_to_string(&config).unwrap();
    assert_eq!(
        written,
        format!("# mine\ntheme = \"mono\"\nexam_date = \"{date}\"\n")
    );
    let mut s = home.start(&[]);
    s.wait_for(&format!("試験日 {date}(あと "));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn after_the_store_was_read_only_for_a_while_the_tui_starts_again() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let home = Home::new();
    // Root writes through permission bits: then shikaku runs as `nobody` in folders it owns.
    let probe = home.config.path().join("uid-probe");
    std::fs::write(&probe, "").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    std::fs::remove_file(&probe).unwrap();
    let bin = env!("CARGO_BIN_EXE_shikaku");
    let program: Vec<&str> = if root {
        if !std::path::Path::new("/usr/bin/setpriv").exists() {
            eprintln!("skipped: root without setpriv cannot test permissions");
            return;
        }
        for dir in [home.data.path(), home.config.path()] {
            std::os::unix::fs::chown(dir, Some(65534), Some(65534)).unwrap();
        }
        vec![
            "/usr/bin/setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            bin,
        ]
    } else {
        vec![bin]
    };
    let run = |args: &[&str]| {
        let out = std::process::Command::new(program[0])
            .args(&program[1..])
            .args(args)
            .env("SHIKAKU_DATA", home.data.path())
            .env("SHIKAKU_CONFIG", home.config.path())
            .env_remove("SHIKAKU_CONTENT")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let import = home.config.path().join("import.json");
    std::fs::write(
        &import,
        r#"{"reviews":[{"item":"scp","time":"2026-11-20T10:00:00+09:00","rating":3}]}"#,
    )
    .unwrap();
    run(&["import", import.to_str().unwrap()]);
    let db = home.data.path().join("progress.sqlite3");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    run(&["stats"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut s = Session::start_program(&program, &[], &home, &[]);
    s.wait_for("今日の間隔反復キュー");
    s.send("q");
    assert_eq!(s.wait_exit(), 0, "{}", s.text());
}
