//! What the status line says stays only as long as it takes to read it:
//! a message, or the reminder of the last copy, gives the key hints back
//! after a few seconds. Time reaches the state as `Event::Tick`s from the
//! loop; nothing here reads a clock.

use std::time::{Duration, Instant};

use super::App;

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

impl App {
    /// The clock moved to `now`: a note shown unchanged for its time goes
    /// (a message and the copy it reports together), and the key hints
    /// come back.
    pub(super) fn tick(&mut self, now: Instant) {
        let shown = self.status.as_ref().or(self.last_copied.as_ref());
        let Some(shown) = shown else {
            self.note_since = None;
            return;
        };
        match &self.note_since {
            Some((seen, since)) if seen == shown => {
                if now.saturating_duration_since(*since) >= lasts(shown) {
                    self.status = None;
                    self.last_copied = None;
                    self.note_since = None;
                }
            }
            _ => self.note_since = Some((shown.clone(), now)),
        }
    }
}
