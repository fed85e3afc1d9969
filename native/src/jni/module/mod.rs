//! Natives of `io.github.wasmtimejvm.module.Module`; the files beside it are the other classes
//! of that package, and `codec.rs` their wire format.

mod codec;
mod func;
mod global;
mod instance;
mod linker;
mod memory;
mod table;

use jni::objects::{JByteArray, JClass};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use self::codec::{put_desc, put_str};
use super::{run, store_ref, Shared};
use crate::core::module::Module;
use crate::core::Engine;

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_validate0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) {
    run(&mut env, |env| {
        let engine = unsafe { Shared::<Engine>::get(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        Ok(Module::validate(&engine, &bytes)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_deserialize0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    run(&mut env, |env| {
        let engine = unsafe { Shared::<Engine>::get(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        Ok(Shared::into_raw(
            Module::deserialize(&engine, &bytes)?,
            "Module",
        ))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_precompile0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let engine = unsafe { Shared::<Engine>::get(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        Ok(env.byte_array_from_slice(&engine.precompile_module(&bytes)?)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_serialize0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let module = unsafe { Shared::<Module>::get(address) }?;
        Ok(env.byte_array_from_slice(&module.serialize()?)?)
    })
}

/// The imports (`imports`: a `u32` count, then module, name and type of each) or the exports
/// (name and type of each).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Module_types0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    imports: jni::sys::jboolean,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let module = unsafe { Shared::<Module>::get(address) }?;
        let mut out = Vec::new();
        if imports {
            let list = module.imports();
            out.extend_from_slice(&(list.len() as u32).to_le_bytes());
            for (m, n, d) in &list {
                put_str(&mut out, m);
                put_str(&mut out, n);
                put_desc(&mut out, d);
            }
        } else {
            let list = module.exports();
            out.extend_from_slice(&(list.len() as u32).to_le_bytes());
            for (n, d) in &list {
                put_str(&mut out, n);
                put_desc(&mut out, d);
            }
        }
        Ok(env.byte_array_from_slice(&out)?)
    })
}

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
