//! Giving a linker `wasi:http`, and handing one request to a `wasi:http/proxy` component: a fresh
//! instance from an [`InstancePre`] in a store of its own, its `incoming-handler.handle`, and the
//! response it set, whose body is read while the guest writes it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::BodyExt;
use wasmtime_wasi::runtime::AbortOnDropJoinHandle;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::sync::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{WasiBody, WasiHttpView};

use super::message::{HttpRequest, HttpResponse};
use crate::core::error::{chain_message, Error, Result};
use crate::core::instance_pre::InstancePre;
use crate::core::linker::Linker;
use crate::core::store::Store;

/// What the host reads of one response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpLimits {
    /// Most bytes of response body read; a longer body is an [`Error::Http`].
    pub max_response_body: u64,
    /// Longest wait for the rest of the body once the handler has returned.
    pub body_wait: Duration,
}

impl Default for HttpLimits {
    fn default() -> HttpLimits {
        HttpLimits {
            max_response_body: 64 << 20,
            body_wait: Duration::from_secs(30),
        }
    }
}

impl Linker {
    /// Defines `wasi:http` 0.2 (`types`, `outgoing-handler`) in this linker, after WASI 0.2
    /// ([`Linker::add_wasi`]) when that was not added yet. What a guest's outgoing requests may
    /// reach is decided by the store's [`super::HttpPolicy`] (nothing without one).
    pub fn add_wasi_http(&self) -> Result<()> {
        use std::sync::atomic::Ordering::SeqCst;
        if !self.wasi_added.load(SeqCst) {
            self.add_wasi()?;
        }
        if self.http_added.swap(true, SeqCst) {
            return Ok(());
        }
        let mut linker = self.write();
        wasmtime_wasi_http::p2::add_only_http_to_linker_sync(&mut linker).map_err(|e| {
            self.http_added.store(false, SeqCst);
            Error::from_link(e)
        })
    }
}

/// What the component's `response-outparam.set` gave.
/// What a guest set on its `response-outparam`.
pub(super) type Delivered = std::result::Result<
    http::Response<HyperOutgoingBody>,
    wasmtime_wasi_http::p2::bindings::http::types::ErrorCode,
>;

enum Answer {
    None,
    Response(
        http::response::Parts,
        AbortOnDropJoinHandle<std::result::Result<Vec<u8>, String>>,
    ),
    ErrorCode(String),
}

impl InstancePre {
    /// Hands `request` to the component's `wasi:http/incoming-handler` in `store`, a fresh store
    /// this call uses up: the store is closed when the call returns (the instance and the
    /// response body's writer live in it). The linker must have had [`Linker::add_wasi_http`].
    ///
    /// The store's time limit bounds the handler; the body is read as the guest writes it, up
    /// to `limits`. A handler that traps, returns without a response, or sets an `error-code`
    /// is an error.
    pub fn handle_http(
        &self,
        store: &Store,
        request: HttpRequest,
        limits: HttpLimits,
    ) -> Result<HttpResponse> {
        let answer = Arc::new(Mutex::new(Answer::None));
        let slot = answer.clone();
        let max = limits.max_response_body;
        let result = self.handle_http_in(store, request, None, move |result| {
            let got = match result {
                Ok(response) => {
                    let (parts, body) = response.into_parts();
                    Answer::Response(parts, wasmtime_wasi::runtime::spawn(collect(body, max)))
                }
                Err(code) => Answer::ErrorCode(format!("{code:?}")),
            };
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = got;
        });
        store.close();
        let answer = std::mem::replace(
            &mut *answer.lock().unwrap_or_else(|p| p.into_inner()),
            Answer::None,
        );
        if let Err(e) = result {
            // A guest whose body writes failed because the host stopped reading (a body past
            // the limit) traps on the failed write: the cause is the limit.
            // The store is closed: the body has ended (or ends at once) with what it had.
            if let Answer::Response(_, body) = answer {
                let read = wasmtime_wasi::runtime::in_tokio(async move {
                    tokio::time::timeout(Duration::from_secs(1), body).await
                });
                if let Ok(Err(cause)) = read {
                    if cause.starts_with(TOO_LARGE) {
                        return Err(Error::Http(format!(
                            "{cause} (the component then failed: {})",
                            e.to_string().lines().next().unwrap_or_default()
                        )));
                    }
                }
            }
            return Err(e);
        }
        let (parts, body) = match answer {
            Answer::None => {
                return Err(Error::Http(
                    "the component returned from wasi:http/incoming-handler.handle without \
                     setting a response"
                        .into(),
                ))
            }
            Answer::ErrorCode(code) => {
                return Err(Error::Http(format!(
                    "the component answered with error-code {code}"
                )))
            }
            Answer::Response(parts, body) => (parts, body),
        };
        // The timer is made inside the runtime: tokio's timers need one to exist.
        let wait = limits.body_wait;
        let body =
            wasmtime_wasi::runtime::in_tokio(async move { tokio::time::timeout(wait, body).await })
                .map_err(|_| {
                    Error::Http(format!(
                        "the response body did not end within {:?} after the handler returned",
                        limits.body_wait
                    ))
                })?
                .map_err(Error::Http)?;
        Ok(HttpResponse {
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
                .collect(),
            body,
        })
    }

