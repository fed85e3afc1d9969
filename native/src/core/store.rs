//! Store: the home of instances, their memories and the values handed out to the host.
//!
//! A [`Store`] is shareable across threads but used by one thread at a time: [`Store::enter`]
//! takes it for the duration of one operation and fails with [`Error::StoreBusy`] when another
//! thread (or a host function re-entering on the same thread) already holds it. Closing never
//! frees state under a running call: a close requested while a call runs takes effect when that
//! call leaves.

use std::any::Any;
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use wasmtime::component::ResourceTable;
use wasmtime::{StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use super::engine::Engine;
use super::error::{Error, Result};
use super::func::FuncEntry;
use super::http::policy::PolicyHooks;
use super::instance::{FuncId, InstanceEntry};
use super::module::items::{CoreItems, HasCoreItems};
use super::resource::ResourceSlab;
use super::types::FuncType;
use super::wasi::audit::AuditTrail;
use super::wasi::config::{Captured, WasiConfig};

/// Limits and budgets a store starts with.
#[derive(Clone, Default)]
pub struct StoreOptions {
    /// Most bytes any one linear memory may grow to.
    pub memory_size: Option<usize>,
    /// Most elements any one table may grow to.
    pub table_elements: Option<usize>,
    /// Most instances (core and component) the store may create.
    pub instances: Option<usize>,
    /// Fuel to start with, when the engine consumes fuel.
    pub fuel: Option<u64>,
    /// Epoch ticks before interruption, when the engine uses epoch interruption.
    pub epoch_deadline: Option<u64>,
    /// Wall-clock time limit of each call into the store, enforced with epoch interruption by
    /// the engine's ticker (the engine must use epoch interruption).
    pub timeout: Option<std::time::Duration>,
    /// WASI for the guests of this store.
    pub wasi: Option<WasiConfig>,
}

/// The data wasmtime keeps for the host inside each store.
pub struct StoreData {
    pub limits: StoreLimits,
    pub table: ResourceTable,
    /// The WASI context, when the store was given one; a store without one gets a context
    /// that grants nothing the first time a guest calls WASI.
    pub wasi: Option<WasiCtx>,
    /// Guest resources the host holds.
    pub(crate) resources: ResourceSlab,
    /// The WASI configuration, kept to build a preview 1 context for core modules on demand.
    pub(crate) wasi_config: Option<WasiConfig>,
    /// The WASI preview 1 context for core modules, built on first use.
    pub(crate) p1: Option<wasmtime_wasi::p1::WasiP1Ctx>,
    /// The output captured by the current WASI context.
    pub(crate) captured: Captured,
    /// State an adapter keeps with the store (the JNI face keeps a reference to the Java
    /// `Store` for host functions); opaque to the core.
    pub adapter: Option<Box<dyn Any + Send + Sync>>,
    /// The core instances and items handed out to the host.
    pub(crate) core: CoreItems,
    /// The id of the [`Store`] this data belongs to.
    pub(crate) store_id: u64,
    /// The audit listener and what it tracks.
    pub(crate) audit: AuditTrail,
    /// The `wasi:http` context, made the first time a guest uses `wasi:http`.
    pub(crate) http: Option<WasiHttpCtx>,
    /// What the guest's outgoing HTTP requests may reach.
    pub(crate) http_hooks: PolicyHooks,
}

impl WasiHttpView for StoreData {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: self.http.get_or_insert_with(WasiHttpCtx::new),
            table: &mut self.table,
            hooks: &mut self.http_hooks,
        }
    }
}

impl WasiView for StoreData {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        let ctx = self.wasi.get_or_insert_with(|| WasiCtx::builder().build());
        WasiCtxView {
            ctx,
            table: &mut self.table,
        }
    }
}

impl HasCoreItems for StoreData {
    fn core_items(&mut self) -> &mut CoreItems {
        &mut self.core
    }
}

/// The error for a function id the store does not have.
pub(crate) fn no_func(id: FuncId) -> Error {
    Error::InvalidArgument(format!("no function {} in this store", id.0))
}

