//! Linker: what a component's imports are satisfied with, and instantiation.
//!
//! A linker is shareable across threads: definitions take a write lock, instantiation a read
//! lock.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::component::Component;
use super::engine::Engine;
use super::error::{Error, Result};
use super::host::{self, HostCallback, HostDestructor};
use super::instance::InstanceId;
use super::instance_pre::InstancePre;
use super::store::{Store, StoreData};
use super::types::{FuncType, ItemType};

/// A component linker.
pub struct Linker {
    engine: Engine,
    inner: RwLock<wasmtime::component::Linker<StoreData>>,
    /// The declared type of every host function, by `name` or `interface#name`.
    host_types: RwLock<HashMap<String, Arc<FuncType>>>,
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
            .insert(item_key(path, name), ty);
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
        host::register_resource_payload(payload);
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
                    destructor(store, rep).map_err(super::error::HostFailure::into_wasmtime)
                },
            )
            .map_err(Error::from_link)
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
                Some(host) if !host::same_func_type(host, import) => Err(Error::Link {
                    message: format!(
                        "import `{key}` has type {import}, but the host function defined for it \
                         has type {host}"
                    ),
                }),
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

    fn check(&self, store: &Store, component: &Component) -> Result<()> {
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
