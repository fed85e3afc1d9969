//! Errors: the one place where core errors become C errors.
//!
//! | core error | `wjvm_error_kind_t` |
//! |---|---|
//! | `Compile` | `WJVM_ERROR_COMPILE` |
//! | `Link` | `WJVM_ERROR_LINK` |
//! | `Trap` | `WJVM_ERROR_TRAP` (code through `wjvm_error_trap_code`, frames through `wjvm_error_trap_backtrace`) |
//! | `Timeout` | `WJVM_ERROR_TRAP` with code `INTERRUPT` |
//! | `InvalidArgument`, `Mismatch`, `OutOfBounds` | `WJVM_ERROR_INVALID_ARGUMENT` |
//! | `UnknownExport` | `WJVM_ERROR_UNKNOWN_EXPORT` (the message lists the exports) |
//! | `Closed` | `WJVM_ERROR_CLOSED` |
//! | `StoreBusy` | `WJVM_ERROR_STORE_BUSY` |
//! | `Io` | `WJVM_ERROR_IO` |
//! | `Exit` | `WJVM_ERROR_EXIT` (status through `wjvm_error_exit_status`) |
//! | `Resource` | `WJVM_ERROR_RESOURCE` |
//! | `Host` | `WJVM_ERROR_HOST` |
//! | `Runtime`, a Rust panic | `WJVM_ERROR_RUNTIME` |
//! | `Wit` | `WJVM_ERROR_WIT` (the message carries file, line and column) |
//! | `Compose` | `WJVM_ERROR_COMPOSE` |
//! | `Http` | `WJVM_ERROR_HTTP` |

#![allow(non_camel_case_types)]

use std::any::Any;
use std::ffi::c_char;

use wasmtime::Trap;

use crate::core::error::trap_number;

use super::{guard_or, lend_empty, CText};
use crate::core::panics::panic_message;
use crate::core::Error;

/// What kind of failure an error is; one per failure a caller can act on.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum wjvm_error_kind_t {
    /// The bytes are not a valid component (malformed, failing validation, or bad WAT).
    WJVM_ERROR_COMPILE = 0,
    /// An import is missing or has the wrong type.
    WJVM_ERROR_LINK = 1,
    /// WebAssembly trapped (including running out of fuel and epoch interruption).
    WJVM_ERROR_TRAP = 2,
    /// An argument does not fit: NULL, wrong count, wrong kind, out of range, objects of
    /// different engines mixed.
    WJVM_ERROR_INVALID_ARGUMENT = 3,
    /// The export asked for does not exist; the message lists those that do.
    WJVM_ERROR_UNKNOWN_EXPORT = 4,
    /// The store was deleted while handles into it (instances, functions) were still in use.
    WJVM_ERROR_CLOSED = 5,
    /// The store is in use by another thread (a store is used by one thread at a time).
    WJVM_ERROR_STORE_BUSY = 6,
    /// Reading or writing a file failed.
    WJVM_ERROR_IO = 7,
    /// A WASI program called `exit`; see `wjvm_error_exit_status`.
    WJVM_ERROR_EXIT = 8,
    /// A resource id is no longer valid (dropped, or its ownership passed to the guest).
    WJVM_ERROR_RESOURCE = 9,
    /// A host function failed.
    WJVM_ERROR_HOST = 10,
    /// Anything else wasmtime reported, or an internal error of this library.
    WJVM_ERROR_RUNTIME = 11,
    /// WIT text failed to parse or resolve; the message carries wit-parser's location.
    WJVM_ERROR_WIT = 12,
    /// Building or composing a component failed; the message names what is wrong.
    WJVM_ERROR_COMPOSE = 13,
    /// A `wasi:http` handler gave no usable response.
    WJVM_ERROR_HTTP = 14,
}

