//! Core WebAssembly: modules, the core linker, instances, and their functions, memories,
//! globals and tables, over the core's `module` folder (the same operations as Java's
//! `io.github.wasmtimejvm.module`). Host functions are not defined from C yet.

#![allow(non_camel_case_types)]

use std::ffi::c_char;
use std::sync::Arc;

use super::component::wjvm_byte_vec_t;
use super::engine::wjvm_engine_t;
use super::error::wjvm_error_t;
use super::store::wjvm_store_t;
use super::{guard, guard_or, handle, slice, utf8, write_box, write_out};
use crate::core::module::context::with_context;
use crate::core::module::linker::CoreLinker;
use crate::core::module::memory::{self, with_memory, MemRef};
use crate::core::module::types::{ExternDesc, ValKind};
use crate::core::module::value::{AnyView, CoreVal};
use crate::core::module::{func, global, instance, table, Module};
use crate::core::{Error, Result, Store};

/// A compiled core module; thread-safe. Free with `wjvm_module_delete`.
pub struct wjvm_module_t {
    module: Module,
}

/// A core linker; thread-safe. Free with `wjvm_core_linker_delete`.
pub struct wjvm_core_linker_t {
    linker: CoreLinker,
}

/// An instance of a core module in its store. Free with `wjvm_core_instance_delete` (the
/// instance itself lives as long as its store).
pub struct wjvm_core_instance_t {
    store: Arc<Store>,
    id: u32,
}

/// A function, memory, global or table of a store (see `wjvm_core_extern_kind`). Free with
/// `wjvm_core_extern_delete` (the item lives as long as its store).
pub struct wjvm_core_extern_t {
    store: Arc<Store>,
    id: u32,
    kind: wjvm_core_extern_kind_t,
}

/// What a `wjvm_core_extern_t` is.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum wjvm_core_extern_kind_t {
    WJVM_CORE_FUNC = 0,
    WJVM_CORE_MEMORY = 1,
    WJVM_CORE_GLOBAL = 2,
    WJVM_CORE_TABLE = 3,
    WJVM_CORE_TAG = 4,
}

/// A core value. `kind` is the value type's number: 0 i32, 1 i64, 2 f32, 3 f64, 4 v128, 5
/// funcref, 6 externref, 7 anyref, 8 exnref, 9 contref. `bits` holds an integer (an i32
/// sign-extended), the bits of a float, the low 64 bits of a v128 (`high` the rest), for a
/// funcref 0 (null) or the function's item id plus 1, for an externref 0 (null) or the host's
/// key (bit 63 set over the anyref bits for one made from a GC value inside wasm; read only);
/// for an anyref `tag << 32 | payload` (tag 1 i31 with its bits, 2 struct, 3 array, 4 other); other
/// references are 0 for null and non-zero otherwise (the host passes only null).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct wjvm_core_val_t {
    pub kind: u8,
    pub bits: u64,
    pub high: u64,
}

fn kind(n: u8) -> Result<ValKind> {
    ValKind::from_number(n)
}

fn to_core(v: &wjvm_core_val_t) -> Result<CoreVal> {
    Ok(match kind(v.kind)? {
        ValKind::I32 => CoreVal::I32(v.bits as i32),
        ValKind::I64 => CoreVal::I64(v.bits as i64),
        ValKind::F32 => CoreVal::F32(v.bits as u32),
        ValKind::F64 => CoreVal::F64(v.bits),
        ValKind::V128 => CoreVal::V128(((v.high as u128) << 64) | v.bits as u128),
        ValKind::FuncRef => CoreVal::FuncRef((v.bits != 0).then(|| (v.bits - 1) as u32)),
        ValKind::ExternRef if v.bits >> 63 != 0 => {
            return Err(Error::InvalidArgument(
                "an externref converted from a GC value inside wasm cannot be passed back by the \
                 host"
                    .into(),
            ))
        }
        ValKind::ExternRef => CoreVal::ExternRef((v.bits != 0).then_some(v.bits)),
        k => {
            if v.bits != 0 {
                return Err(Error::InvalidArgument(format!(
                    "the host can pass only null as a reference of kind {}",
                    k as u8
                )));
            }
            CoreVal::zero(k)
        }
    })
}

fn from_core(v: &CoreVal) -> wjvm_core_val_t {
    let (bits, high) = match *v {
        CoreVal::I32(x) => (x as i64 as u64, 0),
        CoreVal::I64(x) => (x as u64, 0),
        CoreVal::F32(x) => (x as u64, 0),
        CoreVal::F64(x) => (x, 0),
        CoreVal::V128(x) => (x as u64, (x >> 64) as u64),
        CoreVal::FuncRef(f) => (f.map_or(0, |id| id as u64 + 1), 0),
        CoreVal::ExternRef(k) => (k.unwrap_or(0), 0),
        CoreVal::ExternAny(view) => ((1 << 63) | any_bits(view), 0),
        CoreVal::AnyRef(a) => (a.map_or(0, any_bits), 0),
        CoreVal::ExnRef(b) | CoreVal::ContRef(b) => (b as u64, 0),
    };
    wjvm_core_val_t {
        kind: v.kind() as u8,
        bits,
        high,
    }
}

