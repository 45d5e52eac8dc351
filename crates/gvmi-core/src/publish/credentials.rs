//! AWS credentials the way users already keep them: the standard
//! environment variables, else `~/.aws/credentials` and `~/.aws/config`
//! (`--profile`, else `AWS_PROFILE`, else `default`). `publish` reads the
//! environment; the profile files are read here, through
//! `fsmeta::read_regular` (regular files only, capped).
//!
//! A secret never leaves this module except into the S3 client: `Debug`
//! is written by hand and no message quotes a value.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::fsmeta::{self, cap};

/// What a profile gives: keys, region and endpoint, each optional.
#[derive(Clone, Default)]
pub(crate) struct Profile {
    pub(crate) access_key_id: Option<String>,
    pub(crate) secret_access_key: Option<String>,
    pub(crate) session_token: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint_url: Option<String>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "…"),
            )
            .field("session_token", &self.session_token.as_ref().map(|_| "…"))
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .finish()
    }
}

/// The profile files' settings for `explicit` (`--profile`), else
/// `AWS_PROFILE`, else `default`. A missing file is no error; an unreadable
/// one is (named, with the reason). An explicit profile found in neither
/// file is an error.
pub(crate) fn load_profile(explicit: Option<&str>) -> Result<Profile, ProfileError> {
    let env_name = std::env::var("AWS_PROFILE").ok().filter(|s| !s.is_empty());
    let name = explicit
        .map(str::to_string)
        .or(env_name)
        .unwrap_or_else(|| "default".into());
    let creds_file = env_path("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let config_file = env_path("AWS_CONFIG_FILE", "config");
    let creds = read_ini(creds_file.as_deref())?;
    let config = read_ini(config_file.as_deref())?;
    let config_section = if name == "default" {
        "default".to_string()
    } else {
        format!("profile {name}")
    };
    let a = creds.get(&name);
    let b = config.get(&config_section).or_else(|| config.get(&name));
    if a.is_none() && b.is_none() && (explicit.is_some() || name != "default") {
        return Err(ProfileError::Missing {
            name,
            credentials: creds_file,
            config: config_file,
        });
    }
    let get = |key: &str| {
        a.and_then(|s| s.get(key))
            .or_else(|| b.and_then(|s| s.get(key)))
            .cloned()
    };
    Ok(Profile {
        access_key_id: get("aws_access_key_id"),
        secret_access_key: get("aws_secret_access_key"),
        session_token: get("aws_session_token"),
        region: get("region"),
        endpoint_url: get("endpoint_url"),
    })
}

/// Why the AWS profile files could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// A profile file exists but cannot be read (or is not a regular file).
    #[error(
        "{}: {}",
        crate::visible::visible_path(path),
        crate::io_error::message(source)
    )]
    Unreadable { path: PathBuf, source: io::Error },
    /// A profile named by `--profile` or `AWS_PROFILE` is in neither file.
    #[error(
        "AWS profile `{}` is in neither {} nor {}",
        crate::visible::visible(name),
        shown(credentials.as_deref()),
        shown(config.as_deref())
    )]
    Missing {
        name: String,
        credentials: Option<PathBuf>,
        config: Option<PathBuf>,
    },
}

fn shown(path: Option<&Path>) -> String {
    path.map_or("~/.aws/…".into(), |p| {
        crate::visible::visible_path(p).into_owned()
    })
}

fn env_path(var: &str, file: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(PathBuf::from(home).join(".aws").join(file))
}

type Sections = HashMap<String, HashMap<String, String>>;

fn read_ini(path: Option<&Path>) -> Result<Sections, ProfileError> {
    let Some(path) = path else {
        return Ok(Sections::new());
    };
    match fsmeta::read_regular(path, cap::CONFIG) {
        Ok((bytes, _)) => Ok(parse_ini(&String::from_utf8_lossy(&bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Sections::new()),
        Err(source) => Err(ProfileError::Unreadable {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The INI dialect of the AWS files: `[section]`, `key = value`, `#`/`;`
/// comments. Nested (indented) settings such as `s3 =` blocks are skipped.
fn parse_ini(text: &str) -> Sections {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((k, v))) = (&current, line.split_once('=')) {
            let entry = sections.entry(section.clone()).or_default();
            entry.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_keys_and_comments() {
        let s = parse_ini(
            "# c\n[default]\naws_access_key_id = AK\nAWS_SECRET_ACCESS_KEY=sk\n\n[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n",
        );
        assert_eq!(s["default"]["aws_access_key_id"], "AK");
        assert_eq!(s["default"]["aws_secret_access_key"], "sk");
        assert_eq!(s["profile dev"]["region"], "eu-west-1");
        assert!(!s["profile dev"].contains_key("addressing_style"));
    }

    #[test]
    fn profile_errors_name_the_file_and_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_ini(Some(dir.path())).unwrap_err();
        assert!(matches!(err, ProfileError::Unreadable { .. }), "{err:?}");
        let words = err.to_string();
        assert!(
            words.starts_with(&format!("{}: ", dir.path().display())),
            "{words}"
        );
        assert!(!words.contains("os error"), "{words}");
        let missing = ProfileError::Missing {
            name: "w\x1bork".into(),
            credentials: Some(PathBuf::from("/h/.aws/credentials")),
            config: None,
        };
        assert_eq!(
            missing.to_string(),
            "AWS profile `w\\eork` is in neither /h/.aws/credentials nor ~/.aws/…"
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let p = Profile {
            secret_access_key: Some("TOPSECRET".into()),
            ..Profile::default()
        };
        assert!(!format!("{p:?}").contains("TOPSECRET"));
    }
}
