//! `gvmi snippet URL…`: images known by their URL only. Each body is
//! downloaded as a provider downloads it (`commands::fetching`, a few at
//! once) and hashed; the snippet names that URL and that hash. With
//! `--hash` the download checks the hash instead: a URL serving other
//! bytes is refused, naming the URL, the hash expected and the one served.

use super::prepare::{Asked, Prepared};
use super::Refused;
use crate::commands::fetching::{self, StreamJob};
use gvmi_core::hasher::Hashed;
use gvmi_core::image_url;
use gvmi_core::remote::{self, Source, Stream};
use gvmi_core::snippet::{self, SnippetInput};
use gvmi_core::visible::visible;

/// The operands when they are all http(s) URLs; `None` when none is a URL.
pub fn operands(args: &super::SnippetRequest) -> anyhow::Result<Option<Vec<String>>> {
    let remote: Vec<_> = (args.images.iter())
        .map(|p| p.to_str().filter(|a| remote::is_remote(a)))
        .collect();
    if remote.iter().all(Option::is_none) {
        return Ok(None);
    }
    anyhow::ensure!(
        remote.iter().all(Option::is_some),
        "give either local images or URLs, not both"
    );
    anyhow::ensure!(
        args.urls.url.is_none() && args.urls.base_url.is_none(),
        "a URL operand is the image's URL: --url and --base-url are for local images"
    );
    let mut urls = Vec::new();
    for arg in remote.into_iter().flatten() {
        match Source::parse(arg, &Default::default())? {
            Source::Url(url) => urls.push(url),
            Source::Bucket(_) => anyhow::bail!(
                "{}: a snippet names the URL providers download: give an object's public URL",
                visible(arg)
            ),
        }
    }
    Ok(Some(urls))
}

/// Downloads and hashes every URL (progress on a terminal), then makes
/// each ready for its snippet or says why not, in the order given.
pub fn prepare_all(
    urls: &[String],
    asked: &Asked,
) -> anyhow::Result<Vec<Result<Prepared, Refused>>> {
    let opts = asked.args.net;
    let jobs = (urls.iter().enumerate())
        .map(|(id, url)| {
            let url = url.clone();
            StreamJob {
                id,
                size: None,
                open: Box::new(move |cancel| Stream::open(&url, None, &opts, cancel)),
            }
        })
        .collect();
    let mut hashed: Vec<Option<Result<Hashed, String>>> = vec![None; urls.len()];
    fetching::hash_streams(jobs, None, true, |id, result| {
        hashed[id] = Some(result.map_err(|e| e.to_string()));
    })?;
    Ok(urls
        .iter()
        .zip(hashed)
        .map(|(url, result)| {
            let result = result.unwrap_or_else(|| Err("not downloaded".into()));
            prepare(url, result, asked)
        })
        .collect())
}

fn prepare(url: &str, hashed: Result<Hashed, String>, asked: &Asked) -> Result<Prepared, Refused> {
    let refused = |message: String| Refused {
        message,
        valid: None,
    };
    let hashed = hashed.map_err(|e| refused(format!("{}: {e}", visible(url))))?;
    let (served, size) = (hashed.digest, hashed.stamp.size);
    if let Some(expected) = asked.args.urls.hash.filter(|&h| h != served) {
        return Err(refused(format!(
            "{}: serves SHA3-224 {served} ({size} bytes), not the {expected} given with --hash: \
             providers would refuse it",
            visible(url)
        )));
    }
    let file_name = image_url::file_name(url).unwrap_or_else(|| "image.gvmi".to_string());
    let allow_file = matches!(asked.targets, [t] if t.accepts_file_urls());
    let warnings = image_url::check(url, &file_name, allow_file)
        .map_err(|e| refused(format!("{}: refused: {e}", visible(url))))?;
    Ok(Prepared {
        path: None,
        input: SnippetInput {
            file_name,
            size: Some(size),
            hash: served,
            hash_source: snippet::HASHED_BY_GVMI.into(),
            url: Some(url.to_string()),
            resources: asked.resources.clone(),
        },
        valid: None,
        warnings: warnings.iter().map(ToString::to_string).collect(),
    })
}
