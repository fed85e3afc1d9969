//! WASI: a reusable configuration that builds a fresh context for each store (WASI 0.2 for
//! components, WASI preview 1 for core modules), the stdio, clock, random and network
//! capabilities it grants, and running a `wasi:cli/command`.
//!
//! Everything is granted explicitly: no argument, variable, directory, clock override or socket
//! reaches the guest unless the configuration names it. Streams the host implements (the JNI
//! face forwards them to Java streams) come in through [`OutputSink`] and [`InputSource`].

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdinStream, StdoutStream};
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::p2::{InputStream, OutputStream, Pollable, StreamError, StreamResult};
use wasmtime_wasi::sockets::SocketAddrUse;
use wasmtime_wasi::{FsPerms, HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder};

use super::component::Component;
use super::error::{Error, Result};
use super::linker::Linker;
use super::store::Store;

/// Where the guest's output goes, written as the guest writes it.
pub trait OutputSink: Send + Sync {
    /// Writes all of `bytes`.
    fn write(&self, bytes: &[u8]) -> io::Result<()>;
    /// Flushes what was written.
    fn flush(&self) -> io::Result<()>;
}

/// Where the guest's input comes from; a read blocks until data or end of input.
pub trait InputSource: Send + Sync {
    /// Reads up to `buf.len()` bytes; 0 means end of input.
    fn read(&self, buf: &mut [u8]) -> io::Result<usize>;
}

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

/// A clock the guest reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClockSpec {
    /// The host's real clock.
    #[default]
    System,
    /// Always this time (nanoseconds since the Unix epoch for the wall clock; an arbitrary
    /// origin for the monotonic clock).
    Fixed(u64),
    /// Starts at `start` and moves `step` nanoseconds forward every time it is read.
    Advancing { start: u64, step: u64 },
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
        match &self.socket_policy {
            Some(policy) => {
                let policy = policy.clone();
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

/// A clock that stands still or advances by a fixed step on every read.
struct FakeClock {
    spec: ClockSpec,
    reads: AtomicU64,
}

impl FakeClock {
    fn new(spec: ClockSpec) -> FakeClock {
        FakeClock {
            spec,
            reads: AtomicU64::new(0),
        }
    }

    fn nanos(&self) -> u64 {
        match self.spec {
            ClockSpec::System => 0,
            ClockSpec::Fixed(t) => t,
            ClockSpec::Advancing { start, step } => {
                let n = self.reads.fetch_add(1, Ordering::Relaxed);
                start.saturating_add(step.saturating_mul(n))
            }
        }
    }
}

impl HostWallClock for FakeClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }
    fn now(&self) -> Duration {
        Duration::from_nanos(self.nanos())
    }
}

impl HostMonotonicClock for FakeClock {
    fn resolution(&self) -> u64 {
        1
    }
    fn now(&self) -> u64 {
        self.nanos()
    }
}

/// Standard output handed to an [`OutputSink`] as the guest writes.
#[derive(Clone)]
struct SinkStdout(Arc<dyn OutputSink>);

impl IsTerminal for SinkStdout {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for SinkStdout {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(SinkWriter(self.0.clone()))
    }
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(SinkWriter(self.0.clone()))
    }
}

struct SinkWriter(Arc<dyn OutputSink>);

#[async_trait::async_trait]
impl Pollable for SinkWriter {
    async fn ready(&mut self) {}
}

/// Runs a host stream operation on the thread's own stack (see [`super::stack`]).
fn on_caller_stack<R>(f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
    super::stack::on_caller_stack(f)
        .unwrap_or_else(|e| Err(io::Error::other(format!("host stream not called: {e}"))))
}

impl OutputStream for SinkWriter {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        on_caller_stack(|| self.0.write(&bytes))
            .map_err(|e| StreamError::LastOperationFailed(e.into()))
    }
    fn flush(&mut self) -> StreamResult<()> {
        on_caller_stack(|| self.0.flush()).map_err(|e| StreamError::LastOperationFailed(e.into()))
    }
    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(1 << 20)
    }
}

impl tokio::io::AsyncWrite for SinkWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(on_caller_stack(|| self.0.write(buf)).map(|()| buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(on_caller_stack(|| self.0.flush()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(on_caller_stack(|| self.0.flush()))
    }
}

/// Standard input read from an [`InputSource`] (each read blocks the guest until data comes).
#[derive(Clone)]
struct SourceStdin(Arc<dyn InputSource>);

impl IsTerminal for SourceStdin {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdinStream for SourceStdin {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncRead + Send + Sync> {
        Box::new(SourceReader(self.0.clone()))
    }
    fn p2_stream(&self) -> Box<dyn InputStream> {
        Box::new(SourceReader(self.0.clone()))
    }
}

struct SourceReader(Arc<dyn InputSource>);

#[async_trait::async_trait]
impl Pollable for SourceReader {
    async fn ready(&mut self) {}
}

impl InputStream for SourceReader {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        let mut buf = vec![0u8; size.min(1 << 16)];
        match on_caller_stack(|| self.0.read(&mut buf)) {
            Ok(0) if size > 0 => Err(StreamError::Closed),
            Ok(n) => {
                buf.truncate(n);
                Ok(Bytes::from(buf))
            }
            Err(e) => Err(StreamError::LastOperationFailed(e.into())),
        }
    }
}

impl tokio::io::AsyncRead for SourceReader {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let mut tmp = vec![0u8; buf.remaining().min(1 << 16)];
        Poll::Ready(on_caller_stack(|| self.0.read(&mut tmp)).map(|n| buf.put_slice(&tmp[..n])))
    }
}

impl Linker {
    /// Defines every WASI 0.2 interface wasmtime-wasi provides (cli, clocks, filesystem, io,
    /// random, sockets) in this linker. What a guest may actually do is decided by the store's
    /// [`WasiConfig`].
    pub fn add_wasi(&self) -> Result<()> {
        wasmtime_wasi::p2::add_to_linker_sync(&mut *self.write()).map_err(Error::from_link)
    }
}

/// The exit status of a command: 0 for success, the code it passed to `exit`, or 1 when
/// `wasi:cli/run.run` returned an error.
pub fn run_command(linker: &Linker, store: &Store, component: &Component) -> Result<i32> {
    linker
        .engine()
        .check_same(component.engine().wasmtime(), "the Component")?;
    linker
        .engine()
        .check_same(store.engine().wasmtime(), "the Store")?;
    let wasm_linker = linker.read();
    store.enter(|inner| {
        let command = wasmtime_wasi::p2::bindings::sync::Command::instantiate(
            &mut inner.store,
            component.wasmtime(),
            &wasm_linker,
        )
        .map_err(|e| {
            if e.to_string()
                .contains("no exported instance named `wasi:cli/run")
            {
                Error::InvalidArgument(format!(
                    "the component is not a WASI command (it does not export wasi:cli/run): {}",
                    super::error::chain_message(&e)
                ))
            } else {
                inner.classify(Error::from_link(e))
            }
        })?;
        let outcome = command.wasi_cli_run().call_run(&mut inner.store);
        run_result(inner, outcome)
    })
}

/// The exit status of a finished `wasi:cli/run` call.
pub(crate) fn run_result(
    inner: &super::store::StoreInner,
    outcome: wasmtime::Result<std::result::Result<(), ()>>,
) -> Result<i32> {
    match outcome {
        Ok(Ok(())) => Ok(0),
        Ok(Err(())) => Ok(1),
        Err(e) => match inner.classify(Error::from_call(e)) {
            Error::Exit(code) => Ok(code),
            other => Err(other),
        },
    }
}
