//! The core items a store hands out to the host, by id: instances of core modules, and the
//! functions, memories, globals and tables of those instances (or made by the host). The ids
//! are indices into the store's lists; the same function, reached twice (an export looked up
//! again, a `funcref` read from a table), keeps one id, so handing items out does not grow the
//! lists without bound.

use std::collections::HashMap;

use wasmtime::{AsContextMut, Extern, Func, Instance};

use super::types::{FuncSig, ValKind};
use crate::core::error::{Error, Result};

/// The most parameters (and results) a call on the raw path takes.
pub const RAW_SLOTS: usize = 16;

/// A numbers-only signature of at most [`RAW_SLOTS`] parameters and results, whose calls take
/// the raw path: the kinds packed two bits each (0 i32, 1 i64, 2 f32, 3 f64), so that a call
/// copies 10 bytes, not the kinds' lists.
#[derive(Clone, Copy, Debug)]
pub struct RawSig {
    params: u32,
    results: u32,
    pub param_count: u8,
    pub result_count: u8,
}

impl RawSig {
    fn of(sig: &FuncSig) -> Option<RawSig> {
        if sig.params.len() > RAW_SLOTS
            || sig.results.len() > RAW_SLOTS
            || !sig.params.iter().chain(&sig.results).all(|k| k.is_number())
        {
            return None;
        }
        let pack = |kinds: &[ValKind]| {
            kinds
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, k)| acc | ((*k as u32) << (2 * i)))
        };
        Some(RawSig {
            params: pack(&sig.params),
            results: pack(&sig.results),
            param_count: sig.params.len() as u8,
            result_count: sig.results.len() as u8,
        })
    }

    /// The kind of parameter `i`.
    pub fn param(&self, i: usize) -> ValKind {
        unpack(self.params, i)
    }

    /// The kind of result `i`.
    pub fn result(&self, i: usize) -> ValKind {
        unpack(self.results, i)
    }
}

fn unpack(packed: u32, i: usize) -> ValKind {
    match (packed >> (2 * i)) & 3 {
        0 => ValKind::I32,
        1 => ValKind::I64,
        2 => ValKind::F32,
        _ => ValKind::F64,
    }
}

/// What a call needs of a function's type, worked out on its first call and shared after.
pub struct FuncInfo {
    /// The kinds of its parameters and results.
    pub sig: FuncSig,
    /// Its raw signature, when it takes the raw path.
    pub raw: Option<RawSig>,
    /// wasmtime's type (exact reference types, for checking arguments).
    pub ty: wasmtime::FuncType,
}

/// The core items of one store.
#[derive(Default)]
pub struct CoreItems {
    instances: Vec<Instance>,
    externs: Vec<Extern>,
    /// The signature of each function item, filled on first call.
    sigs: Vec<Option<std::sync::Arc<FuncInfo>>>,
    /// Function ids by wasmtime's raw function reference (unique and stable in a store).
    func_ids: HashMap<usize, u32>,
    /// Export ids by (instance, export name).
    export_ids: HashMap<(u32, String), u32>,
}

impl CoreItems {
    fn push(&mut self, e: Extern) -> u32 {
        self.externs.push(e);
        self.sigs.push(None);
        (self.externs.len() - 1) as u32
    }

    /// The item with this id.
    pub fn get(&self, id: u32) -> Result<&Extern> {
        self.externs
            .get(id as usize)
            .ok_or_else(|| Error::InvalidArgument(format!("no core item {id} in this store")))
    }

    /// The instance with this id.
    pub fn instance(&self, id: u32) -> Result<Instance> {
        self.instances
            .get(id as usize)
            .copied()
            .ok_or_else(|| Error::InvalidArgument(format!("no core instance {id} in this store")))
    }
}

/// Store data that holds core items (the store's `StoreData`; a trait so that this file does not
/// depend on the store).
pub trait HasCoreItems {
    fn core_items(&mut self) -> &mut CoreItems;
}

/// The store's items (a temporary borrow, for one statement).
macro_rules! items {
    ($ctx:expr) => {
        $ctx.as_context_mut().data_mut().core_items()
    };
}

/// Records a new instance; returns its id.
pub fn add_instance(ctx: &mut impl AsContextMut<Data: HasCoreItems>, i: Instance) -> u32 {
    let mut store = ctx.as_context_mut();
    let items = store.data_mut().core_items();
    items.instances.push(i);
    (items.instances.len() - 1) as u32
}

/// Records an item the host made (a memory, global or table); returns its id. Functions go
/// through [`intern_func`].
pub fn add_extern(ctx: &mut impl AsContextMut<Data: HasCoreItems>, e: Extern) -> u32 {
    match e {
        Extern::Func(f) => intern_func(ctx, f),
        other => items!(ctx).push(other),
    }
}

