//! The SDKs a snippet can be written for.

use std::fmt;
use std::str::FromStr;

/// One snippet flavour: an SDK, a descriptor format or the raw provider string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// yapapi 0.13 (Python): `await vm.repo(...)`.
    Yapapi,
    /// golem-core-python: `RepositoryVmPayload(...)`.
    GolemCore,
    /// @golem-sdk/golem-js 3.x: the `order` for `glm.oneOf({ order })`.
    GolemJs,
    /// @golem-sdk/task-executor 2.x: `TaskExecutor.create` options.
    TaskExecutor,
    /// dapp-runner descriptor: the `payloads:` YAML block.
    DappRunner,
    /// The raw `hash:sha3:<hex>:<url>` a provider receives.
    TaskPackage,
    /// Ray on Golem: cannot use a self-hosted image (explained, no snippet).
    Ray,
}

/// The language a template is written in, which decides how literals are escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    JavaScript,
    Yaml,
    /// Plain text: values are inserted raw (control characters are refused earlier).
    Text,
}

impl Target {
    pub const ALL: [Target; 7] = [
        Target::Yapapi,
        Target::GolemCore,
        Target::GolemJs,
        Target::TaskExecutor,
        Target::DappRunner,
        Target::TaskPackage,
        Target::Ray,
    ];

    /// The name used on the command line and in config.toml.
    pub fn name(self) -> &'static str {
        match self {
            Target::Yapapi => "yapapi",
            Target::GolemCore => "golem-core",
            Target::GolemJs => "golem-js",
            Target::TaskExecutor => "task-executor",
            Target::DappRunner => "dapp-runner",
            Target::TaskPackage => "task-package",
            Target::Ray => "ray",
        }
    }

    /// What it is, in one line (the help's list of targets).
    pub fn about(self) -> &'static str {
        match self {
            Target::Yapapi => "yapapi 0.13 (Python): `await vm.repo(...)`",
            Target::GolemCore => "golem-core-python: `RepositoryVmPayload(...)`",
            Target::GolemJs => "@golem-sdk/golem-js 3.x: the `order` for `glm.oneOf({ order })`",
            Target::TaskExecutor => "@golem-sdk/task-executor 2.x: `TaskExecutor.create` options",
            Target::DappRunner => "dapp-runner descriptor: the `payloads:` YAML block",
            Target::TaskPackage => "The raw `hash:sha3:<hex>:<url>` a provider receives",
            Target::Ray => "Ray on Golem: cannot use a self-hosted image (explained, no snippet)",
        }
    }

    /// What the user sees as a heading, e.g. in `--all-targets` and the TUI.
    pub fn title(self) -> &'static str {
        match self {
            Target::Yapapi => "yapapi 0.13 (Python)",
            Target::GolemCore => "golem-core-python",
            Target::GolemJs => "@golem-sdk/golem-js 3.x",
            Target::TaskExecutor => "@golem-sdk/task-executor 2.x",
            Target::DappRunner => "dapp-runner descriptor (YAML)",
            Target::TaskPackage => "task package (what a provider receives)",
            Target::Ray => "Ray on Golem",
        }
    }

    pub(crate) fn lang(self) -> Lang {
        match self {
            Target::Yapapi | Target::GolemCore => Lang::Python,
            Target::GolemJs | Target::TaskExecutor => Lang::JavaScript,
            Target::DappRunner => Lang::Yaml,
            Target::TaskPackage | Target::Ray => Lang::Text,
        }
    }

    /// The template's file name, both under `assets/snippets/` and in the
    /// user's override folder. `None` for targets that have no snippet.
    pub(crate) fn template_file(self) -> Option<&'static str> {
        match self {
            Target::Yapapi => Some("yapapi.py"),
            Target::GolemCore => Some("golem-core.py"),
            Target::GolemJs => Some("golem-js.js"),
            Target::TaskExecutor => Some("task-executor.js"),
            Target::DappRunner => Some("dapp-runner.yaml"),
            Target::TaskPackage => Some("task-package.txt"),
            Target::Ray => None,
        }
    }

    /// Why this target gets an explanation instead of a snippet.
    pub fn unsupported_reason(self) -> Option<&'static str> {
        match self {
            Target::Ray => Some(
                "Ray on Golem takes only `image_hash` or `image_tag`, resolved through the \
                 Golem registry; it has no way to use a self-hosted image URL. Push the image \
                 to the registry (gvmkit-build --push) and use its hash or tag instead.",
            ),
            _ => None,
        }
    }

    /// Only golem-js serves `file://` images itself (its local-image mode).
    pub fn accepts_file_urls(self) -> bool {
        self == Target::GolemJs
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Target::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown target {0:?} (one of: {names})", names = Target::ALL.map(Target::name).join(", "))]
pub struct UnknownTarget(pub String);

impl FromStr for Target {
    type Err = UnknownTarget;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| UnknownTarget(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in Target::ALL {
            assert_eq!(t.name().parse::<Target>(), Ok(t));
        }
        let e = "Yapapi".parse::<Target>().unwrap_err().to_string();
        assert!(
            e.starts_with("unknown target \"Yapapi\" (one of: yapapi, golem-core,"),
            "{e}"
        );
    }
}
