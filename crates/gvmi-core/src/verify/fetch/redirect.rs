//! Where a redirect may lead: checked before anything is fetched there.

use crate::image_url::{check_http, has_scheme};
use crate::verify::Failure;

/// Where a redirect from `current` to `location` leads, if gvmi may go there:
/// http or https with a host. An absolute or scheme-relative Location is
/// checked as written, since URL parsers repair `http:///x` into host `x`.
pub(super) fn redirect_target(current: &str, location: &str) -> Result<String, Failure> {
    let bad = |reason: String| Failure::BadRedirect {
        from: current.to_string(),
        location: location.to_string(),
        reason,
    };
    if location.chars().any(char::is_control) {
        return Err(bad("the Location holds a control character".into()));
    }
    let base = url::Url::parse(current).map_err(|e| bad(e.to_string()))?;
    let written = match location.strip_prefix("//") {
        Some(_) => format!("{}:{location}", base.scheme()),
        None => location.to_string(),
    };
    if has_scheme(&written) {
        check_http(&written).map_err(|e| bad(e.to_string()))?;
    }
    let target = base.join(location).map_err(|e| bad(e.to_string()))?;
    check_http(target.as_str()).map_err(|e| bad(e.to_string()))?;
    Ok(target.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(location: &str) -> String {
        match redirect_target("http://127.0.0.1:8/a/b.gvmi", location) {
            Err(Failure::BadRedirect { reason, .. }) => reason,
            other => panic!("{location}: {other:?}"),
        }
    }

    #[test]
    fn relative_and_absolute_http_targets_are_followed() {
        let to = |l| redirect_target("http://127.0.0.1:8/a/b.gvmi", l).unwrap();
        assert_eq!(to("/x.gvmi"), "http://127.0.0.1:8/x.gvmi");
        assert_eq!(to("c.gvmi"), "http://127.0.0.1:8/a/c.gvmi");
        assert_eq!(
            to("https://cdn.example/i.gvmi"),
            "https://cdn.example/i.gvmi"
        );
        assert_eq!(to("//cdn.example/i.gvmi"), "http://cdn.example/i.gvmi");
    }

    #[test]
    fn other_schemes_and_hostless_targets_are_refused() {
        assert!(reason("file:///etc/passwd").contains("\"file\""));
        assert!(reason("data:,x").contains("\"data\""));
        assert!(reason("mailto:a@b").contains("\"mailto\""));
        assert_eq!(reason("http:///x"), "the URL has no host");
        assert_eq!(reason("///x"), "the URL has no host");
        assert!(reason("/a\x1b[31m").contains("control character"));
    }
}
