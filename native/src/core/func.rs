//! Func: an exported component function as a store keeps it: its name, its type, and the plan
//! of the scalar fast path. Calls are made by [`super::call`].
//!
//! The fast path serves functions whose parameters and result are all scalars (numbers, bool,
//! char). Arguments and the result travel as 64-bit slots: integers sign- or zero-extended as
//! their type says, `f32`/`f64` as their raw bits, `char` as its code point, `bool` as 0 or 1.
//! The most common signatures are called through wasmtime's typed functions; the rest through
//! the dynamic call with values on the stack, so no call allocates.

use std::sync::Arc;

use smallvec::SmallVec;
use wasmtime::component::types as wt;
use wasmtime::component::TypedFunc;

use super::error::Error;
use super::scalar::{ScalarKind, Slot};
use super::types::FuncType;

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

/// Why a typed scalar call failed: argument `i` is out of range, or the call failed.
pub(crate) enum TypedError {
    Arg(usize, String),
    Call(Error),
}

/// Typed functions for the commonest all-scalar signatures.
macro_rules! typed_shapes {
    ($( $variant:ident ( $($p:ident),* ) -> $r:tt ;)*) => {
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        pub(crate) enum Typed {
            $( $variant(TypedFunc<($($p,)*), typed_shapes!(@ret $r)>), )*
        }

        impl Typed {
            fn find<T>(
                func: &wasmtime::component::Func,
                store: &wasmtime::Store<T>,
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
            pub(crate) fn call<T>(
                self,
                store: &mut wasmtime::Store<T>,
                args: &[u64],
            ) -> std::result::Result<u64, TypedError> {
                match self {
                    $(
                        Typed::$variant(f) => {
                            let mut i = 0;
                            let params = ($({
                                let v = <$p as Slot>::from_slot(args[i]).map_err(|m| TypedError::Arg(i, m))?;
                                i += 1;
                                v
                            },)*);
                            let ret = f.call(&mut *store, params).map_err(|e| TypedError::Call(Error::from_func_call(e)))?;
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

/// How the scalar fast path calls a function.
#[derive(Clone)]
pub(crate) struct ScalarPlan {
    pub(crate) params: SmallVec<[ScalarKind; 8]>,
    pub(crate) result: Option<ScalarKind>,
    pub(crate) typed: Option<Typed>,
}

/// Most parameters the scalar fast path takes.
pub const MAX_SCALAR_PARAMS: usize = 16;

impl FuncEntry {
    /// The wasmtime function.
    pub(crate) fn func(&self) -> wasmtime::component::Func {
        self.func
    }

    /// The name (export path) it was looked up by.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Its type.
    pub(crate) fn ty(&self) -> &FuncType {
        &self.ty
    }

    /// Its type, shared.
    pub(crate) fn shared_ty(&self) -> Arc<FuncType> {
        self.ty.clone()
    }

    /// wasmtime's view of its type (for WAVE).
    pub(crate) fn wasm_ty(&self) -> &wt::ComponentFunc {
        &self.wasm_ty
    }

    /// The typed specialisation, when the plan is made, has one, and takes `args` arguments.
    #[inline]
    pub(crate) fn typed_for(&self, args: usize) -> Option<Typed> {
        match &self.scalar {
            Some(Some(ScalarPlan {
                params,
                typed: Some(typed),
                ..
            })) if params.len() == args => Some(*typed),
            _ => None,
        }
    }

    /// The scalar plan, made on first use; `None` when the function does not qualify.
    pub(crate) fn scalar_plan<T>(&mut self, store: &wasmtime::Store<T>) -> Option<ScalarPlan> {
        if let Some(plan) = &self.scalar {
            return plan.clone();
        }
        let params: Option<SmallVec<[ScalarKind; 8]>> = self
            .ty
            .params
            .iter()
            .map(|(_, t)| ScalarKind::of(t))
            .collect();
        let result = match self.ty.results.as_slice() {
            [] => Some(None),
            [one] => ScalarKind::of(one).map(Some),
            _ => None,
        };
        let plan = match (params, result) {
            (Some(params), Some(result))
                if params.len() <= MAX_SCALAR_PARAMS && !self.ty.is_async =>
            {
                let typed = Typed::find(&self.func, store, &params, result);
                Some(ScalarPlan {
                    params,
                    result,
                    typed,
                })
            }
            _ => None,
        };
        self.scalar = Some(plan.clone());
        plan
    }
}
