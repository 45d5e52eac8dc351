//! What the table's keys ask for beyond moving around: copies (`c`, `y`,
//! `u`), URLs set and kept (`e`, `b`, `S`), checks that a URL serves the
//! image (`v`, `V`), and `SHA3SUMS` written (`w`). Each asks the parts
//! what they know and returns the work as an effect.

use super::{App, EditField, Effect};
use crate::tui::batch;
use crate::tui::rows::{RowId, RowState};
use crate::tui::saved_urls::UrlChange;
use crate::tui::sweep;
use crate::tui::workers::VerifyJob;
use gvmi_core::image_url;
use gvmi_core::units::count;
use gvmi_core::verify::Expected;

impl App {
    /// A copy goes to the clipboard's thread; the status line reminds of it.
    fn copy(&mut self, what: String, text: String, warning: Option<String>) {
        self.notes.copied(text.clone());
        self.outbox.push(Effect::Copy {
            what,
            text,
            warning,
        });
    }

    pub(super) fn copy_hash(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        match &row.state {
            RowState::Done(d) => self.copy("hash".into(), d.to_hex(), None),
            _ => self.notes.say("No hash yet for this image."),
        }
    }

    pub(super) fn copy_url(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        match self.serving.url_to_copy(row) {
            Ok(url) => {
                let warning = joined(self.serving.url_notes(row));
                self.copy("URL".into(), url, warning)
            }
            Err(why) => self.notes.say(why),
        }
    }

    pub(super) fn copy_snippet(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        match self.snippet_for(row) {
            Ok(text) => {
                let what = format!("{} snippet", self.serving.target().name());
                let mut warnings: Vec<String> = self.snippet_warning().into_iter().collect();
                warnings.extend(self.serving.url_notes(row));
                self.copy(what, text, joined(warnings));
            }
            Err(why) => self.notes.say(format!("No snippet: {why}")),
        }
    }

    /// Why `e` or `b` may not set `text` (an empty one clears): a URL no
    /// target could use, by the rule `gvmi snippet` applies
    /// (`image_url::check`; `file://` passes, as golem-js takes it). A
    /// base URL is judged as it will be used, joined with the image's path.
    pub(super) fn refused_url(&self, field: EditField, text: &str) -> Option<String> {
        let row = self.selected_row().filter(|_| !text.is_empty())?;
        let url = match field {
            EditField::Url => text.to_string(),
            EditField::BaseUrl => image_url::join(text, row.relative_path()),
        };
        let refusal = image_url::check(&url, &row.name(), true).err()?;
        Some(format!("Not set: {refusal}"))
    }

    /// Sets (or, when empty, clears) the URL, and asks for it to be kept
    /// for the next session.
    pub(super) fn commit_edit(&mut self, field: EditField, text: String) {
        let Some(id) = self.view.selected() else {
            return;
        };
        let url = (!text.is_empty()).then_some(text);
        let change = match field {
            EditField::Url => {
                self.rows[id].url = url.clone();
                UrlChange::Image(self.rows[id].path().to_path_buf(), url)
            }
            EditField::BaseUrl => {
                let root = self.rows[id].root().to_path_buf();
                if url.is_some() {
                    self.notes
                        .say("Base URL set (kept for next time); S also writes it to config.toml.");
                }
                self.serving.set_base(root.clone(), url.clone());
                UrlChange::Folder(root, url)
            }
        };
        self.outbox.push(Effect::RememberUrl(change));
    }

    /// `S`: the base URL set for the selected row's folder goes into the config file.
    pub(super) fn save_base_url(&mut self) {
        let Some(root) = self.selected_row().map(|r| r.root().to_path_buf()) else {
            return;
        };
        match self.serving.keep_base(&root) {
            Some((folder, url)) => self.outbox.push(Effect::SaveBaseUrl { folder, url }),
            None => self
                .notes
                .say("No base URL set this session for this folder (press b)."),
        }
    }

    /// `v`: verify the selected row's URL.
    pub(super) fn verify_rows(&mut self, ids: &[RowId]) {
        let (queued, skipped) = self.verify_slice(ids, false);
        self.say_verifying(queued, skipped, ids.len(), true);
    }