/// The bits of a non-null GC reference: `tag << 32 | payload`.
fn any_bits(view: AnyView) -> u64 {
    match view {
        AnyView::I31(b) => (1 << 32) | b as u64,
        AnyView::Struct => 2 << 32,
        AnyView::Array => 3 << 32,
        AnyView::Other => 4 << 32,
    }
}

/// Compiles a core module from its binary encoding or WAT text and stores it in `*out`.
/// Component bytes fail with `WJVM_ERROR_COMPILE` saying they are a component.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_module_new(
    engine: *const wjvm_engine_t,
    bytes: *const u8,
    len: usize,
    out: *mut *mut wjvm_module_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        let bytes = unsafe { slice(bytes, len, "bytes") }?;
        let module = Module::new(&engine.engine, bytes)?;
        unsafe { write_box(out, "out", wjvm_module_t { module }) }
    })
}

/// Checks that `bytes` are a valid core module for the engine's features, without compiling.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_module_validate(
    engine: *const wjvm_engine_t,
    bytes: *const u8,
    len: usize,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        Module::validate(&engine.engine, unsafe { slice(bytes, len, "bytes") }?)
    })
}

/// The module's compiled form (a checked image) in `*out`, for `wjvm_module_deserialize`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_module_serialize(
    module: *const wjvm_module_t,
    out: *mut wjvm_byte_vec_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let module = unsafe { handle(module, "module") }?;
        super::check_out(out, "out")?;
        let bytes = module.module.serialize()?;
        unsafe { write_out(out, "out", wjvm_byte_vec_t::from_vec(bytes)) }
    })
}

/// Loads a module from `wjvm_module_serialize` output; truncated or corrupted bytes fail with
/// `WJVM_ERROR_COMPILE` before wasmtime reads them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_module_deserialize(
    engine: *const wjvm_engine_t,
    bytes: *const u8,
    len: usize,
    out: *mut *mut wjvm_module_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        let bytes = unsafe { slice(bytes, len, "bytes") }?;
        let module = Module::deserialize(&engine.engine, bytes)?;
        unsafe { write_box(out, "out", wjvm_module_t { module }) }
    })
}

/// Frees a module (NULL does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_module_delete(module: *mut wjvm_module_t) {
    unsafe { super::delete(module) }
}

/// Makes an empty core linker for modules of `engine`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_linker_new(
    engine: *const wjvm_engine_t,
    out: *mut *mut wjvm_core_linker_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let engine = unsafe { handle(engine, "engine") }?;
        let linker = CoreLinker::new(&engine.engine);
        unsafe { write_box(out, "out", wjvm_core_linker_t { linker }) }
    })
}

/// Defines WASI preview 1 (`wasi_snapshot_preview1`), served from each store's WASI settings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_linker_define_wasi(
    linker: *const wjvm_core_linker_t,
) -> *mut wjvm_error_t {
    guard(|| unsafe { handle(linker, "linker") }?.linker.define_wasi())
}

/// Lets later definitions replace earlier ones of the same name (`allow` not 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_linker_allow_shadowing(
    linker: *const wjvm_core_linker_t,
    allow: u8,
) -> *mut wjvm_error_t {
    guard(|| {
        unsafe { handle(linker, "linker") }?
            .linker
            .allow_shadowing(allow != 0);
        Ok(())
    })
}

/// Makes function imports nothing defines trap when called (`enable` not 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_linker_define_unknown_imports_as_traps(
    linker: *const wjvm_core_linker_t,
    enable: u8,
) -> *mut wjvm_error_t {
    guard(|| {
        unsafe { handle(linker, "linker") }?
            .linker
            .define_unknown_imports_as_traps(enable != 0);
        Ok(())
    })
}

/// Defines every export of `instance` under the module name `name` (`len` bytes of UTF-8).
/// The linker then belongs to the instance's store.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_linker_define_instance(
    linker: *const wjvm_core_linker_t,
    name: *const c_char,
    len: usize,
    instance: *const wjvm_core_instance_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let linker = unsafe { handle(linker, "linker") }?;
        let name = unsafe { utf8(name, len, "name") }?;
        let instance = unsafe { handle(instance, "instance") }?;
        linker
            .linker
            .define_instance(&instance.store, name, instance.id)
    })
}

