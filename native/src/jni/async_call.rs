//! Natives of `io.github.wasmtimejvm.component.AsyncCall`: calls that run on the engine's
//! executor (`core::async_call`) and complete a Java `CompletableFuture`.
//!
//! The arguments are read from the caller's call buffer before `start0` returns. The results are
//! encoded into a byte array on the worker, which then calls `AsyncCall.completed` (or `failed`
//! with the mapped exception); Java decodes them there and completes the future through its
//! executor. The call holds a global reference to the Java `AsyncCall` until then, which keeps
//! the Java `Store` (and so the native store the call uses) reachable.
//!
//! The engine's workers are Java daemon threads (`AsyncCall.startWorker`) running the worker
//! loop inside the native method `runWorker0`: host functions of the calls then run inside a
//! native method of the library's own class, as on a Java thread that called into wasm, with
//! its `JNIEnv` in `CURRENT_ENV`, and `FindClass` resolves through the library's class loader.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jni::ids::JStaticMethodID;
use jni::objects::{JClass, JObject, JValue};
use jni::refs::Global;
use jni::signature::{Primitive, ReturnType};
use jni::sys::{jint, jlong};
use jni::vm::JavaVM;
use jni::{jni_sig, jni_str, Env, EnvUnowned};

use super::value_codec::{Reader, Writer};
use super::{buffer, exceptions, run, store_ref, JniError, JniResult};
use crate::core::async_call::{self, Cancel};
use crate::core::executor;
use crate::core::{Error, FuncId, Result};

struct Completion {
    class: Global<JClass<'static>>,
    completed: JStaticMethodID,
    failed: JStaticMethodID,
    start_worker: JStaticMethodID,
}

static COMPLETION: OnceLock<Completion> = OnceLock::new();

/// The cancellation of each call in progress, by token.
fn calls() -> &'static Mutex<HashMap<u64, Arc<Cancel>>> {
    static CALLS: OnceLock<Mutex<HashMap<u64, Arc<Cancel>>>> = OnceLock::new();
    CALLS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Ends the token of a call that ended (or never started): cancelling it does nothing now.
fn forget(token: u64) {
    calls()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&token);
}

fn init(env: &mut Env<'_>, class: &JClass<'_>) -> JniResult<()> {
    if COMPLETION.get().is_some() {
        return Ok(());
    }
    let completed = env.get_static_method_id(
        class,
        jni_str!("completed"),
        jni_sig!("(Lio/github/wasmtimejvm/component/AsyncCall;[B)V"),
    )?;
    let failed = env.get_static_method_id(
        class,
        jni_str!("failed"),
        jni_sig!("(Lio/github/wasmtimejvm/component/AsyncCall;Ljava/lang/Throwable;)V"),
    )?;
    let start_worker = env.get_static_method_id(
        class,
        jni_str!("startWorker"),
        jni_sig!("(Ljava/lang/String;JJ)V"),
    )?;
    let class = env.new_global_ref(class)?;
    let _ = COMPLETION.set(Completion {
        class,
        completed,
        failed,
        start_worker,
    });
    executor::set_thread_factory(java_thread);
    Ok(())
}

type Work = Box<dyn FnOnce() + Send>;

/// The executor's thread factory: a Java daemon thread that runs `work` in `runWorker0`.
fn java_thread(name: String, stack: usize, work: Work) -> std::io::Result<()> {
    let upcalls = COMPLETION
        .get()
        .ok_or_else(|| std::io::Error::other("async calls are not initialised"))?;
    let vm = JavaVM::singleton().map_err(|e| std::io::Error::other(format!("no Java VM: {e}")))?;
    let work = Box::into_raw(Box::new(work));
    let started = vm.attach_current_thread(|env| -> JniResult<()> {
        let jname = jni::objects::JString::from_str(env, &name)?;
        // Safety: the method ID belongs to `upcalls.class` and matches these arguments.
        let returned = unsafe {
            env.call_static_method_unchecked(
                &upcalls.class,
                upcalls.start_worker,
                ReturnType::Primitive(Primitive::Void),
                &[
                    JValue::Object(&jname).as_jni(),
                    JValue::Long(stack as i64).as_jni(),
                    JValue::Long(work as i64).as_jni(),
                ],
            )
        };
        if env.exception_check() {
            env.exception_clear();
            return Err(Error::Runtime("Java could not start the thread".into()).into());
        }
        returned.map(|_| ()).map_err(JniError::from)
    });
    started.map_err(|e| {
        // The thread never started, so the work is still ours to free.
        drop(unsafe { Box::from_raw(work) });
        std::io::Error::other(format!("{e:?}"))
    })
}

