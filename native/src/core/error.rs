//! The one error type of the core.
//!
//! Every fallible core operation returns [`Error`]. The adapters (JNI, C) map each variant to
//! their own error representation in exactly one place (`jni/exceptions.rs`, `capi/error.rs`),
//! so a variant here is a promise that a caller can tell this failure apart from the others.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use wasmtime::component::ResourceTableError;
use wasmtime::{Trap, WasmBacktrace};

/// Result alias used throughout the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core, one variant per failure a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bytes are not a valid component or module (malformed or failing validation).
    #[error("{message}")]
    Compile { message: String },

    /// An import is missing or has the wrong type, or the linker could not define something.
    #[error("{message}")]
    Link { message: String },

    /// WebAssembly trapped (including running out of fuel and epoch interruption).
    #[error("{}", .0.message)]
    Trap(TrapInfo),

    /// A caller passed an argument that does not fit (wrong count, wrong type, out of range).
    #[error("{0}")]
    InvalidArgument(String),

    /// A host access to a memory or table fell outside its current bounds.
    #[error("{0}")]
    OutOfBounds(String),

    /// An export that does not exist was requested.
    #[error("{}", unknown_export_message(.name, .available))]
    UnknownExport {
        name: String,
        available: Vec<String>,
    },

    /// A handle was used after it was closed (or a child after its parent was closed).
    #[error("{0} is closed")]
    Closed(&'static str),

    /// A store was entered while already in use (from another thread, or re-entered from a
    /// host function on the same thread).
    #[error("{0}")]
    StoreBusy(String),

    /// Two objects from different engines (or stores) were mixed.
    #[error("{0}")]
    Mismatch(String),

    /// A resource handle was used after it was dropped or transferred.
    #[error("{0}")]
    Resource(String),

    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),

    /// A guest ran past the store's time limit (epoch interruption).
    #[error("the guest ran past its time limit of {0:?} and was interrupted")]
    Timeout(std::time::Duration),

    /// A synchronous call of a store that can only be called asynchronously: it instantiated a
    /// component importing asynchronous host functions.
    #[error(
        "this Store holds an instance whose imports include asynchronous host functions, so \
         wasmtime runs its calls only asynchronously: call it with callAsync"
    )]
    NeedsAsync,

    /// An asynchronous call was cancelled before it ended; the guest was stopped.
    #[error("the call was cancelled")]
    Cancelled,

    /// A WASI program called `exit` with this code.
    #[error("program exited with code {0}")]
    Exit(i32),

    /// A host function failed; the payload belongs to the adapter that defined the function
    /// (the JNI adapter stores the Java exception there) and comes back to it unchanged.
    #[error("{message}")]
    Host {
        message: String,
        payload: Option<HostPayload>,
    },

    /// WIT text or a WIT package failed to parse or resolve; `file`, `line` and `column` (1-based)
    /// locate the error when wit-parser reported a place.
    #[error("{message}")]
    Wit {
        message: String,
        file: Option<String>,
        line: u32,
        column: u32,
    },

    /// Building or composing a component failed (embedding WIT, encoding a component from a
    /// core module, plugging or wiring components together); the message names what is wrong.
    #[error("{0}")]
    Compose(String),

    /// A `wasi:http` handler gave no usable response (none set, an `error-code`, a body past
    /// its limit or that failed).
    #[error("{0}")]
    Http(String),

    /// Anything else wasmtime reported, with its full cause chain.
    #[error("{0}")]
    Runtime(String),
}

fn unknown_export_message(name: &str, available: &[String]) -> String {
    if available.is_empty() {
        format!("no export named `{name}`: this item has no exports")
    } else {
        format!(
            "no export named `{name}`; the exports are: {}",
            available.join(", ")
        )
    }
}

