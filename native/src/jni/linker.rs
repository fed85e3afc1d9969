//! Natives of `io.github.wasmtimejvm.component.Linker`.

use jni::objects::JClass;
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;

use super::{run, store_ref, Shared};
use crate::core::{Component, Engine, InstancePre, Linker};

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_new0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
) -> jlong {
    run(&mut env, |_| {
        let engine = unsafe { Shared::<Engine>::get(engine) }?;
        Ok(Shared::into_raw(Linker::new(&engine), "Linker"))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_allowShadowing0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    allow: jboolean,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Linker>::get(address) }?.allow_shadowing(allow);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_defineUnknownImportsAsTraps0<
    'l,
>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    component: jlong,
) {
    run(&mut env, |_| {
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let component = unsafe { Shared::<Component>::get(component) }?;
        Ok(linker.define_unknown_imports_as_traps(&component)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_instantiate0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
    component: jlong,
) -> jint {
    run(&mut env, |_| {
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let component = unsafe { Shared::<Component>::get(component) }?;
        let store = unsafe { store_ref(store) };
        Ok(linker.instantiate(store, &component)?.0 as jint)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_instantiatePre0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    component: jlong,
) -> jlong {
    run(&mut env, |_| {
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let component = unsafe { Shared::<Component>::get(component) }?;
        let pre = linker.instantiate_pre(&component)?;
        Ok(Shared::<InstancePre>::into_raw_arc(pre, "InstancePre"))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_dispose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Linker>::dispose(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_free0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Linker>::free(address) };
        Ok(())
    })
}
