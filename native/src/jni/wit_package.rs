//! Natives of `io.github.wasmtimejvm.wit.WitPackage`: a package crosses to Java as its
//! wasm-encoded bytes (a value, no native handle) and is read back from them when used.

use jni::objects::{JByteArray, JClass, JString};
use jni::EnvUnowned;

use super::{run, string, type_codec, JniResult};
use crate::core::wit::WitPackage;

/// The package's wasm encoding as a Java byte array, the form a `WitPackage` keeps.
fn encoded<'l>(env: &mut jni::Env<'l>, package: &WitPackage) -> JniResult<JByteArray<'l>> {
    Ok(env.byte_array_from_slice(&package.encode()?)?)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_wit_WitPackage_parseText0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    file: JString<'l>,
    text: JString<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let file = string(env, &file)?;
        let text = string(env, &text)?;
        encoded(env, &WitPackage::parse(&file, &text)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_wit_WitPackage_parsePath0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    path: JString<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let path = string(env, &path)?;
        encoded(env, &WitPackage::parse_path(std::path::Path::new(&path))?)
    })
}

/// A wasm-encoded WIT package, or a component, to the bytes of its package.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_wit_WitPackage_fromBinary0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    bytes: JByteArray<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let bytes = env.convert_byte_array(&bytes)?;
        encoded(env, &WitPackage::from_binary(&bytes)?)
    })
}

/// What Java shows of a package (see `type_codec::wit_package`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_wit_WitPackage_describe0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    encoded: JByteArray<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let bytes = env.convert_byte_array(&encoded)?;
        let package = WitPackage::from_binary(&bytes)?;
        let mut out = Vec::new();
        type_codec::wit_package(&mut out, &package)?;
        Ok(env.byte_array_from_slice(&out)?)
    })
}

/// Native of `io.github.wasmtimejvm.bindgen.WitModel` (it reads the encoded package a
/// `WitPackage` keeps): the world `world` as the binding generator reads it, as UTF-8 JSON
/// (see `core::wit::model`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_bindgen_WitModel_describe0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    encoded: JByteArray<'l>,
    world: JString<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let bytes = env.convert_byte_array(&encoded)?;
        let world = string(env, &world)?;
        let package = WitPackage::from_binary(&bytes)?;
        let json = crate::core::wit::model::generator_model(&package, &world)?;
        Ok(env.byte_array_from_slice(json.as_bytes())?)
    })
}
