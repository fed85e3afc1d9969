//! Natives of `io.github.wasmtimejvm.module.Memory`. A memory is named by its item id, or (with
//! a non-null `callerExport`) as an export of the module whose host function is running. Every
//! access checks its bounds against the memory's current size and copies straight between
//! linear memory and the Java array or direct buffer.

use jni::objects::{JByteArray, JByteBuffer, JClass, JString};
use jni::sys::{jint, jlong};
use jni::{Env, EnvUnowned};

use crate::core::module::memory::{self, with_memory, MemRef};
use crate::core::{Error, Result};
use crate::jni::{run, store_ref, string, JniResult};

fn at<'a>(id: jint, name: &'a Option<String>) -> MemRef<'a> {
    match name {
        Some(n) => MemRef::CallerExport(n),
        None => MemRef::Id(id as u32),
    }
}

fn name(env: &mut Env<'_>, s: &JString<'_>) -> JniResult<Option<String>> {
    if s.is_null() {
        Ok(None)
    } else {
        Ok(Some(string(env, s)?))
    }
}

fn jni_failure(e: jni::errors::Error) -> Error {
    Error::Runtime(format!("JNI failure copying memory: {e}"))
}

fn as_i8(bytes: &[u8]) -> &[i8] {
    // Safety: u8 and i8 have the same size and alignment, and every bit pattern is valid.
    unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast(), bytes.len()) }
}

fn as_i8_mut(bytes: &mut [u8]) -> &mut [i8] {
    // Safety: as for `as_i8`.
    unsafe { std::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast(), bytes.len()) }
}

/// What `query` asks: 0 pages, 1 bytes, 2 page size, 3 maximum pages (-1: none), 4 64-bit.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Memory_query0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    caller_export: JString<'l>,
    query: jint,
) -> jlong {
    run(&mut env, |env| {
        let n = name(env, &caller_export)?;
        let store = unsafe { store_ref(store) };
        Ok(with_memory(store, at(id, &n), |ctx, m| {
            Ok(match query {
                0 => memory::pages(ctx, m) as jlong,
                1 => memory::data_size(ctx, m) as jlong,
                2 => memory::page_size(ctx, m) as jlong,
                3 => m.ty(&*ctx).maximum().map_or(-1, |x| x as jlong),
                _ => m.ty(&*ctx).is_64() as jlong,
            })
        })?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Memory_grow0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    caller_export: JString<'l>,
    delta: jlong,
) -> jlong {
    run(&mut env, |env| {
        let n = name(env, &caller_export)?;
        let store = unsafe { store_ref(store) };
        Ok(with_memory(store, at(id, &n), |ctx, m| {
            Ok(memory::grow(ctx, m, delta as u64).map_or(-1, |p| p as jlong))
        })?)
    })
}

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Memory_read0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    caller_export: JString<'l>,
    offset: jlong,
    dst: JByteArray<'l>,
    start: jint,
    len: jint,
) {
    run(&mut env, |env| {
        let n = name(env, &caller_export)?;
        let store = unsafe { store_ref(store) };
        with_memory(store, at(id, &n), |ctx, m| {
            let data = memory::range(ctx, m, offset as u64, len as usize)?;
            dst.set_region(env, start, as_i8(data)).map_err(jni_failure)
        })?;
        Ok(())
    })
}

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Memory_write0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    caller_export: JString<'l>,
    offset: jlong,
    src: JByteArray<'l>,
    start: jint,
    len: jint,
) {
    run(&mut env, |env| {
        let n = name(env, &caller_export)?;
        let store = unsafe { store_ref(store) };
        with_memory(store, at(id, &n), |ctx, m| {
            let data = memory::range(ctx, m, offset as u64, len as usize)?;
            src.get_region(env, start, as_i8_mut(data))
                .map_err(jni_failure)
        })?;
        Ok(())
    })
}

/// Copies between memory and a direct buffer's bytes `[start, start + len)`; `to_buffer`
/// picks the direction.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Memory_copyBuffer0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    caller_export: JString<'l>,
    offset: jlong,
    buffer: JByteBuffer<'l>,
    start: jint,
    len: jint,
    to_buffer: jni::sys::jboolean,
) {
    run(&mut env, |env| {
        let n = name(env, &caller_export)?;
        let base = env.get_direct_buffer_address(&buffer)?;
        let capacity = env.get_direct_buffer_capacity(&buffer)?;
        if start < 0 || len < 0 || start as usize + len as usize > capacity {
            return Err(Error::OutOfBounds(format!(
                "buffer range {start}+{len} is outside its capacity {capacity}"
            ))
            .into());
        }
        let store = unsafe { store_ref(store) };
        with_memory(store, at(id, &n), |ctx, m| {
            let data = memory::range(ctx, m, offset as u64, len as usize)?;
            // Safety: `[start, start + len)` is inside the buffer (checked above), which Java
            // keeps reachable for the call; linear memory and a direct buffer never overlap.
            let buf =
                unsafe { std::slice::from_raw_parts_mut(base.add(start as usize), len as usize) };
            if to_buffer {
                buf.copy_from_slice(data);
            } else {
                data.copy_from_slice(buf);
            }
            Ok(())
        })?;
        Ok(())
    })
}

/// Reads a little-endian value of `width` bytes (1, 2, 4 or 8) at `offset`, zero-extended.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Memory_load0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    caller_export: JString<'l>,
    offset: jlong,
    width: jint,
) -> jlong {
    run(&mut env, |env| {
        let n = name(env, &caller_export)?;
        let store = unsafe { store_ref(store) };
        Ok(with_memory(store, at(id, &n), |ctx, m| {
            load(ctx, m, offset, width)
        })?)
    })
}

fn load(
    ctx: &mut wasmtime::StoreContextMut<'_, crate::core::store::StoreData>,
    m: wasmtime::Memory,
    offset: jlong,
    width: jint,
) -> Result<jlong> {
    let data = memory::range(ctx, m, offset as u64, width as usize)?;
    let mut b = [0u8; 8];
    b[..data.len()].copy_from_slice(data);
    Ok(u64::from_le_bytes(b) as jlong)
}

/// Writes the low `width` bytes (1, 2, 4 or 8) of `value`, little-endian, at `offset`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Memory_store0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    caller_export: JString<'l>,
    offset: jlong,
    width: jint,
    value: jlong,
) {
    run(&mut env, |env| {
        let n = name(env, &caller_export)?;
        let store = unsafe { store_ref(store) };
        with_memory(store, at(id, &n), |ctx, m| {
            let data = memory::range(ctx, m, offset as u64, width as usize)?;
            let w = data.len();
            data.copy_from_slice(&value.to_le_bytes()[..w]);
            Ok(())
        })?;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Memory_create0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    minimum: jlong,
    maximum: jlong,
    is_64: jni::sys::jboolean,
) -> jint {
    run(&mut env, |_| {
        let store = unsafe { store_ref(store) };
        let max = (maximum >= 0).then_some(maximum as u64);
        Ok(memory::create(store, minimum as u64, max, is_64)? as jint)
    })
}
