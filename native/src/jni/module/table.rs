//! Natives of `io.github.wasmtimejvm.module.Table`. Elements travel as slots (see `codec.rs`).

use jni::objects::{JByteArray, JClass, JLongArray};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use super::codec::{long_slots as slots, read_val, val_slots};
use crate::core::module::context::with_context;
use crate::core::module::table;
use crate::core::module::types::ValKind;
use crate::jni::{run, store_ref};

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Table_create0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    kind: jint,
    minimum: jlong,
    maximum: jlong,
    init: JLongArray<'l>,
) -> jint {
    run(&mut env, |env| {
        let kind = ValKind::from_number(kind as u8)?;
        let v = read_val(kind, &slots(env, &init)?)?;
        let max = (maximum >= 0).then_some(maximum as u64);
        let store = unsafe { store_ref(store) };
        Ok(with_context(store, |ctx| {
            table::create(ctx, kind, minimum as u64, max, &v)
        })? as jint)
    })
}

/// The element kind (`u8`), minimum (`u64`) and maximum (`i64`, -1: none).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Table_type0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let store = unsafe { store_ref(store) };
        let (kind, min, max) = with_context(store, |ctx| table::ty(ctx, id as u32))?;
        let mut out = vec![kind as u8];
        out.extend_from_slice(&min.to_le_bytes());
        out.extend_from_slice(&max.map_or(-1i64, |m| m as i64).to_le_bytes());
        Ok(env.byte_array_from_slice(&out)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Table_size0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
) -> jlong {
    run(&mut env, |_| {
        let store = unsafe { store_ref(store) };
        Ok(with_context(store, |ctx| table::size(ctx, id as u32))? as jlong)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Table_get0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    index: jlong,
) -> jlong {
    run(&mut env, |_| {
        let store = unsafe { store_ref(store) };
        let v = with_context(store, |ctx| table::get(ctx, id as u32, index as u64))?;
        Ok(val_slots(&v)[0])
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Table_set0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    kind: jint,
    index: jlong,
    value: jlong,
) {
    run(&mut env, |_| {
        let v = read_val(ValKind::from_number(kind as u8)?, &[value])?;
        let store = unsafe { store_ref(store) };
        Ok(with_context(store, |ctx| {
            table::set(ctx, id as u32, index as u64, &v)
        })?)
    })
}

/// The previous size, or -1 when the table cannot grow that far.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Table_grow0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    kind: jint,
    delta: jlong,
    init: jlong,
) -> jlong {
    run(&mut env, |_| {
        let v = read_val(ValKind::from_number(kind as u8)?, &[init])?;
        let store = unsafe { store_ref(store) };
        let grown = with_context(store, |ctx| table::grow(ctx, id as u32, delta as u64, &v))?;
        Ok(grown.map_or(-1, |p| p as jlong))
    })
}
