//! Running a `wasi:cli/command`, and giving a linker the WASI 0.2 interfaces.

use crate::core::component::Component;
use crate::core::error::{Error, Result};
use crate::core::instance_pre::InstancePre;
use crate::core::linker::Linker;
use crate::core::store::{Store, StoreInner};

impl Linker {
    /// Defines every WASI 0.2 interface wasmtime-wasi provides (cli, clocks, filesystem, io,
    /// random, sockets) in this linker. What a guest may actually do is decided by the store's
    /// [`WasiConfig`].
    pub fn add_wasi(&self) -> Result<()> {
        wasmtime_wasi::p2::add_to_linker_sync(&mut *self.write()).map_err(Error::from_link)
    }
}

/// The exit status of a command: 0 for success, the code it passed to `exit`, or 1 when
/// `wasi:cli/run.run` returned an error.
pub fn run_command(linker: &Linker, store: &Store, component: &Component) -> Result<i32> {
    linker
        .engine()
        .check_same(component.engine().wasmtime(), "the Component")?;
    linker
        .engine()
        .check_same(store.engine().wasmtime(), "the Store")?;
    let wasm_linker = linker.read();
    store.enter(|inner| {
        let command = wasmtime_wasi::p2::bindings::sync::Command::instantiate(
            &mut inner.store,
            component.wasmtime(),
            &wasm_linker,
        )
        .map_err(|e| {
            if e.to_string()
                .contains("no exported instance named `wasi:cli/run")
            {
                Error::InvalidArgument(format!(
                    "the component is not a WASI command (it does not export wasi:cli/run): {}",
                    crate::core::error::chain_message(&e)
                ))
            } else {
                inner.classify(Error::from_link(e))
            }
        })?;
        let outcome = command.wasi_cli_run().call_run(&mut inner.store);
        run_result(inner, outcome)
    })
}

/// The exit status of a finished `wasi:cli/run` call.
pub(crate) fn run_result(
    inner: &StoreInner,
    outcome: wasmtime::Result<std::result::Result<(), ()>>,
) -> Result<i32> {
    match outcome {
        Ok(Ok(())) => Ok(0),
        Ok(Err(())) => Ok(1),
        Err(e) => match inner.classify(Error::from_call(e)) {
            Error::Exit(code) => Ok(code),
            other => Err(other),
        },
    }
}

impl InstancePre {
    /// Runs the component as a `wasi:cli/command` in `store`: a fresh instance, then its
    /// `wasi:cli/run`. Returns the exit status as [`run_command`] does.
    pub fn run_command(&self, store: &Store) -> Result<i32> {
        self.component()
            .engine()
            .check_same(store.engine().wasmtime(), "the Store")?;
        let command = self
            .command
            .get_or_init(|| {
                wasmtime_wasi::p2::bindings::sync::CommandPre::new(self.inner.clone()).map_err(
                    |e| {
                        format!(
                        "the component is not a WASI command (it does not export wasi:cli/run): {}",
                        crate::core::error::chain_message(&e)
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
            run_result(inner, outcome)
        })
    }
}
