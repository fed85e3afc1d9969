//! The wire format of core types and values between `io.github.wasmtimejvm.module` and the
//! core (read by `TypeCodec.java` and `Values.java`).
//!
//! Values travel as `long` slots, one per value (two for a `v128`: low then high 64 bits), by
//! the kinds of the function type:
//!
//! | kind | slot |
//! |---|---|
//! | `i32`, `i64` | the value (an `i32` result sign-extended) |
//! | `f32`, `f64` | the bits |
//! | `funcref` | 0 for null, else the function's id in its store plus 1 |
//! | `externref` | 0 for null, else the key the Java side gave the object; for one made inside wasm from a GC value (`extern.convert_any`), bit 63 set over the `anyref` slot of that value (read only) |
//! | `anyref` | 0 for null, else `tag << 32 \| payload`: tag 1 `i31` (payload its bits), 2 struct, 3 array, 4 other |
//! | `exnref`, `contref` | 0 for null, 1 otherwise |
//!
//! Types travel as bytes, little-endian: a signature is `u8` count and kind numbers for the
//! parameters, then the same for the results; an item type is a tag byte (0 function, 1
//! memory, 2 global, 3 table, 4 tag) then its fields (memory: `u64` minimum, `i64` maximum or
//! -1, `u8` 64-bit, `u8` shared, `u8` log2 page size; global: `u8` kind, `u8` mutable; table:
//! `u8` kind, `u64` minimum, `i64` maximum or -1); strings are a `u32` length and UTF-8.

use crate::core::module::types::{ExternDesc, FuncSig, ValKind};
use crate::core::module::value::{AnyView, CoreVal};
use crate::core::{Error, Result};

/// How many slots values of these kinds take.
pub(crate) fn slot_count(kinds: &[ValKind]) -> usize {
    kinds
        .iter()
        .map(|k| if *k == ValKind::V128 { 2 } else { 1 })
        .sum()
}

/// Reads values of `kinds` from `slots`.
pub(crate) fn read_vals(kinds: &[ValKind], slots: &[i64]) -> Result<Vec<CoreVal>> {
    if slots.len() != slot_count(kinds) {
        return Err(Error::InvalidArgument(format!(
            "expected {} value slots, got {}",
            slot_count(kinds),
            slots.len()
        )));
    }
    let mut out = Vec::with_capacity(kinds.len());
    let mut i = 0;
    for k in kinds {
        let s = slots[i];
        i += 1;
        out.push(match k {
            ValKind::I32 => CoreVal::I32(s as i32),
            ValKind::I64 => CoreVal::I64(s),
            ValKind::F32 => CoreVal::F32(s as u32),
            ValKind::F64 => CoreVal::F64(s as u64),
            ValKind::V128 => {
                let hi = slots[i] as u64 as u128;
                i += 1;
                CoreVal::V128((hi << 64) | s as u64 as u128)
            }
            ValKind::FuncRef => CoreVal::FuncRef((s != 0).then(|| (s - 1) as u32)),
            ValKind::ExternRef if s < 0 => {
                return Err(Error::InvalidArgument(
                    "an externref converted from a GC value inside wasm cannot be passed back by \
                     the host"
                        .into(),
                ))
            }
            ValKind::ExternRef => CoreVal::ExternRef((s != 0).then_some(s as u64)),
            ValKind::AnyRef => {
                if s != 0 {
                    return Err(Error::InvalidArgument(
                        "the host can pass only null as anyref".into(),
                    ));
                }
                CoreVal::AnyRef(None)
            }
            ValKind::ExnRef => CoreVal::ExnRef(s != 0),
            ValKind::ContRef => CoreVal::ContRef(s != 0),
        });
    }
    Ok(out)
}

