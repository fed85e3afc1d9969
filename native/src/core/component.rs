//! Component: a compiled component, from binary, WAT text, a file or precompiled bytes.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::engine::Engine;
use super::error::{Error, Result};
use super::types::ComponentType;
use super::wit::{self, Mismatch, WitPackage};

/// A compiled component. Cheap to clone; shareable across threads.
#[derive(Clone)]
pub struct Component {
    engine: Engine,
    inner: wasmtime::component::Component,
    ty: Arc<OnceLock<Arc<ComponentType>>>,
    /// The component's WIT, decoded from its binary when it was compiled (the binary is not
    /// kept; decoding skips function bodies, so it costs a small part of compiling), or why it
    /// could not be; `None` for a component loaded from precompiled bytes.
    wit: Option<Arc<std::result::Result<WitPackage, String>>>,
}

impl Component {
    /// Compiles a component from its binary encoding or from WAT text.
    ///
    /// Input that is neither a binary nor WAT that parses is reported as such; input that parses
    /// (binary or text) but fails validation gets wasmtime's validation message alone.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Component> {
        if let Some(message) = super::binary::wrong_kind(
            bytes,
            super::binary::BinaryKind::Component,
            "compile it as a Module (io.github.wasmtimejvm.module.Module)",
        ) {
            return Err(Error::Compile { message });
        }
        let mut builder = wasmtime::CodeBuilder::new(engine.wasmtime());
        // Converts WAT to binary (binary input passes through unchanged): only this step can
        // fail because the input is not valid text.
        builder.wasm_binary_or_text(bytes, None).map_err(|e| {
            let error = Error::from_compile(e);
            if bytes.starts_with(b"\0asm") {
                error
            } else {
                Error::Compile {
                    message: format!("not a component binary, and not valid WAT text: {error}"),
                }
            }
        })?;
        let inner = builder.compile_component().map_err(Error::from_compile)?;
        // The builder keeps its binary to itself: text is converted again (it parsed above).
        // wit-component reads bytes wasmtime accepted, so it should not fail; if it does (or
        // panics on a construct it does not know), the component still works, without its WIT.
        let wit = std::panic::catch_unwind(|| match wat::parse_bytes(bytes) {
            Ok(binary) => WitPackage::from_binary(&binary).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        })
        .unwrap_or_else(|_| Err("wit-component could not decode it".to_owned()));
        Ok(Component {
            engine: engine.clone(),
            inner,
            ty: Arc::default(),
            wit: Some(Arc::new(wit)),
        })
    }

    /// Compiles a component from WAT text.
    pub fn from_wat(engine: &Engine, text: &str) -> Result<Component> {
        Self::new(engine, text.as_bytes())
    }

    /// Compiles the component (binary or WAT) stored in a file.
    pub fn from_file(engine: &Engine, path: &Path) -> Result<Component> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
        Self::new(engine, &bytes)
    }

    /// Loads a component from the checked image made by [`Component::serialize`] or
    /// [`Engine::precompile_component`] with a compatible engine: truncated, corrupted or (with
    /// a compiled-code key) unauthenticated bytes are refused before wasmtime reads them (see
    /// [`super::compiled`]).
    pub fn deserialize(engine: &Engine, bytes: &[u8]) -> Result<Component> {
        let raw =
            super::compiled::open(super::compiled::Kind::Component, bytes, engine.code_key())?;
        // Safety: `raw` is exactly what `serialize` or `precompile` of this library produced
        // (its digest matched), and wasmtime checks that it was compiled with compatible
        // settings.
        unsafe { Self::deserialize_unchecked(engine, raw) }
    }

    /// Loads raw wasmtime bytes (`wasmtime compile` output, or the payload of a checked
    /// image) without any check of their integrity.
    ///
    /// # Safety
    /// The bytes are executable code: changed or truncated bytes can crash the process or run
    /// arbitrary code. They must come from a trusted source.
    pub unsafe fn deserialize_unchecked(engine: &Engine, bytes: &[u8]) -> Result<Component> {
        let inner =
            unsafe { wasmtime::component::Component::deserialize(engine.wasmtime(), bytes) }
                .map_err(Error::from_compile)?;
        Ok(Component {
            engine: engine.clone(),
            inner,
            ty: Arc::default(),
            wit: None,
        })
    }

    /// The compiled form, for [`Component::deserialize`]: a checked image, authenticated with
    /// the engine's compiled-code key when it has one.
    pub fn serialize(&self) -> Result<Vec<u8>> {
        let raw = self
            .inner
            .serialize()
            .map_err(|e| Error::Runtime(format!("{e:#}")))?;
        Ok(super::compiled::seal(
            super::compiled::Kind::Component,
            &raw,
            self.engine.code_key(),
        ))
    }

    /// The engine this component was compiled with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The wasmtime component.
    pub fn wasmtime(&self) -> &wasmtime::component::Component {
        &self.inner
    }

    /// Every import and export with its full type (computed once).
    pub fn component_type(&self) -> Arc<ComponentType> {
        self.ty
            .get_or_init(|| {
                Arc::new(ComponentType::from_wasmtime(
                    self.engine.wasmtime(),
                    &self.inner.component_type(),
                ))
            })
            .clone()
    }

    /// The component's WIT: its own package (`root:component`, world `root`) and the packages
    /// of the interfaces it imports and exports, with their doc comments.
    pub fn wit(&self) -> Result<&WitPackage> {
        match self.wit.as_deref() {
            Some(Ok(package)) => Ok(package),
            Some(Err(message)) => Err(Error::InvalidArgument(format!(
                "this component's WIT cannot be read: {message}"
            ))),
            None => Err(Error::InvalidArgument(
                "a component loaded from precompiled bytes carries no WIT: load it from its \
                 binary to read its WIT"
                    .to_owned(),
            )),
        }
    }

    /// The component's WIT as text, as `wasm-tools component wit` prints it.
    pub fn wit_text(&self) -> Result<String> {
        self.wit()?.to_wit(true)
    }

    /// Every way this component does not fit the world `world` of `package` (its only world
    /// when `None`): exports the world has and the component lacks or types differently, and
    /// imports the world does not allow. Empty when it fits.
    pub fn check(&self, package: &WitPackage, world: Option<&str>) -> Result<Vec<Mismatch>> {
        let expected = package.world_type(world)?;
        Ok(wit::check::check(&expected, &self.component_type()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::EngineConfig;
    use crate::core::types::ItemType;

    #[test]
    fn wat_and_binary_compile_and_serialize_round_trips() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let c = Component::from_wat(&engine, &crate::core::testing::fixture("add")).unwrap();
        let ty = c.component_type();
        let (name, item) = &ty.exports[0];
        assert_eq!(name, "add");
        match item {
            ItemType::Func(f) => assert_eq!(f.to_string(), "func(a: u32, b: u32) -> u32"),
            other => panic!("unexpected {other:?}"),
        }
        let bytes = c.serialize().unwrap();
        let again = Component::deserialize(&engine, &bytes).unwrap();
        assert_eq!(again.component_type().exports.len(), 1);
    }

    #[test]
    fn component_type_renders_as_wit_like_text() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let c = Component::from_wat(
            &engine,
            &crate::core::testing::fixture("unsatisfied-import"),
        )
        .unwrap();
        assert_eq!(
            c.component_type().to_string(),
            "world root {\n  import docs:log/logger@1.0.0: interface {\n    log: func(msg: string);\n  \
             }\n  import get-value: func() -> u32;\n  export run: func() -> u32;\n}\n"
        );
    }

    #[test]
    fn malformed_bytes_are_a_compile_error() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        match Component::new(&engine, b"\0asm\x0d\0\x01\0garbage") {
            Err(Error::Compile { message }) => assert!(!message.is_empty()),
            Err(other) => panic!("wrong error {other:?}"),
            Ok(_) => panic!("garbage compiled"),
        }
        assert!(matches!(
            Component::from_wat(&engine, "(component (core module (func (result i32))))"),
            Err(Error::Compile { .. })
        ));
    }

    #[test]
    fn only_unparsable_text_is_called_invalid_wat() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        match Component::from_wat(&engine, "(component") {
            Err(Error::Compile { message }) => assert!(
                message.starts_with("not a component binary, and not valid WAT text: expected `)`"),
                "{message}"
            ),
            Err(other) => panic!("wrong error {other:?}"),
            Ok(_) => panic!("compiled"),
        }
        // Valid text, but a core module: named as one, not a text error.
        match Component::from_wat(&engine, "(module)") {
            Err(Error::Compile { message }) => assert_eq!(
                message,
                "these bytes are a core WebAssembly module, not a component: compile it as a \
                 Module (io.github.wasmtimejvm.module.Module)"
            ),
            Err(other) => panic!("wrong error {other:?}"),
            Ok(_) => panic!("compiled"),
        }
    }
}
