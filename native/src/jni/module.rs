//! Natives of `io.github.wasmtimejvm.module.Module`.

use jni::objects::{JByteArray, JClass};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use super::{run, store_ref, Shared};
use crate::core::module::Module;
use crate::core::Engine;

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_new0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    run(&mut env, |env| {
        let engine = unsafe { Shared::<Engine>::get(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        Ok(Shared::into_raw(Module::new(&engine, &bytes)?, "Module"))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_runWasiCommand0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
) -> jint {
    run(&mut env, |_| {
        let module = unsafe { Shared::<Module>::get(address) }?;
        Ok(module.run_wasi_command(unsafe { store_ref(store) })?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_dispose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Module>::dispose(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_free0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Module>::free(address) };
        Ok(())
    })
}
