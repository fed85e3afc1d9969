//! Host functions implemented in Java: the core callback that calls
//! `io.github.wasmtimejvm.component.HostFunctions.invoke` on the thread running the guest.
//!
//! Arguments go to Java through the thread's call buffer, results come back the same way. The
//! class and method ID of the upcall are looked up once. A Java exception becomes a host failure
//! that carries the exception, so the caller's `TrapException` gets it as its cause. The call's
//! sequence (and that `borrow` arguments are lent to Java for the duration of the call only) is
//! the core's `call::serve`.

use std::sync::{Arc, OnceLock};

use jni::ids::JStaticMethodID;
use jni::objects::{JClass, JObject, JString, JThrowable, JValue};
use jni::refs::{Global, Weak};
use jni::signature::{Primitive, ReturnType};
use jni::vm::JavaVM;
use jni::{jni_sig, jni_str, Env};

use super::exceptions::JavaException;
use super::value_codec::{Reader, Writer};
use super::{buffer, JniError, JniResult};
use crate::core::call;
use crate::core::error::{Error, HostPayload, Result};
use crate::core::host::{HostCall, HostCallback, HostDestructor, ScalarHostCallback};
use crate::core::store::StoreData;
use wasmtime::StoreContextMut;

/// What the JNI face keeps in a store: a weak reference to its Java `Store`, which host
/// functions receive.
pub(crate) struct JavaStore(pub Weak<JObject<'static>>);

struct Upcall {
    class: Global<JClass<'static>>,
    invoke: JStaticMethodID,
    invoke_scalar: JStaticMethodID,
    drop_resource: JStaticMethodID,
}

static UPCALL: OnceLock<Upcall> = OnceLock::new();

/// Looks up the upcall once, from a native method of the library's own classes (so that the
/// right class loader finds it).
pub(crate) fn init(env: &mut Env<'_>) -> JniResult<()> {
    if UPCALL.get().is_some() {
        return Ok(());
    }
    let class = env.find_class(jni_str!("io/github/wasmtimejvm/component/HostFunctions"))?;
    let invoke = env.get_static_method_id(
        &class,
        jni_str!("invoke"),
        jni_sig!("(Lio/github/wasmtimejvm/component/HostFunctions$Entry;Lio/github/wasmtimejvm/Store;I)I"),
    )?;
    let invoke_scalar = env.get_static_method_id(
        &class,
        jni_str!("invokeScalar"),
        jni_sig!("(Lio/github/wasmtimejvm/component/HostFunctions$Entry;IJJJJ)J"),
    )?;
    let drop_resource = env.get_static_method_id(
        &class,
        jni_str!("dropResource"),
        jni_sig!("(Lio/github/wasmtimejvm/Store;I)V"),
    )?;
    let class = env.new_global_ref(class)?;
    let _ = UPCALL.set(Upcall {
        class,
        invoke,
        invoke_scalar,
        drop_resource,
    });
    Ok(())
}

/// The core callback for the Java host function `entry` (a `HostFunctions.Entry`).
pub(crate) fn callback(name: String, entry: Global<JObject<'static>>) -> HostCallback {
    Arc::new(move |call: HostCall<'_>| invoke(&name, &entry, call))
}

/// The core callback for an all-scalar Java host function: arguments and result travel as
/// primitives, with no call buffer and no local frame.
pub(crate) fn scalar_callback(name: String, entry: Global<JObject<'static>>) -> ScalarHostCallback {
    Arc::new(move |store: StoreContextMut<'_, StoreData>, args: &[u64]| {
        invoke_scalar(&name, &entry, store, args)
    })
}

fn invoke_scalar(
    name: &str,
    entry: &Global<JObject<'static>>,
    _store: StoreContextMut<'_, StoreData>,
    args: &[u64],
) -> Result<u64> {
    let upcall = UPCALL
        .get()
        .ok_or_else(|| Error::Runtime("host function upcall not initialised".into()))?;
    let env = super::current_env();
    if env.is_null() {
        return Err(Error::Runtime(
            "a Java host function was called outside a call from Java".into(),
        ));
    }
    let slot = |i: usize| jni::sys::jvalue {
        j: args.get(i).copied().unwrap_or(0) as i64,
    };
    let jargs = [
        jni::sys::jvalue {
            l: entry.as_obj().as_raw(),
        },
        jni::sys::jvalue {
            i: args.len() as i32,
        },
        slot(0),
        slot(1),
        slot(2),
        slot(3),
    ];
    // Two raw JNI calls on the hot path: the upcall and the exception check. The class, method
    // and entry are global references and the arguments primitives, so no local reference is
    // made.
    // Safety: `env` is the JNIEnv of the native method running on this thread (host functions
    // run on the thread that called into wasm), and the IDs match `invokeScalar`'s signature.
    let (result, thrown) = unsafe {
        let interface: *const jni::sys::JNINativeInterface_ = *env;
        let result = ((*interface).v1_1.CallStaticLongMethodA)(
            env,
            upcall.class.as_obj().as_raw(),
            upcall.invoke_scalar.into_raw(),
            jargs.as_ptr(),
        );
        (result, ((*interface).v1_2.ExceptionCheck)(env))
    };
    if !thrown {
        return Ok(result as u64);
    }
    Err(thrown_failure(env, name))
}

/// The destructor of a host resource type: tells Java the guest dropped `rep`.
pub(crate) fn destructor(name: String) -> HostDestructor {
    Arc::new(move |store: StoreContextMut<'_, StoreData>, rep: u32| {
        drop_resource(&name, store, rep)
    })
}

