//! The JNI face's type and value readers on bytes as Java would write them: see
//! `wasmtime_jvm::fuzzing::value_codec`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wasmtime_jvm::fuzzing::value_codec(data));
