//! Natives of `io.github.wasmtimejvm.component.Instance`.

use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use super::{run, store_ref, strings, type_codec};
use crate::core::InstanceId;

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Instance_func0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    instance: jint,
    path: JObjectArray<'l, JString<'l>>,
) -> jint {
    run(&mut env, |env| {
        let path = strings(env, &path)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let store = unsafe { store_ref(store) };
        Ok(store
            .enter(|s| s.instance_func(InstanceId(instance as u32), &path))?
            .0 as jint)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Instance_exports0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    instance: jint,
    path: JObjectArray<'l, JString<'l>>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let path = strings(env, &path)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let store = unsafe { store_ref(store) };
        let items = store.enter(|s| s.instance_exports(InstanceId(instance as u32), &path))?;
        let mut out = Vec::new();
        type_codec::items(&mut out, &items);
        Ok(env.byte_array_from_slice(&out)?)
    })
}
