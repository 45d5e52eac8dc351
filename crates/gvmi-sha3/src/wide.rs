//! Several SHA3-224 sponges advanced together, one per SIMD lane.
//!
//! One file's hash is sequential, but different files are independent
//! sponges: 8 (AVX-512) or 4 (AVX2, AVX-512VL) of them fit in one set of vector
//! registers, so one core hashes several files for little more than the
//! cost of one. A [`WideSponge`] only absorbs whole blocks, in lockstep on
//! every lane; the caller (the engine's lane scheduler) keeps each file's
//! partial block and, when a file ends, [`WideSponge::take`]s its lane as a
//! scalar [`Sha3_224`] that pads and finishes it.

#[cfg(target_arch = "x86_64")]
use super::avx2::{self, Avx2, Avx512Vl};
#[cfg(target_arch = "x86_64")]
use super::avx512::Avx512;
use super::keccak::RATE;
use super::rounds::{Words, MAX_LANES};
use super::{Backend, Sha3_224};

/// A multi-lane engine this CPU has been checked to run.
#[derive(Debug, Clone, Copy)]
enum Engine {
    #[cfg(target_arch = "x86_64")]
    Avx512(Avx512),
    #[cfg(target_arch = "x86_64")]
    Avx2(Avx2),
    #[cfg(target_arch = "x86_64")]
    Avx512Vl(Avx512Vl),
}

/// N sponges in SIMD lanes; see the module comment.
pub struct WideSponge {
    engine: Engine,
    words: Box<Words>,
}

impl WideSponge {
    /// A sponge set on `backend`, or `None` when it is not a multi-lane
    /// backend this CPU runs.
    pub fn new(backend: Backend) -> Option<WideSponge> {
        let engine = match backend {
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => Engine::Avx512(Avx512::detect()?),
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => Engine::Avx2(Avx2::detect()?),
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512Vl => Engine::Avx512Vl(Avx512Vl::detect()?),
            _ => return None,
        };
        Some(WideSponge {
            engine,
            words: Box::new([[0; MAX_LANES]; 25]),
        })
    }

    /// How many files this set hashes at once.
    pub fn lanes(&self) -> usize {
        match self.engine {
            #[cfg(target_arch = "x86_64")]
            Engine::Avx512(_) => MAX_LANES,
            #[cfg(target_arch = "x86_64")]
            Engine::Avx2(_) | Engine::Avx512Vl(_) => avx2::LANES,
        }
    }

    /// Absorbs `blocks` whole blocks from every lane: `lanes[l]` is lane
    /// `l`'s input and must hold at least `blocks * RATE` bytes (an idle
    /// lane may be given any such slice; its state is reset when it is
    /// [`take`](Self::take)n or [`reset`](Self::reset)).
    ///
    /// # Panics
    /// When `lanes.len() != self.lanes()` or a lane is too short.
    pub fn absorb(&mut self, lanes: &[&[u8]], blocks: usize) {
        assert_eq!(lanes.len(), self.lanes(), "one input per lane");
        let mut all = [lanes[0]; MAX_LANES];
        all[..lanes.len()].copy_from_slice(lanes);
        match self.engine {
            #[cfg(target_arch = "x86_64")]
            Engine::Avx512(e) => e.absorb(&mut self.words, all, blocks),
            #[cfg(target_arch = "x86_64")]
            Engine::Avx2(e) => e.absorb(&mut self.words, all, blocks),
            #[cfg(target_arch = "x86_64")]
            Engine::Avx512Vl(e) => e.absorb(&mut self.words, all, blocks),
        }
    }

    /// Lane `lane`'s sponge as a scalar hasher, to be given the file's last
    /// partial block and finalized; the lane starts over empty.
    pub fn take(&mut self, lane: usize) -> Sha3_224 {
        let mut state = [0u64; 25];
        for (word, lanes) in state.iter_mut().zip(self.words.iter_mut()) {
            *word = std::mem::take(&mut lanes[lane]);
        }
        Sha3_224::resume(state)
    }

    /// Starts lane `lane` over empty (a file abandoned mid-way).
    pub fn reset(&mut self, lane: usize) {
        for lanes in self.words.iter_mut() {
            lanes[lane] = 0;
        }
    }
}

/// Of the multi-lane `candidates` this CPU runs, the one to use: the one
/// with the fewest lanes among those within [`NEAR`] of the best bytes per
/// second (all lanes busy); `None` when it runs none.
///
/// Fewer lanes win a near tie because they fill: 8 files on 2 workers keep
/// 4 lanes per worker busy, but only half of 8 (measured on AMD Zen 4,
/// where 4 lanes of AVX-512VL and 8 of AVX-512 absorb at 2.03 and 2.10
/// GiB/s: 8 × 128 MiB took 0.34 s on 4 lanes, 0.54–0.64 s on 8). Where
/// 512-bit units are full width, 8 lanes absorb about twice as fast and win.
///
/// Each absorbs 32 blocks per lane, best of 5 tries (a few hundred
/// microseconds in all): enough to tell 2× apart, which is what the
/// choices differ by.
pub(crate) fn quickest(candidates: &[Backend]) -> Option<Backend> {
    const BLOCKS: usize = 32;
    let input = vec![0x5au8; BLOCKS * RATE];
    let rates: Vec<(Backend, f64)> = candidates
        .iter()
        .filter_map(|&b| {
            let mut wide = WideSponge::new(b)?;
            let lanes = vec![&input[..]; wide.lanes()];
            let best = (0..5)
                .map(|_| {
                    let start = std::time::Instant::now();
                    wide.absorb(std::hint::black_box(&lanes), BLOCKS);
                    start.elapsed()
                })
                .min()?;
            let bytes = (wide.lanes() * BLOCKS * RATE) as f64;
            Some((b, bytes / best.as_nanos().max(1) as f64))
        })
        .collect();
    let best = rates.iter().map(|r| r.1).fold(0.0, f64::max);
    rates
        .into_iter()
        .filter(|r| r.1 >= NEAR * best)
        .min_by(|x, y| x.0.lanes().cmp(&y.0.lanes()).then(y.1.total_cmp(&x.1)))
        .map(|(b, _)| b)
}

