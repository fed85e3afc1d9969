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
        let mut linker = self.write();
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(Error::from_link)?;
        // wasi:filesystem again, over both wasmtime-wasi's directories and host filesystems.
        linker.allow_shadowing(true);
        let r = super::filesystem::add_to_linker(&mut linker).map_err(Error::from_link);
        linker.allow_shadowing(self.shadowing());
        r?;
        self.wasi_added
            .store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }
}

/// The exit status of a command: 0 for success, the code it passed to `exit`, or 1 when
/// `wasi:cli/run.run` returned an error.
pub fn run_command(linker: &Linker, store: &Store, component: &Component) -> Result<i32> {
    // As for instantiation: a host function defined with another type than the command imports
    // is a link error now, not a failure when the guest calls it.
    linker.check(store, component)?;
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use wasmtime::component::{ResourceDynamic, Val};

    use super::*;
    use crate::core::error::Error;
    use crate::core::host::HostCall;
    use crate::core::testing::fixture;
    use crate::core::types::{FuncType, ResourceRef, ValType};
    use crate::core::{Engine, EngineConfig, StoreOptions};

    const HOST: &str = "docs:hook/host@1.0.0";
    const THING: u32 = 0x686f_6f6b;

    fn func(params: Vec<(&str, ValType)>, results: Vec<ValType>) -> FuncType {
        FuncType {
            params: params.into_iter().map(|(n, t)| (n.to_owned(), t)).collect(),
            results,
            is_async: false,
        }
    }

    /// hook-command's imports, with `poke` defined as `poke_type`.
    fn linker(engine: &Engine, poke_type: FuncType) -> Linker {
        let linker = Linker::new(engine);
        let thing = ResourceRef {
            name: "thing".into(),
            ty: None,
            host: Some(THING),
        };
        linker
            .define_resource(&[HOST], "thing", THING, Arc::new(|_, _| Ok(())))
            .unwrap();
        linker
            .define_func(
                &[HOST],
                "make",
                func(vec![], vec![ValType::Own(thing.clone())]),
                Arc::new(|call: HostCall<'_>| {
                    let HostCall {
                        mut store, results, ..
                    } = call;
                    results[0] = Val::Resource(
                        ResourceDynamic::new_own(42, THING)
                            .try_into_resource_any(&mut store)
                            .map_err(Error::from_call)?,
                    );
                    Ok(())
                }),
            )
            .unwrap();
        linker
            .define_func(
                &[HOST],
                "[method]thing.read",
                func(vec![("self", ValType::Borrow(thing))], vec![ValType::U32]),
                Arc::new(|call: HostCall<'_>| {
                    let HostCall {
                        mut store,
                        params,
                        results,
                        ..
                    } = call;
                    if let Val::Resource(r) = &params[0] {
                        let rep = ResourceDynamic::try_from_resource_any(*r, &mut store)
                            .map_err(Error::from_call)?
                            .rep();
                        results[0] = Val::U32(rep);
                    }
                    Ok(())
                }),
            )
            .unwrap();
        linker
            .define_func(&[HOST], "poke", poke_type, Arc::new(|_| Ok(())))
            .unwrap();
        linker
    }

    #[test]
    fn a_command_whose_host_function_has_another_type_is_a_link_error() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let command = Component::from_wat(&engine, &fixture("hook-command")).unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let right = linker(&engine, func(vec![], vec![]));
        assert_eq!(run_command(&right, &store, &command).unwrap(), 0);

        let wrong = linker(&engine, func(vec![("n", ValType::U32)], vec![]));
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        match run_command(&wrong, &store, &command) {
            Err(Error::Link { message }) => assert!(message.contains("poke"), "{message}"),
            other => panic!("expected a link error, got {other:?}"),
        }
    }
}
