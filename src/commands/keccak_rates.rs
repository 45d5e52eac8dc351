//! `gvmi __keccak-rates`: internal, for `benches/compare.sh` (the divisor
//! of its efficiency). The active Keccak backend and its in-memory rates
//! (MB/s, one core), as `key=value` words on one line.

use std::process::ExitCode;

use gvmi_core::sha3_fast::{rates, Backend};

/// The subcommand's name; outside clap so completions and the man page never list it.
pub const SUBCOMMAND: &str = "__keccak-rates";

pub fn run() -> anyhow::Result<ExitCode> {
    let Some(r) = rates::measure(Backend::active()) else {
        anyhow::bail!("no Keccak backend to measure");
    };
    let mbs = |rate: f64| format!("{:.0}", rate / 1e6);
    crate::outln!(
        "backend={} lanes={} lane_rate={} scalar={} scalar_rate={}",
        r.backend.name(),
        r.backend.lanes(),
        r.lanes.map_or_else(|| "-".to_string(), mbs),
        r.backend.scalar().name(),
        mbs(r.scalar)
    )?;
    Ok(ExitCode::SUCCESS)
}