/// The numbers trap codes cross the faces as: the one table behind the C `wjvm_trap_code_t` and
/// Java's `TrapCode` (whose constants are in this order), each checked against it by a test.
pub const TRAP_CODES: &[(Trap, u32)] = &[
    (Trap::StackOverflow, 0),
    (Trap::MemoryOutOfBounds, 1),
    (Trap::HeapMisaligned, 2),
    (Trap::TableOutOfBounds, 3),
    (Trap::IndirectCallToNull, 4),
    (Trap::BadSignature, 5),
    (Trap::IntegerOverflow, 6),
    (Trap::IntegerDivisionByZero, 7),
    (Trap::BadConversionToInteger, 8),
    (Trap::UnreachableCodeReached, 9),
    (Trap::Interrupt, 10),
    (Trap::OutOfFuel, 11),
    (Trap::AtomicWaitNonSharedMemory, 12),
    (Trap::NullReference, 13),
    (Trap::ArrayOutOfBounds, 14),
    (Trap::AllocationTooLarge, 15),
    (Trap::CastFailure, 16),
    (Trap::CannotEnterComponent, 17),
    (Trap::NoAsyncResult, 18),
    (Trap::CannotLeaveComponent, 19),
    (Trap::InvalidChar, 20),
    (Trap::StringOutOfBounds, 21),
    (Trap::ListOutOfBounds, 22),
    (Trap::InvalidDiscriminant, 23),
    (Trap::UnalignedPointer, 24),
];

/// The number of a failure of a host function (Java's `TrapCode.HOST`).
pub const TRAP_HOST: u32 = 254;

/// The number of a trap without a known code.
pub const TRAP_UNKNOWN: u32 = 255;

/// The number `code` crosses the faces as (see [`TRAP_CODES`]).
pub fn trap_number(code: Option<Trap>) -> u32 {
    TRAP_CODES
        .iter()
        .find(|(t, _)| Some(*t) == code)
        .map_or(TRAP_UNKNOWN, |(_, n)| *n)
}

/// A trap: its code (the wasmtime `Trap` variant name, such as `UnreachableCodeReached`), a
/// readable message and the wasm frames at the point of the trap, innermost first.
#[derive(Debug, Clone)]
pub struct TrapInfo {
    pub code: Option<Trap>,
    pub message: String,
    pub frames: Vec<Frame>,
}

impl TrapInfo {
    /// The backtrace as text, one frame a line, innermost first.
    pub fn backtrace_text(&self) -> String {
        let mut s = String::new();
        for (i, f) in self.frames.iter().enumerate() {
            s.push_str(&format!("{i:>4}: {f}\n"));
        }
        s
    }
}

/// One wasm frame of a trap backtrace.
#[derive(Debug, Clone)]
pub struct Frame {
    pub module: Option<String>,
    pub func_index: u32,
    pub func_name: Option<String>,
    pub module_offset: Option<usize>,
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(offset) = self.module_offset {
            write!(f, "{offset:#8x} - ")?;
        }
        if let Some(m) = &self.module {
            write!(f, "{m}!")?;
        }
        match &self.func_name {
            Some(name) => write!(f, "{name}"),
            None => write!(f, "<wasm function {}>", self.func_index),
        }
    }
}

/// An adapter's opaque payload carried through a host-function failure.
#[derive(Clone)]
pub struct HostPayload(pub Arc<dyn Any + Send + Sync>);

impl fmt::Debug for HostPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostPayload(..)")
    }
}

/// The error a host function returns to wasmtime; it travels through the guest's stack as a
/// trap and is recognised again by [`Error::from_call`].
#[derive(Debug)]
pub struct HostFailure {
    pub message: String,
    pub payload: Option<HostPayload>,
}

impl HostFailure {
    /// The wasmtime error a host function returns for `err`.
    pub fn into_wasmtime(err: Error) -> wasmtime::Error {
        match err {
            Error::Host { message, payload } => {
                wasmtime::Error::new(HostFailure { message, payload })
            }
            other => wasmtime::Error::new(HostFailure {
                message: format!("host function failed: {other}"),
                payload: None,
            }),
        }
    }
}

impl fmt::Display for HostFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HostFailure {}

/// The full cause chain of a wasmtime error on one line, without the backtrace context.
pub fn chain_message(err: &wasmtime::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string().trim().to_owned();
        if text.is_empty() || text.starts_with("error while executing at wasm backtrace") {
            continue;
        }
        if !parts.iter().any(|p| p == &text) {
            parts.push(text);
        }
    }
    if parts.is_empty() {
        err.to_string()
    } else {
        parts.join(": ")
    }
}

