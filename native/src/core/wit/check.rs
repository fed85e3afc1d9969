//! A component checked against a WIT world, like `wasm-tools component targets`: the component
//! must export everything the world exports, and import nothing the world does not allow. Every
//! mismatch is reported, each with the type the world expects and the one the component has.

use std::fmt;

use super::super::types::{same_func_type, ComponentType, ItemType};

/// What is wrong with one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MismatchKind {
    /// The world exports it; the component does not.
    MissingExport = 0,
    /// Both export it, with different types.
    ExportType = 1,
    /// The component imports it; the world does not allow it.
    ImportNotAllowed = 2,
    /// Both import it, with different types.
    ImportType = 3,
}

/// One mismatch between a component and a world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub kind: MismatchKind,
    /// The item: `name`, or `interface#name` for an item of an interface.
    pub name: String,
    /// The world's type of the item, when the world has it.
    pub expected: Option<String>,
    /// The component's type of the item, when the component has it.
    pub found: Option<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let none = String::new();
        let expected = self.expected.as_ref().unwrap_or(&none);
        let found = self.found.as_ref().unwrap_or(&none);
        match self.kind {
            MismatchKind::MissingExport => write!(
                f,
                "missing export `{}`: the world exports {expected}",
                self.name
            ),
            MismatchKind::ExportType => write!(
                f,
                "export `{}`: the world expects {expected}, the component has {found}",
                self.name
            ),
            MismatchKind::ImportNotAllowed => write!(
                f,
                "import `{}` ({found}) is not allowed by the world",
                self.name
            ),
            MismatchKind::ImportType => write!(
                f,
                "import `{}`: the world allows {expected}, the component imports {found}",
                self.name
            ),
        }
    }
}

/// Every mismatch between `component` and `world` (both in the core's type model), exports
/// first, each list in the order of the world and the component.
pub fn check(world: &ComponentType, component: &ComponentType) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (name, expected) in &world.exports {
        match find(&component.exports, name) {
            None => out.push(missing(name, expected)),
            Some(found) => compare(name, expected, found, Side::Export, &mut out),
        }
    }
    for (name, found) in &component.imports {
        match find(&world.imports, name) {
            None => out.push(Mismatch {
                kind: MismatchKind::ImportNotAllowed,
                name: name.clone(),
                expected: None,
                found: Some(describe(found)),
            }),
            Some(allowed) => compare(name, allowed, found, Side::Import, &mut out),
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Export,
    Import,
}

fn find<'a>(items: &'a [(String, ItemType)], name: &str) -> Option<&'a ItemType> {
    items.iter().find(|(n, _)| n == name).map(|(_, t)| t)
}

fn missing(name: &str, expected: &ItemType) -> Mismatch {
    Mismatch {
        kind: MismatchKind::MissingExport,
        name: name.to_owned(),
        expected: Some(describe(expected)),
        found: None,
    }
}

/// Compares one item the world names (`world_item`) with the component's (`item`). For an
/// interface: on the export side every item of the world's interface must be there; on the
/// import side every item the component imports must be allowed.
fn compare(
    name: &str,
    world_item: &ItemType,
    item: &ItemType,
    side: Side,
    out: &mut Vec<Mismatch>,
) {
    let type_kind = match side {
        Side::Export => MismatchKind::ExportType,
        Side::Import => MismatchKind::ImportType,
    };
    let differ = |out: &mut Vec<Mismatch>| {
        out.push(Mismatch {
            kind: type_kind,
            name: name.to_owned(),
            expected: Some(describe(world_item)),
            found: Some(describe(item)),
        })
    };
    match (world_item, item) {
        (ItemType::Func(w), ItemType::Func(c)) => {
            if !same_func_type(w, c) || w.is_async != c.is_async {
                differ(out);
            }
        }
        (ItemType::Instance { exports: w }, ItemType::Instance { exports: c }) => match side {
            Side::Export => {
                for (n, wi) in w.iter().filter(|(_, i)| checked(i)) {
                    let full = format!("{name}#{n}");
                    match find(c, n) {
                        None => out.push(missing(&full, wi)),
                        Some(ci) => compare(&full, wi, ci, side, out),
                    }
                }
            }
            Side::Import => {
                for (n, ci) in c.iter().filter(|(_, i)| checked(i)) {
                    let full = format!("{name}#{n}");
                    match find(w, n) {
                        None => out.push(Mismatch {
                            kind: MismatchKind::ImportNotAllowed,
                            name: full,
                            expected: None,
                            found: Some(describe(ci)),
                        }),
                        Some(wi) => compare(&full, wi, ci, side, out),
                    }
                }
            }
        },
        (ItemType::Resource(_), ItemType::Resource(_)) => {}
        (ItemType::Type(_), ItemType::Type(_)) => {}
        _ => differ(out),
    }
}

