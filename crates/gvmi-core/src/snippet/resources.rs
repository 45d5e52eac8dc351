//! What the image needs from a provider: the `min_*` options and capabilities.

use std::fmt;
use std::str::FromStr;

/// A VM capability a provider must offer (yapapi's and golem-js's `capabilities`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    Vpn,
    Inet,
    ManifestSupport,
}

impl Capability {
    pub const ALL: [Capability; 3] = [
        Capability::Vpn,
        Capability::Inet,
        Capability::ManifestSupport,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Capability::Vpn => "vpn",
            Capability::Inet => "inet",
            Capability::ManifestSupport => "manifest-support",
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Capability::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown capability {0:?} (vpn, inet or manifest-support)")]
pub struct UnknownCapability(pub String);

impl FromStr for Capability {
    type Err = UnknownCapability;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Capability::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| UnknownCapability(s.to_string()))
    }
}

/// Minimum resources a provider must have. `Default` is what every SDK
/// assumes when the option is left out, so a default snippet means the same
/// as one that omits them.
#[derive(Debug, Clone, PartialEq)]
pub struct Resources {
    pub min_mem_gib: f64,
    pub min_storage_gib: f64,
    pub min_cpu_threads: u32,
    pub capabilities: Vec<Capability>,
}

impl Default for Resources {
    fn default() -> Self {
        Resources {
            min_mem_gib: 0.5,
            min_storage_gib: 2.0,
            min_cpu_threads: 1,
            capabilities: Vec::new(),
        }
    }
}

impl Resources {
    /// Why these values cannot go into a snippet, if they cannot.
    pub fn problem(&self) -> Option<String> {
        let bad = |v: f64| !(v.is_finite() && v > 0.0);
        if bad(self.min_mem_gib) {
            return Some(format!(
                "min_mem_gib must be above 0, not {}",
                self.min_mem_gib
            ));
        }
        if bad(self.min_storage_gib) {
            return Some(format!(
                "min_storage_gib must be above 0, not {}",
                self.min_storage_gib
            ));
        }
        if self.min_cpu_threads == 0 {
            return Some("min_cpu_threads must be at least 1".into());
        }
        None
    }

    /// Capabilities without repeats, in a stable order.
    pub(crate) fn unique_capabilities(&self) -> Vec<Capability> {
        let mut caps = self.capabilities.clone();
        caps.sort();
        caps.dedup();
        caps
    }
}

/// A number literal valid in Python, JavaScript and YAML 1.1 alike: always
/// with a decimal point and never in exponent form (PyYAML reads `1e3` as a
/// string).
pub fn float_literal(v: f64) -> String {
    let s = format!("{v}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_literals_keep_a_point_and_no_exponent() {
        assert_eq!(float_literal(0.5), "0.5");
        assert_eq!(float_literal(2.0), "2.0");
        assert_eq!(float_literal(1e21), "1000000000000000000000.0");
    }

    #[test]
    fn defaults_are_the_sdk_defaults_and_valid() {
        let r = Resources::default();
        assert_eq!(
            (r.min_mem_gib, r.min_storage_gib, r.min_cpu_threads),
            (0.5, 2.0, 1)
        );
        assert_eq!(r.problem(), None);
        let bad = Resources {
            min_mem_gib: f64::NAN,
            ..r
        };
        assert!(bad.problem().unwrap().contains("min_mem_gib"));
    }

    #[test]
    fn capabilities_parse_and_dedup() {
        assert_eq!("manifest-support".parse(), Ok(Capability::ManifestSupport));
        let gpu = "gpu".parse::<Capability>().unwrap_err();
        assert_eq!(
            gpu.to_string(),
            "unknown capability \"gpu\" (vpn, inet or manifest-support)"
        );
        let r = Resources {
            capabilities: vec![Capability::Inet, Capability::Vpn, Capability::Inet],
            ..Resources::default()
        };
        assert_eq!(r.unique_capabilities(), [Capability::Vpn, Capability::Inet]);
    }
}
