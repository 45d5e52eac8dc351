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
use crate::clipboard::{CopyThread, Report};
use gvmi_core::config::{config_path, Config};
use gvmi_core::engine::Engine;

pub struct Runner {
    /// The copy chain's thread: it holds the display's clipboard for the
    /// app's life (X11/Wayland content lives while its owner does).
    clipboard: Option<CopyThread>,
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
    /// The remote sources' download threads, when there are any.
    remote: Option<super::remote_feed::RemoteFeed>,
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
            clipboard: Some(CopyThread::spawn()),
            notices_tx,
            notices,
            keeper,
            events,
            remote: None,
        }
    }

    /// Where `r` on a remote row sends its download.
    pub fn with_remote(mut self, remote: Option<super::remote_feed::RemoteFeed>) -> Self {
        self.remote = remote;
        self
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
                report,
            } => delivered(&what, warning, report, screen),
        }
    }

    /// Runs an effect; what it came to at once (a copy's destination), if
    /// anything, is for `App::apply`.
    pub fn run(&mut self, effect: Effect, engine: &Engine) -> Option<Event> {
        match effect {
            Effect::Hash { jobs, tokens } => self
                .keeper
                .submit_each(engine, jobs.into_iter().zip(tokens).collect()),
            Effect::JobDone { job, fresh } => self.keeper.done(job, fresh),
            Effect::WriteSums { folder, hashes } => self.write_sums(folder, hashes),
            Effect::Copy {
                what,
                text,
                warning,
            } => return Some(self.copy(what, text, warning)),
            Effect::SaveBaseUrl { folder, url } => self.save(folder, url),
            Effect::RememberUrl(change) => {
                if let Some(urls) = &self.urls {
                    urls.send(change);
                }
            }
            Effect::Inspect { id, path } => self.workers.inspect(id, path),
            Effect::Suspend => {} // the loop suspends: it owns the screen
            Effect::Verify(jobs) => jobs.into_iter().for_each(|j| self.workers.verify(j)),
            Effect::Publish(jobs) => jobs.into_iter().for_each(|j| self.workers.publish(j)),
            Effect::ReadConfig(press) => self.read_config(press),
            Effect::Fetch(jobs) => {
                if let Some(remote) = &self.remote {
                    jobs.into_iter().for_each(|j| remote.fetch(j));
                }
            }
        }
        None
    }

    /// The chain runs on the clipboard's thread (display, tmux: bounded
    /// waits) and reports back as a notice.
    fn copy(&mut self, what: String, text: String, warning: Option<String>) -> Event {
        let status = Event::Status(format!("Copying the {what}…"));
        let tx = self.notices_tx.clone();
        if let Some(clipboard) = &self.clipboard {
            clipboard.copy(text, move |report| {
                let _ = tx.send(Notice::Copied {
                    what,
                    warning,
                    report,
                });
            });
        }
        status
    }

    fn save(&self, folder: std::path::PathBuf, url: String) {
        let tx = self.notices_tx.clone();
        std::thread::spawn(move || {
            let message = match config_path() {
                Some(path) => match gvmi_core::config::save_base_url(&path, &folder, &url) {
                    Ok(()) => format!("Saved the base URL to {}", path.display()),
                    Err(e) => format!("Could not save the config: {e}"),
                },
                None => "No config folder (set XDG_CONFIG_HOME or HOME) to save to.".to_string(),
            };
            let _ = tx.send(Notice::Done(Event::Status(message)));
        });
    }

    /// config.toml read on a thread of its own (the UI thread does no file
    /// I/O), its words on failure as the CLI gives them.
    fn read_config(&self, press: crate::tui::event::PublishPress) {
        let tx = self.notices_tx.clone();
        std::thread::spawn(move || {
            let config = Config::load_user().map_err(|e| e.lines().join(" "));
            let read = crate::tui::event::ConfigRead { config, press };
            let _ = tx.send(Notice::Done(Event::ConfigRead(read)));
        });
    }

    fn write_sums(
        &self,
        folder: std::path::PathBuf,
        hashes: std::collections::BTreeMap<Vec<u8>, gvmi_core::digest::Sha3Digest>,
    ) {
        let tx = self.notices_tx.clone();
        let events = self.events.clone();
        std::thread::spawn(move || {
            let path = folder.join(gvmi_core::manifest::FILE_NAME);
            let message = sums_written(&path, gvmi_core::manifest::write_folder(&folder, &hashes));
            if let Some(sums) = gvmi_core::manifest::read_opinions(&folder) {
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
        if let Some(clipboard) = self.clipboard.take() {
            farewell.extend(clipboard.finish(Duration::from_secs(5)));
        }
        farewell
    }
}

/// What a background effect reports to the UI thread.
pub enum Notice {
    /// What it came to, for `App::apply`.
    Done(Event),
    /// A copy made on the clipboard's thread, and where it went.
    Copied {
        what: String,
        warning: Option<String>,
        report: Report,
    },
}

/// The status line says where the copy went, and any warning first. An
/// OSC 52 sequence is written here: the UI thread is the terminal's only writer.
fn delivered(
    what: &str,
    warning: Option<String>,
    mut report: Report,
    screen: &mut Screen,
) -> Event {
    if let Some(sequence) = &report.osc52 {
        let written = screen.write_raw(sequence.as_bytes());
        report.osc52_written(written.map_err(|e| gvmi_core::io_error::message(&e)));
    }
    let mut message = report.status(what);
    if let Some(warning) = warning {
        message = format!("⚠ {warning} · {message}");
    }
    Event::Status(message)
}

/// What `w` came to, for the status line.
fn sums_written(path: &std::path::Path, written: std::io::Result<usize>) -> String {
    match written {
        Ok(n) => format!(
            "Wrote {} ({}).",
            path.display(),
            gvmi_core::units::count_as(n, "entry", "entries")
        ),
        Err(e) => format!(
            "Could not write {}: {}",
            path.display(),
            gvmi_core::io_error::message(&e)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w_says_one_entry_and_two_entries() {
        let path = std::path::Path::new("/i/SHA3SUMS");
        assert_eq!(sums_written(path, Ok(1)), "Wrote /i/SHA3SUMS (1 entry).");
        assert_eq!(sums_written(path, Ok(2)), "Wrote /i/SHA3SUMS (2 entries).");
    }
}
