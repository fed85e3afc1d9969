//! Linker: what a component's imports are satisfied with, and instantiation, directly or
//! through an instance-pre (a component whose imports are already resolved).

#![allow(non_camel_case_types)]

use std::ffi::c_char;
use std::sync::Arc;

use super::component::wjvm_component_t;
use super::engine::wjvm_engine_t;
use super::error::wjvm_error_t;
use super::instance::wjvm_instance_t;
use super::store::wjvm_store_t;
use super::{guard, handle, utf8, write_box};
use crate::core::{InstancePre, Linker};

/// A component linker; thread-safe. Free with `wjvm_linker_delete`.
pub struct wjvm_linker_t {
    linker: Linker,
}

/// A component with its imports resolved, instantiated cheaply and repeatedly in any store of
/// its engine; thread-safe. Free with `wjvm_instance_pre_delete`.
pub struct wjvm_instance_pre_t {
    pre: Arc<InstancePre>,
}

/// Creates an empty linker for `engine` and stores it in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_linker_new(
    engine: *const wjvm_engine_t,
    out: *mut *mut wjvm_linker_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        let linker = Linker::new(&engine.engine);
        unsafe { write_box(out, "out", wjvm_linker_t { linker }) }
    })
}

/// Whether a later definition may replace an earlier one of the same name (0: no).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_linker_allow_shadowing(
    linker: *const wjvm_linker_t,
    allow: u8,
) -> *mut wjvm_error_t {
    guard(|| {
        unsafe { handle(linker, "linker") }?
            .linker
            .allow_shadowing(allow != 0);
        Ok(())
    })
}

/// Defines every import of `component` that is not defined yet as a function that traps when
/// called, so that the component can be instantiated without them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_linker_define_unknown_imports_as_traps(
    linker: *const wjvm_linker_t,
    component: *const wjvm_component_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let linker = unsafe { handle(linker, "linker") }?;
        let component = unsafe { handle(component, "component") }?;
        linker
            .linker
            .define_unknown_imports_as_traps(&component.component)
    })
}

/// Instantiates `component` in `store` and stores the instance in `*out`. Fails with
/// `WJVM_ERROR_LINK` naming a missing or mistyped import.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_linker_instantiate(
    linker: *const wjvm_linker_t,
    store: *mut wjvm_store_t,
    component: *const wjvm_component_t,
    out: *mut *mut wjvm_instance_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let linker = unsafe { handle(linker, "linker") }?;
        let store = unsafe { handle(store, "store") }?;
        let component = unsafe { handle(component, "component") }?;
        super::check_out(out, "out")?;
        let id = linker
            .linker
            .instantiate(&store.store, &component.component)?;
        unsafe { write_box(out, "out", wjvm_instance_t::new(&store.store, id)) }
    })
}

/// Resolves every import of `component` now and stores the result in `*out`, so that
/// instantiating it later is as cheap as possible.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_linker_instantiate_pre(
    linker: *const wjvm_linker_t,
    component: *const wjvm_component_t,
    out: *mut *mut wjvm_instance_pre_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let linker = unsafe { handle(linker, "linker") }?;
        let component = unsafe { handle(component, "component") }?;
        super::check_out(out, "out")?;
        let pre = linker.linker.instantiate_pre(&component.component)?;
        unsafe { write_box(out, "out", wjvm_instance_pre_t { pre }) }
    })
}

/// Gives the imported instance `name` (`name_len` bytes of UTF-8, such as
/// `docs:calc/adder@0.1.0`) the items of `instance`'s exported instance `export_name`
/// (`export_len` bytes; NULL with length 0 for the instance's root exports): each function, as a
/// function calling the export; each resource type, as that same type; each core module; each
/// nested exported instance, as a nested instance with its items. The functions serve only
/// components instantiated in `instance`'s store: instantiating an importer in another store
/// fails with `WJVM_ERROR_LINK`. Fails with `WJVM_ERROR_UNKNOWN_EXPORT` (listing the exports)
/// when there is no such export, and with `WJVM_ERROR_INVALID_ARGUMENT` when it is not an
/// instance or the instance belongs to another engine.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_linker_define_instance(
    linker: *const wjvm_linker_t,
    name: *const c_char,
    name_len: usize,
    instance: *const wjvm_instance_t,
    export_name: *const c_char,
    export_len: usize,
) -> *mut wjvm_error_t {
    guard(|| {
        let linker = unsafe { handle(linker, "linker") }?;
        let name = unsafe { utf8(name, name_len, "name") }?;
        let instance = unsafe { handle(instance, "instance") }?;
        let export = if export_name.is_null() && export_len == 0 {
            None
        } else {
            Some(unsafe { utf8(export_name, export_len, "export_name") }?)
        };
        linker
            .linker
            .define_instance(&[name], &instance.store, instance.id, export)
    })
}

/// Frees a linker (NULL does nothing); instances and instance-pres made with it are not
/// affected.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_linker_delete(linker: *mut wjvm_linker_t) {
    unsafe { super::delete(linker) }
}

/// Instantiates the pre-linked component in `store` and stores the instance in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_instance_pre_instantiate(
    pre: *const wjvm_instance_pre_t,
    store: *mut wjvm_store_t,
    out: *mut *mut wjvm_instance_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let pre = unsafe { handle(pre, "instance_pre") }?;
        let store = unsafe { handle(store, "store") }?;
        super::check_out(out, "out")?;
        let id = pre.pre.instantiate(&store.store)?;
        unsafe { write_box(out, "out", wjvm_instance_t::new(&store.store, id)) }
    })
}

/// Frees an instance-pre (NULL does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_instance_pre_delete(pre: *mut wjvm_instance_pre_t) {
    unsafe { super::delete(pre) }
}
