//! Describe: a short WIT-like text of a wac type, for error messages that name both sides of a
//! mismatch (`instance { add: func(a: u32, b: u32) -> u32 }`).
//!
//! wac-types has only one-word descriptions (`desc`); this prints the structure. Instances and
//! components list their items, so a message shows what a plug offers next to what a socket
//! asks for.

use std::fmt::Write;

use wac_graph::types::{DefinedType, ItemKind, Type, Types, ValueType};

/// The text of an item (function, instance, component, type, ...).
pub(crate) fn item(types: &Types, kind: ItemKind) -> String {
    let mut out = String::new();
    write_item(&mut out, types, kind);
    out
}

fn write_item(out: &mut String, types: &Types, kind: ItemKind) {
    match kind {
        ItemKind::Func(id) => write_func(out, types, id),
        ItemKind::Instance(id) => {
            out.push_str("instance {");
            write_items(out, types, types[id].exports.iter());
            out.push('}');
        }
        ItemKind::Component(id) => {
            let world = &types[id];
            out.push_str("component {");
            let mut first = true;
            for (name, kind) in &world.imports {
                out.push_str(if first { " " } else { ", " });
                first = false;
                let _ = write!(out, "import {name}: ");
                write_item(out, types, *kind);
            }
            for (name, kind) in &world.exports {
                out.push_str(if first { " " } else { ", " });
                first = false;
                let _ = write!(out, "export {name}: ");
                write_item(out, types, *kind);
            }
            out.push_str(if first { "}" } else { " }" });
        }
        ItemKind::Module(_) => out.push_str("core module"),
        ItemKind::Type(ty) => write_type(out, types, ty),
        ItemKind::Value(ty) => {
            out.push_str("value ");
            write_value(out, types, ty);
        }
    }
}

fn write_items<'a>(
    out: &mut String,
    types: &Types,
    items: impl Iterator<Item = (&'a String, &'a ItemKind)>,
) {
    let mut any = false;
    for (i, (name, kind)) in items.enumerate() {
        out.push_str(if i == 0 { " " } else { ", " });
        any = true;
        let _ = write!(out, "{name}: ");
        write_item(out, types, *kind);
    }
    if any {
        out.push(' ');
    }
}

fn write_func(out: &mut String, types: &Types, id: wac_graph::types::FuncTypeId) {
    let func = &types[id];
    out.push_str(if func.is_async {
        "async func("
    } else {
        "func("
    });
    for (i, (name, ty)) in func.params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{name}: ");
        write_value(out, types, *ty);
    }
    out.push(')');
    if let Some(result) = func.result {
        out.push_str(" -> ");
        write_value(out, types, result);
    }
}

fn write_type(out: &mut String, types: &Types, ty: Type) {
    match ty {
        Type::Resource(id) => {
            let _ = write!(out, "resource {}", types[types.resolve_resource(id)].name);
        }
        Type::Func(id) => {
            out.push_str("type ");
            write_func(out, types, id);
        }
        Type::Value(v) => {
            out.push_str("type ");
            write_value(out, types, v);
        }
        Type::Interface(id) => {
            out.push_str("interface {");
            write_items(out, types, types[id].exports.iter());
            out.push('}');
        }
        Type::World(id) => write_item(out, types, ItemKind::Component(id)),
        Type::Module(_) => out.push_str("core module type"),
    }
}

fn write_value(out: &mut String, types: &Types, ty: ValueType) {
    match ty {
        ValueType::Primitive(p) => out.push_str(p.desc()),
        ValueType::Own(id) => out.push_str(&types[types.resolve_resource(id)].name),
        ValueType::Borrow(id) => {
            let _ = write!(out, "borrow<{}>", types[types.resolve_resource(id)].name);
        }
        ValueType::Defined(id) => write_defined(out, types, &types[id]),
    }
}

fn write_defined(out: &mut String, types: &Types, ty: &DefinedType) {
    let list = |out: &mut String, items: &mut dyn Iterator<Item = ValueType>| {
        for (i, v) in items.enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_value(out, types, v);
        }
    };
    match ty {
        DefinedType::Tuple(items) => {
            out.push_str("tuple<");
            list(out, &mut items.iter().copied());
            out.push('>');
        }
        DefinedType::List(v) => {
            out.push_str("list<");
            write_value(out, types, *v);
            out.push('>');
        }
        DefinedType::FixedSizeList(v, n) => {
            out.push_str("list<");
            write_value(out, types, *v);
            let _ = write!(out, ", {n}>");
        }
        DefinedType::Map(k, v) => {
            out.push_str("map<");
            list(out, &mut [*k, *v].into_iter());
            out.push('>');
        }
        DefinedType::Option(v) => {
            out.push_str("option<");
            write_value(out, types, *v);
            out.push('>');
        }
        DefinedType::Result { ok, err } => {
            out.push_str("result");
            match (ok, err) {
                (None, None) => {}
                (Some(ok), None) => {
                    out.push('<');
                    write_value(out, types, *ok);
                    out.push('>');
                }
                (ok, Some(err)) => {
                    out.push('<');
                    match ok {
                        Some(ok) => write_value(out, types, *ok),
                        None => out.push('_'),
                    }
                    out.push_str(", ");
                    write_value(out, types, *err);
                    out.push('>');
                }
            }
        }
        DefinedType::Variant(v) => {
            out.push_str("variant {");
            for (i, (name, payload)) in v.cases.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { ", " });
                out.push_str(name);
                if let Some(p) = payload {
                    out.push('(');
                    write_value(out, types, *p);
                    out.push(')');
                }
            }
            out.push_str(" }");
        }
        DefinedType::Record(r) => {
            out.push_str("record {");
            for (i, (name, v)) in r.fields.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { ", " });
                let _ = write!(out, "{name}: ");
                write_value(out, types, *v);
            }
            out.push_str(" }");
        }
        DefinedType::Flags(f) => {
            let names: Vec<&str> = f.0.iter().map(String::as_str).collect();
            let _ = write!(out, "flags {{ {} }}", names.join(", "));
        }
        DefinedType::Enum(e) => {
            let names: Vec<&str> = e.0.iter().map(String::as_str).collect();
            let _ = write!(out, "enum {{ {} }}", names.join(", "));
        }
        DefinedType::Alias(v) => write_value(out, types, *v),
        DefinedType::Stream(v) | DefinedType::Future(v) => {
            out.push_str(if matches!(ty, DefinedType::Stream(_)) {
                "stream"
            } else {
                "future"
            });
            if let Some(v) = v {
                out.push('<');
                write_value(out, types, *v);
                out.push('>');
            }
        }
    }
}

/// The text of named items (`` `add`: func(a: u32, b: u32) -> u32; ... ``), or `none`.
pub(crate) fn items<'a>(
    types: &Types,
    items: impl IntoIterator<Item = (&'a String, &'a ItemKind)>,
) -> String {
    let all: Vec<String> = items
        .into_iter()
        .map(|(name, kind)| format!("`{name}`: {}", item(types, *kind)))
        .collect();
    if all.is_empty() {
        "none".to_string()
    } else {
        all.join("; ")
    }
}
