//! Natives of `io.github.wasmtimejvm.component.Component`.

use jni::objects::{JByteArray, JClass};
use jni::sys::jlong;
use jni::EnvUnowned;

use super::{run, type_codec, Shared};
use crate::core::{Component, Engine};

/// The body of every native that makes a component from a Java `byte[]` with `load`.
fn from_bytes<'l>(
    env: &mut EnvUnowned<'l>,
    engine: jlong,
    bytes: &JByteArray<'l>,
    load: impl FnOnce(&Engine, &[u8]) -> crate::core::Result<Component>,
) -> jlong {
    run(env, |env| {
        let engine = unsafe { Shared::<Engine>::get(engine) }?;
        let bytes = env.convert_byte_array(bytes)?;
        Ok(Shared::into_raw(load(&engine, &bytes)?, "Component"))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_new0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    from_bytes(&mut env, engine, &bytes, Component::new)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_deserialize0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    from_bytes(&mut env, engine, &bytes, Component::deserialize)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_deserializeUnsafe0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    // Safety: `Component.deserializeUnsafe` documents that its bytes are trusted as code.
    from_bytes(&mut env, engine, &bytes, |engine, bytes| unsafe {
        Component::deserialize_unchecked(engine, bytes)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_serialize0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let component = unsafe { Shared::<Component>::get(address) }?;
        Ok(env.byte_array_from_slice(&component.serialize()?)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_type0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let component = unsafe { Shared::<Component>::get(address) }?;
        let mut out = Vec::new();
        type_codec::component_type(&mut out, &component.component_type());
        Ok(env.byte_array_from_slice(&out)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_dispose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Component>::dispose(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_free0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Component>::free(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_wit0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let component = unsafe { Shared::<Component>::get(address) }?;
        Ok(env.byte_array_from_slice(&component.wit()?.encode()?)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Component_check0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    wit: JByteArray<'l>,
    world: jni::objects::JString<'l>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let component = unsafe { Shared::<Component>::get(address) }?;
        let package = crate::core::wit::WitPackage::from_binary(&env.convert_byte_array(&wit)?)?;
        let world = if world.is_null() {
            None
        } else {
            Some(super::string(env, &world)?)
        };
        let found = component.check(&package, world.as_deref())?;
        let mut out = Vec::new();
        type_codec::mismatches(&mut out, &found);
        Ok(env.byte_array_from_slice(&out)?)
    })
}
