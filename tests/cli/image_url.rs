//! Building image URLs (RFC 3986 percent-encoding) and the checks that
//! warn about URLs providers cannot use: one test per warning and error.

use std::net::IpAddr;
use std::path::Path;

use gvmi_core::image_url::{check, file_name, join, placeholder, UrlError, UrlWarning};

fn warnings(url: &str) -> Vec<UrlWarning> {
    check(url, "x.gvmi", false).unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn join_encodes_each_segment() {
    let url = join(
        "https://cdn.example.com/images",
        Path::new("sub dir/a#b?c%d ü.gvmi"),
    );
    assert_eq!(
        url,
        "https://cdn.example.com/images/sub%20dir/a%23b%3Fc%25d%20%C3%BC.gvmi"
    );
    assert_eq!(file_name(&url).as_deref(), Some("a#b?c%d ü.gvmi"));
    assert_eq!(check(&url, "a#b?c%d ü.gvmi", false), Ok(vec![]));
}

#[cfg(unix)]
#[test]
fn join_keeps_non_utf8_bytes_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.gvmi");
    assert_eq!(join("http://h/", Path::new(name)), "http://h/caf%E9.gvmi");
}

#[test]
fn a_public_https_url_has_no_warnings() {
    assert_eq!(warnings("https://cdn.example.com/img/x.gvmi"), vec![]);
    assert_eq!(warnings("http://203.0.113.9:8080/x.gvmi?sig=1#f"), vec![]);
}

#[test]
fn warns_for_localhost() {
    assert_eq!(
        warnings("http://localhost:8000/x.gvmi"),
        vec![UrlWarning::Localhost("localhost".into())]
    );
    assert!(matches!(
        warnings("http://app.localhost/x.gvmi")[..],
        [UrlWarning::Localhost(_)]
    ));
}

#[test]
fn warns_for_loopback_addresses() {
    assert_eq!(
        warnings("http://127.0.0.1:8000/x.gvmi"),
        vec![UrlWarning::Loopback(ip("127.0.0.1"))]
    );
    assert_eq!(
        warnings("http://[::1]:8000/x.gvmi"),
        vec![UrlWarning::Loopback(ip("::1"))]
    );
    assert_eq!(
        warnings("http://0.0.0.0/x.gvmi"),
        vec![UrlWarning::Loopback(ip("0.0.0.0"))]
    );
}

#[test]
fn warns_for_private_addresses() {
    for host in ["10.1.2.3", "172.16.0.1", "192.168.1.10", "100.64.0.1"] {
        assert_eq!(
            warnings(&format!("http://{host}/x.gvmi")),
            vec![UrlWarning::PrivateAddress(ip(host))]
        );
    }
    assert_eq!(
        warnings("http://[fd00::1]/x.gvmi"),
        vec![UrlWarning::PrivateAddress(ip("fd00::1"))]
    );
    // IPv4-mapped IPv6 is the IPv4 address in disguise.
    assert_eq!(
        warnings("http://[::ffff:192.168.0.1]/x.gvmi"),
        vec![UrlWarning::PrivateAddress(ip("192.168.0.1"))]
    );
}

#[test]
fn warns_for_link_local_addresses() {
    assert_eq!(
        warnings("http://169.254.10.1/x.gvmi"),
        vec![UrlWarning::LinkLocal(ip("169.254.10.1"))]
    );
    assert_eq!(
        warnings("http://[fe80::1]/x.gvmi"),
        vec![UrlWarning::LinkLocal(ip("fe80::1"))]
    );
}

#[test]
fn warns_for_mdns_names() {
    assert_eq!(
        warnings("https://nas.local/x.gvmi"),
        vec![UrlWarning::MdnsName("nas.local".into())]
    );
}

#[test]
fn warns_for_credentials() {
    assert_eq!(
        warnings("https://user:secret@cdn.example.com/x.gvmi"),
        vec![UrlWarning::Credentials]
    );
}

#[test]
fn warns_for_unencoded_characters() {
    assert_eq!(
        warnings("https://cdn.example.com/a b\"/x.gvmi"),
        vec![UrlWarning::NotEncoded(" \"".into())]
    );
}

#[test]
fn warns_when_the_url_does_not_end_in_the_file_name() {
    assert_eq!(
        warnings("https://cdn.example.com/other.gvmi"),
        vec![UrlWarning::NameMismatch {
            expected: "x.gvmi".into(),
            found: "other.gvmi".into()
        }]
    );
    assert!(matches!(
        warnings("https://cdn.example.com/img/")[..],
        [UrlWarning::NameMismatch { .. }]
    ));
}

#[test]
fn every_warning_says_why() {
    let text = UrlWarning::Loopback(ip("127.0.0.1")).to_string();
    assert!(text.contains("providers on the Golem Network cannot reach it"));
    assert!(UrlWarning::Credentials.to_string().contains("password"));
}

#[test]
fn refuses_control_characters() {
    for url in [
        "https://e.com/a\nb.gvmi",
        "https://e.com/\0",
        "https://e.com/\x7f",
    ] {
        assert_eq!(check(url, "x.gvmi", true), Err(UrlError::ControlCharacter));
    }
}

#[test]
fn refuses_other_schemes_and_malformed_urls() {
    assert_eq!(
        check("ftp://e.com/x.gvmi", "x.gvmi", false),
        Err(UrlError::Scheme("ftp".into()))
    );
    assert_eq!(
        check("gftp://e.com/x.gvmi", "x.gvmi", true),
        Err(UrlError::Scheme("gftp".into()))
    );
    assert_eq!(
        check("e.com/x.gvmi", "x.gvmi", false),
        Err(UrlError::NotAbsolute)
    );
    assert_eq!(
        check("https:///x.gvmi", "x.gvmi", false),
        Err(UrlError::NoHost)
    );
    assert_eq!(check("", "x.gvmi", false), Err(UrlError::Empty));
}

#[test]
fn file_urls_only_for_golem_js() {
    assert_eq!(
        check("file:///srv/x.gvmi", "x.gvmi", false),
        Err(UrlError::FileNotSupported)
    );
    assert_eq!(check("file:///srv/x.gvmi", "x.gvmi", true), Ok(vec![]));
}

#[test]
fn placeholder_is_obvious_and_encoded() {
    assert_eq!(
        placeholder("my image.gvmi"),
        "https://example.com/REPLACE-WITH-YOUR-URL/my%20image.gvmi"
    );
}

/// The error policy (ARCHITECTURE.md): lowercase, no final period.
#[test]
fn url_errors_read_as_every_error_reads() {
    let all = [
        UrlError::Empty,
        UrlError::ControlCharacter,
        UrlError::NotAbsolute,
        UrlError::Scheme("ftp".into()),
        UrlError::FileNotSupported,
        UrlError::NoHost,
    ];
    for e in all {
        let words = e.to_string();
        let first = words.chars().next().unwrap();
        assert!(!first.is_uppercase() && !words.ends_with('.'), "{words}");
    }
    assert_eq!(
        UrlError::Scheme("ftp".into()).to_string(),
        "scheme \"ftp\" is not supported: use http or https"
    );
}
