//! The status line's words: a message, or the reminder of the last copy.
//! Either stays only as long as it takes to read it, then the key hints
//! come back. Time reaches the state as `Event::Tick`s from the loop;
//! nothing here reads a clock. A part of `App` with its own state.

use std::time::{Duration, Instant};

/// At least this long on screen…
const SHORTEST: Duration = Duration::from_secs(4);
/// …plus a second per this many characters, so a long message can be read…
const CHARS_PER_SECOND: usize = 30;
/// …but never longer than this.
const LONGEST: Duration = Duration::from_secs(15);

/// How long `note` stays on the status line.
pub fn lasts(note: &str) -> Duration {
    let reading = Duration::from_secs((note.chars().count() / CHARS_PER_SECOND) as u64);
    (SHORTEST + reading).min(LONGEST)
}

#[derive(Debug, Default)]
pub struct Notes {
    status: Option<String>,
    last_copied: Option<String>,
    /// The note shown (status, else the last copy) and since which tick.
    since: Option<(String, Instant)>,
}

impl Notes {
    /// The message on the status line, if any.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// What was copied last, while its reminder shows.
    pub fn last_copied(&self) -> Option<&str> {
        self.last_copied.as_deref()
    }

    pub fn say(&mut self, message: impl Into<String>) {
        self.status = Some(message.into());
    }

    /// A key or paste takes the message away.
    pub fn clear(&mut self) {
        self.status = None;
    }

    pub fn copied(&mut self, text: String) {
        self.last_copied = Some(text);
    }

    /// The clock moved to `now`: a note shown unchanged for its time goes
    /// (a message and the copy it reports together), and the key hints
    /// come back.
    pub fn tick(&mut self, now: Instant) {
        let shown = self.status.as_ref().or(self.last_copied.as_ref());
        let Some(shown) = shown else {
            self.since = None;
            return;
        };
        match &self.since {
            Some((seen, since)) if seen == shown => {
                if now.saturating_duration_since(*since) >= lasts(shown) {
                    self.status = None;
                    self.last_copied = None;
                    self.since = None;
                }
            }
            _ => self.since = Some((shown.clone(), now)),
        }
    }
}