/// How close to the best rate a backend with fewer lanes must come to be
/// preferred (see [`quickest`]).
const NEAR: f64 = 0.8;

/// SHA3-224 of each of `messages` (at most the backend's lanes) on the wide
/// `backend`: whole blocks in lanes, tails finished on the scalar path, as
/// the engine does. For tests and benchmarks.
pub fn hash_lanes(backend: Backend, messages: &[&[u8]]) -> Option<Vec<crate::digest::Sha3Digest>> {
    let mut wide = WideSponge::new(backend)?;
    let n = wide.lanes();
    assert!(messages.len() <= n, "more messages than lanes");
    let mut inputs: Vec<&[u8]> = messages.to_vec();
    inputs.resize(n, &[]);
    let whole: Vec<usize> = inputs.iter().map(|m| m.len() / RATE).collect();
    // Lanes advance in uneven rounds (at most 7 blocks, on purpose: a lane
    // must not depend on the others); a lane whose blocks are all in is
    // taken at once, and from then on absorbs dummy blocks, harmlessly.
    let dummy = [0u8; 7 * RATE];
    let mut done = vec![0usize; n];
    let mut taken: Vec<Option<Sha3_224>> = (0..n)
        .map(|l| (whole[l] == 0).then(|| wide.take(l)))
        .collect();
    loop {
        let active: Vec<usize> = (0..n).filter(|&l| done[l] < whole[l]).collect();
        let Some(step) = active.iter().map(|&l| whole[l] - done[l]).min() else {
            break;
        };
        let step = step.min(7);
        let slices: Vec<&[u8]> = (0..n)
            .map(|l| match done[l] < whole[l] {
                true => &inputs[l][done[l] * RATE..],
                false => &dummy[..],
            })
            .collect();
        wide.absorb(&slices, step);
        for &l in &active {
            done[l] += step;
            if done[l] == whole[l] {
                taken[l] = Some(wide.take(l));
            }
        }
    }
    let digests = (0..messages.len())
        .map(|l| {
            let mut h = taken[l].take().expect("every lane is taken");
            h.update(&inputs[l][whole[l] * RATE..]);
            h.finalize()
        })
        .collect();
    Some(digests)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash_with;

    fn wide_backends() -> impl Iterator<Item = Backend> {
        [Backend::Avx2, Backend::Avx512Vl, Backend::Avx512]
            .into_iter()
            .filter(|b| b.is_supported())
    }

    #[test]
    fn lanes_of_every_length_around_the_rate_agree_with_the_reference() {
        let data: Vec<u8> = (0..40 * RATE as u32)
            .map(|i| (i * 131 + 17) as u8)
            .collect();
        let lens = [
            0,
            1,
            143,
            144,
            145,
            287,
            288,
            289,
            1000,
            2880,
            5000,
            40 * RATE,
        ];
        for b in wide_backends() {
            for group in lens.chunks(b.lanes()) {
                // Each lane a different slice and length, so a mixed-up lane shows.
                let msgs: Vec<&[u8]> = group
                    .iter()
                    .enumerate()
                    .map(|(i, &len)| &data[i..i + len.min(data.len() - i)])
                    .collect();
                let got = hash_lanes(b, &msgs).unwrap();
                for (m, d) in msgs.iter().zip(got) {
                    let want = hash_with(Backend::Reference, m).unwrap();
                    assert_eq!(d, want, "{b:?}, {} bytes", m.len());
                }
            }
        }
    }

    #[test]
    fn a_taken_lane_starts_over_empty() {
        for b in wide_backends() {
            let mut w = WideSponge::new(b).unwrap();
            let block = [7u8; RATE];
            let lanes = vec![&block[..]; w.lanes()];
            w.absorb(&lanes, 1);
            let _ = w.take(0);
            w.reset(1);
            let empty = hash_with(Backend::Reference, b"").unwrap();
            assert_eq!(w.take(0).finalize(), empty, "{b:?}");
            assert_eq!(w.take(1).finalize(), empty, "{b:?}");
            let one = hash_with(Backend::Reference, &block).unwrap();
            assert_eq!(w.take(2).finalize(), one, "{b:?}");
        }
    }

    #[test]
    fn scalar_backends_have_no_wide_sponge() {
        for b in [Backend::Reference, Backend::Portable, Backend::Bmi] {
            assert!(WideSponge::new(b).is_none());
            assert_eq!(b.lanes(), 1);
        }
    }
}
