//! Values: `wjvm_val_t`, a tagged union with one kind per WIT value kind, converted to and
//! from wasmtime `Val`s guided by the core types.
//!
//! Ownership: values a caller passes in stay the caller's; the library only reads them
//! during the call. Values the library returns (`wjvm_val_vec_t`) belong to the caller,
//! who frees them, and everything they point to, with one `wjvm_val_vec_delete`; they must not
//! be modified before that. Every string the library returns is also NUL-terminated
//! (its `len` excludes the NUL; a WIT string may itself contain NULs).
//!
//! Resources: an `own` result is kept by the store and comes back as a `uint64_t` id; pass it
//! back as `WJVM_VAL_OWN` (ownership goes to the guest, the id becomes invalid) or
//! `WJVM_VAL_BORROW` (lent for the call), or drop it with `wjvm_resource_drop`.

#![allow(non_camel_case_types)]

use std::ffi::c_char;

use wasmtime::component::Val;

use super::guard_or;
use crate::core::call::{Lx, ResourceWire, Sink, Source, ValueError};
use crate::core::func::{BulkKind, BulkOut};
use crate::core::resource::ResourceId;
use crate::core::types::ValType;
use crate::core::{Error, Result};

/// The kinds of `wjvm_val_t`, one per WIT value kind; `wjvm_val_t.kind` holds one of these.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum wjvm_val_kind_t {
    /// `of.boolean`: 0 or 1.
    WJVM_VAL_BOOL = 0,
    /// `of.s8`
    WJVM_VAL_S8 = 1,
    /// `of.u8`
    WJVM_VAL_U8 = 2,
    /// `of.s16`
    WJVM_VAL_S16 = 3,
    /// `of.u16`
    WJVM_VAL_U16 = 4,
    /// `of.s32`
    WJVM_VAL_S32 = 5,
    /// `of.u32`
    WJVM_VAL_U32 = 6,
    /// `of.s64`
    WJVM_VAL_S64 = 7,
    /// `of.u64`
    WJVM_VAL_U64 = 8,
    /// `of.f32`
    WJVM_VAL_F32 = 9,
    /// `of.f64`
    WJVM_VAL_F64 = 10,
    /// `of.character`: a Unicode scalar value.
    WJVM_VAL_CHAR = 11,
    /// `of.string`: UTF-8.
    WJVM_VAL_STRING = 12,
    /// `of.list`: the elements.
    WJVM_VAL_LIST = 13,
    /// `of.fixed_list`: exactly as many elements as the type says.
    WJVM_VAL_FIXED_LIST = 14,
    /// `of.map`: keys and their values.
    WJVM_VAL_MAP = 15,
    /// `of.record`: field names and their values (in any order; each field of the type exactly
    /// once).
    WJVM_VAL_RECORD = 16,
    /// `of.tuple`: the members in order.
    WJVM_VAL_TUPLE = 17,
    /// `of.variant`: the case name and its payload (NULL when the case has none).
    WJVM_VAL_VARIANT = 18,
    /// `of.enum_case`: the case name.
    WJVM_VAL_ENUM = 19,
    /// `of.option`: the value, or NULL for none.
    WJVM_VAL_OPTION = 20,
    /// `of.result`: `is_err` and the payload (NULL when that side has no type).
    WJVM_VAL_RESULT = 21,
    /// `of.flags`: the names of the flags that are set.
    WJVM_VAL_FLAGS = 22,
    /// `of.resource`: the id of a resource the host holds; passing it as an `own` argument
    /// gives it to the guest.
    WJVM_VAL_OWN = 23,
    /// `of.resource`: the id of a resource the host holds, lent for the call.
    WJVM_VAL_BORROW = 24,
}

use wjvm_val_kind_t::*;

const KINDS: [wjvm_val_kind_t; 25] = [
    WJVM_VAL_BOOL,
    WJVM_VAL_S8,
    WJVM_VAL_U8,
    WJVM_VAL_S16,
    WJVM_VAL_U16,
    WJVM_VAL_S32,
    WJVM_VAL_U32,
    WJVM_VAL_S64,
    WJVM_VAL_U64,
    WJVM_VAL_F32,
    WJVM_VAL_F64,
    WJVM_VAL_CHAR,
    WJVM_VAL_STRING,
    WJVM_VAL_LIST,
    WJVM_VAL_FIXED_LIST,
    WJVM_VAL_MAP,
    WJVM_VAL_RECORD,
    WJVM_VAL_TUPLE,
    WJVM_VAL_VARIANT,
    WJVM_VAL_ENUM,
    WJVM_VAL_OPTION,
    WJVM_VAL_RESULT,
    WJVM_VAL_FLAGS,
    WJVM_VAL_OWN,
    WJVM_VAL_BORROW,
];

fn kind_of(tag: u8) -> Option<wjvm_val_kind_t> {
    KINDS.get(tag as usize).copied()
}

fn kind_name(tag: u8) -> String {
    match kind_of(tag) {
        Some(k) => format!("{k:?}"),
        None => format!("{tag} (not a wjvm_val_kind_t)"),
    }
}

/// Text: `len` bytes of UTF-8 at `ptr` (NULL when `len` is 0).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct wjvm_str_t {
    pub ptr: *const c_char,
    pub len: usize,
}

/// `len` values at `ptr`: list, fixed-length list and tuple members.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct wjvm_val_list_t {
    pub ptr: *const wjvm_val_t,
    pub len: usize,
}

/// A record's fields: `len` names at `names`, and their values at `values` (field `i` is
/// `names[i]` with `values[i]`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct wjvm_val_record_t {
    pub names: *const wjvm_str_t,
    pub values: *const wjvm_val_t,
    pub len: usize,
}

