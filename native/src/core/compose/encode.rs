//! Encode: a composition graph written out as one component, validated before it is returned.

use wac_graph::{CompositionGraph, EncodeError, EncodeOptions, NodeId, Processor};

use super::{chain, compose_error};
use crate::core::Result;

/// Encodes `graph` (components defined inside, output validated); `node` names an instance
/// node of the graph in errors.
pub(crate) fn encode(graph: &CompositionGraph, node: impl Fn(NodeId) -> String) -> Result<Vec<u8>> {
    let options = EncodeOptions {
        define_components: true,
        validate: true,
        processor: Some(Processor {
            name: "wasmtime-jvm",
            version: env!("CARGO_PKG_VERSION"),
        }),
    };
    graph.encode(options).map_err(|e| {
        compose_error(match &e {
            EncodeError::GraphContainsCycle { node: n } => format!(
                "the wiring has a cycle through {}: an instance cannot (indirectly) satisfy \
                 its own imports",
                node(*n)
            ),
            EncodeError::ImplicitImportConflict {
                instantiation,
                name,
                ..
            } => format!(
                "the unwired import `{name}` of {} would become an import of the composition, \
                 but the composition already imports something else by that name",
                node(*instantiation)
            ),
            EncodeError::ImportTypeMergeConflict {
                import,
                first,
                second,
                source,
            } => format!(
                "the unwired import `{import}` of {} and of {} would become one import of the \
                 composition, but their types conflict: {source:#} (wire one of them)",
                node(*first),
                node(*second)
            ),
            EncodeError::ValidationFailure { .. } => {
                format!("the composed component failed validation: {}", chain(&e))
            }
        })
    })
}
