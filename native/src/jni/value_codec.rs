//! Values between the Java call buffer and wasmtime `Val`s, guided by the core type: the JNI
//! face's wire format, as a [`Source`] and a [`Sink`] of the core's call sequence
//! (`core::call`), which decides everything about resources.
//!
//! The format, written by `ValueEncoder.java` and read by `ValueDecoder.java`; little-endian,
//! no padding, each value by its type:
//!
//! | type | bytes |
//! |---|---|
//! | `bool`, `s8`, `u8` | 1 |
//! | `s16`, `u16` | 2 |
//! | `s32`, `u32`, `f32` (bits), `char` (code point) | 4 |
//! | `s64`, `u64`, `f64` (bits) | 8 |
//! | `string` | u32 byte length, then UTF-8 |
//! | `list<T>`, `map<K, V>` | u32 count, then the elements (entries: key, value) |
//! | `list<T, N>` (fixed length) | the N elements |
//! | `record`, `tuple` | the fields in order |
//! | `variant`, `enum` | u32 case index, then the case's payload if it has one |
//! | `option<T>` | u8 0 (none) or 1 then the value |
//! | `result<T, E>` | u8 0 (ok) or 1 (err), then that side's payload if it has one |
//! | `flags` | one u32 per 32 flags, bit i of word w for flag 32w + i |
//! | `own<R>`, `borrow<R>` | u8 tag: 0 then the u64 id of a guest resource the host holds, or 1 then the u32 representation of a host object |

use wasmtime::component::Val;

use super::buffer::Out;
use crate::core::call::{Lx, ResourceWire, Sink, Source, ValueError};
use crate::core::error::{Error, Result};
use crate::core::func::{BulkKind, BulkOut};
use crate::core::resource::ResourceId;
use crate::core::types::ValType;

/// Resource values carry a tag: a guest resource held by the host (its slab id) or a host
/// resource (the host's representation).
const GUEST: u8 = 0;
const HOST: u8 = 1;

/// Reads encoded values.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Elements of the lists, maps, records and tuples read so far (what [`Source::keeps`]
    /// weighs besides the buffer's length).
    elements: usize,
}

fn truncated() -> Error {
    Error::InvalidArgument("malformed value encoding: the buffer ends too early".into())
}

impl<'a> Source<'a> for Reader<'a> {
    fn read(&mut self, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<Val, ValueError> {
        Ok(self.val(ty, lx)?)
    }

    /// Strings and `list<u8>` are contiguous in the buffer: always lent.
    fn lends(&self, _kinds: &[BulkKind]) -> bool {
        true
    }

    fn lend_str(&mut self) -> Result<&'a str, ValueError> {
        Ok(self.str()?)
    }

    fn lend_bytes(&mut self) -> Result<&'a [u8], ValueError> {
        let n = self.count()?;
        Ok(self.take(n)?)
    }

    fn read_into(
        &mut self,
        ty: &ValType,
        slot: &mut Val,
        lx: &mut Lx<'_, '_>,
    ) -> Result<(), ValueError> {
        Ok(self.val_into(ty, slot, lx)?)
    }

    /// Values kept hold their strings' bytes (at most the buffer's length) and one `Val` per
    /// element: both are bounded, so a function keeps at most a few MiB.
    fn keeps(&self) -> bool {
        self.buf.len() <= KEEP_BYTES && self.elements <= KEEP_ELEMENTS
    }
}

