//! Func: an exported component function, its type, the dynamic call with `Val`s and the
//! scalar fast path.
//!
//! The fast path serves functions whose parameters and result are all scalars (numbers, bool,
//! char). Arguments and the result travel as 64-bit slots: integers sign- or zero-extended as
//! their type says, `f32`/`f64` as their raw bits, `char` as its code point, `bool` as 0 or 1.
//! The most common signatures are called through wasmtime's typed functions; the rest through
//! the dynamic call with values on the stack, so no call allocates.

use std::sync::Arc;

use smallvec::SmallVec;
use wasmtime::component::types as wt;
use wasmtime::component::{TypedFunc, Val};

use super::error::{Error, Result};
use super::instance::FuncId;
use super::scalar::{ScalarKind, Slot};
use super::store::StoreData;
use super::store::StoreInner;
use super::types::FuncType;

/// Calls `func` with values already converted by its type (see [`StoreInner::with_func`]);
/// failures are classified as [`StoreInner::call`] classifies them.
pub fn call_func(
    func: wasmtime::component::Func,
    store: &mut wasmtime::Store<StoreData>,
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    func.call(store, params, results)
        .map_err(Error::from_func_call)
}

pub(crate) struct FuncEntry {
    func: wasmtime::component::Func,
    name: String,
    ty: Arc<FuncType>,
    wasm_ty: wt::ComponentFunc,
    /// `None` until the first fast-path call; then whether the function qualifies.
    scalar: Option<Option<ScalarPlan>>,
}

impl FuncEntry {
    pub(crate) fn new(
        func: wasmtime::component::Func,
        name: String,
        ty: FuncType,
        wasm_ty: wt::ComponentFunc,
    ) -> FuncEntry {
        FuncEntry {
            func,
            name,
            ty: Arc::new(ty),
            wasm_ty,
            scalar: None,
        }
    }
}

enum CallError {
    Arg(usize, String),
    Other(Error),
}

/// Typed functions for the commonest all-scalar signatures.
macro_rules! typed_shapes {
    ($( $variant:ident ( $($p:ident),* ) -> $r:tt ;)*) => {
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum Typed {
            $( $variant(TypedFunc<($($p,)*), typed_shapes!(@ret $r)>), )*
        }

        impl Typed {
            fn find(
                func: &wasmtime::component::Func,
                store: &wasmtime::Store<super::store::StoreData>,
                params: &[ScalarKind],
                result: Option<ScalarKind>,
            ) -> Option<Typed> {
                $(
                    if params == [$(<$p as Slot>::KIND),*] && result == typed_shapes!(@kind $r) {
                        return func.typed::<($($p,)*), typed_shapes!(@ret $r)>(store).ok().map(Typed::$variant);
                    }
                )*
                None
            }

            #[allow(unused_variables, unused_mut, unused_assignments)]
            fn call(
                self,
                store: &mut wasmtime::Store<super::store::StoreData>,
                args: &[u64],
            ) -> std::result::Result<u64, CallError> {
                match self {
                    $(
                        Typed::$variant(f) => {
                            let mut i = 0;
                            let params = ($({
                                let v = <$p as Slot>::from_slot(args[i]).map_err(|m| CallError::Arg(i, m))?;
                                i += 1;
                                v
                            },)*);
                            let ret = f.call(&mut *store, params).map_err(|e| CallError::Other(Error::from_func_call(e)))?;
                            Ok(typed_shapes!(@slot $r, ret))
                        }
                    )*
                }
            }
        }
    };
    (@ret ()) => { () };
    (@ret $r:ident) => { ($r,) };
    (@kind ()) => { None };
    (@kind $r:ident) => { Some(<$r as Slot>::KIND) };
    (@slot (), $v:expr) => { { let () = $v; 0 } };
    (@slot $r:ident, $v:expr) => { <$r as Slot>::to_slot($v.0) };
}

typed_shapes! {
    V_V() -> ();
    V_U32() -> u32; V_S32() -> i32; V_U64() -> u64; V_S64() -> i64; V_F32() -> f32; V_F64() -> f64;
    U32_V(u32) -> (); S32_V(i32) -> (); U64_V(u64) -> (); S64_V(i64) -> (); F32_V(f32) -> (); F64_V(f64) -> ();
    U32_U32(u32) -> u32; S32_S32(i32) -> i32; U64_U64(u64) -> u64; S64_S64(i64) -> i64; F32_F32(f32) -> f32; F64_F64(f64) -> f64;
    U32U32_V(u32, u32) -> (); S32S32_V(i32, i32) -> (); U64U64_V(u64, u64) -> (); S64S64_V(i64, i64) -> ();
    U32U32_U32(u32, u32) -> u32; S32S32_S32(i32, i32) -> i32; U64U64_U64(u64, u64) -> u64; S64S64_S64(i64, i64) -> i64;
    F32F32_F32(f32, f32) -> f32; F64F64_F64(f64, f64) -> f64;
    U32U32U32_U32(u32, u32, u32) -> u32; S32S32S32_S32(i32, i32, i32) -> i32;
    U64U64U64_U64(u64, u64, u64) -> u64; S64S64S64_S64(i64, i64, i64) -> i64;
    F64F64F64_F64(f64, f64, f64) -> f64;
}

