//! Native baseline for `wasmtime-jvm serve`: a `wasi:http/proxy` component served over HTTP/1.1
//! with hyper on tokio, the way `wasmtime serve` serves a WASI 0.2 proxy (and the way the
//! `wasmtime-wasi-http` crate documents it): the component is compiled once and
//! pre-instantiated into a `ProxyPre`, every request gets a fresh `Store` and instance, WASI 0.2
//! and `wasi:http` are linked (all of WASI 0.2, as `wasmtime serve -Scli` and `wasmtime-jvm serve`
//! do), outgoing requests use the crate's defaults.
//!
//! Usage: `http-serve <component.wasm> <addr> [--max-concurrency N]`. `N` (default: the number
//! of processors, at least 2 — what `wasmtime-jvm serve` uses) is the number of tokio worker
//! threads, so at most `N` guests run at once, as with the JVM server's fixed pool of `N`
//! workers. Prints `Serving HTTP on http://ADDR/` once listening; runs until killed.
//!
//! The engine has wasmtime's default configuration (on-demand allocation, concurrency support
//! as the crate's features make it; `wasmtime-jvm` turns concurrency support off); guest
//! stdout/stderr go to the process's, like `wasmtime-jvm serve`. `benchmarks/http-load.sh`
//! runs it beside the JVM server under `wrk`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use tokio::net::TcpListener;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{bail, Config, Engine, Result, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

const USAGE: &str = "usage: http-serve <component.wasm> <addr> [--max-concurrency N]";

struct Args {
    component: String,
    addr: SocketAddr,
    workers: usize,
}

fn parse_args() -> std::result::Result<Args, String> {
    let mut positional = Vec::new();
    let mut workers = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let (option, inline) = match a.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o.to_owned(), Some(v.to_owned())),
            _ => (a.clone(), None),
        };
        match option.as_str() {
            "--max-concurrency" => {
                let value = inline
                    .or_else(|| args.next())
                    .ok_or("--max-concurrency needs a value")?;
                let n: usize = value
                    .parse()
                    .map_err(|_| format!("--max-concurrency takes a number, got `{value}`"))?;
                if n == 0 {
                    return Err("--max-concurrency must be at least 1".into());
                }
                workers = Some(n);
            }
            "-h" | "--help" => return Err(USAGE.into()),
            o if o.starts_with('-') => return Err(format!("unknown option {o}\n{USAGE}")),
            _ => positional.push(a),
        }
    }
    let [component, addr] = <[String; 2]>::try_from(positional).map_err(|_| USAGE.to_owned())?;
    let addr = addr
        .parse()
        .map_err(|e| format!("<addr> takes HOST:PORT, got `{addr}`: {e}"))?;
    let workers = workers.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .max(2)
    });
    Ok(Args {
        component,
        addr,
        workers,
    })
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.workers)
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(e) = runtime.block_on(serve(args)) {
        eprintln!("http-serve: {e:?}");
        std::process::exit(1);
    }
}

async fn serve(args: Args) -> Result<()> {
    let engine = Engine::new(&Config::new())?;
    let component = Component::from_file(&engine, &args.component)?;
    let mut linker = Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    let pre = ProxyPre::new(linker.instantiate_pre(&component)?)?;
    let server = Arc::new(Server { pre });

    let listener = TcpListener::bind(args.addr).await?;
    println!("Serving HTTP on http://{}/", listener.local_addr()?);

    loop {
        let (client, peer) = listener.accept().await?;
        // As `wasmtime serve`: no Nagle delay on small responses.
        client.set_nodelay(true)?;
        let server = server.clone();
        tokio::task::spawn(async move {
            if let Err(e) = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(
                    TokioIo::new(client),
                    hyper::service::service_fn(move |req| {
                        let server = server.clone();
                        async move { Ok::<_, Infallible>(server.respond(req).await) }
                    }),
                )
                .await
            {
                eprintln!("http-serve: error serving {peer}: {e:?}");
            }
        });
    }
}

struct Server {
    pre: ProxyPre<Host>,
}

impl Server {
    /// The component's response, or a 500 with the reason.
    async fn respond(
        &self,
        req: hyper::Request<hyper::body::Incoming>,
    ) -> hyper::Response<HyperOutgoingBody> {
        let (method, uri) = (req.method().clone(), req.uri().clone());
        match self.handle(req).await {
            Ok(response) => response,
            Err(e) => {
                eprintln!("http-serve: {method} {uri}: {e:#}");
                let body = Full::new(bytes::Bytes::from(format!("{e:#}\n")))
                    .map_err(|never: Infallible| match never {})
                    .boxed_unsync();
                hyper::Response::builder()
                    .status(hyper::StatusCode::INTERNAL_SERVER_ERROR)
                    .header("content-type", "text/plain; charset=utf-8")
                    .body(body)
                    .expect("a valid response")
            }
        }
    }

    /// One request in a fresh store and instance.
    async fn handle(
        &self,
        req: hyper::Request<hyper::body::Incoming>,
    ) -> Result<hyper::Response<HyperOutgoingBody>> {
        let mut store = Store::new(
            self.pre.engine(),
            Host {
                table: ResourceTable::new(),
                wasi: WasiCtx::builder().inherit_stdout().inherit_stderr().build(),
                http: WasiHttpCtx::new(),
            },
        );
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let req = store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, req)?;
        let out = store.data_mut().http().new_response_outparam(sender)?;
        let pre = self.pre.clone();

        // The guest runs in a task of its own so that it can go on writing the body after it
        // has set the response.
        let task = tokio::task::spawn(async move {
            let proxy = pre.instantiate_async(&mut store).await?;
            proxy
                .wasi_http_incoming_handler()
                .call_handle(&mut store, req, out)
                .await
        });

        match receiver.await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(code)) => bail!("the component answered with error-code {code:?}"),
            // The sender was dropped with the store: see what became of the guest.
            Err(_) => match task.await {
                Ok(Ok(())) => bail!("the guest never invoked `response-outparam::set`"),
                Ok(Err(e)) => Err(e.context("the guest never invoked `response-outparam::set`")),
                Err(e) => Err(wasmtime::Error::from(e)
                    .context("the guest never invoked `response-outparam::set`")),
            },
        }
    }
}

struct Host {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for Host {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: Default::default(),
        }
    }
}
