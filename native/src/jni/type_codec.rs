//! Encodes core type descriptions for `TypeReader.java`, which must agree on these tags.
//!
//! Value types: 0..=12 bool, s8, u8, s16, u16, s32, u32, s64, u64, f32, f64, char, string;
//! 13 list T; 14 fixed-list T u32; 15 map K V; 16 record n (name T)*; 17 tuple n T*;
//! 18 variant n (name opt-T)*; 19 enum names; 20 option T; 21 result opt-T opt-T; 22 flags names;
//! 23 own name host; 24 borrow name host (host: the u32 payload of a host-defined resource
//! type, or 0xffffffff); 25 future opt-T; 26 stream opt-T; 27 error-context.
//! Strings and counts are u32 little-endian; opt-T is a byte 0/1 then T.
//! Function: n (name T)*, n T*, async byte. Items: 0 func; 1 core func sig; 2 module imports
//! (module name type)* exports (name type)*; 3 component imports exports; 4 instance exports;
//! 5 type T; 6 resource name. An item list is n (name item)*.

use std::sync::Arc;

use crate::core::error::{Error, Result};
use crate::core::types::{Case, ComponentType, Field, FuncType, ItemType, ResourceRef, ValType};

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
            u32(out, r.host.map_or(u32::MAX as usize, |p| p as usize));
        }
        ValType::Borrow(r) => {
            out.push(24);
            string(out, &r.name);
            u32(out, r.host.map_or(u32::MAX as usize, |p| p as usize));
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

/// Encodes what `WitPackage.java` shows of a package: its name, each world with its imports and
/// exports (name, component type), its interfaces as an item list, and its WIT text.
pub(crate) fn wit_package(out: &mut Vec<u8>, p: &crate::core::wit::WitPackage) -> Result<()> {
    string(out, &p.name());
    let worlds = p.worlds();
    u32(out, worlds.len());
    for w in &worlds {
        string(out, w);
        component_type(out, &p.world_type(Some(w))?);
    }
    items(out, &p.interface_types());
    string(out, &p.to_wit(true)?);
    Ok(())
}

/// Encodes the mismatches of a component against a world: n (kind byte, name, opt-string
/// expected, opt-string found)*, an opt-string being a byte 0/1 then the string.
pub(crate) fn mismatches(out: &mut Vec<u8>, list: &[crate::core::wit::Mismatch]) {
    u32(out, list.len());
    for m in list {
        out.push(m.kind as u8);
        string(out, &m.name);
        for s in [&m.expected, &m.found] {
            match s {
                None => out.push(0),
                Some(s) => {
                    out.push(1);
                    string(out, s);
                }
            }
        }
    }
}

/// Reads types written by `TypeWriter.java` (the same layout).
/// The deepest nesting of compound types a reader accepts (`list<list<u8>>` is 2), as
/// WebAssembly validators cap it; deeper input is refused before it can exhaust the stack.
pub(crate) const MAX_DEPTH: usize = 100;

pub(crate) struct TypeReader<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: usize,
}

fn malformed() -> Error {
    Error::InvalidArgument("malformed type encoding".into())
}

