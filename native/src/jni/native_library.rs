//! Natives of `io.github.wasmtimejvm.internal.NativeLibrary`.

use jni::objects::{JClass, JString};
use jni::EnvUnowned;

use super::run;

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_internal_NativeLibrary_nativeVersion<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JString<'l> {
    run(&mut env, |env| {
        Ok(JString::from_str(env, env!("CARGO_PKG_VERSION"))?)
    })
}
