//! InstancePre: a component whose imports are already resolved, instantiated cheaply and
//! repeatedly, in any store of its engine, from any thread.

use super::component::Component;
use super::error::{Error, Result};
use super::instance::InstanceId;
use super::store::{Store, StoreData};

/// A pre-linked component.
pub struct InstancePre {
    component: Component,
    inner: wasmtime::component::InstancePre<StoreData>,
    /// The `wasi:cli/command` view of it, resolved on the first command run.
    command: std::sync::OnceLock<
        std::result::Result<wasmtime_wasi::p2::bindings::sync::CommandPre<StoreData>, String>,
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
        }
    }

    /// The component this was made from.
    pub fn component(&self) -> &Component {
        &self.component
    }

    /// Runs the component as a `wasi:cli/command` in `store`: a fresh instance, then its
    /// `wasi:cli/run`. Returns the exit status as [`super::wasi::run_command`] does.
    pub fn run_command(&self, store: &Store) -> Result<i32> {
        self.component
            .engine()
            .check_same(store.engine().wasmtime(), "the Store")?;
        let command = self
            .command
            .get_or_init(|| {
                wasmtime_wasi::p2::bindings::sync::CommandPre::new(self.inner.clone()).map_err(
                    |e| {
                        format!(
                        "the component is not a WASI command (it does not export wasi:cli/run): {}",
                        super::error::chain_message(&e)
                    )
                    },
                )
            })
            .as_ref()
            .map_err(|m| Error::InvalidArgument(m.clone()))?;
        store.enter(|inner| {
            let instance = command
                .instantiate(&mut inner.store)
                .map_err(Error::from_link)?;
            let outcome = instance.wasi_cli_run().call_run(&mut inner.store);
            super::wasi::run_result(inner, outcome)
        })
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
