//! Each thread's call buffer: the direct `ByteBuffer` Java registered (see `CallBuffer.java`).
//! Arguments are read from it; results are written straight into it ([`Output`]), or kept aside
//! when they do not fit until Java has grown the buffer and asks for them.

use std::cell::{Cell, RefCell};

use crate::core::{Error, Result};

thread_local! {
    static CURRENT: Cell<(*mut u8, usize)> = const { Cell::new((std::ptr::null_mut(), 0)) };
    static OVERFLOW: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
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

/// Where encoded values are written: straight into this thread's buffer, spilling into a vector
/// (handed over later by [`take_overflow`]) only when they do not fit. No Java code may run
/// while an `Output` is alive (a nested call could replace the buffer).
pub(crate) struct Output {
    base: *mut u8,
    capacity: usize,
    len: usize,
    spill: Option<Vec<u8>>,
}

/// Something encoded values can be written to.
pub(crate) trait Out {
    fn push(&mut self, byte: u8);
    fn extend_from_slice(&mut self, bytes: &[u8]);
}

impl Out for Vec<u8> {
    fn push(&mut self, byte: u8) {
        Vec::push(self, byte)
    }
    fn extend_from_slice(&mut self, bytes: &[u8]) {
        Vec::extend_from_slice(self, bytes)
    }
}

impl Output {
    /// Starts writing at the beginning of this thread's buffer.
    pub(crate) fn new() -> Output {
        let (base, capacity) = CURRENT.with(|c| c.get());
        Output {
            base,
            capacity: if base.is_null() { 0 } else { capacity },
            len: 0,
            spill: None,
        }
    }

    /// Hands the output to Java: its length, or minus its length when it spilled (Java then
    /// grows its buffer and fetches it with `takeOverflow0`).
    pub(crate) fn finish(self) -> i32 {
        match self.spill {
            None => self.len as i32,
            Some(v) => {
                let len = v.len();
                OVERFLOW.with(|o| *o.borrow_mut() = v);
                -(len as i32)
            }
        }
    }
}

impl Out for Output {
    #[inline]
    fn push(&mut self, byte: u8) {
        self.extend_from_slice(&[byte]);
    }

    #[inline]
    fn extend_from_slice(&mut self, bytes: &[u8]) {
        if let Some(v) = &mut self.spill {
            v.extend_from_slice(bytes);
            return;
        }
        if self.len + bytes.len() <= self.capacity {
            // Safety: `base..base+capacity` is this thread's registered buffer (see `register`),
            // which Java keeps alive and does not touch while native code writes to it.
            unsafe {
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.base.add(self.len), bytes.len())
            };
            self.len += bytes.len();
        } else {
            let mut v = Vec::with_capacity((self.len + bytes.len()) * 2);
            if self.len > 0 {
                // Safety: as above; the first `len` bytes were written by us.
                v.extend_from_slice(unsafe { std::slice::from_raw_parts(self.base, self.len) });
            }
            v.extend_from_slice(bytes);
            self.spill = Some(v);
        }
    }
}

/// Copies output that spilled (see [`Output::finish`]) into the (now larger) buffer.
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
