//! Each thread's call buffer: the direct `ByteBuffer` Java registered (see `CallBuffer.java`).
//! Arguments are read from it; results are written back to it, or kept aside when they do not
//! fit until Java has grown the buffer and asks for them.

use std::cell::{Cell, RefCell};

use crate::core::{Error, Result};

thread_local! {
    static CURRENT: Cell<(*mut u8, usize)> = const { Cell::new((std::ptr::null_mut(), 0)) };
    static OVERFLOW: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static SCRATCH: Cell<Option<Vec<u8>>> = const { Cell::new(None) };
}

/// Makes `(address, capacity)` this thread's buffer.
pub(crate) fn register(address: *mut u8, capacity: usize) {
    CURRENT.with(|c| c.set((address, capacity)));
}

/// The first `length` bytes of this thread's buffer (the encoded arguments).
///
/// The slice is valid until Java replaces the buffer, which only a later Java call on this
/// thread can do: read the arguments before calling into wasm.
pub(crate) fn args<'a>(length: i32) -> Result<&'a [u8]> {
    let (address, capacity) = CURRENT.with(|c| c.get());
    if address.is_null() || length < 0 || length as usize > capacity {
        return Err(Error::InvalidArgument(format!(
            "argument length {length} does not fit the call buffer ({capacity} bytes)"
        )));
    }
    Ok(unsafe { std::slice::from_raw_parts(address, length as usize) })
}

/// Runs `f` with an empty scratch vector, reused across calls on this thread.
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut v = SCRATCH.with(|s| s.take()).unwrap_or_default();
    v.clear();
    let r = f(&mut v);
    if v.capacity() <= 1 << 20 {
        SCRATCH.with(|s| s.set(Some(v)));
    }
    r
}

/// Hands encoded results to Java: copies them into the buffer and returns their length, or keeps
/// them aside and returns minus their length when they do not fit.
pub(crate) fn emit(bytes: &[u8]) -> i32 {
    let (address, capacity) = CURRENT.with(|c| c.get());
    let len = bytes.len();
    if len <= capacity && !address.is_null() {
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), address, len) };
        len as i32
    } else {
        OVERFLOW.with(|o| {
            let mut o = o.borrow_mut();
            o.clear();
            o.extend_from_slice(bytes);
        });
        -(len as i32)
    }
}

/// Copies results kept aside by [`emit`] into the (now larger) buffer.
pub(crate) fn take_overflow() -> Result<()> {
    let (address, capacity) = CURRENT.with(|c| c.get());
    OVERFLOW.with(|o| {
        let mut o = o.borrow_mut();
        if o.len() > capacity || address.is_null() {
            return Err(Error::InvalidArgument(
                "call buffer is still too small for the results".into(),
            ));
        }
        unsafe { std::ptr::copy_nonoverlapping(o.as_ptr(), address, o.len()) };
        o.clear();
        o.shrink_to(1 << 16);
        Ok(())
    })
}
