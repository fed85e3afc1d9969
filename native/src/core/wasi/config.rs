//! What a guest is granted: a reusable WASI configuration, and the fresh context it builds
//! for each store.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use wasmtime_wasi::cli::StdoutStream;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::p2::OutputStream;
use wasmtime_wasi::sockets::SocketAddrUse;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder};

use super::adapters::{ClockSpec, FakeClock, InputSource, OutputSink, SinkStdout, SourceStdin};
use super::audit::{Audit, AuditArea};
use super::host_fs::HostFsPreopen;
use crate::core::error::{Error, Result};

/// Standard input.
#[derive(Clone, Default)]
pub enum Stdin {
    /// No input (end of file at once).
    #[default]
    Empty,
    /// These bytes, then end of file.
    Bytes(Bytes),
    /// The host process's standard input.
    Inherit,
    /// A host-implemented source.
    Source(Arc<dyn InputSource>),
}

/// Standard output or error.
#[derive(Clone, Default)]
pub enum Output {
    /// Dropped.
    #[default]
    Discard,
    /// The host process's stream.
    Inherit,
    /// Kept in memory, up to this many bytes, for reading after the run.
    Capture(usize),
    /// Handed to a host sink as the guest writes.
    Sink(Arc<dyn OutputSink>),
}

/// What a socket address is to be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketUse {
    TcpBind,
    TcpListen,
    TcpAccept,
    TcpConnect,
    UdpBind,
    UdpSend,
    UdpReceive,
}

/// Decides whether the guest may use a socket address.
pub type SocketPolicy = Arc<dyn Fn(SocketAddr, SocketUse) -> bool + Send + Sync>;

/// A host directory the guest sees at `guest`.
#[derive(Clone, Debug)]
pub struct Preopen {
    pub host: PathBuf,
    pub guest: String,
    pub read_only: bool,
}

/// A WASI configuration: immutable once built, reusable for any number of stores.
#[derive(Clone, Default)]
pub struct WasiConfig {
    /// `argv`, program name first.
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Pass the host process's environment (before `env`).
    pub inherit_env: bool,
    pub cwd: Option<String>,
    pub stdin: Stdin,
    pub stdout: Output,
    pub stderr: Output,
    pub preopens: Vec<Preopen>,
    pub wall_clock: ClockSpec,
    pub monotonic_clock: ClockSpec,
    /// Seed for a deterministic random source (secure and insecure); `None`: the host's
    /// cryptographic source.
    pub random_seed: Option<u64>,
    pub allow_tcp: bool,
    pub allow_udp: bool,
    pub allow_ip_name_lookup: bool,
    /// Filters every address a socket binds or connects to; without one, any address is
    /// allowed once TCP or UDP is allowed.
    pub socket_policy: Option<SocketPolicy>,
    /// What outgoing `wasi:http` requests may reach; `None`: nothing.
    pub http_policy: Option<crate::core::http::policy::HttpPolicy>,
    /// Host filesystems the guest sees as preopened directories (WASI 0.2 only).
    pub host_fs_preopens: Vec<HostFsPreopen>,
    /// Receives what the sandbox refused (and, when asked, granted).
    pub audit: Option<Audit>,
}

/// The output a store captured, for reading after a run.
#[derive(Clone, Default)]
pub struct Captured {
    pub stdout: Option<MemoryOutputPipe>,
    pub stderr: Option<MemoryOutputPipe>,
}

