//! The WASI configuration as `WasiConfig.java` hands it over: an encoded byte array of the plain
//! settings plus the Java objects (stdin `InputStream`, stdout and stderr `OutputStream`s, the
//! `NetworkPolicy`), which become core sinks and sources calling back into Java.
//!
//! Encoding (little-endian, strings as u32 length + UTF-8): args (count, strings); env (count,
//! key/value pairs); inherit-env u8; cwd (u8 present, string); stdin kind u8 (0 empty, 1 bytes
//! then count + bytes, 2 inherit, 3 Java stream); stdout and stderr kind u8 (0 discard,
//! 1 inherit, 2 capture then u64 limit, 3 Java stream); preopens (count, host, guest, u8
//! read-only); wall and monotonic clock (u8 kind 0 system / 1 fixed / 2 advancing, u64 start,
//! u64 step); u8 has-seed, u64 seed; u8 tcp, u8 udp, u8 name lookup; u8 has-policy; u8
//! has-audit (then u8 granted too); Java filesystem preopens (count, guest, u8 read-only).
//!
//! Objects: stdin, stdout, stderr, network policy, audit listener, then one `GuestFiles` per
//! Java filesystem preopen.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use jni::ids::{JMethodID, JStaticMethodID};
use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString, JValue};
use jni::refs::Global;
use jni::signature::{Primitive, ReturnType};
use jni::vm::JavaVM;
use jni::{jni_sig, jni_str, Env};

use super::java_fs::JavaFs;
use super::JniResult;
use crate::core::error::{Error, Result};
use crate::core::http::{HttpPolicy, HttpRule};
use crate::core::wasi::{
    Audit, AuditArea, AuditEvent, AuditListener, ClockSpec, HostFsPreopen, InputSource, Output,
    OutputSink, Preopen, SocketPolicy, SocketUse, Stdin, WasiConfig,
};

struct Methods {
    write: JMethodID,
    flush: JMethodID,
    read: JMethodID,
    bridge: Global<JClass<'static>>,
    allows: JStaticMethodID,
    audit_class: Global<JClass<'static>>,
    audit: JStaticMethodID,
}

static METHODS: OnceLock<Methods> = OnceLock::new();