/// The state behind a store's lock.
pub struct StoreInner {
    pub store: wasmtime::Store<StoreData>,
    pub(crate) instances: Vec<InstanceEntry>,
    pub(crate) funcs: Vec<FuncEntry>,
    /// The function already looked up for an (instance, export path).
    pub(crate) func_ids: std::collections::HashMap<(u32, String), FuncId>,
    /// The time limit of each call, and the epoch ticks it takes.
    timeout: Option<(std::time::Duration, u64)>,
}

/// A store; see the module documentation for its threading rules.
pub struct Store {
    engine: Engine,
    /// The most stack a guest of this store may use (the engine's `max_wasm_stack`).
    wasm_stack: usize,
    state: StoreCell,
    /// The thread currently inside [`Store::enter`] (0: none); only for error messages.
    owner: AtomicU64,
    close_requested: AtomicBool,
    /// Unique among the stores of the process.
    id: u64,
    /// How the asynchronous call holding the store (if any) tells that it was asked to stop:
    /// a call finding the store busy with a call that is stopping waits for it (see
    /// [`Store::await_stopping_call`]), woken by `released`.
    stopping: Mutex<Option<Arc<dyn StopRequest>>>,
    released: Condvar,
}

/// Whether an asynchronous call holding a store was asked to stop (implemented by the async
/// call's cancellation).
pub trait StopRequest: Send + Sync {
    fn is_requested(&self) -> bool;
}

/// How long a call waits for a cancelled asynchronous call to leave its store: a guest waiting
/// on the host stops at once, one running wasm at the next epoch tick (or fuel slice); one that
/// cannot be interrupted may run on, and then the store is busy as usual.
const STOPPING_WAIT: Duration = Duration::from_secs(5);

fn current_thread_tag() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static TAG: u64 = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    TAG.with(|t| *t)
}

impl Store {
    /// Creates a store with the given limits and WASI configuration.
    pub fn new(engine: &Engine, options: &StoreOptions) -> Result<Store> {
        let mut limits = StoreLimitsBuilder::new();
        if let Some(n) = options.memory_size {
            limits = limits.memory_size(n);
        }
        if let Some(n) = options.table_elements {
            limits = limits.table_elements(n);
        }
        if let Some(n) = options.instances {
            limits = limits.instances(n);
        }
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let (wasi, captured) = match &options.wasi {
            Some(config) => {
                let (ctx, captured) = config.build()?;
                (Some(ctx), captured)
            }
            None => (None, Captured::default()),
        };
        let data = StoreData {
            limits: limits.build(),
            table: ResourceTable::new(),
            wasi,
            resources: ResourceSlab::default(),
            wasi_config: options.wasi.clone(),
            p1: None,
            captured,
            adapter: None,
            core: CoreItems::default(),
            store_id: id,
            audit: AuditTrail::new(options.wasi.as_ref().and_then(|w| w.audit.clone())),
            http: None,
            http_hooks: PolicyHooks {
                policy: options.wasi.as_ref().and_then(|w| w.http_policy.clone()),
                audit: options.wasi.as_ref().and_then(|w| w.audit.clone()),
            },
        };
        let mut store = wasmtime::Store::new(engine.wasmtime(), data);
        store.limiter(|d| &mut d.limits);
        let config = engine.config();
        if config.consume_fuel {
            store
                .set_fuel(options.fuel.unwrap_or(0))
                .map_err(|e| Error::InvalidArgument(format!("{e:#}")))?;
        } else if options.fuel.is_some() {
            return Err(Error::InvalidArgument(
                "fuel was given but the engine does not consume fuel; enable fuel on the Engine \
                 configuration"
                    .into(),
            ));
        }
        let timeout = match options.timeout {
            Some(limit) if config.epoch_interruption => {
                engine.ensure_ticker();
                let tick = super::engine::EPOCH_TICK.as_nanos().max(1);
                let ticks = (limit.as_nanos().div_ceil(tick)).max(1) as u64;
                Some((limit, ticks))
            }
            Some(_) => {
                return Err(Error::InvalidArgument(
                    "a time limit needs an engine with epoch interruption; enable it on the \
                     Engine configuration"
                        .into(),
                ))
            }
            None => None,
        };
        if config.epoch_interruption {
            store.set_epoch_deadline(options.epoch_deadline.unwrap_or(u64::MAX / 2));
        } else if options.epoch_deadline.is_some() {
            return Err(Error::InvalidArgument(
                "an epoch deadline was given but the engine does not use epoch interruption; \
                 enable it on the Engine configuration"
                    .into(),
            ));
        }
        Ok(Store {
            engine: engine.clone(),
            wasm_stack: config
                .max_wasm_stack
                .unwrap_or(super::engine::DEFAULT_MAX_WASM_STACK),
            state: StoreCell::new(Some(Box::new(StoreInner {
                store,
                instances: Vec::new(),
                funcs: Vec::new(),
                func_ids: std::collections::HashMap::new(),
                timeout,
            }))),
            owner: AtomicU64::new(0),
            close_requested: AtomicBool::new(false),
            id,
            stopping: Mutex::new(None),
            released: Condvar::new(),
        })
    }

