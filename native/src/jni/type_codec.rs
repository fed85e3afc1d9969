//! Encodes core type descriptions for `TypeReader.java`, which must agree on these tags.
//!
//! Value types: 0..=12 bool, s8, u8, s16, u16, s32, u32, s64, u64, f32, f64, char, string;
//! 13 list T; 14 fixed-list T u32; 15 map K V; 16 record n (name T)*; 17 tuple n T*;
//! 18 variant n (name opt-T)*; 19 enum names; 20 option T; 21 result opt-T opt-T; 22 flags names;
//! 23 own name; 24 borrow name; 25 future opt-T; 26 stream opt-T; 27 error-context.
//! Strings and counts are u32 little-endian; opt-T is a byte 0/1 then T.
//! Function: n (name T)*, n T*, async byte. Items: 0 func; 1 core func sig; 2 module imports
//! (module name type)* exports (name type)*; 3 component imports exports; 4 instance exports;
//! 5 type T; 6 resource name. An item list is n (name item)*.

use crate::core::types::{ComponentType, FuncType, ItemType, ValType};

fn u32(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u32).to_le_bytes());
}

fn string(out: &mut Vec<u8>, s: &str) {
    u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn strings(out: &mut Vec<u8>, names: &[String]) {
    u32(out, names.len());
    for n in names {
        string(out, n);
    }
}

fn opt(out: &mut Vec<u8>, t: Option<&ValType>) {
    match t {
        None => out.push(0),
        Some(t) => {
            out.push(1);
            val_type(out, t);
        }
    }
}

/// Encodes a value type.
pub(crate) fn val_type(out: &mut Vec<u8>, t: &ValType) {
    match t {
        ValType::Bool => out.push(0),
        ValType::S8 => out.push(1),
        ValType::U8 => out.push(2),
        ValType::S16 => out.push(3),
        ValType::U16 => out.push(4),
        ValType::S32 => out.push(5),
        ValType::U32 => out.push(6),
        ValType::S64 => out.push(7),
        ValType::U64 => out.push(8),
        ValType::F32 => out.push(9),
        ValType::F64 => out.push(10),
        ValType::Char => out.push(11),
        ValType::String => out.push(12),
        ValType::List(e) => {
            out.push(13);
            val_type(out, e);
        }
        ValType::FixedList(e, n) => {
            out.push(14);
            val_type(out, e);
            u32(out, *n as usize);
        }
        ValType::Map(k, v) => {
            out.push(15);
            val_type(out, k);
            val_type(out, v);
        }
        ValType::Record(fields) => {
            out.push(16);
            u32(out, fields.len());
            for f in fields.iter() {
                string(out, &f.name);
                val_type(out, &f.ty);
            }
        }
        ValType::Tuple(types) => {
            out.push(17);
            u32(out, types.len());
            for t in types.iter() {
                val_type(out, t);
            }
        }
        ValType::Variant(cases) => {
            out.push(18);
            u32(out, cases.len());
            for c in cases.iter() {
                string(out, &c.name);
                opt(out, c.ty.as_ref());
            }
        }
        ValType::Enum(names) => {
            out.push(19);
            strings(out, names);
        }
        ValType::Option(t) => {
            out.push(20);
            val_type(out, t);
        }
        ValType::Result { ok, err } => {
            out.push(21);
            opt(out, ok.as_deref());
            opt(out, err.as_deref());
        }
        ValType::Flags(names) => {
            out.push(22);
            strings(out, names);
        }
        ValType::Own(r) => {
            out.push(23);
            string(out, &r.name);
        }
        ValType::Borrow(r) => {
            out.push(24);
            string(out, &r.name);
        }
        ValType::Future(t) => {
            out.push(25);
            opt(out, t.as_deref());
        }
        ValType::Stream(t) => {
            out.push(26);
            opt(out, t.as_deref());
        }
        ValType::ErrorContext => out.push(27),
    }
}

/// Encodes a function type.
pub(crate) fn func_type(out: &mut Vec<u8>, f: &FuncType) {
    u32(out, f.params.len());
    for (name, t) in &f.params {
        string(out, name);
        val_type(out, t);
    }
    u32(out, f.results.len());
    for t in &f.results {
        val_type(out, t);
    }
    out.push(f.is_async as u8);
}

/// Encodes a list of named items.
pub(crate) fn items(out: &mut Vec<u8>, items: &[(String, ItemType)]) {
    u32(out, items.len());
    for (name, item) in items {
        string(out, name);
        item_type(out, item);
    }
}

fn item_type(out: &mut Vec<u8>, item: &ItemType) {
    match item {
        ItemType::Func(f) => {
            out.push(0);
            func_type(out, f);
        }
        ItemType::CoreFunc(sig) => {
            out.push(1);
            string(out, &sig.0);
        }
        ItemType::Module { imports, exports } => {
            out.push(2);
            u32(out, imports.len());
            for (module, name, ty) in imports {
                string(out, module);
                string(out, name);
                string(out, ty);
            }
            u32(out, exports.len());
            for (name, ty) in exports {
                string(out, name);
                string(out, ty);
            }
        }
        ItemType::Component { imports, exports } => {
            out.push(3);
            items(out, imports);
            items(out, exports);
        }
        ItemType::Instance { exports } => {
            out.push(4);
            items(out, exports);
        }
        ItemType::Type(t) => {
            out.push(5);
            val_type(out, t);
        }
        ItemType::Resource(name) => {
            out.push(6);
            string(out, name);
        }
    }
}

/// Encodes a component type: imports then exports.
pub(crate) fn component_type(out: &mut Vec<u8>, c: &ComponentType) {
    items(out, &c.imports);
    items(out, &c.exports);
}
