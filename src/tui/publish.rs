//! Where an image will be served from and the snippet that points at it.
//! (Interim: replaced by the snippet module's renderer when it lands.)

use std::path::PathBuf;

use super::app::{App, EditField, Effect};
use super::rows::Row;

impl App {
    pub fn target_name(&self) -> &'static str {
        "task-package"
    }

    pub fn base_url_for(&self, row: &Row) -> Option<String> {
        self.base_urls.get(&row.root).cloned()
    }

    pub fn url_for(&self, row: &Row) -> Option<String> {
        if let Some(url) = &row.url {
            return Some(url.clone());
        }
        let base = self.base_url_for(row)?;
        let rel = row.relative_path().to_string_lossy().replace('\\', "/");
        Some(format!("{}/{}", base.trim_end_matches('/'), rel))
    }

    pub fn snippet_for(&self, row: &Row) -> Option<String> {
        let digest = row.state.digest()?;
        let url = self.url_for(row).unwrap_or_default();
        Some(format!("hash:sha3:{}:{}", digest.to_hex(), url))
    }

    pub(super) fn commit_edit(&mut self, field: EditField, text: String) {
        let Some(index) = self.selected else { return };
        match field {
            EditField::Url => self.rows[index].url = (!text.is_empty()).then_some(text),
            EditField::BaseUrl => {
                let root: PathBuf = self.rows[index].root.clone();
                self.base_urls.insert(root, text);
            }
        }
    }

    pub(super) fn save_base_url(&mut self) -> Option<Effect> {
        let row = self.selected_row()?;
        let url = self.base_url_for(row)?;
        Some(Effect::SaveBaseUrl {
            folder: row.root.clone(),
            url,
        })
    }

    pub(super) fn copy_url(&mut self) -> Option<Effect> {
        let row = self.selected_row()?;
        let text = self.url_for(row)?;
        Some(Effect::Copy {
            what: "URL".into(),
            text,
        })
    }

    pub(super) fn copy_snippet(&mut self) -> Option<Effect> {
        let row = self.selected_row()?;
        let text = self.snippet_for(row)?;
        Some(Effect::Copy {
            what: "snippet".into(),
            text,
        })
    }
}
