//! Native baseline for the JMH suite: the same operations on the same fixtures, through
//! wasmtime directly (what a Rust embedder gets), with the engine configured as wasmtime-jvm
//! configures it (concurrency support off).
//!
//! Usage: `native-bench <corpus/components dir> [output.json] [wasi components dir]
//! [scoring component]` (an empty argument is left out); the WASI benchmarks run when the third
//! argument names the directory with `wasi-hello.wasm` and `wasi-write.wasm` (built by
//! `benchmarks/run.sh`), the batch call of the Spark integration when the fourth names
//! `scoring-c.component.wasm` (built by guests/build.sh). Each benchmark runs warm-up
//! rounds, then measurement rounds of a fixed duration, and reports the median ns/op. Results
//! print as a table and, when a path is given, as JSON.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wasmtime::component::{Component, Func, Linker, Val};
use wasmtime::{Config, Engine, Store};

const WARMUP_ROUNDS: usize = 3;
const ROUNDS: usize = 7;
const ROUND: Duration = Duration::from_millis(400);

struct Result {
    name: String,
    ns_per_op: f64,
}

/// Runs `op` (which does `batch` operations per call) and returns the median ns/op.
fn measure(name: &str, batch: u64, mut op: impl FnMut()) -> Result {
    let mut per_op = Vec::new();
    for round in 0..WARMUP_ROUNDS + ROUNDS {
        let start = Instant::now();
        let mut ops = 0u64;
        while start.elapsed() < ROUND {
            op();
            ops += batch;
        }
        if round >= WARMUP_ROUNDS {
            per_op.push(start.elapsed().as_nanos() as f64 / ops as f64);
        }
    }
    per_op.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = per_op[per_op.len() / 2];
    println!("{name:<40} {median:>14.1} ns/op");
    Result {
        name: name.to_owned(),
        ns_per_op: median,
    }
}

fn engine() -> Engine {
    let mut config = Config::new();
    config.concurrency_support(false);
    config.wasm_component_model_map(true);
    config.wasm_component_model_fixed_length_lists(true);
    Engine::new(&config).expect("engine")
}

fn load(engine: &Engine, dir: &Path, name: &str) -> Component {
    Component::from_file(engine, dir.join(format!("{name}.wat"))).expect("fixture")
}

