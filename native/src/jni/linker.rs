//! Natives of `io.github.wasmtimejvm.component.Linker`.

use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;

use super::type_codec::TypeReader;
use super::{async_host, host_function, run, store_ref, string, strings, Shared};
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

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_defineFunc0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    path: JObjectArray<'l, JString<'l>>,
    name: JString<'l>,
    ty: JByteArray<'l>,
    entry: JObject<'l>,
) {
    run(&mut env, |env| {
        host_function::init(env)?;
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let path = strings(env, &path)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let name = string(env, &name)?;
        let ty = TypeReader::new(&env.convert_byte_array(&ty)?).func_type()?;
        let entry = env.new_global_ref(entry)?;
        let full_name = full_name(&path, &name);
        if crate::core::host::scalar_signature(&ty).is_some() {
            let callback = host_function::scalar_callback(full_name, entry);
            return Ok(linker.define_scalar_func(&path, &name, ty, callback)?);
        }
        let callback = host_function::callback(full_name, entry);
        Ok(linker.define_func(&path, &name, ty, callback)?)
    })
}

/// How host functions are named in their failures: `name`, or `interface/path#name`.
fn full_name(path: &[&str], name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{}#{name}", path.join("/"))
    }
}

/// Defines an asynchronous Java host function (`LinkerInstance.funcAsync`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_defineFuncAsync0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    path: JObjectArray<'l, JString<'l>>,
    name: JString<'l>,
    ty: JByteArray<'l>,
    entry: JObject<'l>,
) {
    run(&mut env, |env| {
        async_host::init(env)?;
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let path = strings(env, &path)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let name = string(env, &name)?;
        let ty = TypeReader::new(&env.convert_byte_array(&ty)?).func_type()?;
        let entry = env.new_global_ref(entry)?;
        let full_name = full_name(&path, &name);
        let callback = async_host::callback(full_name, entry);
        Ok(linker.define_func_async(&path, &name, ty, callback)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_defineResource0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    path: JObjectArray<'l, JString<'l>>,
    name: JString<'l>,
    payload: jint,
) {
    run(&mut env, |env| {
        host_function::init(env)?;
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let path = strings(env, &path)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let name = string(env, &name)?;
        let destructor = host_function::destructor(name.clone());
        Ok(linker.define_resource(&path, &name, payload as u32, destructor)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_addWasi0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        Ok(unsafe { Shared::<Linker>::get(address) }?.add_wasi()?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_addWasiHttp0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
) {
    run(&mut env, |_| {
        Ok(unsafe { Shared::<Linker>::get(address) }?.add_wasi_http()?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_runCommand0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    store: jlong,
    component: jlong,
) -> jint {
    run(&mut env, |_| {
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let component = unsafe { Shared::<Component>::get(component) }?;
        Ok(crate::core::wasi::run_command(
            &linker,
            unsafe { store_ref(store) },
            &component,
        )?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_defineInstance0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    path: JObjectArray<'l, JString<'l>>,
    store: jlong,
    instance: jint,
    export: JString<'l>,
) {
    run(&mut env, |env| {
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let path = strings(env, &path)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let export = if export.is_null() {
            None
        } else {
            Some(string(env, &export)?)
        };
        let store = unsafe { store_ref(store) };
        Ok(linker.define_instance(
            &path,
            store,
            crate::core::InstanceId(instance as u32),
            export.as_deref(),
        )?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Linker_defineModule0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    path: JObjectArray<'l, JString<'l>>,
    name: JString<'l>,
    module: jlong,
) {
    run(&mut env, |env| {
        let linker = unsafe { Shared::<Linker>::get(address) }?;
        let module = unsafe { Shared::<crate::core::module::Module>::get(module) }?;
        let path = strings(env, &path)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let name = string(env, &name)?;
        Ok(linker.define_module(&path, &name, &module)?)
    })
}
