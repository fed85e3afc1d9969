//! Asynchronous calls: an export called through wasmtime's `call_async` on the engine's
//! [`super::executor`], so that a call waiting on a host future holds no thread.
//!
//! The sequence is the one of [`super::call`], split around its awaits: [`StoreInner::start_async`]
//! reads the arguments on the caller's thread (from the caller's buffer, which is only valid
//! there) and hands the owned resources among them to the callee; [`AsyncCall::finish`] runs the
//! call and writes its results. [`spawn`] does both for a face: it takes the store for the whole
//! call ([`Store::hold_async`]), so that a second call fails at once, and reports the outcome
//! through a callback run on a worker's own stack.
//!
//! A call ends early when its [`Cancel`] is requested: at once if the guest waits on a host
//! future, and at the next epoch tick (or fuel slice) if it is running wasm, provided the engine
//! interrupts by epoch (or counts fuel). Without either, a guest that never waits runs to its
//! end. Time limits of the store apply as for synchronous calls. Wasm stays on wasmtime's fibers;
//! host code it calls runs on the worker's own stack ([`super::stack::OffStack`]).

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::Instant;

use wasmtime::component::Val;
use wasmtime::{AsContextMut, UpdateDeadline};

use super::call::{read_args, write_results, Ledger, Sink, Source, ValSink, ValSource};
use super::error::{Error, Result};
use super::instance::FuncId;
use super::stack::OffStack;
use super::store::{no_func, Store, StoreInner};

/// How much fuel a guest burns between looks at its cancellation, on engines that count fuel.
const FUEL_SLICE: u64 = 100_000;