/// Instantiates `module` in `store` (running its start function) and stores the instance in
/// `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_linker_instantiate(
    linker: *const wjvm_core_linker_t,
    store: *const wjvm_store_t,
    module: *const wjvm_module_t,
    out: *mut *mut wjvm_core_instance_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let linker = unsafe { handle(linker, "linker") }?;
        let store = unsafe { handle(store, "store") }?;
        let module = unsafe { handle(module, "module") }?;
        super::check_out(out, "out")?;
        let id = linker.linker.instantiate(&store.store, &module.module)?;
        let instance = wjvm_core_instance_t {
            store: store.store.clone(),
            id,
        };
        unsafe { write_box(out, "out", instance) }
    })
}

/// Frees a core linker (NULL does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_linker_delete(linker: *mut wjvm_core_linker_t) {
    unsafe { super::delete(linker) }
}

/// Looks up the export `name` (`len` bytes of UTF-8) and stores it in `*out`. Fails with
/// `WJVM_ERROR_UNKNOWN_EXPORT`, listing the exports, when there is none.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_instance_export(
    instance: *const wjvm_core_instance_t,
    name: *const c_char,
    len: usize,
    out: *mut *mut wjvm_core_extern_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let instance = unsafe { handle(instance, "instance") }?;
        let name = unsafe { utf8(name, len, "name") }?;
        super::check_out(out, "out")?;
        let (id, desc) = with_context(&instance.store, |ctx| {
            instance::export(ctx, instance.id, name)
        })?;
        let kind = match desc {
            ExternDesc::Func(_) => wjvm_core_extern_kind_t::WJVM_CORE_FUNC,
            ExternDesc::Memory { .. } => wjvm_core_extern_kind_t::WJVM_CORE_MEMORY,
            ExternDesc::Global { .. } => wjvm_core_extern_kind_t::WJVM_CORE_GLOBAL,
            ExternDesc::Table { .. } => wjvm_core_extern_kind_t::WJVM_CORE_TABLE,
            ExternDesc::Tag(_) => wjvm_core_extern_kind_t::WJVM_CORE_TAG,
        };
        let item = wjvm_core_extern_t {
            store: instance.store.clone(),
            id,
            kind,
        };
        unsafe { write_box(out, "out", item) }
    })
}

/// Frees a core instance handle (NULL does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_instance_delete(instance: *mut wjvm_core_instance_t) {
    unsafe { super::delete(instance) }
}

/// What the item is (`WJVM_CORE_FUNC` for NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_extern_kind(
    item: *const wjvm_core_extern_t,
) -> wjvm_core_extern_kind_t {
    guard_or(wjvm_core_extern_kind_t::WJVM_CORE_FUNC, || {
        unsafe { item.as_ref() }.map_or(wjvm_core_extern_kind_t::WJVM_CORE_FUNC, |i| i.kind)
    })
}

/// Frees an item handle (NULL does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_extern_delete(item: *mut wjvm_core_extern_t) {
    unsafe { super::delete(item) }
}

/// Calls the function `item` with `nargs` values at `args` and writes its results into the
/// `nresults` values at `results` (which must hold them all).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_func_call(
    item: *const wjvm_core_extern_t,
    args: *const wjvm_core_val_t,
    nargs: usize,
    results: *mut wjvm_core_val_t,
    nresults: usize,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "func") }?;
        let args = unsafe { slice(args, nargs, "args") }?
            .iter()
            .map(to_core)
            .collect::<Result<Vec<_>>>()?;
        let out = item.store.enter(|s| func::call(s, item.id, &args))?;
        if out.len() > nresults || (nresults > 0 && results.is_null()) {
            return Err(Error::InvalidArgument(format!(
                "the function returned {} values; `results` holds {nresults}",
                out.len()
            )));
        }
        for (i, v) in out.iter().enumerate() {
            unsafe { results.add(i).write(from_core(v)) };
        }
        Ok(())
    })
}

/// Calls a numbers-only function (i32, i64, f32, f64; at most 16 each way) with its arguments
/// as `uint64_t` slots (integers as themselves, floats as their bits) and writes its result
/// slots (an i32 sign-extended) into `results`, which must hold them all. Allocates nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_func_call_raw(
    item: *const wjvm_core_extern_t,
    args: *const u64,
    nargs: usize,
    results: *mut u64,
    nresults: usize,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "func") }?;
        let args = unsafe { slice(args, nargs, "args") }?;
        let results: &mut [u64] = if nresults == 0 {
            &mut []
        } else if results.is_null() {
            return Err(Error::InvalidArgument(
                "`results` is NULL but its length is not 0".into(),
            ));
        } else {
            unsafe { std::slice::from_raw_parts_mut(results, nresults) }
        };
        item.store
            .enter(|s| func::call_raw(s, item.id, args, results))
    })
}

