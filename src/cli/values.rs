//! The one place command-line words become domain values: the value
//! parsers for the library's enums (which know nothing of clap), each
//! listing its names for `--help`, the completion scripts and the manual.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use gvmi_core::publish::public::VerifyMode;
use gvmi_core::snippet::{Capability, Target};

/// `--target`: the snippet targets by name, each with its line of help.
pub fn target() -> impl TypedValueParser<Value = Target> {
    one_of(&Target::ALL, Target::name, Some(Target::about))
}

/// `--capability`.
pub fn capability() -> impl TypedValueParser<Value = Capability> {
    one_of(&Capability::ALL, Capability::name, None)
}

/// `gvmi publish --verify`.
pub fn verify_mode() -> impl TypedValueParser<Value = VerifyMode> {
    one_of(&VerifyMode::ALL, VerifyMode::name, Some(VerifyMode::about))
}

/// A parser accepting exactly the names of `all`, giving back the value.
fn one_of<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
    about: Option<fn(T) -> &'static str>,
) -> impl TypedValueParser<Value = T> {
    let names = all.iter().map(move |&v| {
        let value = PossibleValue::new(name(v));
        match about {
            Some(about) => value.help(about(v)),
            None => value,
        }
    });
    // The names were checked against the same list just before.
    PossibleValuesParser::new(names).try_map(move |s: String| {
        all.iter()
            .copied()
            .find(|&v| name(v) == s)
            .ok_or_else(|| format!("unknown value {s:?}"))
    })
}

#[cfg(test)]
mod tests {
    use clap::{Arg, Command};

    use super::*;

    /// Parses `word` as `parser` would on the command line.
    fn parse<T: Clone + Send + Sync + 'static>(
        parser: impl TypedValueParser<Value = T>,
        word: &str,
    ) -> Result<T, clap::Error> {
        let cmd = Command::new("t").arg(Arg::new("v").value_parser(parser));
        cmd.try_get_matches_from(["t", word])
            .map(|m| m.get_one::<T>("v").cloned().expect("a value"))
    }

    fn listed<T>(parser: impl TypedValueParser<Value = T>) -> Vec<String> {
        let values = parser
            .possible_values()
            .expect("a list")
            .collect::<Vec<_>>();
        values.iter().map(|v| v.get_name().to_string()).collect()
    }

    #[test]
    fn every_name_round_trips_and_is_listed() {
        for t in Target::ALL {
            assert_eq!(parse(target(), t.name()).unwrap(), t);
        }
        assert_eq!(listed(target()), Target::ALL.map(|t| t.name()));
        for c in Capability::ALL {
            assert_eq!(parse(capability(), c.name()).unwrap(), c);
        }
        assert_eq!(listed(capability()), Capability::ALL.map(|c| c.name()));
        for m in VerifyMode::ALL {
            assert_eq!(parse(verify_mode(), m.name()).unwrap(), m);
        }
        assert_eq!(listed(verify_mode()), VerifyMode::ALL.map(|m| m.name()));
    }

    #[test]
    fn other_words_are_refused_with_the_list() {
        let e = parse(target(), "Yapapi").unwrap_err().to_string();
        assert!(e.contains("possible values: yapapi, golem-core"), "{e}");
        assert!(parse(capability(), "gpu").is_err());
        assert!(parse(verify_mode(), "HEAD").is_err());
    }
}
