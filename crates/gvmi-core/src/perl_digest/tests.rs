use super::*;

fn digest(algorithm: Algorithm, mode: Mode, input: &[u8]) -> String {
    hex_digest(algorithm, mode, input).unwrap()
}

#[test]
fn every_algorithm_gives_the_fips_202_answer_for_abc() {
    // FIPS 202 examples; SHAKE's first bytes as Digest::SHA3 prints them.
    let abc = |a| digest(a, Mode::Bytes, b"abc");
    assert_eq!(
        abc(Algorithm::Sha3_224),
        "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf"
    );
    assert_eq!(
        abc(Algorithm::Sha3_256),
        "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"
    );
    assert!(abc(Algorithm::Shake128).starts_with("5881092dd818bf5cf8a3ddb793fbcba7"));
    assert_eq!(abc(Algorithm::Shake128).len(), 336);
    assert!(abc(Algorithm::Shake256).starts_with("483366601360a8771c6863080cc4114d"));
    assert_eq!(abc(Algorithm::Shake256).len(), 272);
}

#[test]
fn bits_end_inside_a_byte_as_digest_sha3_puts_them() {
    // `printf 0001100 | sha3sum -0` and `printf 11000101 | sha3sum -0`.
    assert_eq!(
        digest(Algorithm::Sha3_224, Mode::Bits, b"0001100"),
        "c95843beb57363791d210cf644c973d5fc0b081d6150a8c09714e440"
    );
    assert_eq!(
        digest(Algorithm::Sha3_224, Mode::Bits, b"1 1x000101\n"),
        digest(Algorithm::Sha3_224, Mode::Bytes, b"\xc5")
    );
}

#[test]
fn universal_newlines_apply_to_text_only() {
    let lf = digest(Algorithm::Sha3_256, Mode::Bytes, b"a\nb\n\nc\n");
    assert_eq!(
        digest(Algorithm::Sha3_256, Mode::Universal, b"a\r\nb\r\r\nc\r"),
        lf
    );
    let binary = b"\0\r\n";
    assert_eq!(
        digest(Algorithm::Sha3_256, Mode::Universal, binary),
        digest(Algorithm::Sha3_256, Mode::Bytes, binary)
    );
}
