//! Natives of `io.github.wasmtimejvm.compose.ComponentEncoder`.

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jint;
use jni::EnvUnowned;

use super::{run, string};
use crate::core::wit::{encode, Adapter, WitPackage};

/// Builds a component from a core module; `wit` (a wasm-encoded package) and `world` may be
/// null, `adapter` is -1 for none.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_compose_ComponentEncoder_encode0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    module: JByteArray<'l>,
    wit: JByteArray<'l>,
    world: JString<'l>,
    adapter: jint,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let module = env.convert_byte_array(&module)?;
        let package = if wit.is_null() {
            None
        } else {
            Some(WitPackage::from_binary(&env.convert_byte_array(&wit)?)?)
        };
        let world = if world.is_null() {
            None
        } else {
            Some(string(env, &world)?)
        };
        let adapter = if adapter < 0 {
            None
        } else {
            Some(Adapter::from_number(adapter as u32)?)
        };
        let bytes = encode::component_from_module(
            &module,
            package.as_ref().map(|p| (p, world.as_deref())),
            adapter,
        )?;
        Ok(env.byte_array_from_slice(&bytes)?)
    })
}
