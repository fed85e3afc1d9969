//! Natives of `io.github.wasmtimejvm.http.HttpProxy`: one request to a `wasi:http/proxy`
//! component, in and out as byte arrays (the layouts are `HttpProxy`'s `encodeHead` and
//! `decode`); and the streamed form (`HttpProxy.stream`), whose `core::http::Exchange` the
//! handler's thread runs (`exchangeRun0`) while the caller's reads the head and the body.

use std::sync::Arc;
use std::time::Duration;

use jni::objects::{JByteArray, JClass};
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;

use super::{run, store_ref, Shared};
use crate::core::http::{Exchange, HttpLimits, HttpRequest, HttpResponse};
use crate::core::{Error, InstancePre, Result};

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_handle0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    pre: jlong,
    store: jlong,
    head: JByteArray<'l>,
    body: JByteArray<'l>,
    max_response_body: jlong,
    body_wait_nanos: jlong,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let pre = unsafe { Shared::<InstancePre>::get(pre) }?;
        let head = env.convert_byte_array(&head)?;
        let mut request = decode_head(&head)?;
        request.body = env.convert_byte_array(&body)?.into();
        let limits = HttpLimits {
            max_response_body: max_response_body.max(0) as u64,
            body_wait: std::time::Duration::from_nanos(body_wait_nanos.max(0) as u64),
        };
        let response = pre.handle_http(unsafe { store_ref(store) }, request, limits)?;
        Ok(env.byte_array_from_slice(&encode(&response))?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeNew0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> jlong {
    run(&mut env, |_| {
        Ok(Shared::into_raw_arc(
            Arc::new(Exchange::new()),
            "HttpExchange",
        ))
    })
}

/// Runs the handler of a streamed request on this thread; its outcome goes to the exchange.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeRun0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    exchange: jlong,
    pre: jlong,
    store: jlong,
    head: JByteArray<'l>,
    body: JByteArray<'l>,
) {
    run(&mut env, |env| {
        let exchange = unsafe { Shared::<Exchange>::get(exchange) }?;
        let prepared = (|| -> super::JniResult<_> {
            let pre = unsafe { Shared::<InstancePre>::get(pre) }?;
            let head = env.convert_byte_array(&head)?;
            let mut request = decode_head(&head)?;
            request.body = env.convert_byte_array(&body)?.into();
            Ok((pre, request))
        })();
        match prepared {
            Ok((pre, request)) => exchange.run(&pre, unsafe { store_ref(store) }, request),
            // The reader waiting for the head gets the failure.
            Err(super::JniError::Core(e)) => exchange.fail(e),
            Err(super::JniError::Jni(e)) => exchange.fail(Error::Runtime(format!(
                "JNI failure starting a request: {e}"
            ))),
        }
        Ok(())
    })
}

/// The response's status and headers (the layout of `encode`, with an empty body).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeHead0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    exchange: jlong,
    wait_nanos: jlong,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let exchange = unsafe { Shared::<Exchange>::get(exchange) }?;
        let head = exchange.head(Duration::from_nanos(wait_nanos.max(0) as u64))?;
        Ok(env.byte_array_from_slice(&encode(&head))?)
    })
}

/// Reads up to `length` body bytes into `buf` at `offset`: how many, or -1 at the end.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeRead0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    exchange: jlong,
    buf: JByteArray<'l>,
    offset: jint,
    length: jint,
    wait_nanos: jlong,
) -> jint {
    run(&mut env, |env| {
        let exchange = unsafe { Shared::<Exchange>::get(exchange) }?;
        let mut chunk = vec![0u8; length.clamp(0, 1 << 20) as usize];
        let n = exchange.read(&mut chunk, Duration::from_nanos(wait_nanos.max(0) as u64))?;
        if n == 0 && !chunk.is_empty() {
            return Ok(-1);
        }
        // Safety: the first `n` bytes of `chunk`, seen as `i8` (same size and alignment).
        let signed: &[i8] = unsafe { std::slice::from_raw_parts(chunk.as_ptr().cast(), n) };
        buf.set_region(env, offset, signed)?;
        Ok(n as jint)
    })
}

