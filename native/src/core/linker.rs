//! Linker: what a component's imports are satisfied with, and instantiation.
//!
//! A linker is shareable across threads: definitions take a write lock, instantiation a read
//! lock.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::component::Component;
use super::engine::Engine;
use super::error::{Error, Result};
use super::host::{self, AsyncHostCallback, HostCallback, HostDestructor, ScalarHostCallback};
use super::instance::InstanceId;
use super::instance_pre::InstancePre;
use super::store::{Store, StoreData};
use super::types::{self, FuncType, ItemType};

/// A component linker.
pub struct Linker {
    engine: Engine,
    inner: RwLock<wasmtime::component::Linker<StoreData>>,
    /// The declared type of every host function, by `name` or `interface#name`, with the
    /// interface path it was defined in (`""` for the root).
    host_types: RwLock<HashMap<String, (String, Arc<FuncType>)>>,
    /// The payload of every host resource type defined, by `name` or `interface#name`.
    host_resources: RwLock<HashMap<String, u32>>,
    /// The functions defined from an instance's exports (see [`Linker::define_instance`]), by
    /// key, with the id of the store that instance lives in: only components instantiated in
    /// that store can call them.
    bound_funcs: RwLock<HashMap<String, BoundFunc>>,
    /// Whether the user allowed shadowing (wasmtime's linker does not tell).
    shadowing: std::sync::atomic::AtomicBool,
    /// Whether WASI 0.2 and wasi:http were added (see `wasi::command`, `http::proxy`).
    pub(crate) wasi_added: std::sync::atomic::AtomicBool,
    pub(crate) http_added: std::sync::atomic::AtomicBool,
    /// Whether an asynchronous host function was defined (see [`Linker::define_func_async`]).
    uses_async: std::sync::atomic::AtomicBool,
}

/// A function defined from an instance's export.
struct BoundFunc {
    /// The id of the store the instance lives in.
    store: u64,
    /// The export's type, as the instance has it.
    ty: FuncType,
}

/// The key of an item in the linker's side tables: the path of linker instances and the name,
/// joined with `#` (`name`, `docs:calc/adder@0.1.0#add`, `host#nested#return-four`).
fn item_key(path: &[&str], name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{}#{name}", path.join("#"))
    }
}

/// Opens (creating it when missing) the linker instance at `path`: the root when empty, else
/// the nested instances named one after the other.
fn open<'a>(
    linker: &'a mut wasmtime::component::Linker<StoreData>,
    path: &[&str],
) -> Result<wasmtime::component::LinkerInstance<'a, StoreData>> {
    let mut instance = linker.root();
    for p in path {
        if p.is_empty() {
            return Err(Error::InvalidArgument(
                "a linker instance needs a name".into(),
            ));
        }
        instance = instance.into_instance(p).map_err(Error::from_link)?;
    }
    Ok(instance)
}

/// An export of an instance, as it is defined in a linker (see [`Linker::define_instance`]).
enum Reflected {
    /// A function, with its type: defined as a host function calling it in its store.
    Func(wasmtime::component::Func, FuncType),
    /// A resource type (of the guest, or one the host defined): defined as that same type.
    Resource(wasmtime::component::ResourceType),
    /// A core module.
    Module(wasmtime::Module),
    /// An exported instance: a nested linker instance with its items.
    Instance(Vec<(String, Reflected)>),
}

/// The items of an instance's export `parent` (`None`: its root exports) that a linker can
/// define, recursively; other types and nested components are left out (a linker cannot
/// define them; value types are checked by their structure and need no definition).
fn reflect(
    inner: &mut super::store::StoreInner,
    instance: wasmtime::component::Instance,
    parent: Option<&wasmtime::component::ComponentExportIndex>,
    names: Vec<String>,
    resources: &types::ResourceNames,
) -> Vec<(String, Reflected)> {
    use wasmtime::component::types::ComponentItem;
    let engine = inner.store.engine().clone();
    let mut out = Vec::new();
    for name in names {
        let Some((item, index)) = instance.get_export(&mut inner.store, parent, &name) else {
            continue;
        };
        let reflected = match item {
            ComponentItem::ComponentFunc(ty) => instance
                .get_func(&mut inner.store, index)
                .map(|f| Reflected::Func(f, FuncType::from_wasmtime(&ty, resources))),
            ComponentItem::Resource(_) => instance
                .get_resource(&mut inner.store, index)
                .map(Reflected::Resource),
            ComponentItem::Module(_) => instance
                .get_module(&mut inner.store, index)
                .map(Reflected::Module),
            ComponentItem::ComponentInstance(ty) => {
                let nested = ty.exports(&engine).map(|(n, _)| n.to_owned()).collect();
                Some(Reflected::Instance(reflect(
                    inner,
                    instance,
                    Some(&index),
                    nested,
                    resources,
                )))
            }
            _ => None,
        };
        if let Some(r) = reflected {
            out.push((name, r));
        }
    }
    out
}