    /// The engine of this store.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The store's id, unique in the process.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Runs `f` with exclusive access to the store, with stack enough for the guest's whole
    /// stack limit (see [`super::stack`]): every call into wasm goes through here.
    pub fn enter<R>(&self, f: impl FnOnce(&mut StoreInner) -> Result<R>) -> Result<R> {
        super::stack::with_stack(self.wasm_stack, || self.enter_here(f))
    }

    fn enter_here<R>(&self, f: impl FnOnce(&mut StoreInner) -> Result<R>) -> Result<R> {
        let mut held = self.hold()?;
        if self.state.poisoned.load(Ordering::Relaxed) {
            return Err(Error::Runtime(
                "this Store failed internally during an earlier call and can no longer be used"
                    .into(),
            ));
        }
        if self.close_requested.load(Ordering::SeqCst) {
            *held.slot() = None;
        }
        let inner = held.slot().as_deref_mut().ok_or(Error::Closed("Store"))?;
        self.owner.store(current_thread_tag(), Ordering::Relaxed);
        if let Some((_, ticks)) = inner.timeout {
            inner.store.set_epoch_deadline(ticks);
        }
        let result = f(inner).map_err(|e| inner.classify(e));
        self.owner.store(0, Ordering::Relaxed);
        if self.close_requested.load(Ordering::SeqCst) {
            *held.slot() = None;
        }
        drop(held);
        // A close requested while we held the store saw it busy and left the work to us. (In
        // the rare interleaving where neither side sees the other, the closed store is emptied
        // by the next `enter`, or when the store itself is dropped.)
        if self.close_requested.load(Ordering::SeqCst) {
            self.try_dispose();
        }
        result
    }

