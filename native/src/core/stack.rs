//! Stack: a guest never runs into the end of the calling thread's stack.
//!
//! wasmtime limits a guest to `max_wasm_stack` bytes below the stack pointer at which it enters
//! wasm, and traps with a stack overflow past that; it does not know where the calling thread's
//! stack ends. A thread with less free stack than the limit (a small thread, `-Xss256k`, deep
//! Java frames) would let a recursing guest run into the guard page and kill the process. So
//! every entry into wasm ([`super::store::Store::enter`]) goes through [`with_stack`]:
//!
//! - when the current stack has room for the guest's limit plus [`HOST_RESERVE`], the call runs
//!   where it is (the common case costs two comparisons);
//! - otherwise it runs on a stack of known size that the thread keeps for that (allocated once,
//!   with a guard page, reused by later calls), so the guest gets its whole limit and traps with
//!   a stack overflow at the end of it.
//!
//! Host code that the guest calls (host functions, resource destructors, host-implemented WASI
//! streams) goes through [`on_caller_stack`]: on a switched call it runs back on the thread's own
//! stack, below the frames of the caller that switched, because a JVM (or any runtime that checks
//! its own stack bounds) must only be entered on the thread's real stack. When too little of it
//! is left the host code is not run and the guest gets an error (a trap) instead of a crash.
//!
//! The bounds of a thread's stack are read once per thread (`pthread_getattr_np` on Linux,
//! `pthread_get_stack*_np` on macOS). Where they cannot be read, calls run where they are, as
//! wasmtime alone would run them; so on Windows, which this does not cover yet.

use std::cell::{Cell, RefCell};

/// Stack the host side of a call may use below the guest's frames: wasmtime's entry and exit
/// trampolines, lowering and lifting values (nested at most 100 deep), and an adapter's codec.
pub const HOST_RESERVE: usize = 256 * 1024;

/// Never used at the low end of a thread's stack: the JVM's guard zones (yellow, red, reserved)
/// and the C library's guard page live there.
const FLOOR: usize = 64 * 1024;

/// The least room host code gets back on the caller's stack; with less, it is not run.
pub const MIN_HOST_STACK: usize = 48 * 1024;

/// Left untouched below the caller's stack pointer when host code runs back on its stack.
const GAP: usize = 4 * 1024;

/// Spare switched stacks a thread keeps for later calls.
const SPARES: usize = 2;

/// A stack region: `[low, high)`, where `low` already leaves [`FLOOR`] unused.
#[derive(Clone, Copy, Debug)]
struct Region {
    low: usize,
    high: usize,
}

impl Region {
    fn contains(&self, sp: usize) -> bool {
        sp > self.low && sp <= self.high
    }
}

/// One level of stack switching on this thread.
#[derive(Clone, Copy, Debug)]
enum Level {
    /// A call switched onto a thread-kept stack; `caller` is the region it left, cut at the
    /// stack pointer it left it at.
    Switched { stack: Region, caller: Region },
    /// Host code running back on a caller's stack, in this region.
    Returned(Region),
    /// A future that may resume wasmtime fibers is being polled on a thread-kept stack
    /// ([`OffStack`]); `caller` is the region it left, cut where it left it. Host code the guest
    /// calls then runs on a fiber, a stack this module does not know, and goes back to `caller`.
    Polling { stack: Region, caller: Region },
}

#[derive(Default)]
struct Thread {
    levels: Vec<Level>,
    spare: Vec<Mapping>,
}

thread_local! {
    /// The thread's own stack, once read (`Some(None)`: it cannot be read here).
    static BOUNDS: Cell<Option<Option<Region>>> = const { Cell::new(None) };
    static THREAD: RefCell<Thread> = RefCell::new(Thread::default());
    /// [`current_region`], kept up to date when levels change (`[0, 0)`: not read yet), so that
    /// the common case of [`with_stack`] is one thread-local read and two comparisons.
    static ROOM: Cell<Region> = const { Cell::new(Region { low: 0, high: 0 }) };
}

/// Pushes or pops a level and refreshes [`ROOM`].
fn change_levels(f: impl FnOnce(&mut Vec<Level>)) {
    THREAD.with(|t| f(&mut t.borrow_mut().levels));
    ROOM.set(current_region().unwrap_or(Region { low: 0, high: 0 }));
}

