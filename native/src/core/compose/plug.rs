//! Plug: a socket component whose imports are satisfied by the exports of plug components, like
//! `wac plug`. The result exports what the socket exports; imports no plug satisfies (and the
//! plugs' own imports) become imports of the result.
//!
//! Stricter than `wac plug`, so that a mistake is an error here rather than an import left
//! open at link time: every plug must satisfy at least one import, an export whose name matches
//! an import must match its type too, and no import may be satisfied by two plugs.

use std::collections::HashMap;

use wac_graph::types::{are_semver_compatible, SubtypeChecker};
use wac_graph::CompositionGraph;

use super::{compose_error, describe, encode, package};
use crate::core::Result;

/// Plugs `plugs` (binaries or WAT text) into `socket` and returns the composed component.
pub fn plug<P: AsRef<[u8]>>(socket: &[u8], plugs: &[P]) -> Result<Vec<u8>> {
    if plugs.is_empty() {
        return Err(compose_error(
            "no plugs given: plug needs at least one component whose exports satisfy the \
             socket's imports"
                .to_string(),
        ));
    }
    let mut graph = CompositionGraph::new();
    let socket_package = package::register(&mut graph, "socket", "the socket", socket)?;
    let mut plug_packages = Vec::with_capacity(plugs.len());
    for (i, bytes) in plugs.iter().enumerate() {
        let name = format!("plug{}", i + 1);
        let what = format!("plug {}", i + 1);
        plug_packages.push(package::register(&mut graph, &name, &what, bytes.as_ref())?);
    }

    let socket_instance = graph.instantiate(socket_package);
    let mut plugged: HashMap<String, usize> = HashMap::new();
    let mut plug_instances = Vec::new();
    let mut cache = Default::default();
    for (i, &plug) in plug_packages.iter().enumerate() {
        let number = i + 1;
        let types = graph.types();
        let socket_imports = &types[graph[socket_package].ty()].imports;
        let plug_exports = &types[graph[plug].ty()].exports;
        // (plug export, socket import) pairs; the names differ when matched by semver.
        let mut matches: Vec<(String, String)> = Vec::new();
        for (export, &export_kind) in plug_exports {
            let Some((import, &import_kind)) = socket_imports.get_key_value(export).or_else(|| {
                socket_imports
                    .iter()
                    .find(|(import, _)| are_semver_compatible(export, import))
            }) else {
                continue;
            };
            SubtypeChecker::new(&mut cache)
                .is_subtype(export_kind, types, import_kind, types)
                .map_err(|e| {
                    compose_error(format!(
                        "plug {number} exports `{export}` as {}, but the socket imports \
                         `{import}` as {}: {e:#}",
                        describe::item(types, export_kind),
                        describe::item(types, import_kind),
                    ))
                })?;
            if let Some(earlier) = plugged.insert(import.clone(), number) {
                return Err(compose_error(format!(
                    "the socket's import `{import}` is satisfied by plug {earlier} and by plug \
                     {number}: give only one of them"
                )));
            }
            matches.push((export.clone(), import.clone()));
        }
        if matches.is_empty() {
            return Err(compose_error(format!(
                "plug {number} satisfies none of the socket's imports: the plug exports {}; \
                 the socket imports {}",
                describe::items(types, plug_exports),
                describe::items(types, socket_imports),
            )));
        }

        let instance = graph.instantiate(plug);
        plug_instances.push(instance);
        for (export, import) in matches {
            let item = graph
                .alias_instance_export(instance, &export)
                .map_err(|e| compose_error(format!("plug {number}: {}", super::chain(&e))))?;
            graph
                .set_instantiation_argument(socket_instance, &import, item)
                .map_err(|e| compose_error(format!("plug {number}: {}", super::chain(&e))))?;
        }
    }

    let exports: Vec<String> = graph.types()[graph[socket_package].ty()]
        .exports
        .keys()
        .cloned()
        .collect();
    for name in exports {
        let item = graph
            .alias_instance_export(socket_instance, &name)
            .map_err(|e| compose_error(format!("the socket: {}", super::chain(&e))))?;
        graph
            .export(item, name.as_str())
            .map_err(|e| compose_error(format!("the socket: {}", super::chain(&e))))?;
    }

    encode::encode(&graph, |node| {
        match plug_instances.iter().position(|&n| n == node) {
            Some(i) => format!("plug {}", i + 1),
            None => "the socket".to_string(),
        }
    })
}
