//! Test helpers: fixtures come from the shared corpus folder used by every test layer.

use std::path::PathBuf;

/// The path of a fixture in `corpus/components/`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus/components")
        .join(format!("{name}.wat"))
}

/// The WAT text of a fixture.
pub fn fixture(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A fixture instantiated, with no imports, in a fresh store of a default engine.
pub fn instance(name: &str) -> (crate::core::Store, crate::core::InstanceId) {
    use crate::core::{Component, Engine, EngineConfig, Linker, Store, StoreOptions};
    let engine = Engine::new(EngineConfig::default()).unwrap();
    let component = Component::from_wat(&engine, &fixture(name)).unwrap();
    let store = Store::new(&engine, &StoreOptions::default()).unwrap();
    let id = Linker::new(&engine)
        .instantiate(&store, &component)
        .unwrap();
    (store, id)
}