fn func(store: &mut Store<()>, linker: &Linker<()>, component: &Component, name: &str) -> Func {
    let instance = linker
        .instantiate(&mut *store, component)
        .expect("instantiate");
    instance.get_func(&mut *store, name).expect("export")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("corpus/components"),
    );
    let json_path = args.get(2).filter(|a| !a.is_empty()).map(PathBuf::from);
    let engine = engine();
    let mut results = Vec::new();

    // add(u32, u32) -> u32: dynamic and typed.
    let add_component = load(&engine, &dir, "add");
    let linker: Linker<()> = Linker::new(&engine);
    let mut store = Store::new(&engine, ());
    let add = func(&mut store, &linker, &add_component, "add");
    let mut out_val = [Val::U32(0)];
    results.push(measure("add.dynamic", 1, || {
        add.call(&mut store, &[Val::U32(1), Val::U32(2)], &mut out_val)
            .unwrap();
    }));
    let typed = add.typed::<(u32, u32), (u32,)>(&store).unwrap();
    let mut i = 0u32;
    results.push(measure("add.typed", 1, || {
        i = i.wrapping_add(1);
        let (r,) = typed.call(&mut store, (i & 0xffff, 2)).unwrap();
        std::hint::black_box(r);
    }));

    // echo-string at 16 B, 1 KiB, 1 MiB: dynamic (a `Val::String` in and out, as a dynamic
    // binding must do) and typed.
    let echo_component = load(&engine, &dir, "echo");
    let mut store = Store::new(&engine, ());
    let echo = func(&mut store, &linker, &echo_component, "echo-string");
    let echo_typed = echo.typed::<(&str,), (String,)>(&store).unwrap();
    for size in [16usize, 1024, 1 << 20] {
        let text = "x".repeat(size);
        let mut out = [Val::Bool(false)];
        results.push(measure(&format!("echoString.dynamic/{size}"), 1, || {
            echo.call(&mut store, &[Val::String(text.clone())], &mut out)
                .unwrap();
            std::hint::black_box(&out);
        }));
        results.push(measure(&format!("echoString.typed/{size}"), 1, || {
            let (r,) = echo_typed.call(&mut store, (text.as_str(),)).unwrap();
            std::hint::black_box(r);
        }));
    }

    // echo-list-u8 at the same sizes: dynamic (a `Val::U8` per byte) and typed (`&[u8]` in,
    // `Vec<u8>` out).
    let echo_bytes = func(&mut store, &linker, &echo_component, "echo-list-u8");
    let echo_bytes_typed = echo_bytes.typed::<(&[u8],), (Vec<u8>,)>(&store).unwrap();
    for size in [16usize, 1024, 1 << 20] {
        let bytes: Vec<u8> = (0..size).map(|i| (i * 31 + 7) as u8).collect();
        let mut out = [Val::Bool(false)];
        results.push(measure(&format!("echoBytes.dynamic/{size}"), 1, || {
            let list = Val::List(bytes.iter().map(|b| Val::U8(*b)).collect());
            echo_bytes.call(&mut store, &[list], &mut out).unwrap();
            std::hint::black_box(&out);
        }));
        results.push(measure(&format!("echoBytes.typed/{size}"), 1, || {
            let (r,) = echo_bytes_typed
                .call(&mut store, (bytes.as_slice(),))
                .unwrap();
            std::hint::black_box(r);
        }));
    }

    // A record round trip (echo-person) with values.
    let person = echo_component
        .get_export_index(None, "echo-person")
        .expect("echo-person");
    let instance = linker.instantiate(&mut store, &echo_component).unwrap();
    let echo_person = instance.get_func(&mut store, person).unwrap();
    let value = Val::Record(vec![
        ("first-name".into(), Val::String("Ada".into())),
        ("age".into(), Val::U8(36)),
        (
            "tags".into(),
            Val::List(vec![
                Val::String("math".into()),
                Val::String("engines".into()),
            ]),
        ),
    ]);
    let mut out = [Val::Bool(false)];
    results.push(measure("recordRoundTrip.dynamic", 1, || {
        echo_person
            .call(&mut store, std::slice::from_ref(&value), &mut out)
            .unwrap();
        std::hint::black_box(&out);
    }));

    // InstancePre: a new store and an instance per operation.
    let pre = linker.instantiate_pre(&add_component).unwrap();
    results.push(measure("instancePre.instantiate", 1, || {
        let mut store = Store::new(&engine, ());
        let instance = pre.instantiate(&mut store).unwrap();
        std::hint::black_box(instance);
    }));

    // Host calls from the guest: the same host functions, implemented in Rust.
    let bench = load(&engine, &dir, "host-bench");
    let mut host_linker: Linker<()> = Linker::new(&engine);
    host_linker
        .root()
        .func_wrap("noop", |_, (): ()| Ok(()))
        .unwrap();
    host_linker
        .root()
        .func_wrap("add2", |_, (a, b): (u32, u32)| Ok((a.wrapping_add(b),)))
        .unwrap();
    host_linker
        .root()
        .func_wrap("take-string", |_, (s,): (String,)| Ok((s.len() as u32,)))
        .unwrap();
    host_calls(&engine, &bench, &host_linker, "hostCall", &mut results);

    // The same host functions defined dynamically (`func_new` with `Val`s), the way a binding
    // that learns types at run time must define them. Reported beside the typed ones, which are
    // the baseline the ratios (benchmarks/ratios.py) use.
    let mut dyn_linker: Linker<()> = Linker::new(&engine);
    dyn_linker
        .root()
        .func_new("noop", |_, _, _, _| Ok(()))
        .unwrap();
    dyn_linker
        .root()
        .func_new("add2", |_, _, params, results| {
            if let (Val::U32(a), Val::U32(b)) = (&params[0], &params[1]) {
                results[0] = Val::U32(a.wrapping_add(*b));
            }
            Ok(())
        })
        .unwrap();
    dyn_linker
        .root()
        .func_new("take-string", |_, _, params, results| {
            if let Val::String(s) = &params[0] {
                results[0] = Val::U32(s.len() as u32);
            }
            Ok(())
        })
        .unwrap();
    host_calls(
        &engine,
        &bench,
        &dyn_linker,
        "hostCallDynamic",
        &mut results,
    );

    if let Some(dir) = args.get(3).filter(|a| !a.is_empty()).map(PathBuf::from) {
        wasi_benchmarks(&engine, &dir, &mut results);
    }

    core_benchmarks(&engine, &dir, &mut results);

    if let Some(scoring) = args.get(4).map(PathBuf::from) {
        score_batch_benchmarks(&engine, &scoring, &mut results);
    }

    if let Some(path) = json_path {
        let mut json = String::from("[\n");
        for (i, r) in results.iter().enumerate() {
            let _ = writeln!(
                json,
                "  {{\"benchmark\": \"{}\", \"nsPerOp\": {:.2}}}{}",
                r.name,
                r.ns_per_op,
                if i + 1 < results.len() { "," } else { "" }
            );
        }
        json.push_str("]\n");
        std::fs::write(&path, json).expect("write results");
        println!("wrote {}", path.display());
    }
}