/// The memory's size in pages and in bytes (either out-pointer may be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_memory_size(
    item: *const wjvm_core_extern_t,
    pages: *mut u64,
    bytes: *mut u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "memory") }?;
        let (p, b) = with_memory(&item.store, MemRef::Id(item.id), |ctx, m| {
            Ok((memory::pages(ctx, m), memory::data_size(ctx, m)))
        })?;
        if !pages.is_null() {
            unsafe { pages.write(p) };
        }
        if !bytes.is_null() {
            unsafe { bytes.write(b) };
        }
        Ok(())
    })
}

/// Grows the memory by `delta` pages; stores its previous size in pages in `*previous`, or
/// `UINT64_MAX` when it cannot grow that far.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_memory_grow(
    item: *const wjvm_core_extern_t,
    delta: u64,
    previous: *mut u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "memory") }?;
        let p = with_memory(&item.store, MemRef::Id(item.id), |ctx, m| {
            Ok(memory::grow(ctx, m, delta))
        })?;
        unsafe { write_out(previous, "previous", p.unwrap_or(u64::MAX)) }
    })
}

/// Copies `len` bytes of the memory at `offset` into `dst`; an access outside the memory fails
/// with `WJVM_ERROR_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_memory_read(
    item: *const wjvm_core_extern_t,
    offset: u64,
    dst: *mut u8,
    len: usize,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "memory") }?;
        if len > 0 && dst.is_null() {
            return Err(Error::InvalidArgument(
                "`dst` is NULL but its length is not 0".into(),
            ));
        }
        with_memory(&item.store, MemRef::Id(item.id), |ctx, m| {
            let data = memory::range(ctx, m, offset, len)?;
            if len > 0 {
                // Safety: `dst` holds `len` writable bytes (the caller's promise) and is not
                // inside linear memory.
                unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), dst, len) };
            }
            Ok(())
        })
    })
}

/// Copies `len` bytes from `src` into the memory at `offset`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_memory_write(
    item: *const wjvm_core_extern_t,
    offset: u64,
    src: *const u8,
    len: usize,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "memory") }?;
        let src = unsafe { slice(src, len, "src") }?;
        with_memory(&item.store, MemRef::Id(item.id), |ctx, m| {
            memory::range(ctx, m, offset, len)?.copy_from_slice(src);
            Ok(())
        })
    })
}

/// The global's value in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_global_get(
    item: *const wjvm_core_extern_t,
    out: *mut wjvm_core_val_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "global") }?;
        let v = with_context(&item.store, |ctx| global::get(ctx, item.id))?;
        unsafe { write_out(out, "out", from_core(&v)) }
    })
}

/// Sets the global's value; an immutable global or a value of another type fails with
/// `WJVM_ERROR_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_global_set(
    item: *const wjvm_core_extern_t,
    value: *const wjvm_core_val_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "global") }?;
        let v = to_core(unsafe { handle(value, "value") }?)?;
        with_context(&item.store, |ctx| global::set(ctx, item.id, &v))
    })
}

/// The table's current size in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_table_size(
    item: *const wjvm_core_extern_t,
    out: *mut u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "table") }?;
        let n = with_context(&item.store, |ctx| table::size(ctx, item.id))?;
        unsafe { write_out(out, "out", n) }
    })
}

/// The table's element at `index` in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_table_get(
    item: *const wjvm_core_extern_t,
    index: u64,
    out: *mut wjvm_core_val_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "table") }?;
        let v = with_context(&item.store, |ctx| table::get(ctx, item.id, index))?;
        unsafe { write_out(out, "out", from_core(&v)) }
    })
}

/// Sets the table's element at `index`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_table_set(
    item: *const wjvm_core_extern_t,
    index: u64,
    value: *const wjvm_core_val_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "table") }?;
        let v = to_core(unsafe { handle(value, "value") }?)?;
        with_context(&item.store, |ctx| table::set(ctx, item.id, index, &v))
    })
}

/// Grows the table by `delta` elements set to `init`; stores the previous size in
/// `*previous`, or `UINT64_MAX` when it cannot grow that far.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_core_table_grow(
    item: *const wjvm_core_extern_t,
    delta: u64,
    init: *const wjvm_core_val_t,
    previous: *mut u64,
) -> *mut wjvm_error_t {
    guard(|| {
        let item = unsafe { handle(item, "table") }?;
        let v = to_core(unsafe { handle(init, "init") }?)?;
        let p = with_context(&item.store, |ctx| table::grow(ctx, item.id, delta, &v))?;
        unsafe { write_out(previous, "previous", p.unwrap_or(u64::MAX)) }
    })
}