/// A map's entries: `len` keys at `keys` and their values at `values` (entry `i` is
/// `keys[i]` with `values[i]`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct wjvm_val_map_t {
    pub keys: *const wjvm_val_t,
    pub values: *const wjvm_val_t,
    pub len: usize,
}

/// A variant case and its payload (NULL when the case has none).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct wjvm_val_variant_t {
    pub name: wjvm_str_t,
    pub payload: *const wjvm_val_t,
}

/// A result: `is_err` 0 for ok, 1 for err, and the payload of that side (NULL when that side
/// has no type).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct wjvm_val_result_t {
    pub is_err: u8,
    pub payload: *const wjvm_val_t,
}

/// The names of the flags that are set: `len` names at `ptr`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct wjvm_val_flags_t {
    pub ptr: *const wjvm_str_t,
    pub len: usize,
}

/// The payload of a `wjvm_val_t`; which member is meaningful depends on `kind`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union wjvm_val_payload_t {
    pub boolean: u8,
    pub s8: i8,
    pub u8: u8,
    pub s16: i16,
    pub u16: u16,
    pub s32: i32,
    pub u32: u32,
    pub s64: i64,
    pub u64: u64,
    pub f32: f32,
    pub f64: f64,
    pub character: u32,
    pub string: wjvm_str_t,
    pub list: wjvm_val_list_t,
    pub fixed_list: wjvm_val_list_t,
    pub tuple: wjvm_val_list_t,
    pub map: wjvm_val_map_t,
    pub record: wjvm_val_record_t,
    pub variant: wjvm_val_variant_t,
    pub enum_case: wjvm_str_t,
    pub option: *const wjvm_val_t,
    pub result: wjvm_val_result_t,
    pub flags: wjvm_val_flags_t,
    pub resource: u64,
}

/// A component value: a `wjvm_val_kind_t` in `kind` and the matching member of `of`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct wjvm_val_t {
    pub kind: u8,
    pub of: wjvm_val_payload_t,
}

impl std::fmt::Debug for wjvm_val_t {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "wjvm_val_t({})", kind_name(self.kind))
    }
}

/// Values the library made, owned by the caller: free them with `wjvm_val_vec_delete`.
#[repr(C)]
#[derive(Debug)]
pub struct wjvm_val_vec_t {
    /// NULL when `len` is 0.
    pub ptr: *mut wjvm_val_t,
    pub len: usize,
}

// ---- C to core ----

type Conv<T> = std::result::Result<T, ValueError>;

/// Reads a call's arguments from the C values the caller passed, for the core's call sequence
/// (which decides what happens to the resources among them).
pub(crate) struct Reader<'v> {
    args: &'v [wjvm_val_t],
    next: usize,
}

impl<'v> Reader<'v> {
    /// # Safety
    /// Every pointer inside `args` must be valid for its length, recursively, while the reader
    /// is used.
    pub(crate) unsafe fn new(args: &'v [wjvm_val_t]) -> Reader<'v> {
        Reader { args, next: 0 }
    }
}

impl<'v> Source<'v> for Reader<'v> {
    fn given(&self) -> Option<usize> {
        Some(self.args.len())
    }

    /// Strings are lent; a `list<u8>` is an array of values here, not bytes.
    fn lends(&self, kinds: &[BulkKind]) -> bool {
        !kinds.contains(&BulkKind::Bytes)
    }

    fn lend_str(&mut self) -> Conv<&'v str> {
        let v = self
            .args
            .get(self.next)
            .ok_or_else(|| ValueError::invalid("missing argument"))?;
        self.next += 1;
        check_kind(v, &ValType::String)?;
        // Safety: `kind` says the string member is set; its pointer is valid as promised by
        // `Reader::new`.
        unsafe { text(&v.of.string, "string") }
    }

    fn read(&mut self, ty: &ValType, lx: &mut Lx<'_, '_>) -> Conv<Val> {
        let v = self
            .args
            .get(self.next)
            .ok_or_else(|| ValueError::invalid("missing argument"))?;
        self.next += 1;
        // Safety: promised by `Reader::new`.
        unsafe { read(v, ty, lx) }
    }
}

fn expected_kind(ty: &ValType) -> Option<wjvm_val_kind_t> {
    Some(match ty {
        ValType::Bool => WJVM_VAL_BOOL,
        ValType::S8 => WJVM_VAL_S8,
        ValType::U8 => WJVM_VAL_U8,
        ValType::S16 => WJVM_VAL_S16,
        ValType::U16 => WJVM_VAL_U16,
        ValType::S32 => WJVM_VAL_S32,
        ValType::U32 => WJVM_VAL_U32,
        ValType::S64 => WJVM_VAL_S64,
        ValType::U64 => WJVM_VAL_U64,
        ValType::F32 => WJVM_VAL_F32,
        ValType::F64 => WJVM_VAL_F64,
        ValType::Char => WJVM_VAL_CHAR,
        ValType::String => WJVM_VAL_STRING,
        ValType::List(_) => WJVM_VAL_LIST,
        ValType::FixedList(..) => WJVM_VAL_FIXED_LIST,
        ValType::Map(..) => WJVM_VAL_MAP,
        ValType::Record(_) => WJVM_VAL_RECORD,
        ValType::Tuple(_) => WJVM_VAL_TUPLE,
        ValType::Variant(_) => WJVM_VAL_VARIANT,
        ValType::Enum(_) => WJVM_VAL_ENUM,
        ValType::Option(_) => WJVM_VAL_OPTION,
        ValType::Result { .. } => WJVM_VAL_RESULT,
        ValType::Flags(_) => WJVM_VAL_FLAGS,
        ValType::Own(_) => WJVM_VAL_OWN,
        ValType::Borrow(_) => WJVM_VAL_BORROW,
        ValType::Future(_) | ValType::Stream(_) | ValType::ErrorContext => return None,
    })
}