fn methods(env: &mut Env<'_>) -> JniResult<&'static Methods> {
    if let Some(m) = METHODS.get() {
        return Ok(m);
    }
    let output = env.find_class(jni_str!("java/io/OutputStream"))?;
    let write = env.get_method_id(&output, jni_str!("write"), jni_sig!("([BII)V"))?;
    let flush = env.get_method_id(&output, jni_str!("flush"), jni_sig!("()V"))?;
    let input = env.find_class(jni_str!("java/io/InputStream"))?;
    let read = env.get_method_id(&input, jni_str!("read"), jni_sig!("([BII)I"))?;
    let bridge = env.find_class(jni_str!("io/github/wasmtimejvm/wasi/NetworkPolicy"))?;
    let allows = env.get_static_method_id(
        &bridge,
        jni_str!("check"),
        jni_sig!("(Lio/github/wasmtimejvm/wasi/NetworkPolicy;Ljava/lang/String;II)Z"),
    )?;
    let bridge = env.new_global_ref(bridge)?;
    let audit_class = env.find_class(jni_str!("io/github/wasmtimejvm/wasi/AuditEvent"))?;
    let audit = env.get_static_method_id(
        &audit_class,
        jni_str!("deliver"),
        jni_sig!("(Lio/github/wasmtimejvm/wasi/AuditListener;JIZILjava/lang/String;Ljava/lang/String;Ljava/lang/String;)V"),
    )?;
    let audit_class = env.new_global_ref(audit_class)?;
    let _ = METHODS.set(Methods {
        write,
        flush,
        read,
        bridge,
        allows,
        audit_class,
        audit,
    });
    Ok(METHODS.get().expect("just set"))
}

fn vm() -> io::Result<JavaVM> {
    JavaVM::singleton().map_err(|e| io::Error::other(format!("no Java VM: {e}")))
}

/// Runs a Java upcall; a pending Java exception becomes an I/O error with its text.
fn upcall<T>(f: impl FnOnce(&mut Env<'_>, &'static Methods) -> JniResult<T>) -> io::Result<T> {
    vm()?
        .attach_current_thread(|env| -> jni::errors::Result<io::Result<T>> {
            env.with_local_frame(8, |env| -> jni::errors::Result<io::Result<T>> {
                let m = match methods(env) {
                    Ok(m) => m,
                    Err(e) => return Ok(Err(io::Error::other(format!("{e:?}")))),
                };
                let r = f(env, m);
                if env.exception_check() {
                    let text = env
                        .exception_occurred()
                        .map(|t| {
                            env.exception_clear();
                            describe(env, &t)
                        })
                        .unwrap_or_else(|| "a Java exception".to_owned());
                    return Ok(Err(io::Error::other(text)));
                }
                Ok(r.map_err(|e| io::Error::other(format!("{e:?}"))))
            })
        })
        .map_err(|e| io::Error::other(format!("JNI failure: {e}")))?
}

fn describe(env: &mut Env<'_>, t: &JObject<'_>) -> String {
    let text = env
        .call_method(
            t,
            jni_str!("toString"),
            jni_sig!("()Ljava/lang/String;"),
            &[],
        )
        .and_then(|v| v.l());
    match text {
        Ok(obj) if !obj.is_null() => JString::cast_local(env, obj)
            .and_then(|s| s.try_to_string(env))
            .unwrap_or_else(|_| "a Java exception".into()),
        _ => {
            env.exception_clear();
            "a Java exception".into()
        }
    }
}

/// A Java `OutputStream` the guest's output is written to as it comes.
struct JavaOutput(Global<JObject<'static>>);

impl OutputSink for JavaOutput {
    fn write(&self, bytes: &[u8]) -> io::Result<()> {
        upcall(|env, m| {
            let array = env.byte_array_from_slice(bytes)?;
            unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.write,
                    ReturnType::Primitive(Primitive::Void),
                    &[
                        JValue::Object(&array).as_jni(),
                        JValue::Int(0).as_jni(),
                        JValue::Int(bytes.len() as i32).as_jni(),
                    ],
                )?;
            }
            Ok(())
        })
    }

    fn flush(&self) -> io::Result<()> {
        upcall(|env, m| {
            unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.flush,
                    ReturnType::Primitive(Primitive::Void),
                    &[],
                )?;
            }
            Ok(())
        })
    }
}

/// A Java `InputStream` the guest's input is read from (each read blocks until data comes).
struct JavaInput(Global<JObject<'static>>);

impl InputSource for JavaInput {
    fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        let len = buf.len().min(1 << 16);
        upcall(|env, m| {
            let array = env.new_byte_array(len)?;
            let n = unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.read,
                    ReturnType::Primitive(Primitive::Int),
                    &[
                        JValue::Object(&array).as_jni(),
                        JValue::Int(0).as_jni(),
                        JValue::Int(len as i32).as_jni(),
                    ],
                )?
                .i()?
            };
            if n <= 0 {
                return Ok(0);
            }
            let n = n as usize;
            let dst: &mut [i8] =
                unsafe { std::mem::transmute::<&mut [u8], &mut [i8]>(&mut buf[..n]) };
            array.get_region(env, 0, dst)?;
            Ok(n)
        })
    }
}

