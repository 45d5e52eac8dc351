//! Standard output, written a whole line-batch at a time.

use std::io::{self, Write};

/// Writes `bytes` in one call and flushes, so a reader never sees half a line
/// from us. A closed pipe (`gvmi hash | head`) ends the program quietly.
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other,
    }
}

/// `gvmi: <message>` on stderr, through [`visible`](gvmi_core::visible::visible)
/// whole: for a message with no path to name first.
pub fn say(message: impl std::fmt::Display) {
    let line = message.to_string();
    eprintln!("gvmi: {}", gvmi_core::visible::visible(&line));
}

/// `gvmi: <what>: <reason>` on stderr, the way GNU tools name a problem.
/// Give paths as [`visible_path`](gvmi_core::visible::visible_path) (exact for
/// non-UTF-8 names); the whole line passes through
/// [`visible`](gvmi_core::visible::visible) as well, so nothing from a file name
/// or a file's contents reaches the terminal raw.
pub fn warn(what: impl std::fmt::Display, reason: impl std::fmt::Display) {
    let line = format!("{what}: {reason}");
    eprintln!("gvmi: {}", gvmi_core::visible::visible(&line));
}
