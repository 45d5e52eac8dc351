//! Watch mode: images written slowly are reported once, complete, with the
//! right hash; deleted ones go; rebuilt ones come back with their new hash.

use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{content, sha3, Sandbox};
use gvmi_core::watch::{self, Change};

const SETTLE: Duration = Duration::from_millis(600);

/// Appends `data` to `path` in `chunks` pieces, pausing between them for
/// less than the settle time: the file keeps moving until the last chunk.
fn write_slowly(path: &Path, data: &[u8], chunks: usize) {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    for piece in data.chunks(data.len().div_ceil(chunks)) {
        file.write_all(piece).unwrap();
        file.flush().unwrap();
        std::thread::sleep(SETTLE / 3);
    }
}

fn next_change(rx: &mpsc::Receiver<Change>, within: Duration) -> Option<Change> {
    rx.recv_timeout(within).ok()
}

#[test]
fn the_watcher_waits_for_a_slow_writer_then_reports_once() {
    let s = Sandbox::new();
    let (tx, rx) = mpsc::channel();
    let _handle = watch::spawn(vec![s.images()], SETTLE, move |c| tx.send(c).is_ok()).unwrap();
    let img = s.images().join("slow.gvmi");
    let data = content(3 << 20, 1);
    let started = Instant::now();
    write_slowly(&img, &data, 6);
    let written = started.elapsed();
    let mut settled = Vec::new();
    while let Some(change) = next_change(&rx, SETTLE * 3) {
        if let Change::Settled { path, stamp, .. } = change {
            assert!(
                started.elapsed() >= written,
                "settled before the writer finished"
            );
            settled.push((path, stamp.size));
        }
    }
    assert_eq!(settled, [(img.clone(), data.len() as u64)]);

    fs::remove_file(&img).unwrap();
    let change = next_change(&rx, SETTLE * 3).expect("a removal");
    assert_eq!(change, Change::Removed { path: img });
}

fn read_lines(out: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn hash_watch_prints_new_and_rebuilt_images_once_each_with_the_right_hash() {
    let s = Sandbox::new();
    s.image("first.gvmi", 1000, 1);
    let mut child = KillOnDrop(
        s.gvmi()
            .args(["hash", "--watch"])
            .arg(s.images())
            .env("GVMI_WATCH_SETTLE_MS", SETTLE.as_millis().to_string())
            .spawn(),
    );
    let lines = read_lines(child.0.stdout.take().unwrap());
    let first = lines.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(first.ends_with("first.gvmi"), "{first}");

    let img = s.images().join("new.gvmi");
    write_slowly(&img, &content(2 << 20, 2), 5);
    let line = lines
        .recv_timeout(SETTLE * 10)
        .expect("a line for new.gvmi");
    assert_eq!(line, format!("{}  {}", sha3(&img), img.display()));

    // Rebuilt the way build tools do it: a new file renamed over the old.
    let part = s.images().join("new.gvmi.part");
    fs::write(&part, content(2 << 20, 3)).unwrap();
    fs::rename(&part, &img).unwrap();
    let line = lines
        .recv_timeout(SETTLE * 10)
        .expect("a line for the rebuild");
    assert_eq!(line, format!("{}  {}", sha3(&img), img.display()));

    fs::remove_file(&img).unwrap();
    assert!(
        lines.recv_timeout(SETTLE * 3).is_err(),
        "nothing more: no half-written or repeated lines"
    );
    drop(child);
}

/// Stops `gvmi hash --watch` however the test ends (it would run forever,
/// holding the test's output open).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