impl WasiConfig {
    fn builder(&self, captured: &mut Captured) -> Result<WasiCtxBuilder> {
        let mut b = WasiCtx::builder();
        // Every call into a store runs on the caller's thread and waits for its answer: a file
        // operation runs there too, instead of going through tokio's blocking pool and back
        // (about 200 us per open-read-close of a small file; see FileSystemBenchmark).
        b.allow_blocking_current_thread(true);
        b.args(&self.args);
        if self.inherit_env {
            b.inherit_env();
        }
        b.envs(&self.env);
        if let Some(cwd) = &self.cwd {
            b.initial_cwd(cwd);
        }
        match &self.stdin {
            Stdin::Empty => {}
            Stdin::Bytes(bytes) => {
                b.stdin(MemoryInputPipe::new(bytes.clone()));
            }
            Stdin::Inherit => {
                b.inherit_stdin();
            }
            Stdin::Source(source) => {
                b.stdin(SourceStdin(source.clone()));
            }
        }
        match output(&self.stdout, &mut captured.stdout) {
            Some(OutputChoice::Inherit) => {
                b.inherit_stdout();
            }
            Some(OutputChoice::Stream(s)) => {
                b.stdout(s);
            }
            None => {}
        }
        match output(&self.stderr, &mut captured.stderr) {
            Some(OutputChoice::Inherit) => {
                b.inherit_stderr();
            }
            Some(OutputChoice::Stream(s)) => {
                b.stderr(s);
            }
            None => {}
        }
        for p in &self.preopens {
            let perms = if p.read_only {
                FsPerms::ReadOnly
            } else {
                FsPerms::ReadWrite
            };
            b.preopened_dir(&p.host, &p.guest, perms).map_err(|e| {
                Error::Io(format!(
                    "cannot preopen {} as {}: {e:#}",
                    p.host.display(),
                    p.guest
                ))
            })?;
        }
        match self.wall_clock {
            ClockSpec::System => {}
            spec => {
                b.wall_clock(FakeClock::new(spec));
            }
        }
        match self.monotonic_clock {
            ClockSpec::System => {}
            spec => {
                b.monotonic_clock(FakeClock::new(spec));
            }
        }
        if let Some(seed) = self.random_seed {
            use rand::SeedableRng;
            b.secure_random(rand::rngs::StdRng::seed_from_u64(seed));
            b.insecure_random(rand::rngs::StdRng::seed_from_u64(
                seed ^ 0x9e37_79b9_7f4a_7c15,
            ));
            b.insecure_random_seed(u128::from(seed));
        }
        b.allow_tcp(self.allow_tcp);
        b.allow_udp(self.allow_udp);
        b.allow_ip_name_lookup(self.allow_ip_name_lookup);
        let policy: Option<SocketPolicy> = match (&self.socket_policy, &self.audit) {
            (Some(policy), None) => Some(policy.clone()),
            (policy, Some(audit)) if policy.is_some() || self.allow_tcp || self.allow_udp => {
                let (policy, audit) = (policy.clone(), audit.clone());
                Some(Arc::new(move |addr, use_| {
                    let allowed = policy.as_ref().is_none_or(|p| p(addr, use_));
                    let operation = socket_operation(use_);
                    if allowed {
                        audit.granted(AuditArea::Socket, operation, || addr.to_string());
                    } else {
                        audit.refused(
                            AuditArea::Socket,
                            operation,
                            addr.to_string(),
                            "denied by the network policy",
                        );
                    }
                    allowed
                }))
            }
            _ => None,
        };
        match policy {
            Some(policy) => {
                b.socket_addr_check(move |addr, use_| {
                    let allowed = policy(addr, socket_use(use_));
                    Box::pin(async move { allowed })
                });
            }
            None if self.allow_tcp || self.allow_udp => {
                b.inherit_network();
            }
            None => {}
        }
        Ok(b)
    }

    /// A fresh WASI 0.2 context (for components), and the pipes it captures into.
    pub fn build(&self) -> Result<(WasiCtx, Captured)> {
        let mut captured = Captured::default();
        let ctx = self.builder(&mut captured)?.build();
        Ok((ctx, captured))
    }

    /// A fresh WASI preview 1 context (for core modules), and the pipes it captures into.
    pub fn build_p1(&self) -> Result<(wasmtime_wasi::p1::WasiP1Ctx, Captured)> {
        if let Some(p) = self.host_fs_preopens.first() {
            return Err(Error::InvalidArgument(format!(
                "the host filesystem preopened at {} serves WASI 0.2 components only; a preview 1 \
                 core module sees host directories only (make the module a component, or \
                 preopen a host directory)",
                p.guest
            )));
        }
        let mut captured = Captured::default();
        let ctx = self.builder(&mut captured)?.build_p1();
        Ok((ctx, captured))
    }
}

enum OutputChoice {
    Inherit,
    Stream(Box<dyn StdoutStreamBox>),
}

/// `StdoutStream` behind a box (the builder takes `impl StdoutStream`).
trait StdoutStreamBox: StdoutStream {}
impl<T: StdoutStream> StdoutStreamBox for T {}

impl StdoutStream for Box<dyn StdoutStreamBox> {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        (**self).async_stream()
    }
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        (**self).p2_stream()
    }
}

fn output(spec: &Output, capture: &mut Option<MemoryOutputPipe>) -> Option<OutputChoice> {
    match spec {
        Output::Discard => None,
        Output::Inherit => Some(OutputChoice::Inherit),
        Output::Capture(limit) => {
            let pipe = MemoryOutputPipe::new(*limit);
            *capture = Some(pipe.clone());
            Some(OutputChoice::Stream(Box::new(pipe)))
        }
        Output::Sink(sink) => Some(OutputChoice::Stream(Box::new(SinkStdout(sink.clone())))),
    }
}

fn socket_operation(u: SocketUse) -> &'static str {
    match u {
        SocketUse::TcpBind => "tcp-bind",
        SocketUse::TcpListen => "tcp-listen",
        SocketUse::TcpAccept => "tcp-accept",
        SocketUse::TcpConnect => "tcp-connect",
        SocketUse::UdpBind => "udp-bind",
        SocketUse::UdpSend => "udp-send",
        SocketUse::UdpReceive => "udp-receive",
    }
}

fn socket_use(u: SocketAddrUse) -> SocketUse {
    match u {
        SocketAddrUse::TcpBind => SocketUse::TcpBind,
        SocketAddrUse::TcpListen => SocketUse::TcpListen,
        SocketAddrUse::TcpAccept => SocketUse::TcpAccept,
        SocketAddrUse::TcpConnect => SocketUse::TcpConnect,
        SocketAddrUse::UdpBind => SocketUse::UdpBind,
        SocketAddrUse::UdpSend => SocketUse::UdpSend,
        SocketAddrUse::UdpReceive => SocketUse::UdpReceive,
    }
}
