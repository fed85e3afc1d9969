//! WASI: a reusable configuration that builds a fresh context for each store (WASI 0.2 for
//! components, WASI preview 1 for core modules), the stdio, clock, random and network
//! capabilities it grants, and running a `wasi:cli/command`.
//!
//! Everything is granted explicitly: no argument, variable, directory, clock override or socket
//! reaches the guest unless the configuration names it. Streams the host implements (the JNI
//! face forwards them to Java streams) come in through [`OutputSink`] and [`InputSource`].
//!
//! - [`config`]: what a guest is granted, and building a context from it;
//! - [`adapters`]: host streams and clocks in the shapes wasmtime-wasi wants;
//! - [`command`]: running a `wasi:cli/command`;
//! - [`filesystem`]: `wasi:filesystem` over wasmtime-wasi's host directories and the host's own
//!   filesystems ([`host_fs`]);
//! - [`audit`]: what the sandbox refused (and granted), for a listener.

pub mod adapters;
pub mod audit;
pub mod command;
pub mod config;
pub mod filesystem;
pub mod host_fs;

pub use adapters::{ClockSpec, InputSource, OutputSink};
pub use audit::{Audit, AuditArea, AuditEvent, AuditListener};
pub use command::run_command;
pub use config::{Captured, Output, Preopen, SocketPolicy, SocketUse, Stdin, WasiConfig};
pub use host_fs::{
    FsFailure, FsKind, FsResult, FsStat, FsTime, HostFileSystem, HostFsPreopen, OpenHow, Opened,
    TimeChange,
};
