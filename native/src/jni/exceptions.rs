//! The one place where core errors become Java exceptions.
//!
//! | core error | Java exception |
//! |---|---|
//! | `Compile` | `io.github.wasmtimejvm.CompileException` |
//! | `Link` | `io.github.wasmtimejvm.LinkException` |
//! | `Trap` | `io.github.wasmtimejvm.TrapException` (code, wasm backtrace) |
//! | `Host` | `TrapException` with code `HOST` and the host function's exception as cause |
//! | `InvalidArgument`, `Mismatch` | `java.lang.IllegalArgumentException` |
//! | `OutOfBounds` | `java.lang.IndexOutOfBoundsException` |
//! | `UnknownExport` | `io.github.wasmtimejvm.UnknownExportException` (lists the exports) |
//! | `Closed`, `StoreBusy`, `Resource` | `java.lang.IllegalStateException` |
//! | `Io` | `java.io.UncheckedIOException` |
//! | `Exit` | `io.github.wasmtimejvm.WasiExitException` |
//! | `Http` | `io.github.wasmtimejvm.http.HttpHandlerException` |
//! | `Cancelled` | `java.util.concurrent.CancellationException` |
//! | `Runtime`, a Rust panic | `io.github.wasmtimejvm.WasmtimeException` |

use std::any::Any;

use jni::errors::ErrorPolicy;
use jni::objects::{JClass, JObject, JString, JThrowable, JValue};
use jni::refs::Global;
use jni::strings::JNIString;
use jni::{jni_sig, jni_str, Env};

use super::JniError;
use crate::core::error::{trap_number, Error, HostPayload, TRAP_HOST};
use crate::core::panics::panic_message;

/// The error policy of every native method: throw the mapped exception unless one is already
/// pending (a Java exception raised during the call wins).
pub(crate) struct ThrowPolicy;

impl<T: Default> ErrorPolicy<T, JniError> for ThrowPolicy {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut Self::Captures<'unowned_env_local, 'native_method>,
        err: JniError,
    ) -> jni::errors::Result<T> {
        if env.exception_check() {
            return Ok(T::default());
        }
        match err {
            JniError::Core(e) => throw(env, &e)?,
            JniError::Jni(e) => throw_new(
                env,
                jni_str!("io/github/wasmtimejvm/WasmtimeException"),
                &format!("JNI failure: {e}"),
            )?,
        }
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut Self::Captures<'unowned_env_local, 'native_method>,
        payload: Box<dyn Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        let message = panic_message(payload.as_ref());
        if !env.exception_check() {
            throw_new(
                env,
                jni_str!("io/github/wasmtimejvm/WasmtimeException"),
                &format!(
                    "internal error in the wasmtime-jvm native library (Rust panic): {message}"
                ),
            )?;
        }
        Ok(T::default())
    }
}

fn throw_new(
    env: &mut Env<'_>,
    class: &jni::strings::JNIStr,
    message: &str,
) -> jni::errors::Result<()> {
    env.throw_new(class, JNIString::from(message))
}

fn jstring<'local>(env: &mut Env<'local>, s: &str) -> jni::errors::Result<JString<'local>> {
    JString::from_str(env, s)
}

