//! gvmi-core: the domain of gvmi (discovery, hashing, the cache, manifests,
//! the `.gvmi` format, verify, publish, snippets, URL rules), with no
//! knowledge of a command line or a terminal. See ARCHITECTURE.md.

pub mod atomic_write;
pub mod cache;
pub mod cancel;
pub mod canonical;
pub mod caught;
pub mod config;
pub mod digest;
pub mod discover;
pub mod engine;
pub mod event;
pub mod fsmeta;
pub mod gvmi_format;
pub mod hasher;
pub(crate) mod http;
pub mod image_url;
pub mod io_error;
pub(crate) mod lock;
pub mod manifest;
pub mod perl_digest;
pub mod publish;
pub mod remote;
pub mod sha3_fast;
pub mod snippet;
pub mod sumline;
pub mod units;
pub mod url_choice;
pub mod user_dirs;
pub mod verify;
pub mod visible;
pub mod watch;