#[derive(Clone)]
struct ScalarPlan {
    params: SmallVec<[ScalarKind; 8]>,
    result: Option<ScalarKind>,
    typed: Option<Typed>,
}

/// Most parameters the scalar fast path takes.
pub const MAX_SCALAR_PARAMS: usize = 16;

impl StoreInner {
    fn func_entry(&self, id: FuncId) -> Result<&FuncEntry> {
        self.funcs
            .get(id.0 as usize)
            .ok_or_else(|| Error::InvalidArgument(format!("no function {} in this store", id.0)))
    }

    /// The type of a function.
    pub fn func_type(&self, id: FuncId) -> Result<Arc<FuncType>> {
        Ok(self.func_entry(id)?.ty.clone())
    }

    /// The name (export path) a function was looked up by.
    pub fn func_name(&self, id: FuncId) -> Result<String> {
        Ok(self.func_entry(id)?.name.clone())
    }

    /// wasmtime's view of the function's type (for WAVE).
    pub fn func_wasm_type(&self, id: FuncId) -> Result<wt::ComponentFunc> {
        Ok(self.func_entry(id)?.wasm_ty.clone())
    }

    /// Runs `f` with a function's type borrowed alongside the store it lives in (no copy of the
    /// type): for adapters that convert their callers' values by the type and then call
    /// [`call_func`].
    pub fn with_func<R>(
        &mut self,
        id: FuncId,
        f: impl FnOnce(
            &FuncType,
            wasmtime::component::Func,
            &mut wasmtime::Store<StoreData>,
        ) -> Result<R>,
    ) -> Result<R> {
        let StoreInner { funcs, store, .. } = self;
        let entry = funcs
            .get(id.0 as usize)
            .ok_or_else(|| Error::InvalidArgument(format!("no function {} in this store", id.0)))?;
        f(&entry.ty, entry.func, store)
    }

    /// Calls a function with values; `results` must have one slot per result.
    pub fn call(&mut self, id: FuncId, params: &[Val], results: &mut [Val]) -> Result<()> {
        let entry = self.func_entry(id)?;
        if params.len() != entry.ty.params.len() {
            return Err(Error::InvalidArgument(format!(
                "`{}` takes {} argument(s) ({}), got {}",
                entry.name,
                entry.ty.params.len(),
                entry.ty,
                params.len()
            )));
        }
        if results.len() != entry.ty.results.len() {
            return Err(Error::InvalidArgument(format!(
                "`{}` returns {} result(s), room was given for {}",
                entry.name,
                entry.ty.results.len(),
                results.len()
            )));
        }
        let func = entry.func;
        func.call(&mut self.store, params, results)
            .map_err(Error::from_func_call)
    }

    /// Whether the scalar fast path can call this function.
    pub fn is_scalar(&mut self, id: FuncId) -> Result<bool> {
        Ok(self.scalar_plan(id)?.is_some())
    }

    fn scalar_plan(&mut self, id: FuncId) -> Result<Option<ScalarPlan>> {
        let entry = self.func_entry(id)?;
        if let Some(plan) = &entry.scalar {
            return Ok(plan.clone());
        }
        let params: Option<SmallVec<[ScalarKind; 8]>> = entry
            .ty
            .params
            .iter()
            .map(|(_, t)| ScalarKind::of(t))
            .collect();
        let result = match entry.ty.results.as_slice() {
            [] => Some(None),
            [one] => ScalarKind::of(one).map(Some),
            _ => None,
        };
        let plan = match (params, result) {
            (Some(params), Some(result))
                if params.len() <= MAX_SCALAR_PARAMS && !entry.ty.is_async =>
            {
                let typed = Typed::find(&entry.func, &self.store, &params, result);
                Some(ScalarPlan {
                    params,
                    result,
                    typed,
                })
            }
            _ => None,
        };
        self.funcs[id.0 as usize].scalar = Some(plan.clone());
        Ok(plan)
    }

