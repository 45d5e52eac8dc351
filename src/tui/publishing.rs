//! `p` publishes the selected image, `P` every image under the same
//! `[[publish]]` folder of config.toml; the publish worker does the work
//! (`tui::publisher`). When an image is published its row's URL becomes
//! the published one.

use super::app::{App, Effect};
use super::batch::Kind;
use super::findings::Publish;
use super::publisher::PublishJob;
use super::rows::{RowId, RowState};
use crate::units::count;

impl App {
    /// `p`: the selected row.
    pub(super) fn publish_selected(&mut self) -> Option<Effect> {
        let id = self.selected?;
        self.publish_rows(&[id])
    }

    /// `P`: every row under the selected row's `[[publish]]` folder.
    pub(super) fn publish_folder(&mut self) -> Option<Effect> {
        let row = self.selected_row()?;
        let Some(to) = self.config.publish_for(&row.path) else {
            return self.no_destination();
        };
        let folder = to.folder.clone();
        let ids: Vec<RowId> = (self.rows.ids().into_iter())
            .filter(|&id| self.rows[id].path.starts_with(&folder))
            .collect();
        self.publish_rows(&ids)
    }

    /// Says what to write where: the config file and a `[[publish]]` for
    /// the selected row's folder, its lines joined by ⏎ (the status line is
    /// one line, wrapped to at most three).
    fn no_destination(&mut self) -> Option<Effect> {
        let folder = (self.selected_row())
            .and_then(|row| row.path.parent())
            .map_or_else(|| "/DIR".into(), |f| f.to_string_lossy().into_owned());
        let file = crate::config::config_path().map_or_else(
            || "config.toml in gvmi's config folder (set XDG_CONFIG_HOME or HOME)".into(),
            |p| home_as_tilde(&p),
        );
        // A TOML string, escaped as TOML wants, so the line can be typed as shown.
        let folder = toml::Value::String(folder);
        self.status = Some(format!(
            "No [[publish]] covers this folder; add to {file}: [[publish]] ⏎ \
             folder = {folder} ⏎ to = \"s3://BUCKET/PREFIX\" ⏎ \
             public_base_url = \"https://HOST/PREFIX/\" (see gvmi publish --help)"
        ));
        None
    }

    fn publish_rows(&mut self, ids: &[RowId]) -> Option<Effect> {
        let (mut jobs, mut rows) = (Vec::new(), Vec::new());
        let mut running = 0;
        for &id in ids {
            let Some(row) = self.rows.get(id) else {
                continue;
            };
            let Some(to) = self.config.publish_for(&row.path).cloned() else {
                continue;
            };
            if self.findings.is_publishing(id) {
                running += 1;
                continue;
            }
            let known = match &row.state {
                RowState::Done(d) => Some(*d),
                _ => None,
            };
            let (path, total) = (row.path.clone(), row.size.unwrap_or(0));
            let job = self.ids.next();
            self.findings.publishing(id, job, total);
            rows.push(id);
            let token = self.root_token.child();
            jobs.push(PublishJob {
                id: job,
                path,
                to,
                known,
                record_in: crate::publish::state::path(),
                token,
            });
        }
        if jobs.is_empty() && running > 0 {
            self.status = Some(format!("Already publishing {}.", count(running, "image")));
            return None;
        }
        if jobs.is_empty() {
            return self.no_destination();
        }
        if rows.len() > 1 {
            self.batches.start(Kind::Publish, rows);
        }
        let n = jobs.len();
        self.status = Some(format!(
            "Publishing {n} image{}…",
            if n == 1 { "" } else { "s" }
        ));
        Some(Effect::Publish(jobs))
    }

    /// A publish ended: the row's URL is now the published one.
    pub(super) fn published(&mut self, id: RowId) {
        let Some(Publish::Done(result)) = self.findings.publish(id).cloned() else {
            return;
        };
        let Some(row) = self.rows.get_mut(id) else {
            return;
        };
        let outcome = match &result {
            Ok(_) => Ok(()),
            Err(why) => Err((row.name(), why.lines().next().unwrap_or_default().into())),
        };
        let line = match result {
            Ok(at) => {
                let verb = if at.uploaded {
                    "published"
                } else {
                    "already published"
                };
                let line = format!("{} {verb} at {}.", row.name(), at.url);
                row.url = Some(at.url);
                line
            }
            Err(why) => {
                let first = why.lines().next().unwrap_or_default().to_string();
                format!("{}: not published: {first}", row.name())
            }
        };
        // In a batch (`P`): the tally, not only the last row's word.
        let tally = self.batches.finish(Kind::Publish, id, outcome);
        self.status = Some(tally.unwrap_or(line));
    }
}

/// `path` with the home folder shown as `~`, as the user would type it.
fn home_as_tilde(path: &std::path::Path) -> String {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if home.as_deref() != Some(std::path::Path::new("/")) => {
            format!("~/{}", rest.display())
        }
        _ => path.display().to_string(),
    }
}
