//! Engine: compilation settings shared by every store, component and linker made from it.

#![allow(non_camel_case_types)]

use std::ffi::c_char;
use std::path::PathBuf;

use super::error::wjvm_error_t;
use super::{guard, guard_or, handle, utf8, write_box};
use crate::core::engine::EngineOptions;
use crate::core::{Engine, EngineConfig, Error, OptimizationLevel, Result};

/// Cranelift optimisation levels, for `wjvm_engine_config_t.opt_level`.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum wjvm_opt_level_t {
    WJVM_OPT_LEVEL_NONE = 0,
    WJVM_OPT_LEVEL_SPEED = 1,
    WJVM_OPT_LEVEL_SPEED_AND_SIZE = 2,
}

/// Engine settings. Start from `wjvm_engine_config_default`, then change fields. Flags are
/// `uint8_t`: 0 is false, anything else true.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct wjvm_engine_config_t {
    /// A `wjvm_opt_level_t`.
    pub opt_level: u8,
    /// Count fuel; stores then need fuel to run anything.
    pub consume_fuel: u8,
    /// Check epoch deadlines, so that a long-running guest can be interrupted.
    pub epoch_interruption: u8,
    /// Compile functions on several threads.
    pub parallel_compilation: u8,
    /// Component-model async machinery; slows every call, so off unless needed.
    pub concurrency_support: u8,
    /// Catch out-of-bounds accesses with signal handlers rather than explicit checks.
    pub signals_based_traps: u8,
    /// Collect wasm backtraces for traps.
    pub wasm_backtrace: u8,
    /// Accept `map<K, V>` types in components.
    pub component_model_map: u8,
    /// Accept fixed-length `list<T, N>` types in components.
    pub component_model_fixed_length_lists: u8,
    /// Maximum wasm stack in bytes; 0 keeps wasmtime's default (512 KiB).
    pub max_wasm_stack: u64,
    /// A directory for wasmtime's compiled-code cache (UTF-8, created if missing); NULL with
    /// length 0 for no cache.
    pub cache_dir: *const c_char,
    pub cache_dir_len: usize,
    /// Accept the component model's `error-context` type and built-ins.
    pub component_model_error_context: u8,
    /// Accept the `(implements "...")` annotations of component imports and exports.
    pub component_model_implements: u8,
    /// Accept canonical options that lift and lower through 64-bit memories.
    pub component_model_memory64: u8,
    /// Accept the component model's GC extension (GC-typed lifts and lowers).
    pub component_model_gc: u8,
    /// Accept the component model's further async built-ins.
    pub component_model_more_async_builtins: u8,
    /// Accept stackful async lifts (guests that block without a callback).
    pub component_model_async_stackful: u8,
    /// Accept the component model's cooperative threads built-ins.
    pub component_model_threading: u8,
}

fn flag(v: bool) -> u8 {
    v as u8
}

impl wjvm_engine_config_t {
    fn from_core(c: &EngineConfig, o: &EngineOptions) -> wjvm_engine_config_t {
        wjvm_engine_config_t {
            opt_level: match c.opt_level {
                OptimizationLevel::None => wjvm_opt_level_t::WJVM_OPT_LEVEL_NONE,
                OptimizationLevel::Speed => wjvm_opt_level_t::WJVM_OPT_LEVEL_SPEED,
                OptimizationLevel::SpeedAndSize => wjvm_opt_level_t::WJVM_OPT_LEVEL_SPEED_AND_SIZE,
            } as u8,
            consume_fuel: flag(c.consume_fuel),
            epoch_interruption: flag(c.epoch_interruption),
            parallel_compilation: flag(c.parallel_compilation),
            concurrency_support: flag(c.concurrency_support),
            signals_based_traps: flag(c.signals_based_traps),
            wasm_backtrace: flag(c.wasm_backtrace),
            component_model_map: flag(c.component_model_map),
            component_model_fixed_length_lists: flag(c.component_model_fixed_length_lists),
            max_wasm_stack: c.max_wasm_stack.unwrap_or(0) as u64,
            cache_dir: std::ptr::null(),
            cache_dir_len: 0,
            component_model_error_context: flag(o.component_model_error_context),
            component_model_implements: flag(o.component_model_implements),
            component_model_memory64: flag(o.component_model_memory64),
            component_model_gc: flag(o.component_model_gc),
            component_model_more_async_builtins: flag(o.component_model_more_async_builtins),
            component_model_async_stackful: flag(o.component_model_async_stackful),
            component_model_threading: flag(o.component_model_threading),
        }
    }

