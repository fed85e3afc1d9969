//! InstancePre: a component whose imports are already resolved, instantiated cheaply and
//! repeatedly, in any store of its engine, from any thread.

use super::component::Component;
use super::error::{Error, Result};
use super::instance::InstanceId;
use super::stack::OffStack;
use super::store::{Store, StoreData, StoreInner};

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
    /// Whether its linker defined asynchronous host functions: then it is instantiated through
    /// wasmtime's `instantiate_async` (see [`instantiate`]).
    uses_async: bool,
}

impl InstancePre {
    pub(crate) fn new(
        component: Component,
        inner: wasmtime::component::InstancePre<StoreData>,
        uses_async: bool,
    ) -> InstancePre {
        InstancePre {
            component,
            inner,
            uses_async,
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
            let instance = instantiate(&self.inner, self.uses_async, inner)?;
            Ok(inner.add_instance(instance, self.component.clone()))
        })
    }
}

/// Instantiates `pre` in the store of `inner`. When the linker defined asynchronous host
/// functions (`uses_async`) this goes through wasmtime's `instantiate_async`, driven to its end
/// on this thread ([`super::executor::block_on`], with host code on this thread's own stack): a
/// component importing such a function makes its store one whose calls must be asynchronous,
/// and wasmtime's synchronous instantiation refuses it.
pub(crate) fn instantiate(
    pre: &wasmtime::component::InstancePre<StoreData>,
    uses_async: bool,
    inner: &mut StoreInner,
) -> Result<wasmtime::component::Instance> {
    let instance = if uses_async {
        super::executor::block_on(OffStack::new(pre.instantiate_async(&mut inner.store)))
    } else {
        pre.instantiate(&mut inner.store)
    };
    instance.map_err(Error::from_link)
}