/// The reason for a trap (wasmtime's `Trap`, named as in the Java `TrapCode`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum wjvm_trap_code_t {
    WJVM_TRAP_STACK_OVERFLOW = 0,
    WJVM_TRAP_MEMORY_OUT_OF_BOUNDS = 1,
    WJVM_TRAP_HEAP_MISALIGNED = 2,
    WJVM_TRAP_TABLE_OUT_OF_BOUNDS = 3,
    WJVM_TRAP_INDIRECT_CALL_TO_NULL = 4,
    WJVM_TRAP_BAD_SIGNATURE = 5,
    WJVM_TRAP_INTEGER_OVERFLOW = 6,
    WJVM_TRAP_INTEGER_DIVISION_BY_ZERO = 7,
    WJVM_TRAP_BAD_CONVERSION_TO_INTEGER = 8,
    WJVM_TRAP_UNREACHABLE_CODE_REACHED = 9,
    /// Epoch deadline reached.
    WJVM_TRAP_INTERRUPT = 10,
    WJVM_TRAP_OUT_OF_FUEL = 11,
    WJVM_TRAP_ATOMIC_WAIT_NON_SHARED_MEMORY = 12,
    WJVM_TRAP_NULL_REFERENCE = 13,
    WJVM_TRAP_ARRAY_OUT_OF_BOUNDS = 14,
    WJVM_TRAP_ALLOCATION_TOO_LARGE = 15,
    WJVM_TRAP_CAST_FAILURE = 16,
    /// A component in this store trapped earlier; no component in it can run again. Create
    /// a new store and instantiate again (cheaply, from a `wjvm_instance_pre_t`).
    WJVM_TRAP_CANNOT_ENTER_COMPONENT = 17,
    WJVM_TRAP_NO_ASYNC_RESULT = 18,
    WJVM_TRAP_CANNOT_LEAVE_COMPONENT = 19,
    WJVM_TRAP_INVALID_CHAR = 20,
    WJVM_TRAP_STRING_OUT_OF_BOUNDS = 21,
    WJVM_TRAP_LIST_OUT_OF_BOUNDS = 22,
    WJVM_TRAP_INVALID_DISCRIMINANT = 23,
    WJVM_TRAP_UNALIGNED_POINTER = 24,
    /// A trap without one of the codes above (the message says what happened), such as a call
    /// to an import stubbed by `wjvm_linker_define_unknown_imports_as_traps`.
    WJVM_TRAP_UNKNOWN = 255,
}

fn trap_code(code: Option<Trap>) -> wjvm_trap_code_t {
    wjvm_trap_code_t::from_number(trap_number(code))
}

impl wjvm_trap_code_t {
    /// The constant for a number of the core's table (`core::error::TRAP_CODES`).
    fn from_number(n: u32) -> wjvm_trap_code_t {
        use wjvm_trap_code_t::*;
        const ALL: [wjvm_trap_code_t; 25] = [
            WJVM_TRAP_STACK_OVERFLOW,
            WJVM_TRAP_MEMORY_OUT_OF_BOUNDS,
            WJVM_TRAP_HEAP_MISALIGNED,
            WJVM_TRAP_TABLE_OUT_OF_BOUNDS,
            WJVM_TRAP_INDIRECT_CALL_TO_NULL,
            WJVM_TRAP_BAD_SIGNATURE,
            WJVM_TRAP_INTEGER_OVERFLOW,
            WJVM_TRAP_INTEGER_DIVISION_BY_ZERO,
            WJVM_TRAP_BAD_CONVERSION_TO_INTEGER,
            WJVM_TRAP_UNREACHABLE_CODE_REACHED,
            WJVM_TRAP_INTERRUPT,
            WJVM_TRAP_OUT_OF_FUEL,
            WJVM_TRAP_ATOMIC_WAIT_NON_SHARED_MEMORY,
            WJVM_TRAP_NULL_REFERENCE,
            WJVM_TRAP_ARRAY_OUT_OF_BOUNDS,
            WJVM_TRAP_ALLOCATION_TOO_LARGE,
            WJVM_TRAP_CAST_FAILURE,
            WJVM_TRAP_CANNOT_ENTER_COMPONENT,
            WJVM_TRAP_NO_ASYNC_RESULT,
            WJVM_TRAP_CANNOT_LEAVE_COMPONENT,
            WJVM_TRAP_INVALID_CHAR,
            WJVM_TRAP_STRING_OUT_OF_BOUNDS,
            WJVM_TRAP_LIST_OUT_OF_BOUNDS,
            WJVM_TRAP_INVALID_DISCRIMINANT,
            WJVM_TRAP_UNALIGNED_POINTER,
        ];
        ALL.get(n as usize).copied().unwrap_or(WJVM_TRAP_UNKNOWN)
    }
}

/// An error: its kind, its message and, for traps and exits, their details. Owned by the
/// caller; free it with `wjvm_error_delete`.
pub struct wjvm_error_t {
    kind: wjvm_error_kind_t,
    message: CText,
    trap: Option<(wjvm_trap_code_t, CText)>,
    exit_status: Option<i32>,
}

