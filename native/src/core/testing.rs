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