/// A Java `NetworkPolicy`, asked about every socket address.
fn java_policy(policy: Global<JObject<'static>>) -> SocketPolicy {
    Arc::new(move |addr: SocketAddr, use_: SocketUse| {
        let allowed = upcall(|env, m| {
            let host = JString::from_str(env, addr.ip().to_string())?;
            let use_code = match use_ {
                SocketUse::TcpBind => 0,
                SocketUse::TcpListen => 1,
                SocketUse::TcpAccept => 2,
                SocketUse::TcpConnect => 3,
                SocketUse::UdpBind => 4,
                SocketUse::UdpSend => 5,
                SocketUse::UdpReceive => 6,
            };
            let r = unsafe {
                env.call_static_method_unchecked(
                    &m.bridge,
                    m.allows,
                    ReturnType::Primitive(Primitive::Boolean),
                    &[
                        JValue::Object(policy.as_obj()).as_jni(),
                        JValue::Object(&host).as_jni(),
                        JValue::Int(i32::from(addr.port())).as_jni(),
                        JValue::Int(use_code).as_jni(),
                    ],
                )?
                .z()?
            };
            Ok(r)
        });
        // A policy that fails denies.
        allowed.unwrap_or(false)
    })
}

/// A Java `AuditListener`, handed every event (its failures are the Java side's to report).
struct JavaAudit(Global<JObject<'static>>);

impl AuditListener for JavaAudit {
    fn event(&self, e: &AuditEvent) {
        let since = e
            .time
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let _ = upcall(|env, m| {
            let op = JString::from_str(env, e.operation)?;
            let target = JString::from_str(env, &e.target)?;
            let reason = JString::from_str(env, &e.reason)?;
            let area = match e.area {
                AuditArea::Filesystem => 0,
                AuditArea::Socket => 1,
                AuditArea::Http => 2,
            };
            unsafe {
                env.call_static_method_unchecked(
                    &m.audit_class,
                    m.audit,
                    ReturnType::Primitive(Primitive::Void),
                    &[
                        JValue::Object(self.0.as_obj()).as_jni(),
                        JValue::Long(since.as_secs().min(i64::MAX as u64) as i64).as_jni(),
                        JValue::Int(since.subsec_nanos() as i32).as_jni(),
                        JValue::Bool(e.granted).as_jni(),
                        JValue::Int(area).as_jni(),
                        JValue::Object(&op).as_jni(),
                        JValue::Object(&target).as_jni(),
                        JValue::Object(&reason).as_jni(),
                    ],
                )?;
            }
            Ok(())
        });
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

fn malformed() -> Error {
    Error::InvalidArgument("malformed WASI configuration encoding".into())
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let s = self.buf.get(self.pos..self.pos + n).ok_or_else(malformed)?;
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<usize> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()) as usize)
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    fn string(&mut self) -> Result<String> {
        let n = self.u32()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| malformed())
    }
    fn clock(&mut self) -> Result<ClockSpec> {
        let kind = self.u8()?;
        let start = self.u64()?;
        let step = self.u64()?;
        Ok(match kind {
            0 => ClockSpec::System,
            1 => ClockSpec::Fixed(start),
            _ => ClockSpec::Advancing { start, step },
        })
    }
}

/// A Java `HttpPolicy` (see its `encode`): the rules, then the limits (0 or all ones: none).
fn http_policy(r: &mut Reader<'_>) -> Result<HttpPolicy> {
    let mut policy = HttpPolicy::default();
    for _ in 0..r.u32()? {
        let scheme = r.string()?;
        let host = r.string()?;
        let port = r.u32()?;
        let mut methods = Vec::new();
        for _ in 0..r.u32()? {
            methods.push(r.string()?);
        }
        policy.rules.push(HttpRule {
            scheme: (!scheme.is_empty()).then_some(scheme),
            host,
            port: (port != 0).then_some(u16::try_from(port).map_err(|_| malformed())?),
            methods,
        });
    }
    let time = |n: u64| (n != 0).then(|| std::time::Duration::from_nanos(n));
    policy.connect_timeout = time(r.u64()?);
    policy.first_byte_timeout = time(r.u64()?);
    policy.between_bytes_timeout = time(r.u64()?);
    let cap = |n: u64| (n != u64::MAX).then_some(n);
    policy.max_request_body = cap(r.u64()?);
    policy.max_response_body = cap(r.u64()?);
    Ok(policy)
}

