//! Linker: what a component's imports are satisfied with, and instantiation.
//!
//! A linker is shareable across threads: definitions take a write lock, instantiation a read
//! lock.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::component::Component;
use super::engine::Engine;
use super::error::{Error, Result};
use super::host::{self, HostCallback, HostDestructor, ScalarHostCallback};
use super::instance::InstanceId;
use super::instance_pre::InstancePre;
use super::store::{Store, StoreData};
use super::types::{self, FuncType, ItemType};

/// A component linker.
pub struct Linker {
    engine: Engine,
    inner: RwLock<wasmtime::component::Linker<StoreData>>,
    /// The declared type of every host function, by `name` or `interface#name`, with the
    /// interface path it was defined in (`""` for the root).
    host_types: RwLock<HashMap<String, (String, Arc<FuncType>)>>,
    /// The payload of every host resource type defined, by `name` or `interface#name`.
    host_resources: RwLock<HashMap<String, u32>>,
}

fn item_key(path: &[&str], name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{}#{name}", path.join("/"))
    }
}

impl Linker {
    /// An empty linker for `engine`.
    pub fn new(engine: &Engine) -> Linker {
        Linker {
            engine: engine.clone(),
            inner: RwLock::new(wasmtime::component::Linker::new(engine.wasmtime())),
            host_types: RwLock::default(),
            host_resources: RwLock::default(),
        }
    }

    /// The engine of this linker.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, wasmtime::component::Linker<StoreData>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, wasmtime::component::Linker<StoreData>> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a later definition may replace an earlier one of the same name.
    pub fn allow_shadowing(&self, allow: bool) {
        self.write().allow_shadowing(allow);
    }

    /// Defines every import of `component` that is not defined yet as a function that traps
    /// when called, so that the component can be instantiated without them.
    pub fn define_unknown_imports_as_traps(&self, component: &Component) -> Result<()> {
        self.engine
            .check_same(component.engine().wasmtime(), "the Component")?;
        self.write()
            .define_unknown_imports_as_traps(component.wasmtime())
            .map_err(Error::from_link)
    }

    /// Defines the host function `name` at the root (`path` empty) or inside the imported
    /// interface `path` (one name, such as `docs:log/logger@1.0.0`), with the type the host
    /// expects.
    pub fn define_func(
        &self,
        path: &[&str],
        name: &str,
        ty: FuncType,
        callback: HostCallback,
    ) -> Result<()> {
        if name.is_empty() {
            return Err(Error::InvalidArgument(
                "a host function needs a name".into(),
            ));
        }
        let ty = Arc::new(ty);
        let mut linker = self.write();
        let mut instance = linker.root();
        for p in path {
            instance = instance.into_instance(p).map_err(Error::from_link)?;
        }
        instance
            .func_new(name, host::wasmtime_func(ty.clone(), callback))
            .map_err(Error::from_link)?;
        self.host_types
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(item_key(path, name), (path.join("/"), ty));
        Ok(())
    }

