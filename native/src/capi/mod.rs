//! The C face: `extern "C"` functions with the `wjvm_` prefix, one file per section of
//! `include/wasmtime_jvm.h` (which cbindgen generates from these files), each a thin adapter
//! over the core, like the JNI face beside it. Neither face calls the other.
//!
//! Conventions every function follows (the header repeats them for C readers):
//! - A fallible function returns a `wjvm_error_t*`: NULL on success, otherwise an error the
//!   caller owns and frees with `wjvm_error_delete`. Results come back through out-pointers,
//!   which are written only on success.
//! - Every object the library creates has a `_delete`; deleting NULL does nothing.
//! - Every pointer to data comes with a length; the pointer may be NULL only when the length
//!   is 0. Strings are UTF-8 and need no terminating NUL.
//! - A Rust panic never crosses the boundary: [`guard`] catches it and returns a runtime error
//!   (functions that cannot fail return a neutral value instead).

pub mod component;
pub mod compose;
pub mod engine;
pub mod error;
pub mod func;
pub mod instance;
pub mod linker;
pub mod module;
pub mod store;
pub mod val;

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::core::{Error, Result};
use error::wjvm_error_t;

/// Runs the body of a fallible function: an error or a panic becomes a `wjvm_error_t*`.
pub(crate) fn guard(f: impl FnOnce() -> Result<()>) -> *mut wjvm_error_t {
    let _quiet = crate::core::panics::Boundary::enter();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => std::ptr::null_mut(),
        Ok(Err(e)) => error::into_raw(e),
        Err(payload) => error::from_panic(payload),
    }
}

/// Runs the body of a function that cannot report errors; a panic gives `fallback`.
pub(crate) fn guard_or<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    let _quiet = crate::core::panics::Boundary::enter();
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

fn null(what: &str) -> Error {
    Error::InvalidArgument(format!("`{what}` is NULL"))
}

/// The object behind a handle pointer.
///
/// # Safety
/// `p` must be NULL or point to a live object made by this library.
pub(crate) unsafe fn handle<'a, T>(p: *const T, what: &str) -> Result<&'a T> {
    unsafe { p.as_ref() }.ok_or_else(|| null(what))
}

/// Writes a result through an out-pointer.
///
/// # Safety
/// `p` must be NULL or valid for writes.
pub(crate) unsafe fn write_out<T>(p: *mut T, what: &str, value: T) -> Result<()> {
    if p.is_null() {
        return Err(null(what));
    }
    unsafe { p.write(value) };
    Ok(())
}

/// Boxes `value` and hands it out through an out-pointer; nothing is allocated when `p` is NULL.
///
/// # Safety
/// `p` must be NULL or valid for writes.
pub(crate) unsafe fn write_box<T>(p: *mut *mut T, what: &str, value: T) -> Result<()> {
    check_out(p, what)?;
    unsafe { p.write(Box::into_raw(Box::new(value))) };
    Ok(())
}

/// Fails unless `p` is usable as an out-pointer (checked before doing work whose result would
/// otherwise be lost).
pub(crate) fn check_out<T>(p: *mut T, what: &str) -> Result<()> {
    if p.is_null() {
        Err(null(what))
    } else {
        Ok(())
    }
}

/// The slice behind a pointer and a length (NULL is accepted with length 0).
///
/// # Safety
/// Unless NULL, `ptr` must point to `len` initialised values that outlive `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize, what: &str) -> Result<&'a [T]> {
    if len == 0 {
        Ok(&[])
    } else if ptr.is_null() {
        Err(Error::InvalidArgument(format!(
            "`{what}` is NULL but its length is {len}"
        )))
    } else {
        Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
    }
}

/// The UTF-8 text behind a pointer and a length.
///
/// # Safety
/// As for [`slice`].
pub(crate) unsafe fn utf8<'a>(ptr: *const c_char, len: usize, what: &str) -> Result<&'a str> {
    let bytes = unsafe { slice(ptr.cast::<u8>(), len, what) }?;
    std::str::from_utf8(bytes)
        .map_err(|e| Error::InvalidArgument(format!("`{what}` is not UTF-8: {e}")))
}

/// Text kept inside a handle and lent to C: NUL-terminated, with the length excluding the NUL.
pub(crate) struct CText(String);

impl CText {
    pub(crate) fn new(text: impl Into<String>) -> CText {
        let mut s = text.into();
        s.push('\0');
        CText(s)
    }

    /// The text without its NUL.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.0[..self.0.len() - 1]
    }

    /// Lends the text through out-pointers (either may be NULL).
    ///
    /// # Safety
    /// Non-NULL pointers must be valid for writes.
    pub(crate) unsafe fn lend(&self, ptr: *mut *const c_char, len: *mut usize) {
        if !ptr.is_null() {
            unsafe { ptr.write(self.0.as_ptr().cast()) };
        }
        if !len.is_null() {
            unsafe { len.write(self.0.len() - 1) };
        }
    }
}

/// Lends empty text through out-pointers (either may be NULL).
///
/// # Safety
/// Non-NULL pointers must be valid for writes.
pub(crate) unsafe fn lend_empty(ptr: *mut *const c_char, len: *mut usize) {
    if !ptr.is_null() {
        unsafe { ptr.write(c"".as_ptr()) };
    }
    if !len.is_null() {
        unsafe { len.write(0) };
    }
}

/// Frees a boxed handle (NULL does nothing).
///
/// # Safety
/// `p` must be NULL or come from `Box::into_raw` for this `T`, and not be used afterwards.
pub(crate) unsafe fn delete<T>(p: *mut T) {
    if !p.is_null() {
        guard_or((), || drop(unsafe { Box::from_raw(p) }));
    }
}
