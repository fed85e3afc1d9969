//! Func: an exported component function, its type, the call with `wjvm_val_t`s and the
//! scalar fast path with `uint64_t` slots.

#![allow(non_camel_case_types)]

use std::ffi::c_char;
use std::sync::Arc;

use super::error::wjvm_error_t;
use super::val::{self, wjvm_val_t, wjvm_val_vec_t, Reader, Writer};
use super::{guard, guard_or, handle, lend_empty, slice, CText};
use crate::core::func::MAX_SCALAR_PARAMS;
use crate::core::types::FuncType;
use crate::core::{Error, FuncId, Store};

/// A function of an instance: its store, its place in it and its type. Free with
/// `wjvm_func_delete`.
pub struct wjvm_func_t {
    store: Arc<Store>,
    id: FuncId,
    ty: Arc<FuncType>,
    type_text: CText,
    param_names: Vec<CText>,
}

impl wjvm_func_t {
    pub(crate) fn new(store: &Arc<Store>, id: FuncId, ty: Arc<FuncType>) -> Self {
        wjvm_func_t {
            store: store.clone(),
            id,
            type_text: CText::new(ty.to_string()),
            param_names: ty
                .params
                .iter()
                .map(|(n, _)| CText::new(n.clone()))
                .collect(),
            ty,
        }
    }
}

/// How many parameters `func` takes (0 when `func` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_func_param_count(func: *const wjvm_func_t) -> usize {
    guard_or(0, || {
        unsafe { func.as_ref() }.map_or(0, |f| f.ty.params.len())
    })
}

/// How many results `func` returns, 0 or 1 (0 when `func` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_func_result_count(func: *const wjvm_func_t) -> usize {
    guard_or(0, || {
        unsafe { func.as_ref() }.map_or(0, |f| f.ty.results.len())
    })
}

/// Lends the name of parameter `index` (UTF-8, also NUL-terminated; valid until `func` is
/// deleted); returns false, lending empty text, when there is no such parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_func_param_name(
    func: *const wjvm_func_t,
    index: usize,
    ptr: *mut *const c_char,
    len: *mut usize,
) -> bool {
    guard_or(false, || {
        match unsafe { func.as_ref() }.and_then(|f| f.param_names.get(index)) {
            Some(name) => {
                unsafe { name.lend(ptr, len) };
                true
            }
            None => {
                unsafe { lend_empty(ptr, len) };
                false
            }
        }
    })
}

/// Lends the type of `func` as WIT text, such as `func(a: u32, b: u32) -> u32` (UTF-8, also
/// NUL-terminated; valid until `func` is deleted).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_func_type(
    func: *const wjvm_func_t,
    ptr: *mut *const c_char,
    len: *mut usize,
) {
    guard_or((), || match unsafe { func.as_ref() } {
        Some(f) => unsafe { f.type_text.lend(ptr, len) },
        None => unsafe { lend_empty(ptr, len) },
    })
}

/// Calls `func` with `nargs` arguments at `args`, each of the kind its parameter's type
/// says, and stores the results in `*results` (owned by the caller: free them with
/// `wjvm_val_vec_delete`). An argument that does not fit its type fails with
/// `WJVM_ERROR_INVALID_ARGUMENT` naming the parameter and the place inside the value. After a
/// trap, no component in the store can run again: create a new store.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_func_call(
    func: *const wjvm_func_t,
    args: *const wjvm_val_t,
    nargs: usize,
    results: *mut wjvm_val_vec_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let func = unsafe { handle(func, "func") }?;
        let args = unsafe { slice(args, nargs, "args") }?;
        super::check_out(results, "results")?;
        // Safety: the caller promises every value at `args` is valid, recursively.
        let mut reader = unsafe { Reader::new(args) };
        let mut out = Writer::default();
        func.store
            .enter(|s| s.call_with(func.id, &mut reader, &mut out).result)?;
        let out = out.0;
        unsafe { results.write(val::new_vec(out)) };
        Ok(())
    })
}

/// Calls an all-scalar `func` (numbers, bool, char; at most 16 parameters and one result)
/// with its arguments as `uint64_t` slots and stores the result slot in `*result` (which may
/// be NULL, and gets 0 when the function returns nothing). Slots hold integers sign- or
/// zero-extended as their type says, `f32`/`f64` as their raw bits, `char` as its code point,
/// `bool` as 0 or 1; an out-of-range slot fails with `WJVM_ERROR_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_func_call_scalar(
    func: *const wjvm_func_t,
    args: *const u64,
    nargs: usize,
    result: *mut u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let func = unsafe { handle(func, "func") }?;
        let args = unsafe { slice(args, nargs, "args") }?;
        if args.len() > MAX_SCALAR_PARAMS {
            return Err(Error::InvalidArgument(format!(
                "the scalar fast path takes at most {MAX_SCALAR_PARAMS} arguments, got {}",
                args.len()
            )));
        }
        let value = func.store.enter(|s| s.call_scalar(func.id, args))?;
        if !result.is_null() {
            unsafe { result.write(value) };
        }
        Ok(())
    })
}

/// Frees a function handle (NULL does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_func_delete(func: *mut wjvm_func_t) {
    unsafe { super::delete(func) }
}
