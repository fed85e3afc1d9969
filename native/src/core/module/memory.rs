//! Linear memories: size, growth, and bounds-checked reads and writes. Every access resolves
//! the memory's current base anew, so nothing the host holds can dangle after `memory.grow` or
//! after the store closes.

use wasmtime::{AsContextMut, Memory, MemoryType, StoreContextMut};

use super::context::{caller_gone, with_caller, with_context};
use super::items;
use crate::core::error::{Error, Result};
use crate::core::store::{Store, StoreData};

/// How the host names a memory: by its id in the store, or as an export of the module whose
/// host function is running (a caller's memory, valid only during that call).
#[derive(Clone, Copy, Debug)]
pub enum MemRef<'a> {
    Id(u32),
    CallerExport(&'a str),
}

/// Runs `f` with the memory `at` names and the store's context.
pub fn with_memory<R>(
    store: &Store,
    at: MemRef<'_>,
    f: impl FnOnce(&mut StoreContextMut<'_, StoreData>, Memory) -> Result<R>,
) -> Result<R> {
    match at {
        MemRef::Id(id) => with_context(store, |ctx| {
            let m = items::memory(ctx, id)?;
            f(ctx, m)
        }),
        MemRef::CallerExport(name) => with_caller(store.id(), |caller| {
            let m = match caller.get_export(name) {
                Some(wasmtime::Extern::Memory(m)) => m,
                Some(wasmtime::Extern::SharedMemory(_)) => return Err(items::shared_memory()),
                Some(other) => {
                    return Err(Error::InvalidArgument(format!(
                        "the caller's export `{name}` is a {}, not a memory",
                        items::extern_word(&other)
                    )))
                }
                None => {
                    return Err(Error::InvalidArgument(format!(
                        "the calling module exports no memory named `{name}`"
                    )))
                }
            };
            f(&mut caller.as_context_mut(), m)
        })
        .unwrap_or_else(|| Err(caller_gone())),
    }
}

/// Creates a memory of `min` pages (at most `max`), 64-bit if `is_64`.
pub fn create(store: &Store, min: u64, max: Option<u64>, is_64: bool) -> Result<u32> {
    let ty = if is_64 {
        MemoryType::new64(min, max)
    } else {
        let narrow = |n: u64| {
            u32::try_from(n).map_err(|_| {
                Error::InvalidArgument(format!("a 32-bit memory has at most 65536 pages, not {n}"))
            })
        };
        MemoryType::new(narrow(min)?, max.map(narrow).transpose()?)
    };
    with_context(store, |ctx| {
        let m = Memory::new(&mut *ctx, ty).map_err(|e| Error::InvalidArgument(format!("{e:#}")))?;
        Ok(items::add_extern(ctx, wasmtime::Extern::Memory(m)))
    })
}

/// The memory's size in bytes.
pub fn data_size(ctx: &mut StoreContextMut<'_, StoreData>, m: Memory) -> u64 {
    m.data_size(&*ctx) as u64
}

/// The memory's size in pages.
pub fn pages(ctx: &mut StoreContextMut<'_, StoreData>, m: Memory) -> u64 {
    m.size(&*ctx)
}

/// The size of one page in bytes.
pub fn page_size(ctx: &mut StoreContextMut<'_, StoreData>, m: Memory) -> u64 {
    m.page_size(&*ctx)
}

/// Grows the memory by `delta` pages: its previous size in pages, or `None` when it cannot
/// grow that far (its maximum, the store's memory limit, or the host's memory).
pub fn grow(ctx: &mut StoreContextMut<'_, StoreData>, m: Memory, delta: u64) -> Option<u64> {
    m.grow(&mut *ctx, delta).ok()
}

/// The bytes `[offset, offset + len)` of the memory, checked against its current size.
pub fn range<'a>(
    ctx: &'a mut StoreContextMut<'_, StoreData>,
    m: Memory,
    offset: u64,
    len: usize,
) -> Result<&'a mut [u8]> {
    let data = m.data_mut(ctx.as_context_mut());
    let size = data.len();
    let start = usize::try_from(offset).ok().filter(|s| *s <= size);
    match start.and_then(|s| s.checked_add(len).filter(|e| *e <= size).map(|e| (s, e))) {
        Some((s, e)) => Ok(&mut data[s..e]),
        None => Err(Error::OutOfBounds(format!(
            "memory access of {len} bytes at offset {offset} is out of bounds: the memory holds \
             {size} bytes"
        ))),
    }
}
