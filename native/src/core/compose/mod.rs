//! Composition: new components made statically from existing ones with wac-graph, like
//! `wac plug` and `wac compose` do on the command line.
//!
//! - [`plug`]: a socket component and plug components whose exports satisfy its imports.
//! - [`compose`]: the general case, a [`Plan`] of packages, their instantiations, the wiring
//!   between them and the composition's exports.
//!
//! Both take components as binaries or WAT text and return the encoded, validated component.
//! Every failure is [`Error::Compose`], whose message names the import or export that does not
//! match and both types (see `describe.rs`).

mod describe;
mod encode;
mod graph;
mod package;
mod plug;

pub use graph::{compose, Plan, PlanExport, PlanInstance, PlanPackage, Wire};
pub use plug::plug;

use crate::core::Error;

fn compose_error(message: String) -> Error {
    Error::Compose(message)
}

/// An error and its causes, joined by `: `.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let next = c.to_string();
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests;