    /// `V`: every row in view, a slice per turn of the loop (`Msg::Sweep`).
    pub(super) fn verify_all(&mut self) {
        let ids = self.view.ids().to_vec();
        if ids.len() > 1 {
            self.batches.start(batch::Kind::Verify, []);
        }
        self.sweeps.start(sweep::Kind::Verify, ids);
        self.continue_verify();
    }

    pub(super) fn continue_verify(&mut self) {
        let Some((ids, total)) = self.sweeps.next_slice(sweep::Kind::Verify) else {
            return;
        };
        let (queued, skipped) = self.verify_slice(&ids, total > 1);
        let (queued, skipped) = self.sweeps.count_verified(queued, skipped);
        let last = !self.sweeps.has(sweep::Kind::Verify);
        self.say_verifying(queued, skipped, total, last);
    }

    /// Starts the checks of `ids`' URLs (`in_batch`: tallied as the `V`
    /// under way). Rows without a hash or URL are skipped. Returns how many
    /// were queued and skipped.
    fn verify_slice(&mut self, ids: &[RowId], in_batch: bool) -> (usize, usize) {
        let (mut jobs, mut rows) = (Vec::new(), Vec::new());
        let mut skipped = 0;
        for &id in ids {
            let Some(row) = self.rows.get(id) else {
                continue;
            };
            let (Some(url), RowState::Done(digest)) = (self.serving.url_for(row), &row.state)
            else {
                skipped += 1;
                continue;
            };
            let (digest, size) = (*digest, row.size);
            let token = self.jobs.child_token();
            let job = self.jobs.next_id();
            self.findings
                .verifying(id, job, url.clone(), digest, token.clone());
            rows.push(id);
            jobs.push(VerifyJob {
                id: job,
                url,
                expected: Expected { digest, size },
                token,
            });
        }
        if in_batch {
            self.batches.add(batch::Kind::Verify, rows);
        }
        let queued = jobs.len();
        if !jobs.is_empty() {
            self.outbox.push(Effect::Verify(jobs));
        }
        (queued, skipped)
    }

    /// The status line while checks are queued (`last`: all are).
    fn say_verifying(&mut self, queued: usize, skipped: usize, rows: usize, last: bool) {
        let more = if last { "" } else { " so far" };
        self.notes.say(match (queued, skipped) {
            (0, _) if rows <= 1 => {
                "Nothing to verify: this image needs a hash and a URL (press e or b).".into()
            }
            (0, _) if !last => format!("Verifying: looking at {}…", count(rows, "image")),
            (0, n) => format!("Nothing to verify: {n} images lack a hash or a URL."),
            (n, 0) => format!("Verifying {}{more}…", count(n, "URL")),
            (n, s) => format!(
                "Verifying {}; {} without a hash or URL skipped{more}.",
                count(n, "URL"),
                count(s, "image")
            ),
        });
    }

    /// `w`: write `SHA3SUMS` for the selected image's folder, from the
    /// hashes shown for the images directly in it.
    pub(super) fn write_sums(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let folder = gvmi_core::manifest::folder_of(row.path());
        let (hashes, pending) = crate::tui::changes::folder_sums(&self.rows, &folder);
        if hashes.is_empty() {
            return self.notes.say("No hashes in this folder yet.");
        }
        if pending > 0 {
            self.notes.say(match pending {
                1 => "1 image in this folder has no hash yet and is left out.".to_string(),
                n => format!("{n} images in this folder have no hash yet and are left out."),
            });
        }
        self.outbox.push(Effect::WriteSums { folder, hashes });
    }
}

/// The warnings a copy comes with, in one line; the URL's are the ones
/// `gvmi snippet` gives (a loopback or private host providers cannot reach,
/// …), from the same rule (`image_url::check`, through `Serving::url_notes`).
fn joined(warnings: Vec<String>) -> Option<String> {
    (!warnings.is_empty()).then(|| warnings.join("; "))
}