/// Fails unless `v` is of the kind a value of type `ty` is passed as.
fn check_kind(v: &wjvm_val_t, ty: &ValType) -> Conv<()> {
    let expected = expected_kind(ty).ok_or_else(|| {
        ValueError::invalid(format!(
            "values of type {ty} cannot cross yet (futures, streams, error contexts)"
        ))
    })?;
    if v.kind != expected as u8 {
        return Err(ValueError::invalid(format!(
            "expected {ty} ({expected:?}), got {}",
            kind_name(v.kind)
        )));
    }
    Ok(())
}

/// # Safety
/// Unless NULL, `ptr` must point to `len` values.
unsafe fn items<'v, T>(ptr: *const T, len: usize, what: &str) -> Conv<&'v [T]> {
    if len == 0 {
        Ok(&[])
    } else if ptr.is_null() {
        Err(ValueError::invalid(format!(
            "{what} pointer is NULL but its length is {len}"
        )))
    } else {
        Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
    }
}

/// # Safety
/// As for [`items`].
unsafe fn text<'v>(s: &wjvm_str_t, what: &str) -> Conv<&'v str> {
    let bytes = unsafe { items(s.ptr.cast::<u8>(), s.len, what) }?;
    std::str::from_utf8(bytes).map_err(|e| ValueError::invalid(format!("{what} is not UTF-8: {e}")))
}

fn name_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads `v` as a value of type `ty`.
///
/// # Safety
/// Every pointer inside `v` must be valid for its length, recursively.
pub(crate) unsafe fn read(v: &wjvm_val_t, ty: &ValType, lx: &mut Lx<'_, '_>) -> Conv<Val> {
    check_kind(v, ty)?;
    let of = &v.of;
    // Safety (union reads): `kind` says which member the caller set.
    Ok(match ty {
        ValType::Bool => match unsafe { of.boolean } {
            0 => Val::Bool(false),
            1 => Val::Bool(true),
            b => return Err(ValueError::invalid(format!("{b} is not a bool (0 or 1)"))),
        },
        ValType::S8 => Val::S8(unsafe { of.s8 }),
        ValType::U8 => Val::U8(unsafe { of.u8 }),
        ValType::S16 => Val::S16(unsafe { of.s16 }),
        ValType::U16 => Val::U16(unsafe { of.u16 }),
        ValType::S32 => Val::S32(unsafe { of.s32 }),
        ValType::U32 => Val::U32(unsafe { of.u32 }),
        ValType::S64 => Val::S64(unsafe { of.s64 }),
        ValType::U64 => Val::U64(unsafe { of.u64 }),
        ValType::F32 => Val::Float32(unsafe { of.f32 }),
        ValType::F64 => Val::Float64(unsafe { of.f64 }),
        ValType::Char => {
            let code = unsafe { of.character };
            Val::Char(char::from_u32(code).ok_or_else(|| {
                ValueError::invalid(format!(
                    "{code:#x} is not a Unicode scalar value, so not a char"
                ))
            })?)
        }
        ValType::String => Val::String(unsafe { text(&of.string, "string") }?.to_owned()),
        ValType::List(e) => {
            let list = unsafe { of.list };
            Val::List(unsafe { read_all(list, e, "list", lx) }?)
        }
        ValType::FixedList(e, n) => {
            let list = unsafe { of.fixed_list };
            if list.len != *n as usize {
                return Err(ValueError::invalid(format!(
                    "{ty} takes exactly {n} elements, got {}",
                    list.len
                )));
            }
            Val::FixedLengthList(unsafe { read_all(list, e, "fixed_list", lx) }?)
        }
        ValType::Map(k, t) => {
            let map = unsafe { of.map };
            let keys = unsafe { items(map.keys, map.len, "map keys") }?;
            let values = unsafe { items(map.values, map.len, "map values") }?;
            let mut out = Vec::with_capacity(keys.len());
            for (i, (key, value)) in keys.iter().zip(values).enumerate() {
                let key = unsafe { read(key, k, lx) }.map_err(|e| e.at(format!(".keys[{i}]")))?;
                let value =
                    unsafe { read(value, t, lx) }.map_err(|e| e.at(format!(".values[{i}]")))?;
                out.push((key, value));
            }
            Val::Map(out)
        }
        ValType::Record(fields) => {
            let record = unsafe { of.record };
            let given = unsafe { items(record.names, record.len, "record names") }?;
            let values = unsafe { items(record.values, record.len, "record values") }?;
            let mut names = Vec::with_capacity(given.len());
            for g in given {
                names.push(unsafe { text(g, "field name") }?);
            }
            for name in &names {
                if !fields.iter().any(|f| f.name == *name) {
                    let all: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
                    return Err(ValueError::invalid(format!(
                        "{ty} has no field `{name}`; its fields are {}",
                        name_list(&all)
                    )));
                }
            }
            let mut out = Vec::with_capacity(fields.len());
            for field in fields.iter() {
                let mut at = names.iter().enumerate().filter(|(_, n)| **n == field.name);
                let index = match (at.next(), at.next()) {
                    (Some((i, _)), None) => i,
                    (None, _) => {
                        return Err(ValueError::invalid(format!(
                            "field `{}` of {ty} is missing",
                            field.name
                        )))
                    }
                    (Some(_), Some(_)) => {
                        return Err(ValueError::invalid(format!(
                            "field `{}` is given more than once",
                            field.name
                        )))
                    }
                };
                let value = unsafe { read(&values[index], &field.ty, lx) }
                    .map_err(|e| e.at(format!(".{}", field.name)))?;
                out.push((field.name.clone(), value));
            }
            Val::Record(out)
        }
        ValType::Tuple(types) => {
            let tuple = unsafe { of.tuple };
            let members = unsafe { items(tuple.ptr, tuple.len, "tuple") }?;
            if members.len() != types.len() {
                return Err(ValueError::invalid(format!(
                    "{ty} has {} members, got {}",
                    types.len(),
                    members.len()
                )));
            }
            let mut out = Vec::with_capacity(types.len());
            for (i, (m, t)) in members.iter().zip(types.iter()).enumerate() {
                out.push(unsafe { read(m, t, lx) }.map_err(|e| e.at(format!(".{i}")))?);
            }
            Val::Tuple(out)
        }
        ValType::Variant(cases) => {
            let variant = unsafe { of.variant };
            let name = unsafe { text(&variant.name, "case name") }?;
            let case = cases.iter().find(|c| c.name == name).ok_or_else(|| {
                let all: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
                ValueError::invalid(format!(
                    "{ty} has no case `{name}`; its cases are {}",
                    name_list(&all)
                ))
            })?;
            let payload = unsafe { payload(variant.payload, case.ty.as_ref(), lx) }
                .map_err(|e| e.at(format!("({name})")))?;
            Val::Variant(case.name.clone(), payload)
        }
        ValType::Enum(names) => {
            let name = unsafe { text(&of.enum_case, "enum case") }?;
            if !names.iter().any(|n| n == name) {
                return Err(ValueError::invalid(format!(
                    "{ty} has no case `{name}`; its cases are {}",
                    name_list(names)
                )));
            }
            Val::Enum(name.to_owned())
        }
        ValType::Option(t) => {
            let value = unsafe { of.option };
            match unsafe { value.as_ref() } {
                None => Val::Option(None),
                Some(inner) => Val::Option(Some(Box::new(
                    unsafe { read(inner, t, lx) }.map_err(|e| e.at("?"))?,
                ))),
            }
        }
        ValType::Result { ok, err } => {
            let result = unsafe { of.result };
            let (is_err, side, label) = match result.is_err {
                0 => (false, ok, "ok"),
                1 => (true, err, "err"),
                b => {
                    return Err(ValueError::invalid(format!(
                        "is_err {b} is neither 0 (ok) nor 1 (err)"
                    )))
                }
            };
            let payload = unsafe { payload(result.payload, side.as_deref(), lx) }
                .map_err(|e| e.at(format!("({label})")))?;
            Val::Result(if is_err { Err(payload) } else { Ok(payload) })
        }
        ValType::Flags(names) => {
            let flags = unsafe { of.flags };
            let given = unsafe { items(flags.ptr, flags.len, "flags") }?;
            let mut set = Vec::with_capacity(given.len());
            for g in given {
                let name = unsafe { text(g, "flag name") }?;
                if !names.iter().any(|n| n == name) {
                    return Err(ValueError::invalid(format!(
                        "{ty} has no flag `{name}`; its flags are {}",
                        name_list(names)
                    )));
                }
                set.push(name.to_owned());
            }
            Val::Flags(set)
        }
        ValType::Own(_) | ValType::Borrow(_) => {
            let id = ResourceId(unsafe { of.resource });
            Val::Resource(lx.read_resource(ty, ResourceWire::Held(id))?)
        }
        ValType::Future(_) | ValType::Stream(_) | ValType::ErrorContext => {
            unreachable!("refused by expected_kind")
        }
    })
}

