//! Natives of `io.github.wasmtimejvm.component.ScalarFunc`: the allocation-free fast path.

use jni::objects::{JClass, JLongArray};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use super::{run, run_hot, store_ref};
use crate::core::func::MAX_SCALAR_PARAMS;
use crate::core::{Error, FuncId};

fn call(store: jlong, func: jint, args: &[u64]) -> crate::core::Result<jlong> {
    let store = unsafe { store_ref(store) };
    Ok(store.enter(|s| s.call_scalar(FuncId(func as u32), args))? as jlong)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_ScalarFunc_call0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
) -> jlong {
    run_hot(&mut env, || call(store, func, &[]))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_ScalarFunc_call1<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    a: jlong,
) -> jlong {
    run_hot(&mut env, || call(store, func, &[a as u64]))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_ScalarFunc_call2<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    a: jlong,
    b: jlong,
) -> jlong {
    run_hot(&mut env, || call(store, func, &[a as u64, b as u64]))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_ScalarFunc_call3<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    a: jlong,
    b: jlong,
    c: jlong,
) -> jlong {
    run_hot(&mut env, || {
        call(store, func, &[a as u64, b as u64, c as u64])
    })
}

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_ScalarFunc_call4<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    a: jlong,
    b: jlong,
    c: jlong,
    d: jlong,
) -> jlong {
    run_hot(&mut env, || {
        call(store, func, &[a as u64, b as u64, c as u64, d as u64])
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_ScalarFunc_callN<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    args: JLongArray<'l>,
) -> jlong {
    run(&mut env, |env| {
        let n = args.len(env)?;
        if n > MAX_SCALAR_PARAMS {
            return Err(Error::InvalidArgument(format!(
                "the scalar fast path takes at most {MAX_SCALAR_PARAMS} arguments, got {n}"
            ))
            .into());
        }
        let mut buf = [0i64; MAX_SCALAR_PARAMS];
        args.get_region(env, 0, &mut buf[..n])?;
        let slots: Vec<u64> = buf[..n].iter().map(|v| *v as u64).collect();
        Ok(call(store, func, &slots)?)
    })
}
