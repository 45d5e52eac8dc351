//! The commands' words on stderr (`say`, `warn`); stdout through [`crate::stdio`].

pub use crate::stdio::write_stdout;

/// `gvmi: <message>` on stderr, through [`visible`](gvmi_core::visible::visible)
/// whole: for a message with no path to name first.
pub fn say(message: impl std::fmt::Display) {
    let line = message.to_string();
    crate::errln!("gvmi: {}", gvmi_core::visible::visible(&line));
}

/// `gvmi: <what>: <reason>` on stderr, the way GNU tools name a problem.
/// Give paths as [`visible_path`](gvmi_core::visible::visible_path) (exact for
/// non-UTF-8 names); the whole line passes through
/// [`visible`](gvmi_core::visible::visible) as well, so nothing from a file name
/// or a file's contents reaches the terminal raw.
pub fn warn(what: impl std::fmt::Display, reason: impl std::fmt::Display) {
    let line = format!("{what}: {reason}");
    crate::errln!("gvmi: {}", gvmi_core::visible::visible(&line));
}
