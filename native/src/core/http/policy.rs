//! What a guest's outgoing HTTP requests (`wasi:http/outgoing-handler`) may reach: nothing unless
//! a rule allows it. A refused request is `error-code.HTTP-request-denied` to the guest and a
//! refusal for the audit listener; an allowed one is sent by wasmtime-wasi-http with the policy's
//! time limits and body caps on top of what the guest asked for.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::BodyExt;
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

use crate::core::wasi::audit::{Audit, AuditArea};

/// One kind of request the policy allows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRule {
    /// `http` or `https`; `None`: either.
    pub scheme: Option<String>,
    /// The host as the guest names it (case-insensitive): exact, `*.example.com` (any
    /// subdomain, not the domain itself) or `*` (any host).
    pub host: String,
    /// `None`: any port.
    pub port: Option<u16>,
    /// Upper-case method names; empty: any method.
    pub methods: Vec<String>,
}

impl HttpRule {
    fn matches(&self, scheme: &str, host: &str, port: u16, method: &str) -> bool {
        if self
            .scheme
            .as_deref()
            .is_some_and(|s| !s.eq_ignore_ascii_case(scheme))
        {
            return false;
        }
        if self.port.is_some_and(|p| p != port) {
            return false;
        }
        if !self.methods.is_empty() && !self.methods.iter().any(|m| m == method) {
            return false;
        }
        let host = host.trim_end_matches('.');
        let rule = self.host.trim_end_matches('.');
        if rule == "*" {
            return true;
        }
        match rule.strip_prefix("*.") {
            Some(suffix) => {
                host.len() > suffix.len() + 1
                    && host[host.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
                    && host.as_bytes()[host.len() - suffix.len() - 1] == b'.'
            }
            None => host.eq_ignore_ascii_case(rule),
        }
    }
}

/// The outgoing HTTP policy of a store: the rules, and limits on every allowed request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpPolicy {
    pub rules: Vec<HttpRule>,
    /// Longest wait for the connection (the guest may ask for less).
    pub connect_timeout: Option<Duration>,
    /// Longest wait for the response's first byte.
    pub first_byte_timeout: Option<Duration>,
    /// Longest wait between two chunks of the response body.
    pub between_bytes_timeout: Option<Duration>,
    /// Most bytes of request body a guest may send.
    pub max_request_body: Option<u64>,
    /// Most bytes of response body a guest may receive.
    pub max_response_body: Option<u64>,
}

impl HttpPolicy {
    /// Whether a request is allowed: `Ok` or the reason it is not.
    pub fn check(&self, request: &http::Request<WasiBody>) -> Result<(), &'static str> {
        let uri = request.uri();
        let scheme = uri.scheme_str().unwrap_or("https");
        let Some(host) = uri.host() else {
            return Err("the request names no host");
        };
        let port = uri
            .port_u16()
            .unwrap_or(if scheme.eq_ignore_ascii_case("http") {
                80
            } else {
                443
            });
        let method = request.method().as_str();
        if self.rules.is_empty() {
            return Err("outgoing HTTP requests are denied (no rule of the policy allows any)");
        }
        if self.rules.iter().any(|r| {
            r.matches(
                scheme,
                host.trim_start_matches('[').trim_end_matches(']'),
                port,
                method,
            )
        }) {
            Ok(())
        } else {
            Err("no rule of the outgoing HTTP policy allows this request")
        }
    }
}

/// wasmtime-wasi-http's hooks for a store: its policy (none: everything denied) and the audit
/// listener.
#[derive(Default)]
pub(crate) struct PolicyHooks {
    pub(crate) policy: Option<HttpPolicy>,
    pub(crate) audit: Option<Audit>,
}

fn min(policy: Option<Duration>, guest: Option<Duration>) -> Option<Duration> {
    match (policy, guest) {
        (Some(p), Some(g)) => Some(p.min(g)),
        (p, g) => p.or(g),
    }
}

type Sent = Box<
    dyn Future<
            Output = wasmtime_wasi_http::Result<(
                http::Response<WasiBody>,
                Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
            )>,
        > + Send,
>;

impl WasiHttpHooks for PolicyHooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> Sent {
        drop(fut);
        let target = format!("{} {}", request.method(), request.uri());
        let verdict = match &self.policy {
            Some(policy) => policy.check(&request),
            None => {
                Err("outgoing HTTP requests are denied (the store has no outgoing HTTP policy)")
            }
        };
        if let Err(reason) = verdict {
            if let Some(audit) = &self.audit {
                audit.refused(AuditArea::Http, "outgoing-request", target, reason);
            }
            return Box::new(async { Err(HttpError::HttpRequestDenied) });
        }
        if let Some(audit) = &self.audit {
            audit.granted(AuditArea::Http, "outgoing-request", || target);
        }
        let policy = self.policy.clone().unwrap_or_default();
        let options = RequestOptions {
            connect_timeout: min(
                policy.connect_timeout,
                options.and_then(|o| o.connect_timeout),
            ),
            first_byte_timeout: min(
                policy.first_byte_timeout,
                options.and_then(|o| o.first_byte_timeout),
            ),
            between_bytes_timeout: min(
                policy.between_bytes_timeout,
                options.and_then(|o| o.between_bytes_timeout),
            ),
        };
        let request = match policy.max_request_body {
            Some(cap) => request.map(|b| capped(b, cap, HttpError::HttpRequestBodySize)),
            None => request,
        };
        Box::new(async move {
            let (response, io) =
                wasmtime_wasi_http::default_send_request(request, Some(options)).await?;
            let response = match policy.max_response_body {
                Some(cap) => {
                    response.map(|b| capped(b.boxed_unsync(), cap, HttpError::HttpResponseBodySize))
                }
                None => response.map(BodyExt::boxed_unsync),
            };
            Ok((
                response,
                Box::new(io) as Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
            ))
        })
    }
}

