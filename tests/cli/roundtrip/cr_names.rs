//! README's headline, exact: a list `gvmi hash` writes is checked by Perl's
//! `sha3sum` for every name but one holding a CR (gvmi's own manner writes
//! GNU's `\r`, which Perl reads as two characters); `gvmi hash -a 224`
//! writes sha3sum's own bytes (the CR raw), which both check.

use std::fs;

use crate::support::*;

#[cfg(unix)]
#[test]
fn a_cr_name_needs_the_sha3sum_form_for_perl_and_gets_it_byte_for_byte() {
    if !require_tool("sha3sum") {
        return;
    }
    let tmp = tempdir();
    let name = b"d/car\rreturn.gvmi";
    put_known(tmp.path(), bytes_path(name), 0);
    let perl_check = |list: &[u8]| {
        fs::write(tmp.path().join("SHA3SUMS"), list).unwrap();
        tool("sha3sum", ["-a", "224", "-c", "SHA3SUMS"])
            .cwd(tmp.path())
            .run()
    };

    // gvmi's own manner: GNU's escape; Perl does not read it back.
    let own = gvmi(["hash", "d"]).cwd(tmp.path()).run();
    own.assert_code(0);
    assert!(own.stdout.starts_with(b"\\"), "{}", show(&own.stdout));
    assert_ne!(perl_check(&own.stdout).code, Some(0));

    // The sha3sum form: sha3sum's bytes, which Perl and gvmi both check.
    let form = gvmi(["hash", "-a", "224", "d"]).cwd(tmp.path()).run();
    form.assert_code(0);
    let perl = tool(
        "sha3sum",
        ["-a".as_ref(), "224".as_ref(), bytes_path(name).as_os_str()],
    )
    .cwd(tmp.path())
    .run();
    assert_eq!(show(&form.stdout), show(&perl.stdout));
    perl_check(&form.stdout).assert_code(0);
    let check = gvmi(["check", "-a", "224", "SHA3SUMS"])
        .cwd(tmp.path())
        .run();
    check.assert_code(0);
}
