//! How `gvmi verify` tells one image's outcome: a human line (stdout) and
//! details (stderr), or one JSON object (`--json`). Every URL and message
//! shown to people goes through `visible`: a server chose some of it.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::commands::json::{self, PathFields};
use gvmi_core::digest::Sha3Digest;
use gvmi_core::verify::{exit, Failure, Verified};
use gvmi_core::visible::{visible, visible_path};

/// Why an image could not be checked at all (before any request).
#[derive(Debug)]
pub enum Local {
    /// No `--url`, `--base-url` or `[[base_url]]` for it.
    NoUrl(String),
    /// The local image could not be hashed.
    Unreadable(String),
}

/// One image's (or `--hash --url`'s) outcome.
#[derive(Debug)]
pub struct Outcome {
    pub path: Option<PathBuf>,
    pub url: Option<String>,
    pub digest: Option<Sha3Digest>,
    pub result: Result<Verified, Result<Failure, Local>>,
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match &self.result {
            Ok(_) => exit::OK,
            Err(Ok(failure)) => failure.exit_code(),
            Err(Err(_)) => exit::USAGE,
        }
    }

    fn outcome(&self) -> &'static str {
        match &self.result {
            Ok(_) => "ok",
            Err(Ok(failure)) => failure.kind(),
            Err(Err(Local::NoUrl(_))) => "no_url",
            Err(Err(Local::Unreadable(_))) => "unreadable",
        }
    }

    /// The whole explanation, sanitized, without the `gvmi: ` prefix.
    pub fn message(&self) -> Option<String> {
        match &self.result {
            Ok(_) => None,
            Err(Ok(failure)) => Some(failure.to_string()),
            Err(Err(Local::NoUrl(m) | Local::Unreadable(m))) => Some(visible(m).into_owned()),
        }
    }

    /// One line of JSON (newline included). Machine output: values as they
    /// are (`commands::json` escapes what a terminal acts on), `message` as
    /// people see it.
    pub fn json(&self) -> String {
        let (final_url, bytes) = match &self.result {
            Ok(v) => (Some(v.final_url.as_str()), Some(v.bytes)),
            Err(_) => (None, None),
        };
        let status = match &self.result {
            Err(Ok(failure)) => failure.status(),
            _ => None,
        };
        let mut value = json!({
            "url": self.url,
            "final_url": final_url,
            "sha3_224": self.digest.map(|d| d.to_string()),
            "ok": self.result.is_ok(),
            "bytes": bytes,
            "outcome": self.outcome(),
            "status": status,
            "exit_code": self.exit_code(),
            "message": self.message(),
        });
        if let Some(map) = value.as_object_mut() {
            PathFields::of(self.path.as_deref()).insert_into(map);
        }
        json::line(&value).expect("a JSON value always serializes")
    }

    /// `gvmi verify IMAGE`: the OK line for stdout, or the failure for stderr.
    pub fn single_text(&self) -> (String, String) {
        let url = visible(self.url.as_deref().unwrap_or("")).into_owned();
        match (&self.result, self.digest) {
            (Ok(ok), Some(digest)) => {
                let via = if Some(&ok.final_url) != self.url.as_ref() {
                    format!(" (redirected to {})", visible(&ok.final_url))
                } else {
                    String::new()
                };
                let line = format!(
                    "{url}: OK: serves the image ({} bytes, SHA3-224 {digest}){via}\n",
                    ok.bytes
                );
                (line, String::new())
            }
            (Err(Ok(failure)), _) => {
                // The image and the URL named once each: most failures name
                // the URL they met already (after redirects, another one).
                let said = failure.to_string();
                let image = (self.path.as_deref()).map(|p| format!("{}: ", visible_path(p)));
                let url = (!said.contains(&url)).then(|| format!("{url}: "));
                let named: String = [image, url].into_iter().flatten().collect();
                (String::new(), format!("gvmi: {named}{said}\n"))
            }
            // Local troubles name the image themselves (no URL was asked).
            _ => (
                String::new(),
                format!("gvmi: {}\n", self.message().unwrap_or_default()),
            ),
        }
    }

    /// A folder's line for this image (`shown`: its path as discovered, as
    /// `gvmi hash` prints it), and the details for stderr.
    pub fn batch_text(&self, shown: &Path) -> (String, String) {
        let shown = visible_path(shown);
        let url = visible(self.url.as_deref().unwrap_or("")).into_owned();
        match &self.result {
            Ok(_) => (format!("{shown}: OK {url}\n"), String::new()),
            Err(Ok(failure)) => (
                format!("{shown}: FAILED ({}) {url}\n", failure.short()),
                format!("gvmi: {shown}: {failure}\n"),
            ),
            Err(Err(local)) => {
                let what = match local {
                    Local::NoUrl(_) => "no URL",
                    Local::Unreadable(_) => "unreadable",
                };
                let detail = self.message().unwrap_or_default();
                (
                    format!("{shown}: FAILED ({what})\n"),
                    format!("gvmi: {detail}\n"),
                )
            }
        }
    }
}