impl wjvm_error_t {
    /// The one mapping from core errors.
    pub(crate) fn from_core(err: Error) -> wjvm_error_t {
        use wjvm_error_kind_t::*;
        let message = CText::new(err.to_string());
        let mut trap = None;
        let mut exit_status = None;
        let kind = match &err {
            Error::Compile { .. } => WJVM_ERROR_COMPILE,
            Error::Link { .. } => WJVM_ERROR_LINK,
            Error::Trap(info) => {
                trap = Some((trap_code(info.code), CText::new(info.backtrace_text())));
                WJVM_ERROR_TRAP
            }
            Error::Timeout(_) => {
                trap = Some((
                    trap_code(Some(wasmtime::Trap::Interrupt)),
                    CText::new(String::new()),
                ));
                WJVM_ERROR_TRAP
            }
            Error::InvalidArgument(_) | Error::Mismatch(_) | Error::OutOfBounds(_) => {
                WJVM_ERROR_INVALID_ARGUMENT
            }
            Error::UnknownExport { .. } => WJVM_ERROR_UNKNOWN_EXPORT,
            Error::Closed(_) => WJVM_ERROR_CLOSED,
            Error::StoreBusy(_) => WJVM_ERROR_STORE_BUSY,
            Error::Resource(_) => WJVM_ERROR_RESOURCE,
            Error::Io(_) => WJVM_ERROR_IO,
            Error::Exit(status) => {
                exit_status = Some(*status);
                WJVM_ERROR_EXIT
            }
            Error::Host { .. } => WJVM_ERROR_HOST,
            Error::Runtime(_) => WJVM_ERROR_RUNTIME,
            // Only asynchronous calls are cancelled, and only asynchronous host functions make a
            // store need them; the C API defines neither.
            Error::Cancelled | Error::NeedsAsync => WJVM_ERROR_RUNTIME,
            Error::Wit { .. } => WJVM_ERROR_WIT,
            Error::Compose(_) => WJVM_ERROR_COMPOSE,
            Error::Http(_) => WJVM_ERROR_HTTP,
        };
        wjvm_error_t {
            kind,
            message,
            trap,
            exit_status,
        }
    }

    #[cfg(test)]
    pub(crate) fn kind(&self) -> wjvm_error_kind_t {
        self.kind
    }

    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        self.message.as_str()
    }
}

pub(crate) fn into_raw(err: Error) -> *mut wjvm_error_t {
    Box::into_raw(Box::new(wjvm_error_t::from_core(err)))
}

pub(crate) fn from_panic(payload: Box<dyn Any + Send>) -> *mut wjvm_error_t {
    let message = panic_message(payload.as_ref());
    // Dropping a payload can itself panic; never let that escape.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(payload)));
    into_raw(Error::Runtime(format!(
        "internal error in the wasmtime-jvm native library (Rust panic): {message}"
    )))
}

/// The kind of `err` (`WJVM_ERROR_INVALID_ARGUMENT` when `err` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_error_kind(err: *const wjvm_error_t) -> wjvm_error_kind_t {
    guard_or(wjvm_error_kind_t::WJVM_ERROR_RUNTIME, || {
        match unsafe { err.as_ref() } {
            Some(e) => e.kind,
            None => wjvm_error_kind_t::WJVM_ERROR_INVALID_ARGUMENT,
        }
    })
}

/// Lends the message of `err`: UTF-8, `*len` bytes, also NUL-terminated; valid until `err` is
/// deleted. `ptr` or `len` may be NULL when not wanted; a NULL `err` gives empty text.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_error_message(
    err: *const wjvm_error_t,
    ptr: *mut *const c_char,
    len: *mut usize,
) {
    guard_or((), || match unsafe { err.as_ref() } {
        Some(e) => unsafe { e.message.lend(ptr, len) },
        None => unsafe { lend_empty(ptr, len) },
    })
}

/// Whether `err` is a trap; if so, and `code` is not NULL, stores its code there.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_error_trap_code(
    err: *const wjvm_error_t,
    code: *mut wjvm_trap_code_t,
) -> bool {
    guard_or(false, || {
        match unsafe { err.as_ref() }.and_then(|e| e.trap.as_ref()) {
            Some((c, _)) => {
                if !code.is_null() {
                    unsafe { code.write(*c) };
                }
                true
            }
            None => false,
        }
    })
}

/// Lends the wasm backtrace of a trap, one frame a line, innermost first (empty text for other
/// errors, or when backtraces are off); valid until `err` is deleted.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_error_trap_backtrace(
    err: *const wjvm_error_t,
    ptr: *mut *const c_char,
    len: *mut usize,
) {
    guard_or((), || {
        match unsafe { err.as_ref() }.and_then(|e| e.trap.as_ref()) {
            Some((_, text)) => unsafe { text.lend(ptr, len) },
            None => unsafe { lend_empty(ptr, len) },
        }
    })
}

