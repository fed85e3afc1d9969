//! A Java `FileSystem` as a guest's preopened directory: [`HostFileSystem`] over the methods of
//! `io.github.wasmtimejvm.internal.GuestFiles`. Every call is an upcall on the thread running
//! the guest; a Java exception becomes the [`FsFailure`] `GuestFiles.failure` names. Bytes cross
//! as copies (a provider may keep the arrays it is given).

use std::sync::OnceLock;

use jni::ids::{JMethodID, JStaticMethodID};
use jni::objects::{JByteArray, JClass, JLongArray, JObject, JObjectArray, JString, JValue};
use jni::refs::Global;
use jni::signature::{Primitive, ReturnType};
use jni::vm::JavaVM;
use jni::{jni_sig, jni_str, Env};

use super::JniResult;
use crate::core::wasi::{
    FsFailure, FsKind, FsResult, FsStat, FsTime, HostFileSystem, OpenHow, Opened, TimeChange,
};

struct Methods {
    class: Global<JClass<'static>>,
    failure: JStaticMethodID,
    stat: JMethodID,
    open: JMethodID,
    file_stat: JMethodID,
    read: JMethodID,
    write: JMethodID,
    set_size: JMethodID,
    sync: JMethodID,
    close: JMethodID,
    list: JMethodID,
    create_dir: JMethodID,
    remove_dir: JMethodID,
    remove_file: JMethodID,
    rename: JMethodID,
    symlink: JMethodID,
    hard_link: JMethodID,
    read_link: JMethodID,
    set_times: JMethodID,
}

static METHODS: OnceLock<Methods> = OnceLock::new();

/// Looks the methods up once; called from a Java thread first (`WasiConfig`'s decoding), where
/// the library's class loader finds the class.
pub(crate) fn load(env: &mut Env<'_>) -> JniResult<()> {
    if METHODS.get().is_some() {
        return Ok(());
    }
    let c = env.find_class(jni_str!("io/github/wasmtimejvm/internal/GuestFiles"))?;
    let m = Methods {
        failure: env.get_static_method_id(
            &c,
            jni_str!("failure"),
            jni_sig!("(Ljava/lang/Throwable;)I"),
        )?,
        stat: env.get_method_id(&c, jni_str!("stat"), jni_sig!("(Ljava/lang/String;)[J"))?,
        open: env.get_method_id(&c, jni_str!("open"), jni_sig!("(Ljava/lang/String;I)J"))?,
        file_stat: env.get_method_id(&c, jni_str!("fileStat"), jni_sig!("(J)[J"))?,
        read: env.get_method_id(&c, jni_str!("read"), jni_sig!("(JJ[B)I"))?,
        write: env.get_method_id(&c, jni_str!("write"), jni_sig!("(JJ[B)I"))?,
        set_size: env.get_method_id(&c, jni_str!("setSize"), jni_sig!("(JJ)V"))?,
        sync: env.get_method_id(&c, jni_str!("sync"), jni_sig!("(J)V"))?,
        close: env.get_method_id(&c, jni_str!("close"), jni_sig!("(J)V"))?,
        list: env.get_method_id(
            &c,
            jni_str!("list"),
            jni_sig!("(Ljava/lang/String;)[Ljava/lang/String;"),
        )?,
        create_dir: env.get_method_id(
            &c,
            jni_str!("createDirectory"),
            jni_sig!("(Ljava/lang/String;)V"),
        )?,
        remove_dir: env.get_method_id(
            &c,
            jni_str!("removeDirectory"),
            jni_sig!("(Ljava/lang/String;)V"),
        )?,
        remove_file: env.get_method_id(
            &c,
            jni_str!("removeFile"),
            jni_sig!("(Ljava/lang/String;)V"),
        )?,
        rename: env.get_method_id(
            &c,
            jni_str!("rename"),
            jni_sig!("(Ljava/lang/String;Ljava/lang/String;)V"),
        )?,
        symlink: env.get_method_id(
            &c,
            jni_str!("symlink"),
            jni_sig!("(Ljava/lang/String;Ljava/lang/String;)V"),
        )?,
        hard_link: env.get_method_id(
            &c,
            jni_str!("hardLink"),
            jni_sig!("(Ljava/lang/String;Ljava/lang/String;)V"),
        )?,
        read_link: env.get_method_id(
            &c,
            jni_str!("readLink"),
            jni_sig!("(Ljava/lang/String;)Ljava/lang/String;"),
        )?,
        set_times: env.get_method_id(
            &c,
            jni_str!("setTimes"),
            jni_sig!("(Ljava/lang/String;IJIIJI)V"),
        )?,
        class: env.new_global_ref(c)?,
    };
    let _ = METHODS.set(m);
    Ok(())
}

