//! A request whose response streams: the handler runs on one thread ([`Exchange::run`]) while
//! another waits for the response's head ([`Exchange::head`]) and reads its body as the guest
//! writes it ([`Exchange::read`]). The body is never held whole: a reader that stops reading
//! holds the guest's writes back (wasmtime-wasi-http's bounded body channel), and one that
//! closes ([`Exchange::close`]) makes them fail. The request's body may stream the other way
//! ([`Exchange::stream_request_body`]): the host writes it while the guest reads it.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::BodyExt;
use tokio::sync::mpsc;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::WasiBody;

use super::message::{HttpRequest, HttpResponse};
use crate::core::error::{Error, Result};
use crate::core::instance_pre::InstancePre;
use crate::core::store::Store;

/// One streamed request; shared by the thread running the handler and the one reading.
#[derive(Default)]
pub struct Exchange {
    state: Mutex<State>,
    changed: Condvar,
    /// The host's side of a streamed request body, until it ends.
    request_body: Mutex<Option<mpsc::Sender<BodyChunk>>>,
    /// The guest's side, until the handler takes it.
    request_reader: Mutex<Option<WasiBody>>,
}

type BodyChunk = std::result::Result<Bytes, wasmtime_wasi_http::Error>;

/// A request body fed through a channel, chunk by chunk.
struct ChannelBody(mpsc::Receiver<BodyChunk>);

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<std::result::Result<http_body::Frame<Bytes>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|chunk| chunk.map(|c| c.map(http_body::Frame::data)))
    }
}

#[derive(Default)]
struct State {
    /// The response's status and headers, once the guest set them (`body` is empty).
    head: Option<HttpResponse>,
    /// The body, while it has not ended; taken by the reader while it waits for a frame.
    body: Option<HyperOutgoingBody>,
    /// Whether the body was delivered and has not been taken for good (ended or closed).
    body_open: bool,
    /// Bytes of the last frame not read yet.
    pending: Bytes,
    /// The handler's end: `Some` once it returned.
    outcome: Option<Result<()>>,
    /// The guest answered with an `error-code` instead of a response.
    error_code: Option<String>,
    /// The reader closed the body.
    closed: bool,
}

impl Exchange {
    /// A new exchange, before its handler runs.
    pub fn new() -> Exchange {
        Exchange::default()
    }

    /// Makes the request's body a stream the host writes ([`Exchange::write_request_body`])
    /// instead of the request's bytes; before [`Exchange::run`].
    pub fn stream_request_body(&self) {
        let (tx, rx) = mpsc::channel(4);
        *lock(&self.request_body) = Some(tx);
        *lock(&self.request_reader) = Some(ChannelBody(rx).boxed_unsync());
    }

    /// Sends a chunk of the request body, waiting while the guest has not read the earlier
    /// ones; `false` when the guest will read no more (its handler ended). Not from inside a
    /// tokio runtime.
    pub fn write_request_body(&self, chunk: Bytes) -> Result<bool> {
        let Some(tx) = lock(&self.request_body).clone() else {
            return Err(Error::InvalidArgument(
                "the request body was ended already".into(),
            ));
        };
        Ok(tx.blocking_send(Ok(chunk)).is_ok())
    }