    /// Defines an all-scalar host function (see [`host::scalar_signature`]) that takes and returns
    /// slots: the cheap path for numbers, bools and chars.
    pub fn define_scalar_func(
        &self,
        path: &[&str],
        name: &str,
        ty: FuncType,
        callback: ScalarHostCallback,
    ) -> Result<()> {
        let (params, result) = host::scalar_signature(&ty).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "`{name}` of type {ty} is not an all-scalar function"
            ))
        })?;
        if name.is_empty() {
            return Err(Error::InvalidArgument(
                "a host function needs a name".into(),
            ));
        }
        let mut linker = self.write();
        let mut instance = linker.root();
        for p in path {
            instance = instance.into_instance(p).map_err(Error::from_link)?;
        }
        host::define_scalar(&mut instance, name, params, result, callback)
            .map_err(Error::from_link)?;
        self.host_types
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(item_key(path, name), (path.join("/"), Arc::new(ty)));
        Ok(())
    }

    /// Defines the host resource type `name` (identified by `payload`, see
    /// `ResourceType::host_dynamic`) at the root or inside the imported interface `path`;
    /// `destructor` runs when the guest drops an owned handle.
    pub fn define_resource(
        &self,
        path: &[&str],
        name: &str,
        payload: u32,
        destructor: HostDestructor,
    ) -> Result<()> {
        if name.is_empty() {
            return Err(Error::InvalidArgument("a resource needs a name".into()));
        }
        self.engine().register_host_resource(payload);
        let mut linker = self.write();
        let mut instance = linker.root();
        for p in path {
            instance = instance.into_instance(p).map_err(Error::from_link)?;
        }
        instance
            .resource(
                name,
                wasmtime::component::ResourceType::host_dynamic(payload),
                move |store, rep| {
                    host::on_caller_stack(|| destructor(store, rep))
                        .map_err(super::error::HostFailure::into_wasmtime)
                },
            )
            .map_err(Error::from_link)?;
        self.host_resources
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(item_key(path, name), payload);
        Ok(())
    }

    /// Fails with a link error when a host function declares a handle to a host resource type
    /// other than the one this linker defines under that name in the function's interface:
    /// values of the declared type could never be passed as the import's (wasmtime refuses them
    /// at call time with "mismatched resource types").
    fn check_host_resources(&self, key: &str, interface: &str, ty: &FuncType) -> Result<()> {
        let defined = self
            .host_resources
            .read()
            .unwrap_or_else(|p| p.into_inner());
        let mut refs = Vec::new();
        for t in ty.params.iter().map(|(_, t)| t).chain(&ty.results) {
            types::resource_refs(t, &mut refs);
        }
        for r in refs {
            let Some(declared) = r.host else { continue };
            let resource_key = if interface.is_empty() {
                r.name.clone()
            } else {
                format!("{interface}#{}", r.name)
            };
            match defined.get(&resource_key) {
                Some(&payload) if payload != declared => {
                    return Err(Error::Link {
                        message: format!(
                            "the host function defined for import `{key}` has type {ty}, whose \
                             `{}` is another host resource type than the `{resource_key}` this \
                             linker defines (host resource type {declared}, defined: {payload})",
                            r.name
                        ),
                    })
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Fails with a link error when a host function was defined with a type other than the
    /// component imports it with.
    fn check_host_types(&self, component: &Component) -> Result<()> {
        let declared = self.host_types.read().unwrap_or_else(|p| p.into_inner());
        if declared.is_empty() {
            return Ok(());
        }
        let ty = component.component_type();
        let check = |key: String, import: &FuncType| -> Result<()> {
            match declared.get(&key) {
                Some((_, host)) if !types::same_func_type(host, import) => Err(Error::Link {
                    message: format!(
                        "import `{key}` has type {import}, but the host function defined for it \
                         has type {host}"
                    ),
                }),
                Some((interface, host)) => self.check_host_resources(&key, interface, host),
                _ => Ok(()),
            }
        };
        for (name, item) in &ty.imports {
            match item {
                ItemType::Func(f) => check(name.clone(), f)?,
                ItemType::Instance { exports } => {
                    for (export, item) in exports {
                        if let ItemType::Func(f) = item {
                            check(format!("{name}#{export}"), f)?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks that `store` and `component` belong to this linker's engine and that every host
    /// function was defined with the type the component imports it with.
    pub(crate) fn check(&self, store: &Store, component: &Component) -> Result<()> {
        self.engine
            .check_same(component.engine().wasmtime(), "the Component")?;
        self.engine
            .check_same(store.engine().wasmtime(), "the Store")?;
        self.check_host_types(component)
    }

    /// Instantiates `component` in `store`.
    pub fn instantiate(&self, store: &Store, component: &Component) -> Result<InstanceId> {
        self.check(store, component)?;
        let linker = self.read();
        store.enter(|inner| {
            let instance = linker
                .instantiate(&mut inner.store, component.wasmtime())
                .map_err(Error::from_link)?;
            Ok(inner.add_instance(instance, component.clone()))
        })
    }

    /// Type-checks and resolves every import of `component` now, so that instantiating it
    /// later is as cheap as possible.
    pub fn instantiate_pre(&self, component: &Component) -> Result<Arc<InstancePre>> {
        self.engine
            .check_same(component.engine().wasmtime(), "the Component")?;
        self.check_host_types(component)?;
        let pre = self
            .read()
            .instantiate_pre(component.wasmtime())
            .map_err(Error::from_link)?;
        Ok(Arc::new(InstancePre::new(component.clone(), pre)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::host::HostCall;
    use crate::core::testing::fixture;
    use crate::core::types::{ResourceRef, ValType};
    use crate::core::{EngineConfig, StoreOptions};
    use wasmtime::component::{ResourceDynamic, Val};

    const KV: &str = "docs:kv/store@1.0.0";

    fn handle(own: bool, payload: u32) -> ValType {
        let r = ResourceRef {
            name: "bucket".into(),
            ty: None,
            host: Some(payload),
        };
        if own {
            ValType::Own(r)
        } else {
            ValType::Borrow(r)
        }
    }

    fn func(params: Vec<(&str, ValType)>, results: Vec<ValType>) -> FuncType {
        FuncType {
            params: params.into_iter().map(|(n, t)| (n.to_owned(), t)).collect(),
            results,
            is_async: false,
        }
    }

    /// kv-host's imports, with `bucket` defined as host resource type `defined` (after the
    /// functions) and the constructor and `open` declared to return `declared`.
    fn kv_linker(engine: &Engine, defined: u32, declared: u32) -> Linker {
        let linker = Linker::new(engine);
        let make: HostCallback = Arc::new(move |call: HostCall<'_>| {
            let HostCall {
                mut store, results, ..
            } = call;
            results[0] = Val::Resource(
                ResourceDynamic::new_own(1, declared)
                    .try_into_resource_any(&mut store)
                    .map_err(Error::from_call)?,
            );
            Ok(())
        });
        let ctor = func(
            vec![("name", ValType::String)],
            vec![handle(true, declared)],
        );
        linker
            .define_func(&[KV], "[constructor]bucket", ctor.clone(), make.clone())
            .unwrap();
        linker.define_func(&[KV], "open", ctor, make).unwrap();
        let unused: HostCallback = Arc::new(|_| Ok(()));
        let get = func(
            vec![("self", handle(false, defined)), ("key", ValType::String)],
            vec![ValType::Option(Box::new(ValType::String))],
        );
        linker
            .define_func(&[KV], "[method]bucket.get", get, unused.clone())
            .unwrap();
        let set = func(
            vec![
                ("self", handle(false, defined)),
                ("key", ValType::String),
                ("value", ValType::String),
            ],
            vec![],
        );
        linker
            .define_func(&[KV], "[method]bucket.set", set, unused)
            .unwrap();
        linker
            .define_resource(&[KV], "bucket", defined, Arc::new(|_, _| Ok(())))
            .unwrap();
        linker
    }

    #[test]
    fn a_host_function_typed_with_another_host_resource_type_is_a_link_error() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(&engine, &fixture("kv-host")).unwrap();

        let good = kv_linker(&engine, 0x6b76_0101, 0x6b76_0101);
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let id = good.instantiate(&store, &component).unwrap();
        let churned = store
            .enter(|s| {
                let churn = s.instance_func(id, &["docs:kv/app@1.0.0", "churn"])?;
                let mut out = [Val::Bool(false)];
                s.call(churn, &[Val::U32(3)], &mut out)?;
                Ok(out[0].clone())
            })
            .unwrap();
        assert_eq!(churned, Val::U32(3));

        // Same names and shapes, but the constructor's `bucket` is another host resource type:
        // its values could never be passed (wasmtime: "mismatched resource types" at call time).
        let bad = kv_linker(&engine, 0x6b76_0101, 0x6b76_0102);
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        for err in [
            bad.instantiate(&store, &component).unwrap_err(),
            bad.instantiate_pre(&component).map(|_| ()).unwrap_err(),
        ] {
            match err {
                Error::Link { message } => {
                    assert!(message.contains("[constructor]bucket"), "{message}");
                    assert!(message.contains("docs:kv/store@1.0.0#bucket"), "{message}");
                    assert!(message.contains("another host resource type"), "{message}");
                }
                other => panic!("expected a link error, got {other:?}"),
            }
        }
    }
}
