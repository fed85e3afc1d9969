//! Components built from core modules by `wit-component`: a module that follows the canonical
//! ABI plus a WIT world (`wasm-tools component embed` then `component new`, in one step), and a
//! WASI preview 1 module wrapped with the preview 1 adapter bundled from
//! `wasi-preview1-component-adapter-provider` (command, reactor or proxy).

use wasi_preview1_component_adapter_provider as adapters;
use wit_component::{ComponentEncoder, StringEncoding};

use super::super::binary::{self, BinaryKind};
use super::super::error::{Error, Result};
use super::package::WitPackage;

/// Which preview 1 adapter turns a WASI preview 1 module's imports into preview 2 ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adapter {
    /// For a program with `_start`: the component exports `wasi:cli/run`.
    Command = 0,
    /// For a library (no `_start`): the component exports the module's own functions.
    Reactor = 1,
    /// For an HTTP handler: only the interfaces of `wasi:http/proxy`.
    Proxy = 2,
}

impl Adapter {
    /// The adapter's bytes.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Adapter::Command => adapters::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
            Adapter::Reactor => adapters::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
            Adapter::Proxy => adapters::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER,
        }
    }

    /// The adapter for a number of the faces (`Adapter as u32`).
    pub fn from_number(n: u32) -> Result<Adapter> {
        match n {
            0 => Ok(Adapter::Command),
            1 => Ok(Adapter::Reactor),
            2 => Ok(Adapter::Proxy),
            _ => Err(Error::InvalidArgument(format!(
                "no preview 1 adapter numbered {n}"
            ))),
        }
    }
}

/// Builds a component from the core module `module` (binary or WAT text).
///
/// With `world`, the world's WIT is embedded first (`component embed`), replacing nothing the
/// module already carries; without it the module must carry its own (a `component-type` custom
/// section, as wit-bindgen emits) or import only WASI preview 1. With `adapter`, imports of
/// `wasi_snapshot_preview1` are served by that adapter. The result is validated.
pub fn component_from_module(
    module: &[u8],
    world: Option<(&WitPackage, Option<&str>)>,
    adapter: Option<Adapter>,
) -> Result<Vec<u8>> {
    let mut bytes = if module.starts_with(b"\0asm") {
        module.to_vec()
    } else {
        wat::parse_bytes(module)
            .map_err(|e| Error::Compile {
                message: format!("not a module binary, and not valid WAT text: {e}"),
            })?
            .into_owned()
    };
    if let Some(message) = binary::wrong_kind(
        &bytes,
        BinaryKind::Module,
        "it is already a component: load it with Component.fromBytes",
    ) {
        return Err(Error::Compose(message));
    }
    if let Some((package, name)) = world {
        let id = package.world(name)?;
        wit_component::embed_component_metadata(
            &mut bytes,
            package.resolve(),
            id,
            StringEncoding::UTF8,
        )
        .map_err(|e| Error::Compose(format!("cannot embed the world's WIT: {e:#}")))?;
    }
    let mut encoder = ComponentEncoder::default()
        .validate(true)
        .module(&bytes)
        .map_err(|e| Error::Compose(format!("cannot use the module: {e:#}")))?;
    if let Some(a) = adapter {
        encoder = encoder
            .adapter(adapters::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, a.bytes())
            .map_err(|e| Error::Compose(format!("cannot use the preview 1 adapter: {e:#}")))?;
    }
    encoder
        .encode()
        .map_err(|e| Error::Compose(format!("cannot build the component: {e:#}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIT: &str = r#"package docs:calc@0.1.0;
interface adder { add: func(a: u32, b: u32) -> u32; }
world adder-world { export adder; }
"#;

    const MODULE: &str = r#"(module
        (memory (export "memory") 1)
        (func (export "docs:calc/adder@0.1.0#add") (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.add))"#;

    #[test]
    fn a_module_and_its_world_become_a_component() {
        let wit = WitPackage::parse("calc.wit", WIT).unwrap();
        let bytes = component_from_module(MODULE.as_bytes(), Some((&wit, None)), None).unwrap();
        assert_eq!(binary::kind_of(&bytes), Some(BinaryKind::Component));
        let text = WitPackage::from_binary(&bytes)
            .unwrap()
            .to_wit(true)
            .unwrap();
        assert!(text.contains("export docs:calc/adder@0.1.0;"), "{text}");
    }

    #[test]
    fn a_missing_export_is_named() {
        let wit = WitPackage::parse("calc.wit", WIT).unwrap();
        let err = component_from_module(
            b"(module (memory (export \"memory\") 1))",
            Some((&wit, None)),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("add"), "{err}");
    }

    #[test]
    fn a_wrong_signature_is_named() {
        let wit = WitPackage::parse("calc.wit", WIT).unwrap();
        let err = component_from_module(
            br#"(module (memory (export "memory") 1)
                (func (export "docs:calc/adder@0.1.0#add") (param i64) (result i32) i32.const 0))"#,
            Some((&wit, None)),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("docs:calc/adder@0.1.0#add"), "{err}");
    }

    #[test]
    fn a_preview1_command_gets_the_adapter() {
        let module = br#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (func (export "_start") i32.const 0 call $exit))"#;
        let bytes = component_from_module(module, None, Some(Adapter::Command)).unwrap();
        let text = WitPackage::from_binary(&bytes)
            .unwrap()
            .to_wit(true)
            .unwrap();
        assert!(text.contains("export wasi:cli/run@"), "{text}");
    }

    #[test]
    fn a_component_is_refused_as_a_module() {
        let err = component_from_module(b"(component)", None, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("component"), "{err}");
    }
}
