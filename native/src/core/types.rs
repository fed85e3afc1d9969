//! The WIT type model of the core: an owned, engine-independent description of every
//! component-model type, built from wasmtime's `component::types` and printed in WIT syntax.
//!
//! Adapters hand these to their callers (the JNI face encodes them for the Java type model) and
//! the value codecs are driven by them. Resource types keep wasmtime's `ResourceType` so that
//! handles can be checked against them.

use std::fmt;
use std::sync::Arc;

use wasmtime::component::types::{self as wt, ComponentItem};
use wasmtime::component::ResourceType;
use wasmtime::Engine;

/// A component value type.
#[derive(Clone, Debug)]
pub enum ValType {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32,
    F64,
    Char,
    String,
    List(Box<ValType>),
    FixedList(Box<ValType>, u32),
    Map(Box<ValType>, Box<ValType>),
    Record(Arc<[Field]>),
    Tuple(Arc<[ValType]>),
    Variant(Arc<[Case]>),
    Enum(Arc<[String]>),
    Option(Box<ValType>),
    Result {
        ok: Option<Box<ValType>>,
        err: Option<Box<ValType>>,
    },
    Flags(Arc<[String]>),
    Own(ResourceRef),
    Borrow(ResourceRef),
    Future(Option<Box<ValType>>),
    Stream(Option<Box<ValType>>),
    ErrorContext,
}

impl ValType {
    /// Whether values of this type may hold a `future`, `stream` or `error-context` handle.
    pub fn holds_async_values(&self) -> bool {
        match self {
            ValType::Future(_) | ValType::Stream(_) | ValType::ErrorContext => true,
            ValType::List(e) | ValType::FixedList(e, _) | ValType::Option(e) => {
                e.holds_async_values()
            }
            ValType::Map(k, v) => k.holds_async_values() || v.holds_async_values(),
            ValType::Record(fields) => fields.iter().any(|f| f.ty.holds_async_values()),
            ValType::Tuple(types) => types.iter().any(ValType::holds_async_values),
            ValType::Variant(cases) => cases
                .iter()
                .any(|c| c.ty.as_ref().is_some_and(ValType::holds_async_values)),
            ValType::Result { ok, err } => [ok, err]
                .into_iter()
                .any(|t| t.as_ref().is_some_and(|t| t.holds_async_values())),
            _ => false,
        }
    }
}

/// A record field.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: ValType,
}

/// A variant case, with or without a payload.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub ty: Option<ValType>,
}

/// A resource type with the name it is exported or imported under, when one is known, and
/// wasmtime's type when it comes from a component (a type a host declares has only a name).
#[derive(Clone, Debug)]
pub struct ResourceRef {
    pub name: String,
    pub ty: Option<ResourceType>,
    /// The payload of a host-defined resource type (`ResourceType::host_dynamic`), if it is one.
    pub host: Option<u32>,
}

/// A component function type.
#[derive(Clone, Debug)]
pub struct FuncType {
    pub params: Vec<(String, ValType)>,
    pub results: Vec<ValType>,
    pub is_async: bool,
}

/// A core wasm function type, rendered as wasmtime prints it.
#[derive(Clone, Debug)]
pub struct CoreFuncType(pub String);

/// An item a component imports or exports.
#[derive(Clone, Debug)]
pub enum ItemType {
    Func(FuncType),
    CoreFunc(CoreFuncType),
    /// A core module, with its imports (`module`, `name`, type) and exports.
    Module {
        imports: Vec<(String, String, String)>,
        exports: Vec<(String, String)>,
    },
    Component {
        imports: Vec<(String, ItemType)>,
        exports: Vec<(String, ItemType)>,
    },
    Instance {
        exports: Vec<(String, ItemType)>,
    },
    Type(ValType),
    Resource(String),
}

/// The imports and exports of a component.
#[derive(Clone, Debug)]
pub struct ComponentType {
    pub imports: Vec<(String, ItemType)>,
    pub exports: Vec<(String, ItemType)>,
}

/// Names the resource types met while converting, so that `own<counter>` reads as such.
#[derive(Default, Clone, Debug)]
pub struct ResourceNames {
    names: Vec<(ResourceType, String)>,
    /// The payloads of host-defined resource types (`ResourceType::host_dynamic`).
    host: Vec<u32>,
}

