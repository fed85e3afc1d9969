//! Engine: compilation settings shared by every store, component and linker made from it.

use std::path::PathBuf;
use std::sync::Arc;

use wasmtime::{Cache, CacheConfig, Config, OptLevel};

use super::error::{Error, Result};
use super::executor::Executor;

/// Cranelift optimisation level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizationLevel {
    None,
    Speed,
    SpeedAndSize,
}

/// Everything an engine can be configured with. `Default` gives the settings the Java
/// `Engine.Config` builder starts from.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    pub opt_level: OptimizationLevel,
    /// Count fuel; stores then need fuel (`Store::set_fuel`) to run anything.
    pub consume_fuel: bool,
    /// Check epoch deadlines, so that a long-running guest can be interrupted.
    pub epoch_interruption: bool,
    /// Maximum wasm stack in bytes (`None`: wasmtime's default, 512 KiB).
    pub max_wasm_stack: Option<usize>,
    pub parallel_compilation: bool,
    /// A directory for wasmtime's compiled-code cache (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
    /// Component-model async machinery; off unless needed because it slows every call.
    pub concurrency_support: bool,
    /// Use signal handlers (rather than explicit checks) to catch out-of-bounds accesses.
    pub signals_based_traps: bool,
    /// Collect wasm backtraces for traps.
    pub wasm_backtrace: bool,
    /// Accept `map<K, V>` types in components.
    pub component_model_map: bool,
    /// Accept fixed-length `list<T, N>` types in components.
    pub component_model_fixed_length_lists: bool,
    /// The key compiled code is authenticated with (see [`super::compiled`]): `serialize` and
    /// `precompile` then sign with it, and `deserialize` opens only images signed with it.
    pub compiled_code_key: Option<CodeKey>,
}

/// Engine settings beyond [`EngineConfig`], for [`Engine::with_options`]. Kept apart so that
/// the `EngineConfig` literals of other front ends (the C API) stay valid as settings are added;
/// `Default` is what [`Engine::new`] uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngineOptions {
    /// Give the relaxed-SIMD instructions their deterministic (platform-independent) semantics
    /// instead of the fastest native instruction's (`Config::relaxed_simd_deterministic`).
    pub relaxed_simd_deterministic: bool,
    /// Accept the component model's `error-context` type and built-ins
    /// (`Config::wasm_component_model_error_context`).
    pub component_model_error_context: bool,
    /// Accept the `(implements "...")` annotations of component imports and exports
    /// (`Config::wasm_component_model_implements`).
    pub component_model_implements: bool,
    /// Accept canonical options that lift and lower through 64-bit memories
    /// (`Config::wasm_component_model_memory64`).
    pub component_model_memory64: bool,
    /// Accept the component model's GC extension: GC-typed lifts and lowers
    /// (`Config::wasm_component_model_gc`).
    pub component_model_gc: bool,
    /// Accept the component model's further async built-ins (`Config::wasm_component_model_more_async_builtins`).
    pub component_model_more_async_builtins: bool,
    /// Accept stackful async lifts: guests that block inside `waitable-set.wait` without a
    /// callback (`Config::wasm_component_model_async_stackful`).
    pub component_model_async_stackful: bool,
    /// Accept the component model's cooperative threads built-ins
    /// (`Config::wasm_component_model_threading`).
    pub component_model_threading: bool,
    /// How many worker threads poll the engine's asynchronous calls (see [`super::executor`]);
    /// `None`: one per available core. The workers start with the first async call.
    pub async_threads: Option<usize>,
}

/// A key for compiled code; never printed.
#[derive(Clone)]
pub struct CodeKey(pub Vec<u8>);

impl std::fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeKey(..)")
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            opt_level: OptimizationLevel::Speed,
            consume_fuel: false,
            epoch_interruption: false,
            max_wasm_stack: None,
            parallel_compilation: true,
            cache_dir: None,
            concurrency_support: false,
            signals_based_traps: true,
            wasm_backtrace: true,
            component_model_map: true,
            component_model_fixed_length_lists: true,
            compiled_code_key: None,
        }
    }
}

struct EngineInner {
    engine: wasmtime::Engine,
    config: EngineConfig,
    /// The payloads of the host-defined resource types linkers of this engine defined
    /// (`ResourceType::host_dynamic(payload)`), so that types met in instances can be
    /// recognised as host resources.
    host_resources: std::sync::RwLock<Vec<u32>>,
    ticker: std::sync::Once,
    async_threads: Option<usize>,
    executor: std::sync::OnceLock<Executor>,
    executor_init: std::sync::Mutex<()>,
}

/// wasmtime's default `max_wasm_stack`: the stack a guest may use when the configuration does
/// not say.
pub const DEFAULT_MAX_WASM_STACK: usize = 512 * 1024;

/// How often the engine's ticker advances the epoch once a store with a time limit exists.
pub const EPOCH_TICK: std::time::Duration = std::time::Duration::from_millis(5);