    /// Calls an all-scalar function with its arguments as slots; returns the result slot (0
    /// when the function returns nothing).
    pub fn call_scalar(&mut self, id: FuncId, args: &[u64]) -> Result<u64> {
        // The hot path: a typed specialisation, copied out without cloning the plan.
        if let Some(Some(ScalarPlan {
            params,
            typed: Some(typed),
            ..
        })) = &self.func_entry(id)?.scalar
        {
            if args.len() == params.len() {
                let typed = *typed;
                return typed.call(&mut self.store, args).map_err(|e| match e {
                    CallError::Arg(i, message) => self.arg_error(id, i, message),
                    CallError::Other(e) => e,
                });
            }
        }
        let plan = match &self.func_entry(id)?.scalar {
            Some(Some(plan)) => plan.clone(),
            Some(None) => return Err(self.not_scalar(id)),
            None => match self.scalar_plan(id)? {
                Some(plan) => plan,
                None => return Err(self.not_scalar(id)),
            },
        };
        if args.len() != plan.params.len() {
            let entry = self.func_entry(id)?;
            return Err(Error::InvalidArgument(format!(
                "`{}` takes {} argument(s) ({}), got {}",
                entry.name,
                plan.params.len(),
                entry.ty,
                args.len()
            )));
        }
        if let Some(typed) = plan.typed {
            return typed.call(&mut self.store, args).map_err(|e| match e {
                CallError::Arg(i, message) => self.arg_error(id, i, message),
                CallError::Other(e) => e,
            });
        }
        let mut params: SmallVec<[Val; 8]> = SmallVec::with_capacity(args.len());
        for (i, (kind, slot)) in plan.params.iter().zip(args).enumerate() {
            match kind.to_val(*slot) {
                Ok(v) => params.push(v),
                Err(message) => return Err(self.arg_error(id, i, message)),
            }
        }
        let func = self.func_entry(id)?.func;
        match plan.result {
            None => {
                func.call(&mut self.store, &params, &mut [])
                    .map_err(Error::from_func_call)?;
                Ok(0)
            }
            Some(_) => {
                let mut results = [Val::Bool(false)];
                func.call(&mut self.store, &params, &mut results)
                    .map_err(Error::from_func_call)?;
                ScalarKind::from_val(&results[0])
                    .ok_or_else(|| Error::Runtime("scalar function returned a non-scalar".into()))
            }
        }
    }

    fn arg_error(&self, id: FuncId, index: usize, message: String) -> Error {
        match self.func_entry(id) {
            Ok(entry) => Error::InvalidArgument(format!(
                "argument `{}` of `{}`: {message}",
                entry.ty.params[index].0, entry.name
            )),
            Err(e) => e,
        }
    }