/// The largest argument buffer whose values a function keeps for its next call.
const KEEP_BYTES: usize = 1 << 20;
/// The most elements (of lists, maps, records, tuples) among the values a function keeps: a
/// `list<u8>` inside a record is one `Val` of 32 bytes per byte.
const KEEP_ELEMENTS: usize = 1 << 16;

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader {
            buf,
            pos: 0,
            elements: 0,
        }
    }
    /// A length-prefixed UTF-8 string, borrowed from the buffer.
    fn str(&mut self) -> Result<&'a str> {
        let n = self.count()?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes)
            .map_err(|e| Error::InvalidArgument(format!("string is not UTF-8: {e}")))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or_else(truncated)?;
        let s = self.buf.get(self.pos..end).ok_or_else(truncated)?;
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }

    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }

    /// A length read before the elements: refused when larger than the bytes left, so that a
    /// count of zero-sized elements (`list<tuple<>>`, which no component type has but a
    /// host-declared one can) cannot make the reader build billions of values from four bytes.
    fn count(&mut self) -> Result<usize> {
        let n = self.u32()? as usize;
        let left = self.buf.len().saturating_sub(self.pos);
        if n > left {
            return Err(Error::InvalidArgument(format!(
                "malformed value encoding: a length of {n} with {left} bytes left"
            )));
        }
        Ok(n)
    }

    fn index(&mut self, len: usize, what: &str) -> Result<usize> {
        let i = self.u32()? as usize;
        if i >= len {
            return Err(Error::InvalidArgument(format!(
                "{what} index {i} out of range"
            )));
        }
        Ok(i)
    }

    /// Reads one value of type `ty`; resources go through the call's `lx`.
    pub(crate) fn val(&mut self, ty: &ValType, store: &mut Lx<'_, '_>) -> Result<Val> {
        Ok(match ty {
            ValType::Bool => Val::Bool(self.u8()? != 0),
            ValType::S8 => Val::S8(self.u8()? as i8),
            ValType::U8 => Val::U8(self.u8()?),
            ValType::S16 => Val::S16(self.u16()? as i16),
            ValType::U16 => Val::U16(self.u16()?),
            ValType::S32 => Val::S32(self.u32()? as i32),
            ValType::U32 => Val::U32(self.u32()?),
            ValType::S64 => Val::S64(self.u64()? as i64),
            ValType::U64 => Val::U64(self.u64()?),
            ValType::F32 => Val::Float32(f32::from_bits(self.u32()?)),
            ValType::F64 => Val::Float64(f64::from_bits(self.u64()?)),
            ValType::Char => {
                let c = self.u32()?;
                Val::Char(char::from_u32(c).ok_or_else(|| {
                    Error::InvalidArgument(format!("{c:#x} is not a Unicode scalar value"))
                })?)
            }
            ValType::String => Val::String(self.str()?.to_owned()),
            ValType::List(e) => {
                let n = self.count()?;
                Val::List(self.vals(n, e, store)?)
            }
            ValType::FixedList(e, n) => Val::FixedLengthList(self.vals(*n as usize, e, store)?),
            ValType::Map(k, v) => {
                let n = self.count()?;
                self.elements += 2 * n;
                let mut entries = Vec::with_capacity(n.min(self.buf.len()));
                for _ in 0..n {
                    let key = self.val(k, store)?;
                    entries.push((key, self.val(v, store)?));
                }
                Val::Map(entries)
            }
            ValType::Record(fields) => {
                self.elements += fields.len();
                let mut out = Vec::with_capacity(fields.len());
                for f in fields.iter() {
                    out.push((f.name.clone(), self.val(&f.ty, store)?));
                }
                Val::Record(out)
            }
            ValType::Tuple(types) => {
                self.elements += types.len();
                let mut out = Vec::with_capacity(types.len());
                for t in types.iter() {
                    out.push(self.val(t, store)?);
                }
                Val::Tuple(out)
            }
            ValType::Variant(cases) => {
                let case = &cases[self.index(cases.len(), "variant case")?];
                let payload = match &case.ty {
                    Some(t) => Some(Box::new(self.val(t, store)?)),
                    None => None,
                };
                Val::Variant(case.name.clone(), payload)
            }
            ValType::Enum(names) => Val::Enum(names[self.index(names.len(), "enum case")?].clone()),
            ValType::Option(t) => Val::Option(match self.u8()? {
                0 => None,
                _ => Some(Box::new(self.val(t, store)?)),
            }),
            ValType::Result { ok, err } => {
                let is_ok = self.u8()? == 0;
                let side = if is_ok { ok } else { err };
                let payload = match side {
                    Some(t) => Some(Box::new(self.val(t, store)?)),
                    None => None,
                };
                Val::Result(if is_ok { Ok(payload) } else { Err(payload) })
            }
            ValType::Flags(names) => {
                let words = names.len().div_ceil(32);
                let mut set = Vec::new();
                for w in 0..words {
                    let bits = self.u32()?;
                    for b in 0..32 {
                        let i = w * 32 + b;
                        if bits & (1 << b) != 0 && i < names.len() {
                            set.push(names[i].clone());
                        }
                    }
                }
                Val::Flags(set)
            }
            ValType::Own(_) | ValType::Borrow(_) => {
                let wire = match self.u8()? {
                    GUEST => ResourceWire::Held(ResourceId(self.u64()?)),
                    _ => ResourceWire::Host(self.u32()?),
                };
                Val::Resource(store.read_resource(ty, wire)?)
            }
            ValType::Future(_) | ValType::Stream(_) | ValType::ErrorContext => {
                return Err(Error::InvalidArgument(format!(
                    "values of type {ty} cannot cross yet (futures, streams, error contexts)"
                )))
            }
        })
    }

    /// Reads one value of type `ty` into `slot`, reusing the strings and vectors of the value
    /// there when it has the same shape (the last call's argument); anything else is read anew.
    pub(crate) fn val_into(
        &mut self,
        ty: &ValType,
        slot: &mut Val,
        store: &mut Lx<'_, '_>,
    ) -> Result<()> {
        match (ty, &mut *slot) {
            // Numbers over numbers of their kind: nothing to drop.
            (ValType::S32, Val::S32(x)) => *x = self.u32()? as i32,
            (ValType::U32, Val::U32(x)) => *x = self.u32()?,
            (ValType::S64, Val::S64(x)) => *x = self.u64()? as i64,
            (ValType::U64, Val::U64(x)) => *x = self.u64()?,
            (ValType::F32, Val::Float32(x)) => *x = f32::from_bits(self.u32()?),
            (ValType::F64, Val::Float64(x)) => *x = f64::from_bits(self.u64()?),
            (ValType::String, Val::String(s)) => {
                let text = self.str()?;
                s.clear();
                s.push_str(text);
            }
            (ValType::List(e), Val::List(items)) => {
                let n = self.count()?;
                self.elements += n;
                items.truncate(n);
                for item in items.iter_mut() {
                    self.val_into(e, item, store)?;
                }
                for _ in items.len()..n {
                    items.push(self.val(e, store)?);
                }
            }
            // A value kept at a place in an argument was read with the type of that place (only
            // lists, records, tuples and options are reused, and their element types are
            // fixed), so a record there has these field names; its length is checked all the
            // same.
            (ValType::Record(fields), Val::Record(values)) if fields.len() == values.len() => {
                debug_assert!(fields
                    .iter()
                    .zip(values.iter())
                    .all(|(f, (n, _))| f.name == *n));
                self.elements += fields.len();
                for (f, (_, v)) in fields.iter().zip(values.iter_mut()) {
                    self.val_into(&f.ty, v, store)?;
                }
            }
            (ValType::Tuple(types), Val::Tuple(values)) if types.len() == values.len() => {
                self.elements += types.len();
                for (t, v) in types.iter().zip(values.iter_mut()) {
                    self.val_into(t, v, store)?;
                }
            }
            (ValType::Option(t), Val::Option(Some(inner))) => {
                if self.u8()? == 0 {
                    *slot = Val::Option(None);
                } else {
                    self.val_into(t, inner, store)?;
                }
            }
            _ => *slot = self.val(ty, store)?,
        }
        Ok(())
    }

    fn vals(&mut self, n: usize, ty: &ValType, store: &mut Lx<'_, '_>) -> Result<Vec<Val>> {
        self.elements += n;
        let mut out = Vec::with_capacity(n.min(self.buf.len().saturating_sub(self.pos) + 1));
        for _ in 0..n {
            out.push(self.val(ty, store)?);
        }
        Ok(out)
    }
}

