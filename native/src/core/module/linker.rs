//! The core linker: host functions with core types, WASI preview 1, and items, instances and
//! modules of a store defined by name; instantiates core modules into a store.
//!
//! Host functions and WASI fit any store of the engine. Once an item of a store is defined
//! (`define`, `define_instance`, `define_module`), the linker belongs to that store and refuses
//! others (wasmtime's items never cross stores).

use std::any::Any;
use std::sync::{Arc, Mutex};

use wasmtime::{AsContextMut, Caller, Val};

use super::context::CallerScope;
use super::items;
use super::types::FuncSig;
use super::value::{from_wasm, to_wasm, CoreVal};
use super::Module;
use crate::core::engine::Engine;
use crate::core::error::{Error, HostFailure, Result};
use crate::core::store::{Store, StoreData};

/// What a host function sees of the call besides its arguments.
pub struct HostCallInfo<'a> {
    /// The adapter's state of the calling store (see `StoreData::adapter`).
    pub adapter: Option<&'a (dyn Any + Send + Sync)>,
    /// The id of the calling store ([`Store::id`]): the key to its caller's context.
    pub store_id: u64,
}

/// A core host function: reads `args`, writes `results` (pre-filled with zeros of the right
/// kinds). The store's items are reachable through [`super::context`] while it runs.
pub type CoreHostCallback =
    Arc<dyn Fn(&HostCallInfo<'_>, &[CoreVal], &mut [CoreVal]) -> Result<()> + Send + Sync>;

struct State {
    linker: Arc<wasmtime::Linker<StoreData>>,
    /// The store whose items were defined, if any.
    store: Option<u64>,
    wasi: bool,
    unknown_imports_trap: bool,
}

/// A core linker; shareable across threads.
pub struct CoreLinker {
    engine: Engine,
    state: Mutex<State>,
}

impl CoreLinker {
    /// An empty linker for `engine`.
    pub fn new(engine: &Engine) -> CoreLinker {
        CoreLinker {
            engine: engine.clone(),
            state: Mutex::new(State {
                linker: Arc::new(wasmtime::Linker::new(engine.wasmtime())),
                store: None,
                wasi: false,
                unknown_imports_trap: false,
            }),
        }
    }

    fn edit<R>(&self, f: impl FnOnce(&mut State) -> Result<R>) -> Result<R> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut state)
    }

    fn bind(state: &mut State, store: &Store) -> Result<()> {
        match state.store {
            Some(id) if id != store.id() => Err(Error::Mismatch(
                "this Linker holds items of another Store (defined with define, defineInstance \
                 or defineModule); such a linker can define and instantiate only in that Store"
                    .into(),
            )),
            _ => {
                state.store = Some(store.id());
                Ok(())
            }
        }
    }

    /// Lets later definitions replace earlier ones of the same name.
    pub fn allow_shadowing(&self, allow: bool) {
        let _ = self.edit(|s| {
            Arc::make_mut(&mut s.linker).allow_shadowing(allow);
            Ok(())
        });
    }

    /// Makes imports nothing defines into functions that trap when called (instead of failing
    /// the instantiation). Unknown non-function imports still fail it.
    pub fn define_unknown_imports_as_traps(&self, enable: bool) {
        let _ = self.edit(|s| {
            s.unknown_imports_trap = enable;
            Ok(())
        });
    }

    /// Defines the host function `module`.`name` of signature `sig`.
    pub fn define_func(
        &self,
        module: &str,
        name: &str,
        sig: &FuncSig,
        callback: CoreHostCallback,
    ) -> Result<()> {
        let ty = sig.to_wasmtime(self.engine.wasmtime());
        let result_types: Vec<wasmtime::ValType> = ty.results().collect();
        let label = format!("{module}::{name}");
        self.edit(|s| {
            Arc::make_mut(&mut s.linker)
                .func_new(module, name, ty, move |caller, params, results| {
                    serve(caller, &label, &callback, &result_types, params, results)
                        .map_err(HostFailure::into_wasmtime)
                })
                .map_err(Error::from_link)?;
            Ok(())
        })
    }

    /// Defines WASI preview 1 (`wasi_snapshot_preview1`), served from each store's WASI
    /// configuration.
    pub fn define_wasi(&self) -> Result<()> {
        self.edit(|s| {
            wasmtime_wasi::p1::add_to_linker_sync(
                Arc::make_mut(&mut s.linker),
                |d: &mut StoreData| {
                    d.p1.as_mut()
                        .expect("the preview 1 context is set before instantiation")
                },
            )
            .map_err(Error::from_link)?;
            s.wasi = true;
            Ok(())
        })
    }

    /// Defines item `id` of `store` as `module`.`name`.
    pub fn define(&self, store: &Store, module: &str, name: &str, id: u32) -> Result<()> {
        self.check_store(store)?;
        self.edit(|s| {
            Self::bind(s, store)?;
            super::context::with_context(store, |ctx| {
                let e = items::item(ctx, id)?;
                Arc::make_mut(&mut s.linker)
                    .define(&*ctx, module, name, e)
                    .map_err(Error::from_link)?;
                Ok(())
            })
        })
    }

    /// Defines every export of instance `instance` of `store` under the module name `name`.
    pub fn define_instance(&self, store: &Store, name: &str, instance: u32) -> Result<()> {
        self.check_store(store)?;
        self.edit(|s| {
            Self::bind(s, store)?;
            super::context::with_context(store, |ctx| {
                let inst = items::instance(ctx, instance)?;
                Arc::make_mut(&mut s.linker)
                    .instance(&mut *ctx, name, inst)
                    .map_err(Error::from_link)?;
                Ok(())
            })
        })
    }

    /// Defines the exports of `module` under the name `name`, instantiated with this linker's
    /// definitions when used (a command module afresh for each call, as wasmtime does).
    pub fn define_module(&self, store: &Store, name: &str, module: &Module) -> Result<()> {
        self.check_store(store)?;
        module
            .engine()
            .check_same(self.engine.wasmtime(), "the Linker")?;
        self.edit(|s| {
            Self::bind(s, store)?;
            let wasi = s.wasi;
            store.enter(|inner| {
                if wasi {
                    ensure_p1(&mut inner.store)?;
                }
                Arc::make_mut(&mut s.linker)
                    .module(&mut inner.store, name, module.wasmtime())
                    .map_err(Error::from_link)?;
                Ok(())
            })
        })
    }

    fn check_store(&self, store: &Store) -> Result<()> {
        self.engine
            .check_same(store.engine().wasmtime(), "the Store")
    }

    /// Instantiates `module` into `store`; returns the instance's id.
    pub fn instantiate(&self, store: &Store, module: &Module) -> Result<u32> {
        self.check_store(store)?;
        module
            .engine()
            .check_same(self.engine.wasmtime(), "the Linker")?;
        // The definitions are taken (a reference count) and the lock released before any wasm
        // runs: a start function may call a host function that edits this linker.
        let (linker, wasi) = self.edit(|s| {
            if let Some(id) = s.store {
                if id != store.id() {
                    return Err(Error::Mismatch(
                        "this Linker holds items of another Store (defined with define, \
                         defineInstance or defineModule): it instantiates only in that Store"
                            .into(),
                    ));
                }
            }
            let mut linker = s.linker.clone();
            if s.unknown_imports_trap {
                Arc::make_mut(&mut linker)
                    .define_unknown_imports_as_traps(module.wasmtime())
                    .map_err(Error::from_link)?;
            }
            Ok((linker, s.wasi))
        })?;
        store.enter(|inner| {
            if wasi {
                ensure_p1(&mut inner.store)?;
            }
            let instance = linker
                .instantiate(&mut inner.store, module.wasmtime())
                .map_err(Error::from_link)?;
            Ok(items::add_instance(&mut inner.store, instance))
        })
    }
}

