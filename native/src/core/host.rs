//! Host functions: functions the host defines for a component's imports.
//!
//! Each is defined with the type the host expects; the type is checked against the component's
//! import when instantiating, so a mismatch is a link error naming the import and both types,
//! never a failure at call time.

use std::sync::{Arc, RwLock};

use wasmtime::component::{ResourceType, Val};
use wasmtime::StoreContextMut;

use super::error::{HostFailure, Result};
use super::scalar::{ScalarKind, Slot};
use super::store::StoreData;
use super::types::{FuncType, ResourceRef, ValType};

/// One call of a host function.
pub struct HostCall<'a> {
    /// The store running the call: its data holds the host-held resources and the adapter's
    /// state. Re-entering wasm through it is not offered.
    pub store: StoreContextMut<'a, StoreData>,
    /// The type the function was defined with.
    pub ty: &'a FuncType,
    pub params: &'a [Val],
    /// One slot per result, to be filled.
    pub results: &'a mut [Val],
}

/// The implementation of a host function.
pub type HostCallback = Arc<dyn Fn(HostCall<'_>) -> Result<()> + Send + Sync>;

/// The destructor of a host-defined resource: runs when the guest drops its last owned handle,
/// with the host's representation (`rep`) of the resource.
pub type HostDestructor =
    Arc<dyn Fn(StoreContextMut<'_, StoreData>, u32) -> Result<()> + Send + Sync>;

/// The payloads of every host-defined resource type (`ResourceType::host_dynamic(payload)`), so
/// that types met in components can be recognised as host resources.
static HOST_RESOURCE_PAYLOADS: RwLock<Vec<u32>> = RwLock::new(Vec::new());

/// Records that `payload` names a host-defined resource type.
pub fn register_resource_payload(payload: u32) {
    let mut all = HOST_RESOURCE_PAYLOADS
        .write()
        .unwrap_or_else(|p| p.into_inner());
    if !all.contains(&payload) {
        all.push(payload);
    }
}

/// The payload of `ty` when it is a host-defined resource type.
pub fn host_resource_payload(ty: &ResourceType) -> Option<u32> {
    HOST_RESOURCE_PAYLOADS
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .copied()
        .find(|p| *ty == ResourceType::host_dynamic(*p))
}

/// Wraps a callback for `wasmtime::component::LinkerInstance::func_new`.
pub(crate) fn wasmtime_func(
    ty: Arc<FuncType>,
    callback: HostCallback,
) -> impl Fn(
    StoreContextMut<'_, StoreData>,
    wasmtime::component::types::ComponentFunc,
    &[Val],
    &mut [Val],
) -> wasmtime::Result<()>
       + Send
       + Sync
       + 'static {
    move |store, _wasm_ty, params, results| {
        on_caller_stack(|| {
            callback(HostCall {
                store,
                ty: &ty,
                params,
                results,
            })
        })
        .map_err(HostFailure::into_wasmtime)
    }
}

/// Runs host code on the thread's own stack (see [`super::stack::on_caller_stack`]); too little
/// of it left is a host failure, which traps the guest.
pub(crate) fn on_caller_stack<R>(f: impl FnOnce() -> Result<R>) -> Result<R> {
    super::stack::on_caller_stack(f).unwrap_or_else(|e| {
        Err(super::error::Error::Host {
            message: format!("host code was not run: {e}"),
            payload: None,
        })
    })
}

/// Collects the resource handles (`own` and `borrow`) inside `t`.
pub fn resource_refs<'a>(t: &'a ValType, out: &mut Vec<&'a ResourceRef>) {
    use ValType as T;
    match t {
        T::Own(r) | T::Borrow(r) => out.push(r),
        T::List(x) | T::Option(x) | T::FixedList(x, _) => resource_refs(x, out),
        T::Map(k, v) => {
            resource_refs(k, out);
            resource_refs(v, out);
        }
        T::Record(fields) => fields.iter().for_each(|f| resource_refs(&f.ty, out)),
        T::Tuple(types) => types.iter().for_each(|t| resource_refs(t, out)),
        T::Variant(cases) => cases
            .iter()
            .filter_map(|c| c.ty.as_ref())
            .for_each(|t| resource_refs(t, out)),
        T::Result { ok, err } => {
            ok.iter()
                .chain(err.iter())
                .for_each(|t| resource_refs(t, out));
        }
        T::Future(x) | T::Stream(x) => x.iter().for_each(|t| resource_refs(t, out)),
        _ => {}
    }
}

