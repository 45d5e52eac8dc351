//! One image to S3, each byte read once: the file streams through the
//! SHA3-224 hasher into the upload. A small image is one PUT with its hash
//! as metadata. A large one goes as a multipart upload with a few parts in
//! flight; S3 sets metadata when an upload starts, so when the hash is not
//! known yet (no fresh cache entry) the parts go to a staging key and a
//! server-side copy puts the object at its key with the hash (the staging
//! object is then removed). Either way nothing is visible at the key until
//! it is whole and carries its hash; a failure aborts the multipart upload.
//!
//! Cancellation aborts everything up to the last request that makes an
//! object appear (the PUT, the completion, the copy). That request is
//! atomic at the storage, so once sent it is waited for (bounded by its
//! deadline), never abandoned: a cancellation during it finds the object
//! whole at its key, and the caller says so ([`upload_file`] returns `Ok`
//! with the token cancelled). A completed staging object is removed, and
//! never copied once cancelled.

use std::io::Read;
use std::path::Path;

use super::error::PublishError;
use super::s3::{Multipart, S3};
use crate::cancel::CancelToken;
use crate::digest::Sha3Digest;
use crate::fsmeta::{self, FileStamp};
use crate::hasher::Hashed;
use crate::sha3_fast::Sha3_224;

/// Part size: S3's minimum is 5 MiB; 8 MiB × ([`IN_FLIGHT`] + the one
/// filling) keeps memory near 40 MiB. Grown for images over 80 GiB (S3 allows 10,000 parts).
pub(crate) const PART_SIZE: usize = 8 << 20;
/// Parts uploading at once.
pub(crate) const IN_FLIGHT: usize = 4;
/// The largest object one CopyObject may write.
const COPY_LIMIT: u64 = 5 << 30;
/// Read size: progress and cancellation happen at this grain.
const READ_SIZE: usize = 1 << 20;

/// Uploads the file at `path` to `key`. `known` is a fresh cached hash (it
/// is checked against the bytes sent). Returns the hash and the stamp the
/// file had while it was read; `Ok` with `cancel` cancelled means the
/// cancellation came during the last request, which put the object there.
pub(crate) fn upload_file(
    s3: &S3,
    path: &Path,
    key: &str,
    known: Option<Sha3Digest>,
    cancel: &CancelToken,
    mut progress: impl FnMut(u64),
) -> Result<Hashed, PublishError> {
    let (mut file, meta) = fsmeta::open_regular(path)?;
    let stamp = FileStamp::of(&meta);
    if stamp.size <= PART_SIZE as u64 {
        let (bytes, digest) = read_small(&mut file, stamp.size)?;
        still_same(path, &file, &stamp)?;
        if cancel.is_cancelled() {
            return Err(PublishError::Interrupted);
        }
        s3.put(key, bytes, &digest, &CancelToken::new())?;
        progress(stamp.size);
        return Ok(Hashed { digest, stamp });
    }
    let part = part_size(stamp.size);
    let up_front = match known {
        Some(d) => Some(d),
        // A second read, only where the copy trick cannot work.
        None if stamp.size > COPY_LIMIT => Some(
            crate::hasher::hash_file(path, cancel, |_| {})
                .map_err(|e| PublishError::Local(e.to_string()))?
                .digest,
        ),
        None => None,
    };
    let staging = format!("{key}.gvmi-partial-{}", std::process::id());
    let target = if up_front.is_some() { key } else { &staging };
    let mut upload = s3.multipart(target, up_front.as_ref(), part, IN_FLIGHT, cancel)?;
    let streamed = stream(&mut file, stamp.size, &mut upload, cancel, &mut progress)
        .and_then(|digest| still_same(path, &file, &stamp).map(|()| digest))
        .and_then(|digest| match up_front {
            Some(d) if d != digest => Err(PublishError::Local(
                "changed since it was hashed (the cached hash no longer matches); run again".into(),
            )),
            _ => Ok(digest),
        });
    let digest = match streamed {
        Ok(d) => d,
        Err(e) => {
            let _ = upload.abort();
            return Err(e);
        }
    };
    let finished = upload.finish(cancel);
    if up_front.is_some() {
        finished?;
        return Ok(Hashed { digest, stamp });
    }
    // A completion that failed may still have made the staging object.
    let copied = finished.and_then(|()| match cancel.is_cancelled() {
        true => Err(PublishError::Interrupted),
        false => s3.copy_with_hash(&staging, key, &digest, &CancelToken::new()),
    });
    s3.delete(&staging);
    copied.map(|()| Hashed { digest, stamp })
}

fn part_size(size: u64) -> usize {
    let needed = size.div_ceil(9_000);
    PART_SIZE.max(needed.next_multiple_of(1 << 20) as usize)
}

fn read_small(file: &mut std::fs::File, size: u64) -> Result<(Vec<u8>, Sha3Digest), PublishError> {
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(size + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != size {
        return Err(changed());
    }
    let mut hasher = Sha3_224::new();
    hasher.update(&bytes);
    Ok((bytes, hasher.finalize()))
}

/// Reads the file to its end, hashing each chunk and queueing it for upload.
fn stream(
    file: &mut std::fs::File,
    size: u64,
    upload: &mut Multipart<'_>,
    cancel: &CancelToken,
    progress: &mut impl FnMut(u64),
) -> Result<Sha3Digest, PublishError> {
    let mut hasher = Sha3_224::new();
    let mut buf = vec![0u8; READ_SIZE];
    let mut done = 0u64;
    loop {
        if cancel.is_cancelled() {
            return Err(PublishError::Interrupted);
        }
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        hasher.update(&buf[..n]);
        upload.write(&buf[..n], cancel)?;
        done += n as u64;
        if done > size {
            return Err(changed());
        }
        progress(done);
    }
    if done != size {
        return Err(changed());
    }
    Ok(hasher.finalize())
}

/// The hasher's rule: the stamp held and the path still names this file.
fn still_same(path: &Path, file: &std::fs::File, before: &FileStamp) -> Result<(), PublishError> {
    let after = FileStamp::of(&file.metadata()?);
    let at_path = std::fs::metadata(path).map(|m| FileStamp::of(&m));
    let replaced = at_path.map_or(true, |s| before.content_moved(&s));
    if before.content_moved(&after) || replaced {
        return Err(changed());
    }
    Ok(())
}

fn changed() -> PublishError {
    PublishError::Local("changed while being uploaded; nothing was published".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_stay_under_ten_thousand() {
        assert_eq!(part_size(100 << 20), PART_SIZE);
        let huge = 200u64 << 30;
        assert!(huge.div_ceil(part_size(huge) as u64) <= 10_000);
    }
}
