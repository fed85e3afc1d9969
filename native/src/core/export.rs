//! Exports of an instance: resolving export paths (at the root and inside exported interfaces
//! such as `docs:calc/ops@1.0.0`) to functions the store keeps, and describing them.

use std::sync::Arc;

use wasmtime::component::types::ComponentItem;
use wasmtime::component::ComponentExportIndex;

use super::component::Component;
use super::error::{Error, Result};
use super::func::FuncEntry;
use super::instance::{FuncId, InstanceEntry, InstanceId};
use super::store::StoreInner;
use super::types::{FuncType, ItemType, ResourceNames};

impl StoreInner {
    pub(crate) fn add_instance(
        &mut self,
        instance: wasmtime::component::Instance,
        component: Component,
    ) -> InstanceId {
        self.instances.push(InstanceEntry {
            instance,
            component,
            names: None,
        });
        InstanceId((self.instances.len() - 1) as u32)
    }

    fn instance_entry(&self, id: InstanceId) -> Result<&InstanceEntry> {
        self.instances
            .get(id.0 as usize)
            .ok_or_else(|| Error::InvalidArgument(format!("no instance {} in this store", id.0)))
    }

    /// The component an instance was made from.
    pub fn instance_component(&self, id: InstanceId) -> Result<Component> {
        Ok(self.instance_entry(id)?.component.clone())
    }

    fn resource_names(&mut self, id: InstanceId) -> Result<Arc<ResourceNames>> {
        let entry = self.instance_entry(id)?;
        if let Some(names) = &entry.names {
            return Ok(names.clone());
        }
        let instance = entry.instance;
        let engine = entry.component.engine().wasmtime().clone();
        let root: Vec<String> = entry
            .component
            .wasmtime()
            .component_type()
            .exports(&engine)
            .map(|(n, _)| n.to_owned())
            .collect();
        let mut names = ResourceNames::default();
        names.set_host_resources(entry.component.engine().host_resources());
        let mut items = Vec::new();
        for name in &root {
            if let Some((item, _)) = instance.get_export(&mut self.store, None, name) {
                items.push((name.clone(), item));
            }
        }
        names.collect(&engine, &items);
        let names = Arc::new(names);
        self.instances[id.0 as usize].names = Some(names.clone());
        Ok(names)
    }

    /// Resolves an export path (`["add"]`, or `["docs:calc/ops@1.0.0", "add"]`) to its index
    /// and type, with an error listing the exports that exist where a name is missing.
    fn resolve_export(
        &mut self,
        id: InstanceId,
        path: &[&str],
    ) -> Result<(ComponentExportIndex, ComponentItem)> {
        let instance = self.instance_entry(id)?.instance;
        let engine = self.store.engine().clone();
        if path.is_empty() {
            return Err(Error::InvalidArgument(
                "an export path needs at least one name".into(),
            ));
        }
        let mut parent: Option<ComponentExportIndex> = None;
        let mut found: Option<(ComponentExportIndex, ComponentItem)> = None;
        for (depth, name) in path.iter().enumerate() {
            match instance.get_export(&mut self.store, parent.as_ref(), name) {
                Some((item, index)) => {
                    if depth + 1 < path.len()
                        && !matches!(item, ComponentItem::ComponentInstance(_))
                    {
                        return Err(Error::InvalidArgument(format!(
                            "export `{}` is not an interface instance, so it has no export `{}`",
                            path[..=depth].join("/"),
                            path[depth + 1]
                        )));
                    }
                    parent = Some(index);
                    found = Some((index, item));
                }
                None => {
                    let available = match &found {
                        None => self.export_names_root(id)?,
                        Some((_, ComponentItem::ComponentInstance(i))) => {
                            i.exports(&engine).map(|(n, _)| n.to_owned()).collect()
                        }
                        Some(_) => Vec::new(),
                    };
                    let shown = if depth == 0 {
                        (*name).to_owned()
                    } else {
                        format!("{}#{}", path[..depth].join("/"), name)
                    };
                    return Err(Error::UnknownExport {
                        name: shown,
                        available,
                    });
                }
            }
        }
        Ok(found.expect("path is not empty"))
    }

    fn export_names_root(&self, id: InstanceId) -> Result<Vec<String>> {
        let entry = self.instance_entry(id)?;
        let engine = entry.component.engine().wasmtime();
        Ok(entry
            .component
            .wasmtime()
            .component_type()
            .exports(engine)
            .map(|(n, _)| n.to_owned())
            .collect())
    }

