//! The one runtime core: engines, stores, components, linkers, instances and functions over
//! `wasmtime::component`. It knows nothing of JNI or C; the adapters in `crate::jni` and
//! `crate::capi` translate their callers' requests into these calls.

pub mod async_call;
pub mod binary;
pub mod call;
pub mod compiled;
pub mod component;
pub mod compose;
pub mod engine;
pub mod error;
pub mod executor;
pub mod export;
pub mod func;
pub mod host;
pub mod http;
pub mod instance;
pub mod instance_pre;
pub mod linker;
pub mod module;
pub mod panics;
pub mod resource;
pub mod scalar;
pub mod stack;
pub mod store;
pub mod types;
pub mod wasi;
pub mod wave;
pub mod wit;

#[cfg(test)]
pub(crate) mod testing;

pub use component::Component;
pub use engine::{Engine, EngineConfig, OptimizationLevel};
pub use error::{Error, Result};
pub use instance::{FuncId, InstanceId};
pub use instance_pre::InstancePre;
pub use linker::Linker;
pub use resource::ResourceId;
pub use store::{Store, StoreInner, StoreOptions};
