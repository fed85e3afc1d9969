//! The JNI face: one file per Java class, each a thin adapter from `static native` methods
//! taking `long` handles and primitives to the core.
//!
//! Every native method body runs through [`run`], which catches panics, and maps errors to Java
//! exceptions in one place (`exceptions.rs`). Native objects reach Java as addresses of boxed
//! cells: [`Shared`] for thread-safe objects (engine, component, linker, instance-pre), whose
//! `dispose` empties the cell and whose `free` (run by Java's cleaner once the Java object is
//! unreachable) drops it; a store is a boxed `core::Store`, which manages its own closing.

pub(crate) mod buffer;
pub(crate) mod exceptions;
pub(crate) mod type_codec;
pub(crate) mod value_codec;

mod async_call;
mod async_host;
mod call_buffer;
mod component;
mod component_encoder;
mod compose;
mod engine;
mod func;
mod host_function;
mod http;
mod instance;
mod instance_pre;
mod java_fs;
mod linker;
mod module;
mod native_library;
mod resource;
mod scalar_func;
mod store;
mod wasi_config;
mod wit_package;

use std::sync::{Arc, RwLock};

use jni::objects::{JObjectArray, JString};
use jni::sys::jlong;
use jni::{Env, EnvUnowned};

use crate::core;

/// What a native method body can fail with: a core error, or a JNI failure (usually a pending
/// Java exception).
#[derive(Debug)]
pub(crate) enum JniError {
    Core(core::Error),
    Jni(jni::errors::Error),
}

impl From<core::Error> for JniError {
    fn from(e: core::Error) -> Self {
        JniError::Core(e)
    }
}

impl From<jni::errors::Error> for JniError {
    fn from(e: jni::errors::Error) -> Self {
        JniError::Jni(e)
    }
}

pub(crate) type JniResult<T> = Result<T, JniError>;

thread_local! {
    /// The `JNIEnv` of the native method this thread is in (null outside one): host functions
    /// called from wasm during that method use it for their upcalls.
    static CURRENT_ENV: std::cell::Cell<*mut jni::sys::JNIEnv> =
        const { std::cell::Cell::new(std::ptr::null_mut()) };
}

/// Records the current native method's `JNIEnv` for as long as it lives (nesting restores).
struct EnvScope(*mut jni::sys::JNIEnv);

impl EnvScope {
    fn enter(env: *mut jni::sys::JNIEnv) -> EnvScope {
        EnvScope(CURRENT_ENV.with(|c| c.replace(env)))
    }
}

impl Drop for EnvScope {
    fn drop(&mut self) {
        CURRENT_ENV.with(|c| c.set(self.0));
    }
}

/// The `JNIEnv` of the native method running on this thread, if any.
pub(crate) fn current_env() -> *mut jni::sys::JNIEnv {
    CURRENT_ENV.with(|c| c.get())
}

/// Runs a native method body: panics and errors become Java exceptions, and `T::default()` is
/// returned to Java alongside the pending exception.
pub(crate) fn run<'local, T, F>(env: &mut EnvUnowned<'local>, f: F) -> T
where
    T: Default + 'local,
    F: FnOnce(&mut Env<'local>) -> JniResult<T>,
{
    let _quiet = crate::core::panics::Boundary::enter();
    let _scope = EnvScope::enter(env.as_raw());
    env.with_env(f).resolve::<exceptions::ThrowPolicy>()
}

/// The lean form of [`run`] for the hot paths (calls into wasm): the body needs no `Env`, so no
/// JNI work happens unless it fails, when the error or panic is thrown as [`run`] throws it.
pub(crate) fn run_hot<'local, T, F>(env: &mut EnvUnowned<'local>, f: F) -> T
where
    T: Default + 'local,
    F: FnOnce() -> core::Result<T>,
{
    let outcome = {
        let _quiet = crate::core::panics::Boundary::enter();
        let _scope = EnvScope::enter(env.as_raw());
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
    };
    match outcome {
        Ok(Ok(value)) => value,
        Ok(Err(e)) => run(env, |_| Err(JniError::Core(e))),
        Err(payload) => run(env, move |_| -> JniResult<T> {
            std::panic::resume_unwind(payload)
        }),
    }
}

/// A thread-safe native object shared with Java.
pub(crate) struct Shared<T> {
    value: RwLock<Option<Arc<T>>>,
    what: &'static str,
}

impl<T> Shared<T> {
    /// Boxes `value` and returns the address Java keeps.
    pub(crate) fn into_raw(value: T, what: &'static str) -> jlong {
        Self::into_raw_arc(Arc::new(value), what)
    }

    /// Boxes an already shared value.
    pub(crate) fn into_raw_arc(value: Arc<T>, what: &'static str) -> jlong {
        Box::into_raw(Box::new(Shared {
            value: RwLock::new(Some(value)),
            what,
        })) as jlong
    }

    /// The value behind an address from [`Shared::into_raw`].
    ///
    /// # Safety
    /// `address` must come from `into_raw` for this `T` and not be freed yet (Java frees it only
    /// once the owning object is unreachable).
    pub(crate) unsafe fn get(address: jlong) -> core::Result<Arc<T>> {
        let cell = unsafe { &*(address as *const Shared<T>) };
        let guard = cell.value.read().unwrap_or_else(|p| p.into_inner());
        guard.clone().ok_or(core::Error::Closed(cell.what))
    }

    /// Releases the value (other threads in a call keep their own reference until they leave).
    ///
    /// # Safety
    /// As for [`Shared::get`].
    pub(crate) unsafe fn dispose(address: jlong) {
        let cell = unsafe { &*(address as *const Shared<T>) };
        let taken = cell.value.write().unwrap_or_else(|p| p.into_inner()).take();
        drop(taken);
    }

    /// Frees the cell.
    ///
    /// # Safety
    /// As for [`Shared::get`]; no other call may use `address` afterwards.
    pub(crate) unsafe fn free(address: jlong) {
        drop(unsafe { Box::from_raw(address as *mut Shared<T>) });
    }
}

/// The store behind an address from `Store.new0`.
///
/// # Safety
/// The address must come from `Store.new0` and not be freed (Java frees a store only once the
/// `Store` object, which every caller keeps reachable, is unreachable).
pub(crate) unsafe fn store_ref<'a>(address: jlong) -> &'a core::Store {
    unsafe { &*(address as *const core::Store) }
}

/// Reads a Java `String`.
pub(crate) fn string(env: &mut Env<'_>, s: &JString<'_>) -> JniResult<String> {
    Ok(s.try_to_string(env)?)
}

/// Reads a Java `String[]`.
pub(crate) fn strings(
    env: &mut Env<'_>,
    array: &JObjectArray<'_, JString<'_>>,
) -> JniResult<Vec<String>> {
    let n = array.len(env)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let s = array.get_element(env, i)?;
        out.push(string(env, &s)?);
    }
    Ok(out)
}
