//! Asynchronous host functions implemented in Java (`LinkerInstance.funcAsync`): the core
//! callback that starts `HostFunctions.invokeAsync` and waits, holding no thread, for the
//! `CompletionStage` it returned.
//!
//! The call is served in the core's two phases (`call::Serving`). First, on the worker's own
//! stack: the guest's arguments go to Java through the worker's call buffer, and Java calls the
//! user's function and registers a completion on the stage it returns. Then the guest is
//! suspended until that completion calls `completeHost0` (the results, encoded in the completing
//! thread's call buffer, are copied) or `failHost0` (the throwable); the copied results are read
//! into the guest's values with no JNI call. Completions name their call by a token, never by an
//! address: one for a call that ended (it was cancelled) is ignored and reported as not taken.
//!
//! The waiting future runs on the guest's fiber and may be dropped there, so neither it nor its
//! drop calls into the JVM: an outcome it never took (a Java exception among them, whose global
//! reference must be deleted through JNI) is put aside and freed by the next completion, on a
//! Java thread.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Waker};

use jni::ids::JStaticMethodID;
use jni::objects::{JClass, JObject, JThrowable};
use jni::refs::Global;
use jni::sys::{jboolean, jint, jlong};
use jni::{jni_sig, jni_str, Env, EnvUnowned};

use super::host_function::{java_failure, java_store_raw, thrown_failure};
use super::value_codec::{Reader, Writer};
use super::{buffer, run, JniResult};
use crate::core::call::Serving;
use crate::core::error::{Error, Result};
use crate::core::host::{on_caller_stack, AsyncHostCall, AsyncHostCallback};

struct Upcall {
    class: Global<JClass<'static>>,
    invoke_async: JStaticMethodID,
}

static UPCALL: OnceLock<Upcall> = OnceLock::new();

/// Looks up the upcall once, from a native method of the library's own classes.
pub(crate) fn init(env: &mut Env<'_>) -> JniResult<()> {
    if UPCALL.get().is_some() {
        return Ok(());
    }
    let class = env.find_class(jni_str!("io/github/wasmtimejvm/component/HostFunctions"))?;
    let invoke_async = env.get_static_method_id(
        &class,
        jni_str!("invokeAsync"),
        jni_sig!("(Lio/github/wasmtimejvm/component/HostFunctions$Entry;Lio/github/wasmtimejvm/Store;IJ)V"),
    )?;
    let class = env.new_global_ref(class)?;
    let _ = UPCALL.set(Upcall {
        class,
        invoke_async,
    });
    Ok(())
}

/// One host call waiting for its Java stage.
struct Slot {
    /// The function's name, for the failure's message.
    name: String,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    waker: Option<Waker>,
    outcome: Option<Result<Vec<u8>>>,
}

/// The host calls waiting, by token.
fn waiting() -> &'static Mutex<HashMap<u64, Arc<Slot>>> {
    static WAITING: OnceLock<Mutex<HashMap<u64, Arc<Slot>>>> = OnceLock::new();
    WAITING.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Outcomes dropped with their call on a fiber, to be freed on a Java thread.
fn put_aside() -> &'static Mutex<Vec<Result<Vec<u8>>>> {
    static ASIDE: OnceLock<Mutex<Vec<Result<Vec<u8>>>>> = OnceLock::new();
    ASIDE.get_or_init(|| Mutex::new(Vec::new()))
}

/// The future of one host call: ready once Java completed it.
struct Waiting {
    token: u64,
    slot: Arc<Slot>,
}

impl Waiting {
    fn register(name: &str) -> Waiting {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let token = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let slot = Arc::new(Slot {
            name: name.to_owned(),
            state: Mutex::default(),
        });
        lock(waiting()).insert(token, slot.clone());
        Waiting { token, slot }
    }
}

impl Future for Waiting {
    type Output = Result<Vec<u8>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = lock(&self.slot.state);
        match state.outcome.take() {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                match &state.waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => state.waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
    }
}

