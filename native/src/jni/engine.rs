//! Natives of `io.github.wasmtimejvm.Engine`.

use std::path::PathBuf;

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;

use super::{run, string, Shared};
use crate::core::engine::CodeKey;
use crate::core::{Engine, EngineConfig, OptimizationLevel};

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_io_github_wasmtimejvm_Engine_new0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    opt_level: jint,
    consume_fuel: jboolean,
    epoch_interruption: jboolean,
    max_wasm_stack: jlong,
    parallel_compilation: jboolean,
    cache_directory: JString<'l>,
    concurrency_support: jboolean,
    signals_based_traps: jboolean,
    wasm_backtrace: jboolean,
    component_model_map: jboolean,
    fixed_length_lists: jboolean,
    compiled_code_key: JByteArray<'l>,
) -> jlong {
    run(&mut env, |env| {
        let cache_dir = if cache_directory.is_null() {
            None
        } else {
            Some(PathBuf::from(string(env, &cache_directory)?))
        };
        let config = EngineConfig {
            opt_level: match opt_level {
                0 => OptimizationLevel::None,
                2 => OptimizationLevel::SpeedAndSize,
                _ => OptimizationLevel::Speed,
            },
            consume_fuel,
            epoch_interruption,
            max_wasm_stack: (max_wasm_stack > 0).then_some(max_wasm_stack as usize),
            parallel_compilation,
            cache_dir,
            concurrency_support,
            signals_based_traps,
            wasm_backtrace,
            component_model_map,
            component_model_fixed_length_lists: fixed_length_lists,
            compiled_code_key: if compiled_code_key.is_null() {
                None
            } else {
                Some(CodeKey(env.convert_byte_array(&compiled_code_key)?))
            },
        };
        Ok(Shared::into_raw(Engine::new(config)?, "Engine"))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Engine_dispose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Engine>::dispose(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Engine_free0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Engine>::free(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Engine_incrementEpoch0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Engine>::get(address) }?.increment_epoch();
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Engine_precompileComponent0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    bytes: JByteArray<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let engine = unsafe { Shared::<Engine>::get(address) }?;
        let input = env.convert_byte_array(&bytes)?;
        let out = engine.precompile_component(&input)?;
        Ok(env.byte_array_from_slice(&out)?)
    })
}
