//! Natives of `io.github.wasmtimejvm.Engine`.

use std::path::PathBuf;

use jni::objects::{JByteArray, JClass, JObject, JString};
use jni::sys::jlong;
use jni::{jni_sig, jni_str, Env, EnvUnowned};

use super::{run, string, JniResult, Shared};
use crate::core::engine::{CodeKey, EngineOptions};
use crate::core::Error;
use crate::core::{Engine, EngineConfig, OptimizationLevel};

/// Creates an engine from an `Engine.Config` record, read field by field (a cold path: once per
/// engine).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_Engine_new0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    config: JObject<'l>,
) -> jlong {
    run(&mut env, |env| {
        let options = engine_options(env, &config)?;
        let config = engine_config(env, &config)?;
        Ok(Shared::into_raw(
            Engine::with_options(config, options)?,
            "Engine",
        ))
    })
}

/// Reads the boolean accessor `$name` of the `Engine.Config` record `$c`.
macro_rules! flag {
    ($env:expr, $c:expr, $name:literal) => {
        $env.call_method($c, jni_str!($name), jni_sig!("()Z"), &[])?
            .z()?
    };
}

/// Reads the settings of an `Engine.Config` record that [`EngineOptions`] holds.
fn engine_options(env: &mut Env<'_>, c: &JObject<'_>) -> JniResult<EngineOptions> {
    Ok(EngineOptions {
        relaxed_simd_deterministic: flag!(env, c, "relaxedSimdDeterministic"),
        component_model_error_context: flag!(env, c, "componentModelErrorContext"),
        component_model_implements: flag!(env, c, "componentModelImplements"),
        component_model_memory64: flag!(env, c, "componentModelMemory64"),
        component_model_gc: flag!(env, c, "componentModelGc"),
        component_model_more_async_builtins: flag!(env, c, "componentModelMoreAsyncBuiltins"),
        component_model_async_stackful: flag!(env, c, "componentModelAsyncStackful"),
        component_model_threading: flag!(env, c, "componentModelThreading"),
        async_threads: match env
            .call_method(c, jni_str!("asyncThreads"), jni_sig!("()I"), &[])?
            .i()?
        {
            n if n > 0 => Some(n as usize),
            _ => None,
        },
    })
}

/// Reads an `io.github.wasmtimejvm.Engine.Config` record.
fn engine_config(env: &mut Env<'_>, c: &JObject<'_>) -> JniResult<EngineConfig> {
    let level = env
        .call_method(
            c,
            jni_str!("optLevel"),
            jni_sig!("()Lio/github/wasmtimejvm/Engine$OptLevel;"),
            &[],
        )?
        .l()?;
    let level = env
        .call_method(
            &level,
            jni_str!("name"),
            jni_sig!("()Ljava/lang/String;"),
            &[],
        )?
        .l()?;
    let level = JString::cast_local(env, level)?;
    let level = string(env, &level)?;
    let opt_level = match level.as_str() {
        "NONE" => OptimizationLevel::None,
        "SPEED" => OptimizationLevel::Speed,
        "SPEED_AND_SIZE" => OptimizationLevel::SpeedAndSize,
        other => {
            return Err(
                Error::InvalidArgument(format!("unknown optimisation level {other}")).into(),
            )
        }
    };
    let max_wasm_stack = env
        .call_method(c, jni_str!("maxWasmStack"), jni_sig!("()J"), &[])?
        .j()?;
    let cache = env
        .call_method(
            c,
            jni_str!("cacheDirectory"),
            jni_sig!("()Ljava/nio/file/Path;"),
            &[],
        )?
        .l()?;
    let cache_dir = if cache.is_null() {
        None
    } else {
        let absolute = env
            .call_method(
                &cache,
                jni_str!("toAbsolutePath"),
                jni_sig!("()Ljava/nio/file/Path;"),
                &[],
            )?
            .l()?;
        let text = env
            .call_method(
                &absolute,
                jni_str!("toString"),
                jni_sig!("()Ljava/lang/String;"),
                &[],
            )?
            .l()?;
        let text = JString::cast_local(env, text)?;
        Some(PathBuf::from(string(env, &text)?))
    };
    let key = env
        .call_method(
            c,
            jni_str!("compiledCodeKey"),
            jni_sig!("()Lio/github/wasmtimejvm/CompiledCodeKey;"),
            &[],
        )?
        .l()?;
    let compiled_code_key = if key.is_null() {
        None
    } else {
        let bytes = env
            .call_method(&key, jni_str!("bytes"), jni_sig!("()[B"), &[])?
            .l()?;
        let bytes = JByteArray::cast_local(env, bytes)?;
        Some(CodeKey(env.convert_byte_array(&bytes)?))
    };
    Ok(EngineConfig {
        opt_level,
        consume_fuel: flag!(env, c, "consumeFuel"),
        epoch_interruption: flag!(env, c, "epochInterruption"),
        max_wasm_stack: (max_wasm_stack > 0).then_some(max_wasm_stack as usize),
        parallel_compilation: flag!(env, c, "parallelCompilation"),
        cache_dir,
        concurrency_support: flag!(env, c, "concurrencySupport"),
        signals_based_traps: flag!(env, c, "signalsBasedTraps"),
        wasm_backtrace: flag!(env, c, "wasmBacktrace"),
        component_model_map: flag!(env, c, "componentModelMap"),
        component_model_fixed_length_lists: flag!(env, c, "componentModelFixedLengthLists"),
        compiled_code_key,
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