    /// Runs the handler for `request` in `store`; `deliver` gets what the guest set on its
    /// `response-outparam` (on this thread, while the guest runs). `body`, when given, is the
    /// request's body instead of `request.body`.
    pub(super) fn handle_http_in(
        &self,
        store: &Store,
        request: HttpRequest,
        body: Option<WasiBody>,
        deliver: impl FnOnce(Delivered) + Send + Sync + 'static,
    ) -> Result<()> {
        self.component()
            .engine()
            .check_same(store.engine().wasmtime(), "the Store")?;
        let proxy = self
            .proxy
            .get_or_init(|| {
                ProxyPre::new(self.inner.clone()).map_err(|e| {
                    format!(
                        "the component is not a wasi:http proxy (it does not export \
                         wasi:http/incoming-handler@0.2): {}",
                        chain_message(&e)
                    )
                })
            })
            .as_ref()
            .map_err(|m| Error::InvalidArgument(m.clone()))?;
        let (scheme, request) = to_hyper(request, body)?;
        store.enter(|inner| {
            let mut http = inner.store.data_mut().http();
            // The request body's reader is a task of wasmtime-wasi's runtime.
            let req = wasmtime_wasi::runtime::with_ambient_tokio_runtime(|| {
                http.new_incoming_request(scheme, request)
            })
            .map_err(|e| Error::InvalidArgument(chain_message(&e)))?;
            let out = http
                .new_response_outparam_from_callback(deliver)
                .map_err(Error::from_call)?;
            let instance = proxy
                .instantiate(&mut inner.store)
                .map_err(Error::from_link)?;
            instance
                .wasi_http_incoming_handler()
                .call_handle(&mut inner.store, req, out)
                .map_err(Error::from_call)
        })
    }
}

/// The request as wasmtime-wasi-http takes it, with its scheme.
fn to_hyper(
    request: HttpRequest,
    body: Option<WasiBody>,
) -> Result<(Scheme, http::Request<WasiBody>)> {
    let invalid = Error::InvalidArgument;
    let method = http::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| invalid(format!("`{}` is not an HTTP method", request.method)))?;
    let uri: http::Uri = request
        .uri
        .parse()
        .map_err(|e| invalid(format!("`{}` is not a request URI: {e}", request.uri)))?;
    let scheme = match uri.scheme_str() {
        None => Scheme::Http,
        Some(s) if s.eq_ignore_ascii_case("http") => Scheme::Http,
        Some(s) if s.eq_ignore_ascii_case("https") => Scheme::Https,
        Some(s) => Scheme::Other(s.to_owned()),
    };
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in &request.headers {
        let n = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid(format!("`{name}` is not an HTTP header name")))?;
        let v = http::HeaderValue::from_bytes(value).map_err(|_| {
            invalid(format!(
                "the value of header `{name}` is not a header value"
            ))
        })?;
        builder = builder.header(n, v);
    }
    let body = body.unwrap_or_else(|| {
        http_body_util::Full::new(request.body)
            .map_err(|never| match never {})
            .boxed_unsync()
    });
    let request = builder
        .body(body)
        .map_err(|e| invalid(format!("not an HTTP request: {e}")))?;
    Ok((scheme, request))
}

const TOO_LARGE: &str = "the response body is larger than the limit of";

/// Reads a response body to its end, failing past `max` bytes.
async fn collect(mut body: HyperOutgoingBody, max: u64) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| format!("the response body failed: {e:?}"))?;
        if let Ok(data) = frame.into_data() {
            if (out.len() + data.len()) as u64 > max {
                return Err(format!("{TOO_LARGE} {max} bytes"));
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}
