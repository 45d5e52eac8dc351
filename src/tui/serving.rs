//! Where an image will be served from and the snippet that points at it:
//! the workbench's view of `url_choice`, `image_url`, `config` and `snippet`
//! (not `gvmi publish`, which uploads), and `v`/`V`, which check that the
//! URL serves the image.

use super::app::{App, EditField, Effect};
use super::batch;
use super::rows::{Row, RowId, RowState};
use super::saved_urls::{SavedUrls, UrlChange};
use super::workers::VerifyJob;
use crate::image_url;
use crate::snippet::{self, SnippetInput};
use crate::units::count;
use crate::url_choice::{self, UrlChoice};
use crate::verify::Expected;

impl App {
    pub fn target_name(&self) -> &'static str {
        self.target.name()
    }

    /// The next target `t` selects (Ray, which has no snippet, is skipped).
    pub(super) fn cycle_target(&mut self) {
        let all = snippet::Target::ALL;
        let mut i = all.iter().position(|&t| t == self.target).unwrap_or(0);
        loop {
            i = (i + 1) % all.len();
            if all[i].unsupported_reason().is_none() {
                break;
            }
        }
        self.target = all[i];
        // Another snippet in the details pane: shown from its top.
        self.details_row = None;
    }

    /// The folder's base URL: set with `b`, else from the config file.
    pub fn base_url_for(&self, row: &Row) -> Option<String> {
        let run_base = self.base_urls.get(&row.root).map(String::as_str);
        url_choice::folder_base(run_base, &self.config, &row.root)
    }

    /// The URL a provider will download this image from, if known
    /// (`url_choice`'s rule; the config is matched on the path as found:
    /// resolving symlinks would be file I/O on the UI thread).
    pub fn url_for(&self, row: &Row) -> Option<String> {
        let choice = UrlChoice {
            own: row.url.as_deref(),
            run_base: self.base_urls.get(&row.root).map(String::as_str),
            // Loaded by `tui::run` before the first frame: no I/O here.
            published: Some(crate::publish::state::shared()),
            config: &self.config,
        };
        choice.url(row.relative_path(), std::slice::from_ref(&row.path))
    }

    /// Warnings (or the refusal) for this row's URL, in plain words.
    pub fn url_notes(&self, row: &Row) -> Vec<String> {
        let Some(url) = self.url_for(row) else {
            return Vec::new();
        };
        match image_url::check(&url, &row.name(), self.target.accepts_file_urls()) {
            Ok(warnings) => warnings.iter().map(ToString::to_string).collect(),
            Err(refusal) => vec![refusal.to_string()],
        }
    }

    /// The snippet for the current target, or why there is none yet.
    pub fn snippet_for(&self, row: &Row) -> Result<String, String> {
        let hash = match &row.state {
            // Waiting would be a false promise: this file gets no hash.
            RowState::Failed(why) => return Err(format!("this file cannot be hashed: {why}")),
            state => *state.digest().ok_or("available once the hash is known")?,
        };
        let input = SnippetInput {
            file_name: row.name(),
            size: row.size,
            hash,
            hash_source: snippet::HASHED_BY_GVMI.into(),
            url: self.url_for(row),
            resources: self.resources.clone(),
        };
        snippet::render(self.target, &input, &self.templates).map_err(|e| e.to_string())
    }

    /// Sets (or, when empty, clears) the URL, and asks for it to be kept
    /// for the next session.
    pub(super) fn commit_edit(&mut self, field: EditField, text: String) -> Option<Effect> {
        let index = self.selected?;
        let url = (!text.is_empty()).then_some(text);
        let change = match field {
            EditField::Url => {
                self.rows[index].url = url.clone();
                UrlChange::Image(self.rows[index].path.clone(), url)
            }
            EditField::BaseUrl => {
                let root = self.rows[index].root.clone();
                match &url {
                    Some(url) => {
                        self.base_urls.insert(root.clone(), url.clone());
                        self.status = Some(
                            "Base URL set (kept for next time); S also writes it to config.toml."
                                .into(),
                        );
                    }
                    None => {
                        self.base_urls.remove(&root);
                    }
                }
                UrlChange::Folder(root, url)
            }
        };
        Some(Effect::RememberUrl(change))
    }

    /// URLs kept from earlier sessions; those set in this one win.
    pub fn restore_urls(&mut self, saved: &SavedUrls) {
        for (folder, url) in saved.folders() {
            self.base_urls.entry(folder).or_insert(url);
        }
        self.saved_image_urls = saved.images();
        for row in self.rows.iter_mut() {
            if row.url.is_none() {
                row.url = self.saved_image_urls.get(&row.path).cloned();
            }
        }
    }

    pub(super) fn save_base_url(&mut self) -> Option<Effect> {
        let row = self.selected_row()?;
        let Some(url) = self.base_urls.get(&row.root).cloned() else {
            self.status = Some("No base URL set this session for this folder (press b).".into());
            return None;
        };
        let folder = row.root.clone();
        self.config.set_base_url(folder.clone(), url.clone());
        Some(Effect::SaveConfig(self.config.clone()))
    }

    pub(super) fn copy_url(&mut self) -> Option<Effect> {
        let row = self.selected_row()?;
        let Some(text) = self.url_for(row) else {
            self.status = Some("No URL yet: press e (this image) or b (its folder).".into());
            return None;
        };
        // The rule a snippet's URL follows (`image_url::check`): a URL no
        // provider can use, or one that would act on a terminal or shell
        // when pasted (ESC, CR/LF, bidi), never reaches the clipboard.
        let file_urls = self.target.accepts_file_urls();
        if let Err(why) = image_url::check(&text, &row.name(), file_urls) {
            self.status = Some(format!("URL not copied: {why}"));
            return None;
        }
        Some(Effect::Copy {
            what: "URL".into(),
            text,
            warning: None,
        })
    }

    /// What is wrong with the snippet for the selected row, in one line:
    /// an image that failed inspection, or a placeholder URL.
    pub fn snippet_warning(&self) -> Option<String> {
        let index = self.selected?;
        let mut warnings = Vec::new();
        if self.findings.is_invalid(index) {
            warnings.push("this image failed inspection (✗ invalid; see details)");
        }
        if self.url_for(&self.rows[index]).is_none() {
            warnings.push("placeholder URL: set one with e or b");
        }
        (!warnings.is_empty()).then(|| warnings.join("; "))
    }

    pub(super) fn copy_snippet(&mut self) -> Option<Effect> {
        let row = self.selected_row()?;
        match self.snippet_for(row) {
            Ok(text) => Some(Effect::Copy {
                what: format!("{} snippet", self.target_name()),
                text,
                warning: self.snippet_warning(),
            }),
            Err(why) => {
                self.status = Some(format!("No snippet: {why}"));
                None
            }
        }
    }

    /// `v` / `V`: verify these rows' URLs. Rows without a hash or URL are
    /// skipped and counted in the status line.
    pub(super) fn verify_rows(&mut self, ids: &[RowId]) -> Option<Effect> {
        let (mut jobs, mut rows) = (Vec::new(), Vec::new());
        let mut skipped = 0;
        for &id in ids {
            let Some(row) = self.rows.get(id) else {
                continue;
            };
            let (Some(url), RowState::Done(digest)) = (self.url_for(row), &row.state) else {
                skipped += 1;
                continue;
            };
            let (digest, size) = (*digest, row.size);
            let token = self.root_token.child();
            let job = self.ids.next();
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
        if rows.len() > 1 {
            self.batches.start(batch::Kind::Verify, rows);
        }
        self.status = Some(match (jobs.len(), skipped) {
            (0, _) if ids.len() <= 1 => {
                "Nothing to verify: this image needs a hash and a URL (press e or b).".into()
            }
            (0, n) => format!("Nothing to verify: {n} images lack a hash or a URL."),
            (n, 0) => format!("Verifying {}…", count(n, "URL")),
            (n, s) => format!(
                "Verifying {}; {} without a hash or URL skipped.",
                count(n, "URL"),
                count(s, "image")
            ),
        });
        (!jobs.is_empty()).then_some(Effect::Verify(jobs))
    }
}
