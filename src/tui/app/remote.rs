//! Remote rows: objects of the remote sources arrive as rows (their size,
//! recorded hash and public URL at once), and `r` on one hashes its bytes
//! on `tui::remote_feed`'s threads instead of the engine.

use std::path::PathBuf;

use super::{App, Effect};
use crate::tui::event::RemoteEvent;
use crate::tui::keymap::Action;
use crate::tui::remote_feed::FetchJob;
use crate::tui::remotes::RemoteInfo;
use crate::tui::rows::{Row, RowFailure, RowId, RowState};
use gvmi_core::remote::{Object, Recorded};

impl App {
    pub(super) fn apply_remote(&mut self, event: RemoteEvent) {
        match event {
            RemoteEvent::Listed { source, objects } => {
                for object in objects {
                    self.add_object(source, object);
                }
            }
            RemoteEvent::Failed { name, why } => {
                self.notes.say(format!("{name}: cannot list it: {why}"));
            }
            RemoteEvent::Done => {}
        }
    }

    fn add_object(&mut self, source: usize, object: Object) {
        let Some(root) = self.remotes.sources().get(source).cloned() else {
            return;
        };
        let name = match root
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next())
        {
            Some(Some(bucket)) => format!("s3://{bucket}/{}", object.key),
            _ => object.key.clone(),
        };
        let mut row = Row::new(PathBuf::from(&name), PathBuf::from(&root));
        row.size = Some(object.size);
        // `c` and `u` name where providers download it.
        row.url = object.url.clone();
        row.state = match &object.recorded {
            Recorded::Hash(d) => RowState::Done(*d),
            Recorded::Missing => RowState::Failed(RowFailure::Unusable(
                "no recorded hash (x-amz-meta-sha3-224): r hashes its bytes".into(),
            )),
            Recorded::Malformed(text) => RowState::Failed(RowFailure::Unusable(format!(
                "its x-amz-meta-sha3-224 is not a SHA3-224: {text}"
            ))),
            Recorded::Unread(why) => RowState::Failed(RowFailure::Unusable(format!(
                "its metadata could not be read: {why}"
            ))),
        };
        self.places.note(&row);
        let info = RemoteInfo {
            source,
            object,
            name,
            hashed: None,
        };
        let id = self.add_row(row);
        self.remotes.add(id, info);
    }

    /// The jobs that hash remote rows' bytes (`r`, `R`): each with the
    /// row's own token, a child of the workbench's (quitting stops it).
    pub(super) fn fetch(&mut self, ids: &[RowId]) -> Option<Effect> {
        let mut jobs = Vec::new();
        for &id in ids {
            let Some(info) = self.remotes.get(id) else {
                continue;
            };
            let (source, object) = (info.source, info.object.clone());
            self.cancel_row(id);
            let (job, token) = self.jobs.start(id, object.size);
            self.rows[id].state = RowState::Queued;
            self.rows[id].asked = true;
            self.remotes.hashed(id, None);
            jobs.push(FetchJob {
                id: job,
                source,
                object,
                token,
            });
        }
        (!jobs.is_empty()).then_some(Effect::Fetch(jobs))
    }
}

impl App {
    /// Keys that act on a local file or folder say so on a remote row,
    /// and do nothing.
    pub(super) fn refused_on_remote(&mut self, action: Action, selected: &[RowId]) -> bool {
        let Some(info) = selected.first().and_then(|&id| self.remotes.get(id)) else {
            return false;
        };
        let why = match action {
            Action::Publish | Action::PublishFolder => "p and P publish local images",
            Action::WriteSums => "w writes a local folder's SHA3SUMS",
            Action::EditUrl | Action::EditBaseUrl | Action::SaveBaseUrl => {
                "its URL is the one its bucket serves it at"
            }
            _ => return false,
        };
        let message = format!("{} is a remote object: {why}.", info.name);
        self.notes.say(message);
        true
    }
}
