//! A world as a binding generator reads it: the package's `Resolve` in wit-parser's own JSON
//! form (what `wasm-tools component wit --json` prints: arenas of worlds, interfaces, types and
//! packages whose items refer to each other by index), with the index of the package and of the
//! world to generate for. Every name, doc comment, type definition (in definition order) and
//! function kind comes from wit-parser's serializer, so there is no second model to keep in step.

use super::super::error::{Error, Result};
use super::WitPackage;

/// `{"package": <index>, "world": <index>, "resolve": <wit-parser's Resolve>}` for the world
/// `world` of `package`.
pub fn generator_model(package: &WitPackage, world: &str) -> Result<String> {
    let world_id = package.world(Some(world))?;
    let package_id = package.resolve().worlds[world_id]
        .package
        .ok_or_else(|| Error::Runtime(format!("world `{world}` belongs to no package")))?;
    let model = serde_json::json!({
        "package": package_id.index(),
        "world": world_id.index(),
        "resolve": package.resolve(),
    });
    serde_json::to_string(&model)
        .map_err(|e| Error::Runtime(format!("cannot describe world `{world}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIT: &str = r#"
package test:model@1.0.0;

/// Shapes.
interface shapes {
    /// A point.
    record point { x: s32, y: s32 }
    resource counter {
        constructor(start: u32);
        get: func() -> u32;
    }
    area: func(p: point) -> u64;
}

world w {
    import shapes;
    export run: func() -> string;
}
"#;

    #[test]
    fn the_model_names_the_world_and_keeps_docs_and_types() {
        let package = WitPackage::parse("model.wit", WIT).unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&generator_model(&package, "w").unwrap()).unwrap();
        let resolve = &json["resolve"];
        let world = &resolve["worlds"][json["world"].as_u64().unwrap() as usize];
        assert_eq!(world["name"], "w");
        assert!(world["exports"]["run"]["function"].is_object());
        let shapes = resolve["interfaces"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == "shapes")
            .unwrap();
        assert_eq!(shapes["docs"]["contents"], "Shapes.");
        let point = &resolve["types"][shapes["types"]["point"].as_u64().unwrap() as usize];
        assert_eq!(point["kind"]["record"]["fields"][0]["name"], "x");
        assert_eq!(point["docs"]["contents"], "A point.");
        assert!(shapes["functions"]["[constructor]counter"]["kind"]["constructor"].is_u64());
        assert!(shapes["functions"]["[method]counter.get"]["kind"]["method"].is_u64());
    }

    #[test]
    fn an_unknown_world_is_an_error_naming_the_worlds() {
        let package = WitPackage::parse("model.wit", WIT).unwrap();
        let e = generator_model(&package, "nope").unwrap_err().to_string();
        assert!(e.contains("no world `nope`") && e.contains('w'), "{e}");
    }
}
