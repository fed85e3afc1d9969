//! Natives of `io.github.wasmtimejvm.module.Global`. Values travel as slots (see `codec.rs`).

use jni::objects::{JClass, JLongArray};
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;

use super::codec::{long_slots as slots, read_val, val_slots};
use crate::core::module::context::with_context;
use crate::core::module::global;
use crate::core::module::types::ValKind;
use crate::jni::{run, store_ref};

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Global_create0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    kind: jint,
    mutable: jboolean,
    value: JLongArray<'l>,
) -> jint {
    run(&mut env, |env| {
        let kind = ValKind::from_number(kind as u8)?;
        let v = read_val(kind, &slots(env, &value)?)?;
        let store = unsafe { store_ref(store) };
        Ok(with_context(store, |ctx| global::create(ctx, kind, mutable, &v))? as jint)
    })
}

/// The kind number, plus 256 when mutable.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Global_type0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
) -> jint {
    run(&mut env, |_| {
        let store = unsafe { store_ref(store) };
        let (kind, mutable) = with_context(store, |ctx| global::ty(ctx, id as u32))?;
        Ok(kind as jint | if mutable { 256 } else { 0 })
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Global_get0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
) -> JLongArray<'l> {
    run(&mut env, |env| {
        let store = unsafe { store_ref(store) };
        let v = with_context(store, |ctx| global::get(ctx, id as u32))?;
        let s = val_slots(&v);
        let out = env.new_long_array(s.len())?;
        out.set_region(env, 0, &s)?;
        Ok(out)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Global_set0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    kind: jint,
    value: JLongArray<'l>,
) {
    run(&mut env, |env| {
        let v = read_val(ValKind::from_number(kind as u8)?, &slots(env, &value)?)?;
        let store = unsafe { store_ref(store) };
        Ok(with_context(store, |ctx| global::set(ctx, id as u32, &v))?)
    })
}
