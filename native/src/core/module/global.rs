//! Globals: read, written (when mutable), and made by the host.

use wasmtime::{Global, GlobalType, Mutability, RootScope, StoreContextMut};

use super::items;
use super::types::{val_kind, ValKind};
use super::value::{from_wasm, to_wasm, CoreVal};
use crate::core::error::{Error, Result};
use crate::core::store::StoreData;

/// Creates a global of `kind` holding `value`.
pub fn create(
    ctx: &mut StoreContextMut<'_, StoreData>,
    kind: ValKind,
    mutable: bool,
    value: &CoreVal,
) -> Result<u32> {
    let ty = GlobalType::new(
        kind.val_type(),
        if mutable {
            Mutability::Var
        } else {
            Mutability::Const
        },
    );
    let mut scope = RootScope::new(&mut *ctx);
    let v = to_wasm(&mut scope, value, ty.content(), &|| {
        "the global's value".into()
    })?;
    let g = Global::new(&mut scope, ty, v).map_err(|e| Error::InvalidArgument(format!("{e:#}")))?;
    drop(scope);
    Ok(items::add_extern(ctx, wasmtime::Extern::Global(g)))
}

/// The global's kind and whether it is mutable.
pub fn ty(ctx: &mut StoreContextMut<'_, StoreData>, id: u32) -> Result<(ValKind, bool)> {
    let g = items::global(ctx, id)?;
    let ty = g.ty(&*ctx);
    Ok((val_kind(ty.content()), ty.mutability() == Mutability::Var))
}

/// The global's value.
pub fn get(ctx: &mut StoreContextMut<'_, StoreData>, id: u32) -> Result<CoreVal> {
    let mut scope = RootScope::new(&mut *ctx);
    let g = items::global(&mut scope, id)?;
    let v = g.get(&mut scope);
    from_wasm(&mut scope, &v)
}

/// Sets the global's value; fails for an immutable global or a value of another type.
pub fn set(ctx: &mut StoreContextMut<'_, StoreData>, id: u32, value: &CoreVal) -> Result<()> {
    let mut scope = RootScope::new(&mut *ctx);
    let g = items::global(&mut scope, id)?;
    let ty = g.ty(&scope);
    if ty.mutability() == Mutability::Const {
        return Err(Error::InvalidArgument(
            "this global is immutable (`const`): it cannot be set".into(),
        ));
    }
    let v = to_wasm(&mut scope, value, ty.content(), &|| {
        "the global's value".into()
    })?;
    g.set(&mut scope, v)
        .map_err(|e| Error::InvalidArgument(format!("{e:#}")))
}
