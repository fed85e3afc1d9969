//! An audit trail of what a guest was refused (and, when asked, granted): every filesystem access
//! a preopen's sandbox refuses and every socket address the network policy denies, with the
//! path or address as the guest named it and the time.
//!
//! Nothing is recorded, and nothing costs more than a branch, when no listener is set.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

/// What an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditArea {
    Filesystem,
    Socket,
    /// An outgoing `wasi:http` request.
    Http,
}

/// One access a guest attempted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub time: SystemTime,
    pub granted: bool,
    pub area: AuditArea,
    /// The operation, in WASI's words (`open-at`, `unlink-file-at`, `tcp-connect`, ...).
    pub operation: &'static str,
    /// The guest-visible path (the preopen's guest path joined with the guest's path) or the
    /// socket address.
    pub target: String,
    /// Why it was refused (empty when granted).
    pub reason: String,
}

/// Receives audit events, on the thread running the guest; it must not call into the store.
pub trait AuditListener: Send + Sync {
    fn event(&self, event: &AuditEvent);
}

/// A listener and whether it wants granted accesses too.
#[derive(Clone)]
pub struct Audit {
    pub listener: Arc<dyn AuditListener>,
    pub granted: bool,
}

impl Audit {
    /// Reports a refusal.
    pub(crate) fn refused(
        &self,
        area: AuditArea,
        operation: &'static str,
        target: String,
        reason: &str,
    ) {
        self.deliver(AuditEvent {
            time: SystemTime::now(),
            granted: false,
            area,
            operation,
            target,
            reason: reason.to_owned(),
        });
    }

    /// Hands an event to the listener on the thread's own stack (see [`crate::core::stack`]).
    fn deliver(&self, event: AuditEvent) {
        let _ = crate::core::stack::on_caller_stack(|| self.listener.event(&event));
    }

    /// Reports a granted access, when the listener asked for them.
    pub(crate) fn granted(
        &self,
        area: AuditArea,
        operation: &'static str,
        target: impl FnOnce() -> String,
    ) {
        if self.granted {
            self.deliver(AuditEvent {
                time: SystemTime::now(),
                granted: true,
                area,
                operation,
                target: target(),
                reason: String::new(),
            });
        }
    }
}

/// What a store keeps for its audit trail: the listener and, while one is set, where every
/// wasmtime-wasi directory descriptor is (by table index), to name the paths it is asked for.
#[derive(Default)]
pub(crate) struct AuditTrail {
    pub(crate) listener: Option<Audit>,
    pub(crate) host_dirs: HashMap<u32, HostDir>,
}

/// Where a wasmtime-wasi directory descriptor is: its preopen's guest path, its path from the
/// preopen's root, and whether the preopen is read-only.
#[derive(Clone)]
pub(crate) struct HostDir {
    pub(crate) preopen: String,
    pub(crate) path: String,
    pub(crate) read_only: bool,
}

impl AuditTrail {
    pub(crate) fn new(audit: Option<Audit>) -> AuditTrail {
        AuditTrail {
            listener: audit,
            host_dirs: HashMap::new(),
        }
    }
}