/// A request to stop an asynchronous call, shared by the call and whoever may cancel it.
#[derive(Default)]
pub struct Cancel {
    requested: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Cancel {
    /// A request not made yet.
    pub fn new() -> Arc<Cancel> {
        Arc::new(Cancel::default())
    }

    /// Asks the call to stop; idempotent.
    pub fn cancel(&self) {
        self.requested.store(true, Ordering::SeqCst);
        let waker = self.waker.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    fn register(&self, waker: &Waker) {
        let mut slot = self.waker.lock().unwrap_or_else(|p| p.into_inner());
        match slot.as_ref() {
            Some(w) if w.will_wake(waker) => {}
            _ => *slot = Some(waker.clone()),
        }
    }
}

impl super::store::StopRequest for Cancel {
    fn is_requested(&self) -> bool {
        Cancel::is_requested(self)
    }
}

/// An asynchronous call whose arguments are read and passed; [`AsyncCall::finish`] runs it.
pub struct AsyncCall {
    id: FuncId,
    func: wasmtime::component::Func,
    params: Vec<Val>,
    ledger: Ledger,
}

impl StoreInner {
    /// Reads the arguments of an asynchronous call of `id` from `args`, and hands the owned
    /// resources among them to the callee. When this fails, the caller still has everything it
    /// passed; once it succeeds, the callee has the owned ones, whether the call then runs or not.
    pub fn start_async<'buf>(
        &mut self,
        id: FuncId,
        args: &mut impl Source<'buf>,
    ) -> Result<AsyncCall> {
        let StoreInner { funcs, store, .. } = self;
        let entry = funcs.get(id.0 as usize).ok_or_else(|| no_func(id))?;
        let mut params = vec![Val::Bool(false); entry.ty().params.len()];
        let mut cx = store.as_context_mut();
        let mut ledger = Ledger::default();
        let read = read_args(entry, args, &mut params, &mut cx, &mut ledger)
            .and_then(|()| ledger.take_owned(&mut cx));
        if let Err(e) = read {
            ledger.release_host_handles(&mut cx);
            return Err(e);
        }
        Ok(AsyncCall {
            id,
            func: entry.func(),
            params,
            ledger,
        })
    }

    /// Calls an exported function with values through wasmtime's `call_async`: the guest, and
    /// the host functions it calls, run on a fiber, suspended while a host future is pending.
    /// Poll the returned future inside a [`OffStack`] so that host code runs on the thread's own
    /// stack (as [`spawn`] does). `results` must have one slot per result.
    pub async fn call_async(
        &mut self,
        id: FuncId,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let expected = self.func_type(id)?.results.len();
        if results.len() != expected {
            return Err(Error::InvalidArgument(format!(
                "`{}` returns {expected} result(s), room was given for {}",
                self.func_name(id)?,
                results.len()
            )));
        }
        let call = self.start_async(id, &mut ValSource(params.iter()))?;
        let mut sink = ValSink(Vec::with_capacity(results.len()));
        call.finish(self, &mut sink, &Cancel::new()).await?;
        for (slot, v) in results.iter_mut().zip(sink.0) {
            *slot = v;
        }
        Ok(())
    }
}

impl AsyncCall {
    /// Runs the call to its end, or until `cancel` is requested ([`Error::Cancelled`]), and
    /// writes its results to `results`.
    pub async fn finish(
        mut self,
        inner: &mut StoreInner,
        results: &mut impl Sink,
        cancel: &Arc<Cancel>,
    ) -> Result<()> {
        let ty = inner.func_type(self.id)?;
        let slices = Slices::begin(inner, cancel);
        let mut vals = vec![Val::Bool(false); ty.results.len()];
        let called = {
            let mut call = pin!(self
                .func
                .call_async(&mut inner.store, &self.params, &mut vals));
            poll_fn(|cx| {
                if cancel.is_requested() {
                    return Poll::Ready(Err(Error::Cancelled));
                }
                cancel.register(cx.waker());
                call.as_mut().poll(cx).map(|r| {
                    r.map_err(|e| {
                        // A cancellation seen by the epoch callback surfaces as an interrupt.
                        if cancel.is_requested() {
                            Error::Cancelled
                        } else {
                            Error::from_func_call(e)
                        }
                    })
                })
            })
            .await
            // Dropping an unfinished call unwinds the guest out of its fiber.
        };
        slices.end(inner);
        let mut cx = inner.store.as_context_mut();
        self.ledger.release_host_handles(&mut cx);
        called.and_then(|()| write_results(results, &vals, &ty.results, &mut cx, &mut self.ledger))
    }
}

/// How a store's guest is cut into slices during an asynchronous call: at each epoch tick (or
/// fuel slice) it yields to the executor, so that calls share the workers, cancellation is seen
/// and the time limit enforced; afterwards the store traps at its deadline again, as
/// synchronous calls expect.
struct Slices {
    epoch: bool,
    fuel: bool,
}

impl Slices {
    fn begin(inner: &mut StoreInner, cancel: &Arc<Cancel>) -> Slices {
        let engine = inner.store.engine().clone();
        let epoch = engine.get_epoch_interruption();
        if epoch {
            let deadline = inner.time_limit().map(|limit| Instant::now() + limit);
            let cancel = cancel.clone();
            inner.store.epoch_deadline_callback(move |_| {
                let late = deadline.is_some_and(|d| Instant::now() >= d);
                Ok(if late || cancel.is_requested() {
                    UpdateDeadline::Interrupt
                } else {
                    UpdateDeadline::Yield(1)
                })
            });
            inner.store.set_epoch_deadline(1);
        }
        let fuel = inner.store.get_fuel().is_ok()
            && inner
                .store
                .fuel_async_yield_interval(Some(FUEL_SLICE))
                .is_ok();
        Slices { epoch, fuel }
    }

