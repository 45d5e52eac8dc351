//! What run-time detection may report: the CPU's answer, less the features
//! `GVMI_CPU_WITHOUT` hides.
//!
//! `GVMI_CPU_WITHOUT=avx512`, `=avx2` or `=bmi` (comma-separated for more)
//! makes gvmi run as it would on a CPU without that feature, so the paths
//! taken on other CPUs (an AVX2-only AMD Zen 3, a CPU without AVX2) can be
//! run and tested on any machine: the test suite is run whole under each.
//! No CPU has AVX-512 without AVX2, so hiding `avx2` hides AVX-512 too.
//!
//! Hiding can only turn a feature off, never on: the token types
//! (`Bmi`, `Avx2`, `Avx512Vl`, `Avx512`) are still made only after
//! `is_x86_feature_detected!` said yes, so the `unsafe` calls they guard
//! stay sound whatever the variable holds.

use std::sync::OnceLock;

/// The environment variable that hides CPU features from detection.
pub const HIDE_ENV: &str = "GVMI_CPU_WITHOUT";

/// A CPU feature a fast path needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// BMI1 + BMI2 (the `bmi` sponge).
    Bmi,
    /// AVX2 (the `avx2` lanes; hiding it hides AVX-512 too).
    Avx2,
    /// AVX-512F (+ VL for `avx512vl`): the `avx512` and `avx512vl` lanes.
    Avx512,
}

impl Feature {
    const ALL: [Feature; 3] = [Feature::Bmi, Feature::Avx2, Feature::Avx512];

    /// The name `GVMI_CPU_WITHOUT` takes.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Bmi => "bmi",
            Feature::Avx2 => "avx2",
            Feature::Avx512 => "avx512",
        }
    }
}

/// True when detection must report `feature` absent, whatever the CPU has.
pub fn hidden(feature: Feature) -> bool {
    hidden_set().contains(&feature)
}

/// The features `GVMI_CPU_WITHOUT` hides (with what hiding implies), in
/// [`Feature`] order; read once per process. A name it does not know is
/// said once on stderr and ignored.
pub fn hidden_set() -> &'static [Feature] {
    static HIDDEN: OnceLock<Vec<Feature>> = OnceLock::new();
    HIDDEN.get_or_init(|| {
        let value = std::env::var_os(HIDE_ENV).unwrap_or_default();
        let value = value.to_string_lossy();
        let (set, unknown) = parse(&value);
        for name in unknown {
            eprintln!(
                "gvmi: warning: {HIDE_ENV}: {name:?} is not one of bmi, avx2, avx512; ignored"
            );
        }
        set
    })
}

/// The features a `GVMI_CPU_WITHOUT` value hides, and the names it did not know.
fn parse(value: &str) -> (Vec<Feature>, Vec<&str>) {
    let mut named = Vec::new();
    let mut unknown = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let lower = name.to_ascii_lowercase();
        match Feature::ALL.into_iter().find(|f| f.name() == lower) {
            Some(f) => named.push(f),
            None => unknown.push(name),
        }
    }
    let set = Feature::ALL
        .into_iter()
        .filter(|f| named.contains(f) || (*f == Feature::Avx512 && named.contains(&Feature::Avx2)))
        .collect();
    (set, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_hiding_avx2_hides_avx512() {
        assert_eq!(parse(""), (vec![], vec![]));
        assert_eq!(parse("avx512"), (vec![Feature::Avx512], vec![]));
        assert_eq!(
            parse("AVX2"),
            (vec![Feature::Avx2, Feature::Avx512], vec![])
        );
        assert_eq!(
            parse(" bmi , avx9000,,avx512"),
            (vec![Feature::Bmi, Feature::Avx512], vec!["avx9000"])
        );
    }
}