impl Drop for Waiting {
    /// Forgets the token (a later completion is not taken), and puts aside an outcome that
    /// arrived but was not taken: this may run on a fiber (see the module documentation).
    fn drop(&mut self) {
        lock(waiting()).remove(&self.token);
        if let Some(outcome) = lock(&self.slot.state).outcome.take() {
            lock(put_aside()).push(outcome);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Hands `outcome` to the call waiting under `token`; whether it was still waiting.
fn settle(token: jlong, outcome: impl FnOnce(&str) -> Result<Vec<u8>>) -> bool {
    // On a Java thread: free what calls dropped on their fibers left.
    drop(std::mem::take(&mut *lock(put_aside())));
    let Some(slot) = lock(waiting()).remove(&(token as u64)) else {
        return false;
    };
    let outcome = outcome(&slot.name);
    let waker = {
        let mut state = lock(&slot.state);
        state.outcome = Some(outcome);
        state.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
    true
}

/// The core callback for the asynchronous Java host function `entry` (a `HostFunctions.Entry`
/// whose function returns a `CompletionStage`).
pub(crate) fn callback(name: String, entry: Global<JObject<'static>>) -> AsyncHostCallback {
    Arc::new(move |call: AsyncHostCall<'_>| {
        let AsyncHostCall {
            mut store,
            ty,
            params,
            results,
        } = call;
        let mut serving = Serving::default();
        // The first phase, on the worker's own stack: the closure runs on the guest's fiber (or,
        // for a concurrent function, on the stack polling the guest's tasks).
        let started = store.with(|cx| {
            on_caller_stack(|| {
                let mut sink = Writer(buffer::Output::new());
                serving.write_args(cx, &ty, params, &mut sink)?;
                start(&name, &entry, cx, sink)
            })
        });
        Box::pin(async move {
            let outcome = match started {
                Ok(waiting) => waiting.await,
                Err(e) => Err(e),
            };
            let bytes;
            let source = match outcome {
                Ok(b) => {
                    bytes = b;
                    Ok(Reader::new(&bytes))
                }
                Err(e) => Err(e),
            };
            store.with(|cx| serving.read_results(cx, &ty, results, source))
        })
    })
}

/// Calls `HostFunctions.invokeAsync` with the arguments `written`; the call's future.
fn start(
    name: &str,
    entry: &Global<JObject<'static>>,
    store: &wasmtime::StoreContextMut<'_, crate::core::store::StoreData>,
    written: Writer<buffer::Output>,
) -> Result<Waiting> {
    let upcall = UPCALL
        .get()
        .ok_or_else(|| Error::Runtime("async host function upcall not initialised".into()))?;
    let env = super::current_env();
    if env.is_null() {
        return Err(Error::Runtime(
            "a Java host function was called outside a call from Java".into(),
        ));
    }
    let java_store = java_store_raw(store)?;
    let waiting = Waiting::register(name);
    let jargs = [
        jni::sys::jvalue {
            l: entry.as_obj().as_raw(),
        },
        jni::sys::jvalue { l: java_store },
        jni::sys::jvalue {
            i: written.0.finish(),
        },
        jni::sys::jvalue {
            j: waiting.token as jlong,
        },
    ];
    // Safety: `env` is the JNIEnv of the native method running on this thread (an async worker
    // or the thread instantiating), and the IDs match `invokeAsync`'s signature.
    let thrown = unsafe {
        let interface: *const jni::sys::JNINativeInterface_ = *env;
        ((*interface).v1_1.CallStaticVoidMethodA)(
            env,
            upcall.class.as_obj().as_raw(),
            upcall.invoke_async.into_raw(),
            jargs.as_ptr(),
        );
        ((*interface).v1_2.ExceptionCheck)(env)
    };
    if thrown {
        // Dropping `waiting` forgets the token: a completion Java registered anyway is ignored.
        return Err(thrown_failure(env, name));
    }
    Ok(waiting)
}

/// Completes the host call `token` with the results Java encoded in this thread's call buffer
/// (`length` as `HostFunctions.invoke` returns it); whether the call was still waiting for them.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_HostFunctions_completeHost0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    token: jlong,
    length: jint,
) -> jboolean {
    run(&mut env, |_| {
        if !lock(waiting()).contains_key(&(token as u64)) {
            return Ok(false);
        }
        let bytes = buffer::args(length)?.to_vec();
        Ok(settle(token, |_| Ok(bytes)))
    })
}

/// Fails the host call `token` with `error` (the guest traps, and the caller's exception has
/// `error` as its cause); whether the call was still waiting.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_HostFunctions_failHost0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    token: jlong,
    error: JThrowable<'l>,
) -> jboolean {
    run(&mut env, |env| {
        Ok(settle(token, |name| {
            // `java_failure` describes the pending exception: make `error` pending (`throw`
            // reports success as `Err(JavaException)`; what is pending after it is what counts).
            let _ = env.throw(&error);
            let made = java_failure(env, name);
            Err(made.unwrap_or_else(|e| {
                env.exception_clear();
                Error::Host {
                    message: format!("host function `{name}` failed: {e:?}"),
                    payload: None,
                }
            }))
        }))
    })
}
