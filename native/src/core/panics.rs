//! Panics at the library's boundaries are caught and turned into errors (a Java exception, a C
//! error object), so Rust's default panic message on standard error is noise there: a
//! command-line tool built on the library promises one line of error output. The hook installed
//! here stays quiet for panics raised inside a boundary and hands every other panic of the
//! process to the hook that was installed before.

use std::any::Any;
use std::cell::Cell;
use std::panic::PanicHookInfo;
use std::sync::Once;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

static INSTALL: Once = Once::new();

fn install() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            if DEPTH.with(|d| d.get()) == 0 {
                previous(info);
            }
        }));
    });
}

/// Marks the current thread as inside a boundary that catches panics, for as long as it lives.
pub struct Boundary(());

impl Boundary {
    /// Enters a boundary (installing the quiet hook on first use).
    pub fn enter() -> Boundary {
        install();
        DEPTH.with(|d| d.set(d.get() + 1));
        Boundary(())
    }
}

impl Drop for Boundary {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// The text of a caught panic's payload (a `&str` or `String` message; anything else is unknown).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_inside_a_boundary_are_caught_quietly() {
        let caught = std::panic::catch_unwind(|| {
            let _b = Boundary::enter();
            panic!("inside");
        });
        assert!(caught.is_err());
        assert_eq!(
            DEPTH.with(|d| d.get()),
            0,
            "the boundary was left while unwinding"
        );
    }
}
