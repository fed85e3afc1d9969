//! Core WebAssembly: modules (`wasmtime::Module`), and in the files of this folder their
//! instances, functions, memories, globals and tables as items of a store, the core linker, and
//! the values and types that cross to the host. A module also runs as a WASI preview 1 command
//! with the store's WASI configuration.

pub mod context;
pub mod func;
pub mod global;
pub mod instance;
pub mod items;
pub mod linker;
pub mod memory;
pub mod table;
pub mod types;
pub mod value;

use std::path::Path;

use self::types::ExternDesc;
use super::binary::{wrong_kind, BinaryKind};
use super::compiled;
use super::engine::Engine;
use super::error::{Error, Result};
use super::store::{Store, StoreData};

/// A compiled core module. Cheap to clone; shareable across threads.
#[derive(Clone)]
pub struct Module {
    engine: Engine,
    inner: wasmtime::Module,
}

impl Module {
    /// Compiles a core module from its binary encoding or WAT text.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        if let Some(message) = wrong_kind(
            bytes,
            BinaryKind::Module,
            "compile it as a Component (io.github.wasmtimejvm.component.Component)",
        ) {
            return Err(Error::Compile { message });
        }
        let inner = wasmtime::Module::new(engine.wasmtime(), bytes).map_err(Error::from_compile)?;
        Ok(Module {
            engine: engine.clone(),
            inner,
        })
    }

    /// Checks that `bytes` are a valid core module (binary) for this engine's features,
    /// without compiling it.
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<()> {
        if let Some(message) = wrong_kind(bytes, BinaryKind::Module, "validate it as a Component") {
            return Err(Error::Compile { message });
        }
        let binary = wat::parse_bytes(bytes).map_err(|e| Error::Compile {
            message: format!("not a module binary, and not valid WAT text: {e}"),
        })?;
        wasmtime::Module::validate(engine.wasmtime(), &binary).map_err(Error::from_compile)
    }

    /// Loads a module from the checked image made by [`Module::serialize`] or
    /// [`Engine::precompile_module`]: truncated, corrupted or (with a compiled-code key)
    /// unauthenticated bytes are refused before wasmtime reads them.
    pub fn deserialize(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let raw = compiled::open(compiled::Kind::Module, bytes, engine.code_key())?;
        // Safety: `raw` is exactly what `serialize` or `precompile` of this library produced
        // (its digest matched), and wasmtime checks that it was compiled with compatible
        // settings.
        unsafe { Self::deserialize_unchecked(engine, raw) }
    }

    /// Loads raw wasmtime bytes without any check of their integrity.
    ///
    /// # Safety
    /// The bytes are executable code: changed or truncated bytes can crash the process.
    pub unsafe fn deserialize_unchecked(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let inner = unsafe { wasmtime::Module::deserialize(engine.wasmtime(), bytes) }
            .map_err(Error::from_compile)?;
        Ok(Module {
            engine: engine.clone(),
            inner,
        })
    }

    /// The compiled form, for [`Module::deserialize`]: a checked image, authenticated with the
    /// engine's compiled-code key when it has one.
    pub fn serialize(&self) -> Result<Vec<u8>> {
        let raw = self
            .inner
            .serialize()
            .map_err(|e| Error::Runtime(format!("{e:#}")))?;
        Ok(compiled::seal(
            compiled::Kind::Module,
            &raw,
            self.engine.code_key(),
        ))
    }

    /// wasmtime's module.
    pub fn wasmtime(&self) -> &wasmtime::Module {
        &self.inner
    }

    /// The module's imports: module name, name and type, in order.
    pub fn imports(&self) -> Vec<(String, String, ExternDesc)> {
        self.inner
            .imports()
            .map(|i| {
                (
                    i.module().to_owned(),
                    i.name().to_owned(),
                    ExternDesc::of(&i.ty()),
                )
            })
            .collect()
    }

    /// The module's exports: name and type, in order.
    pub fn exports(&self) -> Vec<(String, ExternDesc)> {
        self.inner
            .exports()
            .map(|e| (e.name().to_owned(), ExternDesc::of(&e.ty())))
            .collect()
    }

    /// Compiles the core module in a file.
    pub fn from_file(engine: &Engine, path: &Path) -> Result<Module> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
        Self::new(engine, &bytes)
    }

    /// The engine this module was compiled with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Runs the module's `_start` with WASI preview 1 (a fresh preview 1 context built from the
    /// store's WASI configuration); returns the exit status.
    pub fn run_wasi_command(&self, store: &Store) -> Result<i32> {
        self.engine
            .check_same(store.engine().wasmtime(), "the Store")?;
        store.enter(|inner| {
            let config = inner.store.data().wasi_config.clone().unwrap_or_default();
            let (ctx, captured) = config.build_p1()?;
            let data = inner.store.data_mut();
            data.p1 = Some(ctx);
            data.captured = captured;
            let mut linker = wasmtime::Linker::<StoreData>::new(self.engine.wasmtime());
            wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |d: &mut StoreData| {
                d.p1.as_mut()
                    .expect("the preview 1 context is set before instantiation")
            })
            .map_err(Error::from_link)?;
            let instance = linker
                .instantiate(&mut inner.store, &self.inner)
                .map_err(Error::from_link)?;
            let start = instance
                .get_typed_func::<(), ()>(&mut inner.store, "_start")
                .map_err(|e| {
                    Error::InvalidArgument(format!(
                        "the module is not a WASI command (no `_start` function): {e}"
                    ))
                })?;
            match start.call(&mut inner.store, ()) {
                Ok(()) => Ok(0),
                Err(e) => match inner.classify(Error::from_call(e)) {
                    Error::Exit(code) => Ok(code),
                    other => Err(other),
                },
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::wasi::{Output, WasiConfig};
    use crate::core::{EngineConfig, StoreOptions};

    const HELLO: &str = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello\n")
        (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (call $exit (i32.const 3))))"#;

    #[test]
    fn runs_a_preview1_command_and_captures_its_output() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let module = Module::new(&engine, HELLO.as_bytes()).unwrap();
        let options = StoreOptions {
            wasi: Some(WasiConfig {
                stdout: Output::Capture(1024),
                ..WasiConfig::default()
            }),
            ..StoreOptions::default()
        };
        let store = Store::new(&engine, &options).unwrap();
        assert_eq!(module.run_wasi_command(&store).unwrap(), 3);
        let (out, _) = store.enter(|s| Ok(s.captured_output())).unwrap();
        assert_eq!(out, b"hello\n");
    }
}