/// The Java exception a host function threw, carried through the guest as the error payload.
pub(crate) struct JavaException(pub Global<JThrowable<'static>>);

/// Throws the Java exception for `err`.
pub(crate) fn throw(env: &mut Env<'_>, err: &Error) -> jni::errors::Result<()> {
    match err {
        Error::Compile { message } => throw_new(
            env,
            jni_str!("io/github/wasmtimejvm/CompileException"),
            message,
        ),
        Error::Link { message } => throw_new(
            env,
            jni_str!("io/github/wasmtimejvm/LinkException"),
            message,
        ),
        Error::Trap(info) => throw_trap(
            env,
            &info.message,
            trap_number(info.code),
            &info.backtrace_text(),
            None,
        ),
        Error::Host { message, payload } => {
            let cause = host_cause(payload);
            throw_trap(env, message, TRAP_HOST, "", cause)
        }
        Error::InvalidArgument(m) | Error::Mismatch(m) => {
            throw_new(env, jni_str!("java/lang/IllegalArgumentException"), m)
        }
        Error::OutOfBounds(m) => throw_new(env, jni_str!("java/lang/IndexOutOfBoundsException"), m),
        Error::UnknownExport { name, available } => {
            let class = env.find_class(jni_str!("io/github/wasmtimejvm/UnknownExportException"))?;
            let message = jstring(env, &err.to_string())?;
            let jname = jstring(env, name)?;
            let string_class = env.find_class(jni_str!("java/lang/String"))?;
            let array =
                env.new_object_array(available.len() as i32, &string_class, JObject::null())?;
            for (i, a) in available.iter().enumerate() {
                let s = jstring(env, a)?;
                array.set_element(env, i, &s)?;
                // One local reference per name would outgrow the frame of a component with
                // many exports (`-Xcheck:jni` warns past 32).
                env.delete_local_ref(s);
            }
            let obj = env.new_object(
                &class,
                jni_sig!("(Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;)V"),
                &[
                    JValue::Object(&message),
                    JValue::Object(&jname),
                    JValue::Object(&array),
                ],
            )?;
            {
                let t = JThrowable::cast_local(env, obj)?;
                env.throw(t)
            }
        }
        Error::Closed(_) | Error::StoreBusy(_) | Error::Resource(_) | Error::NeedsAsync => {
            throw_new(
                env,
                jni_str!("java/lang/IllegalStateException"),
                &err.to_string(),
            )
        }
        Error::Io(m) => {
            let message = jstring(env, m)?;
            let io = env.new_object(
                jni_str!("java/io/IOException"),
                jni_sig!("(Ljava/lang/String;)V"),
                &[JValue::Object(&message)],
            )?;
            let unchecked = env.new_object(
                jni_str!("java/io/UncheckedIOException"),
                jni_sig!("(Ljava/lang/String;Ljava/io/IOException;)V"),
                &[JValue::Object(&message), JValue::Object(&io)],
            )?;
            {
                let t = JThrowable::cast_local(env, unchecked)?;
                env.throw(t)
            }
        }
        Error::Timeout(limit) => throw_new(
            env,
            jni_str!("io/github/wasmtimejvm/TimeoutException"),
            &format!(
                "the guest ran past its time limit of {} ms and was interrupted",
                limit.as_millis()
            ),
        ),
        Error::Cancelled => throw_new(
            env,
            jni_str!("java/util/concurrent/CancellationException"),
            &err.to_string(),
        ),
        Error::Exit(code) => {
            let obj = env.new_object(
                jni_str!("io/github/wasmtimejvm/WasiExitException"),
                jni_sig!("(I)V"),
                &[JValue::Int(*code)],
            )?;
            {
                let t = JThrowable::cast_local(env, obj)?;
                env.throw(t)
            }
        }
        Error::Wit {
            message,
            file,
            line,
            column,
        } => {
            let jmessage = jstring(env, message)?;
            let jfile = match file {
                Some(f) => JObject::from(jstring(env, f)?),
                None => JObject::null(),
            };
            let obj = env.new_object(
                jni_str!("io/github/wasmtimejvm/wit/WitException"),
                jni_sig!("(Ljava/lang/String;Ljava/lang/String;II)V"),
                &[
                    JValue::Object(&jmessage),
                    JValue::Object(&jfile),
                    JValue::Int(*line as i32),
                    JValue::Int(*column as i32),
                ],
            )?;
            {
                let t = JThrowable::cast_local(env, obj)?;
                env.throw(t)
            }
        }
        Error::Compose(m) => throw_new(
            env,
            jni_str!("io/github/wasmtimejvm/compose/ComposeException"),
            m,
        ),
        Error::Http(m) => throw_new(
            env,
            jni_str!("io/github/wasmtimejvm/http/HttpHandlerException"),
            m,
        ),
        Error::Runtime(m) => throw_new(env, jni_str!("io/github/wasmtimejvm/WasmtimeException"), m),
    }
}

fn host_cause(payload: &Option<HostPayload>) -> Option<&Global<JThrowable<'static>>> {
    payload
        .as_ref()
        .and_then(|p| p.0.downcast_ref::<JavaException>())
        .map(|e| &e.0)
}

fn throw_trap(
    env: &mut Env<'_>,
    message: &str,
    code: u32,
    backtrace: &str,
    cause: Option<&Global<JThrowable<'static>>>,
) -> jni::errors::Result<()> {
    let class: JClass<'_> = env.find_class(jni_str!("io/github/wasmtimejvm/TrapException"))?;
    let jmessage = jstring(env, message)?;
    let jbacktrace = jstring(env, backtrace)?;
    let null = JObject::null();
    let cause_obj: &JObject<'_> = match cause {
        Some(c) => c.as_obj(),
        None => &null,
    };
    let obj = env.new_object(
        &class,
        jni_sig!("(Ljava/lang/String;ILjava/lang/String;Ljava/lang/Throwable;)V"),
        &[
            JValue::Object(&jmessage),
            JValue::Int(code as i32),
            JValue::Object(&jbacktrace),
            JValue::Object(cause_obj),
        ],
    )?;
    {
        let t = JThrowable::cast_local(env, obj)?;
        env.throw(t)
    }
}