impl ResourceNames {
    /// Recognises the host-defined resource types with these payloads as host resources.
    pub fn set_host_resources(&mut self, payloads: Vec<u32>) {
        self.host = payloads;
    }

    fn host_payload(&self, ty: &ResourceType) -> Option<u32> {
        self.host
            .iter()
            .copied()
            .find(|p| *ty == ResourceType::host_dynamic(*p))
    }

    /// Records `name` for `ty` unless it already has one.
    pub fn add(&mut self, ty: ResourceType, name: &str) {
        if !self.names.iter().any(|(t, _)| *t == ty) {
            self.names.push((ty, name.to_owned()));
        }
    }

    fn name_of(&self, ty: &ResourceType) -> String {
        self.names
            .iter()
            .find(|(t, _)| t == ty)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "resource".to_owned())
    }

    /// Collects the names of every resource declared among `items`, recursively.
    pub fn collect(&mut self, engine: &Engine, items: &[(String, ComponentItem)]) {
        for (name, item) in items {
            match item {
                ComponentItem::Resource(ty) => self.add(*ty, name),
                ComponentItem::ComponentInstance(inst) => {
                    let nested: Vec<(String, ComponentItem)> = inst
                        .exports(engine)
                        .map(|(n, e)| (n.to_owned(), e.ty))
                        .collect();
                    self.collect(engine, &nested);
                }
                _ => {}
            }
        }
    }
}

impl ValType {
    /// Converts a wasmtime type.
    pub fn from_wasmtime(ty: &wt::Type, names: &ResourceNames) -> ValType {
        use wt::Type as T;
        match ty {
            T::Bool => ValType::Bool,
            T::S8 => ValType::S8,
            T::U8 => ValType::U8,
            T::S16 => ValType::S16,
            T::U16 => ValType::U16,
            T::S32 => ValType::S32,
            T::U32 => ValType::U32,
            T::S64 => ValType::S64,
            T::U64 => ValType::U64,
            T::Float32 => ValType::F32,
            T::Float64 => ValType::F64,
            T::Char => ValType::Char,
            T::String => ValType::String,
            T::List(l) => ValType::List(Box::new(Self::from_wasmtime(&l.ty(), names))),
            T::FixedLengthList(l) => {
                ValType::FixedList(Box::new(Self::from_wasmtime(&l.ty(), names)), l.len())
            }
            T::Map(m) => ValType::Map(
                Box::new(Self::from_wasmtime(&m.key(), names)),
                Box::new(Self::from_wasmtime(&m.value(), names)),
            ),
            T::Record(r) => ValType::Record(
                r.fields()
                    .map(|f| Field {
                        name: f.name.to_owned(),
                        ty: Self::from_wasmtime(&f.ty, names),
                    })
                    .collect(),
            ),
            T::Tuple(t) => {
                ValType::Tuple(t.types().map(|t| Self::from_wasmtime(&t, names)).collect())
            }
            T::Variant(v) => ValType::Variant(
                v.cases()
                    .map(|c| Case {
                        name: c.name.to_owned(),
                        ty: c.ty.as_ref().map(|t| Self::from_wasmtime(t, names)),
                    })
                    .collect(),
            ),
            T::Enum(e) => ValType::Enum(e.names().map(str::to_owned).collect()),
            T::Option(o) => ValType::Option(Box::new(Self::from_wasmtime(&o.ty(), names))),
            T::Result(r) => ValType::Result {
                ok: r.ok().map(|t| Box::new(Self::from_wasmtime(&t, names))),
                err: r.err().map(|t| Box::new(Self::from_wasmtime(&t, names))),
            },
            T::Flags(f) => ValType::Flags(f.names().map(str::to_owned).collect()),
            T::Own(r) => ValType::Own(ResourceRef {
                name: names.name_of(r),
                ty: Some(*r),
                host: names.host_payload(r),
            }),
            T::Borrow(r) => ValType::Borrow(ResourceRef {
                name: names.name_of(r),
                ty: Some(*r),
                host: names.host_payload(r),
            }),
            T::Future(f) => {
                ValType::Future(f.ty().map(|t| Box::new(Self::from_wasmtime(&t, names))))
            }
            T::Stream(s) => {
                ValType::Stream(s.ty().map(|t| Box::new(Self::from_wasmtime(&t, names))))
            }
            T::ErrorContext => ValType::ErrorContext,
        }
    }

