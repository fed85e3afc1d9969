//! A WIT package: parsed from text, a `.wit` file or a directory with a `deps/` folder,
//! resolved with its dependencies, and printed back as WIT text.

use std::path::Path;

use wit_parser::{PackageId, Resolve, WorldId};

use super::super::error::{Error, Result};
use super::super::types::{ComponentType, ItemType};

/// A resolved WIT package together with every package it depends on.
#[derive(Clone, Debug)]
pub struct WitPackage {
    resolve: Resolve,
    package: PackageId,
}

impl WitPackage {
    /// Parses WIT text; `file` names it in error messages (it is never read).
    pub fn parse(file: &str, text: &str) -> Result<WitPackage> {
        let mut resolve = Resolve::default();
        let package = match resolve.push_str(file, text) {
            Ok(p) => p,
            Err(e) => return Err(wit_error(&resolve.render_error(&e), Some(file))),
        };
        Ok(WitPackage { resolve, package })
    }

    /// Parses a `.wit` file, a directory of `.wit` files (with its `deps/` folder), or a
    /// wasm-encoded WIT package.
    pub fn parse_path(path: &Path) -> Result<WitPackage> {
        if !path.exists() {
            return Err(Error::Io(format!("{} does not exist", path.display())));
        }
        let mut resolve = Resolve::default();
        let package = match resolve.push_path(path) {
            Ok((p, _)) => p,
            Err(e) => return Err(wit_error(&resolve.render_error(&e), path.to_str())),
        };
        Ok(WitPackage { resolve, package })
    }

    /// Reads a wasm-encoded WIT package (what [`WitPackage::encode`] and `wasm-tools component
    /// wit --wasm` make) or a component, whose WIT is its own package (`root:component`).
    pub fn from_binary(bytes: &[u8]) -> Result<WitPackage> {
        let decoded = wit_component::decode(bytes).map_err(|e| Error::Compile {
            message: format!("cannot read the component's WIT: {e:#}"),
        })?;
        let package = decoded.package();
        let resolve = match decoded {
            wit_component::DecodedWasm::WitPackage(resolve, _) => resolve,
            wit_component::DecodedWasm::Component(resolve, _) => resolve,
        };
        Ok(WitPackage { resolve, package })
    }

    /// The package as a wasm-encoded WIT package: compact, self-contained bytes that
    /// [`WitPackage::from_binary`] reads back (the packages it depends on are kept as far as
    /// it uses them).
    pub fn encode(&self) -> Result<Vec<u8>> {
        wit_component::encode(&self.resolve, self.package)
            .map_err(|e| Error::Runtime(format!("cannot encode the WIT package: {e:#}")))
    }

    /// Every interface of the package with its functions and types, in the core's type model,
    /// named as components import and export it (`docs:calc/adder@0.1.0`).
    pub fn interface_types(&self) -> Vec<(String, ItemType)> {
        self.resolve.packages[self.package]
            .interfaces
            .iter()
            .map(|(name, id)| {
                let ty =
                    super::world_type::interface_type(&self.resolve, &self.resolve.interfaces[*id]);
                let full = self.resolve.id_of(*id).unwrap_or_else(|| name.clone());
                (full, ty)
            })
            .collect()
    }

    /// The resolve holding this package and its dependencies.
    pub fn resolve(&self) -> &Resolve {
        &self.resolve
    }

    /// The package's name, such as `docs:calc@0.1.0`.
    pub fn name(&self) -> String {
        self.resolve.packages[self.package].name.to_string()
    }

    /// The names of the package's worlds, in source order.
    pub fn worlds(&self) -> Vec<String> {
        self.resolve.packages[self.package]
            .worlds
            .keys()
            .cloned()
            .collect()
    }