/// The guest `host-bench` calling the host functions of `linker` N times a call: no arguments,
/// two u32, a 1 KiB string.
fn host_calls(
    engine: &Engine,
    bench: &Component,
    linker: &Linker<()>,
    prefix: &str,
    results: &mut Vec<Result>,
) {
    const N: u32 = 1000;
    let mut store = Store::new(engine, ());
    let instance = linker.instantiate(&mut store, bench).unwrap();
    let call_noop = instance
        .get_typed_func::<(u32,), ()>(&mut store, "call-noop")
        .unwrap();
    results.push(measure(&format!("{prefix}.noop"), N as u64, || {
        call_noop.call(&mut store, (N,)).unwrap();
    }));
    let call_add = instance
        .get_typed_func::<(u32,), (u32,)>(&mut store, "call-add")
        .unwrap();
    results.push(measure(&format!("{prefix}.twoU32"), N as u64, || {
        std::hint::black_box(call_add.call(&mut store, (N,)).unwrap());
    }));
    let call_string = instance
        .get_typed_func::<(u32, &str), (u32,)>(&mut store, "call-string")
        .unwrap();
    let kib = "y".repeat(1024);
    results.push(measure(&format!("{prefix}.string1KiB"), N as u64, || {
        std::hint::black_box(call_string.call(&mut store, (N, kib.as_str())).unwrap());
    }));
}

/// Host state for the WASI benchmarks.
struct Wasi {
    ctx: wasmtime_wasi::WasiCtx,
    table: wasmtime::component::ResourceTable,
}