    /// Whether this is a type without structure (a number, bool, char, string or error-context).
    pub fn is_primitive(&self) -> bool {
        self.is_scalar() || matches!(self, ValType::String | ValType::ErrorContext)
    }

    /// Whether a value of this type is a single number, bool or char (no heap data, no handles).
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            ValType::Bool
                | ValType::S8
                | ValType::U8
                | ValType::S16
                | ValType::U16
                | ValType::S32
                | ValType::U32
                | ValType::S64
                | ValType::U64
                | ValType::F32
                | ValType::F64
                | ValType::Char
        )
    }
}

impl FuncType {
    /// Converts a wasmtime function type.
    pub fn from_wasmtime(ty: &wt::ComponentFunc, names: &ResourceNames) -> FuncType {
        FuncType {
            params: ty
                .params()
                .map(|(n, t)| (n.to_owned(), ValType::from_wasmtime(&t, names)))
                .collect(),
            results: ty
                .results()
                .map(|t| ValType::from_wasmtime(&t, names))
                .collect(),
            is_async: ty.async_(),
        }
    }
}

impl ItemType {
    /// Converts a wasmtime item type.
    pub fn from_wasmtime(engine: &Engine, item: &ComponentItem, names: &ResourceNames) -> ItemType {
        match item {
            ComponentItem::ComponentFunc(f) => ItemType::Func(FuncType::from_wasmtime(f, names)),
            ComponentItem::CoreFunc(f) => ItemType::CoreFunc(CoreFuncType(f.to_string())),
            ComponentItem::Module(m) => ItemType::Module {
                imports: m
                    .imports(engine)
                    .map(|((module, name), ty)| {
                        (module.to_owned(), name.to_owned(), format!("{ty:?}"))
                    })
                    .collect(),
                exports: m
                    .exports(engine)
                    .map(|(name, ty)| (name.to_owned(), format!("{ty:?}")))
                    .collect(),
            },
            ComponentItem::Component(c) => ItemType::Component {
                imports: c
                    .imports(engine)
                    .map(|(n, e)| (n.to_owned(), Self::from_wasmtime(engine, &e.ty, names)))
                    .collect(),
                exports: c
                    .exports(engine)
                    .map(|(n, e)| (n.to_owned(), Self::from_wasmtime(engine, &e.ty, names)))
                    .collect(),
            },
            ComponentItem::ComponentInstance(i) => ItemType::Instance {
                exports: i
                    .exports(engine)
                    .map(|(n, e)| (n.to_owned(), Self::from_wasmtime(engine, &e.ty, names)))
                    .collect(),
            },
            ComponentItem::Type(t) => ItemType::Type(ValType::from_wasmtime(t, names)),
            ComponentItem::Resource(r) => ItemType::Resource(names.name_of(r)),
        }
    }
}

