//! config.toml: keys, errors that name the file and line, per-folder base
//! URLs (longest prefix wins) and atomic saving.

use std::path::{Path, PathBuf};

use gvmi_core::config::{Config, ConfigError};
use gvmi_core::publish::Spec;
use gvmi_core::snippet::{Capability, Target};

const FULL: &str = r#"
default_target = "golem-js"

[resources]
min_mem_gib = 1.5
min_cpu_threads = 4
capabilities = ["vpn", "inet"]

[[base_url]]
folder = "/srv/images"
url = "https://cdn.example.com/images/"

[[base_url]]
folder = "/srv/images/beta"
url = "https://beta.example.com/"

[[publish]]
folder = "/srv/images"
to = "s3://bkt/images"
endpoint = "https://s3.example.com"
public_base_url = "https://cdn.example.com/images/"
profile = "work"
region = "eu-west-1"
acl = "public-read"
"#;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/home/u/.config/gvmi/config.toml"))
}

#[test]
fn reads_every_key() {
    let c = parse(FULL).unwrap();
    assert_eq!(c.target().unwrap(), Target::GolemJs);
    let r = c.resources().unwrap();
    assert_eq!(
        (r.min_mem_gib, r.min_storage_gib, r.min_cpu_threads),
        (1.5, 2.0, 4)
    );
    assert_eq!(r.capabilities, [Capability::Vpn, Capability::Inet]);
    assert_eq!(c.base_urls.len(), 2);
    let to = c.publish_for(Path::new("/srv/images/a.gvmi")).unwrap();
    let spec = Spec {
        to: "s3://bkt/images".into(),
        endpoint: Some("https://s3.example.com".into()),
        public_base_url: Some("https://cdn.example.com/images/".into()),
        profile: Some("work".into()),
        region: Some("eu-west-1".into()),
        acl: Some("public-read".into()),
        allow_http: false,
        timeout: None,
    };
    assert_eq!(
        (to.folder.as_path(), &to.spec),
        (Path::new("/srv/images"), &spec)
    );
}

/// `[[publish]]` is `folder` plus `gvmi publish`'s destination (one type,
/// `publish::Spec`): a key of neither is an error, as everywhere else.
#[test]
fn a_publish_table_refuses_unknown_keys_and_needs_folder_and_to() {
    let table = "[[publish]]\nfolder = \"/x\"\nto = \"s3://b\"\n";
    assert!(parse(table).is_ok());
    let (line, message) = parse_error(&format!("{table}bogus = 1\n"));
    assert!(message.contains("unknown field `bogus`"), "{message}");
    assert_eq!(line, 1, "the [[publish]] it is in");
    // Only a flag: a file cannot allow plain http.
    let (_, message) = parse_error(&format!("{table}allow_http = true\n"));
    assert!(message.contains("unknown field `allow_http`"), "{message}");
    let (_, message) = parse_error("[[publish]]\nto = \"s3://b\"\n");
    assert!(message.contains("missing field `folder`"), "{message}");
    let (_, message) = parse_error("[[publish]]\nfolder = \"/x\"\n");
    assert!(message.contains("missing field `to`"), "{message}");
    let (line, message) = parse_error("\n[[publish]]\nfolder = \"x\"\nto = \"s3://b\"\n");
    assert_eq!(line, 3);
    assert!(message.contains("absolute"), "{message}");
}

#[test]
fn empty_config_means_sdk_defaults() {
    let c = parse("").unwrap();
    assert_eq!(c.target().unwrap(), Target::Yapapi);
    assert_eq!(c.resources().unwrap(), Default::default());
}

#[test]
fn longest_folder_prefix_wins() {
    let c = parse(FULL).unwrap();
    let (base, rel) = c
        .base_url_for(Path::new("/srv/images/beta/x/a.gvmi"))
        .unwrap();
    assert_eq!(base.url, "https://beta.example.com/");
    assert_eq!(rel, PathBuf::from("x/a.gvmi"));
    let (base, rel) = c.base_url_for(Path::new("/srv/images/a.gvmi")).unwrap();
    assert_eq!(base.url, "https://cdn.example.com/images/");
    assert_eq!(rel, PathBuf::from("a.gvmi"));
    // A prefix counts whole folder names only.
    assert!(c.base_url_for(Path::new("/srv/images2/a.gvmi")).is_none());
}

fn parse_error(text: &str) -> (usize, String) {
    match parse(text).unwrap_err() {
        ConfigError::Parse {
            path,
            line,
            message,
            ..
        } => {
            assert!(path.ends_with("config.toml"));
            (line, message)
        }
        other => panic!("not a parse error: {other}"),
    }
}

#[test]
fn syntax_errors_name_file_and_line() {
    let (line, _) = parse_error("default_target = \"yapapi\"\n\n[resources\n");
    assert_eq!(line, 3);
    let err = parse("x = = 1").unwrap_err().to_string();
    assert!(
        err.starts_with("/home/u/.config/gvmi/config.toml:1:"),
        "{err}"
    );
}

#[test]
fn unknown_keys_and_bad_values_are_errors_with_lines() {
    let (line, message) = parse_error("default_target = \"yapapi\"\nmin_mem = 2\n");
    assert_eq!(line, 2);
    assert!(message.contains("min_mem"), "{message}");
    let (line, message) = parse_error("\ndefault_target = \"ray-tracer\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("ray-tracer"));
    let (line, _) = parse_error("[resources]\nmin_mem_gib = -1.0\n");
    assert_eq!(line, 2);
    let (_, message) = parse_error("[resources]\ncapabilities = [\"gpu\"]\n");
    assert!(message.contains("gpu"));
    let (line, message) = parse_error("[[base_url]]\nfolder = \"rel\"\nurl = \"http://x/\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("absolute"));
}

#[test]
fn save_and_load_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gvmi/config.toml");
    let mut c = parse(FULL).unwrap();
    c.set_base_url("/srv/images".into(), "https://new.example.com/".into());
    c.set_base_url("/data".into(), "https://data.example.com/".into());
    c.save(&path).unwrap();
    let back = Config::load(&path).unwrap();
    assert_eq!(back, c);
    assert_eq!(back.base_urls.len(), 3);
    let (base, _) = back.base_url_for(Path::new("/srv/images/a.gvmi")).unwrap();
    assert_eq!(base.url, "https://new.example.com/");
}

#[test]
fn missing_file_is_the_empty_config() {
    assert_eq!(
        Config::load(Path::new("/nonexistent/config.toml")).unwrap(),
        Config::default()
    );
}
