//! Issue "Hostile inputs II", items 2, 5, 14, 15 and 17: folders other users
//! write to (a shared web root, a release folder). Links planted at every
//! temporary name gvmi used to predict, at the final names; two writers of
//! one SHA3SUMS at once; names too long for the folder; a folder named like
//! an image; a secret file published. Each attack prints its figures
//! (`cargo test --test hostile shared -- --nocapture`).

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::*;
use crate::support::fixture;

const LIMIT: Duration = Duration::from_secs(60);
const PRECIOUS: &str = "precious: must never be written through a link\n";

/// A valid image of exactly `size` bytes (the self-test fixture's squashfs,
/// a hole, then the metadata trailer), so a refusal of invalid images can
/// never be what a test sees.
pub(super) fn valid_image(path: &Path, size: u64) {
    use std::io::Write;
    let json = br#"{"Cmd":["/bin/true"]}"#;
    let mut trailer = crc32fast::hash(json).to_le_bytes().to_vec();
    trailer.extend_from_slice(json);
    trailer.extend_from_slice(format!("{:08}", json.len()).as_bytes());
    let head = &fs::read(fixture("self-test.gvmi")).unwrap()[..4096];
    assert!(size >= (head.len() + trailer.len()) as u64);
    let mut file = fs::File::create(path).unwrap();
    file.write_all(head).unwrap();
    file.set_len(size - trailer.len() as u64).unwrap();
    std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).unwrap();
    file.write_all(&trailer).unwrap();
}