impl ComponentType {
    /// Describes a component type.
    pub fn from_wasmtime(engine: &Engine, ty: &wt::Component) -> ComponentType {
        let mut names = ResourceNames::default();
        let imports: Vec<(String, ComponentItem)> = ty
            .imports(engine)
            .map(|(n, e)| (n.to_owned(), e.ty))
            .collect();
        let exports: Vec<(String, ComponentItem)> = ty
            .exports(engine)
            .map(|(n, e)| (n.to_owned(), e.ty))
            .collect();
        names.collect(engine, &imports);
        names.collect(engine, &exports);
        let convert = |items: Vec<(String, ComponentItem)>| {
            items
                .into_iter()
                .map(|(n, i)| {
                    let t = ItemType::from_wasmtime(engine, &i, &names);
                    (n, t)
                })
                .collect()
        };
        ComponentType {
            imports: convert(imports),
            exports: convert(exports),
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValType::Bool => f.write_str("bool"),
            ValType::S8 => f.write_str("s8"),
            ValType::U8 => f.write_str("u8"),
            ValType::S16 => f.write_str("s16"),
            ValType::U16 => f.write_str("u16"),
            ValType::S32 => f.write_str("s32"),
            ValType::U32 => f.write_str("u32"),
            ValType::S64 => f.write_str("s64"),
            ValType::U64 => f.write_str("u64"),
            ValType::F32 => f.write_str("f32"),
            ValType::F64 => f.write_str("f64"),
            ValType::Char => f.write_str("char"),
            ValType::String => f.write_str("string"),
            ValType::List(t) => write!(f, "list<{t}>"),
            ValType::FixedList(t, n) => write!(f, "list<{t}, {n}>"),
            ValType::Map(k, v) => write!(f, "map<{k}, {v}>"),
            ValType::Record(fields) => {
                f.write_str("record { ")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {}", field.name, field.ty)?;
                }
                f.write_str(" }")
            }
            ValType::Tuple(types) => {
                f.write_str("tuple<")?;
                for (i, t) in types.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(">")
            }
            ValType::Variant(cases) => {
                f.write_str("variant { ")?;
                for (i, c) in cases.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match &c.ty {
                        Some(t) => write!(f, "{}({t})", c.name)?,
                        None => f.write_str(&c.name)?,
                    }
                }
                f.write_str(" }")
            }
            ValType::Enum(names) => write!(f, "enum {{ {} }}", names.join(", ")),
            ValType::Option(t) => write!(f, "option<{t}>"),
            ValType::Result { ok, err } => match (ok, err) {
                (None, None) => f.write_str("result"),
                (Some(o), None) => write!(f, "result<{o}>"),
                (None, Some(e)) => write!(f, "result<_, {e}>"),
                (Some(o), Some(e)) => write!(f, "result<{o}, {e}>"),
            },
            ValType::Flags(names) => write!(f, "flags {{ {} }}", names.join(", ")),
            ValType::Own(r) => f.write_str(&r.name),
            ValType::Borrow(r) => write!(f, "borrow<{}>", r.name),
            ValType::Future(t) => match t {
                Some(t) => write!(f, "future<{t}>"),
                None => f.write_str("future"),
            },
            ValType::Stream(t) => match t {
                Some(t) => write!(f, "stream<{t}>"),
                None => f.write_str("stream"),
            },
            ValType::ErrorContext => f.write_str("error-context"),
        }
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_async {
            f.write_str("async ")?;
        }
        f.write_str("func(")?;
        for (i, (name, ty)) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}: {ty}")?;
        }
        f.write_str(")")?;
        match self.results.as_slice() {
            [] => Ok(()),
            [one] => write!(f, " -> {one}"),
            many => {
                f.write_str(" -> (")?;
                for (i, t) in many.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for ComponentType {
    /// The imports and exports in WIT-like syntax, one a line, with the contents of interface
    /// instances indented below them; the same layout as the Java `ComponentType.toString`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("world root {\n")?;
        for (name, item) in &self.imports {
            render_item(f, "  ", "import ", name, item)?;
        }
        for (name, item) in &self.exports {
            render_item(f, "  ", "export ", name, item)?;
        }
        f.write_str("}\n")
    }
}

fn render_item(
    f: &mut fmt::Formatter<'_>,
    indent: &str,
    keyword: &str,
    name: &str,
    item: &ItemType,
) -> fmt::Result {
    write!(f, "{indent}{keyword}{name}: ")?;
    let inner = format!("{indent}  ");
    match item {
        ItemType::Func(ty) => writeln!(f, "{ty};"),
        ItemType::CoreFunc(ty) => writeln!(f, "core func {};", ty.0),
        ItemType::Type(ty) => writeln!(f, "type {ty};"),
        ItemType::Resource(_) => writeln!(f, "resource;"),
        ItemType::Instance { exports } => {
            f.write_str("interface {\n")?;
            for (n, i) in exports {
                render_item(f, &inner, "", n, i)?;
            }
            writeln!(f, "{indent}}}")
        }
        ItemType::Module { imports, exports } => {
            f.write_str("core module {\n")?;
            for (module, n, ty) in imports {
                writeln!(f, "{inner}import {module} {n}: {ty};")?;
            }
            for (n, ty) in exports {
                writeln!(f, "{inner}export {n}: {ty};")?;
            }
            writeln!(f, "{indent}}}")
        }
        ItemType::Component { imports, exports } => {
            f.write_str("component {\n")?;
            for (n, i) in imports {
                render_item(f, &inner, "import ", n, i)?;
            }
            for (n, i) in exports {
                render_item(f, &inner, "export ", n, i)?;
            }
            writeln!(f, "{indent}}}")
        }
    }
}
/// Collects the resource handles (`own` and `borrow`) inside `t`.
pub fn resource_refs<'a>(t: &'a ValType, out: &mut Vec<&'a ResourceRef>) {
    use ValType as T;
    match t {
        T::Own(r) | T::Borrow(r) => out.push(r),
        T::List(x) | T::Option(x) | T::FixedList(x, _) => resource_refs(x, out),
        T::Map(k, v) => {
            resource_refs(k, out);
            resource_refs(v, out);
        }
        T::Record(fields) => fields.iter().for_each(|f| resource_refs(&f.ty, out)),
        T::Tuple(types) => types.iter().for_each(|t| resource_refs(t, out)),
        T::Variant(cases) => cases
            .iter()
            .filter_map(|c| c.ty.as_ref())
            .for_each(|t| resource_refs(t, out)),
        T::Result { ok, err } => {
            ok.iter()
                .chain(err.iter())
                .for_each(|t| resource_refs(t, out));
        }
        T::Future(x) | T::Stream(x) => x.iter().for_each(|t| resource_refs(t, out)),
        _ => {}
    }
}

