//! Natives of `io.github.wasmtimejvm.module.Instance`.

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use super::codec::{put_desc, put_str};
use crate::core::module::context::with_context;
use crate::core::module::instance;
use crate::jni::{run, store_ref, string};

/// The export: its item id (`u32`) and its type.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Instance_export0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    instance: jint,
    name: JString<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let name = string(env, &name)?;
        let store = unsafe { store_ref(store) };
        let (id, desc) = with_context(store, |ctx| instance::export(ctx, instance as u32, &name))?;
        let mut out = id.to_le_bytes().to_vec();
        put_desc(&mut out, &desc);
        Ok(env.byte_array_from_slice(&out)?)
    })
}

/// The exports: a `u32` count, then each name and type.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Instance_exports0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    instance: jint,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let store = unsafe { store_ref(store) };
        let exports = with_context(store, |ctx| instance::exports(ctx, instance as u32))?;
        let mut out = (exports.len() as u32).to_le_bytes().to_vec();
        for (name, desc) in &exports {
            put_str(&mut out, name);
            put_desc(&mut out, desc);
        }
        Ok(env.byte_array_from_slice(&out)?)
    })
}

/// The type of item `id`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Instance_itemType0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let store = unsafe { store_ref(store) };
        let desc = with_context(store, |ctx| instance::item_type(ctx, id as u32))?;
        let mut out = Vec::new();
        put_desc(&mut out, &desc);
        Ok(env.byte_array_from_slice(&out)?)
    })
}
