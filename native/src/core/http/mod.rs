//! `wasi:http` (0.2, over wasmtime-wasi-http): giving a linker the HTTP interfaces, handing one
//! request to a `wasi:http/proxy` component and reading its response, and the policy that
//! decides what the guest's own outgoing requests may reach.
//!
//! - [`message`]: a request and a response as the host hands them over;
//! - [`proxy`]: `Linker::add_wasi_http` and `InstancePre::handle_http`;
//! - [`exchange`]: a request whose response body streams to a reader on another thread;
//! - [`policy`]: the outgoing-request policy (deny unless a rule allows).

pub mod exchange;
pub mod message;
pub mod policy;
pub mod proxy;

pub use exchange::Exchange;
pub use message::{HttpRequest, HttpResponse};
pub use policy::{HttpPolicy, HttpRule};
pub use proxy::HttpLimits;
