//! Natives of `io.github.wasmtimejvm.Store`.

use jni::objects::{JByteArray, JClass, JObject, JObjectArray};
use jni::sys::{jboolean, jlong};
use jni::EnvUnowned;

use super::host_function::JavaStore;
use super::{run, store_ref, Shared};
use crate::core::{Engine, Store, StoreOptions};

fn opt(v: jlong) -> Option<u64> {
    (v >= 0).then_some(v as u64)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Store_new0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    memory_size: jlong,
    table_elements: jlong,
    instances: jlong,
    fuel: jlong,
    epoch_deadline: jlong,
    timeout_nanos: jlong,
    wasi: JByteArray<'l>,
    wasi_objects: JObjectArray<'l>,
) -> jlong {
    run(&mut env, |env| {
        let engine = unsafe { Shared::<Engine>::get(engine) }?;
        let wasi = if wasi.is_null() {
            None
        } else {
            Some(super::wasi_config::decode(env, &wasi, &wasi_objects)?)
        };
        let options = StoreOptions {
            memory_size: opt(memory_size).map(|v| v as usize),
            table_elements: opt(table_elements).map(|v| v as usize),
            instances: opt(instances).map(|v| v as usize),
            fuel: opt(fuel),
            epoch_deadline: opt(epoch_deadline),
            timeout: opt(timeout_nanos).map(std::time::Duration::from_nanos),
            wasi,
        };
        let store = Store::new(&engine, &options)?;
        Ok(Box::into_raw(Box::new(store)) as jlong)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Store_dispose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { store_ref(address) }.close();
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Store_free0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        drop(unsafe { Box::from_raw(address as *mut Store) });
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Store_setFuel0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    fuel: jlong,
) {
    run(&mut env, |_| {
        Ok(unsafe { store_ref(address) }.enter(|s| s.set_fuel(fuel as u64))?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Store_getFuel0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) -> jlong {
    run(&mut env, |_| {
        Ok(unsafe { store_ref(address) }.enter(|s| s.fuel())? as jlong)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Store_setEpochDeadline0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    ticks: jlong,
) {
    run(&mut env, |_| {
        Ok(unsafe { store_ref(address) }.enter(|s| s.set_epoch_deadline(ticks as u64))?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Store_attach0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    this: JObject<'l>,
) {
    run(&mut env, |env| {
        let weak = env.new_weak_ref(&this)?;
        unsafe { store_ref(address) }.enter(|s| {
            *s.adapter_state() = Some(Box::new(JavaStore(weak)));
            Ok(())
        })?;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Store_captured0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    stderr: jboolean,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let (out, err) = unsafe { store_ref(address) }.enter(|s| Ok(s.captured_output()))?;
        Ok(env.byte_array_from_slice(if stderr { &err } else { &out })?)
    })
}
