//! Core values as the host sees them: numbers as themselves, a function reference as the id of
//! the function in its store, an `externref` made by the host as the key the host gave it, and
//! the references of the GC proposal (`anyref` and the rest) by what they are, for reading.

use wasmtime::{AsContextMut, ExternRef, Val, ValType};

use super::items;
use super::types::{val_kind, ValKind};
use crate::core::error::{Error, Result};
use crate::core::store::StoreData;

/// The payload of an `externref` the host made: the key the face gave it.
pub struct HostKey(pub u64);

/// What a GC reference the host reads is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyView {
    /// An `i31ref`, with its 31 bits (as unsigned).
    I31(u32),
    Struct,
    Array,
    /// Any other non-null reference (for example an `externref` converted with
    /// `any.convert_extern`).
    Other,
}

/// A core WebAssembly value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CoreVal {
    I32(i32),
    I64(i64),
    /// The bits of an `f32`.
    F32(u32),
    /// The bits of an `f64`.
    F64(u64),
    V128(u128),
    /// A function reference: the function's id in the store, or null.
    FuncRef(Option<u32>),
    /// An external reference: the host's key (never 0), or null.
    ExternRef(Option<u64>),
    /// An external reference made inside wasm from a GC value (`extern.convert_any`), by what
    /// that value is. The host reads it; it cannot pass one.
    ExternAny(AnyView),
    /// A reference of the `any` hierarchy, or null. The host can pass only null.
    AnyRef(Option<AnyView>),
    /// An exception reference (`true` when not null). The host can pass only null.
    ExnRef(bool),
    /// A continuation reference (`true` when not null). The host can pass only null.
    ContRef(bool),
}

impl CoreVal {
    /// The kind of this value.
    pub fn kind(&self) -> ValKind {
        match self {
            CoreVal::I32(_) => ValKind::I32,
            CoreVal::I64(_) => ValKind::I64,
            CoreVal::F32(_) => ValKind::F32,
            CoreVal::F64(_) => ValKind::F64,
            CoreVal::V128(_) => ValKind::V128,
            CoreVal::FuncRef(_) => ValKind::FuncRef,
            CoreVal::ExternRef(_) | CoreVal::ExternAny(_) => ValKind::ExternRef,
            CoreVal::AnyRef(_) => ValKind::AnyRef,
            CoreVal::ExnRef(_) => ValKind::ExnRef,
            CoreVal::ContRef(_) => ValKind::ContRef,
        }
    }

    /// The zero (or null) value of a kind.
    pub fn zero(kind: ValKind) -> CoreVal {
        match kind {
            ValKind::I32 => CoreVal::I32(0),
            ValKind::I64 => CoreVal::I64(0),
            ValKind::F32 => CoreVal::F32(0),
            ValKind::F64 => CoreVal::F64(0),
            ValKind::V128 => CoreVal::V128(0),
            ValKind::FuncRef => CoreVal::FuncRef(None),
            ValKind::ExternRef => CoreVal::ExternRef(None),
            ValKind::AnyRef => CoreVal::AnyRef(None),
            ValKind::ExnRef => CoreVal::ExnRef(false),
            ValKind::ContRef => CoreVal::ContRef(false),
        }
    }
}

