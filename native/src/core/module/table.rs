//! Tables of references: size, get, set, growth, and tables made by the host.

use wasmtime::{Ref, RootScope, StoreContextMut, Table, TableType, Val};

use super::items;
use super::types::{ref_kind, ValKind};
use super::value::{from_wasm, to_wasm, CoreVal};
use crate::core::error::{Error, Result};
use crate::core::store::StoreData;

fn to_ref(
    scope: &mut RootScope<&mut StoreContextMut<'_, StoreData>>,
    t: &Table,
    value: &CoreVal,
    what: &str,
) -> Result<Ref> {
    let ty = t.ty(&*scope);
    let v = to_wasm(
        &mut *scope,
        value,
        &wasmtime::ValType::Ref(ty.element().clone()),
        &|| what.to_owned(),
    )?;
    v.ref_()
        .ok_or_else(|| Error::InvalidArgument(format!("{what} must be a reference")))
}

fn of_ref(scope: &mut RootScope<&mut StoreContextMut<'_, StoreData>>, r: Ref) -> Result<CoreVal> {
    let v = match r {
        Ref::Func(f) => Val::FuncRef(f),
        Ref::Extern(e) => Val::ExternRef(e),
        Ref::Any(a) => Val::AnyRef(a),
        Ref::Exn(e) => Val::ExnRef(e),
    };
    from_wasm(&mut *scope, &v)
}

/// Creates a table of `kind` references, `min` elements (at most `max`), filled with `init`.
pub fn create(
    ctx: &mut StoreContextMut<'_, StoreData>,
    kind: ValKind,
    min: u64,
    max: Option<u64>,
    init: &CoreVal,
) -> Result<u32> {
    let element = kind.ref_type()?;
    let narrow = |n: u64| {
        u32::try_from(n).map_err(|_| {
            Error::InvalidArgument(format!("a table has at most 2^32-1 elements, not {n}"))
        })
    };
    let ty = TableType::new(element.clone(), narrow(min)?, max.map(narrow).transpose()?);
    let mut scope = RootScope::new(&mut *ctx);
    let v = to_wasm(&mut scope, init, &wasmtime::ValType::Ref(element), &|| {
        "the table's initial element".into()
    })?;
    let r = v.ref_().expect("a reference type gives a reference");
    let t = Table::new(&mut scope, ty, r).map_err(|e| Error::InvalidArgument(format!("{e:#}")))?;
    drop(scope);
    Ok(items::add_extern(ctx, wasmtime::Extern::Table(t)))
}

/// The table's element kind, and its minimum and maximum sizes.
pub fn ty(
    ctx: &mut StoreContextMut<'_, StoreData>,
    id: u32,
) -> Result<(ValKind, u64, Option<u64>)> {
    let t = items::table(ctx, id)?;
    let ty = t.ty(&*ctx);
    Ok((ref_kind(ty.element()), ty.minimum(), ty.maximum()))
}

/// The table's current size.
pub fn size(ctx: &mut StoreContextMut<'_, StoreData>, id: u32) -> Result<u64> {
    let t = items::table(ctx, id)?;
    Ok(t.size(&*ctx))
}

fn out_of_bounds(index: u64, size: u64) -> Error {
    Error::OutOfBounds(format!(
        "table index {index} is out of bounds: the table has {size} elements"
    ))
}

/// The element at `index`.
pub fn get(ctx: &mut StoreContextMut<'_, StoreData>, id: u32, index: u64) -> Result<CoreVal> {
    let mut scope = RootScope::new(&mut *ctx);
    let t = items::table(&mut scope, id)?;
    match t.get(&mut scope, index) {
        Some(r) => of_ref(&mut scope, r),
        None => Err(out_of_bounds(index, t.size(&scope))),
    }
}

/// Sets the element at `index`.
pub fn set(
    ctx: &mut StoreContextMut<'_, StoreData>,
    id: u32,
    index: u64,
    value: &CoreVal,
) -> Result<()> {
    let mut scope = RootScope::new(&mut *ctx);
    let t = items::table(&mut scope, id)?;
    let size = t.size(&scope);
    if index >= size {
        return Err(out_of_bounds(index, size));
    }
    let r = to_ref(&mut scope, &t, value, "the element")?;
    t.set(&mut scope, index, r)
        .map_err(|e| Error::InvalidArgument(format!("{e:#}")))
}

/// Grows the table by `delta` elements filled with `init`: its previous size, or `None` when it
/// cannot grow that far.
pub fn grow(
    ctx: &mut StoreContextMut<'_, StoreData>,
    id: u32,
    delta: u64,
    init: &CoreVal,
) -> Result<Option<u64>> {
    let mut scope = RootScope::new(&mut *ctx);
    let t = items::table(&mut scope, id)?;
    let r = to_ref(&mut scope, &t, init, "the new elements' value")?;
    Ok(t.grow(&mut scope, delta, r).ok())
}