    /// Looks up an exported function by path and keeps it in the store.
    pub fn instance_func(&mut self, id: InstanceId, path: &[&str]) -> Result<FuncId> {
        let key = (id.0, path.join("#"));
        if let Some(existing) = self.func_ids.get(&key) {
            return Ok(*existing);
        }
        let (index, item) = self.resolve_export(id, path)?;
        if !matches!(item, ComponentItem::ComponentFunc(_)) {
            return Err(Error::InvalidArgument(format!(
                "export `{}` is not a function",
                path.join("#")
            )));
        }
        let instance = self.instance_entry(id)?.instance;
        let func = instance.get_func(&mut self.store, index).ok_or_else(|| {
            Error::InvalidArgument(format!("export `{}` is not a function", path.join("#")))
        })?;
        let names = self.resource_names(id)?;
        let wasm_ty = func.ty(&self.store);
        let ty = FuncType::from_wasmtime(&wasm_ty, &names);
        self.funcs
            .push(FuncEntry::new(func, path.join("#"), ty, wasm_ty));
        let func_id = FuncId((self.funcs.len() - 1) as u32);
        // Looking the same export up again gives the same function, so repeated lookups do
        // not grow the store.
        self.func_ids.insert(key, func_id);
        Ok(func_id)
    }

    /// Describes the exports of an instance (`path` empty) or of an exported interface.
    pub fn instance_exports(
        &mut self,
        id: InstanceId,
        path: &[&str],
    ) -> Result<Vec<(String, ItemType)>> {
        let names = self.resource_names(id)?;
        let engine = self.store.engine().clone();
        if path.is_empty() {
            let instance = self.instance_entry(id)?.instance;
            let root = self.export_names_root(id)?;
            let mut out = Vec::new();
            for name in root {
                if let Some((item, _)) = instance.get_export(&mut self.store, None, &name) {
                    out.push((name, ItemType::from_wasmtime(&engine, &item, &names)));
                }
            }
            return Ok(out);
        }
        let (_, item) = self.resolve_export(id, path)?;
        match ItemType::from_wasmtime(&engine, &item, &names) {
            ItemType::Instance { exports } => Ok(exports),
            _ => Err(Error::InvalidArgument(format!(
                "export `{}` is not an interface instance",
                path.join("/")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::testing::fixture;
    use crate::core::types::ItemType;
    use crate::core::{Component, Engine, EngineConfig, Error, Linker, Store, StoreOptions};
    use wasmtime::component::Val;

    #[test]
    fn functions_inside_interfaces_and_unknown_exports() {
        let (store, id) = crate::core::testing::instance("nested");
        store
            .enter(|s| {
                let mul = s.instance_func(id, &crate::core::instance::split_export_path("docs:calc/ops@1.0.0#mul"))?;
                let mut out = [Val::Bool(false)];
                s.call(mul, &[Val::S32(-6), Val::S32(7)], &mut out)?;
                assert_eq!(out[0], Val::S32(-42));

                match s.instance_func(id, &["docs:calc/ops@1.0.0", "div"]) {
                    Err(Error::UnknownExport { name, available }) => {
                        assert_eq!(name, "docs:calc/ops@1.0.0#div");
                        assert_eq!(available, vec!["add".to_string(), "mul".to_string()]);
                    }
                    other => panic!("{:?}", other.err()),
                }
                match s.instance_func(id, &["nope"]) {
                    Err(e @ Error::UnknownExport { .. }) => {
                        assert!(e.to_string().contains("docs:calc/ops@1.0.0, version"), "{e}")
                    }
                    other => panic!("{:?}", other.err()),
                }
                assert!(matches!(
                    s.instance_func(id, &["version", "x"]),
                    Err(Error::InvalidArgument(_))
                ));
                let exports = s.instance_exports(id, &["docs:calc/ops@1.0.0"])?;
                assert_eq!(exports.len(), 2);
                assert!(matches!(&exports[0].1, ItemType::Func(f) if f.to_string() == "func(a: s32, b: s32) -> s32"));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn missing_imports_are_link_errors_naming_the_import() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(&engine, &fixture("unsatisfied-import")).unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let linker = Linker::new(&engine);
        match linker.instantiate(&store, &component) {
            Err(Error::Link { message }) => {
                assert!(message.contains("docs:log/logger@1.0.0"), "{message}")
            }
            other => panic!("{:?}", other.err()),
        }
        linker.define_unknown_imports_as_traps(&component).unwrap();
        let id = linker.instantiate(&store, &component).unwrap();
        let run = store.enter(|s| s.instance_func(id, &["run"])).unwrap();
        let mut out = [Val::Bool(false)];
        match store.enter(|s| s.call(run, &[], &mut out)) {
            Err(Error::Trap(info)) => assert!(
                info.message.contains("unknown import: `"),
                "{}",
                info.message
            ),
            other => panic!("calling a stubbed import must trap: {other:?}"),
        }

        let other_engine = Engine::new(EngineConfig::default()).unwrap();
        let foreign = Store::new(&other_engine, &StoreOptions::default()).unwrap();
        assert!(matches!(
            linker.instantiate(&foreign, &component),
            Err(Error::Mismatch(_))
        ));
    }
}