fn stack_pointer() -> usize {
    psm::stack_pointer() as usize
}

fn thread_bounds() -> Option<Region> {
    BOUNDS.with(|b| match b.get() {
        Some(known) => known,
        None => {
            let read = os::thread_stack().map(|(low, high)| Region {
                low: low + FLOOR.max(8 * os::page_size()),
                high,
            });
            b.set(Some(read));
            read
        }
    })
}

/// The region the stack pointer is in now.
fn current_region() -> Option<Region> {
    let level = THREAD.with(|t| t.borrow().levels.last().copied());
    match level {
        Some(Level::Switched { stack, .. }) => Some(stack),
        Some(Level::Polling { stack, .. }) => Some(stack),
        Some(Level::Returned(region)) => Some(region),
        None => thread_bounds(),
    }
}

/// Whether the stack pointer is on the thread's own stack (false where its bounds are unknown).
#[cfg(test)]
pub(crate) fn on_own_stack() -> bool {
    thread_bounds().is_some_and(|r| r.contains(stack_pointer()))
}

/// Free stack below the stack pointer (`None`: unknown).
pub fn free_stack() -> Option<usize> {
    let sp = stack_pointer();
    current_region()
        .filter(|r| r.contains(sp))
        .map(|r| sp - r.low)
}

/// Runs `f`, which may run wasm whose stack limit is `wasm_stack` bytes, with at least
/// `wasm_stack + HOST_RESERVE` bytes of stack: on the current stack when it has them, else on a
/// stack the thread keeps for that.
pub fn with_stack<R>(wasm_stack: usize, f: impl FnOnce() -> R) -> R {
    let needed = wasm_stack.saturating_add(HOST_RESERVE);
    let sp = stack_pointer();
    let room = ROOM.get();
    if room.contains(sp) && sp - room.low >= needed {
        return f();
    }
    let region = match current_region() {
        Some(r) if r.contains(sp) => r,
        // Bounds unknown: wasmtime's own limit is all there is.
        _ => return f(),
    };
    ROOM.set(region);
    if sp - region.low >= needed {
        return f();
    }
    let mapping = match take_spare(needed) {
        Some(m) => m,
        None => match Mapping::new(needed) {
            Some(m) => m,
            // Out of address space: better to run and maybe trap than to refuse every call.
            None => return f(),
        },
    };
    let stack = mapping.region();
    let caller = Region {
        low: region.low,
        high: sp,
    };
    change_levels(|levels| levels.push(Level::Switched { stack, caller }));
    // Safety: the mapping is ours for the duration of the call, writable, aligned to a page at
    // both ends and guarded below; nothing else runs on it.
    let outcome = unsafe { run_on(mapping.base(), mapping.size(), f) };
    change_levels(|levels| {
        levels.pop();
    });
    THREAD.with(|t| {
        let mut t = t.borrow_mut();
        if t.spare.len() < SPARES {
            t.spare.push(mapping);
        }
    });
    match outcome {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Runs `f` on the stack `[base, base + size)`; a panic comes back as `Err`, to be resumed
/// after the levels are restored (unwinding must not cross the switch).
///
/// # Safety
/// The region must be writable, aligned to 16 bytes at both ends, and used by nothing else
/// until `f` returns.
#[cfg(unix)]
unsafe fn run_on<R>(base: *mut u8, size: usize, f: impl FnOnce() -> R) -> std::thread::Result<R> {
    unsafe {
        psm::on_stack(base, size, || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        })
    }
}

/// Where stacks are not switched (no [`os::map_stack`] outside Unix, so [`with_stack`] never gets
/// here, and psm has no stack switching for every Windows toolchain), `f` runs where it is.
#[cfg(not(unix))]
unsafe fn run_on<R>(_base: *mut u8, _size: usize, f: impl FnOnce() -> R) -> std::thread::Result<R> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
}

fn take_spare(needed: usize) -> Option<Mapping> {
    THREAD.with(|t| {
        let mut t = t.borrow_mut();
        let i = t.spare.iter().position(|m| m.size() >= needed)?;
        Some(t.spare.swap_remove(i))
    })
}

