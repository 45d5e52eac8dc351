//! `file:///DIR`: publishing into a folder a web server serves. Each image
//! is copied through the hasher into a temporary file beside its final
//! name, synced, then renamed (`atomic_write_with`): a web server never
//! serves half an image. The hash goes into a sidecar `NAME.sha3-224`
//! (`sha3sum -a 224` format), the folder's stand-in for object metadata.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::error::PublishError;
use super::s3::Remote;
use crate::atomic_write::{atomic_write, atomic_write_with};
use crate::cancel::CancelToken;
use crate::fsmeta::{self, cap, FileStamp};
use crate::hasher::Hashed;
use crate::sha3_fast::Sha3_224;

/// The sidecar holding `image`'s hash.
pub fn sidecar(image: &Path) -> PathBuf {
    let mut name = OsString::from(image.file_name().unwrap_or_default());
    name.push(".sha3-224");
    image.with_file_name(name)
}

/// What the folder holds at `target`: its size, and the sidecar's hash if
/// the sidecar is at least as new as the image (else the image was
/// replaced by something else and its hash is unknown).
pub fn head(target: &Path) -> Option<Remote> {
    let meta = std::fs::metadata(target).ok()?;
    let side = sidecar(target);
    let fresh = std::fs::metadata(&side)
        .and_then(|m| Ok(m.modified()? >= meta.modified()?))
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

/// Copies `source` to `target` atomically, hashing as it goes, then writes
/// the sidecar.
pub fn copy(
    source: &Path,
    target: &Path,
    cancel: &CancelToken,
    mut progress: impl FnMut(u64),
) -> Result<Hashed, PublishError> {
    let (mut file, meta) = fsmeta::open_regular(source)?;
    let stamp = FileStamp::of(&meta);
    let digest = atomic_write_with(target, |out| {
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
    })
    .map_err(|e| match e.kind() {
        io::ErrorKind::Interrupted => PublishError::Interrupted,
        _ => PublishError::Upload(format!(
            "{}: {}",
            crate::visible::visible_path(target),
            crate::io_error::message(&e)
        )),
    })?;
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let line = format!("{}  {}\n", digest.to_hex(), name);
    atomic_write(&sidecar(target), line.as_bytes()).map_err(|e| {
        PublishError::Upload(format!(
            "{}: {}",
            crate::visible::visible_path(&sidecar(target)),
            crate::io_error::message(&e)
        ))
    })?;
    Ok(Hashed { digest, stamp })
}
