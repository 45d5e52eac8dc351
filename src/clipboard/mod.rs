//! Putting text where the user pastes, through one chain ([`Copier`]): the
//! display's clipboard whenever one is reachable (`display`: arboard; on
//! X11 and Wayland a detached `gvmi __clipboard-serve` keeps it after gvmi
//! exits), tmux's buffer whenever inside tmux (`tmux`), and OSC 52 to the
//! terminal when neither took it (`osc52`: wrapped for GNU screen, and for
//! tmux only where tmux lets it through). The workbench runs the chain on
//! its own thread ([`CopyThread`]); `--copy` runs it in place.

mod chain;
mod copy_thread;
mod display;
pub mod osc52;
pub mod tmux;
#[cfg(target_os = "linux")]
mod x_address;

pub use chain::{Copier, Keep, Place, Report, OSC52_SENT};
pub use copy_thread::CopyThread;
pub use display::{serve_until_replaced, Kind};
#[cfg(target_os = "linux")]
pub use x_address::{x_address, XAddress};

/// The hidden subcommand the detached server runs (`gvmi __clipboard-serve`).
pub const SERVE_SUBCOMMAND: &str = "__clipboard-serve";
