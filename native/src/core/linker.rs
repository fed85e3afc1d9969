//! Linker: what a component's imports are satisfied with, and instantiation.
//!
//! A linker is shareable across threads: definitions take a write lock, instantiation a read
//! lock.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::component::Component;
use super::engine::Engine;
use super::error::{Error, Result};
use super::instance::InstanceId;
use super::instance_pre::InstancePre;
use super::store::{Store, StoreData};

/// A component linker.
pub struct Linker {
    engine: Engine,
    inner: RwLock<wasmtime::component::Linker<StoreData>>,
}

impl Linker {
    /// An empty linker for `engine`.
    pub fn new(engine: &Engine) -> Linker {
        Linker {
            engine: engine.clone(),
            inner: RwLock::new(wasmtime::component::Linker::new(engine.wasmtime())),
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

    fn check(&self, store: &Store, component: &Component) -> Result<()> {
        self.engine
            .check_same(component.engine().wasmtime(), "the Component")?;
        self.engine
            .check_same(store.engine().wasmtime(), "the Store")
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
        let pre = self
            .read()
            .instantiate_pre(component.wasmtime())
            .map_err(Error::from_link)?;
        Ok(Arc::new(InstancePre::new(component.clone(), pre)))
    }
}
