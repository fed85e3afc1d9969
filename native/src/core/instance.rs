//! Instance: an instantiated component as its store keeps it, and the ids by which a store
//! names its instances and functions. Looking up exports is [`super::export`].

use std::sync::Arc;

use super::component::Component;
use super::types::ResourceNames;

/// An instance inside its store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceId(pub u32);

/// A function inside its store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FuncId(pub u32);

pub(crate) struct InstanceEntry {
    pub(crate) instance: wasmtime::component::Instance,
    pub(crate) component: Component,
    /// Resource names of the exports, built on first use.
    pub(crate) names: Option<Arc<ResourceNames>>,
}

/// Splits `iface#func` into its path; a plain name is a root export.
pub fn split_export_path(name: &str) -> Vec<&str> {
    match name.rsplit_once('#') {
        Some((iface, func)) if !iface.is_empty() && !func.is_empty() => vec![iface, func],
        _ => vec![name],
    }
}
