//! Host streams and clocks in the shapes wasmtime-wasi wants: output handed to an
//! [`OutputSink`], input read from an [`InputSource`], and clocks that stand still or step.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdinStream, StdoutStream};
use wasmtime_wasi::p2::{InputStream, OutputStream, Pollable, StreamError, StreamResult};
use wasmtime_wasi::{HostMonotonicClock, HostWallClock};

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

/// A clock that stands still or advances by a fixed step on every read.
pub(crate) struct FakeClock {
    spec: ClockSpec,
    reads: AtomicU64,
}

impl FakeClock {
    pub(crate) fn new(spec: ClockSpec) -> FakeClock {
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
pub(crate) struct SinkStdout(pub(crate) Arc<dyn OutputSink>);

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

/// Runs a host stream operation on the thread's own stack (see [`crate::core::stack`]).
fn on_caller_stack<R>(f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
    crate::core::stack::on_caller_stack(f)
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
pub(crate) struct SourceStdin(pub(crate) Arc<dyn InputSource>);

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