    fn end(self, inner: &mut StoreInner) {
        if self.epoch {
            inner.store.epoch_deadline_trap();
            inner.store.set_epoch_deadline(u64::MAX / 2);
        }
        if self.fuel {
            let _ = inner.store.fuel_async_yield_interval(None);
        }
    }
}

/// Starts an asynchronous call of `id` in `store` on its engine's executor: takes the store
/// (failing at once when it is busy or closed), reads the arguments from `args` now, and returns;
/// the call then runs on a worker, and `done` gets its result and `results` there, on the
/// worker's own stack. An `Err` from here means nothing was passed: the caller keeps its
/// arguments. A panic inside the call poisons the store and ends the call with an error.
///
/// The store must outlive the call: the caller keeps it alive until `done` has run (the JNI face
/// holds a global reference to the Java call object, which references the Java store).
pub fn spawn<'buf, K: Sink + Send + 'static>(
    store: &'static Store,
    id: FuncId,
    args: &mut impl Source<'buf>,
    mut results: K,
    cancel: Arc<Cancel>,
    done: impl FnOnce(Result<()>, K) + Send + 'static,
) -> Result<()> {
    let engine = store.engine();
    let executor = engine.executor()?;
    if engine.config().epoch_interruption {
        engine.ensure_ticker();
    }
    let mut hold = store.hold_async(cancel.clone())?;
    let call = hold.inner().start_async(id, args)?;
    executor.spawn(async move {
        let mut hold = hold;
        let result = {
            let inner = hold.inner();
            let mut run = pin!(OffStack::new(call.finish(inner, &mut results, &cancel)));
            poll_fn(|cx| {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run.as_mut().poll(cx)
                })) {
                    Ok(p) => p.map(|r| (r, false)),
                    Err(payload) => Poll::Ready((
                        Err(Error::Runtime(format!(
                            "internal error in the wasmtime-jvm native library (Rust panic): {}",
                            super::panics::panic_message(payload.as_ref())
                        ))),
                        true,
                    )),
                }
            })
            .await
        };
        let (result, panicked) = result;
        if panicked {
            hold.poison();
        }
        let result = result.map_err(|e| hold.inner().classify(e));
        drop(hold);
        done(result, results);
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::EngineConfig;
    use crate::core::testing::fixture;
    use crate::core::{Component, Engine, Linker, StoreOptions};
    use std::sync::mpsc;
    use std::time::Duration;