    /// Takes the store for an asynchronous call, across all its awaits, until the hold is
    /// dropped: as [`Store::enter`] takes it, checked at once on the caller's thread, so that a
    /// call while the asynchronous one runs fails immediately with [`Error::StoreBusy`].
    ///
    /// `stop` tells whether the call was asked to stop: while it is, other calls wait for the
    /// store rather than fail.
    pub fn hold_async(&self, stop: Arc<dyn StopRequest>) -> Result<AsyncHold<'_>> {
        let mut held = self.hold()?;
        if self.state.poisoned.load(Ordering::Relaxed) {
            return Err(Error::Runtime(
                "this Store failed internally during an earlier call and can no longer be used"
                    .into(),
            ));
        }
        if self.close_requested.load(Ordering::SeqCst) {
            *held.slot() = None;
        }
        if held.slot().is_none() {
            return Err(Error::Closed("Store"));
        }
        self.owner.store(ASYNC_OWNER, Ordering::Relaxed);
        *self.stopping.lock().unwrap_or_else(|p| p.into_inner()) = Some(stop);
        Ok(AsyncHold {
            store: self,
            held: Some(held),
        })
    }

    /// Takes the store's lock, or fails with [`Error::StoreBusy`]; when the holder is an
    /// asynchronous call that was asked to stop, waits for it to leave first.
    fn hold(&self) -> Result<Held<'_>> {
        loop {
            if let Some(held) = self.state.try_hold() {
                return Ok(held);
            }
            if !self.await_stopping_call() {
                return Err(self.busy_error());
            }
        }
    }

    /// Waits (at most [`STOPPING_WAIT`]) while the store is held by an asynchronous call that
    /// was asked to stop; whether the store was released meanwhile. Only on the busy path: an
    /// uncontended call never gets here.
    fn await_stopping_call(&self) -> bool {
        let deadline = Instant::now() + STOPPING_WAIT;
        let mut stopping = self.stopping.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if !self.state.busy.load(Ordering::Acquire) {
                return true;
            }
            if !stopping.as_ref().is_some_and(|s| s.is_requested()) {
                return false;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            stopping = self
                .released
                .wait_timeout(stopping, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    fn busy_error(&self) -> Error {
        let owner = self.owner.load(Ordering::Relaxed);
        let stopping = self
            .stopping
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|s| s.is_requested());
        if owner == ASYNC_OWNER && stopping {
            Error::StoreBusy(format!(
                "Store is still stopping a cancelled asynchronous call after {STOPPING_WAIT:?}: \
                 a guest running wasm stops at the next epoch tick, so enable epochInterruption \
                 (or fuel) on the engine to make cancellation prompt"
            ))
        } else if owner == ASYNC_OWNER {
            Error::StoreBusy(
                "Store is running an asynchronous call; a Store serves one call at a time (wait \
                 for the call's future to complete, or give each concurrent call its own Store)"
                    .into(),
            )
        } else if owner == current_thread_tag() {
            Error::StoreBusy(
                "Store re-entered: a host function called back into the Store that is running \
                 it, which is not allowed"
                    .into(),
            )
        } else {
            Error::StoreBusy(
                "Store is in use by another thread; a Store can be used by one thread at a time \
                 (give each thread its own Store)"
                    .into(),
            )
        }
    }

    /// Closes the store: frees everything in it now, or as soon as a running call leaves.
    /// Idempotent.
    pub fn close(&self) {
        self.close_requested.store(true, Ordering::SeqCst);
        self.try_dispose();
    }

    /// Whether [`Store::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.close_requested.load(Ordering::SeqCst)
    }

    fn try_dispose(&self) {
        let taken = match self.state.try_hold() {
            Some(mut held) => held.slot().take(),
            None => None,
        };
        // Dropped outside the store: wasmtime may run arbitrary drop code.
        drop(taken);
    }
}

/// The owner tag of a store held by an asynchronous call (no thread's tag).
const ASYNC_OWNER: u64 = u64::MAX;

/// A store held by an asynchronous call ([`Store::hold_async`]); dropping it releases the store
/// and finishes a close requested meanwhile.
pub struct AsyncHold<'a> {
    store: &'a Store,
    held: Option<Held<'a>>,
}

impl AsyncHold<'_> {
    /// The store's state.
    pub fn inner(&mut self) -> &mut StoreInner {
        self.held
            .as_mut()
            .and_then(|h| h.slot().as_deref_mut())
            .expect("an async hold is made only for an open store, and ends only on drop")
    }

    /// The store held.
    pub fn store(&self) -> &Store {
        self.store
    }

    /// Marks the store unusable: a panic ran through the call holding it.
    pub fn poison(&self) {
        self.store.state.poisoned.store(true, Ordering::Relaxed);
    }
}

