//! Instances of core modules: their exports, by name, as items of the store.

use wasmtime::StoreContextMut;

use super::items;
use super::types::ExternDesc;
use crate::core::error::Result;
use crate::core::store::StoreData;

/// The export `name` of instance `instance`: its item id and its type.
pub fn export(
    ctx: &mut StoreContextMut<'_, StoreData>,
    instance: u32,
    name: &str,
) -> Result<(u32, ExternDesc)> {
    let id = items::export(ctx, instance, name)?;
    let e = items::item(ctx, id)?;
    Ok((id, ExternDesc::of(&e.ty(&*ctx))))
}

/// The names and types of the instance's exports, in order.
pub fn exports(
    ctx: &mut StoreContextMut<'_, StoreData>,
    instance: u32,
) -> Result<Vec<(String, ExternDesc)>> {
    let inst = items::instance(ctx, instance)?;
    let named: Vec<(String, wasmtime::Extern)> = inst
        .exports(&mut *ctx)
        .map(|e| (e.name().to_owned(), e.into_extern()))
        .collect();
    Ok(named
        .into_iter()
        .map(|(n, e)| (n, ExternDesc::of(&e.ty(&*ctx))))
        .collect())
}

/// The type of item `id`.
pub fn item_type(ctx: &mut StoreContextMut<'_, StoreData>, id: u32) -> Result<ExternDesc> {
    let e = items::item(ctx, id)?;
    Ok(ExternDesc::of(&e.ty(&*ctx)))
}
