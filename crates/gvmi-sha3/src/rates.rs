//! How fast this CPU absorbs, in memory, on the active backend: the
//! ceiling a batch (lanes) or one file (scalar sponge) can reach, which
//! `benches/compare.sh` divides measured throughput by (its "efficiency").

use std::time::Instant;

use super::keccak::RATE;
use super::{Backend, OneStream, Sha3_224, WideSponge, ONE_STREAM_MARGIN};

/// Bytes per lane per measurement: one read chunk, as the engine feeds.
const LEN: usize = 1 << 20;
/// Measurements per figure; the best is kept (a loaded machine only ever
/// makes a try slower).
const TRIES: usize = 15;

/// In-memory rates, bytes per second, one core.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    pub backend: Backend,
    /// Every lane busy: bytes hashed per second summed over the lanes
    /// (`None` for a one-lane backend).
    pub lanes: Option<f64>,
    /// The one-stream sponge ([`Backend::scalar`]).
    pub scalar: f64,
}

/// Measures `backend` (about a tenth of a second).
pub fn measure(backend: Backend) -> Option<Rates> {
    let data: Vec<u8> = (0..(LEN * 8) as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let blocks = LEN / RATE;
    let lanes = WideSponge::new(backend).map(|mut wide| {
        let streams: Vec<&[u8]> = data.chunks(LEN).take(wide.lanes()).collect();
        let bytes = (wide.lanes() * blocks * RATE) as f64;
        best(bytes, || {
            wide.absorb(std::hint::black_box(&streams), blocks)
        })
    });
    let mut scalar = Sha3_224::with_backend(backend)?;
    let scalar = best(LEN as f64, || {
        scalar.update(std::hint::black_box(&data[..LEN]))
    });
    Some(Rates {
        backend,
        lanes,
        scalar,
    })
}

fn best(bytes: f64, mut run: impl FnMut()) -> f64 {
    (0..TRIES)
        .map(|_| {
            let start = Instant::now();
            run();
            bytes / start.elapsed().as_secs_f64().max(1e-9)
        })
        .fold(0.0, f64::max)
}

/// Rounds of [`one_stream_gain`] a one-stream candidate must win.
pub(crate) const ROUNDS: usize = 3;

/// Whether `gain` (one round of [`one_stream_gain`]) says the candidate is
/// at least [`ONE_STREAM_MARGIN`] faster in each of [`ROUNDS`] rounds,
/// stopping at the first that says no. One round is not enough: its
/// ratios spread ±8% on a quiet machine, and on a loaded one one round
/// once chose `avx512x1` on an AMD Zen 5 where it runs 25-30% slower than
/// `bmi`, for that process's whole life. A wrong "no" only keeps the
/// simpler path.
pub(crate) fn clearly_faster(mut gain: impl FnMut() -> f64) -> bool {
    (0..ROUNDS).all(|_| gain() >= ONE_STREAM_MARGIN)
}

/// How many times faster `candidate` absorbs one stream than `base`:
/// 128 blocks each, alternating, best of 25 tries each (about 2 ms in
/// all). Measured on an AMD Zen 5 where 1 MiB runs put `avx512x1` 10%
/// behind `bmi`: 64 blocks, best of 9, put it 7-27% ahead in half the
/// processes that had just run the lanes; 128 × 25 gave 0.92-1.08 in ten.
pub(crate) fn one_stream_gain(candidate: OneStream, base: OneStream) -> f64 {
    const BLOCKS: usize = 128;
    let input = vec![0x3cu8; BLOCKS * RATE];
    let mut best = [f64::MAX; 2];
    for _ in 0..25 {
        for (i, engine) in [candidate, base].into_iter().enumerate() {
            let mut state = [0u64; 25];
            let start = Instant::now();
            engine.absorb(
                std::hint::black_box(&mut state),
                std::hint::black_box(&input),
            );
            best[i] = best[i].min(start.elapsed().as_secs_f64());
        }
    }
    best[1] / best[0].max(1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every round must clear the margin; the first that does not ends
    /// the measuring.
    #[test]
    fn a_candidate_must_win_every_round_and_a_lost_round_stops_measuring() {
        let run = |ratios: &[f64]| {
            let mut asked = 0;
            let won = clearly_faster(|| {
                asked += 1;
                ratios[asked - 1]
            });
            (won, asked)
        };
        assert_eq!(run(&[1.2, 1.15, 1.1]), (true, ROUNDS));
        assert_eq!(
            run(&[0.9]),
            (false, 1),
            "a lost first round is the only one"
        );
        assert_eq!(run(&[1.3, 1.09]), (false, 2), "one round below the margin");
        assert_eq!(run(&[1.3, 1.3, 1.0]), (false, 3));
    }
}
