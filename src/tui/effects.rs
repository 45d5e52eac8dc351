//! Carrying out what the state asked for: queue hashing, copy, save the config.
//! File writes run on a short-lived thread; their outcome comes back as a notice.

use crossbeam_channel::{unbounded, Receiver, Sender};

use super::app::{App, Effect};
use super::keeper::Keeper;
use super::terminal::Screen;
use super::workers::Workers;
use crate::clipboard::{Clipboard, CopyOutcome};
use crate::config::{config_path, Config};
use crate::engine::Engine;
use crate::event::Event;

pub struct Runner {
    /// One handle for the app's life: X11/Wayland content lives while its owner does.
    clipboard: Clipboard,
    /// What the system clipboard holds from us, to hand over on quit.
    owned: Option<String>,
    notices_tx: Sender<String>,
    notices: Receiver<String>,
    /// Inspection and URL verification threads.
    workers: Workers,
    /// Told of every job before it is submitted (when the cache may trust its result from).
    keeper: Keeper,
    /// Results of background effects that change state (a re-read SHA3SUMS).
    events: Sender<Event>,
}

impl Runner {
    pub fn new(workers: Workers, keeper: Keeper, events: Sender<Event>) -> Self {
        let (notices_tx, notices) = unbounded();
        Runner {
            workers,
            clipboard: Clipboard::new(),
            owned: None,
            notices_tx,
            notices,
            keeper,
            events,
        }
    }

    /// Status messages from background effects (e.g. "config saved").
    pub fn notices(&self) -> &Receiver<String> {
        &self.notices
    }

    pub fn run(&mut self, effect: Effect, app: &mut App, engine: &Engine, screen: &mut Screen) {
        match effect {
            Effect::Hash { jobs, token } => {
                self.keeper.queued(jobs.iter().map(|j| j.id).collect());
                engine.submit(jobs, &token)
            }
            Effect::WriteSums { folder, hashes } => self.write_sums(folder, hashes),
            Effect::Copy { what, text } => self.copy(&what, text, app, screen),
            Effect::SaveConfig(config) => self.save(config),
            Effect::Inspect { id, path } => self.workers.inspect(id, path),
            Effect::Verify(jobs) => jobs.into_iter().for_each(|j| self.workers.verify(j)),
            Effect::Quit => {}
        }
    }

    fn copy(&mut self, what: &str, text: String, app: &mut App, screen: &mut Screen) {
        app.status = Some(match self.clipboard.copy(&text) {
            CopyOutcome::System => {
                self.owned = Some(text.clone());
                format!("Copied the {what} to the system clipboard.")
            }
            CopyOutcome::Osc52(sequence) => {
                self.owned = None;
                match screen.write_raw(sequence.as_bytes()) {
                    Ok(()) => format!(
                        "Copied the {what} via OSC 52 (your terminal's clipboard; {}).",
                        self.clipboard
                            .unavailable_reason()
                            .map_or("no system clipboard".into(), |r| format!(
                                "no system clipboard: {r}"
                            ))
                    ),
                    Err(e) => format!(
                        "Could not copy the {what}: {e}. It is shown below to select by hand."
                    ),
                }
            }
        });
        app.last_copied = Some(text);
    }

    fn save(&self, config: Config) {
        let tx = self.notices_tx.clone();
        std::thread::spawn(move || {
            let message = match config_path() {
                Some(path) => match config.save(&path) {
                    Ok(()) => format!("Saved the base URL to {}", path.display()),
                    Err(e) => format!("Could not save the config: {e}"),
                },
                None => "No config folder (set XDG_CONFIG_HOME or HOME) to save to.".to_string(),
            };
            let _ = tx.send(message);
        });
    }

    fn write_sums(
        &self,
        folder: std::path::PathBuf,
        hashes: std::collections::BTreeMap<Vec<u8>, crate::digest::Sha3Digest>,
    ) {
        let tx = self.notices_tx.clone();
        let events = self.events.clone();
        std::thread::spawn(move || {
            let path = folder.join(crate::manifest::FILE_NAME);
            let message = match crate::manifest::write_folder(&folder, &hashes) {
                Ok(n) => format!("Wrote {} ({n} entries).", path.display()),
                Err(e) => format!("Could not write {}: {e}", path.display()),
            };
            if let Some(sums) = crate::manifest::read_opinions(&folder) {
                let _ = events.send(Event::Sums { folder, sums });
            }
            let _ = tx.send(message);
        });
    }

    /// On quit: keep what we copied available after we exit. Returns a
    /// message to print once the terminal is restored.
    pub fn finish(&mut self) -> Option<String> {
        let text = self.owned.take()?;
        match self.clipboard.keep_serving_after_exit(&text) {
            CopyOutcome::System => Some(
                "the last copied text stays on the clipboard (served by a background gvmi until something else is copied)"
                    .into(),
            ),
            CopyOutcome::Osc52(_) => Some("the clipboard could not be kept after exit; copy again with your terminal open".into()),
        }
    }
}