/// The body of an async worker thread (`AsyncCall.startWorker`): the executor's worker loop,
/// until the engine is gone.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_AsyncCall_runWorker0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    work: jlong,
) {
    run(&mut env, |_| {
        // Safety: `work` is the box `java_thread` made for this thread, handed over once.
        let work = unsafe { Box::from_raw(work as *mut Work) };
        work();
        Ok(())
    })
}

/// Starts the call and returns its token for `cancel0`; throws (and starts nothing, taking
/// nothing the caller passed) when the store is busy or closed or an argument does not fit.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_AsyncCall_start0<'l>(
    mut env: EnvUnowned<'l>,
    class: JClass<'l>,
    store: jlong,
    func: jint,
    arg_length: jint,
    call: JObject<'l>,
) -> jlong {
    run(&mut env, |env| {
        init(env, &class)?;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let token = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let java_call = env.new_global_ref(&call)?;
        let cancel = Cancel::new();
        calls()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(token, cancel.clone());
        // Safety: the Java `AsyncCall` references its `Store`, and the global reference held
        // until `done` runs keeps both reachable, so the native store is not freed before.
        let store = unsafe { store_ref(store) };
        let mut args = Reader::new(buffer::args(arg_length)?);
        let started = async_call::spawn(
            store,
            FuncId(func as u32),
            &mut args,
            Writer(Vec::new()),
            cancel,
            move |result, results: Writer<Vec<u8>>| {
                forget(token);
                complete(java_call, result.map(|()| results.0));
            },
        );
        if let Err(e) = started {
            forget(token);
            return Err(e.into());
        }
        Ok(token as jlong)
    })
}

/// Asks the call with this token to stop; nothing happens when it has ended already.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_AsyncCall_cancel0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    token: jlong,
) {
    run(&mut env, |_| {
        let cancel = calls()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&(token as u64))
            .cloned();
        if let Some(c) = cancel {
            c.cancel();
        }
        Ok(())
    })
}

/// Reports the end of a call to Java, on the worker that ran it.
fn complete(call: Global<JObject<'static>>, outcome: Result<Vec<u8>>) {
    let Some(upcalls) = COMPLETION.get() else {
        return;
    };
    let Ok(vm) = JavaVM::singleton() else {
        return;
    };
    let reported = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        vm.attach_current_thread(|env| -> JniResult<()> {
            let (method, arg) = match outcome {
                Ok(bytes) => (
                    upcalls.completed,
                    JObject::from(env.byte_array_from_slice(&bytes)?),
                ),
                Err(e) => (upcalls.failed, exception(env, &e)?),
            };
            // Safety: the method IDs belong to `upcalls.class` and match these arguments.
            let returned = unsafe {
                env.call_static_method_unchecked(
                    &upcalls.class,
                    method,
                    ReturnType::Primitive(Primitive::Void),
                    &[
                        JValue::Object(call.as_obj()).as_jni(),
                        JValue::Object(&arg).as_jni(),
                    ],
                )
            };
            if env.exception_check() {
                // `completed` and `failed` catch what they can; what escapes them (an
                // OutOfMemoryError) must not stay pending on a worker.
                env.exception_describe();
                env.exception_clear();
            }
            returned.map(|_| ()).map_err(JniError::from)
        })
    }));
    if !matches!(reported, Ok(Ok(()))) {
        eprintln!("wasmtime-jvm: could not report the end of an asynchronous call to Java");
    }
}

/// The Java exception for `err`, as an object (not thrown).
fn exception<'local>(env: &mut Env<'local>, err: &Error) -> JniResult<JObject<'local>> {
    // When making the mapped exception fails, the failure pending instead (an OutOfMemoryError)
    // is what the call reports.
    let _ = exceptions::throw(env, err);
    match env.exception_occurred() {
        Some(t) => {
            env.exception_clear();
            Ok(t.into())
        }
        None => Err(Error::Runtime(format!("no exception was made for: {err}")).into()),
    }
}