impl<'a> TypeReader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> TypeReader<'a> {
        TypeReader {
            buf,
            pos: 0,
            depth: 0,
        }
    }

    fn byte(&mut self) -> Result<u8> {
        let b = *self.buf.get(self.pos).ok_or_else(malformed)?;
        self.pos += 1;
        Ok(b)
    }

    fn u32(&mut self) -> Result<usize> {
        let bytes = self.buf.get(self.pos..self.pos + 4).ok_or_else(malformed)?;
        self.pos += 4;
        Ok(u32::from_le_bytes(bytes.try_into().unwrap()) as usize)
    }

    fn string(&mut self) -> Result<String> {
        let n = self.u32()?;
        let bytes = self.buf.get(self.pos..self.pos + n).ok_or_else(malformed)?;
        self.pos += n;
        String::from_utf8(bytes.to_vec()).map_err(|_| malformed())
    }

    fn strings(&mut self) -> Result<Arc<[String]>> {
        let n = self.u32()?;
        (0..n).map(|_| self.string()).collect()
    }

    fn optional(&mut self) -> Result<Option<Box<ValType>>> {
        Ok(match self.byte()? {
            0 => None,
            _ => Some(Box::new(self.val_type()?)),
        })
    }

    pub(crate) fn val_type(&mut self) -> Result<ValType> {
        self.depth += 1;
        if self.depth > MAX_DEPTH + 1 {
            return Err(Error::InvalidArgument(format!(
                "a type is nested more than {MAX_DEPTH} levels deep, which WebAssembly                  components do not allow"
            )));
        }
        let t = self.val_type_here();
        self.depth -= 1;
        t
    }

    fn val_type_here(&mut self) -> Result<ValType> {
        Ok(match self.byte()? {
            0 => ValType::Bool,
            1 => ValType::S8,
            2 => ValType::U8,
            3 => ValType::S16,
            4 => ValType::U16,
            5 => ValType::S32,
            6 => ValType::U32,
            7 => ValType::S64,
            8 => ValType::U64,
            9 => ValType::F32,
            10 => ValType::F64,
            11 => ValType::Char,
            12 => ValType::String,
            13 => ValType::List(Box::new(self.val_type()?)),
            14 => {
                let e = self.val_type()?;
                ValType::FixedList(Box::new(e), self.u32()? as u32)
            }
            15 => {
                let k = self.val_type()?;
                ValType::Map(Box::new(k), Box::new(self.val_type()?))
            }
            16 => {
                let n = self.u32()?;
                let mut fields = Vec::with_capacity(n.min(64));
                for _ in 0..n {
                    let name = self.string()?;
                    fields.push(Field {
                        name,
                        ty: self.val_type()?,
                    });
                }
                ValType::Record(fields.into())
            }
            17 => {
                let n = self.u32()?;
                let types: Result<Vec<ValType>> = (0..n).map(|_| self.val_type()).collect();
                ValType::Tuple(types?.into())
            }
            18 => {
                let n = self.u32()?;
                let mut cases = Vec::with_capacity(n.min(64));
                for _ in 0..n {
                    let name = self.string()?;
                    cases.push(Case {
                        name,
                        ty: self.optional()?.map(|b| *b),
                    });
                }
                ValType::Variant(cases.into())
            }
            19 => ValType::Enum(self.strings()?),
            20 => ValType::Option(Box::new(self.val_type()?)),
            21 => {
                let ok = self.optional()?;
                ValType::Result {
                    ok,
                    err: self.optional()?,
                }
            }
            22 => ValType::Flags(self.strings()?),
            23 => ValType::Own(self.resource_ref()?),
            24 => ValType::Borrow(self.resource_ref()?),
            25 => ValType::Future(self.optional()?),
            26 => ValType::Stream(self.optional()?),
            27 => ValType::ErrorContext,
            _ => return Err(malformed()),
        })
    }

    fn resource_ref(&mut self) -> Result<ResourceRef> {
        let name = self.string()?;
        let host = self.u32()? as u32;
        Ok(ResourceRef {
            name,
            ty: None,
            host: (host != u32::MAX).then_some(host),
        })
    }

    pub(crate) fn func_type(&mut self) -> Result<FuncType> {
        let n = self.u32()?;
        let mut params = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let name = self.string()?;
            params.push((name, self.val_type()?));
        }
        let r = self.u32()?;
        let results: Result<Vec<ValType>> = (0..r).map(|_| self.val_type()).collect();
        let is_async = self.byte()? != 0;
        Ok(FuncType {
            params,
            results: results?,
            is_async,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_survive_a_round_trip() {
        let ty = FuncType {
            params: vec![
                ("a".into(), ValType::List(Box::new(ValType::U8))),
                (
                    "b".into(),
                    ValType::Result {
                        ok: None,
                        err: Some(Box::new(ValType::String)),
                    },
                ),
                (
                    "c".into(),
                    ValType::Variant(
                        vec![
                            Case {
                                name: "x".into(),
                                ty: None,
                            },
                            Case {
                                name: "y".into(),
                                ty: Some(ValType::FixedList(Box::new(ValType::F64), 3)),
                            },
                        ]
                        .into(),
                    ),
                ),
            ],
            results: vec![ValType::Flags(
                vec!["r".to_string(), "w".to_string()].into(),
            )],
            is_async: false,
        };
        let mut out = Vec::new();
        func_type(&mut out, &ty);
        let back = TypeReader::new(&out).func_type().unwrap();
        assert_eq!(back.to_string(), ty.to_string());
        assert!(TypeReader::new(&out[..out.len() - 1]).func_type().is_err());
    }

    #[test]
    fn types_nested_too_deep_are_refused_without_recursing_through_them() {
        // 120,000 nested lists (tag 13) around a u8: refused at depth 101, long before the end.
        let mut deep = vec![13u8; 120_000];
        deep.push(2);
        assert!(matches!(
            TypeReader::new(&deep).val_type(),
            Err(Error::InvalidArgument(m)) if m.contains("nested more than 100")
        ));
        let mut ok = vec![20u8; 100];
        ok.push(2);
        assert!(TypeReader::new(&ok).val_type().is_ok());
    }
}
