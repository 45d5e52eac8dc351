//! `p` publishes the selected image, `P` every image under the same
//! `[[publish]]` folder of config.toml; the publish worker does the work
//! (`tui::publisher`). When an image is published its row's URL becomes
//! the published one.

use super::app::{App, Effect};
use super::findings::Publish;
use super::publisher::PublishJob;
use super::rows::{RowId, RowState};

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

    fn no_destination(&mut self) -> Option<Effect> {
        self.status = Some(
            "No [[publish]] in config.toml for this folder (folder, to, public_base_url; \
             see gvmi publish --help)."
                .into(),
        );
        None
    }

    fn publish_rows(&mut self, ids: &[RowId]) -> Option<Effect> {
        let mut jobs = Vec::new();
        for &id in ids {
            let Some(row) = self.rows.get(id) else {
                continue;
            };
            let Some(to) = self.config.publish_for(&row.path).cloned() else {
                continue;
            };
            if self.findings.is_publishing(id) {
                continue;
            }
            let known = match &row.state {
                RowState::Done(d) => Some(*d),
                _ => None,
            };
            let (path, total) = (row.path.clone(), row.size.unwrap_or(0));
            let job = self.ids.next();
            self.findings.publishing(id, job, total);
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
        if jobs.is_empty() {
            return self.no_destination();
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
        self.status = Some(match result {
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
        });
    }
}