impl Drop for AsyncHold<'_> {
    fn drop(&mut self) {
        let store = self.store;
        store.owner.store(0, Ordering::Relaxed);
        if let Some(mut held) = self.held.take() {
            let taken = if store.close_requested.load(Ordering::SeqCst) {
                held.slot().take()
            } else {
                None
            };
            // Released under the lock that waiting calls look at `busy` under, so that none
            // misses the release, and no later call's stop request is mistaken for this one's.
            let mut stopping = store.stopping.lock().unwrap_or_else(|p| p.into_inner());
            *stopping = None;
            drop(held);
            store.released.notify_all();
            drop(stopping);
            drop(taken);
        }
        if store.close_requested.load(Ordering::SeqCst) {
            store.try_dispose();
        }
    }
}

/// The store's state behind a try-only lock: entering never waits (a busy store is an error),
/// so a flag is all the lock needs; releasing it is a plain store.
struct StoreCell {
    busy: AtomicBool,
    /// Set when a panic unwound through [`Store::enter`]: the state may be inconsistent.
    poisoned: AtomicBool,
    inner: UnsafeCell<Option<Box<StoreInner>>>,
}

// Safety: `inner` is only reached through a `Held`, and at most one `Held` exists at a time
// (`busy` is taken with a compare-and-swap); `StoreInner` is `Send`.
unsafe impl Sync for StoreCell {}

/// Exclusive access to a [`StoreCell`]'s state, released on drop.
struct Held<'a>(&'a StoreCell);

impl StoreCell {
    fn new(inner: Option<Box<StoreInner>>) -> StoreCell {
        StoreCell {
            busy: AtomicBool::new(false),
            poisoned: AtomicBool::new(false),
            inner: UnsafeCell::new(inner),
        }
    }

    fn try_hold(&self) -> Option<Held<'_>> {
        self.busy
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .ok()
            .map(|_| Held(self))
    }
}

impl Held<'_> {
    fn slot(&mut self) -> &mut Option<Box<StoreInner>> {
        // Safety: this `Held` is the only one (see `StoreCell`).
        unsafe { &mut *self.0.inner.get() }
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.poisoned.store(true, Ordering::Relaxed);
        }
        self.0.busy.store(false, Ordering::Release);
    }
}

impl StoreInner {
    /// The time limit of each call, if the store has one.
    pub(crate) fn time_limit(&self) -> Option<std::time::Duration> {
        self.timeout.map(|(limit, _)| limit)
    }

    /// Turns an epoch interruption into a timeout when the store has a time limit.
    pub fn classify(&self, err: Error) -> Error {
        match (err, self.timeout) {
            (Error::Trap(info), Some((limit, _)))
                if info.code == Some(wasmtime::Trap::Interrupt) =>
            {
                Error::Timeout(limit)
            }
            (err, _) => err,
        }
    }

    /// The output the store's WASI context captured so far (standard output, standard error).
    pub fn captured_output(&self) -> (Vec<u8>, Vec<u8>) {
        let c = &self.store.data().captured;
        let read = |p: &Option<wasmtime_wasi::p2::pipe::MemoryOutputPipe>| {
            p.as_ref()
                .map(|p| p.contents().to_vec())
                .unwrap_or_default()
        };
        (read(&c.stdout), read(&c.stderr))
    }