/// A `GuestFiles` object.
pub(crate) struct JavaFs(pub(crate) Global<JObject<'static>>);

/// Runs an upcall; a Java exception becomes the failure `GuestFiles.failure` maps it to.
fn upcall<T>(f: impl FnOnce(&mut Env<'_>, &'static Methods) -> JniResult<T>) -> FsResult<T> {
    let Ok(vm) = JavaVM::singleton() else {
        return Err(FsFailure::Io);
    };
    let r = vm.attach_current_thread(|env| -> jni::errors::Result<FsResult<T>> {
        env.with_local_frame(16, |env| -> jni::errors::Result<FsResult<T>> {
            let Some(m) = METHODS.get() else {
                return Ok(Err(FsFailure::Io));
            };
            let r = f(env, m);
            if env.exception_check() {
                let Some(t) = env.exception_occurred() else {
                    return Ok(Err(FsFailure::Io));
                };
                env.exception_clear();
                let code = unsafe {
                    env.call_static_method_unchecked(
                        &m.class,
                        m.failure,
                        ReturnType::Primitive(Primitive::Int),
                        &[JValue::Object(&t).as_jni()],
                    )
                }
                .and_then(|v| v.i());
                if env.exception_check() {
                    env.exception_clear();
                }
                return Ok(Err(code.map(FsFailure::from_code).unwrap_or(FsFailure::Io)));
            }
            Ok(r.map_err(|_| FsFailure::Io))
        })
    });
    r.unwrap_or(Err(FsFailure::Io))
}

fn string<'l>(env: &mut Env<'l>, s: &str) -> JniResult<JString<'l>> {
    Ok(JString::from_str(env, s)?)
}

fn time(seconds: i64, nanos: i64) -> Option<FsTime> {
    (seconds != i64::MIN).then(|| FsTime {
        seconds: seconds.max(0) as u64,
        nanoseconds: nanos.clamp(0, 999_999_999) as u32,
    })
}

fn kind(k: i64) -> FsKind {
    match k {
        0 => FsKind::File,
        1 => FsKind::Directory,
        2 => FsKind::Symlink,
        _ => FsKind::Other,
    }
}

fn stat_of(env: &mut Env<'_>, v: JObject<'_>) -> JniResult<FsStat> {
    let array = JLongArray::cast_local(env, v)?;
    let mut s = [0i64; 9];
    array.get_region(env, 0, &mut s)?;
    Ok(FsStat {
        kind: kind(s[0]),
        size: s[1].max(0) as u64,
        link_count: s[2].max(0) as u64,
        accessed: time(s[3], s[4]),
        modified: time(s[5], s[6]),
        changed: time(s[7], s[8]),
    })
}

fn change(t: TimeChange) -> (i32, i64, i32) {
    match t {
        TimeChange::Keep => (0, 0, 0),
        TimeChange::Now => (1, 0, 0),
        TimeChange::To(t) => (
            2,
            t.seconds.min(i64::MAX as u64) as i64,
            t.nanoseconds as i32,
        ),
    }
}

impl JavaFs {
    /// Calls a `void` method taking path strings.
    fn paths(&self, method: fn(&Methods) -> JMethodID, paths: &[&str]) -> FsResult<()> {
        upcall(|env, m| {
            let mut strings = Vec::with_capacity(paths.len());
            for p in paths {
                strings.push(string(env, p)?);
            }
            let args: Vec<_> = strings.iter().map(|s| JValue::Object(s).as_jni()).collect();
            unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    method(m),
                    ReturnType::Primitive(Primitive::Void),
                    &args,
                )?;
            }
            Ok(())
        })
    }

    /// Calls a `void` method taking an open file's number.
    fn on_file(
        &self,
        method: fn(&Methods) -> JMethodID,
        file: u64,
        extra: Option<u64>,
    ) -> FsResult<()> {
        upcall(|env, m| {
            let mut args = vec![JValue::Long(file as i64).as_jni()];
            if let Some(x) = extra {
                args.push(JValue::Long(x.min(i64::MAX as u64) as i64).as_jni());
            }
            unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    method(m),
                    ReturnType::Primitive(Primitive::Void),
                    &args,
                )?;
            }
            Ok(())
        })
    }
}