/// # Safety
/// As for [`Reader::read`].
unsafe fn read_all(
    list: wjvm_val_list_t,
    ty: &ValType,
    what: &str,
    lx: &mut Lx<'_, '_>,
) -> Conv<Vec<Val>> {
    let given = unsafe { items(list.ptr, list.len, what) }?;
    let mut out = Vec::with_capacity(given.len());
    for (i, v) in given.iter().enumerate() {
        out.push(unsafe { read(v, ty, lx) }.map_err(|e| e.at(format!("[{i}]")))?);
    }
    Ok(out)
}

/// A variant or result payload: present exactly when the type has one.
///
/// # Safety
/// As for [`Reader::read`].
unsafe fn payload(
    value: *const wjvm_val_t,
    ty: Option<&ValType>,
    lx: &mut Lx<'_, '_>,
) -> Conv<Option<Box<Val>>> {
    match (unsafe { value.as_ref() }, ty) {
        (None, None) => Ok(None),
        (Some(v), Some(t)) => Ok(Some(Box::new(unsafe { read(v, t, lx) }?))),
        (None, Some(t)) => Err(ValueError::invalid(format!(
            "a payload of type {t} is missing"
        ))),
        (Some(_), None) => Err(ValueError::invalid(
            "a payload is given, but this case has none (payload must be NULL)",
        )),
    }
}

// ---- core to C ----

/// Fails when `val` holds something the C face cannot represent, so that [`write`] never
/// fails halfway through building a value.
pub(crate) fn check_writable(val: &Val) -> Result<()> {
    let unsupported = |kind: &str| {
        Err(Error::InvalidArgument(format!(
            "a {kind} value cannot be returned through the C API (future, stream and error-context values \
             cannot cross to the host yet)"
        )))
    };
    match val {
        Val::Future(_) => unsupported("future"),
        Val::Stream(_) => unsupported("stream"),
        Val::ErrorContext(_) => unsupported("error-context"),
        Val::List(items) | Val::FixedLengthList(items) | Val::Tuple(items) => {
            items.iter().try_for_each(check_writable)
        }
        Val::Map(entries) => entries
            .iter()
            .try_for_each(|(k, v)| check_writable(k).and_then(|()| check_writable(v))),
        Val::Record(fields) => fields.iter().try_for_each(|(_, v)| check_writable(v)),
        Val::Variant(_, Some(p))
        | Val::Option(Some(p))
        | Val::Result(Ok(Some(p)))
        | Val::Result(Err(Some(p))) => check_writable(p),
        _ => Ok(()),
    }
}