/// Not enough of the caller's stack is left to run host code there.
#[derive(Debug, Clone, Copy)]
pub struct StackExhausted {
    /// Bytes left on the caller's stack.
    pub left: usize,
}

impl std::fmt::Display for StackExhausted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the calling thread has {} KiB of stack left, and host code needs at least {} KiB; \
             call into wasm from a thread with a larger stack",
            self.left / 1024,
            MIN_HOST_STACK / 1024
        )
    }
}

/// Runs host code `f` (which may enter the JVM or C code) on the thread's own stack: when the
/// current call switched stacks, back on the caller's stack below where it switched; otherwise
/// where it is. Fails without running `f` when too little of the caller's stack is left.
pub fn on_caller_stack<R>(f: impl FnOnce() -> R) -> Result<R, StackExhausted> {
    let level = THREAD.with(|t| t.borrow().levels.last().copied());
    let caller = match level {
        Some(Level::Switched { stack, caller }) if stack.contains(stack_pointer()) => caller,
        // On the polling stack or on a fiber: neither is the thread's own.
        Some(Level::Polling { caller, .. }) => caller,
        // On the thread's own stack (or host code already returned to it).
        _ => return Ok(f()),
    };
    let high = (caller.high.saturating_sub(GAP)) & !15;
    let low = (caller.low + 15) & !15;
    if high <= low || high - low < MIN_HOST_STACK {
        return Err(StackExhausted {
            left: high.saturating_sub(low),
        });
    }
    let region = Region { low, high };
    change_levels(|levels| levels.push(Level::Returned(region)));
    // Safety: `[low, high)` is the caller's own stack below the frames it was running when it
    // switched away; those frames are suspended until this call returns, and the region ends
    // above the thread's guard zones.
    let outcome = unsafe { run_on(low as *mut u8, high - low, f) };
    change_levels(|levels| {
        levels.pop();
    });
    match outcome {
        Ok(r) => Ok(r),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The stack a poll of an [`OffStack`] future gets: wasmtime's fiber switch and the frames of
/// the executor's poll above it, never wasm (which runs on the fiber's own stack).
const POLL_STACK: usize = 128 * 1024;

/// A future that runs wasm asynchronously (wasmtime's `call_async`, `instantiate_async`), polled
/// so that host code the guest calls runs on the thread's own stack.
///
/// In an async call wasmtime runs the guest, and every host function it calls, on a fiber: a
/// stack of wasmtime's own, which a JVM must never be entered on. Recording the stack pointer of
/// the poll is not enough to send host code back below it, because the frames of the poll down
/// to the fiber switch are below it and still live. So each poll runs on a stack this thread
/// keeps (as [`with_stack`] does), leaving the thread's own stack free below the point where the
/// poll switched away, and [`on_caller_stack`] runs host code there, as it does for calls that
/// switched stacks. Where the thread's bounds cannot be read, polls run where they are.
pub struct OffStack<F> {
    inner: std::pin::Pin<Box<F>>,
}

impl<F: std::future::Future> OffStack<F> {
    /// Wraps `future`.
    pub fn new(future: F) -> OffStack<F> {
        OffStack {
            inner: Box::pin(future),
        }
    }
}

impl<F: std::future::Future> std::future::Future for OffStack<F> {
    type Output = F::Output;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let inner = &mut self.inner;
        poll_off_stack(|| inner.as_mut().poll(cx))
    }
}

/// Runs `poll` on a stack the thread keeps, under a [`Level::Polling`].
fn poll_off_stack<R>(poll: impl FnOnce() -> R) -> R {
    let sp = stack_pointer();
    // Already off the thread's stack (inside a switched call, or an outer poll): poll here, and
    // send host code where that level sends it.
    let level = THREAD.with(|t| t.borrow().levels.last().copied());
    if let Some(Level::Switched { stack, caller } | Level::Polling { stack, caller }) = level {
        if stack.contains(sp) {
            change_levels(|levels| levels.push(Level::Polling { stack, caller }));
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(poll));
            change_levels(|levels| {
                levels.pop();
            });
            return match outcome {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            };
        }
    }
    let region = match current_region() {
        Some(r) if r.contains(sp) => r,
        _ => return poll(),
    };
    let mapping = match take_spare(POLL_STACK).or_else(|| Mapping::new(POLL_STACK)) {
        Some(m) => m,
        None => return poll(),
    };
    let stack = mapping.region();
    let caller = Region {
        low: region.low,
        high: sp,
    };
    change_levels(|levels| levels.push(Level::Polling { stack, caller }));
    // Safety: as in `with_stack`: the mapping is ours until the poll returns, writable, aligned
    // and guarded. A pending poll leaves nothing on it: the fiber keeps its own stack.
    let outcome = unsafe { run_on(mapping.base(), mapping.size(), poll) };
    change_levels(|levels| {
        levels.pop();
    });
    THREAD.with(|t| {
        let mut t = t.borrow_mut();
        if t.spare.len() < SPARES {
            t.spare.push(mapping);
        }
    });
    match outcome {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// A stack of our own: anonymous memory, committed as it is touched, with a guard page below.
struct Mapping {
    start: usize,
    len: usize,
    guard: usize,
}

impl Mapping {
    fn new(size: usize) -> Option<Mapping> {
        let page = os::page_size();
        let usable = size.div_ceil(page) * page;
        let (start, len) = os::map_stack(usable + page)?;
        Some(Mapping {
            start,
            len,
            guard: page,
        })
    }

    fn base(&self) -> *mut u8 {
        (self.start + self.guard) as *mut u8
    }

    fn size(&self) -> usize {
        self.len - self.guard
    }

    fn region(&self) -> Region {
        Region {
            low: self.start + self.guard,
            high: self.start + self.len,
        }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        os::unmap(self.start, self.len);
    }
}

#[cfg(unix)]
mod os {
    pub fn page_size() -> usize {
        // Safety: sysconf has no preconditions.
        let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if p > 0 {
            p as usize
        } else {
            4096
        }
    }

    /// `(low, high)` of the calling thread's stack.
    #[cfg(target_os = "linux")]
    pub fn thread_stack() -> Option<(usize, usize)> {
        // Safety: the attribute object is initialised by pthread_getattr_np and destroyed once.
        unsafe {
            let mut attr: libc::pthread_attr_t = std::mem::zeroed();
            if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
                return None;
            }
            let mut addr: *mut libc::c_void = std::ptr::null_mut();
            let mut size: libc::size_t = 0;
            let rc = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
            libc::pthread_attr_destroy(&mut attr);
            (rc == 0 && !addr.is_null() && size > 0).then(|| (addr as usize, addr as usize + size))
        }
    }

    /// `(low, high)` of the calling thread's stack.
    #[cfg(target_os = "macos")]
    pub fn thread_stack() -> Option<(usize, usize)> {
        // Safety: both functions only read the calling thread's attributes.
        unsafe {
            let this = libc::pthread_self();
            let high = libc::pthread_get_stackaddr_np(this) as usize;
            let size = libc::pthread_get_stacksize_np(this);
            (high > size && size > 0).then(|| (high - size, high))
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    pub fn thread_stack() -> Option<(usize, usize)> {
        None
    }

    /// Maps `len` bytes for a stack with its lowest page inaccessible.
    pub fn map_stack(len: usize) -> Option<(usize, usize)> {
        // Safety: a fresh anonymous mapping, owned by the caller until `unmap`.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANON | map_norestrict(),
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                return None;
            }
            if libc::mprotect(p, page_size(), libc::PROT_NONE) != 0 {
                libc::munmap(p, len);
                return None;
            }
            Some((p as usize, len))
        }
    }

    #[cfg(target_os = "linux")]
    fn map_norestrict() -> libc::c_int {
        libc::MAP_NORESERVE | libc::MAP_STACK
    }

    #[cfg(not(target_os = "linux"))]
    fn map_norestrict() -> libc::c_int {
        0
    }

    pub fn unmap(start: usize, len: usize) {
        // Safety: `start..start + len` is a mapping from `map_stack`, no longer in use.
        unsafe {
            libc::munmap(start as *mut libc::c_void, len);
        }
    }
}

#[cfg(not(unix))]
mod os {
    pub fn page_size() -> usize {
        4096
    }
    pub fn thread_stack() -> Option<(usize, usize)> {
        None
    }
    pub fn map_stack(_len: usize) -> Option<(usize, usize)> {
        None
    }
    pub fn unmap(_start: usize, _len: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recurses until the stack has at most `left` bytes free, then runs `f` there.
    fn at_depth(left: usize, f: &mut dyn FnMut()) {
        let pad = [0u8; 1024];
        std::hint::black_box(&pad);
        match free_stack() {
            Some(free) if free > left => at_depth(left, f),
            _ => f(),
        }
    }

    #[test]
    fn a_call_without_room_runs_on_a_stack_of_its_own() {
        let t = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let before = free_stack().expect("bounds are known on this platform");
                assert!(before < 256 * 1024);
                // Too little for a 512 KiB guest: switched, with the whole limit available.
                let inside = with_stack(512 * 1024, || free_stack().unwrap());
                assert!(inside >= 512 * 1024 + HOST_RESERVE - 4096, "{inside}");
                // Host code goes back to the caller's stack, with what it had left.
                let back = with_stack(512 * 1024, || {
                    on_caller_stack(|| free_stack().unwrap()).unwrap()
                });
                assert!(
                    back < before && back + 64 * 1024 > before,
                    "{back} vs {before}"
                );
            })
            .unwrap();
        t.join().unwrap();
        // A call with room stays where it is.
        let t = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(|| {
                let before = free_stack().unwrap();
                let inside = with_stack(512 * 1024, || free_stack().unwrap());
                assert!(
                    inside <= before && inside + 16 * 1024 > before,
                    "{inside} vs {before}"
                );
            })
            .unwrap();
        t.join().unwrap();
    }

    #[test]
    fn host_code_with_too_little_caller_stack_is_refused() {
        let t = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(|| {
                fn deep() -> Result<(), StackExhausted> {
                    with_stack(512 * 1024, || on_caller_stack(|| ()))
                }
                let mut result = Ok(());
                at_depth(MIN_HOST_STACK / 2, &mut || result = deep());
                assert!(result.is_err(), "host code ran with too little stack");
                // Panics cross both switches and reach the caller.
                let caught = std::panic::catch_unwind(|| {
                    with_stack(512 * 1024, || {
                        let _ = on_caller_stack(|| panic!("boom"));
                    })
                });
                assert!(caught.is_err());
                // And the thread's state is consistent afterwards.
                assert!(with_stack(512 * 1024, || on_caller_stack(|| 7)).unwrap() == 7);
            })
            .unwrap();
        t.join().unwrap();
    }

    #[test]
    fn nested_switches_each_get_their_own_stack() {
        let t = std::thread::Builder::new()
            .stack_size(192 * 1024)
            .spawn(|| {
                let depth = with_stack(512 * 1024, || {
                    on_caller_stack(|| {
                        with_stack(512 * 1024, || {
                            assert!(free_stack().unwrap() >= 512 * 1024);
                            THREAD.with(|t| t.borrow().levels.len())
                        })
                    })
                    .unwrap()
                });
                assert_eq!(depth, 3);
                assert_eq!(THREAD.with(|t| t.borrow().levels.len()), 0);
            })
            .unwrap();
        t.join().unwrap();
    }

    #[test]
    fn a_recursing_guest_traps_on_every_thread_size() {
        use crate::core::testing::fixture;
        use crate::core::{Component, Engine, EngineConfig, Error, Linker, Store, StoreOptions};
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let traps = Component::from_wat(&engine, &fixture("traps")).unwrap();
        let linker = std::sync::Arc::new(Linker::new(&engine));
        for size in [64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20, 8 << 20] {
            let (engine, traps, linker) = (engine.clone(), traps.clone(), linker.clone());
            let t = std::thread::Builder::new()
                .stack_size(size)
                .spawn(move || {
                    let store = Store::new(&engine, &StoreOptions::default()).unwrap();
                    let id = linker.instantiate(&store, &traps).unwrap();
                    store.enter(|s| {
                        let f = s.instance_func(id, &["recurse"])?;
                        match s.call_scalar(f, &[0]) {
                            Err(Error::Trap(info)) => {
                                assert_eq!(info.code, Some(wasmtime::Trap::StackOverflow))
                            }
                            other => panic!("{size}: expected a stack overflow, got {other:?}"),
                        }
                        Ok(())
                    })
                })
                .unwrap();
            t.join().unwrap().unwrap();
        }
    }
}