fn java_store<'local>(
    env: &mut Env<'local>,
    store: &StoreContextMut<'_, StoreData>,
) -> JniResult<JObject<'local>> {
    match store
        .data()
        .adapter
        .as_ref()
        .and_then(|a| a.downcast_ref::<JavaStore>())
    {
        Some(s) => s.0.upgrade_local(env)?,
        None => None,
    }
    .ok_or_else(|| Error::Runtime("the Java Store of this call is gone".into()).into())
}

fn drop_resource(name: &str, store: StoreContextMut<'_, StoreData>, rep: u32) -> Result<()> {
    let vm = JavaVM::singleton().map_err(|e| Error::Runtime(format!("no Java VM: {e}")))?;
    let outcome = vm.with_local_frame(8, |env| -> JniResult<Result<()>> {
        let upcall = UPCALL
            .get()
            .ok_or_else(|| Error::Runtime("host resource upcall not initialised".into()))?;
        let java_store = java_store(env, &store)?;
        let returned = unsafe {
            env.call_static_method_unchecked(
                &upcall.class,
                upcall.drop_resource,
                ReturnType::Primitive(Primitive::Void),
                &[
                    JValue::Object(&java_store).as_jni(),
                    JValue::Int(rep as i32).as_jni(),
                ],
            )
        };
        if env.exception_check() {
            return Ok(Err(java_failure(env, &format!("{name} destructor"))?));
        }
        returned?;
        Ok(Ok(()))
    });
    outcome.map_err(jni_error)?
}

/// The Java Store of a call, as the weak global reference the store keeps: JNI accepts it as an
/// argument, and the Store is strongly reachable for the whole call (the Java caller, or the
/// Java `AsyncCall`, holds it), so no local reference is made.
pub(crate) fn java_store_raw(store: &StoreContextMut<'_, StoreData>) -> Result<jni::sys::jobject> {
    store
        .data()
        .adapter
        .as_ref()
        .and_then(|a| a.downcast_ref::<JavaStore>())
        .map(|s| s.0.as_raw())
        .ok_or_else(|| Error::Runtime("the Java Store of this call is gone".into()))
}

fn jni_error(e: JniError) -> Error {
    match e {
        JniError::Core(e) => e,
        JniError::Jni(e) => Error::Runtime(format!("JNI failure in a host function: {e}")),
    }
}

fn invoke(name: &str, entry: &Global<JObject<'static>>, call: HostCall<'_>) -> Result<()> {
    let HostCall {
        store,
        ty,
        params,
        results,
    } = call;
    let upcall = UPCALL
        .get()
        .ok_or_else(|| Error::Runtime("host function upcall not initialised".into()))?;
    let env = super::current_env();
    if env.is_null() {
        return Err(Error::Runtime(
            "a Java host function was called outside a call from Java".into(),
        ));
    }
    let java_store = java_store_raw(&store)?;

    let upcall_class = upcall.class.as_obj().as_raw();
    let invoke_id = upcall.invoke.into_raw();
    call::serve(
        store,
        ty,
        params,
        results,
        Writer(buffer::Output::new()),
        |written| {
            let jargs = [
                jni::sys::jvalue {
                    l: entry.as_obj().as_raw(),
                },
                jni::sys::jvalue { l: java_store },
                jni::sys::jvalue {
                    i: written.0.finish(),
                },
            ];
            // Safety: `env` is the JNIEnv of the native method running on this thread (host
            // functions run on the thread that called into wasm), and the IDs match `invoke`'s
            // signature.
            let (returned, thrown) = unsafe {
                let interface: *const jni::sys::JNINativeInterface_ = *env;
                let returned = ((*interface).v1_1.CallStaticIntMethodA)(
                    env,
                    upcall_class,
                    invoke_id,
                    jargs.as_ptr(),
                );
                (returned, ((*interface).v1_2.ExceptionCheck)(env))
            };
            if thrown {
                return Err(thrown_failure(env, name));
            }
            Ok(Reader::new(buffer::args(returned)?))
        },
    )
}

