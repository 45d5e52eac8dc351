//! Which URL an image is served from: the one rule `gvmi verify`,
//! `gvmi snippet` and the workbench share. First the image's own URL
//! (`--url`, or `e` in the workbench), else a base URL given for this run
//! (`--base-url`, `b`) joined with the image's path below it, else the URL
//! `gvmi publish` put it at (`publish::state`), else the config file's
//! `[[base_url]]` whose folder holds the image.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::image_url;
use crate::publish::state::{Published, Record};

/// Where a chosen URL came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlSource {
    /// Given for this image alone.
    Own,
    /// A base URL given for this run, joined with the image's path.
    RunBase,
    /// Where `gvmi publish` put it (the record says with which hash).
    Published,
    /// The config file's `[[base_url]]` for the image's folder.
    Config,
}

/// A URL and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub url: String,
    pub(crate) source: UrlSource,
    /// For [`UrlSource::Published`]: the record, to warn when the image
    /// changed since.
    pub published: Option<Record>,
}

/// The places a URL can come from, in the order they are asked.
#[derive(Debug, Clone, Copy)]
pub struct UrlChoice<'a> {
    pub own: Option<&'a str>,
    pub run_base: Option<&'a str>,
    /// The publish records, when the caller loaded them.
    pub published: Option<&'a Published>,
    pub config: &'a Config,
}

impl UrlChoice<'_> {
    /// The URL for an image. `relative` is what a run's base URL is joined
    /// with; `absolute` are spellings of the image's absolute path matched
    /// against the config's folders, the first that matches wins (the CLI
    /// adds the symlink-resolved one; the workbench does no I/O to find it).
    pub fn choose(&self, relative: &Path, absolute: &[PathBuf]) -> Option<Chosen> {
        if let Some(url) = self.own {
            return Some(Chosen {
                url: url.to_string(),
                source: UrlSource::Own,
                published: None,
            });
        }
        if let Some(base) = self.run_base {
            return Some(Chosen {
                url: image_url::join(base, relative),
                source: UrlSource::RunBase,
                published: None,
            });
        }
        if let Some(record) = self.published.and_then(|p| p.get(absolute)) {
            return Some(Chosen {
                url: record.url.clone(),
                source: UrlSource::Published,
                published: Some(record.clone()),
            });
        }
        absolute
            .iter()
            .find_map(|path| self.config.base_url_for(path))
            .map(|(base, rel)| Chosen {
                url: image_url::join(&base.url, &rel),
                source: UrlSource::Config,
                published: None,
            })
    }

    /// Just the URL.
    pub fn url(&self, relative: &Path, absolute: &[PathBuf]) -> Option<String> {
        self.choose(relative, absolute).map(|c| c.url)
    }
}

/// A folder's base URL: the one given for this run, else the config's
/// `[[base_url]]` that holds the folder (extended by its path below that).
pub fn folder_base(run_base: Option<&str>, config: &Config, folder: &Path) -> Option<String> {
    if let Some(base) = run_base {
        return Some(base.to_string());
    }
    config
        .base_url_for(folder)
        .map(|(b, rel)| image_url::join(&b.url, &rel))
}

/// `image`'s path below `root`, or its file name when it is the root itself
/// (an image named directly) or not below it.
pub fn relative_below<'p>(image: &'p Path, root: &Path) -> &'p Path {
    match image.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel,
        _ => Path::new(image.file_name().unwrap_or(image.as_os_str())),
    }
}

