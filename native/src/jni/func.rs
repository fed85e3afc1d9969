//! Natives of `io.github.wasmtimejvm.component.Func`: the dynamic call through the call buffer.

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;
use wasmtime::component::Val;
use wasmtime::AsContextMut;

use super::value_codec::{Reader, Writer};
use super::{buffer, run, run_hot, store_ref, string, type_codec};
use crate::core::call::{self, Lx, Sink};
use crate::core::func::BulkOut;
use crate::core::types::ValType;
use crate::core::wave;
use crate::core::{Error, FuncId};

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_type0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let ty = unsafe { store_ref(store) }.enter(|s| s.func_type(FuncId(func as u32)))?;
        let mut out = Vec::new();
        type_codec::func_type(&mut out, &ty);
        Ok(env.byte_array_from_slice(&out)?)
    })
}

thread_local! {
    /// Whether the last `call0` on this thread passed its arguments to the callee.
    static PASSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Calls the function with the arguments encoded in the call buffer; returns the results
/// length for `CallBuffer.results`. When the call fails, `passed0` says whether the arguments
/// reached the callee (then the guest took the owned ones) or not.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_call0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    arg_length: jint,
) -> jint {
    run_hot(&mut env, || {
        let id = FuncId(func as u32);
        let mut results = ResultsOut(None);
        // False also when the store refused the call (closed, busy) before the call sequence.
        PASSED.set(false);
        unsafe { store_ref(store) }.enter(|s| {
            let mut args = Reader::new(buffer::args(arg_length)?);
            let outcome = s.call_with(id, &mut args, &mut results);
            PASSED.set(outcome.passed);
            outcome.result
        })?;
        Ok(results.0.map_or(0, |out| out.0.finish()))
    })
}

/// Whether the last `call0` on this thread, which failed, passed its arguments to the callee.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_passed0<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> jboolean {
    PASSED.get()
}

/// The results of a call, written straight into the call buffer once the call returned (a
/// host function it ran may have replaced the buffer meanwhile).
struct ResultsOut(Option<Writer<buffer::Output>>);

impl Sink for ResultsOut {
    fn start(&mut self, _vals: &[Val]) -> crate::core::Result<()> {
        self.0 = Some(Writer(buffer::Output::new()));
        Ok(())
    }

    fn write(&mut self, val: &Val, ty: &ValType, lx: &mut Lx<'_, '_>) -> crate::core::Result<()> {
        self.writer()?.write(val, ty, lx)
    }

    fn write_bulk(
        &mut self,
        out: &BulkOut,
        ty: &ValType,
        lx: &mut Lx<'_, '_>,
    ) -> crate::core::Result<()> {
        self.writer()?.write_bulk(out, ty, lx)
    }
}

impl ResultsOut {
    fn writer(&mut self) -> crate::core::Result<&mut Writer<buffer::Output>> {
        self.0
            .as_mut()
            .ok_or_else(|| Error::Runtime("results written before the call returned".into()))
    }
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_parseWave0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    arguments: JString<'l>,
) -> jint {
    run(&mut env, |env| {
        let text = string(env, &arguments)?;
        let id = FuncId(func as u32);
        let length = unsafe { store_ref(store) }.enter(|s| {
            let vals = s.wave_arguments(id, &text)?;
            let ty = s.func_type(id)?;
            let types: Vec<&ValType> = ty.params.iter().map(|(_, t)| t).collect();
            let mut out = Writer(buffer::Output::new());
            call::write_values(s.store.as_context_mut(), &vals, &types, &mut out)?;
            Ok(out.0.finish())
        })?;
        Ok(length)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_component_Func_formatWave0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    index: jint,
    length: jint,
) -> JString<'l> {
    run(&mut env, |env| {
        let id = FuncId(func as u32);
        let text = unsafe { store_ref(store) }.enter(|s| {
            let ty = s.func_type(id)?;
            let t = ty
                .results
                .get(index as usize)
                .ok_or_else(|| Error::InvalidArgument(format!("no result {index}")))?;
            // Printing does not consume: an owned resource stays with the host.
            let mut reader = Reader::new(buffer::args(length)?);
            let val = call::look(s.store.as_context_mut(), t, &mut reader)?;
            wave::to_wave(&val)
        })?;
        Ok(JString::from_str(env, text)?)
    })
}