    /// The world `name` of this package; with `None`, its only world.
    pub fn world(&self, name: Option<&str>) -> Result<WorldId> {
        let worlds = &self.resolve.packages[self.package].worlds;
        match name {
            Some(n) => worlds.get(n).copied().ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "package {} has no world `{n}`; its worlds are: {}",
                    self.name(),
                    list_or_none(&self.worlds())
                ))
            }),
            None if worlds.len() == 1 => Ok(worlds[0]),
            None => Err(Error::InvalidArgument(format!(
                "package {} has {} worlds ({}): name the one to use",
                self.name(),
                worlds.len(),
                list_or_none(&self.worlds())
            ))),
        }
    }

    /// The imports and exports of a world in the core's type model, the same model a compiled
    /// component's type is described in.
    pub fn world_type(&self, world: Option<&str>) -> Result<ComponentType> {
        let id = self.world(world)?;
        Ok(super::world_type::world_type(&self.resolve, id))
    }

    /// The package as WIT text, with doc comments; the packages it depends on follow as nested
    /// `package name { ... }` blocks when `with_deps` is set.
    pub fn to_wit(&self, with_deps: bool) -> Result<String> {
        let nested: Vec<PackageId> = if with_deps {
            self.resolve
                .packages
                .iter()
                .map(|(id, _)| id)
                .filter(|id| *id != self.package)
                .collect()
        } else {
            Vec::new()
        };
        let mut printer = wit_component::WitPrinter::default();
        printer
            .print(&self.resolve, self.package, &nested)
            .map_err(|e| Error::Runtime(format!("cannot print WIT: {e:#}")))?;
        Ok(printer.output.to_string())
    }
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// A wit-parser error, rendered by its `Resolve` (with the source line), as [`Error::Wit`], its
/// place read from the `--> file:line:col` line of the rendering (or its `file:line:col:
/// message` form for long lines).
fn wit_error(rendered: &str, default_file: Option<&str>) -> Error {
    let message = rendered.to_owned();
    let mut place = None;
    for line in message.lines() {
        let trimmed = line.trim_start();
        let candidate = trimmed.strip_prefix("--> ").map(str::trim);
        if let Some(p) = candidate.and_then(parse_place) {
            place = Some(p);
            break;
        }
    }
    if place.is_none() {
        // `path:line:col: message`, the form for source lines longer than 500 characters.
        place = message.lines().find_map(|l| {
            let mut parts = l.splitn(4, ':');
            let (file, line, col) = (parts.next()?, parts.next()?, parts.next()?);
            let (line, col) = (line.trim().parse().ok()?, col.trim().parse().ok()?);
            parts.next()?;
            Some((file.trim().to_owned(), line, col))
        });
    }
    match place {
        Some((file, line, column)) => Error::Wit {
            message,
            file: Some(file),
            line,
            column,
        },
        None => Error::Wit {
            message,
            file: default_file.map(str::to_owned),
            line: 0,
            column: 0,
        },
    }
}

/// `file:line:col` (the file may itself contain colons).
fn parse_place(text: &str) -> Option<(String, u32, u32)> {
    let mut parts = text.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    Some((file.to_owned(), line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALC: &str = r#"
package docs:calc@0.1.0;

/// Adds numbers.
interface adder {
    /// The sum of `a` and `b`.
    add: func(a: u32, b: u32) -> u32;
}

world calculator {
    import adder;
    export eval: func(expr: string) -> result<u32, string>;
}
"#;

    #[test]
    fn parses_names_and_prints_back_with_docs() {
        let p = WitPackage::parse("calc.wit", CALC).unwrap();
        assert_eq!(p.name(), "docs:calc@0.1.0");
        assert_eq!(p.worlds(), vec!["calculator"]);
        let interfaces: Vec<String> = p.interface_types().into_iter().map(|(n, _)| n).collect();
        assert_eq!(interfaces, vec!["docs:calc/adder@0.1.0"]);
        let text = p.to_wit(false).unwrap();
        assert!(text.contains("/// The sum of `a` and `b`."), "{text}");
        // What it prints parses again to the same package.
        let again = WitPackage::parse("again.wit", &text).unwrap();
        assert_eq!(again.to_wit(false).unwrap(), text);
    }

    #[test]
    fn a_syntax_error_carries_file_line_and_column() {
        let err = WitPackage::parse("bad.wit", "package a:b;\ninterface i {\n  f: func(;\n}\n")
            .unwrap_err();
        match err {
            Error::Wit {
                file, line, column, ..
            } => {
                assert_eq!(file.as_deref(), Some("bad.wit"));
                assert_eq!(line, 3);
                assert!(column > 1, "{column}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_resolution_error_names_the_unknown_type() {
        let err = WitPackage::parse(
            "r.wit",
            "package a:b;\ninterface i {\n  f: func() -> nope;\n}\n",
        )
        .unwrap_err();
        let Error::Wit { message, line, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(message.contains("nope"), "{message}");
        assert_eq!(*line, 3);
    }

    #[test]
    fn an_unknown_world_lists_the_worlds() {
        let p = WitPackage::parse("calc.wit", CALC).unwrap();
        let err = p.world(Some("other")).unwrap_err().to_string();
        assert!(err.contains("calculator"), "{err}");
    }

    #[test]
    fn a_component_reads_as_its_world() {
        let bytes = wat::parse_str(
            r#"(component
                (import "docs:calc/adder@0.1.0" (instance $a
                    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
                (core module $m (func (export "f") (result i32) i32.const 7))
                (core instance $i (instantiate $m))
                (func (export "seven") (result u32) (canon lift (core func $i "f"))))"#,
        )
        .unwrap();
        let text = WitPackage::from_binary(&bytes)
            .unwrap()
            .to_wit(true)
            .unwrap();
        assert!(text.contains("package root:component;"), "{text}");
        assert!(text.contains("import docs:calc/adder@0.1.0;"), "{text}");
        assert!(text.contains("export seven: func() -> u32;"), "{text}");
        assert!(text.contains("add: func(a: u32, b: u32) -> u32;"), "{text}");
    }

    #[test]
    fn garbage_is_a_compile_error() {
        assert!(matches!(
            WitPackage::from_binary(b"\0asm\x0d\0\x01\0junk"),
            Err(Error::Compile { .. })
        ));
    }
}
