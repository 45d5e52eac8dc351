//! Human-readable sizes, rates, durations and counts, shared by the CLI and the TUI.

use std::time::Duration;

/// Binary units, one decimal: `3.4 MiB`; exact bytes below 1 KiB.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Throughput in decimal megabytes per second, as `openssl speed` and `dd` report it.
pub fn mb_per_s(bytes: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs <= 0.0 {
        return 0.0;
    }
    bytes as f64 / 1e6 / secs
}

/// `42s`, `3m07s`, `1h02m`.
pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// Time left at the average rate so far; `None` until there is a rate.
pub fn eta(done: u64, total: u64, elapsed: Duration) -> Option<Duration> {
    if done == 0 || total <= done {
        return (total <= done).then_some(Duration::ZERO);
    }
    let rate = done as f64 / elapsed.as_secs_f64().max(1e-9);
    Some(Duration::from_secs_f64((total - done) as f64 / rate))
}

/// `1 image`, `2 images`: a count and its noun (plural by `s`).
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_say_one_without_s() {
        assert_eq!(count(1, "error"), "1 error");
        assert_eq!(
            (count(0, "image"), count(2, "image")),
            ("0 images".into(), "2 images".into())
        );
    }

    #[test]
    fn sizes_switch_units_at_1024() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1024), "1.0 KiB");
        assert_eq!(human_bytes(3_576_181), "3.4 MiB");
        assert_eq!(human_bytes(1 << 30), "1.0 GiB");
    }

    #[test]
    fn durations_and_eta() {
        assert_eq!(human_duration(Duration::from_secs(42)), "42s");
        assert_eq!(human_duration(Duration::from_secs(187)), "3m07s");
        assert_eq!(human_duration(Duration::from_secs(3720)), "1h02m");
        let left = eta(50, 100, Duration::from_secs(10)).unwrap();
        assert_eq!(left.as_secs(), 10);
        assert_eq!(eta(0, 100, Duration::from_secs(1)), None);
    }
}