/// Appends the slots of `vals`.
pub(crate) fn write_vals(vals: &[CoreVal], out: &mut Vec<i64>) {
    for v in vals {
        match *v {
            CoreVal::I32(x) => out.push(x as i64),
            CoreVal::I64(x) => out.push(x),
            CoreVal::F32(x) => out.push(x as i64),
            CoreVal::F64(x) => out.push(x as i64),
            CoreVal::V128(x) => {
                out.push(x as u64 as i64);
                out.push((x >> 64) as u64 as i64);
            }
            CoreVal::FuncRef(f) => out.push(f.map_or(0, |id| id as i64 + 1)),
            CoreVal::ExternRef(k) => out.push(k.map_or(0, |k| k as i64)),
            CoreVal::ExternAny(view) => out.push(i64::MIN | any_slot(view)),
            CoreVal::AnyRef(a) => out.push(a.map_or(0, any_slot)),
            CoreVal::ExnRef(b) | CoreVal::ContRef(b) => out.push(b as i64),
        }
    }
}

/// The slot of a non-null GC reference: `tag << 32 | payload`.
fn any_slot(view: AnyView) -> i64 {
    match view {
        AnyView::I31(bits) => (1i64 << 32) | bits as i64,
        AnyView::Struct => 2i64 << 32,
        AnyView::Array => 3i64 << 32,
        AnyView::Other => 4i64 << 32,
    }
}

/// Reads one value of `kind` from its slots.
pub(crate) fn read_val(kind: ValKind, slots: &[i64]) -> Result<CoreVal> {
    Ok(read_vals(&[kind], slots)?.remove(0))
}

/// The slots of one value.
pub(crate) fn val_slots(v: &CoreVal) -> Vec<i64> {
    let mut out = Vec::with_capacity(2);
    write_vals(std::slice::from_ref(v), &mut out);
    out
}

pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

pub(crate) fn put_sig(out: &mut Vec<u8>, sig: &FuncSig) {
    for kinds in [&sig.params, &sig.results] {
        out.push(kinds.len() as u8);
        out.extend(kinds.iter().map(|k| *k as u8));
    }
}

fn put_max(out: &mut Vec<u8>, max: Option<u64>) {
    out.extend_from_slice(&max.map_or(-1i64, |m| m as i64).to_le_bytes());
}

pub(crate) fn put_desc(out: &mut Vec<u8>, d: &ExternDesc) {
    match d {
        ExternDesc::Func(sig) => {
            out.push(0);
            put_sig(out, sig);
        }
        ExternDesc::Memory {
            minimum,
            maximum,
            is_64,
            shared,
            page_size_log2,
        } => {
            out.push(1);
            out.extend_from_slice(&minimum.to_le_bytes());
            put_max(out, *maximum);
            out.extend([*is_64 as u8, *shared as u8, *page_size_log2]);
        }
        ExternDesc::Global { content, mutable } => {
            out.push(2);
            out.extend([*content as u8, *mutable as u8]);
        }
        ExternDesc::Table {
            element,
            minimum,
            maximum,
            ..
        } => {
            out.push(3);
            out.push(*element as u8);
            out.extend_from_slice(&minimum.to_le_bytes());
            put_max(out, *maximum);
        }
        ExternDesc::Tag(sig) => {
            out.push(4);
            put_sig(out, sig);
        }
    }
}

/// Reads a signature written as [`put_sig`] writes it.
pub(crate) fn read_sig(bytes: &[u8]) -> Result<FuncSig> {
    let bad = || Error::InvalidArgument("malformed function type".into());
    let mut at = 0;
    let mut kinds = || -> Result<Vec<ValKind>> {
        let n = *bytes.get(at).ok_or_else(bad)? as usize;
        let list = bytes.get(at + 1..at + 1 + n).ok_or_else(bad)?;
        at += 1 + n;
        list.iter().map(|b| ValKind::from_number(*b)).collect()
    };
    let params = kinds()?;
    let results = kinds()?;
    Ok(FuncSig { params, results })
}

/// The contents of a Java `long[]`.
pub(crate) fn long_slots(
    env: &mut jni::Env<'_>,
    array: &jni::objects::JLongArray<'_>,
) -> crate::jni::JniResult<Vec<i64>> {
    let mut v = vec![0i64; array.len(env)?];
    array.get_region(env, 0, &mut v)?;
    Ok(v)
}