    /// Sets the remaining fuel.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<()> {
        self.store.set_fuel(fuel).map_err(|_| {
            Error::InvalidArgument(
                "the engine does not consume fuel; enable fuel on the Engine configuration".into(),
            )
        })
    }

    /// The remaining fuel.
    pub fn fuel(&self) -> Result<u64> {
        self.store.get_fuel().map_err(|_| {
            Error::InvalidArgument(
                "the engine does not consume fuel; enable fuel on the Engine configuration".into(),
            )
        })
    }

    /// Sets the epoch deadline, in ticks from the current epoch.
    pub fn set_epoch_deadline(&mut self, ticks: u64) -> Result<()> {
        if !self.store.engine().get_epoch_interruption() {
            return Err(Error::InvalidArgument(
                "the engine does not use epoch interruption; enable it on the Engine configuration"
                    .into(),
            ));
        }
        self.store.set_epoch_deadline(ticks);
        Ok(())
    }

    /// How many guest resources the host holds in this store.
    pub fn live_resources(&self) -> usize {
        self.store.data().resources.len()
    }

    /// The host-held guest resources.
    pub fn resources(&mut self) -> &mut ResourceSlab {
        &mut self.store.data_mut().resources
    }

    pub(crate) fn func_entry(&self, id: FuncId) -> Result<&FuncEntry> {
        self.funcs.get(id.0 as usize).ok_or_else(|| no_func(id))
    }

    /// The type of a function.
    pub fn func_type(&self, id: FuncId) -> Result<std::sync::Arc<FuncType>> {
        Ok(self.func_entry(id)?.shared_ty())
    }

    /// The name (export path) a function was looked up by.
    pub fn func_name(&self, id: FuncId) -> Result<String> {
        Ok(self.func_entry(id)?.name().to_owned())
    }

    /// wasmtime's view of the function's type (for WAVE).
    pub fn func_wasm_type(&self, id: FuncId) -> Result<wasmtime::component::types::ComponentFunc> {
        Ok(self.func_entry(id)?.wasm_ty().clone())
    }

    /// The adapter's state for this store.
    pub fn adapter_state(&mut self) -> &mut Option<Box<dyn Any + Send + Sync>> {
        &mut self.store.data_mut().adapter
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::EngineConfig;
    use std::sync::mpsc;
    use std::sync::Arc;

    fn store() -> Store {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        Store::new(&engine, &StoreOptions::default()).unwrap()
    }

    #[test]
    fn reentering_on_the_same_thread_is_refused_with_its_own_message() {
        let store = store();
        let err = store
            .enter(|_| store.enter(|_| Ok(())))
            .expect_err("nested enter must fail");
        match err {
            Error::StoreBusy(m) => assert!(m.contains("re-entered"), "{m}"),
            other => panic!("wrong error {other:?}"),
        }
        // The store is usable again afterwards.
        store.enter(|_| Ok(())).unwrap();
    }

    #[test]
    fn another_thread_is_refused_while_the_store_is_in_use() {
        let store = Arc::new(store());
        let (entered_tx, entered_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let holder = {
            let store = store.clone();
            std::thread::spawn(move || {
                store
                    .enter(|_| {
                        entered_tx.send(()).unwrap();
                        release_rx.recv().unwrap();
                        Ok(())
                    })
                    .unwrap();
            })
        };
        entered_rx.recv().unwrap();
        match store.enter(|_| Ok(())) {
            Err(Error::StoreBusy(m)) => assert!(m.contains("another thread"), "{m}"),
            other => panic!("expected busy, got {:?}", other.err()),
        }
        // A close requested now is deferred until the holder leaves.
        store.close();
        release_tx.send(()).unwrap();
        holder.join().unwrap();
        assert!(matches!(
            store.enter(|_| Ok(())),
            Err(Error::Closed("Store"))
        ));
    }

    #[test]
    fn fuel_and_epoch_need_the_engine_settings() {
        let plain = Engine::new(EngineConfig::default()).unwrap();
        let with_fuel = StoreOptions {
            fuel: Some(10),
            ..StoreOptions::default()
        };
        assert!(matches!(
            Store::new(&plain, &with_fuel),
            Err(Error::InvalidArgument(_))
        ));
        let store = Store::new(&plain, &StoreOptions::default()).unwrap();
        assert!(store.enter(|s| s.set_fuel(5)).is_err());
        assert!(store.enter(|s| s.set_epoch_deadline(5)).is_err());

        let fuel_engine = Engine::new(EngineConfig {
            consume_fuel: true,
            ..EngineConfig::default()
        })
        .unwrap();
        let store = Store::new(&fuel_engine, &with_fuel).unwrap();
        assert_eq!(store.enter(|s| s.fuel()).unwrap(), 10);
        store.enter(|s| s.set_fuel(99)).unwrap();
        assert_eq!(store.enter(|s| s.fuel()).unwrap(), 99);
    }
}