/// `body`, failing with `error(Some(cap))` once it has given more than `cap` bytes.
fn capped(body: WasiBody, cap: u64, error: fn(Option<u64>) -> HttpError) -> WasiBody {
    Capped {
        inner: body,
        seen: 0,
        cap,
        error,
    }
    .boxed_unsync()
}

struct Capped {
    inner: WasiBody,
    seen: u64,
    cap: u64,
    error: fn(Option<u64>) -> HttpError,
}

impl http_body::Body for Capped {
    type Data = bytes::Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, HttpError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.seen += data.len() as u64;
                    if this.seen > this.cap {
                        return Poll::Ready(Some(Err((this.error)(Some(this.cap)))));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(host: &str, port: Option<u16>, methods: &[&str]) -> HttpRule {
        HttpRule {
            scheme: None,
            host: host.into(),
            port,
            methods: methods.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn request(method: &str, uri: &str) -> http::Request<WasiBody> {
        http::Request::builder()
            .method(method)
            .uri(uri)
            .body(
                http_body_util::Empty::new()
                    .map_err(|never| match never {})
                    .boxed_unsync(),
            )
            .unwrap()
    }

    #[test]
    fn nothing_is_allowed_without_a_rule() {
        let policy = HttpPolicy::default();
        assert!(policy
            .check(&request("GET", "http://127.0.0.1:8080/"))
            .is_err());
    }

    #[test]
    fn rules_match_host_port_scheme_and_method() {
        let policy = HttpPolicy {
            rules: vec![
                rule("127.0.0.1", Some(8080), &["GET"]),
                rule("*.example.com", None, &[]),
                HttpRule {
                    scheme: Some("https".into()),
                    ..rule("secure.test", None, &[])
                },
            ],
            ..HttpPolicy::default()
        };
        let ok = |m: &str, u: &str| policy.check(&request(m, u)).is_ok();
        assert!(ok("GET", "http://127.0.0.1:8080/x?y=1"));
        assert!(!ok("POST", "http://127.0.0.1:8080/x"));
        assert!(!ok("GET", "http://127.0.0.1:8081/x"));
        assert!(!ok("GET", "http://127.0.0.2:8080/x"));
        assert!(ok("PUT", "https://api.example.com/"));
        assert!(ok("GET", "http://A.B.EXAMPLE.com:9/"));
        assert!(
            !ok("GET", "http://example.com/"),
            "*.example.com is subdomains only"
        );
        assert!(!ok("GET", "http://badexample.com/"));
        assert!(ok("GET", "https://secure.test/"));
        assert!(!ok("GET", "http://secure.test/"));
    }

    #[test]
    fn default_ports_follow_the_scheme() {
        let policy = HttpPolicy {
            rules: vec![
                rule("h.test", Some(443), &[]),
                rule("p.test", Some(80), &[]),
            ],
            ..HttpPolicy::default()
        };
        assert!(policy.check(&request("GET", "https://h.test/")).is_ok());
        assert!(policy.check(&request("GET", "http://h.test/")).is_err());
        assert!(policy.check(&request("GET", "http://p.test/")).is_ok());
    }

    /// A body of data frames of these sizes.
    struct Chunks(std::collections::VecDeque<usize>);

    impl http_body::Body for Chunks {
        type Data = bytes::Bytes;
        type Error = HttpError;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, HttpError>>> {
            Poll::Ready(
                self.0
                    .pop_front()
                    .map(|n| Ok(http_body::Frame::data(bytes::Bytes::from(vec![b'x'; n])))),
            )
        }
    }

    /// The bytes `capped` gives of `chunks`, or the error it ends with.
    fn read_capped(chunks: &[usize], cap: u64) -> Result<usize, HttpError> {
        let body = capped(
            Chunks(chunks.iter().copied().collect()).boxed_unsync(),
            cap,
            HttpError::HttpResponseBodySize,
        );
        let collected = wasmtime_wasi::runtime::in_tokio(body.collect())?;
        Ok(collected.to_bytes().len())
    }

    #[test]
    fn a_capped_body_fails_past_its_cap() {
        assert_eq!(read_capped(&[10, 20, 30], 60).unwrap(), 60);
        assert_eq!(read_capped(&[], 0).unwrap(), 0);
        match read_capped(&[10, 20, 31], 60) {
            Err(HttpError::HttpResponseBodySize(Some(60))) => {}
            other => panic!("expected the cap's error, got {other:?}"),
        }
        assert!(read_capped(&[1], 0).is_err());
    }

    #[test]
    fn time_limits_take_the_smaller_of_policy_and_guest() {
        let s = Duration::from_secs;
        assert_eq!(min(Some(s(1)), Some(s(5))), Some(s(1)));
        assert_eq!(min(Some(s(5)), Some(s(1))), Some(s(1)));
        assert_eq!(min(None, Some(s(2))), Some(s(2)));
        assert_eq!(min(Some(s(3)), None), Some(s(3)));
        assert_eq!(min(None, None), None);
    }
}
