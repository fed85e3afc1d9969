//! Natives of `io.github.wasmtimejvm.module.Func`: the dynamic call (value slots in arrays) and
//! the raw path (numbers only, primitives in and out, nothing allocated).

use jni::objects::{JClass, JLongArray};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use super::codec::{read_vals, write_vals};
use crate::core::module::func;
use smallvec::{smallvec, SmallVec};

use crate::core::module::items::{self, RAW_SLOTS};
use crate::core::Result;
use crate::jni::{run, run_hot, store_ref};

fn raw(store: jlong, id: jint, args: &[u64]) -> Result<jlong> {
    let store = unsafe { store_ref(store) };
    let mut out = [0u64; RAW_SLOTS];
    store.enter(|s| func::call_raw(s, id as u32, args, &mut out))?;
    Ok(out[0] as jlong)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Func_raw0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
) -> jlong {
    run_hot(&mut env, || raw(store, id, &[]))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Func_raw1<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    a: jlong,
) -> jlong {
    run_hot(&mut env, || raw(store, id, &[a as u64]))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Func_raw2<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    a: jlong,
    b: jlong,
) -> jlong {
    run_hot(&mut env, || raw(store, id, &[a as u64, b as u64]))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Func_raw3<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    a: jlong,
    b: jlong,
    c: jlong,
) -> jlong {
    run_hot(&mut env, || raw(store, id, &[a as u64, b as u64, c as u64]))
}

#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Func_raw4<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    a: jlong,
    b: jlong,
    c: jlong,
    d: jlong,
) -> jlong {
    run_hot(&mut env, || {
        raw(store, id, &[a as u64, b as u64, c as u64, d as u64])
    })
}

/// Calls with the argument slots in `args` and writes the result slots into `results`: the raw
/// path when the function takes and returns numbers only, else the value path.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Func_call0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jint,
    args: JLongArray<'l>,
    results: JLongArray<'l>,
) {
    run(&mut env, |env| {
        let store = unsafe { store_ref(store) };
        let id = id as u32;
        let n = args.len(env)?;
        let m = results.len(env)?;
        let mut a: SmallVec<[i64; RAW_SLOTS]> = smallvec![0; n];
        args.get_region(env, 0, &mut a)?;
        // One entry into the store: the raw path for numbers only (nothing on the heap for up
        // to 16 slots each way), else the values.
        let out = store.enter(|s| {
            let mut out: SmallVec<[i64; RAW_SLOTS]> = SmallVec::new();
            if items::func_and_raw_sig(&mut s.store, id)?.1.is_some() && n <= RAW_SLOTS {
                let mut slots = [0u64; RAW_SLOTS];
                for (slot, x) in slots.iter_mut().zip(a.iter()) {
                    *slot = *x as u64;
                }
                let mut raw = [0u64; RAW_SLOTS];
                let m = m.min(RAW_SLOTS);
                func::call_raw(s, id, &slots[..n], &mut raw[..m])?;
                out.extend(raw[..m].iter().map(|x| *x as i64));
                return Ok(out);
            }
            let params = items::func_info(&mut s.store, id)?.1;
            let vals = read_vals(&params.sig.params, &a)?;
            let r = func::call(s, id, &vals)?;
            let mut written = Vec::with_capacity(m);
            write_vals(&r, &mut written);
            out.extend(written);
            Ok(out)
        })?;
        results.set_region(env, 0, &out[..out.len().min(m)])?;
        Ok(())
    })
}
