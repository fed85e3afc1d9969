//! Natives of `io.github.wasmtimejvm.module.Linker`, and the upcall that runs a Java core host
//! function (`module.HostFunctions.invoke`) on the thread running the guest.

use std::sync::{Arc, OnceLock};

use jni::ids::JStaticMethodID;
use jni::objects::{JByteArray, JClass, JObject, JString};
use jni::refs::Global;
use jni::sys::{jboolean, jint, jlong};
use jni::{jni_sig, jni_str, Env, EnvUnowned};

use super::codec::{read_sig, read_vals, slot_count, write_vals};
use crate::core::module::linker::{CoreHostCallback, CoreLinker};
use crate::core::module::Module;
use crate::core::{Engine, Error, Result};
use crate::jni::host_function::{thrown_failure, JavaStore};
use crate::jni::{run, store_ref, string, JniResult, Shared};

struct Upcall {
    class: Global<JClass<'static>>,
    invoke: JStaticMethodID,
}

static UPCALL: OnceLock<Upcall> = OnceLock::new();

fn init(env: &mut Env<'_>) -> JniResult<()> {
    if UPCALL.get().is_some() {
        return Ok(());
    }
    let class = env.find_class(jni_str!("io/github/wasmtimejvm/module/HostFunctions"))?;
    let invoke = env.get_static_method_id(
        &class,
        jni_str!("invoke"),
        jni_sig!("(Ljava/lang/Object;Lio/github/wasmtimejvm/Store;[J[J)V"),
    )?;
    let class = env.new_global_ref(class)?;
    let _ = UPCALL.set(Upcall { class, invoke });
    Ok(())
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_new0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
) -> jlong {
    run(&mut env, |env| {
        init(env)?;
        let engine = unsafe { Shared::<Engine>::get(engine) }?;
        Ok(Shared::into_raw(CoreLinker::new(&engine), "Linker"))
    })
}

/// The core callback for the Java host function `entry` (a `module.HostFunctions.Entry`).
fn callback(
    name: String,
    param_slots: usize,
    result_slots: usize,
    entry: Global<JObject<'static>>,
) -> CoreHostCallback {
    Arc::new(move |info, args, results| {
        let upcall = UPCALL
            .get()
            .ok_or_else(|| Error::Runtime("host function upcall not initialised".into()))?;
        let env = crate::jni::current_env();
        if env.is_null() {
            return Err(Error::Runtime(
                "a Java host function was called outside a call from Java".into(),
            ));
        }
        let java_store = info
            .adapter
            .and_then(|a| a.downcast_ref::<JavaStore>())
            .map(|s| s.0.as_raw())
            .ok_or_else(|| Error::Runtime("the Java Store of this call is gone".into()))?;
        let mut slots = Vec::with_capacity(param_slots);
        write_vals(args, &mut slots);
        let kinds: Vec<_> = results.iter().map(|r| r.kind()).collect();
        // Safety: this thread's JNIEnv inside a native method.
        let mut unowned = unsafe { EnvUnowned::from_raw(env) };
        let outcome = unowned
            .with_env_no_catch(|env| -> JniResult<Option<Vec<i64>>> {
                let jargs = env.new_long_array(slots.len())?;
                jargs.set_region(env, 0, &slots)?;
                let jresults = env.new_long_array(result_slots)?;
                let call_args = [
                    jni::sys::jvalue {
                        l: entry.as_obj().as_raw(),
                    },
                    jni::sys::jvalue { l: java_store },
                    jni::sys::jvalue { l: jargs.as_raw() },
                    jni::sys::jvalue {
                        l: jresults.as_raw(),
                    },
                ];
                // Safety: the IDs match `invoke`'s signature; the arguments are live references.
                let thrown = unsafe {
                    let interface: *const jni::sys::JNINativeInterface_ = *env.get_raw();
                    ((*interface).v1_1.CallStaticVoidMethodA)(
                        env.get_raw(),
                        upcall.class.as_obj().as_raw(),
                        upcall.invoke.into_raw(),
                        call_args.as_ptr(),
                    );
                    ((*interface).v1_2.ExceptionCheck)(env.get_raw())
                };
                if thrown {
                    env.delete_local_ref(jargs);
                    env.delete_local_ref(jresults);
                    return Ok(None);
                }
                let mut out = vec![0i64; result_slots];
                jresults.get_region(env, 0, &mut out)?;
                env.delete_local_ref(jargs);
                env.delete_local_ref(jresults);
                Ok(Some(out))
            })
            .into_outcome();
        let out = match outcome {
            jni::Outcome::Ok(Some(out)) => out,
            jni::Outcome::Ok(None) => return Err(thrown_failure(env, &name)),
            jni::Outcome::Err(e) => {
                return Err(match e {
                    crate::jni::JniError::Core(e) => e,
                    crate::jni::JniError::Jni(_) if unsafe_exception_pending(env) => {
                        thrown_failure(env, &name)
                    }
                    crate::jni::JniError::Jni(e) => {
                        Error::Runtime(format!("JNI failure in host function `{name}`: {e}"))
                    }
                })
            }
            jni::Outcome::Panic(p) => std::panic::resume_unwind(p),
        };
        let vals = read_vals(&kinds, &out)?;
        results.copy_from_slice(&vals);
        Ok(())
    })
}

