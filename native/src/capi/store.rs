//! Store: the home of instances, their memories and the resources the host holds.

#![allow(non_camel_case_types)]

use std::sync::Arc;

use super::engine::wjvm_engine_t;
use super::error::wjvm_error_t;
use super::{guard, handle, write_box, write_out};
use crate::core::{ResourceId, Store, StoreOptions};

/// Limits and budgets a store starts with. Each value counts only when its `has_` flag is not
/// 0, so a zeroed struct means "no limits, no fuel, no deadline".
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct wjvm_store_options_t {
    /// Most bytes any one linear memory may grow to.
    pub memory_size: u64,
    /// Most elements any one table may grow to.
    pub table_elements: u64,
    /// Most instances (core and component) the store may create.
    pub instances: u64,
    /// Fuel to start with; the engine must consume fuel.
    pub fuel: u64,
    /// Epoch ticks before interruption; the engine must use epoch interruption.
    pub epoch_deadline: u64,
    pub has_memory_size: u8,
    pub has_table_elements: u8,
    pub has_instances: u8,
    pub has_fuel: u8,
    pub has_epoch_deadline: u8,
}

fn size(has: u8, value: u64) -> Option<usize> {
    // A limit beyond the address space is no limit.
    (has != 0).then(|| usize::try_from(value).unwrap_or(usize::MAX))
}

impl wjvm_store_options_t {
    fn to_core(self) -> StoreOptions {
        StoreOptions {
            memory_size: size(self.has_memory_size, self.memory_size),
            table_elements: size(self.has_table_elements, self.table_elements),
            instances: size(self.has_instances, self.instances),
            fuel: (self.has_fuel != 0).then_some(self.fuel),
            epoch_deadline: (self.has_epoch_deadline != 0).then_some(self.epoch_deadline),
            ..StoreOptions::default()
        }
    }
}

/// A store, used by one thread at a time (another thread gets `WJVM_ERROR_STORE_BUSY`).
///
/// `wjvm_store_delete` frees everything inside the store at once (or, if another thread is
/// in a call, when that call returns); instances and functions of the store must still be
/// deleted, and any other use of them then fails with `WJVM_ERROR_CLOSED`.
pub struct wjvm_store_t {
    pub(crate) store: Arc<Store>,
}

/// Creates a store for `engine` with `options` (NULL: no limits) and stores it in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_store_new(
    engine: *const wjvm_engine_t,
    options: *const wjvm_store_options_t,
    out: *mut *mut wjvm_store_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        super::check_out(out, "out")?;
        let options = unsafe { options.as_ref() }
            .copied()
            .unwrap_or_default()
            .to_core();
        let store = Arc::new(Store::new(&engine.engine, &options)?);
        unsafe { write_box(out, "out", wjvm_store_t { store }) }
    })
}

/// Sets the store's remaining fuel (the engine must consume fuel).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_store_set_fuel(
    store: *mut wjvm_store_t,
    fuel: u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let store = unsafe { handle(store, "store") }?;
        store.store.enter(|s| s.set_fuel(fuel))
    })
}

/// Stores the store's remaining fuel in `*fuel` (the engine must consume fuel).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_store_get_fuel(
    store: *mut wjvm_store_t,
    fuel: *mut u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let store = unsafe { handle(store, "store") }?;
        let value = store.store.enter(|s| s.fuel())?;
        unsafe { write_out(fuel, "fuel", value) }
    })
}

/// Sets the epoch deadline, `ticks` from the engine's current epoch (the engine must use epoch
/// interruption).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_store_set_epoch_deadline(
    store: *mut wjvm_store_t,
    ticks: u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let store = unsafe { handle(store, "store") }?;
        store.store.enter(|s| s.set_epoch_deadline(ticks))
    })
}

/// Drops a resource the host holds (an `own` value a call returned), running the guest's
/// destructor; the id is invalid afterwards. Fails with `WJVM_ERROR_RESOURCE` for an id
/// that was already dropped or passed to the guest as `own`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_resource_drop(
    store: *mut wjvm_store_t,
    resource: u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let store = unsafe { handle(store, "store") }?;
        store.store.enter(|s| s.drop_resource(ResourceId(resource)))
    })
}

/// Frees a store and everything in it (NULL does nothing); see `wjvm_store_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_store_delete(store: *mut wjvm_store_t) {
    if let Some(s) = unsafe { store.as_ref() } {
        super::guard_or((), || s.store.close());
    }
    unsafe { super::delete(store) }
}