    fn leak(store: Store) -> &'static Store {
        Box::leak(Box::new(store))
    }

    fn echo_store(config: EngineConfig, options: StoreOptions) -> (&'static Store, FuncId) {
        let engine = Engine::new(config).unwrap();
        let component = Component::from_wat(&engine, &fixture("echo")).unwrap();
        let linker = Linker::new(&engine);
        let store = leak(Store::new(&engine, &options).unwrap());
        let instance = linker.instantiate(store, &component).unwrap();
        let f = store
            .enter(|s| s.instance_func(instance, &["echo-person"]))
            .unwrap();
        (store, f)
    }

    #[test]
    fn a_spawned_call_runs_on_a_worker_and_reports_its_results() {
        let (store, f) = echo_store(EngineConfig::default(), StoreOptions::default());
        let person = Val::Record(vec![
            ("first-name".into(), Val::String("Ada".into())),
            ("age".into(), Val::U8(36)),
            ("tags".into(), Val::List(vec![])),
        ]);
        let (tx, rx) = mpsc::channel();
        let args = [person.clone()];
        spawn(
            store,
            f,
            &mut ValSource(args.iter()),
            ValSink(Vec::new()),
            Cancel::new(),
            move |r, sink| {
                tx.send((r, sink.0, std::thread::current().name().map(String::from)))
                    .unwrap()
            },
        )
        .unwrap();
        let (r, vals, thread) = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        r.unwrap();
        assert_eq!(vals, [person]);
        assert!(thread.unwrap().starts_with("wasmtime-jvm-async"));
        // The store is free again.
        store.enter(|_| Ok(())).unwrap();
    }

    #[test]
    fn a_store_running_an_async_call_refuses_others_at_once() {
        let engine = Engine::new(EngineConfig {
            epoch_interruption: true,
            ..EngineConfig::default()
        })
        .unwrap();
        let component = Component::from_wat(&engine, &fixture("traps")).unwrap();
        let store = leak(Store::new(&engine, &StoreOptions::default()).unwrap());
        let instance = Linker::new(&engine).instantiate(store, &component).unwrap();
        let spin = store
            .enter(|s| s.instance_func(instance, &["spin"]))
            .unwrap();
        let cancel = Cancel::new();
        let (tx, rx) = mpsc::channel();
        spawn(
            store,
            spin,
            &mut ValSource([].iter()),
            ValSink(Vec::new()),
            cancel.clone(),
            move |r, _| tx.send(r).unwrap(),
        )
        .unwrap();
        match store.enter(|_| Ok(())) {
            Err(Error::StoreBusy(m)) => assert!(m.contains("asynchronous call"), "{m}"),
            other => panic!("expected busy, got {:?}", other.err()),
        }
        // The spinning guest stops at the next epoch tick once cancelled.
        std::thread::sleep(Duration::from_millis(50));
        assert!(rx.try_recv().is_err(), "the guest should still be spinning");
        cancel.cancel();
        // A call right after the cancel waits for the guest to leave instead of finding the
        // store busy; the instance, unwound mid-call, then refuses to be entered.
        let again = store.enter(|s| s.call(spin, &[], &mut []));
        assert!(
            matches!(&again, Err(Error::Trap(t)) if t.code == Some(wasmtime::Trap::CannotEnterComponent)),
            "{:?}",
            again.err()
        );
        let r = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        store.enter(|_| Ok(())).unwrap();
    }

    #[test]
    fn the_time_limit_of_the_store_applies_to_async_calls() {
        let engine = Engine::new(EngineConfig {
            epoch_interruption: true,
            ..EngineConfig::default()
        })
        .unwrap();
        let component = Component::from_wat(&engine, &fixture("traps")).unwrap();
        let options = StoreOptions {
            timeout: Some(Duration::from_millis(100)),
            ..StoreOptions::default()
        };
        let store = leak(Store::new(&engine, &options).unwrap());
        let instance = Linker::new(&engine).instantiate(store, &component).unwrap();
        let spin = store
            .enter(|s| s.instance_func(instance, &["spin"]))
            .unwrap();
        let (tx, rx) = mpsc::channel();
        spawn(
            store,
            spin,
            &mut ValSource([].iter()),
            ValSink(Vec::new()),
            Cancel::new(),
            move |r, _| tx.send(r).unwrap(),
        )
        .unwrap();
        let r = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        assert!(matches!(r, Err(Error::Timeout(_))), "{r:?}");
    }

    #[test]
    fn many_spinning_calls_share_one_worker() {
        // Two workers, eight stores spinning: each call yields at every tick, so all of them
        // make progress and all stop when cancelled.
        let engine = Engine::with_options(
            EngineConfig {
                epoch_interruption: true,
                ..EngineConfig::default()
            },
            crate::core::engine::EngineOptions {
                async_threads: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
        let component = Component::from_wat(&engine, &fixture("traps")).unwrap();
        let linker = Linker::new(&engine);
        let (tx, rx) = mpsc::channel();
        let mut cancels = Vec::new();
        for _ in 0..8 {
            let store = leak(Store::new(&engine, &StoreOptions::default()).unwrap());
            let instance = linker.instantiate(store, &component).unwrap();
            let spin = store
                .enter(|s| s.instance_func(instance, &["spin"]))
                .unwrap();
            let cancel = Cancel::new();
            cancels.push(cancel.clone());
            let tx = tx.clone();
            spawn(
                store,
                spin,
                &mut ValSource([].iter()),
                ValSink(Vec::new()),
                cancel,
                move |r, _| tx.send(r).unwrap(),
            )
            .unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
        for c in &cancels {
            c.cancel();
        }
        for _ in 0..8 {
            let r = rx.recv_timeout(Duration::from_secs(30)).unwrap();
            assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        }
    }

    /// A host-bench linker whose `add2` is asynchronous: each call's future waits for its
    /// operands' sum from `answers` (the test decides when each call's result comes); `noop` and
    /// `take-string` are synchronous.
    fn async_add_linker(
        engine: &Engine,
        calls: mpsc::Sender<(u32, u32, tokio::sync::oneshot::Sender<u32>)>,
    ) -> Linker {
        use crate::core::host::{AsyncHostCall, HostCall};
        use crate::core::types::{FuncType, ValType};
        let linker = Linker::new(engine);
        let calls = Mutex::new(calls);
        linker
            .define_func_async(
                &[],
                "add2",
                FuncType {
                    params: vec![("a".into(), ValType::U32), ("b".into(), ValType::U32)],
                    results: vec![ValType::U32],
                    is_async: false,
                },
                Arc::new(move |call: AsyncHostCall<'_>| {
                    let (a, b) = match call.params {
                        [Val::U32(a), Val::U32(b)] => (*a, *b),
                        other => panic!("add2 got {other:?}"),
                    };
                    let (tx, rx) = tokio::sync::oneshot::channel();
                    calls.lock().unwrap().send((a, b, tx)).unwrap();
                    Box::pin(async move {
                        let sum = rx.await.map_err(|_| Error::Host {
                            message: "no answer".into(),
                            payload: None,
                        })?;
                        call.results[0] = Val::U32(sum);
                        Ok(())
                    })
                }),
            )
            .unwrap();
        let ty = |params: Vec<(String, ValType)>, results| FuncType {
            params,
            results,
            is_async: false,
        };
        linker
            .define_func(
                &[],
                "noop",
                ty(vec![], vec![]),
                Arc::new(|_: HostCall<'_>| Ok(())),
            )
            .unwrap();
        linker
            .define_func(
                &[],
                "take-string",
                ty(vec![("s".into(), ValType::String)], vec![ValType::U32]),
                Arc::new(|c: HostCall<'_>| {
                    c.results[0] = Val::U32(0);
                    Ok(())
                }),
            )
            .unwrap();
        linker
    }

    fn one_worker() -> Engine {
        Engine::with_options(
            EngineConfig::default(),
            crate::core::engine::EngineOptions {
                async_threads: Some(1),
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn pending_async_host_functions_hold_no_worker() {
        // One worker, sixteen calls, each suspended in `add2` until the test answers: the test
        // answers only once every call has reached `add2`, which it could not if a pending host
        // future held the worker.
        let engine = one_worker();
        let component = Component::from_wat(&engine, &fixture("host-bench")).unwrap();
        let (calls_tx, calls_rx) = mpsc::channel();
        let linker = async_add_linker(&engine, calls_tx);
        let pre = linker.instantiate_pre(&component).unwrap();
        let (tx, rx) = mpsc::channel();
        const N: usize = 16;
        for _ in 0..N {
            let store = leak(Store::new(&engine, &StoreOptions::default()).unwrap());
            let instance = pre.instantiate(store).unwrap();
            let f = store
                .enter(|s| s.instance_func(instance, &["call-add"]))
                .unwrap();
            let tx = tx.clone();
            spawn(
                store,
                f,
                &mut ValSource([Val::U32(3)].iter()),
                ValSink(Vec::new()),
                Cancel::new(),
                move |r, sink| tx.send(r.map(|()| sink.0)).unwrap(),
            )
            .unwrap();
        }
        // call-add(3) calls add2(0, 1), add2(1, 1), add2(2, 1) one after the other.
        for round in 0..3u32 {
            let pending: Vec<_> = (0..N)
                .map(|_| calls_rx.recv_timeout(Duration::from_secs(30)).unwrap())
                .collect();
            for (a, b, answer) in pending {
                assert_eq!((a, b), (round, 1));
                answer.send(a + b).unwrap();
            }
        }
        for _ in 0..N {
            let r = rx.recv_timeout(Duration::from_secs(30)).unwrap();
            assert_eq!(r.unwrap(), [Val::U32(3)]);
        }
    }

    #[test]
    fn stores_with_async_host_functions_refuse_synchronous_calls() {
        let engine = one_worker();
        let component = Component::from_wat(&engine, &fixture("host-bench")).unwrap();
        let (calls_tx, _calls_rx) = mpsc::channel();
        let linker = async_add_linker(&engine, calls_tx);
        let store = leak(Store::new(&engine, &StoreOptions::default()).unwrap());
        // Linker::instantiate goes through the asynchronous instantiation too.
        let instance = linker.instantiate(store, &component).unwrap();
        let r = store.enter(|s| {
            let f = s.instance_func(instance, &["call-noop"])?;
            s.call(f, &[Val::U32(1)], &mut [])
        });
        assert!(matches!(r, Err(Error::NeedsAsync)), "{r:?}");
        // Refused before the guest ran: the store still serves asynchronous calls.
        let f = store
            .enter(|s| s.instance_func(instance, &["call-noop"]))
            .unwrap();
        let (tx, rx) = mpsc::channel();
        spawn(
            store,
            f,
            &mut ValSource([Val::U32(2)].iter()),
            ValSink(Vec::new()),
            Cancel::new(),
            move |r, _| tx.send(r).unwrap(),
        )
        .unwrap();
        rx.recv_timeout(Duration::from_secs(30)).unwrap().unwrap();
    }

    #[test]
    fn a_call_cancelled_in_an_async_host_function_ends_at_once() {
        let engine = one_worker();
        let component = Component::from_wat(&engine, &fixture("host-bench")).unwrap();
        let (calls_tx, calls_rx) = mpsc::channel();
        let linker = async_add_linker(&engine, calls_tx);
        let pre = linker.instantiate_pre(&component).unwrap();
        let store = leak(Store::new(&engine, &StoreOptions::default()).unwrap());
        let instance = pre.instantiate(store).unwrap();
        let f = store
            .enter(|s| s.instance_func(instance, &["call-add"]))
            .unwrap();
        let cancel = Cancel::new();
        let (tx, rx) = mpsc::channel();
        spawn(
            store,
            f,
            &mut ValSource([Val::U32(1)].iter()),
            ValSink(Vec::new()),
            cancel.clone(),
            move |r, _| tx.send(r).unwrap(),
        )
        .unwrap();
        let (_, _, answer) = calls_rx.recv_timeout(Duration::from_secs(30)).unwrap();
        cancel.cancel();
        // The next call waits for the cancelled one to leave rather than find the store busy.
        let (next_tx, next_rx) = mpsc::channel();
        let next = spawn(
            store,
            f,
            &mut ValSource([Val::U32(1)].iter()),
            ValSink(Vec::new()),
            Cancel::new(),
            move |r, _| next_tx.send(r).unwrap(),
        );
        assert!(
            !matches!(next, Err(Error::StoreBusy(_))),
            "{:?}",
            next.err()
        );
        // It enters the instance the cancel unwound, which refuses, as after a trap.
        let next = next_rx.recv_timeout(Duration::from_secs(30)).unwrap();
        assert!(matches!(next, Err(Error::Trap(_))), "{next:?}");
        let r = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        // The host future was dropped with the call: its answer has nowhere to go.
        assert!(answer.send(1).is_err());
        store.enter(|_| Ok(())).unwrap();
    }

    /// A linker for concurrent-host whose `slow` is a concurrent function (an `async func`):
    /// each call's future waits for its answer from `calls`.
    fn concurrent_linker(
        engine: &Engine,
        calls: mpsc::Sender<(u32, tokio::sync::oneshot::Sender<u32>)>,
    ) -> Linker {
        use crate::core::host::AsyncHostCall;
        use crate::core::types::{FuncType, ValType};
        let linker = Linker::new(engine);
        let calls = Mutex::new(calls);
        linker
            .define_func_async(
                &[],
                "slow",
                FuncType {
                    params: vec![("v".into(), ValType::U32)],
                    results: vec![ValType::U32],
                    is_async: true,
                },
                Arc::new(move |call: AsyncHostCall<'_>| {
                    let v = match call.params {
                        [Val::U32(v)] => *v,
                        other => panic!("slow got {other:?}"),
                    };
                    let (tx, rx) = tokio::sync::oneshot::channel();
                    calls.lock().unwrap().send((v, tx)).unwrap();
                    Box::pin(async move {
                        let answer = rx.await.map_err(|_| Error::Host {
                            message: "no answer".into(),
                            payload: None,
                        })?;
                        call.results[0] = Val::U32(answer);
                        Ok(())
                    })
                }),
            )
            .unwrap();
        linker
    }

    fn concurrent_engine() -> Engine {
        Engine::with_options(
            EngineConfig {
                concurrency_support: true,
                ..EngineConfig::default()
            },
            crate::core::engine::EngineOptions {
                async_threads: Some(1),
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn a_guest_goes_on_while_its_concurrent_host_calls_are_pending() {
        // run(a, b) starts slow(a) and slow(b) before waiting for either: both reach the host
        // before the test answers the first, which they could not if a pending call suspended
        // the guest.
        let engine = concurrent_engine();
        let component = Component::from_wat(&engine, &fixture("concurrent-host")).unwrap();
        let (calls_tx, calls_rx) = mpsc::channel();
        let linker = concurrent_linker(&engine, calls_tx);
        let store = leak(Store::new(&engine, &StoreOptions::default()).unwrap());
        let instance = linker.instantiate(store, &component).unwrap();
        let (run, starts) = store
            .enter(|s| {
                Ok((
                    s.instance_func(instance, &["run"])?,
                    s.instance_func(instance, &["starts"])?,
                ))
            })
            .unwrap();
        let (tx, rx) = mpsc::channel();
        spawn(
            store,
            run,
            &mut ValSource([Val::U32(3), Val::U32(4)].iter()),
            ValSink(Vec::new()),
            Cancel::new(),
            move |r, sink| tx.send(r.map(|()| sink.0)).unwrap(),
        )
        .unwrap();
        let first = calls_rx.recv_timeout(Duration::from_secs(30)).unwrap();
        let second = calls_rx.recv_timeout(Duration::from_secs(30)).unwrap();
        assert_eq!((first.0, second.0), (3, 4));
        second.1.send(40).unwrap();
        first.1.send(30).unwrap();
        let r = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        assert_eq!(r.unwrap(), [Val::U32(70)]);
        let (tx, rx) = mpsc::channel();
        spawn(
            store,
            starts,
            &mut ValSource([].iter()),
            ValSink(Vec::new()),
            Cancel::new(),
            move |r, sink| tx.send(r.map(|()| sink.0)).unwrap(),
        )
        .unwrap();
        // slow(3) was pending when the guest went on (its answer came after slow(4) reached the
        // host); slow(4) may have had its answer before the guest looked.
        let r = rx.recv_timeout(Duration::from_secs(30)).unwrap().unwrap();
        assert!(matches!(r[..], [Val::U32(1 | 2)]), "{r:?}");
    }

    #[test]
    fn a_returned_future_is_refused_with_its_type_and_closed() {
        // start() makes a future and returns its readable end; the value faces cannot carry
        // it, so the call fails naming the type, and the host closes it: the guest's write to
        // it then reports DROPPED (1) rather than blocking.
        let engine = concurrent_engine();
        let component = Component::from_wat(
            &engine,
            r#"(component
                (core module $Memory (memory (export "mem") 1))
                (core instance $memory (instantiate $Memory))
                (core module $M
                  (import "" "mem" (memory 1))
                  (import "" "future.new" (func $new (result i64)))
                  (import "" "future.write" (func $write (param i32 i32) (result i32)))
                  (global $w (mut i32) (i32.const 0))
                  (func (export "start") (result i32)
                    (local $r i64)
                    (local.set $r (call $new))
                    (global.set $w (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32))))
                    (i32.wrap_i64 (local.get $r)))
                  (func (export "write") (result i32)
                    (i32.store8 (i32.const 0) (i32.const 42))
                    (call $write (global.get $w) (i32.const 0))))
                (type $FT (future u8))
                (canon future.new $FT (core func $new))
                (canon future.write $FT async (memory (core memory $memory "mem"))
                  (core func $write))
                (core instance $m (instantiate $M (with "" (instance
                  (export "mem" (memory $memory "mem"))
                  (export "future.new" (func $new))
                  (export "future.write" (func $write))))))
                (func (export "start") (result (future u8)) (canon lift (core func $m "start")))
                (func (export "write") (result u32) (canon lift (core func $m "write"))))"#,
        )
        .unwrap();
        let linker = Linker::new(&engine);
        let store = leak(Store::new(&engine, &StoreOptions::default()).unwrap());
        let instance = linker.instantiate(store, &component).unwrap();
        let (start, write) = store
            .enter(|s| {
                Ok((
                    s.instance_func(instance, &["start"])?,
                    s.instance_func(instance, &["write"])?,
                ))
            })
            .unwrap();
        let call = |f| {
            let (tx, rx) = mpsc::channel();
            spawn(
                store,
                f,
                &mut ValSource([].iter()),
                ValSink(Vec::new()),
                Cancel::new(),
                move |r, sink| tx.send(r.map(|()| sink.0)).unwrap(),
            )
            .unwrap();
            rx.recv_timeout(Duration::from_secs(30)).unwrap()
        };
        let message = call(start).unwrap_err().to_string();
        assert!(message.contains("future<u8>"), "{message}");
        assert!(message.contains("cannot cross"), "{message}");
        assert_eq!(call(write).unwrap(), [Val::U32(1)], "the future was closed");
    }

    #[test]
    fn an_async_func_host_function_needs_concurrency_support() {
        use crate::core::host::HostCall;
        use crate::core::types::{FuncType, ValType};
        let engine = one_worker();
        let linker = Linker::new(&engine);
        let ty = FuncType {
            params: vec![("v".into(), ValType::U32)],
            results: vec![ValType::U32],
            is_async: true,
        };
        let r = linker.define_func(&[], "slow", ty, Arc::new(|_: HostCall<'_>| Ok(())));
        match r {
            Err(Error::InvalidArgument(m)) => assert!(m.contains("concurrency support"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_synchronous_host_function_serves_an_async_func_import_at_once() {
        use crate::core::host::HostCall;
        use crate::core::types::{FuncType, ValType};
        let engine = concurrent_engine();
        let component = Component::from_wat(&engine, &fixture("concurrent-host")).unwrap();
        let linker = Linker::new(&engine);
        let ty = FuncType {
            params: vec![("v".into(), ValType::U32)],
            results: vec![ValType::U32],
            is_async: true,
        };
        linker
            .define_func(
                &[],
                "slow",
                ty,
                Arc::new(|c: HostCall<'_>| {
                    let Val::U32(v) = c.params[0] else {
                        panic!("{:?}", c.params)
                    };
                    c.results[0] = Val::U32(v * 10);
                    Ok(())
                }),
            )
            .unwrap();
        let store = leak(Store::new(&engine, &StoreOptions::default()).unwrap());
        let instance = linker.instantiate(store, &component).unwrap();
        let (run, starts) = store
            .enter(|s| {
                Ok((
                    s.instance_func(instance, &["run"])?,
                    s.instance_func(instance, &["starts"])?,
                ))
            })
            .unwrap();
        for (f, args, expected) in [
            (run, vec![Val::U32(1), Val::U32(2)], 30),
            (starts, vec![], 0),
        ] {
            let (tx, rx) = mpsc::channel();
            spawn(
                store,
                f,
                &mut ValSource(args.iter()),
                ValSink(Vec::new()),
                Cancel::new(),
                move |r, sink| tx.send(r.map(|()| sink.0)).unwrap(),
            )
            .unwrap();
            let r = rx.recv_timeout(Duration::from_secs(30)).unwrap();
            assert_eq!(r.unwrap(), [Val::U32(expected)]);
        }
    }
}
