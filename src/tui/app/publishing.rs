//! `p` publishes the selected image, `P` every image under the same
//! `[[publish]]` folder of config.toml; the publish worker does the work
//! (`tui::publisher`). When an image is published its row's URL becomes
//! the published one, and the publish records learn it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{App, Effect};
use crate::tui::batch::Kind;
use crate::tui::findings::Publish;
use crate::tui::publisher::PublishJob;
use crate::tui::rows::{RowId, RowState};
use gvmi_core::fsmeta::FileStamp;
use gvmi_core::publish::dest::{self, Dest};
use gvmi_core::units::count;
use gvmi_core::visible::visible_path;

/// An image as `dest::collisions` takes it: path, its `[[publish]]` folder, stamp.
type Image = (PathBuf, PathBuf, FileStamp);

impl App {
    /// `p`: the selected row.
    pub(super) fn publish_selected(&mut self) {
        if let Some(id) = self.view.selected() {
            self.publish_rows(&[id]);
        }
    }

    /// `P`: every row under the selected row's `[[publish]]` folder.
    pub(super) fn publish_folder(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let Some(to) = self.serving.config().publish_for(row.path()) else {
            return self.no_destination();
        };
        let folder = to.folder.clone();
        let ids: Vec<RowId> = (self.rows.iter())
            .filter(|r| r.path().starts_with(&folder))
            .map(|r| r.id())
            .collect();
        self.publish_rows(&ids);
    }

    /// Says what to write where: the config file and a `[[publish]]` for
    /// the selected row's folder, its lines joined by ⏎ (the status line is
    /// one line, wrapped). Only the keys it needs: the optional ones
    /// (`public_base_url`, `endpoint`, …) are in `gvmi publish --help`.
    fn no_destination(&mut self) {
        let folder = (self.selected_row())
            .and_then(|row| row.path().parent())
            .map_or_else(|| "/DIR".into(), |f| f.to_string_lossy().into_owned());
        let file = self.serving.config_file().map_or_else(
            || "config.toml in gvmi's config folder (set XDG_CONFIG_HOME or HOME)".into(),
            home_as_tilde,
        );
        // A TOML string, escaped as TOML wants, so the line can be typed as shown.
        let folder = toml::Value::String(folder);
        self.notes.say(format!(
            "No [[publish]] for this folder. Add to {file}: [[publish]] ⏎ \
             folder = {folder} ⏎ to = \"s3://BUCKET/PREFIX\" (more: gvmi publish --help)"
        ));
    }

    fn publish_rows(&mut self, ids: &[RowId]) {
        let mut wanted = Vec::new();
        let mut running = 0;
        for &id in ids {
            let Some(row) = self.rows.get(id) else {
                continue;
            };
            let Some(to) = self.serving.config().publish_for(row.path()) else {
                continue;
            };
            if self.findings.is_publishing(id) {
                running += 1;
                continue;
            }
            wanted.push((id, to.clone()));
        }
        if wanted.is_empty() && running > 0 {
            let running = count(running, "image");
            return self.notes.say(format!("Already publishing {running}."));
        }
        if wanted.is_empty() {
            return self.no_destination();
        }
        if let Some(clash) = self.first_collision(&wanted) {
            return self.notes.say(clash);
        }
        let (mut jobs, mut rows) = (Vec::new(), Vec::new());
        for (id, to) in wanted {
            let row = &self.rows[id];
            let known = match &row.state {
                RowState::Done(d) => Some(*d),
                _ => None,
            };
            let (path, total) = (row.path().to_path_buf(), row.size.unwrap_or(0));
            let job = self.jobs.next_id();
            self.findings.publishing(id, job, total);
            rows.push(id);
            jobs.push(PublishJob {
                id: job,
                path,
                to,
                known,
                record_in: gvmi_core::publish::state::path(),
                token: self.jobs.child_token(),
            });
        }
        if jobs.len() > 1 {
            self.batches.start(Kind::Publish, rows);
        }
        let n = jobs.len();
        self.notes.say(format!(
            "Publishing {n} image{}…",
            if n == 1 { "" } else { "s" }
        ));
        self.outbox.push(Effect::Publish(jobs));
    }

    /// Two different images this `P` would publish at one key (two
    /// `[[publish]]` folders sharing a destination), as `gvmi publish`
    /// finds them before anything is uploaded: the words for the first.
    fn first_collision(&self, wanted: &[(RowId, gvmi_core::config::PublishTo)]) -> Option<String> {
        let mut by_dest: BTreeMap<String, (Dest, Vec<Image>)> = BTreeMap::new();
        for (id, to) in wanted {
            let Ok(dest) = Dest::parse(&to.spec.to) else {
                continue; // the worker says what is wrong with it
            };
            let row = &self.rows[*id];
            let stamp = FileStamp {
                size: row.size.unwrap_or(0),
                mtime: row.mtime,
                id: None,
                ctime: None,
            };
            let image = (row.path().to_path_buf(), to.folder.clone(), stamp);
            let place = dest.describe(&dest.key(""));
            by_dest
                .entry(place)
                .or_insert((dest, Vec::new()))
                .1
                .push(image);
        }
        by_dest.values().find_map(|(dest, images)| {
            let all = images.iter().map(|(p, r, s)| (p.as_path(), r.as_path(), s));
            let clash = dest::collisions(dest, all, false).into_iter().next()?;
            let (first, second) = (visible_path(&clash.first), visible_path(&clash.second));
            let at = dest.describe(&clash.key);
            Some(format!(
                "Nothing published: {first} and {second} would both be published at {at} \
                 (give each [[publish]] its own `to`)."
            ))
        })
    }

    /// A publish ended: the row's URL is now the published one, and the
    /// publish records learn it.
    pub(super) fn published(&mut self, id: RowId) {
        let Some(Publish::Done { result, notes }) = self.findings.publish(id).cloned() else {
            return;
        };
        let Some(row) = self.rows.get_mut(id) else {
            return;
        };
        let outcome = match &result {
            Ok(_) => Ok(()),
            Err(not) if not.stored_at.is_some() => {
                Err((row.name(), format!("not public: {}", not.reason())))
            }
            Err(not) => Err((row.name(), not.reason().into())),
        };
        let mut line = match result {
            Ok(at) => {
                let verb = if at.uploaded {
                    "published"
                } else {
                    "already published"
                };
                let line = format!("{} {verb} at {}.", row.name(), at.url);
                row.url = Some(at.url);
                if let Some(record) = &at.record {
                    self.serving.published(record);
                }
                line
            }
            Err(not) => {
                let mut line = match &not.stored_at {
                    Some(_) => format!("{} uploaded, not public: {}", row.name(), not.reason()),
                    None => format!("{}: not published: {}", row.name(), not.reason()),
                };
                if let Some(gist) = not.fix_gist() {
                    line.push_str(&format!(". Fix: {gist} (details: Enter)."));
                    self.batches.fix(Kind::Publish, gist);
                }
                line
            }
        };
        // In a batch (`P`): the tally, not only the last row's word.
        if let Some(tally) = self.batches.finish(Kind::Publish, id, outcome) {
            line = tally;
        }
        for note in notes {
            line.push_str(&format!(" ⚠ {note}"));
        }
        self.notes.say(line);
    }
}

/// `path` with the home folder shown as `~`, as the user would type it.
fn home_as_tilde(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if home.as_deref() != Some(Path::new("/")) => {
            format!("~/{}", rest.display())
        }
        _ => path.display().to_string(),
    }
}
