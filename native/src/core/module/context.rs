//! The store context of the host function running on this thread.
//!
//! While a core host function runs, its store is held by the call that entered it, so
//! [`crate::core::Store::enter`] refuses it. The host function may still read and write the
//! store's memories, globals and tables (that is how it reads the strings and buffers the guest
//! passes): [`with_context`] lends it the context wasmtime gave the host function, for as long
//! as that host function runs. Calls into wasm are never made through it.

use std::cell::Cell;
use std::ffi::c_void;

use wasmtime::{AsContextMut, Caller};

use crate::core::error::{Error, Result};
use crate::core::store::{Store, StoreData};

thread_local! {
    /// The innermost running host function's caller (erased) and its store's id.
    static CURRENT: Cell<(*mut c_void, u64)> = const { Cell::new((std::ptr::null_mut(), 0)) };
}

/// Marks `caller` as the context of the host function running on this thread until dropped.
pub(crate) struct CallerScope {
    previous: (*mut c_void, u64),
}

impl CallerScope {
    /// # Safety
    /// `caller` must stay valid, and not be used by anyone else, while the scope lives: the
    /// host function does not touch it until it drops the scope.
    pub(crate) unsafe fn enter(caller: *mut Caller<'_, StoreData>, store: u64) -> CallerScope {
        let previous = CURRENT.with(|c| c.replace((caller.cast(), store)));
        CallerScope { previous }
    }
}

impl Drop for CallerScope {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

/// Runs `f` with the host function's caller when a host function of `store` runs on this
/// thread; `None` when none does.
pub fn with_caller<R>(store: u64, f: impl FnOnce(&mut Caller<'_, StoreData>) -> R) -> Option<R> {
    let (ptr, id) = CURRENT.with(|c| c.get());
    if ptr.is_null() || id != store {
        return None;
    }
    // Safety: the pointer was set by a `CallerScope` still alive on this thread (it resets the
    // slot when dropped), whose host function is suspended in a call to the face until `f`
    // returns; the lifetime is erased only for the duration of `f`.
    let caller = unsafe { &mut *ptr.cast::<Caller<'static, StoreData>>() };
    Some(f(caller))
}

/// Runs `f` with the store's context: the running host function's, when `store` is running
/// one on this thread, else by entering the store. For reading and writing items, not for
/// calling into wasm.
pub fn with_context<R>(
    store: &Store,
    f: impl FnOnce(&mut wasmtime::StoreContextMut<'_, StoreData>) -> Result<R>,
) -> Result<R> {
    let mut f = Some(f);
    if let Some(r) = with_caller(store.id(), |caller| {
        let f = f.take().expect("called once");
        f(&mut caller.as_context_mut())
    }) {
        return r;
    }
    let f = f.take().expect("called once");
    store.enter(|inner| f(&mut inner.store.as_context_mut()))
}

/// The error for a caller's view used after its host function returned.
pub fn caller_gone() -> Error {
    Error::InvalidArgument(
        "this Caller (or a memory reached through it) belongs to a host function call that has \
         returned; use it only inside the host function"
            .into(),
    )
}
