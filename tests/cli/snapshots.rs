//! Golden files for every target (insta; the `.snap` files live in
//! tests/cli/snapshots/). Review changes with `cargo insta review`.

use crate::support::ALPINE_HASH;
use gvmi_core::snippet::{
    render, render_form, Capability, Form, Resources, SnippetInput, Target, Templates,
};

fn alpine(url: Option<&str>, resources: Resources) -> SnippetInput {
    SnippetInput {
        file_name: "alpine.gvmi".into(),
        size: Some(3_620_864),
        hash: ALPINE_HASH.parse().unwrap(),
        hash_source: gvmi_core::snippet::HASHED_BY_GVMI.into(),
        url: url.map(str::to_string),
        resources,
    }
}

fn custom() -> Resources {
    Resources {
        min_mem_gib: 4.0,
        min_storage_gib: 10.5,
        min_cpu_threads: 8,
        capabilities: vec![Capability::Vpn, Capability::ManifestSupport],
    }
}

#[test]
fn every_target_with_defaults() {
    let input = alpine(
        Some("https://cdn.example.com/images/alpine.gvmi"),
        Resources::default(),
    );
    for target in Target::ALL {
        let text = match render(target, &input, &Templates::builtin()) {
            Ok(snippet) => snippet,
            Err(e) => format!("error: {e}\n"),
        };
        insta::assert_snapshot!(format!("default-{target}"), text);
    }
}

#[test]
fn every_target_with_custom_resources() {
    let input = alpine(Some("https://cdn.example.com/images/alpine.gvmi"), custom());
    for target in Target::ALL.into_iter().filter(|t| *t != Target::Ray) {
        let text = render(target, &input, &Templates::builtin()).unwrap();
        insta::assert_snapshot!(format!("custom-{target}"), text);
    }
}

#[test]
fn placeholder_url_when_none_given() {
    let mut input = alpine(None, Resources::default());
    input.file_name = "my image #1.gvmi".into();
    input.size = None;
    let text = render(Target::Yapapi, &input, &Templates::builtin()).unwrap();
    insta::assert_snapshot!("placeholder-yapapi", text);
}

#[test]
fn whole_programs_for_targets_that_have_one() {
    let input = alpine(
        Some("https://cdn.example.com/images/alpine.gvmi"),
        Resources::default(),
    );
    for target in Target::ALL {
        match render_form(target, Form::Full, &input, &Templates::builtin()) {
            Ok(program) => insta::assert_snapshot!(format!("full-{target}"), program),
            Err(e) => assert!(
                Form::Full.file(target).is_none(),
                "{target} has a full template but: {e}"
            ),
        }
    }
}