fn mismatch(ty: &ValType, val: &Val) -> Error {
    Error::Runtime(format!("a value of type {ty} came back as {val:?}"))
}

/// Writes encoded values to `O`.
pub(crate) struct Writer<O: Out>(pub O);

impl<O: Out> Sink for Writer<O> {
    fn write(&mut self, val: &Val, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<()> {
        write_val(&mut self.0, val, ty, lx)
    }

    /// Strings and bytes are written as they are laid out in the buffer, one copy.
    fn write_bulk(&mut self, out: &BulkOut, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<()> {
        let bytes = match out {
            BulkOut::Str(s) => s.as_bytes(),
            BulkOut::Bytes(b) => b.as_slice(),
            other => match other.to_val() {
                Some(v) => return self.write(&v, ty, lx),
                None => return Ok(()),
            },
        };
        let len = u32::try_from(bytes.len()).map_err(|_| {
            Error::Runtime(format!(
                "a result of {} bytes is too large to pass",
                bytes.len()
            ))
        })?;
        self.0.extend_from_slice(&len.to_le_bytes());
        self.0.extend_from_slice(bytes);
        Ok(())
    }
}

/// Writes `val` of type `ty`; resources go through the call's `lx`.
pub(crate) fn write_val(
    out: &mut impl Out,
    val: &Val,
    ty: &ValType,
    store: &mut Lx<'_, '_>,
) -> Result<()> {
    match (ty, val) {
        (ValType::Bool, Val::Bool(b)) => out.push(*b as u8),
        (ValType::S8, Val::S8(v)) => out.push(*v as u8),
        (ValType::U8, Val::U8(v)) => out.push(*v),
        (ValType::S16, Val::S16(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (ValType::U16, Val::U16(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (ValType::S32, Val::S32(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (ValType::U32, Val::U32(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (ValType::S64, Val::S64(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (ValType::U64, Val::U64(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (ValType::F32, Val::Float32(v)) => out.extend_from_slice(&v.to_bits().to_le_bytes()),
        (ValType::F64, Val::Float64(v)) => out.extend_from_slice(&v.to_bits().to_le_bytes()),
        (ValType::Char, Val::Char(c)) => out.extend_from_slice(&(*c as u32).to_le_bytes()),
        (ValType::String, Val::String(s)) => {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        (ValType::List(e), Val::List(items)) => {
            out.extend_from_slice(&(items.len() as u32).to_le_bytes());
            if matches!(**e, ValType::U8) {
                for v in items {
                    match v {
                        Val::U8(b) => out.push(*b),
                        other => return Err(mismatch(e, other)),
                    }
                }
            } else {
                for v in items {
                    write_val(out, v, e, store)?;
                }
            }
        }
        (ValType::FixedList(e, _), Val::FixedLengthList(items)) => {
            for v in items {
                write_val(out, v, e, store)?;
            }
        }
        (ValType::Map(k, v), Val::Map(entries)) => {
            out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
            for (key, value) in entries {
                write_val(out, key, k, store)?;
                write_val(out, value, v, store)?;
            }
        }
        (ValType::Record(fields), Val::Record(values)) => {
            for (f, (_, v)) in fields.iter().zip(values) {
                write_val(out, v, &f.ty, store)?;
            }
        }
        (ValType::Tuple(types), Val::Tuple(values)) => {
            for (t, v) in types.iter().zip(values) {
                write_val(out, v, t, store)?;
            }
        }
        (ValType::Variant(cases), Val::Variant(name, payload)) => {
            let i = cases
                .iter()
                .position(|c| &c.name == name)
                .ok_or_else(|| mismatch(ty, val))?;
            out.extend_from_slice(&(i as u32).to_le_bytes());
            if let (Some(t), Some(p)) = (&cases[i].ty, payload) {
                write_val(out, p, t, store)?;
            }
        }
        (ValType::Enum(names), Val::Enum(name)) => {
            let i = names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| mismatch(ty, val))?;
            out.extend_from_slice(&(i as u32).to_le_bytes());
        }
        (ValType::Option(t), Val::Option(v)) => match v {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                write_val(out, v, t, store)?;
            }
        },
        (ValType::Result { ok, err }, Val::Result(r)) => {
            let (tag, side, payload) = match r {
                Ok(p) => (0u8, ok, p),
                Err(p) => (1u8, err, p),
            };
            out.push(tag);
            if let (Some(t), Some(p)) = (side, payload) {
                write_val(out, p, t, store)?;
            }
        }
        (ValType::Flags(names), Val::Flags(set)) => {
            let mut words = vec![0u32; names.len().div_ceil(32)];
            for flag in set {
                let i = names
                    .iter()
                    .position(|n| n == flag)
                    .ok_or_else(|| mismatch(ty, val))?;
                words[i / 32] |= 1 << (i % 32);
            }
            for w in words {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        (ValType::Own(_) | ValType::Borrow(_), Val::Resource(r)) => {
            match store.write_resource(ty, *r)? {
                ResourceWire::Host(rep) => {
                    out.push(HOST);
                    out.extend_from_slice(&rep.to_le_bytes());
                }
                ResourceWire::Held(id) => {
                    out.push(GUEST);
                    out.extend_from_slice(&id.0.to_le_bytes());
                }
            }
        }
        _ => return Err(mismatch(ty, val)),
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use wasmtime::component::ResourceDynamic;
    use wasmtime::{AsContextMut, StoreContextMut};

    use crate::core::call::ValSink;
    use crate::core::host::{HostCall, HostCallback};
    use crate::core::store::StoreData;
    use crate::core::testing::fixture;
    use crate::core::types::FuncType;
    use crate::core::types::ResourceRef;
    use crate::core::{Component, Engine, EngineConfig, InstanceId, Linker, Store, StoreOptions};

    pub(crate) const KV: &str = "docs:kv/store@1.0.0";
    pub(crate) const APP: &str = "docs:kv/app@1.0.0";
    /// The host resource type id of `bucket` in these tests.
    pub(crate) const BUCKET: u32 = 0x6b76_0001;
    /// The rep the constructor and `open` hand out.
    const MADE: u32 = 7;

    pub(crate) fn bucket(host: Option<u32>) -> ResourceRef {
        ResourceRef {
            name: "bucket".into(),
            ty: None,
            host,
        }
    }

    pub(crate) fn func(params: &[(&str, ValType)], results: &[ValType]) -> FuncType {
        FuncType {
            params: params
                .iter()
                .map(|(n, t)| ((*n).to_owned(), t.clone()))
                .collect(),
            results: results.to_vec(),
            is_async: false,
        }
    }

    fn new_bucket() -> HostCallback {
        Arc::new(|call: HostCall<'_>| {
            let HostCall {
                mut store, results, ..
            } = call;
            let made = ResourceDynamic::new_own(MADE, BUCKET)
                .try_into_resource_any(&mut store)
                .map_err(Error::from_call)?;
            results[0] = Val::Resource(made);
            Ok(())
        })
    }

    /// A linker for kv-host over reps: the constructor and `open` make `MADE`, `get` returns the
    /// rep of its `self` as text, `set` does nothing. `get` is defined with `get_self` as its
    /// `self` type and runs `get_hook` on each call; destructor runs are counted in `drops`.
    pub(crate) fn kv_linker(
        engine: &Engine,
        drops: Arc<AtomicU32>,
        get_self: ValType,
        get: HostCallback,
    ) -> Linker {
        let linker = Linker::new(engine);
        let own = ValType::Own(bucket(Some(BUCKET)));
        let borrow = ValType::Borrow(bucket(Some(BUCKET)));
        linker
            .define_resource(
                &[KV],
                "bucket",
                BUCKET,
                Arc::new(move |_, rep| {
                    assert_eq!(rep, MADE, "the destructor gets the rep");
                    drops.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                }),
            )
            .unwrap();
        let ctor = func(&[("name", ValType::String)], std::slice::from_ref(&own));
        linker
            .define_func(&[KV], "[constructor]bucket", ctor.clone(), new_bucket())
            .unwrap();
        linker
            .define_func(&[KV], "open", ctor, new_bucket())
            .unwrap();
        let option_string = ValType::Option(Box::new(ValType::String));
        linker
            .define_func(
                &[KV],
                "[method]bucket.get",
                func(
                    &[("self", get_self), ("key", ValType::String)],
                    &[option_string],
                ),
                get,
            )
            .unwrap();
        linker
            .define_func(
                &[KV],
                "[method]bucket.set",
                func(
                    &[
                        ("self", borrow),
                        ("key", ValType::String),
                        ("value", ValType::String),
                    ],
                    &[],
                ),
                Arc::new(|call: HostCall<'_>| {
                    let HostCall {
                        mut store, params, ..
                    } = call;
                    if let Val::Resource(r) = &params[0] {
                        // Ends the borrow (wasmtime requires it before returning).
                        ResourceDynamic::try_from_resource_any(*r, &mut store)
                            .map_err(Error::from_call)?;
                    }
                    Ok(())
                }),
            )
            .unwrap();
        linker
    }

    /// `get` answering with the rep of its host-resource `self`.
    fn get_rep() -> HostCallback {
        Arc::new(|call: HostCall<'_>| {
            let HostCall {
                mut store,
                params,
                results,
                ..
            } = call;
            let rep = match &params[0] {
                Val::Resource(r) => ResourceDynamic::try_from_resource_any(*r, &mut store)
                    .map_err(Error::from_call)?
                    .rep(),
                other => panic!("self is {other:?}"),
            };
            results[0] = Val::Option(Some(Box::new(Val::String(rep.to_string()))));
            Ok(())
        })
    }

    fn kv(drops: Arc<AtomicU32>) -> (Store, InstanceId) {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(&engine, &fixture("kv-host")).unwrap();
        let linker = kv_linker(
            &engine,
            drops,
            ValType::Borrow(bucket(Some(BUCKET))),
            get_rep(),
        );
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let id = linker.instantiate(&store, &component).unwrap();
        (store, id)
    }

    /// The slot a new handle gets in the store's host table: the lowest free one, so it is the
    /// same as long as nothing is left behind in the table.
    fn next_host_slot(store: &mut StoreContextMut<'_, StoreData>) -> u64 {
        let probe = ResourceDynamic::new_own(1, BUCKET)
            .try_into_resource_any(&mut *store)
            .unwrap();
        // `ResourceAny` shows its host table index (slot in the low 32 bits) only in Debug.
        let text = format!("{probe:?}");
        let digits: String = text["ResourceAny { idx: HostResourceIndex(".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        ResourceDynamic::try_from_resource_any(probe, &mut *store).unwrap();
        digits.parse::<u64>().unwrap() & 0xffff_ffff
    }

    fn host_arg(rep: u32) -> Vec<u8> {
        let mut out = vec![HOST];
        out.extend_from_slice(&rep.to_le_bytes());
        out
    }

    fn string_arg(out: &mut Vec<u8>, s: &[u8]) {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s);
    }

    #[test]
    fn host_objects_lent_from_outside_any_call_are_borrowed_and_released() {
        let drops = Arc::new(AtomicU32::new(0));
        let (store, id) = kv(drops.clone());
        store
            .enter(|s| {
                let read = s.instance_func(id, &[APP, "read"])?;
                let ty = s.func_type(read)?;
                assert_eq!(ty.params[0].1.to_string(), "borrow<bucket>");
                let empty = next_host_slot(&mut s.store.as_context_mut());
                for rep in 0..100u32 {
                    let mut bytes = host_arg(rep);
                    string_arg(&mut bytes, b"k");
                    let mut results = ValSink(Vec::new());
                    let outcome = s.call_with(read, &mut Reader::new(&bytes), &mut results);
                    assert!(outcome.passed);
                    outcome.result?;
                    assert_eq!(
                        results.0,
                        [Val::Option(Some(Box::new(Val::String(rep.to_string()))))],
                        "the guest's get saw the lent rep"
                    );
                }
                assert_eq!(
                    next_host_slot(&mut s.store.as_context_mut()),
                    empty,
                    "no lent handle stayed in the host table"
                );
                Ok(())
            })
            .unwrap();
        assert_eq!(
            drops.load(Ordering::SeqCst),
            0,
            "lending runs no destructor"
        );
    }

    #[test]
    fn owned_host_objects_are_taken_by_the_callee_or_taken_back() {
        let drops = Arc::new(AtomicU32::new(0));
        let (store, id) = kv(drops.clone());
        store
            .enter(|s| {
                let put = s.instance_func(id, &[APP, "put-and-drop"])?;
                let empty = next_host_slot(&mut s.store.as_context_mut());

                // The guest takes the object and drops it: the destructor runs, and nothing is
                // left in the host table.
                let mut bytes = host_arg(MADE);
                string_arg(&mut bytes, b"k");
                string_arg(&mut bytes, b"v");
                let outcome = s.call_with(put, &mut Reader::new(&bytes), &mut ValSink(Vec::new()));
                assert!(outcome.passed);
                outcome.result?;
                assert_eq!(drops.load(Ordering::SeqCst), 1);
                assert_eq!(next_host_slot(&mut s.store.as_context_mut()), empty);

                // Reading fails after the own argument (the key is not UTF-8), so the call is
                // never made: the object's handle leaves the host table, and the outcome says
                // the host keeps it.
                let mut bytes = host_arg(MADE);
                string_arg(&mut bytes, &[0xff]);
                let outcome = s.call_with(put, &mut Reader::new(&bytes), &mut ValSink(Vec::new()));
                assert!(!outcome.passed);
                let err = outcome.result.unwrap_err();
                assert!(err.to_string().contains("argument `key`"), "{err}");
                assert_eq!(next_host_slot(&mut s.store.as_context_mut()), empty);
                Ok(())
            })
            .unwrap();
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "only the guest's drop ran it"
        );
    }
}

#[cfg(test)]
mod bulk_tests {
    use super::*;

    /// A sink that keeps the bytes written.
    struct Bytes(Writer<Vec<u8>>);

    impl Sink for Bytes {
        fn write(&mut self, val: &Val, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<()> {
            self.0.write(val, ty, lx)
        }
        fn write_bulk(&mut self, out: &BulkOut, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<()> {
            assert!(
                matches!(out, BulkOut::Str(_) | BulkOut::Bytes(_)),
                "{out:?}"
            );
            self.0.write_bulk(out, ty, lx)
        }
    }

    fn encoded(bytes: &[u8]) -> Vec<u8> {
        let mut out = (bytes.len() as u32).to_le_bytes().to_vec();
        out.extend_from_slice(bytes);
        out
    }

    #[test]
    fn strings_and_bytes_take_the_bulk_path_and_come_back_unchanged() {
        // Results above the ~4 MiB a dynamic `list<u8>` result may have under wasmtime's
        // hostcall fuel (32 bytes of fuel per element as a `Val`).
        let big: Vec<u8> = (0..6u32 << 20).map(|i| (i * 7 + 3) as u8).collect();
        let text = "Zoë 🌍 ".repeat(1000);
        let (store, id) = crate::core::testing::instance("echo");
        store
            .enter(|s| {
                for (name, payload) in [
                    ("echo-list-u8", big.as_slice()),
                    ("echo-list-u8", &[][..]),
                    ("echo-string", text.as_bytes()),
                    ("echo-string", b""),
                ] {
                    let f = s.instance_func(id, &[name])?;
                    let args = encoded(payload);
                    let mut out = Bytes(Writer(Vec::new()));
                    let outcome = s.call_with(f, &mut Reader::new(&args), &mut out);
                    assert!(outcome.passed);
                    outcome.result?;
                    assert!(out.0 .0 == args, "{name} of {} bytes", payload.len());
                }
                // A string that is not UTF-8 is refused before the call, naming the argument.
                let f = s.instance_func(id, &["echo-string"])?;
                let args = encoded(&[0xff, 0xfe]);
                let outcome =
                    s.call_with(f, &mut Reader::new(&args), &mut Bytes(Writer(Vec::new())));
                assert!(!outcome.passed);
                let err = outcome.result.unwrap_err().to_string();
                assert!(
                    err.contains("argument `v` of `echo-string`") && err.contains("UTF-8"),
                    "{err}"
                );
                Ok(())
            })
            .unwrap();
    }
}

#[cfg(test)]
mod owned_tests {
    use super::*;
    use wasmtime::component::{Resource, ResourceType};
    use wasmtime::AsContextMut;

    use crate::core::call;
    use crate::core::types::ResourceRef;
    use crate::core::{Engine, EngineConfig, Store, StoreOptions};

    fn own() -> ValType {
        ValType::Own(ResourceRef {
            name: "thing".into(),
            ty: Some(ResourceType::host::<u32>()),
            host: None,
        })
    }

    fn held(id: ResourceId) -> Vec<u8> {
        let mut bytes = vec![GUEST];
        bytes.extend_from_slice(&id.0.to_le_bytes());
        bytes
    }

    #[test]
    fn owned_resources_leave_the_host_only_when_every_argument_was_read() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        store
            .enter(|s| {
                let any = Resource::<u32>::new_own(1)
                    .try_into_resource_any(&mut s.store)
                    .unwrap();
                let id = s.resources().insert(any);
                let own = own();
                // An own argument, then a truncated second argument.
                let mut bytes = held(id);
                bytes.extend_from_slice(&[1, 2]);
                let read = call::read_values(
                    s.store.as_context_mut(),
                    &[&own, &ValType::U32],
                    &mut Reader::new(&bytes),
                    true,
                );
                assert!(read.is_err());
                assert_eq!(s.live_resources(), 1, "a failed argument list took nothing");

                // The same resource twice as own is refused.
                let mut twice = held(id);
                twice.extend_from_slice(&held(id));
                let read = call::read_values(
                    s.store.as_context_mut(),
                    &[&own, &own],
                    &mut Reader::new(&twice),
                    true,
                );
                assert!(matches!(read, Err(Error::Resource(_))));
                assert_eq!(s.live_resources(), 1);

                // A complete list hands it over.
                call::read_values(
                    s.store.as_context_mut(),
                    &[&own],
                    &mut Reader::new(&held(id)),
                    true,
                )?;
                assert_eq!(s.live_resources(), 0);
                Ok(())
            })
            .unwrap();
    }
}

#[cfg(test)]
mod reuse_tests {
    use super::*;
    use std::sync::Arc;
    use wasmtime::AsContextMut;

    use crate::core::call;
    use crate::core::types::Field;
    use crate::core::{Engine, EngineConfig, Store, StoreOptions};

    fn reading(id: i64, label: &str, tags: Option<&[&str]>) -> Val {
        Val::Record(vec![
            ("id".into(), Val::S64(id)),
            ("value".into(), Val::Float64(id as f64 * 0.5)),
            ("label".into(), Val::String(label.into())),
            (
                "tags".into(),
                Val::Option(tags.map(|t| {
                    Box::new(Val::List(
                        t.iter().map(|s| Val::String((*s).into())).collect(),
                    ))
                })),
            ),
            (
                "pair".into(),
                Val::Tuple(vec![Val::U8(id as u8), Val::String(label.repeat(2))]),
            ),
        ])
    }

    /// A value read into the slot of another (the last call's argument) is the value read
    /// fresh, whatever the slot held: longer and shorter lists, none and some, other shapes.
    #[test]
    fn values_read_into_a_used_slot_equal_values_read_fresh() {
        let field = |name: &str, ty: ValType| Field {
            name: name.into(),
            ty,
        };
        let record = ValType::Record(Arc::from(vec![
            field("id", ValType::S64),
            field("value", ValType::F64),
            field("label", ValType::String),
            field(
                "tags",
                ValType::Option(Box::new(ValType::List(Box::new(ValType::String)))),
            ),
            field(
                "pair",
                ValType::Tuple(Arc::from(vec![ValType::U8, ValType::String])),
            ),
        ]));
        let ty = ValType::List(Box::new(record));
        let calls = [
            vec![reading(1, "a", Some(&["x", "y"])), reading(2, "bb", None)],
            vec![reading(3, "a much longer label than before", Some(&[]))],
            vec![],
            (0..5)
                .map(|i| reading(i, "five", if i % 2 == 0 { None } else { Some(&["t"]) }))
                .collect(),
            vec![
                reading(9, "", Some(&["p", "q", "r"])),
                reading(-1, "z", None),
            ],
        ];
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        store
            .enter(|s| {
                call::with_lx(s.store.as_context_mut(), |lx| {
                    // A slot of another shape first (a placeholder, as a first call has).
                    let mut slot = Val::Bool(false);
                    for items in &calls {
                        let value = Val::List(items.clone());
                        let mut bytes = Vec::new();
                        write_val(&mut bytes, &value, &ty, lx).unwrap();
                        let fresh = Reader::new(&bytes).val(&ty, lx).unwrap();
                        let mut reader = Reader::new(&bytes);
                        reader.val_into(&ty, &mut slot, lx).unwrap();
                        assert_eq!(reader.pos, bytes.len(), "read to the end");
                        assert_eq!(slot, fresh);
                        assert_eq!(slot, value);
                    }
                    // A truncated buffer is refused as when reading fresh.
                    let mut bytes = Vec::new();
                    write_val(&mut bytes, &Val::List(calls[0].clone()), &ty, lx).unwrap();
                    bytes.truncate(bytes.len() - 1);
                    let err = Reader::new(&bytes)
                        .val_into(&ty, &mut slot, lx)
                        .unwrap_err();
                    let fresh = Reader::new(&bytes).val(&ty, lx).unwrap_err();
                    assert!(
                        err.to_string().contains("malformed value encoding"),
                        "{err}"
                    );
                    assert_eq!(err.to_string(), fresh.to_string());

                    // Values of many elements are not kept, even from a small buffer: a
                    // list<u8> in a record is one Val per byte.
                    let bytes_ty =
                        ValType::Tuple(Arc::from(vec![ValType::List(Box::new(ValType::U8))]));
                    for (n, kept) in [(1000, true), (KEEP_ELEMENTS + 1, false)] {
                        let value = Val::Tuple(vec![Val::List(vec![Val::U8(7); n])]);
                        let mut bytes = Vec::new();
                        write_val(&mut bytes, &value, &bytes_ty, lx).unwrap();
                        let mut reader = Reader::new(&bytes);
                        let mut slot = Val::Bool(false);
                        reader.read_into(&bytes_ty, &mut slot, lx).unwrap();
                        assert_eq!(slot, value);
                        assert_eq!(reader.keeps(), kept, "{n} bytes");
                    }
                });
                Ok(())
            })
            .unwrap();
    }
}
