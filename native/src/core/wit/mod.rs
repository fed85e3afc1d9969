//! WIT in the core: packages parsed and resolved by `wit-parser` ([`package`]), a world's
//! imports and exports in the core's type model ([`world_type`]), a component checked against a
//! world ([`check`]), a component's own WIT ([`WitPackage::from_binary`]), and components built from core modules
//! by `wit-component` ([`encode`]), and a world as binding generators read it ([`model`]). No parser of our own: every piece of WIT goes through the
//! Bytecode Alliance crates, in the versions wasmtime 48 itself uses.

pub mod check;
pub mod encode;
pub mod model;
pub mod package;
pub mod world_type;

pub use check::{Mismatch, MismatchKind};
pub use encode::Adapter;
pub use package::WitPackage;
