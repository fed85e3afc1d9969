//! Component bytes (or WAT, or an edited compiled image) compiled, instantiated and called: see
//! `wasmtime_jvm::fuzzing::component_load`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wasmtime_jvm::fuzzing::component_load(data));
