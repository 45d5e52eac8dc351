//! Why a snippet may not work as it is: the words `gvmi snippet` prints on
//! stderr and the workbench can show when it copies one.

use std::path::Path;

use crate::gvmi_format::{self, Inspection};

/// What inspection says of the image at `path`, for commands that refuse
/// to hand providers an image they will refuse (`snippet`, `publish`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageCheck {
    /// Not a regular file, or not readable: left to hashing, which says why.
    Unread,
    Valid,
    /// The words of [`invalid_image`].
    Invalid(String),
}

/// Inspects `path` (its head and tail only; see `gvmi_format`): what
/// [`admit`] decides on, for a command that refuses nothing but should say
/// so (`gvmi verify` of a file that is no valid image).
pub fn check(path: &Path) -> ImageCheck {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return ImageCheck::Unread;
    }
    match gvmi_format::inspect_file(path) {
        Err(_) => ImageCheck::Unread,
        Ok(inspection) => match invalid_image(&inspection) {
            Some(problem) => ImageCheck::Invalid(problem),
            None => ImageCheck::Valid,
        },
    }
}

/// A file refused for providers: inspection's words, then how to go on
/// anyway (`anyway`: what `--allow-invalid` does there).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem} (gvmi inspect names every defect; {anyway})")]
pub struct Inadmissible {
    /// The words of [`invalid_image`].
    pub(crate) problem: String,
    pub(crate) anyway: &'static str,
}

/// The one rule for handing providers a file (`gvmi snippet`, `gvmi
/// publish`, the workbench's `p`/`P`): one that fails inspection, a broken
/// image or no image at all (`-L` reaching `/etc/shadow`), is refused
/// unless `allow_invalid`, and then only warned about. `Ok` is what
/// inspection said (an allowed invalid image's words, to warn with); `Err`
/// the refusal.
pub fn admit(
    path: &Path,
    allow_invalid: bool,
    anyway: &'static str,
) -> Result<ImageCheck, Inadmissible> {
    match check(path) {
        ImageCheck::Invalid(problem) if !allow_invalid => Err(Inadmissible { problem, anyway }),
        check => Ok(check),
    }
}

/// The image failed inspection: its first defect, how many more, and what
/// that means for a deployment. `None` for a valid image.
pub(crate) fn invalid_image(inspection: &Inspection) -> Option<String> {
    let first = inspection.defects.first()?;
    let more = match inspection.defects.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more defect)".to_string(),
        n => format!(" (and {n} more defects)"),
    };
    Some(format!(
        "not a valid gvmi image: {first}{more}; providers will refuse it"
    ))
}

/// The snippet carries `image_url::placeholder` instead of a real URL.
pub const PLACEHOLDER_URL: &str = "the snippet carries a placeholder URL to replace";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gvmi_format::inspect_bytes;

    #[test]
    fn a_broken_image_is_named_with_its_first_defect() {
        let text = invalid_image(&inspect_bytes(b"not an image at all")).unwrap();
        assert!(text.starts_with("not a valid gvmi image: "), "{text}");
        assert!(text.ends_with("providers will refuse it"), "{text}");
        let refused = Inadmissible {
            problem: text.clone(),
            anyway: "--allow-invalid prints it anyway",
        };
        let expected =
            format!("{text} (gvmi inspect names every defect; --allow-invalid prints it anyway)");
        assert_eq!(refused.to_string(), expected);
    }
}
