//! Package: a component's bytes (binary, or WAT text) registered in a composition graph under
//! a name, with wac-types' view of its imports and exports.

use std::borrow::Cow;

use wac_graph::types::Package;
use wac_graph::{CompositionGraph, PackageId};

use super::{chain, compose_error};
use crate::core::Result;

/// The binary encoding of `bytes`: binary input as is, WAT text compiled to a binary.
pub(crate) fn binary<'a>(what: &str, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>> {
    wat::parse_bytes(bytes).map_err(|e| {
        compose_error(format!(
            "{what} is neither a component binary nor valid WAT text: {}",
            chain(&e)
        ))
    })
}

/// Registers the component `bytes` (binary or WAT) as package `name`; `what` names it in
/// errors (`package \`docs:adder\``, `plug 2`).
pub(crate) fn register(
    graph: &mut CompositionGraph,
    name: &str,
    what: &str,
    bytes: &[u8],
) -> Result<PackageId> {
    let bytes = binary(what, bytes)?.into_owned();
    if !bytes.starts_with(b"\0asm") || bytes.get(4..8) != Some(&[0x0d, 0x00, 0x01, 0x00]) {
        return Err(compose_error(format!(
            "{what} is a core module, not a component (make a component of it first)"
        )));
    }
    let package = Package::from_bytes(name, None, bytes, graph.types_mut())
        .map_err(|e| compose_error(format!("{what} is not a valid component: {e:#}")))?;
    graph
        .register_package(package)
        .map_err(|_| compose_error(format!("{what}: a package named `{name}` is already added")))
}
