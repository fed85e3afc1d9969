//! Component: a compiled component, from binary or WAT text, its serialized form and its
//! imports and exports as text.

#![allow(non_camel_case_types)]

use super::engine::wjvm_engine_t;
use super::error::wjvm_error_t;
use super::{guard, guard_or, handle, slice, write_box, write_out};
use crate::core::Component;

/// Bytes the library made, owned by the caller: free them with `wjvm_byte_vec_delete`.
#[repr(C)]
#[derive(Debug)]
pub struct wjvm_byte_vec_t {
    /// NULL when `len` is 0.
    pub ptr: *mut u8,
    pub len: usize,
}

impl wjvm_byte_vec_t {
    pub(crate) fn from_vec(bytes: Vec<u8>) -> wjvm_byte_vec_t {
        if bytes.is_empty() {
            return wjvm_byte_vec_t {
                ptr: std::ptr::null_mut(),
                len: 0,
            };
        }
        let len = bytes.len();
        let ptr = Box::into_raw(bytes.into_boxed_slice()).cast::<u8>();
        wjvm_byte_vec_t { ptr, len }
    }
}

/// Frees the bytes of `vec` and sets it to NULL and 0 (NULL, or an empty vec, does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_byte_vec_delete(vec: *mut wjvm_byte_vec_t) {
    guard_or((), || {
        if let Some(v) = unsafe { vec.as_mut() } {
            if !v.ptr.is_null() {
                let slice = std::ptr::slice_from_raw_parts_mut(v.ptr, v.len);
                drop(unsafe { Box::from_raw(slice) });
            }
            v.ptr = std::ptr::null_mut();
            v.len = 0;
        }
    })
}

/// A compiled component; thread-safe. Free with `wjvm_component_delete`.
pub struct wjvm_component_t {
    pub(crate) component: Component,
}

/// Compiles a component from its binary encoding or from WAT text (`len` bytes at `bytes`)
/// and stores it in `*out`. Fails with `WJVM_ERROR_COMPILE` for anything else.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_component_new(
    engine: *const wjvm_engine_t,
    bytes: *const u8,
    len: usize,
    out: *mut *mut wjvm_component_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        let bytes = unsafe { slice(bytes, len, "bytes") }?;
        super::check_out(out, "out")?;
        let component = Component::new(&engine.engine, bytes)?;
        unsafe { write_box(out, "out", wjvm_component_t { component }) }
    })
}

/// Loads a component from the checked image made by `wjvm_component_serialize` with an engine
/// of the same settings, and stores it in `*out`. Truncated or corrupted bytes are refused with
/// an error (their SHA-256 checksum is verified before wasmtime reads them).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_component_deserialize(
    engine: *const wjvm_engine_t,
    bytes: *const u8,
    len: usize,
    out: *mut *mut wjvm_component_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        let bytes = unsafe { slice(bytes, len, "bytes") }?;
        super::check_out(out, "out")?;
        let component = Component::deserialize(&engine.engine, bytes)?;
        unsafe { write_box(out, "out", wjvm_component_t { component }) }
    })
}

/// Loads raw wasmtime bytes (`wasmtime compile` output) without any integrity check, and stores
/// the component in `*out`.
///
/// UNSAFE: the bytes are executable code and are trusted as such; changed or truncated bytes
/// can crash the process. Pass only bytes from a trusted source.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_component_deserialize_unsafe(
    engine: *const wjvm_engine_t,
    bytes: *const u8,
    len: usize,
    out: *mut *mut wjvm_component_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        let bytes = unsafe { slice(bytes, len, "bytes") }?;
        super::check_out(out, "out")?;
        // Safety: the contract above, as wasmtime requires.
        let component = unsafe { Component::deserialize_unchecked(&engine.engine, bytes) }?;
        unsafe { write_box(out, "out", wjvm_component_t { component }) }
    })
}

/// Stores the compiled form of `component` in `*out`, for `wjvm_component_deserialize`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_component_serialize(
    component: *const wjvm_component_t,
    out: *mut wjvm_byte_vec_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let component = unsafe { handle(component, "component") }?;
        super::check_out(out, "out")?;
        let bytes = component.component.serialize()?;
        unsafe { write_out(out, "out", wjvm_byte_vec_t::from_vec(bytes)) }
    })
}

/// Stores the imports and exports of `component` in `*out` as UTF-8 text in WIT-like syntax
/// (`world root { ... }`, one item a line, interfaces with their contents indented).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_component_type_text(
    component: *const wjvm_component_t,
    out: *mut wjvm_byte_vec_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let component = unsafe { handle(component, "component") }?;
        super::check_out(out, "out")?;
        let text = component.component.component_type().to_string();
        unsafe { write_out(out, "out", wjvm_byte_vec_t::from_vec(text.into_bytes())) }
    })
}

/// Stores the WIT of `component` in `*out` as UTF-8 text, as `wasm-tools component wit` prints
/// it: its world `root` in the package `root:component`, then the packages of the interfaces it
/// uses, with their doc comments. Fails with `WJVM_ERROR_INVALID_ARGUMENT` for a component
/// loaded from precompiled bytes (compiled code keeps no WIT).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_component_wit(
    component: *const wjvm_component_t,
    out: *mut wjvm_byte_vec_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let component = unsafe { handle(component, "component") }?;
        super::check_out(out, "out")?;
        let text = component.component.wit_text()?;
        unsafe { write_out(out, "out", wjvm_byte_vec_t::from_vec(text.into_bytes())) }
    })
}

/// Frees a component (NULL does nothing); instances made from it are not affected.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_component_delete(component: *mut wjvm_component_t) {
    unsafe { super::delete(component) }
}