/// Whether `err` is a WASI exit; if so, and `status` is not NULL, stores the exit status there.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_error_exit_status(
    err: *const wjvm_error_t,
    status: *mut i32,
) -> bool {
    guard_or(false, || {
        match unsafe { err.as_ref() }.and_then(|e| e.exit_status) {
            Some(s) => {
                if !status.is_null() {
                    unsafe { status.write(s) };
                }
                true
            }
            None => false,
        }
    })
}

/// Frees an error (NULL does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_error_delete(err: *mut wjvm_error_t) {
    unsafe { super::delete(err) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::{TrapInfo, TRAP_CODES};

    #[test]
    fn every_core_error_has_its_kind() {
        use wjvm_error_kind_t::*;
        let cases = [
            (
                Error::Compile {
                    message: "c".into(),
                },
                WJVM_ERROR_COMPILE,
            ),
            (
                Error::Link {
                    message: "l".into(),
                },
                WJVM_ERROR_LINK,
            ),
            (
                Error::InvalidArgument("a".into()),
                WJVM_ERROR_INVALID_ARGUMENT,
            ),
            (Error::Mismatch("m".into()), WJVM_ERROR_INVALID_ARGUMENT),
            (Error::OutOfBounds("o".into()), WJVM_ERROR_INVALID_ARGUMENT),
            (
                Error::UnknownExport {
                    name: "x".into(),
                    available: vec!["add".into()],
                },
                WJVM_ERROR_UNKNOWN_EXPORT,
            ),
            (Error::Closed("Store"), WJVM_ERROR_CLOSED),
            (Error::StoreBusy("b".into()), WJVM_ERROR_STORE_BUSY),
            (Error::Resource("r".into()), WJVM_ERROR_RESOURCE),
            (Error::Io("i".into()), WJVM_ERROR_IO),
            (Error::Exit(3), WJVM_ERROR_EXIT),
            (
                Error::Host {
                    message: "h".into(),
                    payload: None,
                },
                WJVM_ERROR_HOST,
            ),
            (Error::Runtime("r".into()), WJVM_ERROR_RUNTIME),
            (
                Error::Wit {
                    message: "w".into(),
                    file: None,
                    line: 1,
                    column: 1,
                },
                WJVM_ERROR_WIT,
            ),
            (Error::Compose("c".into()), WJVM_ERROR_COMPOSE),
            (Error::Http("h".into()), WJVM_ERROR_HTTP),
        ];
        for (err, kind) in cases {
            let text = err.to_string();
            let e = wjvm_error_t::from_core(err);
            assert_eq!(e.kind(), kind);
            assert_eq!(e.message(), text);
        }
    }

    #[test]
    fn traps_exits_and_panics_keep_their_details() {
        let raw = into_raw(Error::Trap(TrapInfo {
            code: Some(Trap::IntegerDivisionByZero),
            message: "wasm trap: integer divide by zero".into(),
            frames: Vec::new(),
        }));
        let mut code = wjvm_trap_code_t::WJVM_TRAP_UNKNOWN;
        let mut status = 0;
        unsafe {
            assert!(wjvm_error_trap_code(raw, &mut code));
            assert!(!wjvm_error_exit_status(raw, &mut status));
            wjvm_error_delete(raw);
        }
        assert_eq!(code, wjvm_trap_code_t::WJVM_TRAP_INTEGER_DIVISION_BY_ZERO);

        let raw = into_raw(Error::Exit(7));
        unsafe {
            assert!(wjvm_error_exit_status(raw, &mut status));
            assert!(!wjvm_error_trap_code(raw, std::ptr::null_mut()));
            wjvm_error_delete(raw);
        }
        assert_eq!(status, 7);

        let raw = super::super::guard(|| panic!("boom"));
        let (mut ptr, mut len) = (std::ptr::null(), 0);
        unsafe {
            assert_eq!(wjvm_error_kind(raw), wjvm_error_kind_t::WJVM_ERROR_RUNTIME);
            wjvm_error_message(raw, &mut ptr, &mut len);
            let text = std::str::from_utf8(std::slice::from_raw_parts(ptr.cast::<u8>(), len));
            assert!(text.unwrap().ends_with("(Rust panic): boom"));
            assert_eq!(*ptr.add(len), 0, "messages are NUL-terminated");
            wjvm_error_delete(raw);
        }
    }

    #[test]
    fn trap_codes_are_the_numbers_of_the_core_table() {
        for (trap, n) in TRAP_CODES {
            assert_eq!(trap_code(Some(*trap)) as u32, *n, "{trap:?}");
        }
        assert_eq!(trap_code(None), wjvm_trap_code_t::WJVM_TRAP_UNKNOWN);
    }
}
