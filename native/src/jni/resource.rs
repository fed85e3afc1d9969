//! Natives of `io.github.wasmtimejvm.component.Resource`.

use jni::objects::JClass;
use jni::sys::jlong;
use jni::EnvUnowned;

use super::{run, store_ref};
use crate::core::ResourceId;

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Resource_drop0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    id: jlong,
) {
    run(&mut env, |_| {
        Ok(unsafe { store_ref(store) }.enter(|s| s.drop_resource(ResourceId(id as u64)))?)
    })
}
