//! Where the tests find the repository and the SDK environment, and what a
//! skip says is missing: found at run time, never the path baked in at
//! build time (two clones sharing a `CARGO_TARGET_DIR` share test binaries).

use crate::support::*;

#[test]
fn the_repository_is_the_one_cargo_runs_the_tests_in() {
    // cargo runs a test binary in its package's root.
    let here = std::env::current_dir().unwrap().canonicalize().unwrap();
    assert_eq!(repo().canonicalize().unwrap(), here);
    assert!(fixture("self-test.gvmi").is_file());
}

#[test]
fn a_missing_sdk_part_is_named_with_the_step_that_brings_it() {
    let root = tempdir();
    let env = root.path().join("sdk-env");
    let setup = repo().join("tests/sdk/setup.sh");
    // Nothing at all: where it was looked for, and how to fill it.
    let nothing = sdk_hint(&env, "py", true);
    assert!(
        nothing.starts_with(&format!("no SDK environment at {}", env.display())),
        "{nothing}"
    );
    let run = format!("GVMI_SDK_ENV={} {}", env.display(), setup.display());
    assert!(nothing.contains(&run), "{nothing}");
    assert!(sdk_hint(&env, "py", false).contains("this clone's target/sdk-env"));
    // The folder, without this part: run setup.sh.
    std::fs::create_dir_all(env.join("moto")).unwrap();
    let no_part = sdk_hint(&env, "py", true);
    assert!(
        no_part.contains("has no finished `py` environment") && no_part.contains(&run),
        "{no_part}"
    );
    // setup.sh has run (the part is marked done), yet the file is missing:
    // running it again as is would change nothing, so say what to remove.
    std::fs::write(env.join("moto/.done"), "").unwrap();
    let lacks = sdk_hint(&env, "moto", true);
    assert!(
        lacks.starts_with(&format!(
            "{} was set up but lacks it",
            env.join("moto").display()
        )) && lacks.contains("remove that folder"),
        "{lacks}"
    );
}
