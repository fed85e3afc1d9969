//! Natives of `io.github.wasmtimejvm.internal.CallBuffer`.

use jni::objects::{JByteBuffer, JClass};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;

use super::{buffer, run};

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_internal_CallBuffer_directAddress<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    buf: JByteBuffer<'l>,
) -> jlong {
    run(&mut env, |env| {
        Ok(env.get_direct_buffer_address(&buf)? as jlong)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_internal_CallBuffer_register0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    address: jlong,
    capacity: jint,
) {
    run(&mut env, |_| {
        buffer::register(address as *mut u8, capacity.max(0) as usize);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_internal_CallBuffer_takeOverflow0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) {
    run(&mut env, |_| Ok(buffer::take_overflow()?))
}
