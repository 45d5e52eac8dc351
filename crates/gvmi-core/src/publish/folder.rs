//! `file:///DIR`: publishing into a folder a web server serves. Each image
//! is copied through the hasher into a temporary file beside its final
//! name, synced, then renamed (`atomic_write::Pending`): a web server never
//! serves half an image. The hash goes into a sidecar `NAME.sha3-224`
//! (`sha3sum -a 224` format), the folder's stand-in for object metadata.
//!
//! The copy gets its source's permission bits (masked by the umask): a
//! published copy is never more readable than the file it came from.

use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::error::PublishError;
use super::s3::Remote;
use crate::atomic_write::Pending;
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::fsmeta::{self, cap, FileStamp};
use crate::hasher::Hashed;
use crate::sha3_fast::Sha3_224;
use crate::visible::visible_path;

/// The sidecar holding `image`'s hash.
pub(crate) fn sidecar(image: &Path) -> PathBuf {
    let mut name = OsString::from(image.file_name().unwrap_or_default());
    name.push(".sha3-224");
    image.with_file_name(name)
}

/// What the folder holds at `target`: its size, and the sidecar's hash if
/// the sidecar is at least as new as the image (else the image was
/// replaced by something else and its hash is unknown). Only regular files
/// count: a link planted at either name is no published copy, so the image
/// is copied again (and the link replaced, never written through).
pub(crate) fn head(target: &Path) -> Option<Remote> {
    let regular = |p: &Path| fs::symlink_metadata(p).ok().filter(Metadata::is_file);
    let meta = regular(target)?;
    let side = sidecar(target);
    let fresh = regular(&side)
        .and_then(|m| Some(m.modified().ok()? >= meta.modified().ok()?))
        .unwrap_or(false);
    let hash = fresh
        .then(|| fsmeta::read_regular(&side, cap::CONFIG).ok())
        .flatten()
        .and_then(|(bytes, _)| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            text.split_whitespace().next().map(str::to_string)
        });
    Some(Remote {
        size: meta.len(),
        hash,
    })
}

/// Copies `source` to `key` under `dir` atomically, hashing as it goes,
/// with its sidecar, so that a reader never sees an image beside another
/// image's hash.
pub(crate) fn copy(
    source: &Path,
    dir: &Path,
    key: &str,
    cancel: &CancelToken,
    progress: impl FnMut(u64),
) -> Result<Hashed, PublishError> {
    let target = &dir.join(key);
    no_link_below(dir, target)?;
    let side = sidecar(target);
    name_fits(&side)?;
    let (mut file, meta) = fsmeta::open_regular(source)?;
    let stamp = FileStamp::of(&meta);
    let mode = fsmeta::permission_bits(&meta);
    let mut image = Pending::beside(target, mode).map_err(failed(target))?;
    let digest =
        copy_hashing(&mut file, image.file(), &stamp, cancel, progress).map_err(failed(target))?;
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let line = format!("{}  {}\n", digest.to_hex(), name);
    let mut hash = Pending::beside(&side, mode).map_err(failed(&side))?;
    hash.file()
        .write_all(line.as_bytes())
        .map_err(failed(&side))?;
    // Two files cannot be replaced in one step; this order keeps every
    // moment's pair true. 1: both temporary files written and synced (a
    // full disk fails here, with nothing replaced). 2: the old sidecar
    // removed: the old image with no hash. 3: the image renamed in: the
    // new image with no hash. 4: its sidecar renamed in. A failure after 2
    // leaves an image without a sidecar, which `head` reads as "hash
    // unknown" (so the next publish copies it again), never an image beside
    // another's hash. (Sidecar first would show the old image with the new
    // hash; image first, the new image with the old hash.)
    image.sync().map_err(failed(target))?;
    hash.sync().map_err(failed(&side))?;
    match fs::remove_file(&side) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(failed(&side)(e)),
        _ => {}
    }
    image.commit().map_err(failed(target))?;
    hash.commit().map_err(failed(&side))?;
    Ok(Hashed { digest, stamp })
}

/// Streams `file` into `out`, hashing it; fails if the file changed while
/// being copied.
fn copy_hashing(
    file: &mut File,
    out: &mut File,
    stamp: &FileStamp,
    cancel: &CancelToken,
    mut progress: impl FnMut(u64),
) -> io::Result<Sha3Digest> {
    let mut hasher = Sha3_224::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        if cancel.is_cancelled() {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        done += n as u64;
        progress(done);
    }
    let after = FileStamp::of(&file.metadata()?);
    if done != stamp.size || stamp.content_moved(&after) {
        return Err(io::Error::other(
            "changed while being copied; nothing was published",
        ));
    }
    Ok(hasher.finalize())
}

/// A link planted at a folder below the destination (`www/sub` pointing at
/// `/etc`) would carry the copy somewhere else: refused. The destination
/// itself is the user's word and may be a link. This looks before writing;
/// a link swapped in between the look and the write is not caught (that
/// would take opening each folder relative to the last, `openat`).
fn no_link_below(dir: &Path, target: &Path) -> Result<(), PublishError> {
    let Ok(below) = target.strip_prefix(dir) else {
        return Ok(());
    };
    let mut at = dir.to_path_buf();
    for part in below.parent().into_iter().flat_map(Path::components) {
        at.push(part);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(PublishError::Upload(format!(
                "{}: a symbolic link inside the destination folder; not followed, nothing was \
                 published",
                visible_path(&at)
            )));
        }
    }
    Ok(())
}

/// The sidecar's name must fit the folder, checked before anything is
/// written: the image must not be replaced without its hash beside it.
fn name_fits(side: &Path) -> Result<(), PublishError> {
    let dir = side.parent().unwrap_or(Path::new("."));
    let len = side.file_name().unwrap_or_default().len();
    // The folder may not exist yet: ask the nearest one that does.
    let existing = dir.ancestors().find(|d| d.is_dir()).unwrap_or(dir);
    let max = fsmeta::name_max(existing);
    if len <= max {
        return Ok(());
    }
    Err(PublishError::Upload(format!(
        "{}: the hash sidecar's name would be {len} bytes, longer than the folder's \
         limit of {max}; nothing was published (use a shorter image name)",
        visible_path(side)
    )))
}

/// The words for a failed write of `path`.
fn failed(path: &Path) -> impl Fn(io::Error) -> PublishError + '_ {
    move |e| match e.kind() {
        io::ErrorKind::Interrupted => PublishError::Interrupted,
        _ => PublishError::Upload(format!(
            "{}: {}",
            visible_path(path),
            crate::io_error::message(&e)
        )),
    }
}
