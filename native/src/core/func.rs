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
use super::types::{FuncType, ValType};

pub(crate) struct FuncEntry {
    func: wasmtime::component::Func,
    name: String,
    ty: Arc<FuncType>,
    wasm_ty: wt::ComponentFunc,
    /// `None` until the first fast-path call; then whether the function qualifies.
    scalar: Option<Option<ScalarPlan>>,
    /// `None` until the first call; then the function's bulk shape, if it has one.
    bulk: Option<Option<BulkShape>>,
    /// The argument values of the last dynamic call, kept to read the next call's into (see
    /// `Source::read_into`): a call with a list of records then allocates nothing new.
    spare_params: Vec<wasmtime::component::Val>,
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
            bulk: None,
            spare_params: Vec::new(),
        }
    }

    /// The last call's argument values (empty when none were kept).
    pub(crate) fn take_spare_params(&mut self) -> Vec<wasmtime::component::Val> {
        std::mem::take(&mut self.spare_params)
    }

    /// Keeps a call's argument values for the next call.
    pub(crate) fn keep_spare_params(&mut self, params: Vec<wasmtime::component::Val>) {
        self.spare_params = params;
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

    /// Makes the scalar plan and finds the bulk shape, once (see [`FuncEntry::scalar`] and
    /// [`FuncEntry::bulk`]).
    pub(crate) fn make_plans<T>(&mut self, store: &wasmtime::Store<T>) {
        if self.scalar.is_none() {
            self.scalar_plan(store);
        }
        if self.bulk.is_none() {
            self.bulk_shape(store);
        }
    }

    /// The scalar plan, when made and the function has one.
    pub(crate) fn scalar(&self) -> Option<&ScalarPlan> {
        self.scalar.as_ref()?.as_ref()
    }

    /// The bulk shape, when found and the function has one.
    pub(crate) fn bulk(&self) -> Option<BulkShape> {
        self.bulk.flatten()
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

/// What a parameter or result of a bulk shape is: the types whose values are bytes (a string,
/// a `list<u8>`), which the bulk path passes straight from the caller's memory into the guest's
/// and back, without building a `Val` per byte; and the small scalars beside them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkKind {
    Str,
    Bytes,
    U32,
    Bool,
}

impl BulkKind {
    fn of(t: &ValType) -> Option<BulkKind> {
        match t {
            ValType::String => Some(BulkKind::Str),
            ValType::List(e) if matches!(**e, ValType::U8) => Some(BulkKind::Bytes),
            ValType::U32 => Some(BulkKind::U32),
            ValType::Bool => Some(BulkKind::Bool),
            _ => None,
        }
    }
}

/// An argument of a bulk call, borrowed from the caller.
#[derive(Clone, Copy, Debug)]
pub enum BulkArg<'b> {
    Str(&'b str),
    Bytes(&'b [u8]),
    U32(u32),
}

impl<'b> BulkArg<'b> {
    fn str(&self) -> Option<&'b str> {
        match self {
            BulkArg::Str(s) => Some(s),
            _ => None,
        }
    }
    fn bytes(&self) -> Option<&'b [u8]> {
        match self {
            BulkArg::Bytes(b) => Some(b),
            _ => None,
        }
    }
    fn u32(&self) -> Option<u32> {
        match self {
            BulkArg::U32(x) => Some(*x),
            _ => None,
        }
    }
}

/// The result of a bulk call.
#[derive(Debug, PartialEq)]
pub enum BulkOut {
    None,
    Str(String),
    Bytes(Vec<u8>),
    U32(u32),
    Bool(bool),
}

impl BulkOut {
    /// The result as a `Val`, for a face that takes only values.
    pub fn to_val(&self) -> Option<wasmtime::component::Val> {
        use wasmtime::component::Val;
        Some(match self {
            BulkOut::None => return None,
            BulkOut::Str(s) => Val::String(s.clone()),
            BulkOut::Bytes(b) => Val::List(b.iter().map(|x| Val::U8(*x)).collect()),
            BulkOut::U32(x) => Val::U32(*x),
            BulkOut::Bool(b) => Val::Bool(*b),
        })
    }
}

