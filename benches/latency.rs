//! Workbench responsiveness, measured the way a user feels it: the built
//! binary in a real pseudo-terminal, a key pressed, and the time until the
//! frame showing its effect arrives on the terminal.
//!
//!   cargo bench --bench latency                 # 8 x 128 MiB hashing, 300 key presses
//!   LATENCY_SAMPLES=1000 cargo bench --bench latency
//!   LATENCY_MANY=10000 cargo bench --bench latency   # memory with that many images listed
//!
//! Part 1 (issue 4): with every core busy hashing 8 x 128 MiB, press `j` / `k`
//! alternately and time each press until the highlighted (reverse-video) row
//! has moved. Only presses made while hashing was in progress on both sides of
//! the measurement count; when hashing ends, `R` starts it again.
//! Part 2: open a folder of many small images, wait until all are hashed, and
//! report the process's peak resident memory (Linux: VmHWM).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, PtySize};

const COLS: u16 = 160;
const ROWS: u16 = 40;
const BIG: usize = 8;
const BIG_LEN: usize = 128 << 20;

/// What the reader thread learned from the latest bytes, with when it learned it.
#[derive(Default)]
struct Seen {
    selected: Option<u16>,
    selected_at: Option<Instant>,
    busy: bool,
    contents: String,
}

struct Session {
    seen: Arc<(Mutex<Seen>, Condvar)>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Session {
    fn start(dir: &Path) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gvmi"));
        // Every run hashes for real: a warm hash cache would leave nothing to measure under.
        cmd.arg("--no-cache");
        cmd.arg(dir);
        cmd.env("TERM", "xterm-256color");
        for var in ["DISPLAY", "WAYLAND_DISPLAY", "TMUX"] {
            cmd.env_remove(var);
        }
        cmd.env("XDG_CONFIG_HOME", dir.join(".config"));
        cmd.env("XDG_CACHE_HOME", dir.join(".cache"));
        let child = pair.slave.spawn_command(cmd).expect("spawn gvmi");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let seen = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
        let sink = Arc::clone(&seen);
        thread::spawn(move || {
            let _keep_master_open = pair.master;
            let mut parser = vt100::Parser::new(ROWS, COLS, 0);
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                parser.process(&buf[..n]);
                let screen = parser.screen();
                let selected = highlighted_row(screen);
                let contents = screen.contents();
                let (lock, cvar) = &*sink;
                let mut seen = lock.lock().unwrap();
                if selected != seen.selected {
                    seen.selected = selected;
                    seen.selected_at = Some(now);
                }
                seen.busy = !contents.contains("hashed (");
                seen.contents = contents;
                cvar.notify_all();
            }
        });
        Session {
            seen,
            writer,
            child,
        }
    }

    fn press(&mut self, key: &str) {
        self.writer.write_all(key.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until `ok` holds for what has been seen; None on timeout.
    fn wait<T>(&self, timeout: Duration, ok: impl Fn(&Seen) -> Option<T>) -> Option<T> {
        let deadline = Instant::now() + timeout;
        let (lock, cvar) = &*self.seen;
        let mut seen = lock.lock().unwrap();
        loop {
            if let Some(found) = ok(&seen) {
                return Some(found);
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            seen = cvar.wait_timeout(seen, left).unwrap().0;
        }
    }

    fn screen_text(&self) -> String {
        self.seen.0.lock().unwrap().contents.clone()
    }

    fn quit(mut self) {
        self.press("q");
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "gvmi did not exit after q");
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The table row drawn in reverse video: the selection.
fn highlighted_row(screen: &vt100::Screen) -> Option<u16> {
    (2..ROWS).find(|&row| (10..20).all(|col| screen.cell(row, col).is_some_and(|c| c.inverse())))
}

fn noise_file(path: &Path, len: usize, seed: u64) {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == len as u64) {
        return;
    }
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut data = vec![0u8; len];
    for chunk in data.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, data).unwrap();
    std::fs::rename(tmp, path).unwrap();
}

fn bench_dir(name: &str) -> PathBuf {
    // The package root cargo runs the bench in, not the path baked in at
    // build time (another clone's, with a shared CARGO_TARGET_DIR).
    let root =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from);
    let dir = root.join("target/bench-data").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn key_latency(samples: usize) {
    let dir = bench_dir("latency-8x128MiB");
    for i in 0..BIG {
        noise_file(&dir.join(format!("image-{i}.gvmi")), BIG_LEN, i as u64 + 1);
    }
    let mut s = Session::start(&dir);
    let first = s
        .wait(Duration::from_secs(30), |seen| seen.selected)
        .expect("no highlighted row appeared");
    let mut times = Vec::with_capacity(samples);
    let (mut row, mut rehashes, mut discarded) = (first, 0, 0);
    while times.len() < samples {
        if !s.seen.0.lock().unwrap().busy {
            s.press("R");
            rehashes += 1;
            s.wait(Duration::from_secs(10), |seen| seen.busy.then_some(()))
                .expect("R did not start hashing");
        }
        let (key, target) = if row == first {
            ("j", first + 1)
        } else {
            ("k", first)
        };
        let pressed = Instant::now();
        s.press(key);
        let arrived = s
            .wait(Duration::from_secs(10), |seen| {
                (seen.selected == Some(target)).then_some(seen.selected_at?)
            })
            .unwrap_or_else(|| panic!("selection never moved; screen:\n{}", s.screen_text()));
        row = target;
        if s.seen.0.lock().unwrap().busy {
            times.push(arrived.saturating_duration_since(pressed));
        } else {
            discarded += 1;
        }
        // A human does not press keys back to back; neither does this.
        thread::sleep(Duration::from_millis(5 + (times.len() % 7) as u64 * 4));
    }
    s.quit();
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "key -> frame latency while hashing {BIG} x {} MiB ({samples} presses, {rehashes} rehash-all rounds, {discarded} presses discarded at round ends):",
        BIG_LEN >> 20
    );
    println!(
        "  p50 {:.1} ms   p90 {:.1} ms   p99 {:.1} ms   max {:.1} ms   (target p99 <= 50 ms: {})",
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(pct(1.0)),
        if pct(0.99) <= Duration::from_millis(50) {
            "PASS"
        } else {
            "MISS"
        }
    );
}

fn many_images_memory(count: usize) {
    let dir = bench_dir(&format!("latency-{count}-images"));
    for i in 0..count {
        let path = dir.join(format!("set-{:02}/image-{i:05}.gvmi", i % 50));
        if !path.exists() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, (i as u64).to_le_bytes()).unwrap();
        }
    }
    let s = Session::start(&dir);
    let done = format!("✓ {count} hashed");
    s.wait(Duration::from_secs(300), |seen| {
        seen.contents.contains(&done).then_some(())
    })
    .unwrap_or_else(|| panic!("not every image was hashed; screen:\n{}", s.screen_text()));
    let pid = s.child.process_id().expect("child pid");
    match peak_rss_kib(pid) {
        Some(kib) => println!(
            "memory with {count} images listed and hashed: peak RSS {:.1} MiB (target <= 64 MiB: {})",
            kib as f64 / 1024.0,
            if kib <= 64 * 1024 { "PASS" } else { "MISS" }
        ),
        None => println!("memory with {count} images listed: peak RSS not measurable on this OS"),
    }
    s.quit();
}

#[cfg(target_os = "linux")]
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn peak_rss_kib(_pid: u32) -> Option<u64> {
    None
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not and only
    // wants to know the harness builds and starts.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    key_latency(env_usize("LATENCY_SAMPLES", 300));
    many_images_memory(env_usize("LATENCY_MANY", 10_000));
}
