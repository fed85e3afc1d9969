//! The engine's executor for asynchronous calls: a fixed pool of worker threads that poll call
//! futures, so that thousands of calls waiting on host futures hold no thread between polls.
//!
//! Not a tokio runtime, on purpose. wasmtime-wasi's synchronous host functions (the WASI every
//! store links) run their work with `in_tokio`, which calls `Handle::block_on` and panics on a
//! thread that is running inside a tokio runtime, as a tokio worker always is. The workers here
//! instead only *enter* a tokio runtime's context (wasmtime-wasi's own), which is what both the
//! synchronous WASI functions and tokio-based futures (timers, sockets, `spawn_blocking`) need,
//! while the polling itself is ours. Wasm still runs on wasmtime's fibers; futures polled here
//! are wrapped in [`super::stack::OffStack`] by the call that made them.
//!
//! The workers are made by the process's [`ThreadFactory`]: plain threads by default; the JNI
//! face installs one that makes Java threads (daemons that run the worker loop inside a native
//! method), so that host code on a worker is inside the JVM as on any Java thread.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::task::{Context, Poll, Wake, Waker};

use super::error::{Error, Result};

/// Starts a thread named `name` with `stack` bytes of stack that runs `work`.
pub type ThreadFactory =
    fn(name: String, stack: usize, work: Box<dyn FnOnce() + Send>) -> std::io::Result<()>;

static FACTORY: OnceLock<ThreadFactory> = OnceLock::new();

/// Installs the thread factory of the process (the first call wins; engines whose workers
/// started already keep theirs).
pub fn set_thread_factory(factory: ThreadFactory) {
    let _ = FACTORY.set(factory);
}

fn plain_thread(name: String, stack: usize, work: Box<dyn FnOnce() + Send>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(name)
        .stack_size(stack)
        .spawn(work)
        .map(|_| ())
}

/// The stack of each worker: host functions of async calls run on it (see
/// [`super::stack::on_caller_stack`]), Java host functions among them.
const WORKER_STACK: usize = 4 * 1024 * 1024;

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

struct Queue {
    tasks: Mutex<VecDeque<Arc<Task>>>,
    ready: Condvar,
    closed: AtomicBool,
}

struct Task {
    future: Mutex<Option<BoxFuture>>,
    /// Whether the task is in the queue (a wake while it is there adds nothing).
    queued: AtomicBool,
    queue: Weak<Queue>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref()
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Some(queue) = self.queue.upgrade() {
            queue.push(self.clone());
        }
    }
}

impl Queue {
    fn push(&self, task: Arc<Task>) {
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_back(task);
        self.ready.notify_one();
    }

    /// The next task to poll, or `None` once the executor is gone.
    fn pop(&self) -> Option<Arc<Task>> {
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if self.closed.load(Ordering::Acquire) {
                return None;
            }
            if let Some(task) = tasks.pop_front() {
                return Some(task);
            }
            tasks = self.ready.wait(tasks).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// A pool of worker threads polling spawned futures.
pub struct Executor {
    queue: Arc<Queue>,
    threads: usize,
}

impl Executor {
    /// Starts `threads` workers (at least one).
    pub fn new(threads: usize) -> Result<Executor> {
        let threads = threads.max(1);
        let queue = Arc::new(Queue {
            tasks: Mutex::new(VecDeque::new()),
            ready: Condvar::new(),
            closed: AtomicBool::new(false),
        });
        // The tokio context the workers enter (see the module documentation).
        let tokio =
            wasmtime_wasi::runtime::with_ambient_tokio_runtime(tokio::runtime::Handle::current);
        let factory = FACTORY.get().copied().unwrap_or(plain_thread);
        for i in 0..threads {
            let worker_queue = queue.clone();
            let tokio = tokio.clone();
            factory(
                format!("wasmtime-jvm-async-{i}"),
                WORKER_STACK,
                Box::new(move || work(&worker_queue, &tokio)),
            )
            .map_err(|e| {
                queue.closed.store(true, Ordering::Release);
                queue.ready.notify_all();
                Error::Runtime(format!("cannot start an async worker thread: {e}"))
            })?;
        }
        Ok(Executor { queue, threads })
    }

    /// How many workers poll futures.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `future` to completion on the workers.
    pub fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(future))),
            queued: AtomicBool::new(true),
            queue: Arc::downgrade(&self.queue),
        });
        self.queue.push(task);
    }
}

impl Drop for Executor {
    /// Stops the workers without waiting for them (this may run on one of them). Futures still
    /// pending are dropped with the last waker that refers to them.
    fn drop(&mut self) {
        self.queue.closed.store(true, Ordering::Release);
        self.queue.ready.notify_all();
        self.queue
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// Runs `future` to its end on the calling thread, parked while it is pending, inside the tokio
/// context the workers enter. For what must finish before the caller goes on (instantiating a
/// component whose imports are asynchronous host functions); the future should be wrapped in
/// [`super::stack::OffStack`] when it runs wasm.
pub fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let tokio = wasmtime_wasi::runtime::with_ambient_tokio_runtime(tokio::runtime::Handle::current);
    let _context = tokio.enter();
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

fn work(queue: &Queue, tokio: &tokio::runtime::Handle) {
    {
        let _context = tokio.enter();
        while let Some(task) = queue.pop() {
            task.queued.store(false, Ordering::Release);
            let waker = Waker::from(task.clone());
            let mut slot = task.future.lock().unwrap_or_else(|p| p.into_inner());
            let Some(future) = slot.as_mut() else {
                continue;
            };
            let mut cx = Context::from_waker(&waker);
            // A future that panics is finished: dropped, never polled again. (The futures spawned
            // by the adapters catch their own panics and report them; this is the last guard.)
            let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                future.as_mut().poll(&mut cx)
            }));
            if !matches!(polled, Ok(Poll::Pending)) {
                let finished = slot.take();
                drop(slot);
                drop(finished);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn spawned_futures_run_and_wake_across_threads() {
        let executor = Executor::new(2).unwrap();
        let (done_tx, done_rx) = mpsc::channel();
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        executor.spawn(async move {
            let v = rx.await.unwrap();
            done_tx.send(v + 1).unwrap();
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        tx.send(41).unwrap();
        assert_eq!(
            done_rx
                .recv_timeout(std::time::Duration::from_secs(10))
                .unwrap(),
            42
        );
    }

    #[test]
    fn workers_can_run_wasis_synchronous_bridge() {
        // `in_tokio` is what every synchronous WASI function does; on a tokio worker it panics.
        let executor = Executor::new(1).unwrap();
        let (tx, rx) = mpsc::channel();
        executor.spawn(async move {
            let v = wasmtime_wasi::runtime::in_tokio(async { 7 });
            tx.send(v).unwrap();
        });
        assert_eq!(
            rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap(),
            7
        );
    }

    #[test]
    fn a_panicking_future_does_not_stop_the_workers() {
        let executor = Executor::new(1).unwrap();
        executor.spawn(async { panic!("boom") });
        let (tx, rx) = mpsc::channel();
        executor.spawn(async move { tx.send(()).unwrap() });
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
    }
}