    fn not_scalar(&self, id: FuncId) -> Error {
        match self.func_entry(id) {
            Ok(entry) => Error::InvalidArgument(format!(
                "`{}` has type {}, which is not all scalars (numbers, bool, char with at most \
                 one result), so it cannot use the scalar fast path",
                entry.name, entry.ty
            )),
            Err(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::fixture;
    use crate::core::{Component, Engine, EngineConfig, InstanceId, Linker, Store, StoreOptions};

    fn instance(name: &str) -> (Store, InstanceId) {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(&engine, &fixture(name)).unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let id = Linker::new(&engine)
            .instantiate(&store, &component)
            .unwrap();
        (store, id)
    }

    #[test]
    fn dynamic_call_round_trips_values() {
        let (store, id) = instance("echo");
        store
            .enter(|s| {
                let f = s.instance_func(id, &["echo-person"])?;
                let person = Val::Record(vec![
                    ("first-name".into(), Val::String("Zoë".into())),
                    ("age".into(), Val::U8(255)),
                    ("tags".into(), Val::List(vec![Val::String(String::new())])),
                ]);
                let mut out = [Val::Bool(false)];
                s.call(f, std::slice::from_ref(&person), &mut out)?;
                assert_eq!(out[0], person);
                assert_eq!(
                    s.func_type(f)?.to_string(),
                    "func(v: record { first-name: string, age: u8, tags: list<string> }) -> \
                     record { first-name: string, age: u8, tags: list<string> }"
                );
                let err = s.call(f, &[], &mut out).unwrap_err();
                assert!(
                    matches!(err, Error::InvalidArgument(ref m) if m.contains("takes 1")),
                    "{err}"
                );
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn scalar_path_uses_typed_and_dynamic_calls_alike() {
        let (store, id) = instance("echo");
        store
            .enter(|s| {
                // u32 -> u32 has a typed specialisation; u8 and char go through the dynamic call.
                let u32_echo = s.instance_func(id, &["echo-u32"])?;
                assert_eq!(
                    s.call_scalar(u32_echo, &[u32::MAX as u64])?,
                    u32::MAX as u64
                );
                let u8_echo = s.instance_func(id, &["echo-u8"])?;
                assert_eq!(s.call_scalar(u8_echo, &[255])?, 255);
                let char_echo = s.instance_func(id, &["echo-char"])?;
                assert_eq!(s.call_scalar(char_echo, &['🌍' as u64])?, '🌍' as u64);
                let f64_echo = s.instance_func(id, &["echo-f64"])?;
                let nan = f64::from_bits(0x7ff8_0000_dead_beef);
                assert_eq!(s.call_scalar(f64_echo, &[nan.to_bits()])?, nan.to_bits());
                let s64_echo = s.instance_func(id, &["echo-s64"])?;
                assert_eq!(
                    s.call_scalar(s64_echo, &[i64::MIN as u64])?,
                    i64::MIN as u64
                );

                for (f, bad) in [(u32_echo, 1u64 << 32), (u8_echo, 256), (char_echo, 0xd800)] {
                    match s.call_scalar(f, &[bad]) {
                        Err(Error::InvalidArgument(m)) => {
                            assert!(m.contains("argument `v`"), "{m}")
                        }
                        other => panic!("{bad:#x} accepted: {other:?}"),
                    }
                }
                let strings = s.instance_func(id, &["echo-string"])?;
                assert!(!s.is_scalar(strings)?);
                assert!(matches!(
                    s.call_scalar(strings, &[0]),
                    Err(Error::InvalidArgument(_))
                ));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn canonical_abi_violations_are_traps() {
        // The guest returns discriminant 2 for a two-case enum: wasmtime reports it as a plain
        // error while lifting the result, but it is the guest's fault, so a trap without a code.
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(
            &engine,
            r#"(component
                 (core module $m (func (export "f") (result i32) i32.const 2))
                 (core instance $i (instantiate $m))
                 (type $e (enum "a" "b"))
                 (export $exported "e" (type $e))
                 (func (export "f") (result $exported) (canon lift (core func $i "f"))))"#,
        )
        .unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let id = Linker::new(&engine)
            .instantiate(&store, &component)
            .unwrap();
        store
            .enter(|s| {
                let f = s.instance_func(id, &["f"])?;
                let mut out = [Val::Bool(false)];
                match s.call(f, &[], &mut out) {
                    Err(Error::Trap(info)) => {
                        assert_eq!(info.code, None);
                        assert!(info.message.contains("out of range"), "{}", info.message);
                    }
                    other => panic!("expected a trap, got {other:?}"),
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn canonical_abi_violations_in_start_functions_are_traps_not_link_errors() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(
            &engine,
            r#"(component
                 (type $r (resource (rep i32)))
                 (core func $drop (canon resource.drop $r))
                 (core module $m
                   (import "" "drop" (func $drop (param i32)))
                   (func $start (call $drop (i32.const 7)))
                   (start $start))
                 (core instance (instantiate $m
                   (with "" (instance (export "drop" (func $drop)))))))"#,
        )
        .unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        match Linker::new(&engine).instantiate(&store, &component) {
            Err(Error::Trap(info)) => {
                assert_eq!(info.code, None);
                assert!(
                    info.message.contains("unknown handle index 7"),
                    "{}",
                    info.message
                );
            }
            other => panic!("expected a trap, got {other:?}"),
        }
        // A missing import is still a link error.
        let importer =
            Component::from_wat(&engine, r#"(component (import "missing" (func)))"#).unwrap();
        assert!(matches!(
            Linker::new(&engine).instantiate(&store, &importer),
            Err(Error::Link { .. })
        ));
    }

    #[test]
    fn traps_carry_their_code_and_frames() {
        let (store, id) = instance("traps");
        store
            .enter(|s| {
                let f = s.instance_func(id, &["divide"])?;
                match s.call_scalar(f, &[1, 0]) {
                    Err(Error::Trap(info)) => {
                        assert_eq!(info.code, Some(wasmtime::Trap::IntegerDivisionByZero));
                        assert!(!info.frames.is_empty());
                    }
                    other => panic!("expected a trap, got {other:?}"),
                }
                let ok = s.instance_func(id, &["ok"])?;
                match s.call_scalar(ok, &[]) {
                    Err(Error::Trap(info)) => {
                        assert_eq!(info.code, Some(wasmtime::Trap::CannotEnterComponent));
                        assert!(info.message.contains("new Store"), "{}", info.message);
                    }
                    other => panic!("expected the store to be poisoned, got {other:?}"),
                }
                Ok(())
            })
            .unwrap();
    }
}