fn unsafe_exception_pending(env: *mut jni::sys::JNIEnv) -> bool {
    // Safety: this thread's JNIEnv inside a native method.
    unsafe {
        let interface: *const jni::sys::JNINativeInterface_ = *env;
        ((*interface).v1_2.ExceptionCheck)(env)
    }
}

fn linker(address: jlong) -> Result<Arc<CoreLinker>> {
    unsafe { Shared::<CoreLinker>::get(address) }
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_func0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    module: JString<'l>,
    name: JString<'l>,
    sig: JByteArray<'l>,
    entry: JObject<'l>,
) {
    run(&mut env, |env| {
        let module = string(env, &module)?;
        let name = string(env, &name)?;
        let sig = read_sig(&env.convert_byte_array(&sig)?)?;
        let entry = env.new_global_ref(entry)?;
        let cb = callback(
            format!("{module}::{name}"),
            slot_count(&sig.params),
            slot_count(&sig.results),
            entry,
        );
        linker(address)?.define_func(&module, &name, &sig, cb)?;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_wasi0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| Ok(linker(address)?.define_wasi()?))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_shadowing0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    allow: jboolean,
) {
    run(&mut env, |_| {
        linker(address)?.allow_shadowing(allow);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_unknownTraps0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    enable: jboolean,
) {
    run(&mut env, |_| {
        linker(address)?.define_unknown_imports_as_traps(enable);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_define0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
    module: JString<'l>,
    name: JString<'l>,
    id: jint,
) {
    run(&mut env, |env| {
        let module = string(env, &module)?;
        let name = string(env, &name)?;
        let store = unsafe { store_ref(store) };
        Ok(linker(address)?.define(store, &module, &name, id as u32)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_defineInstance0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
    name: JString<'l>,
    instance: jint,
) {
    run(&mut env, |env| {
        let name = string(env, &name)?;
        let store = unsafe { store_ref(store) };
        Ok(linker(address)?.define_instance(store, &name, instance as u32)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_defineModule0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
    name: JString<'l>,
    module: jlong,
) {
    run(&mut env, |env| {
        let name = string(env, &name)?;
        let store = unsafe { store_ref(store) };
        let module = unsafe { Shared::<Module>::get(module) }?;
        Ok(linker(address)?.define_module(store, &name, &module)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_instantiate0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
    module: jlong,
) -> jint {
    run(&mut env, |_| {
        let store = unsafe { store_ref(store) };
        let module = unsafe { Shared::<Module>::get(module) }?;
        Ok(linker(address)?.instantiate(store, &module)? as jint)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_dispose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<CoreLinker>::dispose(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_module_Linker_free0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<CoreLinker>::free(address) };
        Ok(())
    })
}
