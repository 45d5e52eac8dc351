//! Which SHA3-224 implementation runs: the backends, what this CPU
//! supports, the one picked at start-up (or forced), and how to name them.

use super::*;

/// The environment variable that forces a backend.
pub const BACKEND_ENV: &str = "GVMI_KECCAK";

/// A SHA3-224 implementation gvmi can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The RustCrypto `sha3` crate.
    Reference,
    /// Our sponge, baseline instructions only.
    Portable,
    /// Our sponge with BMI1 + BMI2 (x86-64 CPUs that have them).
    Bmi,
    /// Four files at once per core in AVX2 registers ([`WideSponge`]);
    /// a single stream uses [`Backend::scalar`].
    Avx2,
    /// Four files at once per core in 256-bit registers with AVX-512VL's
    /// rotate and ternary logic.
    Avx512Vl,
    /// Eight files at once per core in AVX-512 registers.
    Avx512,
    /// One stream's state in AVX-512 registers (`avx512x1.rs`): one file
    /// at a time, like `bmi`; multi-lane backends finish and run a lone
    /// file on it where it measures faster ([`Backend::one_stream`]).
    Avx512x1,
}

impl Backend {
    pub const ALL: [Backend; 7] = [
        Backend::Reference,
        Backend::Portable,
        Backend::Bmi,
        Backend::Avx512x1,
        Backend::Avx2,
        Backend::Avx512Vl,
        Backend::Avx512,
    ];

    /// The name `GVMI_KECCAK` takes.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Reference => "reference",
            Backend::Portable => "portable",
            Backend::Bmi => "bmi",
            Backend::Avx2 => "avx2",
            Backend::Avx512Vl => "avx512vl",
            Backend::Avx512 => "avx512",
            Backend::Avx512x1 => "avx512x1",
        }
    }

    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::ALL.into_iter().find(|b| b.name() == name)
    }

    /// Whether this CPU can run the backend.
    pub fn is_supported(self) -> bool {
        match self {
            Backend::Reference | Backend::Portable => true,
            Backend::Bmi => Bmi::detect().is_some(),
            Backend::Avx512x1 => OneStream::avx512().is_some(),
            Backend::Avx2 | Backend::Avx512Vl | Backend::Avx512 => WideSponge::new(self).is_some(),
        }
    }

    /// The backends this CPU runs, in [`Backend::ALL`] order (what
    /// detection says, less what `GVMI_CPU_WITHOUT` hides).
    pub fn supported() -> impl Iterator<Item = Backend> {
        Backend::ALL.into_iter().filter(|b| b.is_supported())
    }

    /// How many files one core hashes at once on this backend.
    pub fn lanes(self) -> usize {
        match self {
            Backend::Avx2 | Backend::Avx512Vl => 4,
            Backend::Avx512 => 8,
            _ => 1,
        }
    }

    /// The one-stream backend that goes with this one: itself, or for a
    /// multi-lane backend [`Backend::one_stream`] (which also finishes each
    /// lane's last block).
    pub fn scalar(self) -> Backend {
        match self {
            b if b.lanes() > 1 => Backend::one_stream(),
            b => b,
        }
    }

    /// The fastest sponge for one stream on this CPU: `avx512x1` where it
    /// is supported and measures at least [`ONE_STREAM_MARGIN`] faster than
    /// `bmi` in every round of [`rates::clearly_faster`] (measured once per
    /// process: about 2 ms where it loses, 6 where it wins), else
    /// `bmi`, else `portable`.
    pub fn one_stream() -> Backend {
        static ONE: OnceLock<Backend> = OnceLock::new();
        *ONE.get_or_init(|| {
            let base = match Backend::Bmi.is_supported() {
                true => Backend::Bmi,
                false => Backend::Portable,
            };
            match OneStream::avx512() {
                Some(avx)
                    if rates::clearly_faster(|| {
                        rates::one_stream_gain(avx, OneStream::of(base))
                    }) =>
                {
                    Backend::Avx512x1
                }
                _ => base,
            }
        })
    }

    /// The fastest backend this CPU supports, for batches (a single
    /// stream runs on [`Backend::scalar`] of it): the multi-lane backend
    /// [`wide::quickest`] picks from a measurement made once per process
    /// (about a millisecond), else BMI, else the `sha3` crate (our
    /// `portable` build measured no faster than it).
    ///
    /// Measured, not assumed, because the answer differs by CPU: on AMD
    /// Zen 4 (512-bit instructions executed as two 256-bit halves) 4 lanes
    /// of AVX-512VL in ymm registers absorb as fast as 8 in zmm and fill
    /// sooner (`cargo bench --bench hash_throughput`, group
    /// `sha3_224_lanes`), while CPUs with full-width 512-bit units run 8
    /// lanes for about the price of 4.
    pub fn fastest() -> Backend {
        static FASTEST: OnceLock<Backend> = OnceLock::new();
        *FASTEST.get_or_init(|| {
            let wide = [Backend::Avx512, Backend::Avx512Vl, Backend::Avx2];
            wide::quickest(&wide).unwrap_or(if Backend::Bmi.is_supported() {
                Backend::Bmi
            } else {
                Backend::Reference
            })
        })
    }

    /// The backend [`Sha3_224::new`] uses: `GVMI_KECCAK` if set (a name
    /// this CPU cannot run, or an unknown one, is reported once on stderr
    /// and ignored), else [`Backend::fastest`]. Decided once per process.
    pub fn active() -> Backend {
        static ACTIVE: OnceLock<Backend> = OnceLock::new();
        *ACTIVE.get_or_init(|| {
            let Some(wanted) = std::env::var_os(BACKEND_ENV) else {
                return Backend::fastest();
            };
            let wanted = wanted.to_string_lossy();
            match Backend::from_name(&wanted) {
                Some(b) if b.is_supported() => b,
                Some(b) => {
                    eprintln!(
                        "gvmi: warning: {BACKEND_ENV}={} is not supported by this CPU; using {}",
                        b.name(),
                        Backend::fastest().name()
                    );
                    Backend::fastest()
                }
                None => {
                    eprintln!(
                        "gvmi: warning: {BACKEND_ENV}={wanted:?} is not one of reference, portable, bmi, avx512x1, avx2, avx512vl, avx512; ignored"
                    );
                    Backend::fastest()
                }
            }
        })
    }
}

/// How much faster than `bmi` the `avx512x1` sponge must measure to be
/// used for one stream (issue 23: at least 10%, else the simpler path).
pub const ONE_STREAM_MARGIN: f64 = 1.10;
