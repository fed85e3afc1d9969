//! A WIT world's imports and exports in the core's type model ([`ComponentType`]), the model a
//! compiled component's type is described in, so that a world and a component compare item by
//! item and print alike.
//!
//! Names are those a component uses: an interface by its full name (`docs:calc/adder@0.1.0`),
//! a resource function by its mangled name (`[method]counter.get`).

use wit_parser::{
    Function, Handle, Interface, Resolve, Type, TypeDefKind, TypeId, WorldId, WorldItem,
};

use super::super::types::{Case, ComponentType, Field, FuncType, ItemType, ResourceRef, ValType};

/// The imports and exports of `world`.
pub fn world_type(resolve: &Resolve, world: WorldId) -> ComponentType {
    let w = &resolve.worlds[world];
    let convert = |items: &wit_parser::IndexMap<wit_parser::WorldKey, WorldItem>| {
        items
            .iter()
            .map(|(key, item)| {
                let name = resolve.name_world_key(key);
                let ty = match item {
                    WorldItem::Function(f) => ItemType::Func(func_type(resolve, f)),
                    WorldItem::Interface { id, .. } => {
                        interface_type(resolve, &resolve.interfaces[*id])
                    }
                    WorldItem::Type { id, .. } => type_item(resolve, *id),
                };
                (name, ty)
            })
            .collect()
    };
    ComponentType {
        imports: convert(&w.imports),
        exports: convert(&w.exports),
    }
}

/// An interface's functions and types, as the exports of an instance.
pub fn interface_type(resolve: &Resolve, iface: &Interface) -> ItemType {
    let mut exports: Vec<(String, ItemType)> = iface
        .types
        .iter()
        .map(|(name, id)| (name.clone(), type_item(resolve, *id)))
        .collect();
    exports.extend(
        iface
            .functions
            .iter()
            .map(|(name, f)| (name.clone(), ItemType::Func(func_type(resolve, f)))),
    );
    ItemType::Instance { exports }
}

fn type_item(resolve: &Resolve, id: TypeId) -> ItemType {
    match &resolve.types[resolve_alias(resolve, id)].kind {
        TypeDefKind::Resource => ItemType::Resource(resource_name(resolve, id)),
        _ => ItemType::Type(val_type(resolve, &Type::Id(id))),
    }
}

fn func_type(resolve: &Resolve, f: &Function) -> FuncType {
    FuncType {
        params: f
            .params
            .iter()
            .map(|p| (p.name.clone(), val_type(resolve, &p.ty)))
            .collect(),
        results: f.result.iter().map(|t| val_type(resolve, t)).collect(),
        is_async: f.kind.is_async(),
    }
}

/// Follows `type x = y` aliases (and `use`d types) to the definition.
fn resolve_alias(resolve: &Resolve, mut id: TypeId) -> TypeId {
    while let TypeDefKind::Type(Type::Id(next)) = &resolve.types[id].kind {
        id = *next;
    }
    id
}

fn resource_name(resolve: &Resolve, id: TypeId) -> String {
    let def = resolve_alias(resolve, id);
    resolve.types[def]
        .name
        .clone()
        .unwrap_or_else(|| "resource".to_owned())
}

fn resource_ref(resolve: &Resolve, id: TypeId) -> ResourceRef {
    ResourceRef {
        name: resource_name(resolve, id),
        ty: None,
        host: None,
    }
}

/// A WIT value type.
pub fn val_type(resolve: &Resolve, ty: &Type) -> ValType {
    match ty {
        Type::Bool => ValType::Bool,
        Type::U8 => ValType::U8,
        Type::U16 => ValType::U16,
        Type::U32 => ValType::U32,
        Type::U64 => ValType::U64,
        Type::S8 => ValType::S8,
        Type::S16 => ValType::S16,
        Type::S32 => ValType::S32,
        Type::S64 => ValType::S64,
        Type::F32 => ValType::F32,
        Type::F64 => ValType::F64,
        Type::Char => ValType::Char,
        Type::String => ValType::String,
        Type::ErrorContext => ValType::ErrorContext,
        Type::Id(id) => def_type(resolve, *id),
    }
}

fn def_type(resolve: &Resolve, id: TypeId) -> ValType {
    let v = |t: &Type| val_type(resolve, t);
    let boxed = |t: &Type| Box::new(val_type(resolve, t));
    match &resolve.types[id].kind {
        TypeDefKind::Type(t) => v(t),
        TypeDefKind::Record(r) => ValType::Record(
            r.fields
                .iter()
                .map(|f| Field {
                    name: f.name.clone(),
                    ty: v(&f.ty),
                })
                .collect::<Vec<_>>()
                .into(),
        ),
        TypeDefKind::Tuple(t) => ValType::Tuple(t.types.iter().map(v).collect::<Vec<_>>().into()),
        TypeDefKind::Variant(var) => ValType::Variant(
            var.cases
                .iter()
                .map(|c| Case {
                    name: c.name.clone(),
                    ty: c.ty.as_ref().map(v),
                })
                .collect::<Vec<_>>()
                .into(),
        ),
        TypeDefKind::Enum(e) => ValType::Enum(
            e.cases
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
                .into(),
        ),
        TypeDefKind::Flags(f) => ValType::Flags(
            f.flags
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
                .into(),
        ),
        TypeDefKind::Option(t) => ValType::Option(boxed(t)),
        TypeDefKind::Result(r) => ValType::Result {
            ok: r.ok.as_ref().map(boxed),
            err: r.err.as_ref().map(boxed),
        },
        TypeDefKind::List(t) => ValType::List(boxed(t)),
        TypeDefKind::Map(k, val) => ValType::Map(boxed(k), boxed(val)),
        TypeDefKind::FixedLengthList(t, n) => ValType::FixedList(boxed(t), *n),
        TypeDefKind::Future(t) => ValType::Future(t.as_ref().map(boxed)),
        TypeDefKind::Stream(t) => ValType::Stream(t.as_ref().map(boxed)),
        TypeDefKind::Handle(Handle::Own(r)) => ValType::Own(resource_ref(resolve, *r)),
        TypeDefKind::Handle(Handle::Borrow(r)) => ValType::Borrow(resource_ref(resolve, *r)),
        // A resource named as a value type is an owned handle to it.
        TypeDefKind::Resource => ValType::Own(resource_ref(resolve, id)),
        TypeDefKind::Unknown => ValType::Own(ResourceRef {
            name: "unknown".to_owned(),
            ty: None,
            host: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::package::WitPackage;

    #[test]
    fn a_world_reads_as_a_component_type() {
        let p = WitPackage::parse(
            "w.wit",
            r#"package docs:w@1.0.0;
interface counter {
    resource counter {
        constructor(start: u32);
        get: func() -> u32;
    }
    record point { x: s32, y: s32 }
    make: func(p: point) -> counter;
}
world w {
    import counter;
    export run: func(names: list<string>) -> result<option<u8>, string>;
}"#,
        )
        .unwrap();
        let ty = p.world_type(None).unwrap();
        let text = ty.to_string();
        assert!(
            text.contains("import docs:w/counter@1.0.0: interface {"),
            "{text}"
        );
        assert!(
            text.contains("[method]counter.get: func(self: borrow<counter>) -> u32;"),
            "{text}"
        );
        assert!(
            text.contains("[constructor]counter: func(start: u32) -> counter;"),
            "{text}"
        );
        assert!(
            text.contains("make: func(p: record { x: s32, y: s32 }) -> counter;"),
            "{text}"
        );
        assert!(
            text.contains("export run: func(names: list<string>) -> result<option<u8>, string>;"),
            "{text}"
        );
    }
}
