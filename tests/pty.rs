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
    _data: tempfile::TempDir,
}

impl Session {
    fn start(args: &[&str]) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 })
            .expect("open a pty");
        let data = tempfile::tempdir().unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_shikaku"));
        cmd.args(args);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("SHIKAKU_DATA", data.path());
        cmd.env("TERM", "xterm-256color");
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
        Self { screen, writer, child, _data: data }
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
            assert!(Instant::now() < deadline, "timed out waiting for {needle:?}; screen:\n{text}");
            std::thread::sleep(Duration::from_millis(50));
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
            assert!(Instant::now() < deadline, "shikaku did not exit; screen:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn answer_a_question_in_a_real_terminal_and_quit() {
    let mut s = Session::start(&[]);
    let home = s.wait_for("分野を選んで演習を始める");
    assert!(home.contains("アイデンティティとアクセス管理"), "{home}");
    // The last row is every domain together.
    s.send("7");
    s.wait_for("演習: すべての分野");
    // Whatever the question type, picking 1, 2, 3… and answering after each completes it.
    for key in ["1", "2", "3", "4", "5", "6", "7", "8", "9"] {
        s.send(key);
        s.send("\r");
        if s.text().contains("正解") {
            break;
        }
    }
    let feedback = s.wait_for("解説");
    assert!(feedback.contains("✔ 正解") || feedback.contains("✘ 不正解"), "{feedback}");
    s.send("q");
    s.wait_for("分野を選んで演習を始める");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}