/// Makes the request body one the host writes (`exchangeWrite0`); before `exchangeRun0`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeStreamRequest0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    exchange: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Exchange>::get(exchange) }?.stream_request_body();
        Ok(())
    })
}

/// Sends `length` bytes of `buf` at `offset` as request body, waiting for the guest to take the
/// earlier ones; false when it reads no more.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeWrite0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    exchange: jlong,
    buf: JByteArray<'l>,
    offset: jint,
    length: jint,
) -> jboolean {
    run(&mut env, |env| {
        let exchange = unsafe { Shared::<Exchange>::get(exchange) }?;
        let mut chunk = vec![0i8; length.max(0) as usize];
        buf.get_region(env, offset, &mut chunk)?;
        let bytes: Vec<u8> = chunk.into_iter().map(|b| b as u8).collect();
        Ok(exchange.write_request_body(bytes.into())?)
    })
}

/// Ends the request body (as failed when `failed`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeEndRequest0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    exchange: jlong,
    failed: jboolean,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Exchange>::get(exchange) }?.end_request_body(failed);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeClose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    exchange: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Exchange>::get(exchange) }?.close();
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_http_HttpProxy_exchangeFree0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    exchange: jlong,
) {
    run(&mut env, |_| {
        unsafe { Shared::<Exchange>::free(exchange) };
        Ok(())
    })
}

fn malformed() -> Error {
    Error::InvalidArgument("malformed HTTP request encoding".into())
}

/// method, URI, then the headers: each a little-endian u32 length and its bytes.
fn decode_head(buf: &[u8]) -> Result<HttpRequest> {
    let mut pos = 0;
    let mut bytes = || -> Result<&[u8]> {
        let n = buf.get(pos..pos + 4).ok_or_else(malformed)?;
        let n = u32::from_le_bytes(n.try_into().unwrap()) as usize;
        let s = buf.get(pos + 4..pos + 4 + n).ok_or_else(malformed)?;
        pos += 4 + n;
        Ok(s)
    };
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|_| malformed());
    let method = text(bytes()?)?;
    let uri = text(bytes()?)?;
    let count = u32::from_le_bytes(bytes()?.try_into().map_err(|_| malformed())?);
    let mut headers = Vec::new();
    for _ in 0..count {
        let name = text(bytes()?)?;
        headers.push((name, bytes()?.to_vec()));
    }
    if pos != buf.len() {
        return Err(malformed());
    }
    Ok(HttpRequest {
        method,
        uri,
        headers,
        body: Default::default(),
    })
}

/// status, header count, each name and value, then the body: u32 little-endian lengths.
fn encode(r: &HttpResponse) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + r.body.len());
    let mut put = |b: &[u8]| {
        out.extend_from_slice(&(b.len() as u32).to_le_bytes());
        out.extend_from_slice(b);
    };
    put(&u32::from(r.status).to_le_bytes());
    put(&(r.headers.len() as u32).to_le_bytes());
    for (name, value) in &r.headers {
        put(name.as_bytes());
        put(value);
    }
    put(&r.body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(out: &mut Vec<u8>, b: &[u8]) {
        out.extend_from_slice(&(b.len() as u32).to_le_bytes());
        out.extend_from_slice(b);
    }

    #[test]
    fn a_head_decodes_and_truncations_are_errors() {
        let mut head = Vec::new();
        field(&mut head, b"POST");
        field(&mut head, b"/echo?x=1");
        field(&mut head, &2u32.to_le_bytes());
        field(&mut head, b"foo");
        field(&mut head, b"bar");
        field(&mut head, b"foo");
        field(&mut head, &[0xff, 0]);
        let r = decode_head(&head).unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.uri, "/echo?x=1");
        assert_eq!(
            r.headers,
            vec![
                ("foo".into(), b"bar".to_vec()),
                ("foo".into(), vec![0xff, 0])
            ]
        );
        for n in 0..head.len() {
            assert!(decode_head(&head[..n]).is_err(), "{n}");
        }
        let mut longer = head.clone();
        longer.push(0);
        assert!(decode_head(&longer).is_err());
    }
}