/// The id of a function, the same each time for the same function.
pub fn intern_func(ctx: &mut impl AsContextMut<Data: HasCoreItems>, f: Func) -> u32 {
    let raw = f.to_raw(&mut *ctx) as usize;
    let mut store = ctx.as_context_mut();
    let items = store.data_mut().core_items();
    if let Some(id) = items.func_ids.get(&raw) {
        return *id;
    }
    let id = items.push(Extern::Func(f));
    items.func_ids.insert(raw, id);
    id
}

/// The export `name` of instance `instance`: its id, the same each time.
pub fn export(
    ctx: &mut impl AsContextMut<Data: HasCoreItems>,
    instance: u32,
    name: &str,
) -> Result<u32> {
    if let Some(id) = items!(ctx).export_ids.get(&(instance, name.to_owned())) {
        return Ok(*id);
    }
    let inst = items!(ctx).instance(instance)?;
    let e = match inst.get_export(&mut *ctx, name) {
        Some(e) => e,
        None => {
            let available = inst
                .exports(&mut *ctx)
                .map(|e| e.name().to_owned())
                .collect();
            return Err(Error::UnknownExport {
                name: name.to_owned(),
                available,
            });
        }
    };
    let id = add_extern(ctx, e);
    items!(ctx)
        .export_ids
        .insert((instance, name.to_owned()), id);
    Ok(id)
}

/// The instance with this id.
pub fn instance(ctx: &mut impl AsContextMut<Data: HasCoreItems>, id: u32) -> Result<Instance> {
    items!(ctx).instance(id)
}

/// The item with this id.
pub fn item(ctx: &mut impl AsContextMut<Data: HasCoreItems>, id: u32) -> Result<Extern> {
    items!(ctx).get(id).cloned()
}

/// The function with this id.
pub fn func(ctx: &mut impl AsContextMut<Data: HasCoreItems>, id: u32) -> Result<Func> {
    match items!(ctx).get(id)? {
        Extern::Func(f) => Ok(*f),
        other => Err(not_a("function", id, other)),
    }
}

/// The function with this id and what a call needs of its type (made once per function).
pub fn func_info(
    ctx: &mut impl AsContextMut<Data: HasCoreItems>,
    id: u32,
) -> Result<(Func, std::sync::Arc<FuncInfo>)> {
    let f = func(ctx, id)?;
    if let Some(Some(info)) = items!(ctx).sigs.get(id as usize) {
        return Ok((f, info.clone()));
    }
    let ty = f.ty(&*ctx);
    let sig = FuncSig::of(&ty);
    let raw = RawSig::of(&sig);
    let info = std::sync::Arc::new(FuncInfo { sig, raw, ty });
    items!(ctx).sigs[id as usize] = Some(info.clone());
    Ok((f, info))
}

/// The function with this id and its raw signature, if it takes the raw path (no reference
/// count touched: the raw path's lookup).
pub fn func_and_raw_sig(
    ctx: &mut impl AsContextMut<Data: HasCoreItems>,
    id: u32,
) -> Result<(Func, Option<RawSig>)> {
    let f = func(ctx, id)?;
    if let Some(Some(info)) = items!(ctx).sigs.get(id as usize) {
        return Ok((f, info.raw));
    }
    Ok((f, func_info(ctx, id)?.1.raw))
}

/// The memory with this id.
pub fn memory(
    ctx: &mut impl AsContextMut<Data: HasCoreItems>,
    id: u32,
) -> Result<wasmtime::Memory> {
    match items!(ctx).get(id)? {
        Extern::Memory(m) => Ok(*m),
        Extern::SharedMemory(_) => Err(shared_memory()),
        other => Err(not_a("memory", id, other)),
    }
}

/// The global with this id.
pub fn global(
    ctx: &mut impl AsContextMut<Data: HasCoreItems>,
    id: u32,
) -> Result<wasmtime::Global> {
    match items!(ctx).get(id)? {
        Extern::Global(g) => Ok(*g),
        other => Err(not_a("global", id, other)),
    }
}

/// The table with this id.
pub fn table(ctx: &mut impl AsContextMut<Data: HasCoreItems>, id: u32) -> Result<wasmtime::Table> {
    match items!(ctx).get(id)? {
        Extern::Table(t) => Ok(*t),
        other => Err(not_a("table", id, other)),
    }
}

/// The kind of an item as a word.
pub fn extern_word(e: &Extern) -> &'static str {
    match e {
        Extern::Func(_) => "function",
        Extern::Memory(_) | Extern::SharedMemory(_) => "memory",
        Extern::Global(_) => "global",
        Extern::Table(_) => "table",
        Extern::Tag(_) => "tag",
    }
}

fn not_a(want: &str, id: u32, got: &Extern) -> Error {
    Error::InvalidArgument(format!(
        "core item {id} is a {}, not a {want}",
        extern_word(got)
    ))
}

/// The error for host access to a shared memory.
pub fn shared_memory() -> Error {
    Error::InvalidArgument(
        "this memory is shared (threads proposal); the host cannot read or write shared \
         memories through this API"
            .into(),
    )
}