fn object<'l>(
    env: &mut Env<'l>,
    objects: &JObjectArray<'_>,
    index: usize,
) -> JniResult<Global<JObject<'static>>> {
    let o = objects.get_element(env, index)?;
    if o.is_null() {
        return Err(
            Error::InvalidArgument("a WASI stream or policy object is missing".into()).into(),
        );
    }
    Ok(env.new_global_ref(o)?)
}

fn output(
    r: &mut Reader<'_>,
    env: &mut Env<'_>,
    objects: &JObjectArray<'_>,
    index: usize,
) -> JniResult<Output> {
    Ok(match r.u8()? {
        0 => Output::Discard,
        1 => Output::Inherit,
        2 => Output::Capture(r.u64()? as usize),
        _ => Output::Sink(Arc::new(JavaOutput(object(env, objects, index)?))),
    })
}

/// Decodes a configuration from `WasiConfig.java`.
pub(crate) fn decode(
    env: &mut Env<'_>,
    bytes: &JByteArray<'_>,
    objects: &JObjectArray<'_>,
) -> JniResult<WasiConfig> {
    methods(env)?;
    let bytes = env.convert_byte_array(bytes)?;
    let mut r = Reader {
        buf: &bytes,
        pos: 0,
    };
    let mut c = WasiConfig::default();
    for _ in 0..r.u32()? {
        c.args.push(r.string()?);
    }
    for _ in 0..r.u32()? {
        let k = r.string()?;
        c.env.push((k, r.string()?));
    }
    c.inherit_env = r.u8()? != 0;
    if r.u8()? != 0 {
        c.cwd = Some(r.string()?);
    }
    c.stdin = match r.u8()? {
        0 => Stdin::Empty,
        1 => {
            let n = r.u32()?;
            Stdin::Bytes(bytes::Bytes::copy_from_slice(r.take(n)?))
        }
        2 => Stdin::Inherit,
        _ => Stdin::Source(Arc::new(JavaInput(object(env, objects, 0)?))),
    };
    c.stdout = output(&mut r, env, objects, 1)?;
    c.stderr = output(&mut r, env, objects, 2)?;
    for _ in 0..r.u32()? {
        let host = PathBuf::from(r.string()?);
        let guest = r.string()?;
        let read_only = r.u8()? != 0;
        c.preopens.push(Preopen {
            host,
            guest,
            read_only,
        });
    }
    c.wall_clock = r.clock()?;
    c.monotonic_clock = r.clock()?;
    let has_seed = r.u8()? != 0;
    let seed = r.u64()?;
    c.random_seed = has_seed.then_some(seed);
    c.allow_tcp = r.u8()? != 0;
    c.allow_udp = r.u8()? != 0;
    c.allow_ip_name_lookup = r.u8()? != 0;
    if r.u8()? != 0 {
        c.socket_policy = Some(java_policy(object(env, objects, 3)?));
    }
    if r.u8()? != 0 {
        let granted = r.u8()? != 0;
        c.audit = Some(Audit {
            listener: Arc::new(JavaAudit(object(env, objects, 4)?)),
            granted,
        });
    }
    let filesystems = r.u32()?;
    if filesystems > 0 {
        super::java_fs::load(env)?;
    }
    for i in 0..filesystems {
        let guest = r.string()?;
        let read_only = r.u8()? != 0;
        c.host_fs_preopens.push(HostFsPreopen {
            fs: Arc::new(JavaFs(object(env, objects, 5 + i)?)),
            guest,
            read_only,
        });
    }
    if r.u8()? != 0 {
        c.http_policy = Some(http_policy(&mut r)?);
    }
    if r.pos != r.buf.len() {
        return Err(malformed().into());
    }
    Ok(c)
}
