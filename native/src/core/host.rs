//! Host functions: functions the host defines for a component's imports.
//!
//! Each is defined with the type the host expects; the type is checked against the component's
//! import when instantiating, so a mismatch is a link error naming the import and both types,
//! never a failure at call time.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use wasmtime::component::{Accessor, Val};
use wasmtime::{AsContextMut, StoreContextMut};

use super::error::{HostFailure, Result};
use super::scalar::{ScalarKind, Slot};
use super::store::StoreData;
use super::types::FuncType;

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

/// How an asynchronous host call reaches the store running it.
pub enum HostStore<'a> {
    /// Lent for the whole call: the guest is suspended until the call's future ends (a host
    /// function of a plain, synchronous function type, over wasmtime's `func_new_async`).
    Lent(StoreContextMut<'a, StoreData>),
    /// Shared with the guest's other tasks, which run while the call is pending (a host function
    /// of a component-model `async` type, over wasmtime's `func_new_concurrent`): reached only
    /// inside [`HostStore::with`], never across an await.
    Shared(&'a Accessor<StoreData>),
}

impl HostStore<'_> {
    /// Runs `f` with the store. With [`HostStore::Shared`], `f` must not call `with` again (on
    /// any store): wasmtime panics then.
    pub fn with<R>(&mut self, f: impl FnOnce(&mut StoreContextMut<'_, StoreData>) -> R) -> R {
        match self {
            HostStore::Lent(cx) => f(cx),
            HostStore::Shared(accessor) => {
                accessor.with(|mut access| f(&mut access.as_context_mut()))
            }
        }
    }
}

/// One call of an asynchronous host function: as [`HostCall`], for as long as the call's future
/// runs.
pub struct AsyncHostCall<'a> {
    /// The store running the call (see [`HostCall::store`]).
    pub store: HostStore<'a>,
    /// The type the function was defined with.
    pub ty: Arc<FuncType>,
    pub params: &'a [Val],
    /// One slot per result, to be filled before the future ends.
    pub results: &'a mut [Val],
}

/// The future of one call of an asynchronous host function: while it is pending the guest is
/// suspended and its worker free. It is polled on the guest's fiber, so host code that must run
/// on a thread's own stack (a JVM upcall) goes through [`on_caller_stack`]; it may be dropped
/// unfinished there too (when the call is cancelled), so its drop must not call such code.
pub type HostFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// The implementation of an asynchronous host function.
pub type AsyncHostCallback = Arc<dyn for<'a> Fn(AsyncHostCall<'a>) -> HostFuture<'a> + Send + Sync>;

/// The destructor of a host-defined resource: runs when the guest drops its last owned handle,
/// with the host's representation (`rep`) of the resource.
pub type HostDestructor =
    Arc<dyn Fn(StoreContextMut<'_, StoreData>, u32) -> Result<()> + Send + Sync>;

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

/// The future wasmtime's `func_new_async` takes from a host function.
type WasmtimeHostFuture<'a> = Box<dyn Future<Output = wasmtime::Result<()>> + Send + 'a>;

/// Wraps an asynchronous callback for `wasmtime::component::LinkerInstance::func_new_async`.
pub(crate) fn wasmtime_func_async(
    ty: Arc<FuncType>,
    callback: AsyncHostCallback,
) -> impl for<'a> Fn(
    StoreContextMut<'a, StoreData>,
    wasmtime::component::types::ComponentFunc,
    &'a [Val],
    &'a mut [Val],
) -> WasmtimeHostFuture<'a>
       + Send
       + Sync
       + 'static {
    move |store, _wasm_ty, params, results| {
        let call = callback(AsyncHostCall {
            store: HostStore::Lent(store),
            ty: ty.clone(),
            params,
            results,
        });
        Box::new(async move { call.await.map_err(HostFailure::into_wasmtime) })
    }
}

/// The future wasmtime's `func_new_concurrent` takes from a host function.
type ConcurrentHostFuture<'a> = Pin<Box<dyn Future<Output = wasmtime::Result<()>> + Send + 'a>>;

/// Wraps an asynchronous callback for `wasmtime::component::LinkerInstance::func_new_concurrent`:
/// the host function of an `async func` import, whose pending calls let the guest go on.
pub(crate) fn wasmtime_func_concurrent(
    ty: Arc<FuncType>,
    callback: AsyncHostCallback,
) -> impl for<'a> Fn(
    &'a Accessor<StoreData>,
    wasmtime::component::types::ComponentFunc,
    &'a [Val],
    &'a mut [Val],
) -> ConcurrentHostFuture<'a>
       + Send
       + Sync
       + 'static {
    move |accessor, _wasm_ty, params, results| {
        let callback = callback.clone();
        let ty = ty.clone();
        // wasmtime calls this while polling the call's task, where the accessor reaches the store.
        Box::pin(async move {
            callback(AsyncHostCall {
                store: HostStore::Shared(accessor),
                ty,
                params,
                results,
            })
            .await
            .map_err(HostFailure::into_wasmtime)
        })
    }
}

/// A synchronous callback as an asynchronous one whose future is ready at once: for the host
/// function of an `async func` import that answers without waiting.
pub(crate) fn answering_at_once(callback: HostCallback) -> AsyncHostCallback {
    Arc::new(move |call: AsyncHostCall<'_>| {
        let AsyncHostCall {
            mut store,
            ty,
            params,
            results,
        } = call;
        let outcome = store.with(|cx| {
            on_caller_stack(|| {
                callback(HostCall {
                    store: cx.as_context_mut(),
                    ty: &ty,
                    params,
                    results,
                })
            })
        });
        Box::pin(std::future::ready(outcome))
    })
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
