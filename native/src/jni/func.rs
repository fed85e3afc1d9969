//! Natives of `io.github.wasmtimejvm.component.Func`: the dynamic call through the call buffer.

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use smallvec::SmallVec;
use wasmtime::component::Val;
use wasmtime::AsContextMut;

use super::value_codec::{write_val, Reader};
use super::{buffer, run, run_hot, store_ref, string, type_codec};
use crate::core::func::call_func;
use crate::core::wave;
use crate::core::{Error, FuncId};

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_type0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let ty = unsafe { store_ref(store) }.enter(|s| s.func_type(FuncId(func as u32)))?;
        let mut out = Vec::new();
        type_codec::func_type(&mut out, &ty);
        Ok(env.byte_array_from_slice(&out)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_call0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    arg_length: jint,
) -> jint {
    run_hot(&mut env, || {
        let id = FuncId(func as u32);
        unsafe { store_ref(store) }.enter(|s| {
            s.with_func(id, |ty, func, store| {
                let mut reader = Reader::new(buffer::args(arg_length)?);
                let mut results: SmallVec<[Val; 1]> =
                    ty.results.iter().map(|_| Val::Bool(false)).collect();
                let called = (|| {
                    let mut params: SmallVec<[Val; 4]> = SmallVec::with_capacity(ty.params.len());
                    for (_, t) in &ty.params {
                        params.push(reader.val(t, &mut store.as_context_mut())?);
                    }
                    // Every argument read: owned resources now pass to the callee.
                    reader.take_owned(&mut store.as_context_mut())?;
                    call_func(func, store, &params, &mut results)
                })();
                // Host objects lent as borrows (and owned ones the call never took) leave the
                // host table whether or not the call succeeded.
                reader.release_host_handles(&mut store.as_context_mut());
                called?;
                {
                    let mut out = buffer::Output::new();
                    for (v, t) in results.iter().zip(&ty.results) {
                        write_val(&mut out, v, t, &mut store.as_context_mut())?;
                    }
                    Ok(out.finish())
                }
            })
        })
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_parseWave0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    arguments: JString<'l>,
) -> jint {
    run(&mut env, |env| {
        let text = string(env, &arguments)?;
        let id = FuncId(func as u32);
        let length = unsafe { store_ref(store) }.enter(|s| {
            let vals = s.wave_arguments(id, &text)?;
            let ty = s.func_type(id)?;
            {
                let mut out = buffer::Output::new();
                for (v, (_, t)) in vals.iter().zip(&ty.params) {
                    write_val(&mut out, v, t, &mut s.store.as_context_mut())?;
                }
                Ok(out.finish())
            }
        })?;
        Ok(length)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_formatWave0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    index: jint,
    length: jint,
) -> JString<'l> {
    run(&mut env, |env| {
        let id = FuncId(func as u32);
        let text = unsafe { store_ref(store) }.enter(|s| {
            let ty = s.func_type(id)?;
            let t = ty
                .results
                .get(index as usize)
                .ok_or_else(|| Error::InvalidArgument(format!("no result {index}")))?;
            // Printing does not consume: an owned resource stays with the host.
            let mut reader = Reader::lending(buffer::args(length)?);
            let val = reader.val(t, &mut s.store.as_context_mut());
            reader.release_host_handles(&mut s.store.as_context_mut());
            wave::to_wave(&val?)
        })?;
        Ok(JString::from_str(env, text)?)
    })
}