    /// # Safety
    /// `cache_dir` must be NULL or point to `cache_dir_len` bytes.
    unsafe fn to_core(self) -> Result<(EngineConfig, EngineOptions)> {
        let opt_level = match self.opt_level {
            0 => OptimizationLevel::None,
            1 => OptimizationLevel::Speed,
            2 => OptimizationLevel::SpeedAndSize,
            other => {
                return Err(Error::InvalidArgument(format!(
                    "opt_level {other} is not a wjvm_opt_level_t (0, 1 or 2)"
                )))
            }
        };
        let max_wasm_stack = match self.max_wasm_stack {
            0 => None,
            n => Some(usize::try_from(n).map_err(|_| {
                Error::InvalidArgument(format!("max_wasm_stack {n} does not fit this platform"))
            })?),
        };
        let cache_dir = unsafe { utf8(self.cache_dir, self.cache_dir_len, "cache_dir") }?;
        let config = EngineConfig {
            opt_level,
            consume_fuel: self.consume_fuel != 0,
            epoch_interruption: self.epoch_interruption != 0,
            max_wasm_stack,
            parallel_compilation: self.parallel_compilation != 0,
            cache_dir: (!cache_dir.is_empty()).then(|| PathBuf::from(cache_dir)),
            concurrency_support: self.concurrency_support != 0,
            signals_based_traps: self.signals_based_traps != 0,
            wasm_backtrace: self.wasm_backtrace != 0,
            component_model_map: self.component_model_map != 0,
            component_model_fixed_length_lists: self.component_model_fixed_length_lists != 0,
            // Images are checksummed; keyed authentication is offered to Java only so far.
            compiled_code_key: None,
        };
        let options = EngineOptions {
            component_model_error_context: self.component_model_error_context != 0,
            component_model_implements: self.component_model_implements != 0,
            component_model_memory64: self.component_model_memory64 != 0,
            component_model_gc: self.component_model_gc != 0,
            component_model_more_async_builtins: self.component_model_more_async_builtins != 0,
            component_model_async_stackful: self.component_model_async_stackful != 0,
            component_model_threading: self.component_model_threading != 0,
            ..EngineOptions::default()
        };
        Ok((config, options))
    }
}

/// A compilation and runtime environment; thread-safe. Free with `wjvm_engine_delete` (objects
/// made from it keep what they need alive).
pub struct wjvm_engine_t {
    pub(crate) engine: Engine,
}

/// Fills `config` with the default settings: optimise for speed, parallel compilation,
/// signal-based traps, backtraces, map and fixed-length-list types on; fuel, epochs,
/// component-model async, error-context, implements, memory64 and GC off; no cache.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_engine_config_default(config: *mut wjvm_engine_config_t) {
    guard_or((), || {
        if !config.is_null() {
            let value = wjvm_engine_config_t::from_core(
                &EngineConfig::default(),
                &EngineOptions::default(),
            );
            unsafe { config.write(value) };
        }
    })
}

/// Creates an engine with `config` (NULL: the defaults) and stores it in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_engine_new(
    config: *const wjvm_engine_config_t,
    out: *mut *mut wjvm_engine_t,
) -> *mut wjvm_error_t {
    guard(|| {
        super::check_out(out, "out")?;
        let (config, options) = match unsafe { config.as_ref() } {
            Some(c) => unsafe { c.to_core() }?,
            None => (EngineConfig::default(), EngineOptions::default()),
        };
        let engine = Engine::with_options(config, options)?;
        unsafe { write_box(out, "out", wjvm_engine_t { engine }) }
    })
}

/// Advances the engine's epoch by one tick, interrupting stores whose deadline is reached.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_engine_increment_epoch(
    engine: *const wjvm_engine_t,
) -> *mut wjvm_error_t {
    guard(|| {
        unsafe { handle(engine, "engine") }?
            .engine
            .increment_epoch();
        Ok(())
    })
}

/// Frees an engine (NULL does nothing).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_engine_delete(engine: *mut wjvm_engine_t) {
    unsafe { super::delete(engine) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_round_trips_and_bad_levels_are_refused() {
        let mut c = std::mem::MaybeUninit::<wjvm_engine_config_t>::uninit();
        let mut c = unsafe {
            wjvm_engine_config_default(c.as_mut_ptr());
            c.assume_init()
        };
        let (core, options) = unsafe { c.to_core() }.unwrap();
        assert_eq!(options, EngineOptions::default());
        let d = EngineConfig::default();
        assert_eq!(core.opt_level, d.opt_level);
        assert_eq!(core.component_model_map, d.component_model_map);
        assert_eq!(core.max_wasm_stack, None);
        assert_eq!(core.cache_dir, None);
        c.opt_level = 7;
        assert!(
            matches!(unsafe { c.to_core() }, Err(Error::InvalidArgument(m)) if m.contains("opt_level 7"))
        );
    }
}
