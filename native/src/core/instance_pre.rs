//! InstancePre: a component whose imports are already resolved, instantiated cheaply and
//! repeatedly, in any store of its engine, from any thread.

use super::component::Component;
use super::error::{Error, Result};
use super::instance::InstanceId;
use super::store::{Store, StoreData};

/// A pre-linked component.
pub struct InstancePre {
    component: Component,
    pub(crate) inner: wasmtime::component::InstancePre<StoreData>,
    /// The `wasi:cli/command` view of it, resolved on the first command run (see
    /// [`super::wasi::command`]).
    pub(crate) command: std::sync::OnceLock<
        std::result::Result<wasmtime_wasi::p2::bindings::sync::CommandPre<StoreData>, String>,
    >,
    /// The `wasi:http/proxy` view of it, resolved on the first request (see
    /// [`super::http::proxy`]).
    pub(crate) proxy: std::sync::OnceLock<
        std::result::Result<wasmtime_wasi_http::p2::bindings::sync::ProxyPre<StoreData>, String>,
    >,
}

impl InstancePre {
    pub(crate) fn new(
        component: Component,
        inner: wasmtime::component::InstancePre<StoreData>,
    ) -> InstancePre {
        InstancePre {
            component,
            inner,
            command: std::sync::OnceLock::new(),
            proxy: std::sync::OnceLock::new(),
        }
    }

    /// The component this was made from.
    pub fn component(&self) -> &Component {
        &self.component
    }

    /// Instantiates in `store`.
    pub fn instantiate(&self, store: &Store) -> Result<InstanceId> {
        self.component
            .engine()
            .check_same(store.engine().wasmtime(), "the Store")?;
        store.enter(|inner| {
            let instance = self
                .inner
                .instantiate(&mut inner.store)
                .map_err(Error::from_link)?;
            Ok(inner.add_instance(instance, self.component.clone()))
        })
    }
}
