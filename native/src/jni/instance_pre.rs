//! Natives of `io.github.wasmtimejvm.component.InstancePre`.

use jni::objects::JClass;
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use super::{run, store_ref, Shared};
use crate::core::InstancePre;

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_InstancePre_instantiate0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
) -> jint {
    run(&mut env, |_| {
        let pre = unsafe { Shared::<InstancePre>::get(address) }?;
        Ok(pre.instantiate(unsafe { store_ref(store) })?.0 as jint)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_InstancePre_dispose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<InstancePre>::dispose(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_InstancePre_free0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<InstancePre>::free(address) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_InstancePre_runCommand0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
) -> jint {
    run(&mut env, |_| {
        let pre = unsafe { Shared::<InstancePre>::get(address) }?;
        Ok(pre.run_command(unsafe { store_ref(store) })?)
    })
}