/// The host failure for the Java exception pending on `env` (which it clears).
pub(crate) fn thrown_failure(env: *mut jni::sys::JNIEnv, name: &str) -> Error {
    // Safety: `env` is this thread's JNIEnv, inside a native method.
    let mut unowned = unsafe { jni::EnvUnowned::from_raw(env) };
    let failure = unowned
        .with_env_no_catch(|env| -> JniResult<Error> {
            // In a frame of its own: an async worker stays in one native method for its life,
            // so local references made here would otherwise pile up.
            env.with_local_frame(8, |env| java_failure(env, name))
        })
        .into_outcome();
    match failure {
        jni::Outcome::Ok(e) => e,
        jni::Outcome::Err(e) => jni_error(e),
        jni::Outcome::Panic(p) => std::panic::resume_unwind(p),
    }
}

/// Takes the pending Java exception and turns it into a host failure carrying it.
pub(crate) fn java_failure(env: &mut Env<'_>, name: &str) -> JniResult<Error> {
    let throwable: JThrowable<'_> = match env.exception_occurred() {
        Some(t) => t,
        None => {
            return Ok(Error::Host {
                message: format!("host function `{name}` failed"),
                payload: None,
            })
        }
    };
    env.exception_clear();
    let text = env
        .call_method(
            &throwable,
            jni_str!("toString"),
            jni_sig!("()Ljava/lang/String;"),
            &[],
        )
        .and_then(|v| v.l());
    let description = match text {
        Ok(obj) if !obj.is_null() => {
            let s = JString::cast_local(env, obj)?;
            s.try_to_string(env)?
        }
        _ => {
            env.exception_clear();
            "a Java exception".to_owned()
        }
    };
    let global = env.new_global_ref(throwable)?;
    Ok(Error::Host {
        message: format!("host function `{name}` threw {description}"),
        payload: Some(HostPayload(Arc::new(JavaException(global)))),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use wasmtime::component::Val;

    use super::*;
    use crate::core::testing::fixture;
    use crate::core::types::ValType;
    use crate::core::{Component, Engine, EngineConfig, Store, StoreOptions};
    use crate::jni::value_codec::tests::{bucket, kv_linker, APP};

    /// `get` handling its `self` as `invoke` does for a borrow of a resource that is not a
    /// host-defined type: through the core's `serve`, which keeps it in the store's host-held
    /// resources for the call and ends it (`end`), or merely kept there and never ended.
    fn get_through_the_slab(end: bool) -> HostCallback {
        Arc::new(move |call: HostCall<'_>| {
            let HostCall {
                mut store,
                ty,
                params,
                results,
            } = call;
            if !end {
                if let Val::Resource(r) = &params[0] {
                    store.data_mut().resources.insert(*r);
                }
                results[0] = Val::Option(None);
                return Ok(());
            }
            let none = [0u8];
            call::serve(store, ty, params, results, Writer(Vec::new()), |written| {
                // The borrow was written as a guest resource the host holds.
                assert_eq!(written.0[0], 0, "tag of a held guest resource");
                Ok(Reader::new(&none))
            })
        })
    }

    fn roundtrip(end: bool) -> (Result<()>, u32) {
        let drops = Arc::new(AtomicU32::new(0));
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(&engine, &fixture("kv-host")).unwrap();
        let linker = kv_linker(
            &engine,
            drops.clone(),
            ValType::Borrow(bucket(None)),
            get_through_the_slab(end),
        );
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let id = linker.instantiate(&store, &component).unwrap();
        let outcome = store.enter(|s| {
            let f = s.instance_func(id, &[APP, "roundtrip"])?;
            let mut out = [Val::Bool(false)];
            s.call(
                f,
                &[Val::String("k".into()), Val::String("v".into())],
                &mut out,
            )?;
            assert_eq!(out[0], Val::Option(None));
            assert_eq!(s.live_resources(), 0);
            Ok(())
        });
        (outcome, drops.load(Ordering::SeqCst))
    }

    #[test]
    fn borrows_a_host_function_received_end_with_the_call() {
        let (outcome, drops) = roundtrip(true);
        outcome.unwrap();
        assert_eq!(
            drops, 1,
            "the guest's drop of its own bucket ran the destructor"
        );
    }

    #[test]
    fn a_borrow_left_in_the_host_table_fails_the_call() {
        // What `end_borrows` prevents: wasmtime refuses to return from a host function that
        // leaves a borrow it received undropped.
        let (outcome, _) = roundtrip(false);
        let err = outcome.unwrap_err();
        assert!(
            err.to_string()
                .contains("borrow handles still remain at the end of the call"),
            "{err}"
        );
    }
}
