//! The URL providers download an image from: built from a base URL and the
//! image's relative path, and checked for the mistakes that make a
//! deployment fail far away on a provider.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Component, Path};

use percent_encoding::{percent_decode_str, percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// RFC 3986 unreserved characters stay; everything else in a path segment
/// is percent-encoded (sub-delims too: some servers treat `;` or `+` specially).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Something to tell the user about a URL that will still be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlWarning {
    /// `localhost` or a `*.localhost` name.
    Localhost(String),
    /// 127.0.0.0/8, ::1, or the unspecified 0.0.0.0 / ::.
    Loopback(IpAddr),
    /// RFC 1918, carrier-grade NAT (100.64/10) or IPv6 unique-local (fc00::/7).
    PrivateAddress(IpAddr),
    /// 169.254/16 or fe80::/10.
    LinkLocal(IpAddr),
    /// An mDNS name (`*.local`), resolvable only on the local network.
    MdnsName(String),
    /// `user:password@` in the URL: it would be sent to every provider.
    Credentials,
    /// Characters a URL may not hold raw (space, quotes, non-ASCII...): SDKs
    /// and providers may encode them differently.
    NotEncoded(String),
    /// The path does not end in the image's file name.
    NameMismatch { expected: String, found: String },
}

impl fmt::Display for UrlWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNREACHABLE: &str = "providers on the Golem Network cannot reach it";
        match self {
            Self::Localhost(host) => write!(f, "host {host} is this machine: {UNREACHABLE}"),
            Self::Loopback(ip) => {
                write!(
                    f,
                    "{ip} is a loopback address (this machine): {UNREACHABLE}"
                )
            }
            Self::PrivateAddress(ip) => write!(f, "{ip} is a private address: {UNREACHABLE}"),
            Self::LinkLocal(ip) => write!(f, "{ip} is a link-local address: {UNREACHABLE}"),
            Self::MdnsName(host) => {
                write!(f, "{host} is a local-network (mDNS) name: {UNREACHABLE}")
            }
            Self::Credentials => f.write_str(
                "the URL carries a user name or password, which every provider would see",
            ),
            Self::NotEncoded(chars) => write!(
                f,
                "the URL holds characters that should be percent-encoded: {chars:?} \
                 (--base-url encodes the file name for you)"
            ),
            Self::NameMismatch { expected, found } => write!(
                f,
                "the URL ends in {found:?}, not the image's file name {expected:?}; \
                 is it the right file?"
            ),
        }
    }
}

/// Why a URL cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("the URL is empty")]
    Empty,
    /// A control or invisible format character (newline, ESC, NUL, U+202E,
    /// a zero-width space...) anywhere in the URL.
    #[error("the URL contains a control character (or an invisible one: bidi, zero-width)")]
    ControlCharacter,
    /// No `scheme://` prefix.
    #[error("not an absolute URL (expected http:// or https://)")]
    NotAbsolute,
    /// A scheme other than http/https (and file for golem-js).
    #[error("scheme {0:?} is not supported: use http or https")]
    Scheme(String),
    /// `file://` for a target other than golem-js.
    #[error("file:// URLs work only with golem-js (--target golem-js)")]
    FileNotSupported,
    /// `http://` or `https://` without a host.
    #[error("the URL has no host")]
    NoHost,
}

/// `base` + `relative`, each path segment of `relative` percent-encoded.
/// `base` names a folder: a missing trailing `/` is added.
pub fn join(base: &str, relative: &Path) -> String {
    let mut url = base.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    let segments: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(encode_segment(s)),
            _ => None,
        })
        .collect();
    url.push_str(&segments.join("/"));
    url
}

/// One path segment, percent-encoded byte by byte (raw bytes on Unix, so
/// even a non-UTF-8 name keeps its exact spelling).
pub(crate) fn encode_segment(segment: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(segment).to_vec();
    #[cfg(not(unix))]
    let bytes = segment.to_string_lossy().into_owned().into_bytes();
    percent_encode(&bytes, SEGMENT).to_string()
}

/// The URL a snippet carries when the user gave none.
pub fn placeholder(file_name: &str) -> String {
    join(
        "https://example.com/REPLACE-WITH-YOUR-URL/",
        Path::new(file_name),
    )
}

/// The decoded last path segment, e.g. the file name to use with `--hash --url`.
pub fn file_name(url: &str) -> Option<String> {
    let parts = split(url)?;
    let last = parts.path.rsplit('/').next()?;
    let name = percent_decode_str(last).decode_utf8_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}

/// The one rule for a URL gvmi hands on, to a provider through a snippet
/// (CLI and workbench), to the clipboard (`u`, `c`) or to its own fetch:
/// not empty; no character a terminal or a shell would act on (every
/// [`visible::is_unsafe`](crate::visible::is_unsafe) one: C0/C1 controls,
/// DEL, bidi and zero-width characters; a URL needs none of them raw); an
/// absolute `http(s)://` URL with a host, or `file://` where allowed.
/// Returns the URL's parts for the warnings.
fn rule(url: &str, allow_file: bool) -> Result<Parts<'_>, UrlError> {
    if url.is_empty() {
        return Err(UrlError::Empty);
    }
    if url.chars().any(crate::visible::is_unsafe) {
        return Err(UrlError::ControlCharacter);
    }
    let Some(parts) = split(url) else {
        // `javascript:x`, `data:,x` and `mailto:a@b` have a scheme but no `//`.
        return Err(match url.split_once(':') {
            Some((scheme, _)) if is_scheme(scheme) => UrlError::Scheme(scheme.to_string()),
            _ => UrlError::NotAbsolute,
        });
    };
    match parts.scheme.to_ascii_lowercase().as_str() {
        "http" | "https" if parts.host.is_empty() => Err(UrlError::NoHost),
        "http" | "https" => Ok(parts),
        "file" if allow_file => Ok(parts),
        "file" => Err(UrlError::FileNotSupported),
        _ => Err(UrlError::Scheme(parts.scheme.to_string())),
    }
}

