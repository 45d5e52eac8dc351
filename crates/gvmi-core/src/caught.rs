//! Panics caught at a thread boundary. A worker thread (a URL check, an
//! inspection) runs its job through [`catch`], which turns a panic into an
//! error the caller reports (a row error, a failed check). While a thread is
//! inside `catch`, [`is_catching`] is true, so the workbench's panic hook
//! knows the program keeps running and must not restore the terminal under it.

use std::any::Any;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// A panic caught by [`catch`]. It reads as a bug in gvmi, which it is:
/// `internal error (a bug in gvmi): MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error (a bug in gvmi): {0}")]
pub struct Panicked(String);

impl Panicked {
    /// The text the panic was raised with.
    pub fn message(&self) -> &str {
        &self.0
    }
}

/// Runs `f`; a panic becomes `Err` with its message.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panicked> {
    CATCHING.with(|c| c.set(c.get() + 1));
    // Whatever `f` touched is dropped or reported as failed: no broken state
    // is observed afterwards, so asserting unwind safety is sound here.
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| Panicked(message(payload.as_ref())))
}

/// True while the current thread runs inside [`catch`].
pub fn is_catching() -> bool {
    CATCHING.with(|c| c.get() > 0)
}

/// A panic forced by the tests at a named point (`GVMI_TEST_PANIC=point`),
/// in debug builds only: release builds never read the variable.
pub fn test_panic(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("GVMI_TEST_PANIC").as_deref() == Ok(point) {
        panic!("forced by GVMI_TEST_PANIC={point}");
    }
    #[cfg(not(debug_assertions))]
    let _ = point;
}

/// The text a panic was raised with (`panic!("…")` gives a `&str` or a `String`).
fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_flag_is_reset() {
        assert!(!is_catching());
        let r: Result<(), Panicked> = catch(|| {
            assert!(is_catching());
            panic!("boom {}", 7)
        });
        let panicked = r.unwrap_err();
        assert_eq!(panicked.message(), "boom 7");
        assert_eq!(
            panicked.to_string(),
            "internal error (a bug in gvmi): boom 7"
        );
        assert!(!is_catching());
        assert_eq!(catch(|| 5), Ok(5));
    }
}