impl wasmtime_wasi::WasiView for Wasi {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// A sink that counts what the guest writes (the Java side writes to a counting OutputStream).
#[derive(Clone, Default)]
struct Counting(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl wasmtime_wasi::cli::IsTerminal for Counting {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl wasmtime_wasi::cli::StdoutStream for Counting {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        discarding_async_stream()
    }
    fn p2_stream(&self) -> Box<dyn wasmtime_wasi::p2::OutputStream> {
        Box::new(self.clone())
    }
}

fn discarding_async_stream() -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
    Box::new(tokio::io::sink())
}

#[wasmtime_wasi::async_trait]
impl wasmtime_wasi::p2::Pollable for Counting {
    async fn ready(&mut self) {}
}

impl wasmtime_wasi::p2::OutputStream for Counting {
    fn write(&mut self, bytes: bytes::Bytes) -> wasmtime_wasi::p2::StreamResult<()> {
        self.0
            .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
    fn flush(&mut self) -> wasmtime_wasi::p2::StreamResult<()> {
        Ok(())
    }
    fn check_write(&mut self) -> wasmtime_wasi::p2::StreamResult<usize> {
        Ok(1 << 20)
    }
}

fn wasi_benchmarks(engine: &Engine, dir: &Path, results: &mut Vec<Result>) {
    use wasmtime_wasi::p2::bindings::sync::CommandPre;
    let mut linker: Linker<Wasi> = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();

    // Start to exit: a precompiled command, a fresh store and instance per run.
    let hello = Component::from_file(engine, dir.join("wasi-hello.wasm")).expect("wasi-hello");
    let bytes = hello.serialize().unwrap();
    let hello = unsafe { Component::deserialize(engine, &bytes) }.unwrap();
    let pre = CommandPre::new(linker.instantiate_pre(&hello).unwrap()).unwrap();
    results.push(measure("wasiCommand.startToExit", 1, || {
        let ctx = wasmtime_wasi::WasiCtx::builder().build();
        let mut store = Store::new(
            engine,
            Wasi {
                ctx,
                table: wasmtime::component::ResourceTable::new(),
            },
        );
        let command = pre.instantiate(&mut store).unwrap();
        command
            .wasi_cli_run()
            .call_run(&mut store)
            .unwrap()
            .unwrap();
    }));

    // Stdout throughput: 16 MiB in 64 KiB writes into a counting sink.
    let write = Component::from_file(engine, dir.join("wasi-write.wasm")).expect("wasi-write");
    let pre = CommandPre::new(linker.instantiate_pre(&write).unwrap()).unwrap();
    let sink = Counting::default();
    results.push(measure("wasiStdout.16MiB", 1, || {
        let ctx = wasmtime_wasi::WasiCtx::builder()
            .stdout(sink.clone())
            .build();
        let mut store = Store::new(
            engine,
            Wasi {
                ctx,
                table: wasmtime::component::ResourceTable::new(),
            },
        );
        let command = pre.instantiate(&mut store).unwrap();
        command
            .wasi_cli_run()
            .call_run(&mut store)
            .unwrap()
            .unwrap();
    }));
    assert!(sink.0.load(std::sync::atomic::Ordering::Relaxed) >= 16 << 20);
}

/// Core WebAssembly (`corpus/modules/fib.wat`): `add(i32, i32)` typed and dynamic, iterative
/// fib(10^7), and 1 MiB copies between linear memory and a `Vec<u8>` (a memcpy).
fn core_benchmarks(engine: &Engine, components: &Path, results: &mut Vec<Result>) {
    let path = components.join("../modules/fib.wat");
    let module = wasmtime::Module::from_file(engine, &path).expect("fib.wat");
    let mut store = Store::new(engine, ());
    let instance = wasmtime::Instance::new(&mut store, &module, &[]).expect("instantiate");
    let add = instance.get_func(&mut store, "add").expect("add");
    let typed = add.typed::<(i32, i32), i32>(&store).unwrap();
    let mut i = 0i32;
    results.push(measure("core.add.typed", 1, || {
        i = i.wrapping_add(1);
        std::hint::black_box(typed.call(&mut store, (i, 2)).unwrap());
    }));
    let mut out = [wasmtime::Val::I32(0)];
    results.push(measure("core.add.dynamic", 1, || {
        i = i.wrapping_add(1);
        add.call(
            &mut store,
            &[wasmtime::Val::I32(i), wasmtime::Val::I32(2)],
            &mut out,
        )
        .unwrap();
        std::hint::black_box(&out);
    }));
    let fib = instance
        .get_typed_func::<i64, i64>(&mut store, "fib")
        .unwrap();
    results.push(measure("core.fib.10M", 1, || {
        std::hint::black_box(fib.call(&mut store, 10_000_000).unwrap());
    }));
    let mem_module =
        wasmtime::Module::new(engine, "(module (memory (export \"memory\") 256))").unwrap();
    let mem_instance = wasmtime::Instance::new(&mut store, &mem_module, &[]).unwrap();
    let memory = mem_instance.get_memory(&mut store, "memory").unwrap();
    let mut buffer = vec![0u8; 1 << 20];
    results.push(measure("core.memoryRead.1MiB", 1, || {
        buffer.copy_from_slice(&memory.data(&store)[4096..4096 + (1 << 20)]);
        std::hint::black_box(&buffer);
    }));
    results.push(measure("core.memoryWrite.1MiB", 1, || {
        memory.data_mut(&mut store)[4096..4096 + (1 << 20)].copy_from_slice(&buffer);
        std::hint::black_box(&memory);
    }));
}

/// The batch function of the Spark integration (issue 15): `score-batch` of the C scoring
/// component over 4096 readings, per reading: dynamic with the `Val`s built beforehand, dynamic
/// building them from rows each call (what a binding learning the type at run time does), and
/// typed (a Rust record the type is checked against once).
fn score_batch_benchmarks(engine: &Engine, component: &Path, results: &mut Vec<Result>) {
    use wasmtime::component::{ComponentType, Lower};
    #[derive(ComponentType, Lower)]
    #[component(record)]
    struct Reading {
        id: i64,
        value: f64,
        label: String,
    }
    const N: usize = 4096;
    let component = Component::from_file(engine, component).expect("scoring component");
    let mut linker: Linker<Wasi> = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    let mut store = Store::new(
        engine,
        Wasi {
            ctx: wasmtime_wasi::WasiCtx::builder().build(),
            table: wasmtime::component::ResourceTable::new(),
        },
    );
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let iface = component
        .get_export_index(None, "docs:scoring/scorer@0.1.0")
        .unwrap();
    let idx = component
        .get_export_index(Some(&iface), "score-batch")
        .unwrap();
    let func = instance.get_func(&mut store, idx).unwrap();
    let rows: Vec<(i64, f64, String)> = (0..N as i64)
        .map(|i| (i, (i % 1000) as f64 / 10.0, format!("row-{}", i % 97)))
        .collect();
    let build = |rows: &[(i64, f64, String)]| {
        Val::List(
            rows.iter()
                .map(|(id, v, l)| {
                    Val::Record(vec![
                        ("id".into(), Val::S64(*id)),
                        ("value".into(), Val::Float64(*v)),
                        ("label".into(), Val::String(l.clone())),
                    ])
                })
                .collect(),
        )
    };
    let prebuilt = [build(&rows)];
    let mut out = [Val::Bool(false)];
    results.push(measure("scoreBatch4096.dynamicPrebuilt", N as u64, || {
        func.call(&mut store, &prebuilt, &mut out).unwrap();
        std::hint::black_box(&out);
    }));
    results.push(measure("scoreBatch4096.dynamic", N as u64, || {
        let args = [build(&rows)];
        func.call(&mut store, &args, &mut out).unwrap();
        std::hint::black_box(&out);
    }));
    let typed = func.typed::<(Vec<Reading>,), (Vec<f64>,)>(&store).unwrap();
    results.push(measure("scoreBatch4096.typed", N as u64, || {
        let readings: Vec<Reading> = rows
            .iter()
            .map(|(id, value, label)| Reading {
                id: *id,
                value: *value,
                label: label.clone(),
            })
            .collect();
        let (r,) = typed.call(&mut store, (readings,)).unwrap();
        std::hint::black_box(r);
    }));
}