fn new_str(s: &str) -> wjvm_str_t {
    let mut bytes = Vec::with_capacity(s.len() + 1);
    bytes.extend_from_slice(s.as_bytes());
    bytes.push(0);
    let ptr = Box::into_raw(bytes.into_boxed_slice()).cast::<c_char>();
    wjvm_str_t {
        ptr: ptr.cast_const(),
        len: s.len(),
    }
}

fn new_slice<T>(items: Vec<T>) -> (*const T, usize) {
    if items.is_empty() {
        return (std::ptr::null(), 0);
    }
    let len = items.len();
    (
        Box::into_raw(items.into_boxed_slice())
            .cast::<T>()
            .cast_const(),
        len,
    )
}

fn new_box(v: wjvm_val_t) -> *const wjvm_val_t {
    Box::into_raw(Box::new(v)).cast_const()
}

fn val(kind: wjvm_val_kind_t, of: wjvm_val_payload_t) -> wjvm_val_t {
    wjvm_val_t {
        kind: kind as u8,
        of,
    }
}

fn new_list(items: &[Val], slab: &mut Lx<'_, '_>) -> wjvm_val_list_t {
    let (ptr, len) = new_slice(items.iter().map(|v| write(v, slab)).collect());
    wjvm_val_list_t { ptr, len }
}

/// Builds the C form of `val` (checked by [`check_writable`]); resources the guest hands over
/// are kept by the store (the C face has no host-defined resource types).
pub(crate) fn write(v: &Val, slab: &mut Lx<'_, '_>) -> wjvm_val_t {
    type P = wjvm_val_payload_t;
    match v {
        Val::Bool(b) => val(WJVM_VAL_BOOL, P { boolean: *b as u8 }),
        Val::S8(x) => val(WJVM_VAL_S8, P { s8: *x }),
        Val::U8(x) => val(WJVM_VAL_U8, P { u8: *x }),
        Val::S16(x) => val(WJVM_VAL_S16, P { s16: *x }),
        Val::U16(x) => val(WJVM_VAL_U16, P { u16: *x }),
        Val::S32(x) => val(WJVM_VAL_S32, P { s32: *x }),
        Val::U32(x) => val(WJVM_VAL_U32, P { u32: *x }),
        Val::S64(x) => val(WJVM_VAL_S64, P { s64: *x }),
        Val::U64(x) => val(WJVM_VAL_U64, P { u64: *x }),
        Val::Float32(x) => val(WJVM_VAL_F32, P { f32: *x }),
        Val::Float64(x) => val(WJVM_VAL_F64, P { f64: *x }),
        Val::Char(c) => val(
            WJVM_VAL_CHAR,
            P {
                character: *c as u32,
            },
        ),
        Val::String(s) => val(WJVM_VAL_STRING, P { string: new_str(s) }),
        Val::List(items) => val(
            WJVM_VAL_LIST,
            P {
                list: new_list(items, slab),
            },
        ),
        Val::FixedLengthList(items) => val(
            WJVM_VAL_FIXED_LIST,
            P {
                fixed_list: new_list(items, slab),
            },
        ),
        Val::Tuple(items) => val(
            WJVM_VAL_TUPLE,
            P {
                tuple: new_list(items, slab),
            },
        ),
        Val::Map(entries) => {
            let (keys, values): (Vec<_>, Vec<_>) = entries
                .iter()
                .map(|(k, v)| (write(k, slab), write(v, slab)))
                .unzip();
            let len = keys.len();
            val(
                WJVM_VAL_MAP,
                P {
                    map: wjvm_val_map_t {
                        keys: new_slice(keys).0,
                        values: new_slice(values).0,
                        len,
                    },
                },
            )
        }
        Val::Record(fields) => {
            let (names, values): (Vec<_>, Vec<_>) = fields
                .iter()
                .map(|(name, v)| (new_str(name), write(v, slab)))
                .unzip();
            let len = names.len();
            val(
                WJVM_VAL_RECORD,
                P {
                    record: wjvm_val_record_t {
                        names: new_slice(names).0,
                        values: new_slice(values).0,
                        len,
                    },
                },
            )
        }
        Val::Variant(name, payload) => val(
            WJVM_VAL_VARIANT,
            P {
                variant: wjvm_val_variant_t {
                    name: new_str(name),
                    payload: write_payload(payload, slab),
                },
            },
        ),
        Val::Enum(name) => val(
            WJVM_VAL_ENUM,
            P {
                enum_case: new_str(name),
            },
        ),
        Val::Option(v) => val(
            WJVM_VAL_OPTION,
            P {
                option: write_payload(v, slab),
            },
        ),
        Val::Result(r) => {
            let (is_err, payload) = match r {
                Ok(p) => (0, p),
                Err(p) => (1, p),
            };
            val(
                WJVM_VAL_RESULT,
                P {
                    result: wjvm_val_result_t {
                        is_err,
                        payload: write_payload(payload, slab),
                    },
                },
            )
        }
        Val::Flags(names) => {
            let (ptr, len) = new_slice(names.iter().map(|n| new_str(n)).collect());
            val(
                WJVM_VAL_FLAGS,
                P {
                    flags: wjvm_val_flags_t { ptr, len },
                },
            )
        }
        Val::Resource(r) => {
            let kind = if r.owned() {
                WJVM_VAL_OWN
            } else {
                WJVM_VAL_BORROW
            };
            val(
                kind,
                P {
                    resource: slab.keep(*r).0,
                },
            )
        }
        Val::Future(_) | Val::Stream(_) | Val::ErrorContext(_) => {
            unreachable!("refused by check_writable")
        }
    }
}

fn write_payload(v: &Option<Box<Val>>, slab: &mut Lx<'_, '_>) -> *const wjvm_val_t {
    match v {
        Some(v) => new_box(write(v, slab)),
        None => std::ptr::null(),
    }
}

/// Writes a call's results as C values, for the core's call sequence.
#[derive(Default)]
pub(crate) struct Writer(pub Vec<wjvm_val_t>);

