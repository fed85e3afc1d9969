//! wasmtime-jvm native library: one core over wasmtime, with a JNI face for the Java facade
//! and a C face for Panama and C callers.

mod capi;
pub mod core;
#[doc(hidden)]
pub mod fuzzing;
mod jni;