/// Whether two value types have the same shape (resources compare by name).
pub fn same_type(a: &ValType, b: &ValType) -> bool {
    use ValType as T;
    match (a, b) {
        (T::List(x), T::List(y)) | (T::Option(x), T::Option(y)) => same_type(x, y),
        (T::FixedList(x, n), T::FixedList(y, m)) => n == m && same_type(x, y),
        (T::Map(k1, v1), T::Map(k2, v2)) => same_type(k1, k2) && same_type(v1, v2),
        (T::Record(f1), T::Record(f2)) => {
            f1.len() == f2.len()
                && f1
                    .iter()
                    .zip(f2.iter())
                    .all(|(x, y)| x.name == y.name && same_type(&x.ty, &y.ty))
        }
        (T::Tuple(t1), T::Tuple(t2)) => {
            t1.len() == t2.len() && t1.iter().zip(t2.iter()).all(|(x, y)| same_type(x, y))
        }
        (T::Variant(c1), T::Variant(c2)) => {
            c1.len() == c2.len()
                && c1.iter().zip(c2.iter()).all(|(x, y)| {
                    x.name == y.name
                        && match (&x.ty, &y.ty) {
                            (None, None) => true,
                            (Some(p), Some(q)) => same_type(p, q),
                            _ => false,
                        }
                })
        }
        (T::Enum(n1), T::Enum(n2)) | (T::Flags(n1), T::Flags(n2)) => n1 == n2,
        (T::Result { ok: o1, err: e1 }, T::Result { ok: o2, err: e2 }) => {
            same_opt(o1.as_deref(), o2.as_deref()) && same_opt(e1.as_deref(), e2.as_deref())
        }
        (T::Own(r1), T::Own(r2)) | (T::Borrow(r1), T::Borrow(r2)) => {
            r1.name == r2.name && (r1.host.is_none() || r2.host.is_none() || r1.host == r2.host)
        }
        (T::Future(x), T::Future(y)) | (T::Stream(x), T::Stream(y)) => {
            same_opt(x.as_deref(), y.as_deref())
        }
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && a.is_primitive(),
    }
}

fn same_opt(a: Option<&ValType>, b: Option<&ValType>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => same_type(x, y),
        _ => false,
    }
}

/// Whether a host function defined with `host` can serve an import of type `import`.
pub fn same_func_type(host: &FuncType, import: &FuncType) -> bool {
    host.params.len() == import.params.len()
        && host.results.len() == import.results.len()
        && host
            .params
            .iter()
            .zip(&import.params)
            .all(|((_, a), (_, b))| same_type(a, b))
        && host
            .results
            .iter()
            .zip(&import.results)
            .all(|(a, b)| same_type(a, b))
}