/// The spellings of `image`'s absolute path a config folder may be written
/// in: as given (made absolute; unless it holds a `..`, which would make
/// `/f/../f/a.gvmi` look like `../f/a.gvmi` below `/f`), canonical (`..`
/// and linked folders resolved: `../imgs/a.gvmi` matches `/home/me/imgs`)
/// and, with `resolve_links`, with the image's own link resolved too.
pub fn absolute_spellings(image: &Path, resolve_links: bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::path::absolute(image)
        .ok()
        .filter(|p| !p.components().any(|c| c == std::path::Component::ParentDir))
        .into_iter()
        .collect();
    out.push(crate::canonical::of(image));
    if resolve_links {
        out.extend(image.canonicalize().ok());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_with(folder: &str, url: &str) -> Config {
        let mut c = Config::default();
        c.set_base_url(PathBuf::from(folder), url.to_string());
        c
    }

    #[test]
    fn own_wins_then_run_base_then_config() {
        let config = config_with("/srv", "https://cfg.example/");
        let rel = Path::new("sub/a.gvmi");
        let abs = [PathBuf::from("/srv/sub/a.gvmi")];
        let mut choice = UrlChoice {
            own: Some("https://own.example/a.gvmi"),
            run_base: Some("https://run.example"),
            published: None,
            config: &config,
        };
        let c = choice.choose(rel, &abs).unwrap();
        assert_eq!(c.source, UrlSource::Own);
        assert_eq!(c.url, "https://own.example/a.gvmi");
        choice.own = None;
        let c = choice.choose(rel, &abs).unwrap();
        assert_eq!(c.source, UrlSource::RunBase);
        assert_eq!(c.url, "https://run.example/sub/a.gvmi");
        choice.run_base = None;
        let c = choice.choose(rel, &abs).unwrap();
        assert_eq!(c.source, UrlSource::Config);
        assert_eq!(c.url, "https://cfg.example/sub/a.gvmi");
        assert_eq!(
            choice.choose(rel, &[PathBuf::from("/elsewhere/a.gvmi")]),
            None
        );
    }

    #[test]
    fn a_published_url_comes_after_the_run_base_and_before_the_config() {
        let config = config_with("/srv", "https://cfg.example/");
        let record = Record {
            url: "https://bkt.s3.eu-west-1.amazonaws.com/sub/a.gvmi".into(),
            sha3_224: "ab".repeat(28),
            size: 1,
            public: true,
        };
        let published = Published::with("/srv/sub/a.gvmi", record.clone());
        let abs = [PathBuf::from("/srv/sub/a.gvmi")];
        let mut choice = UrlChoice {
            own: None,
            run_base: Some("https://run.example"),
            published: Some(&published),
            config: &config,
        };
        let rel = Path::new("sub/a.gvmi");
        assert_eq!(choice.choose(rel, &abs).unwrap().source, UrlSource::RunBase);
        choice.run_base = None;
        let c = choice.choose(rel, &abs).unwrap();
        assert_eq!(c.source, UrlSource::Published);
        assert_eq!(c.url, record.url);
        assert_eq!(c.published, Some(record));
        let other = [PathBuf::from("/srv/b.gvmi")];
        assert_eq!(
            choice.choose(rel, &other).unwrap().source,
            UrlSource::Config
        );
    }

    #[test]
    fn later_spellings_are_tried_when_the_first_does_not_match() {
        let config = config_with("/real", "https://cfg.example/");
        let choice = UrlChoice {
            own: None,
            run_base: None,
            published: None,
            config: &config,
        };
        let abs = [PathBuf::from("/link/a.gvmi"), PathBuf::from("/real/a.gvmi")];
        assert_eq!(
            choice.url(Path::new("a.gvmi"), &abs).as_deref(),
            Some("https://cfg.example/a.gvmi")
        );
    }

    #[test]
    fn relative_below_falls_back_to_the_file_name() {
        let root = Path::new("/srv/images");
        assert_eq!(
            relative_below(Path::new("/srv/images/x/a.gvmi"), root),
            Path::new("x/a.gvmi")
        );
        assert_eq!(
            relative_below(Path::new("/srv/images"), root),
            Path::new("images")
        );
        assert_eq!(
            relative_below(Path::new("/other/b.gvmi"), root),
            Path::new("b.gvmi")
        );
    }
}