    /// Ends the request body: at its end, or as failed (the guest's read then fails).
    pub fn end_request_body(&self, failed: bool) {
        if let Some(tx) = lock(&self.request_body).take() {
            if failed {
                let _ = tx.blocking_send(Err(wasmtime_wasi_http::Error::ConnectionTerminated));
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs the handler of `pre` for `request` in `store`, a fresh store this uses up (closed
    /// when the handler returns; a body the guest finished stays readable). Its outcome is
    /// recorded for the reader, not returned.
    pub fn run(self: &Arc<Exchange>, pre: &InstancePre, store: &Store, request: HttpRequest) {
        let exchange = self.clone();
        let body = lock(&self.request_reader).take();
        let result = pre.handle_http_in(store, request, body, move |delivered| {
            let mut state = exchange.lock();
            match delivered {
                Ok(response) => {
                    let (parts, body) = response.into_parts();
                    state.head = Some(HttpResponse {
                        status: parts.status.as_u16(),
                        headers: parts
                            .headers
                            .iter()
                            .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
                            .collect(),
                        body: Vec::new(),
                    });
                    if !state.closed {
                        state.body = Some(body);
                        state.body_open = true;
                    }
                }
                Err(code) => state.error_code = Some(format!("{code:?}")),
            }
            drop(state);
            exchange.changed.notify_all();
        });
        store.close();
        // A host still writing the request body learns that nobody reads it any more.
        drop(lock(&self.request_reader).take());
        self.lock().outcome = Some(result);
        self.changed.notify_all();
    }

    /// Records a failure to start the handler at all, for the reader.
    pub fn fail(&self, e: Error) {
        self.lock().outcome = Some(Err(e));
        self.changed.notify_all();
    }

    /// Waits (at most `wait`) for the response's status and headers. An error when the handler
    /// ended without setting a response, set an `error-code`, or failed first.
    pub fn head(&self, wait: Duration) -> Result<HttpResponse> {
        let deadline = Instant::now() + wait;
        let mut state = self.lock();
        loop {
            if let Some(head) = &state.head {
                return Ok(head.clone());
            }
            if let Some(code) = &state.error_code {
                return Err(Error::Http(format!(
                    "the component answered with error-code {code}"
                )));
            }
            if let Some(outcome) = state.outcome.take() {
                let e = outcome.err().unwrap_or_else(|| {
                    Error::Http(
                        "the component returned from wasi:http/incoming-handler.handle without \
                         setting a response"
                            .into(),
                    )
                });
                state.outcome = Some(Err(Error::Http(e.to_string())));
                return Err(e);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::Http(format!(
                    "the component set no response within {wait:?}"
                )));
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Reads body bytes into `buf`, waiting at most `wait` for the guest to write some; 0 at the
    /// end of the body. An error when the body failed, the handler failed before finishing it,
    /// or nothing came within `wait`. One reader at a time.
    pub fn read(&self, buf: &mut [u8], wait: Duration) -> Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let mut body = {
                let mut state = self.lock();
                if !state.pending.is_empty() {
                    let n = buf.len().min(state.pending.len());
                    buf[..n].copy_from_slice(&state.pending.split_to(n));
                    return Ok(n);
                }
                if state.closed {
                    return Err(Error::Http("the response body was closed".into()));
                }
                match state.body.take() {
                    Some(body) => body,
                    None if state.body_open => {
                        return Err(Error::Http(
                            "the response body is being read by another thread".into(),
                        ))
                    }
                    None => return Ok(0),
                }
            };
            let frame = wasmtime_wasi::runtime::in_tokio(async {
                tokio::time::timeout(wait, body.frame()).await
            });
            let mut state = self.lock();
            match frame {
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        state.pending = data;
                    }
                    if !state.closed {
                        state.body = Some(body);
                    }
                }
                Ok(None) => {
                    state.body_open = false;
                    return Ok(0);
                }
                Ok(Some(Err(e))) => {
                    state.body_open = false;
                    drop(state);
                    return Err(self.failure(format!("the response body failed: {e:?}")));
                }
                Err(_) => {
                    // Keep the body: a later read may still get the rest.
                    state.body = Some(body);
                    return Err(Error::Http(format!(
                        "no response body arrived within {wait:?}"
                    )));
                }
            }
        }
    }

    /// The error for a body that failed: the handler's own failure when it failed (a trap
    /// while writing the body ends the body first), waited for briefly.
    fn failure(&self, body_error: String) -> Error {
        let deadline = Instant::now() + Duration::from_secs(1);
        let mut state = self.lock();
        while state.outcome.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        match state.outcome.take() {
            Some(Err(e)) => {
                state.outcome = Some(Err(Error::Http(e.to_string())));
                e
            }
            other => {
                state.outcome = other;
                Error::Http(body_error)
            }
        }
    }

    /// Stops reading: the body is dropped, so the guest's further writes fail.
    pub fn close(&self) {
        let body = {
            let mut state = self.lock();
            state.closed = true;
            state.pending = Bytes::new();
            state.body.take()
        };
        drop(body);
    }

    /// Whether the handler has returned.
    pub fn finished(&self) -> bool {
        self.lock().outcome.is_some()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