fn frames_of(err: &wasmtime::Error) -> Vec<Frame> {
    err.downcast_ref::<WasmBacktrace>()
        .map(|bt| {
            bt.frames()
                .iter()
                .map(|f| Frame {
                    module: f.module().name().map(str::to_owned),
                    func_index: f.func_index(),
                    func_name: f.func_name().map(str::to_owned),
                    module_offset: f.module_offset(),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Error {
    /// Classifies an error from compiling bytes.
    pub fn from_compile(err: wasmtime::Error) -> Error {
        Error::Compile {
            message: chain_message(&err),
        }
    }

    /// Classifies an error from linking or instantiating: a trap in a start function stays a
    /// trap, and so does any other failure raised while wasm was running (it carries a wasm
    /// backtrace, which linking never does: a start function breaking the canonical ABI, such
    /// as dropping an unknown resource handle); everything else is a link failure.
    pub fn from_link(err: wasmtime::Error) -> Error {
        if err.downcast_ref::<Trap>().is_some()
            || err.downcast_ref::<HostFailure>().is_some()
            || err.downcast_ref::<WasmBacktrace>().is_some()
        {
            return Error::from_func_call(err);
        }
        Error::Link {
            message: chain_message(&err),
        }
    }

    /// Classifies an error from calling an exported component function (`Func::call`).
    ///
    /// Besides traps proper, wasmtime reports the guest breaking the canonical ABI while values
    /// cross the boundary as plain errors without a trap code: an enum or variant discriminant
    /// out of range, a misaligned or out-of-bounds string, `realloc` returning memory outside the
    /// guest's memory, an unknown or wrongly typed resource handle, a resource dropped while
    /// borrowed. Arguments are type-checked before the call, so these are the guest's faults,
    /// which the component model defines as traps: they are reported as traps without a code
    /// (`TrapException` with `TrapCode.UNKNOWN` in Java), not as internal runtime failures.
    pub fn from_func_call(err: wasmtime::Error) -> Error {
        match Error::from_call_inner(&err) {
            Some(classified) => classified,
            None => Error::Trap(TrapInfo {
                code: None,
                message: chain_message(&err),
                frames: frames_of(&err),
            }),
        }
    }

    /// Classifies an error from calling into wasm.
    pub fn from_call(err: wasmtime::Error) -> Error {
        Error::from_call_inner(&err).unwrap_or_else(|| Error::Runtime(chain_message(&err)))
    }

    /// The classification shared by [`Error::from_call`] and [`Error::from_func_call`]; `None`
    /// for an error that is none of a host failure, an exit, a trap, a resource-table error or a
    /// call to a stubbed import.
    fn from_call_inner(err: &wasmtime::Error) -> Option<Error> {
        if let Some(host) = err.downcast_ref::<HostFailure>() {
            return Some(Error::Host {
                message: host.message.clone(),
                payload: host.payload.clone(),
            });
        }
        if let Some(exit) = err.downcast_ref::<wasmtime_wasi::I32Exit>() {
            return Some(Error::Exit(exit.0));
        }
        if let Some(trap) = err.downcast_ref::<Trap>() {
            let code = *trap;
            let message = match code {
                Trap::CannotEnterComponent => format!(
                    "{code}: a call into a component in this Store trapped (or failed) earlier, \
                     and wasmtime lets no component in that Store run again; create a new Store \
                     and instantiate again (cheaply, from an InstancePre)"
                ),
                Trap::OutOfFuel => format!("{code}: the store ran out of fuel"),
                Trap::Interrupt => {
                    format!("{code}: execution was interrupted (epoch deadline reached)")
                }
                _ => code.to_string(),
            };
            return Some(Error::Trap(TrapInfo {
                code: Some(code),
                message,
                frames: frames_of(err),
            }));
        }
        if let Some(e) = err.downcast_ref::<ResourceTableError>() {
            return Some(Error::Resource(e.to_string()));
        }
        if err.chain().any(|c| {
            c.to_string()
                .contains("requires that `*_async` functions are used")
        }) {
            return Some(Error::NeedsAsync);
        }
        if err.downcast_ref::<WasmBacktrace>().is_some() || is_unknown_import_stub(err) {
            // Raised while wasm was on the stack (by a host function such as the stubs of
            // `define_unknown_imports_as_traps`): it unwound the guest like a trap and, like a
            // trap, left the store unable to enter components again. It has no trap code.
            return Some(Error::Trap(TrapInfo {
                code: None,
                message: chain_message(err),
                frames: frames_of(err),
            }));
        }
        None
    }
}

/// Whether `err` is the failure of a function stubbed by wasmtime's
/// `Linker::define_unknown_imports_as_traps` ("unknown import: `name` has not been defined"),
/// which carries no backtrace when backtraces are off.
fn is_unknown_import_stub(err: &wasmtime::Error) -> bool {
    err.chain().any(|cause| {
        let text = cause.to_string();
        text.starts_with("unknown import: `") && text.ends_with("` has not been defined")
    })
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}
