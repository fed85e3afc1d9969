//! Graph: the general composition, like `wac compose` without the WAC language. A [`Plan`]
//! names packages (components), instantiates them, wires an instance's export (or the whole
//! instance) to another instantiation's import, and exports items from the composition.
//! Imports left unwired become imports of the composed component.
//!
//! The plan is plain data so that each face builds it on its side and crosses once, at encode
//! time: no graph handle lives across calls.

use wac_graph::{CompositionGraph, ExportError, InstantiationArgumentError};

use super::{chain, compose_error, describe, encode, package};
use crate::core::{Error, Result};

/// A component to instantiate, by name (the name appears in errors; any text, such as
/// `docs:adder`, unique within the plan).
#[derive(Debug, Clone)]
pub struct PlanPackage {
    pub name: String,
    /// Component binary or WAT text.
    pub bytes: Vec<u8>,
}

/// An instantiation of `packages[package]`, optionally named (the name is recorded in the
/// composed component's name section and used in errors).
#[derive(Debug, Clone)]
pub struct PlanInstance {
    pub package: usize,
    pub name: Option<String>,
}

/// Satisfies the import `import` of `instances[to]` with the export `export` of
/// `instances[from]`, or with the whole instance `from` when `export` is `None`.
#[derive(Debug, Clone)]
pub struct Wire {
    pub from: usize,
    pub export: Option<String>,
    pub to: usize,
    pub import: String,
}

/// Exports the export `export` of `instances[from]` (the whole instance when `None`) from the
/// composition as `name`.
#[derive(Debug, Clone)]
pub struct PlanExport {
    pub from: usize,
    pub export: Option<String>,
    pub name: String,
}

/// A composition to encode.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub packages: Vec<PlanPackage>,
    pub instances: Vec<PlanInstance>,
    pub wires: Vec<Wire>,
    pub exports: Vec<PlanExport>,
}

/// Builds the graph `plan` describes and encodes it as one validated component.
pub fn compose(plan: &Plan) -> Result<Vec<u8>> {
    plan.check_indices()?;
    let mut graph = CompositionGraph::new();
    let mut packages = Vec::with_capacity(plan.packages.len());
    for p in &plan.packages {
        let what = format!("package `{}`", p.name);
        packages.push(package::register(&mut graph, &p.name, &what, &p.bytes)?);
    }
    let mut nodes = Vec::with_capacity(plan.instances.len());
    for instance in &plan.instances {
        let node = graph.instantiate(packages[instance.package]);
        if let Some(name) = &instance.name {
            graph.set_node_name(node, name.as_str());
        }
        nodes.push(node);
    }
    let label = |i: usize| plan.label(i);

    // The item `export` of instance `from` (the instance itself when `None`).
    let item = |graph: &mut CompositionGraph, from: usize, export: &Option<String>| match export {
        None => Ok(nodes[from]),
        Some(export) => graph
            .alias_instance_export(nodes[from], export)
            .map_err(|_| {
                let types = graph.types();
                let package = &graph[packages[plan.instances[from].package]];
                compose_error(format!(
                    "{} has no export named `{export}`; its exports are: {}",
                    label(from),
                    describe::items(types, &types[package.ty()].exports),
                ))
            }),
    };

    for wire in &plan.wires {
        let source = item(&mut graph, wire.from, &wire.export)?;
        let import = wire.import.as_str();
        let given = match &wire.export {
            Some(e) => format!("the export `{e}` of {}", label(wire.from)),
            None => label(wire.from),
        };
        graph
            .set_instantiation_argument(nodes[wire.to], import, source)
            .map_err(|e| {
                let types = graph.types();
                let imports = &types[graph[packages[plan.instances[wire.to].package]].ty()].imports;
                compose_error(match &e {
                    InstantiationArgumentError::InvalidArgumentName { .. } => format!(
                        "{} has no import named `{import}`; its imports are: {}",
                        label(wire.to),
                        describe::items(types, imports),
                    ),
                    InstantiationArgumentError::ArgumentTypeMismatch { source: cause, .. } => {
                        format!(
                            "{} imports `{import}` as {}, but {given} is {}: {cause:#}",
                            label(wire.to),
                            imports
                                .get(import)
                                .map(|k| describe::item(types, *k))
                                .unwrap_or_default(),
                            describe::item(types, graph[source].item_kind()),
                        )
                    }
                    InstantiationArgumentError::ArgumentAlreadyPassed { .. } => format!(
                        "the import `{import}` of {} is wired twice (the second time to {given})",
                        label(wire.to)
                    ),
                    other => format!("{}: {}", label(wire.to), chain(other)),
                })
            })?;
    }

    for export in &plan.exports {
        let node = item(&mut graph, export.from, &export.export)?;
        graph
            .export(node, export.name.as_str())
            .map_err(|e| match &e {
                ExportError::ExportAlreadyExists { name, .. } => compose_error(format!(
                    "the composition exports `{name}` twice (the second time from {})",
                    label(export.from)
                )),
                other => compose_error(chain(other)),
            })?;
    }

    encode::encode(&graph, |node| match nodes.iter().position(|&n| n == node) {
        Some(i) => label(i),
        None => format!("node {node}"),
    })
}

impl Plan {
    /// How errors name instance `i`: ``instance `calc` (of `docs:calc`)`` when it has a name,
    /// ``instance #2 (of `docs:calc`)`` (counting from 1) otherwise.
    fn label(&self, i: usize) -> String {
        let instance = &self.instances[i];
        let package = &self.packages[instance.package].name;
        match &instance.name {
            Some(name) => format!("instance `{name}` (of `{package}`)"),
            None => format!("instance #{} (of `{package}`)", i + 1),
        }
    }

    fn check_indices(&self) -> Result<()> {
        let bad = |what: String| Err(Error::InvalidArgument(what));
        for (i, instance) in self.instances.iter().enumerate() {
            if instance.package >= self.packages.len() {
                return bad(format!(
                    "instance {i} names package {}, but the plan has {} packages",
                    instance.package,
                    self.packages.len()
                ));
            }
        }
        let n = self.instances.len();
        for wire in &self.wires {
            if wire.from >= n || wire.to >= n {
                return bad(format!(
                    "a wire connects instances {} and {}, but the plan has {n} instances",
                    wire.from, wire.to
                ));
            }
        }
        for export in &self.exports {
            if export.from >= n {
                return bad(format!(
                    "the export `{}` names instance {}, but the plan has {n} instances",
                    export.name, export.from
                ));
            }
        }
        Ok(())
    }
}
