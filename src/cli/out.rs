//! Everything the command line prints goes through here. Text is escaped on the way out, so a
//! control character from content, a scenario file, an import or a file name is shown, never
//! obeyed (no retitled window, no moved cursor); a closed pipe (`shikaku stats | head`) ends
//! the program quietly instead of panicking.

use std::fmt;
use std::io::{self, Write};

use serde::Serialize;

use crate::text::{escape_controls, is_terminal_control};

/// Prints to stdout with terminal controls escaped.
pub fn stdout(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    write_or_exit(&mut io::stdout().lock(), escape_controls(&text).as_bytes());
}

/// Prints text that is already safe (coloured diagnostics, whose parts were escaped) to stdout.
pub fn stdout_raw(text: &str) {
    write_or_exit(&mut io::stdout().lock(), text.as_bytes());
}

/// Prints to stderr with terminal controls escaped.
pub fn stderr(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let _ = io::stderr()
        .lock()
        .write_all(escape_controls(&text).as_bytes());
}

/// Prints text that is already safe to stderr.
pub fn stderr_raw(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Pretty JSON on stdout. serde_json escapes C0 controls already; C1 controls and bidi
/// overrides are escaped here too (`\u009b`), so the output stays valid JSON and safe to `cat`.
pub fn json(value: &impl Serialize) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if is_terminal_control(c) && !matches!(c, '\n' | '\t') {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    stdout_raw(&out);
    Ok(())
}

fn write_or_exit(out: &mut impl Write, bytes: &[u8]) {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => {}
        // The reader has gone (`| head`): nothing more is wanted.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            stderr(format_args!("エラー: 標準出力に書き込めません: {e}\n"));
            std::process::exit(1);
        }
    }
}