/// Whether two value types have the same shape (resources compare by name).
pub fn same_type(a: &ValType, b: &ValType) -> bool {
    use ValType as T;
    match (a, b) {
        (T::List(x), T::List(y)) | (T::Option(x), T::Option(y)) => same_type(x, y),
        (T::FixedList(x, n), T::FixedList(y, m)) => n == m && same_type(x, y),
        (T::Map(k1, v1), T::Map(k2, v2)) => same_type(k1, k2) && same_type(v1, v2),
        (T::Record(f1), T::Record(f2)) => {
            f1.len() == f2.len()
                && f1
                    .iter()
                    .zip(f2.iter())
                    .all(|(x, y)| x.name == y.name && same_type(&x.ty, &y.ty))
        }
        (T::Tuple(t1), T::Tuple(t2)) => {
            t1.len() == t2.len() && t1.iter().zip(t2.iter()).all(|(x, y)| same_type(x, y))
        }
        (T::Variant(c1), T::Variant(c2)) => {
            c1.len() == c2.len()
                && c1.iter().zip(c2.iter()).all(|(x, y)| {
                    x.name == y.name
                        && match (&x.ty, &y.ty) {
                            (None, None) => true,
                            (Some(p), Some(q)) => same_type(p, q),
                            _ => false,
                        }
                })
        }
        (T::Enum(n1), T::Enum(n2)) | (T::Flags(n1), T::Flags(n2)) => n1 == n2,
        (T::Result { ok: o1, err: e1 }, T::Result { ok: o2, err: e2 }) => {
            same_opt(o1.as_deref(), o2.as_deref()) && same_opt(e1.as_deref(), e2.as_deref())
        }
        (T::Own(r1), T::Own(r2)) | (T::Borrow(r1), T::Borrow(r2)) => {
            r1.name == r2.name && (r1.host.is_none() || r2.host.is_none() || r1.host == r2.host)
        }
        (T::Future(x), T::Future(y)) | (T::Stream(x), T::Stream(y)) => {
            same_opt(x.as_deref(), y.as_deref())
        }
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && a.is_primitive(),
    }
}

fn same_opt(a: Option<&ValType>, b: Option<&ValType>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => same_type(x, y),
        _ => false,
    }
}

/// Whether a host function defined with `host` can serve an import of type `import`.
pub fn same_func_type(host: &FuncType, import: &FuncType) -> bool {
    host.params.len() == import.params.len()
        && host.results.len() == import.results.len()
        && host
            .params
            .iter()
            .zip(&import.params)
            .all(|((_, a), (_, b))| same_type(a, b))
        && host
            .results
            .iter()
            .zip(&import.results)
            .all(|(a, b)| same_type(a, b))
}