/// wasmtime's value for `v`, checked against the type `ty` it is given for. Rooted references
/// live in the caller's current root scope.
pub fn to_wasm(
    mut ctx: impl AsContextMut<Data = StoreData>,
    v: &CoreVal,
    ty: &ValType,
    what: &dyn Fn() -> String,
) -> Result<Val> {
    let want = val_kind(ty);
    if v.kind() != want {
        return Err(Error::InvalidArgument(format!(
            "{} must be {}, not {}",
            what(),
            ty,
            kind_word(v.kind())
        )));
    }
    let nullable = match ty {
        ValType::Ref(r) => r.is_nullable(),
        _ => true,
    };
    let null_refused = || {
        Error::InvalidArgument(format!(
            "{} must be a non-null reference ({ty}), not null",
            what()
        ))
    };
    Ok(match *v {
        CoreVal::I32(x) => Val::I32(x),
        CoreVal::I64(x) => Val::I64(x),
        CoreVal::F32(x) => Val::F32(x),
        CoreVal::F64(x) => Val::F64(x),
        CoreVal::V128(x) => Val::V128(x.into()),
        CoreVal::FuncRef(None) if !nullable => return Err(null_refused()),
        CoreVal::FuncRef(None) => Val::FuncRef(None),
        CoreVal::FuncRef(Some(id)) => {
            let f = Val::FuncRef(Some(items::func(&mut ctx, id)?));
            if !f
                .matches_ty(&ctx, ty)
                .map_err(|e| Error::Runtime(format!("{e:#}")))?
            {
                return Err(Error::InvalidArgument(format!(
                    "{}: the function given does not have the type {ty}",
                    what()
                )));
            }
            f
        }
        CoreVal::ExternRef(None) if !nullable => return Err(null_refused()),
        CoreVal::ExternRef(None) => Val::ExternRef(None),
        CoreVal::ExternRef(Some(key)) => Val::ExternRef(Some(
            ExternRef::new(&mut ctx, HostKey(key)).map_err(|e| Error::Runtime(format!("{e:#}")))?,
        )),
        CoreVal::AnyRef(None) | CoreVal::ExnRef(false) | CoreVal::ContRef(false) if !nullable => {
            return Err(null_refused())
        }
        CoreVal::AnyRef(None) => Val::AnyRef(None),
        CoreVal::ExnRef(false) => Val::ExnRef(None),
        CoreVal::ContRef(false) => Val::ContRef(None),
        CoreVal::ExternAny(_) => {
            return Err(Error::InvalidArgument(format!(
                "{}: an externref converted from a GC value inside wasm cannot be passed back by \
                 the host",
                what()
            )))
        }
        CoreVal::AnyRef(Some(_)) | CoreVal::ExnRef(true) | CoreVal::ContRef(true) => {
            return Err(Error::InvalidArgument(format!(
                "{}: the host can pass only null as {}",
                what(),
                kind_word(want)
            )))
        }
    })
}

/// The host's view of a wasmtime value.
pub fn from_wasm(mut ctx: impl AsContextMut<Data = StoreData>, v: &Val) -> Result<CoreVal> {
    let gc = |e: wasmtime::Error| Error::Runtime(format!("{e:#}"));
    Ok(match v {
        Val::I32(x) => CoreVal::I32(*x),
        Val::I64(x) => CoreVal::I64(*x),
        Val::F32(x) => CoreVal::F32(*x),
        Val::F64(x) => CoreVal::F64(*x),
        Val::V128(x) => CoreVal::V128(x.as_u128()),
        Val::FuncRef(None) => CoreVal::FuncRef(None),
        Val::FuncRef(Some(f)) => CoreVal::FuncRef(Some(items::intern_func(&mut ctx, *f))),
        Val::ExternRef(None) => CoreVal::ExternRef(None),
        Val::ExternRef(Some(r)) => {
            let data = r.data(&mut ctx).map_err(gc)?;
            match data.and_then(|d| d.downcast_ref::<HostKey>()) {
                Some(k) => CoreVal::ExternRef(Some(k.0)),
                // Made by `extern.convert_any` inside wasm: read what the GC value is.
                None => {
                    let any = wasmtime::AnyRef::convert_extern(&mut ctx, *r).map_err(gc)?;
                    CoreVal::ExternAny(any_view(&mut ctx, &any)?)
                }
            }
        }
        Val::AnyRef(None) => CoreVal::AnyRef(None),
        Val::AnyRef(Some(r)) => CoreVal::AnyRef(Some(any_view(&mut ctx, r)?)),
        Val::ExnRef(r) => CoreVal::ExnRef(r.is_some()),
        Val::ContRef(r) => CoreVal::ContRef(r.is_some()),
    })
}

/// What a GC reference is.
fn any_view(
    ctx: impl AsContextMut<Data = StoreData>,
    r: &wasmtime::Rooted<wasmtime::AnyRef>,
) -> Result<AnyView> {
    let gc = |e: wasmtime::Error| Error::Runtime(format!("{e:#}"));
    let ctx = ctx.as_context();
    Ok(if r.is_i31(&ctx).map_err(gc)? {
        AnyView::I31(r.as_i31(&ctx).map_err(gc)?.map_or(0, |i| i.get_u32()))
    } else if r.is_struct(&ctx).map_err(gc)? {
        AnyView::Struct
    } else if r.is_array(&ctx).map_err(gc)? {
        AnyView::Array
    } else {
        AnyView::Other
    })
}

/// The word for a kind in messages.
pub fn kind_word(k: ValKind) -> &'static str {
    match k {
        ValKind::I32 => "i32",
        ValKind::I64 => "i64",
        ValKind::F32 => "f32",
        ValKind::F64 => "f64",
        ValKind::V128 => "v128",
        ValKind::FuncRef => "funcref",
        ValKind::ExternRef => "externref",
        ValKind::AnyRef => "anyref",
        ValKind::ExnRef => "exnref",
        ValKind::ContRef => "contref",
    }
}