/// A compilation and runtime environment. Cheap to clone; shareable across threads.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

impl Engine {
    /// Creates an engine; fails with a message naming the setting wasmtime rejected.
    pub fn new(config: EngineConfig) -> Result<Engine> {
        Engine::with_options(config, EngineOptions::default())
    }

    /// [`Engine::new`] with the settings of [`EngineOptions`] too.
    pub fn with_options(config: EngineConfig, options: EngineOptions) -> Result<Engine> {
        let mut c = Config::new();
        c.cranelift_opt_level(match config.opt_level {
            OptimizationLevel::None => OptLevel::None,
            OptimizationLevel::Speed => OptLevel::Speed,
            OptimizationLevel::SpeedAndSize => OptLevel::SpeedAndSize,
        });
        c.consume_fuel(config.consume_fuel);
        c.epoch_interruption(config.epoch_interruption);
        if let Some(stack) = config.max_wasm_stack {
            c.max_wasm_stack(stack);
        }
        c.parallel_compilation(config.parallel_compilation);
        c.concurrency_support(config.concurrency_support);
        c.signals_based_traps(config.signals_based_traps);
        if !config.wasm_backtrace {
            c.wasm_backtrace_max_frames(None);
        }
        c.relaxed_simd_deterministic(options.relaxed_simd_deterministic);
        c.wasm_component_model(true);
        c.wasm_component_model_map(config.component_model_map);
        c.wasm_component_model_fixed_length_lists(config.component_model_fixed_length_lists);
        c.wasm_component_model_error_context(options.component_model_error_context);
        c.wasm_component_model_implements(options.component_model_implements);
        c.wasm_component_model_memory64(options.component_model_memory64);
        c.wasm_component_model_gc(options.component_model_gc);
        c.wasm_component_model_more_async_builtins(options.component_model_more_async_builtins);
        c.wasm_component_model_async_stackful(options.component_model_async_stackful);
        c.wasm_component_model_threading(options.component_model_threading);
        if let Some(dir) = &config.cache_dir {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::Io(format!(
                    "cannot create cache directory {}: {e}",
                    dir.display()
                ))
            })?;
            let mut cache_config = CacheConfig::new();
            cache_config.with_directory(dir.clone());
            let cache = Cache::new(cache_config).map_err(|e| {
                Error::InvalidArgument(format!("cannot use cache directory {}: {e}", dir.display()))
            })?;
            c.cache(Some(cache));
        }
        if matches!(&config.compiled_code_key, Some(k) if k.0.len() < 16) {
            return Err(Error::InvalidArgument(
                "a compiled-code key must be at least 16 bytes (32 random bytes are best)".into(),
            ));
        }
        let engine = wasmtime::Engine::new(&c)
            .map_err(|e| Error::InvalidArgument(format!("invalid engine configuration: {e:#}")))?;
        Ok(Engine {
            inner: Arc::new(EngineInner {
                engine,
                config,
                host_resources: std::sync::RwLock::new(Vec::new()),
                ticker: std::sync::Once::new(),
                async_threads: options.async_threads,
                executor: std::sync::OnceLock::new(),
                executor_init: std::sync::Mutex::new(()),
            }),
        })
    }

    /// The wasmtime engine.
    /// Records that `payload` names a host-defined resource type of this engine.
    pub fn register_host_resource(&self, payload: u32) {
        let mut all = self
            .inner
            .host_resources
            .write()
            .unwrap_or_else(|p| p.into_inner());
        if !all.contains(&payload) {
            all.push(payload);
        }
    }

    /// The payloads of the host-defined resource types of this engine.
    pub fn host_resources(&self) -> Vec<u32> {
        self.inner
            .host_resources
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn wasmtime(&self) -> &wasmtime::Engine {
        &self.inner.engine
    }

    /// The configuration this engine was made with.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// Whether two engines are the same one.
    pub fn same(&self, other: &Engine) -> bool {
        wasmtime::Engine::same(&self.inner.engine, &other.inner.engine)
    }

    /// Fails unless `other` is this engine; `what` names the object for the message.
    pub fn check_same(&self, other: &wasmtime::Engine, what: &str) -> Result<()> {
        if wasmtime::Engine::same(&self.inner.engine, other) {
            Ok(())
        } else {
            Err(Error::Mismatch(format!(
                "{what} belongs to a different Engine; objects from different engines cannot be \
                 combined"
            )))
        }
    }

    /// Starts the engine's ticker thread (once): it advances the epoch every [`EPOCH_TICK`]
    /// for as long as the engine lives, which is what enforces store time limits.
    pub fn ensure_ticker(&self) {
        let weak = Arc::downgrade(&self.inner);
        self.inner.ticker.call_once(move || {
            let spawned = std::thread::Builder::new()
                .name("wasmtime-jvm-epoch".into())
                .spawn(move || loop {
                    std::thread::sleep(EPOCH_TICK);
                    match weak.upgrade() {
                        Some(inner) => inner.engine.increment_epoch(),
                        None => return,
                    }
                });
            // Without a ticker, time limits are not enforced; fail loudly on the next check.
            if spawned.is_err() {
                eprintln!("wasmtime-jvm: cannot start the epoch ticker thread");
            }
        });
    }

    /// The executor of this engine's asynchronous calls, started on first use.
    pub fn executor(&self) -> Result<&Executor> {
        if let Some(e) = self.inner.executor.get() {
            return Ok(e);
        }
        let _once = self
            .inner
            .executor_init
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(e) = self.inner.executor.get() {
            return Ok(e);
        }
        let threads = self
            .inner
            .async_threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let _ = self.inner.executor.set(Executor::new(threads)?);
        Ok(self.inner.executor.get().expect("set above"))
    }

    /// Advances the epoch by one tick (interrupting stores whose deadline is reached).
    pub fn increment_epoch(&self) {
        self.inner.engine.increment_epoch();
    }

    /// Compiles a component for this engine's target without instantiating it: the checked
    /// image (see [`super::compiled`]) that `Component::deserialize` loads later, on an engine
    /// with the same settings.
    pub fn precompile_component(&self, bytes: &[u8]) -> Result<Vec<u8>> {
        let raw = self
            .inner
            .engine
            .precompile_component(bytes)
            .map_err(Error::from_compile)?;
        Ok(super::compiled::seal(
            super::compiled::Kind::Component,
            &raw,
            self.code_key(),
        ))
    }

    /// Compiles a core module ahead of time into the checked image [`super::module::Module::deserialize`]
    /// loads (authenticated with the engine's compiled-code key when it has one).
    pub fn precompile_module(&self, bytes: &[u8]) -> Result<Vec<u8>> {
        let raw = self
            .inner
            .engine
            .precompile_module(bytes)
            .map_err(Error::from_compile)?;
        Ok(super::compiled::seal(
            super::compiled::Kind::Module,
            &raw,
            self.code_key(),
        ))
    }

    /// The compiled-code key, if the engine has one.
    pub fn code_key(&self) -> Option<&[u8]> {
        self.inner
            .config
            .compiled_code_key
            .as_ref()
            .map(|k| k.0.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_builds() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        assert!(engine.same(&engine.clone()));
        let other = Engine::new(EngineConfig::default()).unwrap();
        assert!(!engine.same(&other));
    }

    #[test]
    fn relaxed_simd_deterministic_is_accepted() {
        let options = EngineOptions {
            relaxed_simd_deterministic: true,
            ..EngineOptions::default()
        };
        Engine::with_options(EngineConfig::default(), options).unwrap();
    }

    #[test]
    fn component_model_switches_enable_their_features() {
        // A component whose canonical options lift through a 64-bit memory compiles only with
        // `component_model_memory64` on.
        let wat = r#"(component
            (core module $m
                (memory (export "mem") i64 1)
                (func (export "f") (result i64) i64.const 0))
            (core instance $i (instantiate $m))
            (func (export "f") (result string)
                (canon lift (core func $i "f") (memory (core memory $i "mem")))))"#;
        let bytes = wat::parse_str(wat).unwrap();
        let off = Engine::new(EngineConfig::default()).unwrap();
        assert!(wasmtime::component::Component::new(off.wasmtime(), &bytes).is_err());
        let on = Engine::with_options(
            EngineConfig::default(),
            EngineOptions {
                component_model_memory64: true,
                ..EngineOptions::default()
            },
        )
        .unwrap();
        wasmtime::component::Component::new(on.wasmtime(), &bytes).unwrap();
        // The other switches are accepted together; error-context counts among wasmtime's
        // async features, so it needs concurrency support.
        let others = EngineOptions {
            component_model_error_context: true,
            component_model_implements: true,
            component_model_gc: true,
            component_model_more_async_builtins: true,
            component_model_async_stackful: true,
            component_model_threading: true,
            ..EngineOptions::default()
        };
        match Engine::with_options(EngineConfig::default(), others.clone()) {
            Err(Error::InvalidArgument(m)) => assert!(m.contains("concurrency support"), "{m}"),
            other => panic!(
                "expected a configuration error, got {:?}",
                other.map(|_| ())
            ),
        }
        let concurrent = EngineConfig {
            concurrency_support: true,
            ..EngineConfig::default()
        };
        Engine::with_options(concurrent, others).unwrap();
    }

    #[test]
    fn cache_dir_is_created() {
        let dir = std::env::temp_dir().join(format!("wjvm-cache-{}", std::process::id()));
        let config = EngineConfig {
            cache_dir: Some(dir.clone()),
            ..EngineConfig::default()
        };
        Engine::new(config).unwrap();
        assert!(dir.is_dir());
        let _ = std::fs::remove_dir_all(dir);
    }
}