/// Builds the store's WASI preview 1 context from its WASI configuration if it has none yet.
fn ensure_p1(store: &mut wasmtime::Store<StoreData>) -> Result<()> {
    let data = store.data_mut();
    if data.p1.is_none() {
        let config = data.wasi_config.clone().unwrap_or_default();
        let (ctx, captured) = config.build_p1()?;
        data.p1 = Some(ctx);
        data.captured = captured;
    }
    Ok(())
}

/// One call of a host function: arguments to host values, the callback with the caller's
/// context lent to it, results back to wasm values.
fn serve(
    mut caller: Caller<'_, StoreData>,
    label: &str,
    callback: &CoreHostCallback,
    result_types: &[wasmtime::ValType],
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    let mut args = Vec::with_capacity(params.len());
    for p in params {
        args.push(from_wasm(&mut caller, p)?);
    }
    let mut outs: Vec<CoreVal> = result_types
        .iter()
        .map(|t| CoreVal::zero(super::types::val_kind(t)))
        .collect();
    let store_id = caller.data().store_id;
    {
        let adapter: Option<*const (dyn Any + Send + Sync)> = caller
            .data()
            .adapter
            .as_deref()
            .map(|a| a as *const (dyn Any + Send + Sync));
        // Safety: the adapter's box is not replaced while a call runs (faces set it once, when
        // the store is made), so the pointer stays valid for the callback.
        let info = HostCallInfo {
            adapter: adapter.map(|p| unsafe { &*p }),
            store_id,
        };
        let ptr: *mut Caller<'_, StoreData> = &mut caller;
        // Safety: `caller` is not touched again until the scope ends.
        let _scope = unsafe { CallerScope::enter(ptr, store_id) };
        callback(&info, &args, &mut outs)?;
    }
    for (i, (o, t)) in outs.iter().zip(result_types).enumerate() {
        results[i] = to_wasm(caller.as_context_mut(), o, t, &|| {
            format!("result {} of host function {label}", i + 1)
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::module::types::ValKind;
    use crate::core::module::{func, global, instance, memory, table};
    use crate::core::{EngineConfig, StoreOptions};
    use std::sync::Mutex as StdMutex;

    fn calc() -> String {
        let path =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus/modules/calc.wat");
        std::fs::read_to_string(path).unwrap()
    }

    fn setup() -> (Engine, Store, CoreLinker, u32, Arc<StdMutex<Vec<u8>>>) {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let module = Module::new(&engine, calc().as_bytes()).unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let linker = CoreLinker::new(&engine);
        let logged = Arc::new(StdMutex::new(Vec::new()));
        let sink = logged.clone();
        let store_for_log = Arc::new(StdMutex::new(None::<u64>));
        let _ = store_for_log;
        linker
            .define_func(
                "host",
                "log",
                &FuncSig {
                    params: vec![ValKind::I32, ValKind::I32],
                    results: vec![],
                },
                Arc::new(move |info, args, _| {
                    let (CoreVal::I32(ptr), CoreVal::I32(len)) = (args[0], args[1]) else {
                        panic!("i32 arguments")
                    };
                    let bytes = crate::core::module::context::with_caller(info.store_id, |c| {
                        let m = c.get_export("memory").unwrap().into_memory().unwrap();
                        let mut buf = vec![0; len as usize];
                        m.read(&*c, ptr as usize, &mut buf).unwrap();
                        buf
                    })
                    .expect("a caller during the call");
                    sink.lock().unwrap().extend_from_slice(&bytes);
                    Ok(())
                }),
            )
            .unwrap();
        linker
            .define_func(
                "host",
                "twice",
                &FuncSig {
                    params: vec![ValKind::I64],
                    results: vec![ValKind::I64],
                },
                Arc::new(|_, args, results| {
                    let CoreVal::I64(x) = args[0] else { panic!() };
                    results[0] = CoreVal::I64(x * 2);
                    Ok(())
                }),
            )
            .unwrap();
        let id = linker.instantiate(&store, &module).unwrap();
        (engine, store, linker, id, logged)
    }

    fn export(store: &Store, inst: u32, name: &str) -> u32 {
        super::super::context::with_context(store, |ctx| Ok(instance::export(ctx, inst, name)?.0))
            .unwrap()
    }

    #[test]
    fn calls_exports_dynamically_and_raw() {
        let (_, store, _, inst, _) = setup();
        let add = export(&store, inst, "add");
        let r = store
            .enter(|s| func::call(s, add, &[CoreVal::I32(40), CoreVal::I32(2)]))
            .unwrap();
        assert_eq!(r, vec![CoreVal::I32(42)]);
        let mut out = [0u64; 2];
        store
            .enter(|s| func::call_raw(s, add, &[(-5i64) as u64, 2], &mut out))
            .unwrap();
        assert_eq!(out[0] as i64, -3, "an i32 result is sign-extended");
        let divmod = export(&store, inst, "divmod");
        store
            .enter(|s| func::call_raw(s, divmod, &[17, 5], &mut out))
            .unwrap();
        assert_eq!(out, [3, 2]);
        let mix = export(&store, inst, "mix");
        store
            .enter(|s| {
                func::call_raw(
                    s,
                    mix,
                    &[1.5f32.to_bits() as u64, 2.25f64.to_bits(), 3],
                    &mut out,
                )
            })
            .unwrap();
        assert_eq!(f64::from_bits(out[0]), 6.75);
        // The same export looked up again keeps its id; the table's function is the same one.
        assert_eq!(export(&store, inst, "add"), add);
        let get_fn = export(&store, inst, "get-fn");
        let r = store
            .enter(|s| func::call(s, get_fn, &[CoreVal::I32(0)]))
            .unwrap();
        assert_eq!(r, vec![CoreVal::FuncRef(Some(add))]);
        let err = store
            .enter(|s| func::call(s, add, &[CoreVal::I64(1), CoreVal::I32(2)]))
            .unwrap_err();
        assert!(err.to_string().contains("argument 1 must be i32"), "{err}");
        let identity = export(&store, inst, "identity");
        let err = store
            .enter(|s| func::call_raw(s, identity, &[1], &mut out))
            .unwrap_err();
        assert!(err.to_string().contains("not numbers only"), "{err}");
    }

    #[test]
    fn host_functions_read_the_callers_memory() {
        let (_, store, _, inst, logged) = setup();
        let greet = export(&store, inst, "greet");
        store.enter(|s| func::call(s, greet, &[])).unwrap();
        assert_eq!(&*logged.lock().unwrap(), b"hello from wasm");
        let quad = export(&store, inst, "quadruple");
        let r = store
            .enter(|s| func::call(s, quad, &[CoreVal::I64(5)]))
            .unwrap();
        assert_eq!(r, vec![CoreVal::I64(20)]);
    }

    #[test]
    fn references_cross_as_ids_and_keys() {
        let (_, store, _, inst, _) = setup();
        let identity = export(&store, inst, "identity");
        for v in [CoreVal::ExternRef(Some(77)), CoreVal::ExternRef(None)] {
            let r = store.enter(|s| func::call(s, identity, &[v])).unwrap();
            assert_eq!(r, vec![v]);
        }
        let v128 = export(&store, inst, "v128-add");
        let r = store
            .enter(|s| {
                func::call(
                    s,
                    v128,
                    &[CoreVal::V128(1 | (2 << 32)), CoreVal::V128(10 | (20 << 32))],
                )
            })
            .unwrap();
        assert_eq!(r, vec![CoreVal::V128(11 | (22 << 32))]);
    }

    #[test]
    fn memories_globals_and_tables() {
        let (_, store, _, inst, _) = setup();
        let mem = export(&store, inst, "memory");
        memory::with_memory(&store, memory::MemRef::Id(mem), |ctx, m| {
            assert_eq!(memory::pages(ctx, m), 1);
            assert_eq!(&memory::range(ctx, m, 16, 5)?[..], b"hello");
            memory::range(ctx, m, 0, 2)?.copy_from_slice(b"hi");
            assert!(memory::range(ctx, m, 65535, 2).is_err());
            assert!(memory::range(ctx, m, u64::MAX, 2).is_err());
            assert_eq!(memory::grow(ctx, m, 1), Some(1));
            assert_eq!(
                memory::grow(ctx, m, 10),
                None,
                "past its maximum of 4 pages"
            );
            assert_eq!(memory::data_size(ctx, m), 2 * 65536);
            Ok(())
        })
        .unwrap();
        let err = memory::with_memory(
            &store,
            memory::MemRef::CallerExport("memory"),
            |_, _| Ok(()),
        )
        .unwrap_err();
        assert!(err.to_string().contains("has returned"), "{err}");

        let counter = export(&store, inst, "counter");
        let answer = export(&store, inst, "answer");
        let add = export(&store, inst, "add");
        store
            .enter(|s| func::call(s, add, &[CoreVal::I32(1), CoreVal::I32(1)]))
            .unwrap();
        super::super::context::with_context(&store, |ctx| {
            assert_eq!(global::get(ctx, counter)?, CoreVal::I32(1));
            global::set(ctx, counter, &CoreVal::I32(9))?;
            assert_eq!(global::get(ctx, counter)?, CoreVal::I32(9));
            assert!(global::set(ctx, answer, &CoreVal::I64(1)).is_err());
            assert!(global::set(ctx, counter, &CoreVal::I64(1)).is_err());
            assert_eq!(global::ty(ctx, answer)?, (ValKind::I64, false));

            let fns = export_in(ctx, inst, "fns");
            assert_eq!(table::size(ctx, fns)?, 2);
            assert_eq!(table::get(ctx, fns, 0)?, CoreVal::FuncRef(Some(add)));
            assert!(table::get(ctx, fns, 2).is_err());
            assert_eq!(
                table::grow(ctx, fns, 3, &CoreVal::FuncRef(Some(add)))?,
                Some(2)
            );
            assert_eq!(table::get(ctx, fns, 4)?, CoreVal::FuncRef(Some(add)));
            table::set(ctx, fns, 1, &CoreVal::FuncRef(None))?;
            assert!(table::set(ctx, fns, 1, &CoreVal::ExternRef(None)).is_err());
            let g = global::create(ctx, ValKind::F64, true, &CoreVal::F64(1.5f64.to_bits()))?;
            assert_eq!(global::get(ctx, g)?, CoreVal::F64(1.5f64.to_bits()));
            Ok(())
        })
        .unwrap();
        let call_indirect = export(&store, inst, "call-indirect");
        let err = store
            .enter(|s| {
                func::call(
                    s,
                    call_indirect,
                    &[CoreVal::I32(1), CoreVal::I32(1), CoreVal::I32(1)],
                )
            })
            .unwrap_err();
        assert!(matches!(err, Error::Trap(_)), "{err:?}");
    }

    fn export_in(ctx: &mut wasmtime::StoreContextMut<'_, StoreData>, inst: u32, n: &str) -> u32 {
        instance::export(ctx, inst, n).unwrap().0
    }

    #[test]
    fn a_linker_with_store_items_refuses_other_stores() {
        let (engine, store, linker, inst, _) = setup();
        linker.define_instance(&store, "calc", inst).unwrap();
        let other = Store::new(&engine, &StoreOptions::default()).unwrap();
        let m = Module::new(&engine, b"(module)").unwrap();
        let err = linker.instantiate(&other, &m).unwrap_err();
        assert!(matches!(err, Error::Mismatch(_)), "{err:?}");
        let user = Module::new(
            &engine,
            br#"(module (import "calc" "add" (func (param i32 i32) (result i32))))"#,
        )
        .unwrap();
        linker.instantiate(&store, &user).unwrap();
    }

    #[test]
    fn unknown_imports_fail_or_trap_and_kinds_are_named() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let m = Module::new(
            &engine,
            br#"(module (import "x" "f" (func $f)) (func (export "g") call $f))"#,
        )
        .unwrap();
        let linker = CoreLinker::new(&engine);
        assert!(matches!(
            linker.instantiate(&store, &m),
            Err(Error::Link { .. })
        ));
        linker.define_unknown_imports_as_traps(true);
        let inst = linker.instantiate(&store, &m).unwrap();
        let g = export(&store, inst, "g");
        assert!(matches!(
            store.enter(|s| func::call(s, g, &[])),
            Err(Error::Trap(_))
        ));
        let err = Module::new(&engine, b"(component)").err().unwrap();
        assert!(
            err.to_string().contains("are a component, not a core"),
            "{err}"
        );
    }

    #[test]
    fn serialized_modules_are_checked() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let m = Module::new(&engine, calc().as_bytes()).unwrap();
        let mut bytes = m.serialize().unwrap();
        let again = Module::deserialize(&engine, &bytes).unwrap();
        assert_eq!(again.exports().len(), m.exports().len());
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(Module::deserialize(&engine, &bytes).is_err());
        Module::validate(&engine, b"(module)").unwrap();
        assert!(Module::validate(&engine, b"(module (func (result i32)))").is_err());
    }
}