impl Linker {
    /// An empty linker for `engine`.
    pub fn new(engine: &Engine) -> Linker {
        Linker {
            engine: engine.clone(),
            inner: RwLock::new(wasmtime::component::Linker::new(engine.wasmtime())),
            host_types: RwLock::default(),
            host_resources: RwLock::default(),
            bound_funcs: RwLock::default(),
            shadowing: Default::default(),
            wasi_added: Default::default(),
            http_added: Default::default(),
            uses_async: Default::default(),
        }
    }

    /// The engine of this linker.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, wasmtime::component::Linker<StoreData>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, wasmtime::component::Linker<StoreData>> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a later definition may replace an earlier one of the same name.
    pub fn allow_shadowing(&self, allow: bool) {
        let mut linker = self.write();
        linker.allow_shadowing(allow);
        self.shadowing
            .store(allow, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether a later definition may replace an earlier one of the same name.
    pub(crate) fn shadowing(&self) -> bool {
        self.shadowing.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Defines every import of `component` that is not defined yet as a function that traps
    /// when called, so that the component can be instantiated without them.
    pub fn define_unknown_imports_as_traps(&self, component: &Component) -> Result<()> {
        self.engine
            .check_same(component.engine().wasmtime(), "the Component")?;
        self.write()
            .define_unknown_imports_as_traps(component.wasmtime())
            .map_err(Error::from_link)
    }

    /// Defines the host function `name` at the root (`path` empty) or inside the imported
    /// interface `path` (one name, such as `docs:log/logger@1.0.0`), with the type the host
    /// expects. A component-model `async` type (`async func`) makes it a concurrent function of
    /// wasmtime that answers at once; that needs the engine's concurrency support, and a store
    /// instantiating a component that imports it is called asynchronously.
    pub fn define_func(
        &self,
        path: &[&str],
        name: &str,
        ty: FuncType,
        callback: HostCallback,
    ) -> Result<()> {
        if name.is_empty() {
            return Err(Error::InvalidArgument(
                "a host function needs a name".into(),
            ));
        }
        let ty = Arc::new(ty);
        let mut linker = self.write();
        let mut instance = open(&mut linker, path)?;
        if ty.is_async {
            self.check_concurrent(name, &ty)?;
            instance
                .func_new_concurrent(
                    name,
                    host::wasmtime_func_concurrent(ty.clone(), host::answering_at_once(callback)),
                )
                .map_err(Error::from_link)?;
            self.uses_async
                .store(true, std::sync::atomic::Ordering::Release);
        } else {
            instance
                .func_new(name, host::wasmtime_func(ty.clone(), callback))
                .map_err(Error::from_link)?;
        }
        self.defined_host_func(path, name, ty);
        Ok(())
    }

    /// A host function of a component-model `async` type (`async func`) is a concurrent one in
    /// wasmtime: its pending calls let the guest go on, which needs the engine's concurrency
    /// support.
    fn check_concurrent(&self, name: &str, ty: &FuncType) -> Result<()> {
        if self.engine.config().concurrency_support {
            Ok(())
        } else {
            Err(Error::InvalidArgument(format!(
                "`{name}` has the component-model `async` type {ty}, whose host functions need \
                 an engine with concurrency support (Engine.Config concurrencySupport)"
            )))
        }
    }

    /// Defines the asynchronous host function `name` (see [`Linker::define_func`] for `path`):
    /// each call gets a future, and while it is pending the guest is suspended and holds no
    /// thread. A store that instantiates a component importing it can then only be called
    /// asynchronously (wasmtime's rule, reported as [`Error::NeedsAsync`] by synchronous calls).
    ///
    /// Of a plain function type, the guest is suspended for the whole call (wasmtime's
    /// `func_new_async`). Of a component-model `async` type (`async func`, which needs the
    /// engine's concurrency support) it is a concurrent function (`func_new_concurrent`): while
    /// a call is pending the guest's other tasks go on, and the guest may cancel it, which drops
    /// its future; the callback then reaches the store only through [`host::HostStore::with`].
    pub fn define_func_async(
        &self,
        path: &[&str],
        name: &str,
        ty: FuncType,
        callback: AsyncHostCallback,
    ) -> Result<()> {
        if name.is_empty() {
            return Err(Error::InvalidArgument(
                "a host function needs a name".into(),
            ));
        }
        let ty = Arc::new(ty);
        let mut linker = self.write();
        let mut instance = open(&mut linker, path)?;
        if ty.is_async {
            self.check_concurrent(name, &ty)?;
            instance
                .func_new_concurrent(name, host::wasmtime_func_concurrent(ty.clone(), callback))
                .map_err(Error::from_link)?;
        } else {
            instance
                .func_new_async(name, host::wasmtime_func_async(ty.clone(), callback))
                .map_err(Error::from_link)?;
        }
        self.uses_async
            .store(true, std::sync::atomic::Ordering::Release);
        self.defined_host_func(path, name, ty);
        Ok(())
    }

    /// Defines an all-scalar host function (see [`host::scalar_signature`]) that takes and returns
    /// slots: the cheap path for numbers, bools and chars.
    pub fn define_scalar_func(
        &self,
        path: &[&str],
        name: &str,
        ty: FuncType,
        callback: ScalarHostCallback,
    ) -> Result<()> {
        let (params, result) = host::scalar_signature(&ty).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "`{name}` of type {ty} is not an all-scalar function"
            ))
        })?;
        if name.is_empty() {
            return Err(Error::InvalidArgument(
                "a host function needs a name".into(),
            ));
        }
        let mut linker = self.write();
        let mut instance = open(&mut linker, path)?;
        host::define_scalar(&mut instance, name, params, result, callback)
            .map_err(Error::from_link)?;
        self.defined_host_func(path, name, Arc::new(ty));
        Ok(())
    }

    /// Records the type of a host function just defined (replacing what the name held before).
    fn defined_host_func(&self, path: &[&str], name: &str, ty: Arc<FuncType>) {
        let key = item_key(path, name);
        self.bound_funcs
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
        self.host_types
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, (path.join("#"), ty));
    }

    /// Defines the host resource type `name` (identified by `payload`, see
    /// `ResourceType::host_dynamic`) at the root or inside the imported interface `path`;
    /// `destructor` runs when the guest drops an owned handle. The same payload may be defined
    /// under several names (and paths): each is the same resource type.
    pub fn define_resource(
        &self,
        path: &[&str],
        name: &str,
        payload: u32,
        destructor: HostDestructor,
    ) -> Result<()> {
        if name.is_empty() {
            return Err(Error::InvalidArgument("a resource needs a name".into()));
        }
        self.engine().register_host_resource(payload);
        let mut linker = self.write();
        open(&mut linker, path)?
            .resource(
                name,
                wasmtime::component::ResourceType::host_dynamic(payload),
                move |store, rep| {
                    host::on_caller_stack(|| destructor(store, rep))
                        .map_err(super::error::HostFailure::into_wasmtime)
                },
            )
            .map_err(Error::from_link)?;
        self.host_resources
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(item_key(path, name), payload);
        Ok(())
    }

    /// Defines the core module `name` at the root or inside the linker instance `path`, for
    /// components that import a core module.
    pub fn define_module(
        &self,
        path: &[&str],
        name: &str,
        module: &super::module::Module,
    ) -> Result<()> {
        if name.is_empty() {
            return Err(Error::InvalidArgument("a module needs a name".into()));
        }
        self.engine
            .check_same(module.engine().wasmtime(), "the Module")?;
        let mut linker = self.write();
        open(&mut linker, path)?
            .module(name, module.wasmtime())
            .map_err(Error::from_link)?;
        self.forget(&[item_key(path, name)]);
        Ok(())
    }

    /// Defines in the linker instance `path` the items of instance `id`'s exported instance
    /// `export` (such as the interface `docs:calc/adder@0.1.0`), or its root exports when
    /// `export` is `None`: every function, as a host function that calls the export in
    /// `store`; every resource type, as that same type, so that the importer and the exporter
    /// share it; every core module; every nested exported instance, as a nested linker instance
    /// with its items. Other exported types and components are not definable and left out.
    ///
    /// The functions can only be called from components instantiated in `store`:
    /// instantiating one that imports them in another store is a link error, and calling one
    /// from another store (through an instance-pre) fails.
    pub fn define_instance(
        &self,
        path: &[&str],
        store: &Store,
        id: InstanceId,
        export: Option<&str>,
    ) -> Result<()> {
        self.engine
            .check_same(store.engine().wasmtime(), "the Instance (its Store)")?;
        let store_id = store.id();
        let items = store.enter(|inner| {
            let entry = inner.instances.get(id.0 as usize).ok_or_else(|| {
                Error::InvalidArgument(format!("no instance {} in this store", id.0))
            })?;
            let instance = entry.instance;
            let engine = inner.store.engine().clone();
            let items: Vec<(String, wasmtime::component::types::ComponentItem)> = entry
                .component
                .wasmtime()
                .component_type()
                .exports(&engine)
                .map(|(n, e)| (n.to_owned(), e.ty))
                .collect();
            let root: Vec<String> = items.iter().map(|(n, _)| n.clone()).collect();
            // Names for the resource types in the functions' types (for messages).
            let mut resources = types::ResourceNames::default();
            resources.set_host_resources(self.engine.host_resources());
            resources.collect(&engine, &items);
            let Some(export) = export else {
                return Ok(reflect(inner, instance, None, root, &resources));
            };
            use wasmtime::component::types::ComponentItem;
            match instance.get_export(&mut inner.store, None, export) {
                Some((ComponentItem::ComponentInstance(ty), index)) => {
                    let names = ty.exports(&engine).map(|(n, _)| n.to_owned()).collect();
                    Ok(reflect(inner, instance, Some(&index), names, &resources))
                }
                Some(_) => Err(Error::InvalidArgument(format!(
                    "export `{export}` is not an exported instance (an interface); only an \
                     instance's items can be defined as a linker instance"
                ))),
                None => Err(Error::UnknownExport {
                    name: export.to_owned(),
                    available: root,
                }),
            }
        })?;
        let mut defined = Vec::new();
        let mut linker = self.write();
        let mut target = open(&mut linker, path)?;
        let prefix: Vec<String> = path.iter().map(|p| (*p).to_owned()).collect();
        // On an error (a name already defined, shadowing off) what was defined before it stays,
        // and the side tables still learn of it.
        let result = Self::define_reflected(&mut target, &prefix, items, store_id, &mut defined);
        // The side tables change while the linker is still locked, as for host functions.
        let keys: Vec<String> = defined.iter().map(|(k, _)| k.clone()).collect();
        self.forget(&keys);
        let mut bound = self.bound_funcs.write().unwrap_or_else(|p| p.into_inner());
        for (key, ty) in defined {
            if let Some(ty) = ty {
                bound.insert(
                    key,
                    BoundFunc {
                        store: store_id,
                        ty,
                    },
                );
            }
        }
        drop(bound);
        drop(linker);
        result
    }

    /// Defines reflected items in `target` (at `prefix`), noting each key with its type when it
    /// is a function.
    fn define_reflected(
        target: &mut wasmtime::component::LinkerInstance<'_, StoreData>,
        prefix: &[String],
        items: Vec<(String, Reflected)>,
        store_id: u64,
        defined: &mut Vec<(String, Option<FuncType>)>,
    ) -> Result<()> {
        let path: Vec<&str> = prefix.iter().map(String::as_str).collect();
        for (name, item) in items {
            let key = item_key(&path, &name);
            match item {
                Reflected::Func(func, ty) => {
                    let shown = key.clone();
                    target
                        .func_new(&name, move |mut store, _ty, params, results| {
                            if store.data().store_id != store_id {
                                return Err(wasmtime::Error::msg(format!(
                                    "`{shown}` was defined from an instance of another store \
                                     (store {store_id}); it can only be called by components \
                                     instantiated in that store"
                                )));
                            }
                            let called = func.call(&mut store, params, results);
                            end_borrows(&mut store, params);
                            called
                        })
                        .map_err(Error::from_link)?;
                    defined.push((key, Some(ty)));
                }
                Reflected::Resource(ty) => {
                    target
                        .resource(&name, ty, |_, _| Ok(()))
                        .map_err(Error::from_link)?;
                    defined.push((key, None));
                }
                Reflected::Module(module) => {
                    target.module(&name, &module).map_err(Error::from_link)?;
                    defined.push((key, None));
                }
                Reflected::Instance(nested) => {
                    let mut inner = target.instance(&name).map_err(Error::from_link)?;
                    let mut nested_prefix = prefix.to_vec();
                    nested_prefix.push(name);
                    Self::define_reflected(&mut inner, &nested_prefix, nested, store_id, defined)?;
                }
            }
        }
        Ok(())
    }

    /// Drops what the side tables know of `keys`, which were just defined anew (shadowing).
    fn forget(&self, keys: &[String]) {
        let mut types = self.host_types.write().unwrap_or_else(|p| p.into_inner());
        let mut resources = self
            .host_resources
            .write()
            .unwrap_or_else(|p| p.into_inner());
        let mut bound = self.bound_funcs.write().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            types.remove(k);
            resources.remove(k);
            bound.remove(k);
        }
    }

    /// Fails with a link error when `component` imports a function defined from an instance
    /// (see [`Linker::define_instance`]) with another type than the export has, or, when `store`
    /// is given, from an instance of another store. Resource types are compared by kind (`own`
    /// or `borrow`) only: which resource type an import refers to is settled by the linker's
    /// resource definitions, which wasmtime checks when instantiating.
    fn check_bound_funcs(&self, store: Option<&Store>, component: &Component) -> Result<()> {
        let bound = self.bound_funcs.read().unwrap_or_else(|p| p.into_inner());
        if bound.is_empty() {
            return Ok(());
        }
        let mut result = Ok(());
        walk_func_imports(
            &component.component_type().imports,
            "",
            &mut |key, import| {
                let Some(f) = bound.get(&key) else { return };
                if result.is_err() {
                    return;
                }
                if !same_shape(&f.ty, import) {
                    result = Err(Error::Link {
                        message: format!(
                        "import `{key}` has type {import}, but the instance's export defined for \
                         it has type {}",
                        f.ty
                    ),
                    });
                } else if let Some(store) = store.filter(|s| s.id() != f.store) {
                    result = Err(Error::Link {
                        message: format!(
                        "import `{key}` is defined from an instance of another store (store {}, \
                         not {}): instantiate this component in that store, where the instance \
                         lives",
                        f.store,
                        store.id()
                    ),
                    });
                }
            },
        );
        result
    }

    /// Fails with a link error when a host function declares a handle to a host resource type
    /// other than the one this linker defines under that name in the function's interface:
    /// values of the declared type could never be passed as the import's (wasmtime refuses them
    /// at call time with "mismatched resource types").
    fn check_host_resources(&self, key: &str, interface: &str, ty: &FuncType) -> Result<()> {
        let defined = self
            .host_resources
            .read()
            .unwrap_or_else(|p| p.into_inner());
        let mut refs = Vec::new();
        for t in ty.params.iter().map(|(_, t)| t).chain(&ty.results) {
            types::resource_refs(t, &mut refs);
        }
        for r in refs {
            let Some(declared) = r.host else { continue };
            let resource_key = if interface.is_empty() {
                r.name.clone()
            } else {
                format!("{interface}#{}", r.name)
            };
            match defined.get(&resource_key) {
                Some(&payload) if payload != declared => {
                    return Err(Error::Link {
                        message: format!(
                            "the host function defined for import `{key}` has type {ty}, whose \
                             `{}` is another host resource type than the `{resource_key}` this \
                             linker defines (host resource type {declared}, defined: {payload})",
                            r.name
                        ),
                    })
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Fails with a link error when a host function was defined with a type other than the
    /// component imports it with.
    fn check_host_types(&self, component: &Component) -> Result<()> {
        let declared = self.host_types.read().unwrap_or_else(|p| p.into_inner());
        if declared.is_empty() {
            return Ok(());
        }
        let ty = component.component_type();
        let check = |key: String, import: &FuncType| -> Result<()> {
            match declared.get(&key) {
                Some((_, host)) if !types::same_func_type(host, import) => Err(Error::Link {
                    message: format!(
                        "import `{key}` has type {import}, but the host function defined for it \
                         has type {host}"
                    ),
                }),
                Some((interface, host)) => self.check_host_resources(&key, interface, host),
                _ => Ok(()),
            }
        };
        let mut result = Ok(());
        walk_func_imports(&ty.imports, "", &mut |key, f| {
            if result.is_ok() {
                result = check(key, f);
            }
        });
        result
    }

    /// Checks that `store` and `component` belong to this linker's engine and that every host
    /// function was defined with the type the component imports it with.
    pub(crate) fn check(&self, store: &Store, component: &Component) -> Result<()> {
        self.engine
            .check_same(component.engine().wasmtime(), "the Component")?;
        self.engine
            .check_same(store.engine().wasmtime(), "the Store")?;
        self.check_host_types(component)?;
        self.check_bound_funcs(Some(store), component)
    }

    /// Instantiates `component` in `store`.
    pub fn instantiate(&self, store: &Store, component: &Component) -> Result<InstanceId> {
        self.check(store, component)?;
        let linker = self.read();
        let uses_async = self.uses_async.load(std::sync::atomic::Ordering::Acquire);
        store.enter(|inner| {
            let instance = if uses_async {
                let pre = linker
                    .instantiate_pre(component.wasmtime())
                    .map_err(Error::from_link)?;
                super::instance_pre::instantiate(&pre, true, inner)?
            } else {
                linker
                    .instantiate(&mut inner.store, component.wasmtime())
                    .map_err(Error::from_link)?
            };
            Ok(inner.add_instance(instance, component.clone()))
        })
    }

    /// Type-checks and resolves every import of `component` now, so that instantiating it
    /// later is as cheap as possible.
    pub fn instantiate_pre(&self, component: &Component) -> Result<Arc<InstancePre>> {
        self.engine
            .check_same(component.engine().wasmtime(), "the Component")?;
        self.check_host_types(component)?;
        self.check_bound_funcs(None, component)?;
        let pre = self
            .read()
            .instantiate_pre(component.wasmtime())
            .map_err(Error::from_link)?;
        let uses_async = self.uses_async.load(std::sync::atomic::Ordering::Acquire);
        Ok(Arc::new(InstancePre::new(
            component.clone(),
            pre,
            uses_async,
        )))
    }
}

/// Whether a function of type `import` can be served by one of type `export`, with resource
/// handles compared by kind only (see [`Linker::check_bound_funcs`]).
fn same_shape(export: &FuncType, import: &FuncType) -> bool {
    fn erased(ty: &FuncType) -> FuncType {
        FuncType {
            params: ty
                .params
                .iter()
                .map(|(n, t)| (n.clone(), erase(t)))
                .collect(),
            results: ty.results.iter().map(erase).collect(),
            is_async: ty.is_async,
        }
    }
    types::same_func_type(&erased(export), &erased(import))
}

/// `t` with every resource handle's resource made anonymous.
fn erase(t: &types::ValType) -> types::ValType {
    use types::{Case, Field, ResourceRef, ValType as T};
    let anonymous = || ResourceRef {
        name: String::new(),
        ty: None,
        host: None,
    };
    let boxed = |x: &T| Box::new(erase(x));
    match t {
        T::Own(_) => T::Own(anonymous()),
        T::Borrow(_) => T::Borrow(anonymous()),
        T::List(x) => T::List(boxed(x)),
        T::Option(x) => T::Option(boxed(x)),
        T::FixedList(x, n) => T::FixedList(boxed(x), *n),
        T::Map(k, v) => T::Map(boxed(k), boxed(v)),
        T::Record(fields) => T::Record(
            fields
                .iter()
                .map(|f| Field {
                    name: f.name.clone(),
                    ty: erase(&f.ty),
                })
                .collect(),
        ),
        T::Tuple(types) => T::Tuple(types.iter().map(erase).collect()),
        T::Variant(cases) => T::Variant(
            cases
                .iter()
                .map(|c| Case {
                    name: c.name.clone(),
                    ty: c.ty.as_ref().map(erase),
                })
                .collect(),
        ),
        T::Result { ok, err } => T::Result {
            ok: ok.as_deref().map(boxed),
            err: err.as_deref().map(boxed),
        },
        T::Future(x) => T::Future(x.as_deref().map(boxed)),
        T::Stream(x) => T::Stream(x.as_deref().map(boxed)),
        other => other.clone(),
    }
}

/// Ends the `borrow` handles among `vals`, the arguments a host function was lent: wasmtime
/// requires each to be dropped before the host function returns ("borrow handles still remain
/// at the end of the call"). Dropping a borrow runs no destructor; it only ends the loan.
fn end_borrows(
    store: &mut wasmtime::StoreContextMut<'_, StoreData>,
    vals: &[wasmtime::component::Val],
) {
    use wasmtime::component::Val;
    for v in vals {
        match v {
            Val::Resource(r) if !r.owned() => {
                let _ = r.resource_drop(&mut *store);
            }
            Val::List(xs) | Val::Tuple(xs) | Val::FixedLengthList(xs) => end_borrows(store, xs),
            Val::Map(entries) => {
                for (k, v) in entries {
                    end_borrows(store, std::slice::from_ref(k));
                    end_borrows(store, std::slice::from_ref(v));
                }
            }
            Val::Record(fields) => {
                for (_, v) in fields {
                    end_borrows(store, std::slice::from_ref(v));
                }
            }
            Val::Variant(_, Some(x))
            | Val::Option(Some(x))
            | Val::Result(Ok(Some(x)))
            | Val::Result(Err(Some(x))) => end_borrows(store, std::slice::from_ref(&**x)),
            _ => {}
        }
    }
}

/// Calls `f` with the key (see [`item_key`]) and type of every function among `items`, in
/// nested instances too.
fn walk_func_imports(
    items: &[(String, ItemType)],
    prefix: &str,
    f: &mut impl FnMut(String, &FuncType),
) {
    for (name, item) in items {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}#{name}")
        };
        match item {
            ItemType::Func(ty) => f(key, ty),
            ItemType::Instance { exports } => walk_func_imports(exports, &key, f),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::host::HostCall;
    use crate::core::testing::fixture;
    use crate::core::types::{ResourceRef, ValType};
    use crate::core::{EngineConfig, StoreOptions};
    use wasmtime::component::{ResourceDynamic, Val};

    const KV: &str = "docs:kv/store@1.0.0";

    fn handle(own: bool, payload: u32) -> ValType {
        let r = ResourceRef {
            name: "bucket".into(),
            ty: None,
            host: Some(payload),
        };
        if own {
            ValType::Own(r)
        } else {
            ValType::Borrow(r)
        }
    }

    fn func(params: Vec<(&str, ValType)>, results: Vec<ValType>) -> FuncType {
        FuncType {
            params: params.into_iter().map(|(n, t)| (n.to_owned(), t)).collect(),
            results,
            is_async: false,
        }
    }

    /// kv-host's imports, with `bucket` defined as host resource type `defined` (after the
    /// functions) and the constructor and `open` declared to return `declared`.
    fn kv_linker(engine: &Engine, defined: u32, declared: u32) -> Linker {
        let linker = Linker::new(engine);
        let make: HostCallback = Arc::new(move |call: HostCall<'_>| {
            let HostCall {
                mut store, results, ..
            } = call;
            results[0] = Val::Resource(
                ResourceDynamic::new_own(1, declared)
                    .try_into_resource_any(&mut store)
                    .map_err(Error::from_call)?,
            );
            Ok(())
        });
        let ctor = func(
            vec![("name", ValType::String)],
            vec![handle(true, declared)],
        );
        linker
            .define_func(&[KV], "[constructor]bucket", ctor.clone(), make.clone())
            .unwrap();
        linker.define_func(&[KV], "open", ctor, make).unwrap();
        let unused: HostCallback = Arc::new(|_| Ok(()));
        let get = func(
            vec![("self", handle(false, defined)), ("key", ValType::String)],
            vec![ValType::Option(Box::new(ValType::String))],
        );
        linker
            .define_func(&[KV], "[method]bucket.get", get, unused.clone())
            .unwrap();
        let set = func(
            vec![
                ("self", handle(false, defined)),
                ("key", ValType::String),
                ("value", ValType::String),
            ],
            vec![],
        );
        linker
            .define_func(&[KV], "[method]bucket.set", set, unused)
            .unwrap();
        linker
            .define_resource(&[KV], "bucket", defined, Arc::new(|_, _| Ok(())))
            .unwrap();
        linker
    }

    #[test]
    fn a_host_function_typed_with_another_host_resource_type_is_a_link_error() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(&engine, &fixture("kv-host")).unwrap();

        let good = kv_linker(&engine, 0x6b76_0101, 0x6b76_0101);
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let id = good.instantiate(&store, &component).unwrap();
        let churned = store
            .enter(|s| {
                let churn = s.instance_func(id, &["docs:kv/app@1.0.0", "churn"])?;
                let mut out = [Val::Bool(false)];
                s.call(churn, &[Val::U32(3)], &mut out)?;
                Ok(out[0].clone())
            })
            .unwrap();
        assert_eq!(churned, Val::U32(3));

        // Same names and shapes, but the constructor's `bucket` is another host resource type:
        // its values could never be passed (wasmtime: "mismatched resource types" at call time).
        let bad = kv_linker(&engine, 0x6b76_0101, 0x6b76_0102);
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        for err in [
            bad.instantiate(&store, &component).unwrap_err(),
            bad.instantiate_pre(&component).map(|_| ()).unwrap_err(),
        ] {
            match err {
                Error::Link { message } => {
                    assert!(message.contains("[constructor]bucket"), "{message}");
                    assert!(message.contains("docs:kv/store@1.0.0#bucket"), "{message}");
                    assert!(message.contains("another host resource type"), "{message}");
                }
                other => panic!("expected a link error, got {other:?}"),
            }
        }
    }

    const ADDER: &str = "docs:calc/adder@0.1.0";
    const CALC: &str = "docs:calc/calc@0.1.0";

    fn call(store: &Store, id: InstanceId, path: &[&str], args: &[Val]) -> Result<Val> {
        store.enter(|s| {
            let f = s.instance_func(id, path)?;
            let mut out = [Val::Bool(false)];
            s.call(f, args, &mut out)?;
            Ok(out[0].clone())
        })
    }

    #[test]
    fn an_instance_serves_another_components_imports_in_its_store() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let adder = Component::from_wat(&engine, &fixture("calc-adder")).unwrap();
        let calculator = Component::from_wat(&engine, &fixture("calc-calculator")).unwrap();
        let linker = Linker::new(&engine);
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let a = linker.instantiate(&store, &adder).unwrap();
        linker
            .define_instance(&[ADDER], &store, a, Some(ADDER))
            .unwrap();
        let c = linker.instantiate(&store, &calculator).unwrap();
        let three = [Val::U32(1), Val::U32(2), Val::U32(3)];
        assert_eq!(
            call(&store, c, &[CALC, "add-three"], &three).unwrap(),
            Val::U32(6)
        );
        assert_eq!(
            call(&store, c, &[CALC, "explain"], &[Val::U32(1), Val::U32(2)]).unwrap(),
            Val::String("1 + 2 = 3".into())
        );

        // Another store may not use the functions: a link error naming the import.
        let other = Store::new(&engine, &StoreOptions::default()).unwrap();
        match linker.instantiate(&other, &calculator) {
            Err(Error::Link { message }) => {
                assert!(message.contains("another store"), "{message}");
                assert!(message.contains("docs:calc/adder@0.1.0#add"), "{message}");
            }
            other => panic!("expected a link error, got {:?}", other.map(|_| ())),
        }
        // Through an instance-pre the call itself refuses.
        let pre = linker.instantiate_pre(&calculator).unwrap();
        let c2 = pre.instantiate(&other).unwrap();
        let err = call(&other, c2, &[CALC, "add-three"], &three).unwrap_err();
        assert!(format!("{err:?}").contains("another store"), "{err:?}");
    }

    #[test]
    fn defining_an_instance_refuses_what_it_cannot_define() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let adder = Component::from_wat(&engine, &fixture("calc-adder")).unwrap();
        let add = Component::from_wat(&engine, &fixture("add")).unwrap();
        let linker = Linker::new(&engine);
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let a = linker.instantiate(&store, &adder).unwrap();
        match linker.define_instance(&["x"], &store, a, Some("nope")) {
            Err(Error::UnknownExport { name, available }) => {
                assert_eq!(name, "nope");
                assert_eq!(available, vec![ADDER.to_owned()]);
            }
            other => panic!("expected an unknown export, got {other:?}"),
        }
        let i = linker.instantiate(&store, &add).unwrap();
        assert!(matches!(
            linker.define_instance(&["x"], &store, i, Some("add")),
            Err(Error::InvalidArgument(m)) if m.contains("not an exported instance")
        ));
        assert!(matches!(
            linker.define_instance(&["x"], &store, InstanceId(99), None),
            Err(Error::InvalidArgument(m)) if m.contains("no instance 99")
        ));
        let other_engine = Engine::new(EngineConfig::default()).unwrap();
        let foreign = Store::new(&other_engine, &StoreOptions::default()).unwrap();
        assert!(matches!(
            linker.define_instance(&["x"], &foreign, a, None),
            Err(Error::Mismatch(_))
        ));
        let module =
            super::super::module::Module::new(&other_engine, &wat::parse_str("(module)").unwrap())
                .unwrap();
        assert!(matches!(
            linker.define_module(&["x"], "m", &module),
            Err(Error::Mismatch(_))
        ));
    }

    #[test]
    fn nested_instances_modules_and_a_resource_type_under_two_names() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let importer = Component::from_wat(
            &engine,
            r#"(component
                (import "host" (instance $host
                  (export "resource1" (type $r1 (sub resource)))
                  (export "resource1-again" (type (eq $r1)))
                  (export "nested" (instance
                    (export "m" (core module (export "f" (func (result i32)))))))))
                (alias export $host "nested" (instance $nested))
                (core instance $m (instantiate (module $nested "m")))
                (func (export "f") (result u32) (canon lift (core func $m "f"))))"#,
        )
        .unwrap();
        let module = super::super::module::Module::new(
            &engine,
            &wat::parse_str(r#"(module (func (export "f") (result i32) i32.const 42))"#).unwrap(),
        )
        .unwrap();
        let no_dtor: HostDestructor = Arc::new(|_, _| Ok(()));
        let linker = Linker::new(&engine);
        linker
            .define_module(&["host", "nested"], "m", &module)
            .unwrap();
        linker
            .define_resource(&["host"], "resource1", 0x7e57_0001, no_dtor.clone())
            .unwrap();
        linker
            .define_resource(&["host"], "resource1-again", 0x7e57_0001, no_dtor.clone())
            .unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let id = linker.instantiate(&store, &importer).unwrap();
        assert_eq!(call(&store, id, &["f"], &[]).unwrap(), Val::U32(42));

        // Two host resource types under those names break the equality the import asks for.
        let distinct = Linker::new(&engine);
        distinct
            .define_module(&["host", "nested"], "m", &module)
            .unwrap();
        distinct
            .define_resource(&["host"], "resource1", 0x7e57_0001, no_dtor.clone())
            .unwrap();
        distinct
            .define_resource(&["host"], "resource1-again", 0x7e57_0002, no_dtor)
            .unwrap();
        match distinct.instantiate(&store, &importer) {
            Err(Error::Link { message }) => {
                assert!(message.contains("mismatched resource types"), "{message}")
            }
            other => panic!("expected a link error, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn an_import_of_another_type_than_the_export_is_a_link_error() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let adder = Component::from_wat(&engine, &fixture("calc-adder")).unwrap();
        let mistyped = Component::from_wat(
            &engine,
            r#"(component
                (import "docs:calc/adder@0.1.0" (instance
                  (export "add" (func (param "a" u64) (param "b" u32) (result u32))))))"#,
        )
        .unwrap();
        let linker = Linker::new(&engine);
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let a = linker.instantiate(&store, &adder).unwrap();
        linker
            .define_instance(&[ADDER], &store, a, Some(ADDER))
            .unwrap();
        for err in [
            linker.instantiate(&store, &mistyped).unwrap_err(),
            linker.instantiate_pre(&mistyped).map(|_| ()).unwrap_err(),
        ] {
            match err {
                Error::Link { message } => {
                    assert!(message.contains("docs:calc/adder@0.1.0#add"), "{message}");
                    assert!(message.contains("u64"), "{message}");
                    assert!(message.contains("instance's export"), "{message}");
                }
                other => panic!("expected a link error, got {other:?}"),
            }
        }
    }
}
