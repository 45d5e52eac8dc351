//! Carrying out what the state asked for: queue hashing, copy, save the config.
//! File writes run on a short-lived thread; their outcome comes back as a
//! notice. What an effect comes to is returned as an `Event` for `App::apply`:
//! the runner never writes to the app.

use std::time::Duration;

use crossbeam_channel::{unbounded, Receiver, Sender};

use super::app::Effect;
use super::event::Event;
use super::keeper::Keeper;
use super::saved_urls::{self, UrlKeeper};
use super::terminal::Screen;
use super::workers::Workers;
use crate::clipboard::{self, Clipboard, CopyOutcome, Delivery};
use crate::config::{config_path, Config};
use crate::engine::Engine;

pub struct Runner {
    /// One handle for the app's life: X11/Wayland content lives while its owner does.
    clipboard: Clipboard,
    /// What the system clipboard holds from us, to hand over on quit.
    owned: Option<String>,
    notices_tx: Sender<Notice>,
    notices: Receiver<Notice>,
    /// Inspection and URL verification threads.
    workers: Workers,
    /// Told of every job before it is submitted (when the cache may trust its result from).
    keeper: Keeper,
    /// Results of background effects that change state (a re-read SHA3SUMS).
    events: Sender<Event>,
    /// The thread that keeps URLs set with `e` and `b` for the next session
    /// (`None` once finished).
    urls: Option<UrlKeeper>,
}

impl Runner {
    pub fn new(workers: Workers, keeper: Keeper, events: Sender<Event>) -> Self {
        let (notices_tx, notices) = unbounded();
        let (loaded, failed) = (notices_tx.clone(), notices_tx.clone());
        let urls = saved_urls::spawn(
            saved_urls::default_path(),
            move |saved| drop(loaded.send(Notice::Done(Event::SavedUrls(saved)))),
            move |why| drop(failed.send(Notice::Done(Event::Status(why)))),
        );
        Runner {
            urls: Some(urls),
            workers,
            clipboard: Clipboard::new(),
            owned: None,
            notices_tx,
            notices,
            keeper,
            events,
        }
    }

    /// What background effects report (e.g. "config saved", a copy through tmux).
    pub fn notices(&self) -> &Receiver<Notice> {
        &self.notices
    }

    /// Takes in what a background effect reported; what it came to is
    /// for `App::apply`.
    pub fn on_notice(&mut self, notice: Notice, screen: &mut Screen) -> Event {
        match notice {
            Notice::Done(event) => event,
            Notice::Copied {
                what,
                warning,
                delivery,
            } => self.delivered(&what, warning, delivery, screen),
        }
    }

    /// Runs an effect; what it came to at once (a copy's destination), if
    /// anything, is for `App::apply`.
    pub fn run(&mut self, effect: Effect, engine: &Engine, screen: &mut Screen) -> Option<Event> {
        match effect {
            Effect::Hash { jobs, tokens } => self
                .keeper
                .submit_each(engine, jobs.into_iter().zip(tokens).collect()),
            Effect::WriteSums { folder, hashes } => self.write_sums(folder, hashes),
            Effect::Copy {
                what,
                text,
                warning,
            } => return Some(self.copy(what, text, warning, screen)),
            Effect::SaveConfig(config) => self.save(config),
            Effect::RememberUrl(change) => {
                if let Some(urls) = &self.urls {
                    urls.send(change);
                }
            }
            Effect::Inspect { id, path } => self.workers.inspect(id, path),
            Effect::Suspend => {
                let failed = screen.suspend().err();
                return failed.map(|e| Event::Status(format!("Not suspended: {e}")));
            }
            Effect::Verify(jobs) => jobs.into_iter().for_each(|j| self.workers.verify(j)),
            Effect::Publish(jobs) => jobs.into_iter().for_each(|j| self.workers.publish(j)),
        }
        None
    }

    /// Inside tmux, the copy runs `tmux` on a short-lived thread (bounded
    /// wait) and reports back as a notice; elsewhere it is immediate.
    fn copy(
        &mut self,
        what: String,
        text: String,
        warning: Option<String>,
        screen: &mut Screen,
    ) -> Event {
        if self.clipboard.in_tmux() {
            self.owned = None;
            let status = Event::Status(format!("Copying the {what} through tmux…"));
            let tx = self.notices_tx.clone();
            std::thread::spawn(move || {
                let delivery = clipboard::copy_via_tmux(&text);
                let _ = tx.send(Notice::Copied {
                    what,
                    warning,
                    delivery,
                });
            });
            return status;
        }
        let delivery = match self.clipboard.copy(&text) {
            CopyOutcome::System => {
                self.owned = Some(text);
                Delivery::System
            }
            CopyOutcome::Osc52(sequence) => {
                self.owned = None;
                let why = self.clipboard.unavailable_reason().map(str::to_string);
                Delivery::Osc52 { sequence, why }
            }
        };
        self.delivered(&what, warning, delivery, screen)
    }

    /// The status line says where the copy went, and any warning first.
    fn delivered(
        &mut self,
        what: &str,
        warning: Option<String>,
        delivery: Delivery,
        screen: &mut Screen,
    ) -> Event {
        let mut message = match &delivery {
            Delivery::Osc52 { sequence, why } => match screen.write_raw(sequence.as_bytes()) {
                Ok(()) => match why {
                    Some(why) => format!("{what}: {} ({why})", delivery.describe()),
                    None => format!("{what}: {}", delivery.describe()),
                },
                Err(e) => format!("Could not copy the {what}: {e}. Press Enter to see it."),
            },
            _ => format!("{what}: {}", delivery.describe()),
        };
        if let Some(warning) = warning {
            message = format!("⚠ {warning} · {message}");
        }
        Event::Status(message)
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
            let _ = tx.send(Notice::Done(Event::Status(message)));
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
            let _ = tx.send(Notice::Done(Event::Status(message)));
        });
    }

    /// On quit: writes the URLs set last (a bounded wait), and keeps what
    /// we copied available after we exit. Returns the messages to print
    /// once the terminal is restored (the user can no longer see a status).
    pub fn finish(&mut self) -> Vec<String> {
        let mut farewell = Vec::new();
        if let Some(urls) = self.urls.take() {
            if !urls.finish(Duration::from_secs(5)) {
                farewell.push(
                    "the URLs set with e or b may not be saved (writing them took over 5 s)".into(),
                );
            }
            // A save that failed as we quit told a status line no one sees.
            farewell.extend(self.notices.try_iter().filter_map(|notice| match notice {
                Notice::Done(Event::Status(why)) if why.starts_with(saved_urls::NOT_SAVED) => {
                    Some(why)
                }
                _ => None,
            }));
        }
        if let Some(text) = self.owned.take() {
            farewell.push(match self.clipboard.keep_serving_after_exit(&text) {
                CopyOutcome::System => "the last copied text stays on the clipboard (served by a background gvmi until something else is copied)".into(),
                CopyOutcome::Osc52(_) => "the clipboard could not be kept after exit; copy again with your terminal open".into(),
            });
        }
        farewell
    }
}

/// What a background effect reports to the UI thread.
pub enum Notice {
    /// What it came to, for `App::apply`.
    Done(Event),
    /// A copy made off the UI thread (through tmux) and where it went.
    Copied {
        what: String,
        warning: Option<String>,
        delivery: Delivery,
    },
}
