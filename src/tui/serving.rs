//! Where an image will be served from and the snippet that points at it:
//! the workbench's view of `url_choice`, `image_url`, `config`, `snippet`
//! and the publish records (`publish::state`, loaded before the first
//! frame and kept up to date by `p`). A part of `App` with its own state:
//! the snippet target, the templates, the config, the base URLs set with
//! `b`, the image URLs kept from earlier sessions, and the publish records.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::rows::{Row, RowState};
use super::saved_urls::SavedUrls;
use gvmi_core::config::Config;
use gvmi_core::image_url;
use gvmi_core::publish::state::{Candidate, Published};
use gvmi_core::snippet::{self, Resources, SnippetInput, Target, Templates};
use gvmi_core::url_choice::{self, UrlChoice};

/// What the user's files say, read before the first frame (no I/O after).
#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Config,
    /// Where `config` is read from (`config::config_path`): what `p`'s hint
    /// names; none without a config folder.
    pub config_file: Option<PathBuf>,
    pub templates: Templates,
    /// Where `gvmi publish` (or `p`) put images.
    pub published: Published,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            config: Config::default(),
            config_file: None,
            templates: Templates::builtin(),
            published: Published::default(),
        }
    }
}

#[derive(Debug)]
pub struct Serving {
    target: Target,
    resources: Resources,
    templates: Templates,
    config: Config,
    config_file: Option<PathBuf>,
    published: Published,
    /// Base URLs set with `b` (this session or an earlier one), per scanned folder.
    base_urls: HashMap<PathBuf, String>,
    /// Image URLs set with `e` in earlier sessions, for rows not yet found.
    saved_image_urls: HashMap<PathBuf, String>,
}

impl Serving {
    /// The config's target and resources (when it names valid ones: a bad
    /// one was reported before the screen took over), else the defaults.
    pub fn new(settings: Settings) -> Self {
        let Settings {
            config,
            config_file,
            templates,
            published,
        } = settings;
        Serving {
            target: config.target().unwrap_or(Target::Yapapi),
            resources: config.resources().unwrap_or_default(),
            templates,
            config,
            config_file,
            published,
            base_urls: HashMap::new(),
            saved_image_urls: HashMap::new(),
        }
    }

    pub fn target(&self) -> Target {
        self.target
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// config.toml as read again (`p` found no `[[publish]]`): its publish
    /// destinations and base URLs from now on; the target and resources stay
    /// as this session has them (`t` may have changed the target).
    pub fn set_config(&mut self, config: Config) {
        self.config = config;
    }

    /// Where the config is read from, if there is a config folder.
    pub fn config_file(&self) -> Option<&Path> {
        self.config_file.as_deref()
    }

    /// `t`: the next target (Ray, which has no snippet, is skipped).
    pub fn next_target(&mut self) {
        let all = snippet::Target::ALL;
        let mut i = all.iter().position(|&t| t == self.target).unwrap_or(0);
        loop {
            i = (i + 1) % all.len();
            if all[i].unsupported_reason().is_none() {
                break;
            }
        }
        self.target = all[i];
    }

    /// The base URL set with `b` for `root` this session (or kept from an earlier one).
    pub fn run_base(&self, root: &Path) -> Option<&str> {
        self.base_urls.get(root).map(String::as_str)
    }

    /// The folder's base URL: set with `b`, else from the config file.
    pub fn base_url_for(&self, row: &Row) -> Option<String> {
        url_choice::folder_base(self.run_base(row.root()), &self.config, row.root())
    }

    /// The URL a provider will download this image from, if known
    /// (`url_choice`'s rule; the config is matched on the path as found:
    /// resolving symlinks would be file I/O on the UI thread).
    pub fn url_for(&self, row: &Row) -> Option<String> {
        let choice = UrlChoice {
            own: row.url.as_deref(),
            run_base: self.run_base(row.root()),
            published: Some(&self.published),
            config: &self.config,
        };
        choice.url(
            row.relative_path(),
            std::slice::from_ref(&row.path().to_path_buf()),
        )
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

    /// The URL `u` would copy, or why not: the rule a snippet's URL follows
    /// (`image_url::check`), so a URL no provider can use, or one that would
    /// act on a terminal or shell when pasted (ESC, CR/LF, bidi), never
    /// reaches the clipboard.
    pub fn url_to_copy(&self, row: &Row) -> Result<String, String> {
        let Some(url) = self.url_for(row) else {
            return Err("No URL yet: press e (this image) or b (its folder).".into());
        };
        match image_url::check(&url, &row.name(), self.target.accepts_file_urls()) {
            Ok(_) => Ok(url),
            Err(why) => Err(format!("URL not copied: {why}")),
        }
    }

    /// The snippet for the current target, or why there is none yet.
    pub fn snippet_for(&self, row: &Row) -> Result<String, String> {
        self.snippet_with(row, snippet::HASHED_BY_GVMI)
    }

    /// [`Serving::snippet_for`], saying where the hash came from
    /// (completing "SHA3-224 …").
    pub fn snippet_with(&self, row: &Row, hash_source: &str) -> Result<String, String> {
        let hash = match &row.state {
            // Waiting would be a false promise: this file gets no hash.
            RowState::Failed(why) => return Err(format!("this file cannot be hashed: {why}")),
            state => *state.digest().ok_or("available once the hash is known")?,
        };
        let input = SnippetInput {
            file_name: row.name(),
            size: row.size,
            hash,
            hash_source: hash_source.into(),
            url: self.url_for(row),
            resources: self.resources.clone(),
        };
        snippet::render(self.target, &input, &self.templates).map_err(|e| e.to_string())
    }

    /// Sets (or, with `None`, clears) the base URL for `root`.
    pub fn set_base(&mut self, root: PathBuf, url: Option<String>) {
        match url {
            Some(url) => self.base_urls.insert(root, url),
            None => self.base_urls.remove(&root),
        };
    }

    /// `S`: `root`'s base URL, now in the session's config too, for the
    /// file (merged there by `config::save_base_url`); `None` when no base
    /// URL was set for it.
    pub fn keep_base(&mut self, root: &Path) -> Option<(PathBuf, String)> {
        let url = self.base_urls.get(root)?.clone();
        self.config.set_base_url(root.to_path_buf(), url.clone());
        Some((root.to_path_buf(), url))
    }

    /// URLs kept from earlier sessions; base URLs set in this one win.
    pub fn restore(&mut self, saved: &SavedUrls) {
        for (folder, url) in saved.folders() {
            self.base_urls.entry(folder).or_insert(url);
        }
        self.saved_image_urls = saved.images();
    }

    /// The URL an earlier session set with `e` for the image at `path`.
    pub fn saved_url(&self, path: &Path) -> Option<String> {
        self.saved_image_urls.get(path).cloned()
    }

    /// A publish ended with this record (`p`): the image's URL follows it
    /// by the rule the state file was merged by, without reading the file.
    pub fn published(&mut self, candidate: &Candidate) {
        self.published.insert(candidate);
    }
}