/// A host function over scalar slots (see [`super::scalar`]): it gets the arguments as slots and
/// returns the result's slot (0 when the function has no result).
pub type ScalarHostCallback =
    Arc<dyn Fn(StoreContextMut<'_, StoreData>, &[u64]) -> Result<u64> + Send + Sync>;

/// Argument tuples of the typed host-function shapes, as slots.
trait SlotArgs {
    fn slots(&self) -> smallvec::SmallVec<[u64; 4]>;
}

impl SlotArgs for () {
    fn slots(&self) -> smallvec::SmallVec<[u64; 4]> {
        smallvec::SmallVec::new()
    }
}

impl<A: Slot + Copy> SlotArgs for (A,) {
    fn slots(&self) -> smallvec::SmallVec<[u64; 4]> {
        smallvec::smallvec![self.0.to_slot()]
    }
}

impl<A: Slot + Copy, B: Slot + Copy> SlotArgs for (A, B) {
    fn slots(&self) -> smallvec::SmallVec<[u64; 4]> {
        smallvec::smallvec![self.0.to_slot(), self.1.to_slot()]
    }
}

impl<A: Slot + Copy, B: Slot + Copy, C: Slot + Copy> SlotArgs for (A, B, C) {
    fn slots(&self) -> smallvec::SmallVec<[u64; 4]> {
        smallvec::smallvec![self.0.to_slot(), self.1.to_slot(), self.2.to_slot()]
    }
}

/// The commonest all-scalar host-function signatures, defined with wasmtime's typed
/// `func_wrap` (a dynamic `func_new` costs a host call about three times as much).
macro_rules! host_shapes {
    ($( ( $($p:ident),* ) -> $r:tt ;)*) => {
        /// Defines `name` with a typed wrapper when its shape is one of the above; `false` when it
        /// is not, and nothing was defined.
        fn wrap_typed(
            instance: &mut wasmtime::component::LinkerInstance<'_, StoreData>,
            name: &str,
            params: &[ScalarKind],
            result: Option<ScalarKind>,
            callback: &ScalarHostCallback,
        ) -> wasmtime::Result<bool> {
            $(
                if params == [$(<$p as Slot>::KIND),*] && result == host_shapes!(@kind $r) {
                    let callback = callback.clone();
                    instance.func_wrap(
                        name,
                        move |store: StoreContextMut<'_, StoreData>, args: ($($p,)*)| {
                            let slot = on_caller_stack(|| callback(store, &args.slots()))
                                .map_err(HostFailure::into_wasmtime)?;
                            host_shapes!(@ret $r, slot)
                        },
                    )?;
                    return Ok(true);
                }
            )*
            Ok(false)
        }
    };
    (@kind ()) => { None };
    (@kind $r:ident) => { Some(<$r as Slot>::KIND) };
    (@ret (), $slot:expr) => { { let _ = $slot; Ok(()) } };
    (@ret $r:ident, $slot:expr) => {
        <$r as Slot>::from_slot($slot)
            .map(|v| (v,))
            .map_err(|m| wasmtime::Error::msg(format!("host function result: {m}")))
    };
}

host_shapes! {
    () -> (); () -> u32; () -> i32; () -> u64; () -> i64; () -> f32; () -> f64;
    (u32) -> (); (i32) -> (); (u64) -> (); (i64) -> (); (f32) -> (); (f64) -> ();
    (u32) -> u32; (i32) -> i32; (u64) -> u64; (i64) -> i64; (f32) -> f32; (f64) -> f64;
    (u32, u32) -> (); (i32, i32) -> ();
    (u32, u32) -> u32; (i32, i32) -> i32; (u64, u64) -> u64; (i64, i64) -> i64;
    (f32, f32) -> f32; (f64, f64) -> f64;
    (u32, u32, u32) -> u32; (i32, i32, i32) -> i32; (u64, u64, u64) -> u64; (i64, i64, i64) -> i64;
}

/// The scalar kinds of an all-scalar function type (at most four parameters, at most one
/// result), or `None`.
pub fn scalar_signature(ty: &FuncType) -> Option<(Vec<ScalarKind>, Option<ScalarKind>)> {
    if ty.params.len() > 4 || ty.results.len() > 1 || ty.is_async {
        return None;
    }
    let params: Option<Vec<ScalarKind>> =
        ty.params.iter().map(|(_, t)| ScalarKind::of(t)).collect();
    let result = match ty.results.first() {
        None => None,
        Some(t) => Some(ScalarKind::of(t)?),
    };
    Some((params?, result))
}

/// Defines a scalar host function in `instance`: typed when its shape allows, otherwise
/// dynamically with slots converted from and to values.
pub(crate) fn define_scalar(
    instance: &mut wasmtime::component::LinkerInstance<'_, StoreData>,
    name: &str,
    params: Vec<ScalarKind>,
    result: Option<ScalarKind>,
    callback: ScalarHostCallback,
) -> wasmtime::Result<()> {
    if wrap_typed(instance, name, &params, result, &callback)? {
        return Ok(());
    }
    instance.func_new(
        name,
        move |store, _ty, args: &[Val], results: &mut [Val]| {
            let slots: smallvec::SmallVec<[u64; 4]> = args
                .iter()
                .map(|v| ScalarKind::from_val(v).unwrap_or_default())
                .collect();
            let slot =
                on_caller_stack(|| callback(store, &slots)).map_err(HostFailure::into_wasmtime)?;
            if let (Some(kind), Some(out)) = (result, results.first_mut()) {
                *out = kind
                    .to_val(slot)
                    .map_err(|m| wasmtime::Error::msg(format!("host function result: {m}")))?;
            }
            Ok(())
        },
    )
}
