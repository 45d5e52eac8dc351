//! The words for an I/O error, as GNU tools print them: every message gvmi
//! shows about a failed open, read or write comes through here.

use std::io;

/// The OS's message without Rust's " (os error N)" tail.
pub fn message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_os_error_tail_is_dropped() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(message(&e), "No such file or directory");
    }

    #[test]
    fn a_message_without_the_tail_is_kept() {
        let e = io::Error::other("disk on fire");
        assert_eq!(message(&e), "disk on fire");
    }
}
