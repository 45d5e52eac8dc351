//! The BMI1 + BMI2 build of the Keccak absorber (x86-64 only).
//!
//! Most x86-64 CPUs since 2013 (Haswell, Zen) have BMI1/BMI2, but the
//! binary's baseline must not require them. So this copy of the absorber is
//! compiled with the features enabled and only entered through a [`Bmi`]
//! token, which exists only when the running CPU reports both features.

use super::cpu::{hidden, Feature};
use super::keccak;

/// Proof that this CPU has BMI1 and BMI2. Only [`Bmi::detect`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Bmi(());

impl Bmi {
    /// `Some` when the CPU supports both features (std caches the CPUID
    /// answer, so this is cheap after the first call).
    pub(super) fn detect() -> Option<Bmi> {
        let shown = !hidden(Feature::Bmi);
        (shown && is_x86_feature_detected!("bmi1") && is_x86_feature_detected!("bmi2"))
            .then_some(Bmi(()))
    }

    /// Absorbs whole blocks with the BMI build of the permutation.
    pub(super) fn absorb_blocks(self, state: &mut [u64; 25], blocks: &[u8]) {
        // SAFETY: a `Bmi` value is only created by `detect`, after the CPU
        // reported BMI1 and BMI2, so the instructions this function was
        // compiled with exist on this CPU. Its arguments are ordinary safe
        // references; the function has no other precondition.
        unsafe { absorb_blocks_bmi(state, blocks) }
    }
}

/// `keccak::absorb_blocks` is `#[inline(always)]`, so its whole loop and
/// permutation are compiled here, where LLVM may use `andn` and `rorx`.
///
/// # Safety
/// The CPU must support BMI1 and BMI2.
#[target_feature(enable = "bmi1,bmi2")]
unsafe fn absorb_blocks_bmi(state: &mut [u64; 25], blocks: &[u8]) {
    keccak::absorb_blocks(state, blocks);
}
