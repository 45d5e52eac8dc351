//! Where gvmi keeps per-user files: the XDG folders on Unix, the platform's
//! own folders elsewhere.

use std::path::PathBuf;

#[derive(Debug, Clone, Copy)]
pub enum UserDir {
    /// `$XDG_CONFIG_HOME/gvmi`, else `~/.config/gvmi`.
    Config,
    /// `$XDG_CACHE_HOME/gvmi`, else `~/.cache/gvmi`.
    Cache,
    /// `$XDG_STATE_HOME/gvmi`, else `~/.local/state/gvmi`: what gvmi did
    /// (the URLs images were published at), neither config nor cache.
    State,
}

impl UserDir {
    /// gvmi's folder of this kind, if the environment names one.
    pub fn path(self) -> Option<PathBuf> {
        self.base().map(|d| d.join("gvmi"))
    }

    #[cfg(unix)]
    fn base(self) -> Option<PathBuf> {
        let (var, under_home) = match self {
            UserDir::Config => ("XDG_CONFIG_HOME", ".config"),
            UserDir::Cache => ("XDG_CACHE_HOME", ".cache"),
            UserDir::State => ("XDG_STATE_HOME", ".local/state"),
        };
        // The XDG spec says to ignore a relative path in these variables.
        let from_env = |key: &str| {
            std::env::var_os(key)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        from_env(var).or_else(|| from_env("HOME").map(|h| h.join(under_home)))
    }

    #[cfg(not(unix))]
    fn base(self) -> Option<PathBuf> {
        match self {
            UserDir::Config => dirs::config_dir(),
            UserDir::Cache => dirs::cache_dir(),
            UserDir::State => dirs::data_local_dir(),
        }
    }
}