/// The environment every run here gets: [`gvmi_in`]'s, plus state in `home`.
pub(super) fn gvmi_home(home: &Path) -> Run {
    gvmi_in(home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("HOME", home)
}

/// `sh -c SCRIPT ARG0 gvmi`, in [`gvmi_home`]'s environment: `SCRIPT` ends
/// in `exec "$@"` (arguments to gvmi follow with `.args`).
pub(super) fn sh_gvmi(home: &Path, script: &str, arg0: impl AsRef<OsStr>) -> Run {
    let mut run = tool("sh", ["-c", script])
        .arg(arg0)
        .arg(bin())
        .env("XDG_STATE_HOME", home.join("state"))
        .env("HOME", home);
    for (var, value) in environment(home) {
        run = match value {
            Some(value) => run.env(var, value),
            None => run.env_remove(var),
        };
    }
    run
}

/// A gvmi whose pid is known before it starts: `sh` waits for the file
/// `go`, then `exec`s gvmi in its own process, so the test can plant files
/// at the names that pid makes predictable, then let it go.
struct Held {
    running: Running,
    go: PathBuf,
}

impl Held {
    fn start(home: &Path, args: &[&OsStr]) -> Held {
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let go = home.join(format!("go-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
        let script = r#"while [ ! -e "$0" ]; do sleep 0.01; done; exec "$@""#;
        let run = sh_gvmi(home, script, &go).args(args);
        let running = run.memory_limit(MEMORY_LIMIT).timeout(LIMIT).start();
        Held { running, go }
    }

    fn pid(&self) -> u32 {
        self.running.pid()
    }

    /// Lets gvmi run; returns its output and how long it took.
    fn go(self) -> (Output, Duration) {
        let started = Instant::now();
        fs::write(&self.go, "").unwrap();
        let out = self.running.wait();
        (out, started.elapsed())
    }
}

/// Prints one attack's figures: the command, its exit code, time, peak RSS.
pub(super) fn report(attack: &str, command: &str, out: &Output, took: Duration) {
    eprintln!(
        "attack: {attack}\n  command: {command}\n  exit {:?}, {:.0} ms, peak RSS {} KiB",
        out.code,
        took.as_secs_f64() * 1000.0,
        out.max_rss.map_or("?".into(), |b| (b >> 10).to_string())
    );
}

/// A symbolic link at `link` to a new file holding [`PRECIOUS`].
fn plant(link: &Path, victims: &Path) -> PathBuf {
    let victim = victims.join(link.file_name().unwrap());
    fs::write(&victim, PRECIOUS).unwrap();
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&victim, link).unwrap();
    victim
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// What a temporary file of ours looks like now: `.NAME.tmp-PID-RANDOM`.
fn random_part<'a>(name: &'a str, image: &str, pid: u32) -> Option<&'a str> {
    let random = name.strip_prefix(&format!(".{image}.tmp-{pid}-"))?;
    (random.len() == 16 && random.bytes().all(|b| b.is_ascii_hexdigit())).then_some(random)
}

#[cfg(unix)]
#[test]
fn item_2_links_planted_at_the_predictable_temp_names_are_never_written_through() {
    let home = tempfile::tempdir().unwrap();
    let (images, www, victims) = (
        home.path().join("images"),
        home.path().join("www"),
        home.path().join("victims"),
    );
    for d in [&images, &www, &victims] {
        fs::create_dir(d).unwrap();
    }
    let image = images.join("x.gvmi");
    valid_image(&image, 64 << 10);
    // Older than the cache's racy window, so the cache is written too.
    std::thread::sleep(Duration::from_millis(150));
    let cache = home.path().join("cache/gvmi");
    let state = home.path().join("state/gvmi");
    // Every name the old writers would have used for this pid.
    let plant_all = |pid: u32| -> Vec<(PathBuf, PathBuf)> {
        [
            www.join(format!(".x.gvmi.tmp-{pid}")),
            www.join(format!(".x.gvmi.sha3-224.tmp-{pid}")),
            images.join(format!(".SHA3SUMS.tmp-{pid}")),
            cache.join(format!(".hashes.v1.bin.tmp-{pid}")),
            state.join(format!(".published.v1.json.tmp-{pid}")),
        ]
        .into_iter()
        .map(|link| {
            let victim = plant(&link, &victims);
            (link, victim)
        })
        .collect()
    };
    let mut planted = Vec::new();
    let to = format!("file://{}", www.display());
    let runs: [(&str, Vec<&OsStr>); 2] = [
        (
            "publish",
            vec![
                "publish".as_ref(),
                image.as_ref(),
                "--to".as_ref(),
                to.as_ref(),
            ],
        ),
        (
            "hash --write-sums",
            vec!["hash".as_ref(), "--write-sums".as_ref(), images.as_ref()],
        ),
    ];
    for (what, args) in runs {
        let held = Held::start(home.path(), &args);
        planted.extend(plant_all(held.pid()));
        let (out, took) = held.go();
        report(
            &format!("links at the old temp names of `gvmi {what}`'s pid"),
            &format!("gvmi {}", args.join(OsStr::new(" ")).to_string_lossy()),
            &out,
            took,
        );
        out.assert_code(0);
    }
    for (link, victim) in &planted {
        assert_eq!(
            fs::read_to_string(victim).unwrap(),
            PRECIOUS,
            "{}",
            victim.display()
        );
        assert!(is_link(link), "a link gvmi did not make is left alone");
    }
    for written in [
        www.join("x.gvmi"),
        www.join("x.gvmi.sha3-224"),
        images.join("SHA3SUMS"),
        cache.join("hashes.v1.bin"),
    ] {
        let meta = fs::symlink_metadata(&written).unwrap();
        assert!(meta.is_file(), "{} is a regular file", written.display());
    }
    assert_eq!(sha3(&www.join("x.gvmi")), sha3(&image));
    let sidecar = fs::read_to_string(www.join("x.gvmi.sha3-224")).unwrap();
    assert_eq!(sidecar, format!("{}  x.gvmi\n", sha3(&image)));
    for dir in [&www, &images, &cache] {
        let left: Vec<String> = temp_files(dir)
            .into_iter()
            .filter(|n| !is_link(&dir.join(n)))
            .collect();
        assert!(
            left.is_empty(),
            "temp files left in {}: {left:?}",
            dir.display()
        );
    }
}

#[cfg(unix)]
#[test]
fn item_2_links_at_the_final_names_are_replaced_never_written_through() {
    let home = tempfile::tempdir().unwrap();
    let (images, www, victims) = (
        home.path().join("images"),
        home.path().join("www"),
        home.path().join("victims"),
    );
    for d in [&images, &www, &victims] {
        fs::create_dir(d).unwrap();
    }
    let image = images.join("x.gvmi");
    valid_image(&image, 64 << 10);
    let image_victim = plant(&www.join("x.gvmi"), &victims);
    let sidecar_victim = plant(&www.join("x.gvmi.sha3-224"), &victims);
    let started = Instant::now();
    let run = gvmi_home(home.path())
        .arg("publish")
        .arg(&image)
        .arg("--to")
        .arg(format!("file://{}", www.display()));
    let command = run.what();
    let out = bounded(run, None, LIMIT);
    report(
        "links at the web root's final names",
        &command,
        &out,
        started.elapsed(),
    );
    out.assert_code(0);
    for victim in [&image_victim, &sidecar_victim] {
        assert_eq!(fs::read_to_string(victim).unwrap(), PRECIOUS);
    }
    assert!(!is_link(&www.join("x.gvmi")) && !is_link(&www.join("x.gvmi.sha3-224")));
    assert_eq!(sha3(&www.join("x.gvmi")), sha3(&image));

    // SHA3SUMS linked to a secret: read through the link, its lines would be
    // copied into the new (world-readable) SHA3SUMS. Left untouched instead.
    let secret = victims.join("shadow");
    fs::write(&secret, "root:$6$salt$hash:19000:0:99999:7:::\n").unwrap();
    std::os::unix::fs::symlink(&secret, images.join("SHA3SUMS")).unwrap();
    let started = Instant::now();
    let run = gvmi_home(home.path())
        .args(["hash", "--write-sums"])
        .arg(&images);
    let command = run.what();
    let out = bounded(run, None, LIMIT);
    report(
        "SHA3SUMS a link to a secret",
        &command,
        &out,
        started.elapsed(),
    );
    out.assert_code(1);
    assert!(
        out.stderr()
            .contains("cannot be read (a symbolic link; not followed); left untouched"),
        "{}",
        out.stderr()
    );
    assert!(is_link(&images.join("SHA3SUMS")));
    let out = bounded(
        gvmi_home(home.path())
            .args(["hash", "--write-sums", "--replace-sums"])
            .arg(&images),
        None,
        LIMIT,
    );
    out.assert_code(0);
    let sums = fs::read_to_string(images.join("SHA3SUMS")).unwrap();
    assert!(
        !sums.contains("root:") && sums.ends_with("  x.gvmi\n"),
        "{sums}"
    );
    assert!(fs::read_to_string(&secret).unwrap().starts_with("root:"));
}

#[cfg(unix)]
#[test]
fn item_2_temp_names_are_unpredictable_and_cleaned_up_once_their_process_is_gone() {
    let home = tempfile::tempdir().unwrap();
    let www = home.path().join("www");
    fs::create_dir(&www).unwrap();
    let image = home.path().join("big.gvmi");
    valid_image(&image, 64 << 20); // sparse: long enough to catch mid-copy
    let to = format!("file://{}", www.display());
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let running = gvmi_home(home.path())
            .args(["publish", "--to", &to])
            .arg(&image)
            .memory_limit(MEMORY_LIMIT)
            .timeout(LIMIT)
            .start();
        let pid = running.pid();
        let deadline = Instant::now() + LIMIT;
        let caught = loop {
            let names: Vec<String> = fs::read_dir(&www)
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            if let Some(name) = names
                .into_iter()
                .find(|n| random_part(n, "big.gvmi", pid).is_some())
            {
                // SAFETY: kill(2) of the child we started.
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
                break Some(name);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::yield_now();
        };
        let out = running.wait();
        match caught {
            Some(name) => {
                assert_eq!(out.code, None, "killed mid-copy");
                seen.push((pid, name));
            }
            None => panic!("never saw a temporary file while 64 MiB were copied"),
        }
    }
    eprintln!("temp names of two runs: {seen:?}");
    let randoms: Vec<&str> = seen
        .iter()
        .map(|(pid, n)| random_part(n, "big.gvmi", *pid).unwrap())
        .collect();
    assert_ne!(randoms[0], randoms[1]);
    // Each left behind by a killed run; the next write of the name removes
    // it: the second run removed the first's, the third the second's.
    assert_eq!(temp_files(&www), [seen[1].1.clone()]);
    let started = Instant::now();
    let run = gvmi_home(home.path())
        .args(["publish", "--to", &to])
        .arg(&image);
    let command = run.what();
    let out = bounded(run, None, LIMIT);
    report(
        "64 MiB publish after two killed ones",
        &command,
        &out,
        started.elapsed(),
    );
    out.assert_code(0);
    assert_eq!(temp_files(&www), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn item_5_concurrent_write_sums_never_lose_a_line() {
    let home = tempfile::tempdir().unwrap();
    let images = home.path().join("images");
    fs::create_dir(&images).unwrap();
    for name in ["a", "b", "c", "d"] {
        valid_image(
            &images.join(format!("{name}.gvmi")),
            8192 + name.len() as u64,
        );
    }
    let started = Instant::now();
    let mut peak = 0;
    for round in 0..20 {
        let _ = fs::remove_file(images.join("SHA3SUMS"));
        let runs: Vec<Running> = [["a", "b"], ["c", "d"]]
            .iter()
            .map(|pair| {
                let mut run = gvmi_home(home.path()).args(["hash", "--no-cache", "--write-sums"]);
                for name in pair {
                    run = run.arg(images.join(format!("{name}.gvmi")));
                }
                run.memory_limit(MEMORY_LIMIT).timeout(LIMIT).start()
            })
            .collect();
        for running in runs {
            let out = running.wait();
            out.assert_code(0);
            peak = peak.max(out.max_rss.unwrap_or(0));
        }
        let sums = fs::read_to_string(images.join("SHA3SUMS")).unwrap();
        assert_eq!(
            sums.lines().count(),
            4,
            "round {round}: lines lost:\n{sums}"
        );
    }
    eprintln!(
        "attack: 20 rounds of two concurrent `gvmi hash --no-cache --write-sums` (a b | c d) \
         on one folder: no line lost; {:.0} ms in all, peak RSS {} KiB",
        started.elapsed().as_secs_f64() * 1000.0,
        peak >> 10
    );
    assert_eq!(
        temp_files(&images),
        Vec::<String>::new(),
        "and nothing left behind"
    );
    assert!(
        !images.join(".SHA3SUMS.lock").exists(),
        "not even the lock file"
    );
}