/// Typed functions for the bulk shapes: one or two parameters, at least one of them (or the
/// result) bytes. Checked once against the function's type (`find`); each call then makes the
/// typed function for the arguments' lifetime without checking again.
macro_rules! bulk_shapes {
    ($( $variant:ident ( $($p:ident),* ) -> $r:tt ;)*) => {
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        pub(crate) enum BulkShape {
            $( $variant, )*
        }

        impl BulkShape {
            fn find<T>(
                func: &wasmtime::component::Func,
                store: &wasmtime::Store<T>,
                params: &[BulkKind],
                result: Option<BulkKind>,
            ) -> Option<BulkShape> {
                $(
                    if params == [$(bulk_shapes!(@kind $p)),*] && result == bulk_shapes!(@rkind $r) {
                        return func
                            .typed::<($(bulk_shapes!(@static $p),)*), bulk_shapes!(@ret $r)>(store)
                            .ok()
                            .map(|_| BulkShape::$variant);
                    }
                )*
                None
            }

            /// The kinds of the parameters.
            pub(crate) fn params(self) -> &'static [BulkKind] {
                match self {
                    $( BulkShape::$variant => &[$(bulk_shapes!(@kind $p)),*], )*
                }
            }

            /// Calls `func` (of this shape, as `find` checked) with `args` (one per parameter, of
            /// its kind).
            #[allow(unused_variables, unused_mut, unused_assignments)]
            pub(crate) fn call<T>(
                self,
                func: wasmtime::component::Func,
                store: &mut wasmtime::Store<T>,
                args: &[BulkArg<'_>],
            ) -> std::result::Result<BulkOut, TypedError> {
                match self {
                    $(
                        BulkShape::$variant => {
                            let mut i = 0;
                            let params = ($({
                                let a = args
                                    .get(i)
                                    .and_then(|a| a.$p())
                                    .ok_or_else(|| TypedError::Arg(i, "not of the parameter's kind".into()))?;
                                i += 1;
                                a
                            },)*);
                            // Safety: `find` checked this signature against the function's type
                            // (with other lifetimes of the same borrowed types).
                            let f: TypedFunc<_, bulk_shapes!(@ret $r)> =
                                unsafe { TypedFunc::new_unchecked(func) };
                            let ret = f
                                .call(&mut *store, params)
                                .map_err(|e| TypedError::Call(Error::from_func_call(e)))?;
                            Ok(bulk_shapes!(@out $r, ret))
                        }
                    )*
                }
            }
        }
    };
    (@kind str) => { BulkKind::Str };
    (@kind bytes) => { BulkKind::Bytes };
    (@kind u32) => { BulkKind::U32 };
    (@kind bool) => { BulkKind::Bool };
    (@kind string) => { BulkKind::Str };
    (@static str) => { &'static str };
    (@static bytes) => { &'static [u8] };
    (@static u32) => { u32 };
    (@rkind ()) => { None };
    (@rkind $r:ident) => { Some(bulk_shapes!(@kind $r)) };
    (@ret ()) => { () };
    (@ret $r:ident) => { (bulk_shapes!(@rty $r),) };
    (@rty string) => { String };
    (@rty bytes) => { Vec<u8> };
    (@rty u32) => { u32 };
    (@rty bool) => { bool };
    (@out (), $v:expr) => { { let () = $v; BulkOut::None } };
    (@out string, $v:expr) => { BulkOut::Str($v.0) };
    (@out bytes, $v:expr) => { BulkOut::Bytes($v.0) };
    (@out u32, $v:expr) => { BulkOut::U32($v.0) };
    (@out bool, $v:expr) => { BulkOut::Bool($v.0) };
}

bulk_shapes! {
    V_S() -> string; V_B() -> bytes;
    S_V(str) -> (); S_S(str) -> string; S_B(str) -> bytes; S_U32(str) -> u32; S_BOOL(str) -> bool;
    B_V(bytes) -> (); B_S(bytes) -> string; B_B(bytes) -> bytes; B_U32(bytes) -> u32; B_BOOL(bytes) -> bool;
    SS_V(str, str) -> (); SS_S(str, str) -> string; SS_U32(str, str) -> u32; SS_BOOL(str, str) -> bool;
    BB_V(bytes, bytes) -> (); BB_B(bytes, bytes) -> bytes; BB_BOOL(bytes, bytes) -> bool;
    SU_V(str, u32) -> (); SU_S(str, u32) -> string; SU_U32(str, u32) -> u32;
    BU_V(bytes, u32) -> (); BU_B(bytes, u32) -> bytes; BU_U32(bytes, u32) -> u32;
    US_V(u32, str) -> (); US_S(u32, str) -> string; US_U32(u32, str) -> u32;
    UB_V(u32, bytes) -> (); UB_B(u32, bytes) -> bytes; UB_U32(u32, bytes) -> u32;
    U_S(u32) -> string; U_B(u32) -> bytes;
}

impl FuncEntry {
    /// The bulk shape, found on first use; `None` when the function has none.
    pub(crate) fn bulk_shape<T>(&mut self, store: &wasmtime::Store<T>) -> Option<BulkShape> {
        if let Some(shape) = self.bulk {
            return shape;
        }
        let params: Option<SmallVec<[BulkKind; 2]>> = self
            .ty
            .params
            .iter()
            .map(|(_, t)| BulkKind::of(t))
            .collect();
        let result = match self.ty.results.as_slice() {
            [] => Some(None),
            [one] => BulkKind::of(one).map(Some),
            _ => None,
        };
        let shape = match (params, result) {
            (Some(params), Some(result)) if !self.ty.is_async => {
                BulkShape::find(&self.func, store, &params, result)
            }
            _ => None,
        };
        self.bulk = Some(shape);
        shape
    }
}