/// Checks `url` for an image called `file_name` by [the rule](rule): `Err`
/// when it cannot work (it is then never put in a snippet nor copied),
/// otherwise the warnings to show (possibly none).
pub fn check(url: &str, file_name: &str, allow_file: bool) -> Result<Vec<UrlWarning>, UrlError> {
    let parts = rule(url, allow_file)?;
    let mut warnings = Vec::new();
    if !parts.scheme.eq_ignore_ascii_case("file") {
        warnings = reach_warnings(&parts, url);
    }
    warnings.extend(name_warning(&parts, file_name));
    Ok(warnings)
}

/// Checks a base URL images will be served under (`--public-base-url`):
/// [the rule](rule) for http(s), then the same warnings as [`check`] but
/// the file name's (a host providers cannot reach, a password, raw
/// characters).
pub fn check_base(url: &str) -> Result<Vec<UrlWarning>, UrlError> {
    check_http(url)?;
    let parts = rule(url, false)?;
    Ok(reach_warnings(&parts, url))
}

/// What every http(s) URL is warned about, whatever it names.
fn reach_warnings(parts: &Parts<'_>, url: &str) -> Vec<UrlWarning> {
    let mut warnings = Vec::new();
    if parts.userinfo.is_some() {
        warnings.push(UrlWarning::Credentials);
    }
    warnings.extend(host_warning(parts.host));
    warnings.extend(encoding_warning(url));
    warnings
}

/// Whether gvmi may fetch `url`: [the rule](rule) without `file://`. Used
/// for the URL given and for every redirect target before it is followed
/// (`file:`, `data:`, `mailto:` and `http:///x` are refused).
pub fn check_http(url: &str) -> Result<(), UrlError> {
    rule(url, false).map(|_| ()).map_err(|e| match e {
        UrlError::FileNotSupported => UrlError::Scheme(url[..4].to_string()),
        e => e,
    })
}

/// Whether `url` starts with a scheme (`x:`), i.e. is not a relative reference.
pub(crate) fn has_scheme(url: &str) -> bool {
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    url[..end]
        .split_once(':')
        .is_some_and(|(scheme, _)| is_scheme(scheme))
}

fn is_scheme(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// The pieces of `scheme://[userinfo@]host[:port]/path?query#fragment`.
struct Parts<'a> {
    scheme: &'a str,
    userinfo: Option<&'a str>,
    host: &'a str,
    path: &'a str,
}

fn split(url: &str) -> Option<Parts<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    if !is_scheme(scheme) {
        return None;
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let path = &tail[..tail.find(['?', '#']).unwrap_or(tail.len())];
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((user, hp)) => (Some(user), hp),
        None => (None, authority),
    };
    Some(Parts {
        scheme,
        userinfo,
        host: strip_port(host_port),
        path,
    })
}

fn strip_port(host_port: &str) -> &str {
    if let Some(inner) = host_port.strip_prefix('[') {
        return inner.split(']').next().unwrap_or(inner);
    }
    host_port.split(':').next().unwrap_or(host_port)
}

fn host_warning(host: &str) -> Option<UrlWarning> {
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return Some(UrlWarning::Localhost(host.to_string()));
    }
    if name.ends_with(".local") {
        return Some(UrlWarning::MdnsName(host.to_string()));
    }
    let ip: IpAddr = name.parse().ok()?;
    ip_warning(ip)
}

fn ip_warning(ip: IpAddr) -> Option<UrlWarning> {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    match ip {
        IpAddr::V4(v4) => v4_warning(v4),
        IpAddr::V6(v6) => v6_warning(v6),
    }
}

fn v4_warning(v4: Ipv4Addr) -> Option<UrlWarning> {
    let ip = IpAddr::V4(v4);
    let [a, b, ..] = v4.octets();
    if v4.is_loopback() || v4.is_unspecified() {
        Some(UrlWarning::Loopback(ip))
    } else if v4.is_link_local() {
        Some(UrlWarning::LinkLocal(ip))
    } else if v4.is_private() || (a == 100 && (64..128).contains(&b)) {
        Some(UrlWarning::PrivateAddress(ip))
    } else {
        None
    }
}

fn v6_warning(v6: Ipv6Addr) -> Option<UrlWarning> {
    let ip = IpAddr::V6(v6);
    let first = v6.segments()[0];
    if v6.is_loopback() || v6.is_unspecified() {
        Some(UrlWarning::Loopback(ip))
    } else if first & 0xffc0 == 0xfe80 {
        Some(UrlWarning::LinkLocal(ip))
    } else if first & 0xfe00 == 0xfc00 {
        Some(UrlWarning::PrivateAddress(ip))
    } else {
        None
    }
}

fn encoding_warning(url: &str) -> Option<UrlWarning> {
    let mut raw: Vec<char> = url
        .chars()
        .filter(|&c| !c.is_ascii() || " \"<>\\^`{|}".contains(c))
        .collect();
    raw.sort_unstable();
    raw.dedup();
    (!raw.is_empty()).then(|| UrlWarning::NotEncoded(raw.into_iter().collect()))
}

fn name_warning(parts: &Parts<'_>, file_name: &str) -> Option<UrlWarning> {
    let last = parts.path.rsplit('/').next().unwrap_or("");
    let found = percent_decode_str(last).decode_utf8_lossy();
    (found != file_name).then(|| UrlWarning::NameMismatch {
        expected: file_name.to_string(),
        found: found.into_owned(),
    })
}
