//! Instance: an instantiated component inside a store, and the lookup of its functions (at
//! the root, or inside an exported interface as `iface#name`).

#![allow(non_camel_case_types)]

use std::ffi::c_char;
use std::sync::Arc;

use super::error::wjvm_error_t;
use super::func::wjvm_func_t;
use super::{guard, handle, utf8, write_box};
use crate::core::instance::split_export_path;
use crate::core::{InstanceId, Store};

/// An instance: its store and its place in it. Free with `wjvm_instance_delete` (the instance
/// itself lives as long as its store).
pub struct wjvm_instance_t {
    pub(crate) store: Arc<Store>,
    pub(crate) id: InstanceId,
}

impl wjvm_instance_t {
    pub(crate) fn new(store: &Arc<Store>, id: InstanceId) -> wjvm_instance_t {
        wjvm_instance_t {
            store: store.clone(),
            id,
        }
    }
}

/// Looks up the exported function `name` (`len` bytes of UTF-8): a root export such as `add`,
/// or one inside an exported interface such as `docs:calc/ops@1.0.0#mul`; stores it in
/// `*out`. Fails with `WJVM_ERROR_UNKNOWN_EXPORT`, listing the exports, when there is none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_instance_func(
    instance: *const wjvm_instance_t,
    name: *const c_char,
    len: usize,
    out: *mut *mut wjvm_func_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let instance = unsafe { handle(instance, "instance") }?;
        let name = unsafe { utf8(name, len, "name") }?;
        super::check_out(out, "out")?;
        let path = split_export_path(name);
        let (id, ty) = instance.store.enter(|s| {
            let id = s.instance_func(instance.id, &path)?;
            Ok((id, s.func_type(id)?))
        })?;
        let func = wjvm_func_t::new(&instance.store, id, ty);
        unsafe { write_box(out, "out", func) }
    })
}

/// Frees an instance handle (NULL does nothing); functions looked up from it stay usable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_instance_delete(instance: *mut wjvm_instance_t) {
    unsafe { super::delete(instance) }
}