impl Sink for Writer {
    fn start(&mut self, vals: &[Val]) -> Result<()> {
        vals.iter().try_for_each(check_writable)?;
        self.0.reserve(vals.len());
        Ok(())
    }

    fn write(&mut self, val: &Val, _ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<()> {
        self.0.push(write(val, lx));
        Ok(())
    }

    /// A string result becomes the caller's string with no `Val` in between.
    fn write_bulk(&mut self, out: &BulkOut, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<()> {
        match out {
            BulkOut::Str(s) => {
                self.0.push(val(
                    WJVM_VAL_STRING,
                    wjvm_val_payload_t { string: new_str(s) },
                ));
                Ok(())
            }
            other => match other.to_val() {
                Some(v) => self.write(&v, ty, lx),
                None => Ok(()),
            },
        }
    }
}

/// Makes the vec the caller receives.
pub(crate) fn new_vec(vals: Vec<wjvm_val_t>) -> wjvm_val_vec_t {
    let (ptr, len) = new_slice(vals);
    wjvm_val_vec_t {
        ptr: ptr.cast_mut(),
        len,
    }
}

// ---- freeing what `write` built ----

/// # Safety
/// `s` must come from [`new_str`] and not be freed yet.
unsafe fn free_str(s: wjvm_str_t) {
    if !s.ptr.is_null() {
        let all = std::ptr::slice_from_raw_parts_mut(s.ptr.cast_mut().cast::<u8>(), s.len + 1);
        drop(unsafe { Box::from_raw(all) });
    }
}

/// # Safety
/// `ptr`, `len` must come from [`new_slice`] and not be freed yet.
unsafe fn take_slice<T>(ptr: *const T, len: usize) -> Vec<T> {
    if ptr.is_null() {
        return Vec::new();
    }
    let all = std::ptr::slice_from_raw_parts_mut(ptr.cast_mut(), len);
    unsafe { Box::from_raw(all) }.into_vec()
}

/// # Safety
/// `list` must come from [`new_list`] and not be freed yet.
unsafe fn free_list(list: wjvm_val_list_t) {
    for v in unsafe { take_slice(list.ptr, list.len) } {
        unsafe { free(&v) };
    }
}

/// # Safety
/// `p` must be NULL or come from [`new_box`], and not be freed yet.
unsafe fn free_box(p: *const wjvm_val_t) {
    if !p.is_null() {
        let v = unsafe { Box::from_raw(p.cast_mut()) };
        unsafe { free(&v) };
    }
}

/// Frees everything `v` points to.
///
/// # Safety
/// `v` must come from [`write`], unmodified, and not be freed yet.
pub(crate) unsafe fn free(v: &wjvm_val_t) {
    let of = v.of;
    // Safety: `kind` was set by `write` together with the member it names.
    unsafe {
        match kind_of(v.kind) {
            Some(WJVM_VAL_STRING) => free_str(of.string),
            Some(WJVM_VAL_ENUM) => free_str(of.enum_case),
            Some(WJVM_VAL_LIST) => free_list(of.list),
            Some(WJVM_VAL_FIXED_LIST) => free_list(of.fixed_list),
            Some(WJVM_VAL_TUPLE) => free_list(of.tuple),
            Some(WJVM_VAL_MAP) => {
                for v in take_slice(of.map.keys, of.map.len) {
                    free(&v);
                }
                for v in take_slice(of.map.values, of.map.len) {
                    free(&v);
                }
            }
            Some(WJVM_VAL_RECORD) => {
                for name in take_slice(of.record.names, of.record.len) {
                    free_str(name);
                }
                for v in take_slice(of.record.values, of.record.len) {
                    free(&v);
                }
            }
            Some(WJVM_VAL_VARIANT) => {
                free_str(of.variant.name);
                free_box(of.variant.payload);
            }
            Some(WJVM_VAL_OPTION) => free_box(of.option),
            Some(WJVM_VAL_RESULT) => free_box(of.result.payload),
            Some(WJVM_VAL_FLAGS) => {
                for s in take_slice(of.flags.ptr, of.flags.len) {
                    free_str(s);
                }
            }
            _ => {}
        }
    }
}

/// Frees the values of `vec` and everything they point to, and sets it to NULL and 0 (NULL,
/// or an empty vec, does nothing). Resources the values name stay in the store: drop them
/// with `wjvm_resource_drop`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_val_vec_delete(vec: *mut wjvm_val_vec_t) {
    guard_or((), || {
        if let Some(v) = unsafe { vec.as_mut() } {
            for val in unsafe { take_slice(v.ptr.cast_const(), v.len) } {
                unsafe { free(&val) };
            }
            v.ptr = std::ptr::null_mut();
            v.len = 0;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::call;
    use crate::core::types::{Case, Field, ResourceRef};
    use crate::core::{Engine, EngineConfig, Store, StoreOptions};
    use wasmtime::component::{Resource, ResourceAny};
    use wasmtime::AsContextMut;

    fn store() -> Store {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        let engine = ENGINE.get_or_init(|| Engine::new(EngineConfig::default()).unwrap());
        Store::new(engine, &StoreOptions::default()).unwrap()
    }

    /// Runs `f` with a view of a fresh store, as inside a call.
    fn with_lx<R>(f: impl FnOnce(&mut Lx<'_, '_>) -> R) -> R {
        let store = store();
        let mut out = None;
        store
            .enter(|s| {
                out = Some(call::with_lx(s.store.as_context_mut(), f));
                Ok(())
            })
            .unwrap();
        out.unwrap()
    }

    fn round_trip(v: &Val, ty: &ValType) -> Val {
        check_writable(v).unwrap();
        with_lx(|lx| {
            let c = write(v, lx);
            let back = unsafe { read(&c, ty, lx) }.unwrap();
            unsafe { free(&c) };
            back
        })
    }

    fn record(fields: &[(&str, ValType)]) -> ValType {
        ValType::Record(
            fields
                .iter()
                .map(|(n, t)| Field {
                    name: (*n).into(),
                    ty: t.clone(),
                })
                .collect::<Vec<_>>()
                .into(),
        )
    }

    fn person() -> ValType {
        record(&[
            ("first-name", ValType::String),
            ("age", ValType::U8),
            ("tags", ValType::List(Box::new(ValType::String))),
        ])
    }

    #[test]
    fn every_kind_round_trips() {
        let shape = ValType::Variant(
            vec![
                Case {
                    name: "circle".into(),
                    ty: Some(ValType::F64),
                },
                Case {
                    name: "none-shape".into(),
                    ty: None,
                },
            ]
            .into(),
        );
        let cases: Vec<(Val, ValType)> = vec![
            (Val::Bool(true), ValType::Bool),
            (Val::S8(-8), ValType::S8),
            (Val::U8(255), ValType::U8),
            (Val::S16(-16), ValType::S16),
            (Val::U16(65535), ValType::U16),
            (Val::S32(i32::MIN), ValType::S32),
            (Val::U32(u32::MAX), ValType::U32),
            (Val::S64(i64::MIN), ValType::S64),
            (Val::U64(u64::MAX), ValType::U64),
            (Val::Float32(1.5), ValType::F32),
            (Val::Float64(-2.25), ValType::F64),
            (Val::Char('🌍'), ValType::Char),
            (Val::String("Zoë\0x".into()), ValType::String),
            (Val::String(String::new()), ValType::String),
            (
                Val::List(vec![Val::U32(1), Val::U32(2)]),
                ValType::List(Box::new(ValType::U32)),
            ),
            (Val::List(vec![]), ValType::List(Box::new(ValType::U32))),
            (
                Val::FixedLengthList(vec![Val::U32(1), Val::U32(2)]),
                ValType::FixedList(Box::new(ValType::U32), 2),
            ),
            (
                Val::Map(vec![(Val::String("k".into()), Val::U32(1))]),
                ValType::Map(Box::new(ValType::String), Box::new(ValType::U32)),
            ),
            (
                Val::Record(vec![
                    ("first-name".into(), Val::String("Ada".into())),
                    ("age".into(), Val::U8(36)),
                    ("tags".into(), Val::List(vec![Val::String("x".into())])),
                ]),
                person(),
            ),
            (
                Val::Tuple(vec![
                    Val::U32(1),
                    Val::String("s".into()),
                    Val::Float64(0.5),
                ]),
                ValType::Tuple(vec![ValType::U32, ValType::String, ValType::F64].into()),
            ),
            (
                Val::Variant("circle".into(), Some(Box::new(Val::Float64(1.0)))),
                shape.clone(),
            ),
            (Val::Variant("none-shape".into(), None), shape),
            (
                Val::Enum("green".into()),
                ValType::Enum(vec!["red".into(), "green".into()].into()),
            ),
            (
                Val::Option(Some(Box::new(Val::Option(None)))),
                ValType::Option(Box::new(ValType::Option(Box::new(ValType::String)))),
            ),
            (
                Val::Result(Err(Some(Box::new(Val::String("bad".into()))))),
                ValType::Result {
                    ok: Some(Box::new(ValType::U32)),
                    err: Some(Box::new(ValType::String)),
                },
            ),
            (
                Val::Result(Ok(None)),
                ValType::Result {
                    ok: None,
                    err: None,
                },
            ),
            (
                Val::Flags(vec!["read".into(), "exec".into()]),
                ValType::Flags(vec!["read".into(), "write".into(), "exec".into()].into()),
            ),
        ];
        for (v, ty) in cases {
            assert_eq!(round_trip(&v, &ty), v, "{ty}");
        }
        let nan = f64::from_bits(0x7ff8_0000_dead_beef);
        match round_trip(&Val::Float64(nan), &ValType::F64) {
            Val::Float64(x) => assert_eq!(x.to_bits(), nan.to_bits()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn returned_strings_are_nul_terminated_and_vecs_free_cleanly() {
        let (c, empty) = with_lx(|lx| {
            (
                write(&Val::String("abc".into()), lx),
                write(&Val::List(vec![]), lx),
            )
        });
        unsafe {
            assert_eq!(c.of.string.len, 3);
            assert_eq!(*c.of.string.ptr.add(3), 0);
        }
        let mut vec = new_vec(vec![c, empty]);
        unsafe {
            assert!((*vec.ptr.add(1)).of.list.ptr.is_null());
            wjvm_val_vec_delete(&mut vec);
            assert!(vec.ptr.is_null() && vec.len == 0);
            wjvm_val_vec_delete(&mut vec);
            wjvm_val_vec_delete(std::ptr::null_mut());
        }
    }

    fn c_str(s: &'static str) -> wjvm_str_t {
        wjvm_str_t {
            ptr: s.as_ptr().cast(),
            len: s.len(),
        }
    }

    fn c_u8(x: u8) -> wjvm_val_t {
        val(WJVM_VAL_U8, wjvm_val_payload_t { u8: x })
    }

    fn c_string(s: &'static str) -> wjvm_val_t {
        val(WJVM_VAL_STRING, wjvm_val_payload_t { string: c_str(s) })
    }

    fn error_of(v: &wjvm_val_t, ty: &ValType) -> Error {
        with_lx(|lx| unsafe { read(v, ty, lx) })
            .unwrap_err()
            .for_param("v", "echo")
    }

    #[test]
    fn mismatches_name_the_parameter_and_the_place() {
        let err = error_of(&c_u8(1), &ValType::U32);
        assert!(
            matches!(&err, Error::InvalidArgument(m) if m == "argument `v` of `echo`: expected u32 (WJVM_VAL_U32), got WJVM_VAL_U8"),
            "{err}"
        );

        let tags = [c_string("ok"), c_u8(3)];
        let names = [c_str("age"), c_str("first-name"), c_str("tags")];
        let values = [
            c_u8(9),
            c_string("Ada"),
            val(
                WJVM_VAL_LIST,
                wjvm_val_payload_t {
                    list: wjvm_val_list_t {
                        ptr: tags.as_ptr(),
                        len: 2,
                    },
                },
            ),
        ];
        let rec = |len| {
            val(
                WJVM_VAL_RECORD,
                wjvm_val_payload_t {
                    record: wjvm_val_record_t {
                        names: names.as_ptr(),
                        values: values.as_ptr(),
                        len,
                    },
                },
            )
        };
        let err = error_of(&rec(3), &person()).to_string();
        assert!(err.contains("at `v.tags[1]`: expected string"), "{err}");
        let err = error_of(&rec(2), &person()).to_string();
        assert!(err.contains("field `tags` of record"), "{err}");

        let bad_bool = val(WJVM_VAL_BOOL, wjvm_val_payload_t { boolean: 2 });
        assert!(error_of(&bad_bool, &ValType::Bool)
            .to_string()
            .contains("not a bool"));
        let surrogate = val(WJVM_VAL_CHAR, wjvm_val_payload_t { character: 0xd800 });
        assert!(error_of(&surrogate, &ValType::Char)
            .to_string()
            .contains("not a char"));
        let bad_utf8 = val(
            WJVM_VAL_STRING,
            wjvm_val_payload_t {
                string: wjvm_str_t {
                    ptr: b"\xff".as_ptr().cast(),
                    len: 1,
                },
            },
        );
        assert!(error_of(&bad_utf8, &ValType::String)
            .to_string()
            .contains("not UTF-8"));
        let dangling = val(
            WJVM_VAL_LIST,
            wjvm_val_payload_t {
                list: wjvm_val_list_t {
                    ptr: std::ptr::null(),
                    len: 4,
                },
            },
        );
        let list = ValType::List(Box::new(ValType::U8));
        assert!(error_of(&dangling, &list).to_string().contains("NULL"));
        let fixed = ValType::FixedList(Box::new(ValType::U8), 4);
        let three = [c_u8(1), c_u8(2), c_u8(3)];
        let short = val(
            WJVM_VAL_FIXED_LIST,
            wjvm_val_payload_t {
                fixed_list: wjvm_val_list_t {
                    ptr: three.as_ptr(),
                    len: 3,
                },
            },
        );
        assert!(error_of(&short, &fixed).to_string().contains("exactly 4"));
        let unknown_kind = wjvm_val_t {
            kind: 200,
            of: wjvm_val_payload_t { u64: 0 },
        };
        assert!(error_of(&unknown_kind, &ValType::U64)
            .to_string()
            .contains("200 (not a wjvm_val_kind_t)"));
        let enum_ty = ValType::Enum(vec!["red".into()].into());
        let blue = val(
            WJVM_VAL_ENUM,
            wjvm_val_payload_t {
                enum_case: c_str("blue"),
            },
        );
        assert!(error_of(&blue, &enum_ty)
            .to_string()
            .contains("no case `blue`"));
    }

    #[test]
    fn own_resources_are_taken_only_once_every_argument_is_read() {
        let store = store();
        store
            .enter(|s| {
                let any: ResourceAny = Resource::<u32>::new_own(1)
                    .try_into_resource_any(&mut s.store)
                    .unwrap();
                let id = s.resources().insert(any);
                let rr = ResourceRef {
                    name: "counter".into(),
                    ty: None,
                    host: None,
                };
                let own = ValType::Own(rr.clone());
                let borrow = ValType::Borrow(rr);
                let as_own = val(WJVM_VAL_OWN, wjvm_val_payload_t { resource: id.0 });
                let as_borrow = val(WJVM_VAL_BORROW, wjvm_val_payload_t { resource: id.0 });
                fn read_args(
                    s: &mut crate::core::StoreInner,
                    args: &[wjvm_val_t],
                    types: &[&ValType],
                ) -> Result<Vec<Val>> {
                    call::read_values(
                        s.store.as_context_mut(),
                        types,
                        &mut unsafe { Reader::new(args) },
                        true,
                    )
                }

                // A borrow is lent: the id stays valid.
                read_args(s, &[as_borrow], &[&borrow]).unwrap();
                // The kind must say own or borrow as the type does.
                assert!(read_args(s, &[as_borrow], &[&own]).is_err());
                // A failed read of a later argument leaves the own resource in place.
                assert!(read_args(s, &[as_own, c_u8(1)], &[&own, &ValType::String]).is_err());
                // The same id twice as own is refused, and nothing is taken.
                assert!(matches!(
                    read_args(s, &[as_own, as_own], &[&own, &own]),
                    Err(Error::Resource(_))
                ));
                assert_eq!(s.live_resources(), 1);
                // Passed as own once, it is gone; using it again is a resource error.
                read_args(s, &[as_own], &[&own]).unwrap();
                assert_eq!(s.live_resources(), 0);
                let err = read_args(s, &[as_own], &[&own]).unwrap_err();
                assert!(matches!(err, Error::Resource(_)), "{err}");

                // Returned resources are kept by the store and come back as ids.
                let any: ResourceAny = Resource::<u32>::new_own(2)
                    .try_into_resource_any(&mut s.store)
                    .unwrap();
                let returned = call::with_lx(s.store.as_context_mut(), |lx| {
                    write(&Val::Resource(any), lx)
                });
                assert_eq!(returned.kind, WJVM_VAL_OWN as u8);
                assert_eq!(s.live_resources(), 1);
                assert!(s
                    .resources()
                    .get(ResourceId(unsafe { returned.of.resource }))
                    .is_ok());
                Ok(())
            })
            .unwrap();
    }
}