/// Functions and resources are checked by name; named value types are checked where they are
/// used (structurally, inside the function types).
fn checked(item: &ItemType) -> bool {
    matches!(
        item,
        ItemType::Func(_) | ItemType::Resource(_) | ItemType::Instance { .. }
    )
}

/// An item's type as one line of WIT-like text.
fn describe(item: &ItemType) -> String {
    match item {
        ItemType::Func(f) => f.to_string(),
        ItemType::Resource(n) => format!("resource {n}"),
        ItemType::Type(t) => format!("type {t}"),
        ItemType::Instance { exports } => {
            let names: Vec<&str> = exports
                .iter()
                .filter(|(_, i)| checked(i))
                .map(|(n, _)| n.as_str())
                .collect();
            format!("interface {{ {} }}", names.join(", "))
        }
        ItemType::CoreFunc(f) => format!("core func {}", f.0),
        ItemType::Module { .. } => "core module".to_owned(),
        ItemType::Component { .. } => "component".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::package::WitPackage;
    use super::*;

    fn world(text: &str, name: &str) -> ComponentType {
        WitPackage::parse("t.wit", text)
            .unwrap()
            .world_type(Some(name))
            .unwrap()
    }

    const WIT: &str = r#"package t:t;
interface adder { add: func(a: u32, b: u32) -> u32; }
interface log { log: func(m: string); }
world expected { import log; export adder; export run: func() -> u32; }
world actual { import log; import adder; export adder; }
world bad-types { import log2: interface { log: func(m: u32); } export adder2: interface { add: func(a: s32, b: u32) -> u32; } }
"#;

    #[test]
    fn the_same_world_matches() {
        let w = world(WIT, "expected");
        assert!(check(&w, &w).is_empty());
    }

    #[test]
    fn every_mismatch_is_listed_with_both_types() {
        let expected = world(WIT, "expected");
        let actual = world(WIT, "actual");
        let found = check(&expected, &actual);
        let text: Vec<String> = found.iter().map(|m| m.to_string()).collect();
        assert_eq!(found.len(), 2, "{text:#?}");
        assert_eq!(found[0].kind, MismatchKind::MissingExport);
        assert_eq!(found[0].name, "run");
        assert_eq!(found[0].expected.as_deref(), Some("func() -> u32"));
        assert_eq!(found[1].kind, MismatchKind::ImportNotAllowed);
        assert_eq!(found[1].name, "t:t/adder");
    }

    #[test]
    fn a_function_of_another_type_names_both() {
        let a = world(
            "package t:t; world a { export f: func(x: u32) -> string; import g: func(); }",
            "a",
        );
        let b = world(
            "package t:t; world b { export f: func(x: s32) -> string; import g: func(y: u8); }",
            "b",
        );
        let found = check(&a, &b);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].kind, MismatchKind::ExportType);
        assert_eq!(found[0].expected.as_deref(), Some("func(x: u32) -> string"));
        assert_eq!(found[0].found.as_deref(), Some("func(x: s32) -> string"));
        assert_eq!(found[1].kind, MismatchKind::ImportType);
        assert_eq!(found[1].found.as_deref(), Some("func(y: u8)"));
    }
}