impl HostFileSystem for JavaFs {
    fn stat(&self, path: &str) -> FsResult<FsStat> {
        upcall(|env, m| {
            let p = string(env, path)?;
            let v = unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.stat,
                    ReturnType::Array,
                    &[JValue::Object(&p).as_jni()],
                )?
            }
            .l()?;
            stat_of(env, v)
        })
    }

    fn open(&self, path: &str, how: OpenHow) -> FsResult<Opened> {
        let bits = i32::from(how.create)
            | i32::from(how.exclusive) << 1
            | i32::from(how.truncate) << 2
            | i32::from(how.directory) << 3
            | i32::from(how.read) << 4
            | i32::from(how.write) << 5;
        upcall(|env, m| {
            let p = string(env, path)?;
            let id = unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.open,
                    ReturnType::Primitive(Primitive::Long),
                    &[JValue::Object(&p).as_jni(), JValue::Int(bits).as_jni()],
                )?
            }
            .j()?;
            Ok(if id < 0 {
                Opened::Directory
            } else {
                Opened::File(id as u64)
            })
        })
    }

    fn file_stat(&self, file: u64) -> FsResult<FsStat> {
        upcall(|env, m| {
            let v = unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.file_stat,
                    ReturnType::Array,
                    &[JValue::Long(file as i64).as_jni()],
                )?
            }
            .l()?;
            stat_of(env, v)
        })
    }

    fn read(&self, file: u64, offset: u64, buf: &mut [u8]) -> FsResult<usize> {
        let len = buf.len().min(1 << 20);
        upcall(|env, m| {
            let array = env.new_byte_array(len)?;
            let n = unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.read,
                    ReturnType::Primitive(Primitive::Int),
                    &[
                        JValue::Long(file as i64).as_jni(),
                        JValue::Long(offset.min(i64::MAX as u64) as i64).as_jni(),
                        JValue::Object(&array).as_jni(),
                    ],
                )?
            }
            .i()?;
            let n = usize::try_from(n).unwrap_or(0).min(len);
            let dst: &mut [i8] =
                unsafe { std::mem::transmute::<&mut [u8], &mut [i8]>(&mut buf[..n]) };
            array.get_region(env, 0, dst)?;
            Ok(n)
        })
    }

    fn write(&self, file: u64, offset: Option<u64>, data: &[u8]) -> FsResult<usize> {
        let data = &data[..data.len().min(1 << 20)];
        upcall(|env, m| {
            let array: JByteArray<'_> = env.byte_array_from_slice(data)?;
            let at = offset.map_or(-1, |o| o.min(i64::MAX as u64) as i64);
            let n = unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.write,
                    ReturnType::Primitive(Primitive::Int),
                    &[
                        JValue::Long(file as i64).as_jni(),
                        JValue::Long(at).as_jni(),
                        JValue::Object(&array).as_jni(),
                    ],
                )?
            }
            .i()?;
            Ok(usize::try_from(n).unwrap_or(0).min(data.len()))
        })
    }

    fn set_size(&self, file: u64, size: u64) -> FsResult<()> {
        self.on_file(|m| m.set_size, file, Some(size))
    }

    fn sync(&self, file: u64) -> FsResult<()> {
        self.on_file(|m| m.sync, file, None)
    }

    fn close(&self, file: u64) {
        let _ = self.on_file(|m| m.close, file, None);
    }

    fn list(&self, path: &str) -> FsResult<Vec<(String, FsKind)>> {
        upcall(|env, m| {
            let p = string(env, path)?;
            let v = unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.list,
                    ReturnType::Array,
                    &[JValue::Object(&p).as_jni()],
                )?
            }
            .l()?;
            let array = JObjectArray::<JString>::cast_local(env, v)?;
            let n = array.len(env)?;
            let mut entries = Vec::with_capacity(n);
            for i in 0..n {
                let e = array.get_element(env, i)?;
                let s = e.try_to_string(env)?;
                let mut chars = s.chars();
                let k = chars.next().and_then(|c| c.to_digit(10)).unwrap_or(3);
                entries.push((chars.as_str().to_owned(), kind(i64::from(k))));
            }
            Ok(entries)
        })
    }

    fn create_dir(&self, path: &str) -> FsResult<()> {
        self.paths(|m| m.create_dir, &[path])
    }

    fn remove_dir(&self, path: &str) -> FsResult<()> {
        self.paths(|m| m.remove_dir, &[path])
    }

    fn remove_file(&self, path: &str) -> FsResult<()> {
        self.paths(|m| m.remove_file, &[path])
    }

    fn rename(&self, from: &str, to: &str) -> FsResult<()> {
        self.paths(|m| m.rename, &[from, to])
    }

    fn symlink(&self, target: &str, link: &str) -> FsResult<()> {
        self.paths(|m| m.symlink, &[target, link])
    }

    fn hard_link(&self, existing: &str, link: &str) -> FsResult<()> {
        self.paths(|m| m.hard_link, &[existing, link])
    }

    fn read_link(&self, path: &str) -> FsResult<String> {
        upcall(|env, m| {
            let p = string(env, path)?;
            let v = unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.read_link,
                    ReturnType::Object,
                    &[JValue::Object(&p).as_jni()],
                )?
            }
            .l()?;
            Ok(JString::cast_local(env, v)?.try_to_string(env)?)
        })
    }

    fn set_times(&self, path: &str, accessed: TimeChange, modified: TimeChange) -> FsResult<()> {
        let (ak, asec, anano) = change(accessed);
        let (mk, msec, mnano) = change(modified);
        upcall(|env, m| {
            let p = string(env, path)?;
            unsafe {
                env.call_method_unchecked(
                    self.0.as_obj(),
                    m.set_times,
                    ReturnType::Primitive(Primitive::Void),
                    &[
                        JValue::Object(&p).as_jni(),
                        JValue::Int(ak).as_jni(),
                        JValue::Long(asec).as_jni(),
                        JValue::Int(anano).as_jni(),
                        JValue::Int(mk).as_jni(),
                        JValue::Long(msec).as_jni(),
                        JValue::Int(mnano).as_jni(),
                    ],
                )?;
            }
            Ok(())
        })
    }
}
