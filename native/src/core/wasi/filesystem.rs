//! `wasi:filesystem` for components: wasmtime-wasi's host directories and the host's own
//! filesystems ([`HostFileSystem`], a Java `FileSystem` on the JNI face) behind one
//! `descriptor` resource, and the audit trail of what the sandbox refused.
//!
//! The linker defines wasmtime-wasi's bindings of `wasi:filesystem/types` and
//! `wasi:filesystem/preopens` with [`FsView`] as their host. A descriptor's table entry is
//! either wasmtime-wasi's `Descriptor`, and the call goes to wasmtime-wasi unchanged (its cap-std
//! sandbox), or a [`HostFsDescriptor`], and the call is served here: the path resolved and
//! checked against the preopen, read-only enforced, then the host filesystem asked.

use std::sync::Arc;

use bytes::Bytes;
use wasmtime::component::{HasData, Resource, ResourceTable, ResourceTableError};
use wasmtime_wasi::filesystem::{
    Descriptor as WasiDescriptor, WasiFilesystemCtxView, WasiFilesystemView,
};
use wasmtime_wasi::p2::bindings::clocks::wall_clock::Datetime;
use wasmtime_wasi::p2::bindings::filesystem::preopens;
use wasmtime_wasi::p2::bindings::filesystem::types::ErrorCode;
use wasmtime_wasi::p2::bindings::sync::filesystem::types::{
    self as fs, DescriptorFlags, DescriptorStat, DescriptorType, DirectoryEntry, NewTimestamp,
    OpenFlags, PathFlags,
};
use wasmtime_wasi::p2::bindings::sync::io::streams;
use wasmtime_wasi::p2::{
    DynInputStream, DynOutputStream, FsError, FsResult, InputStream, OutputStream, Pollable,
    StreamError, StreamResult,
};

use super::audit::{Audit, AuditArea, HostDir};
use super::host_fs::{
    FsFailure, FsKind, FsStat, FsTime, HostFileSystem, HostFsPreopen, OpenHow, Opened, TimeChange,
};
use crate::core::store::StoreData;

/// The host of the filesystem bindings: the store's data.
pub(crate) struct FsView<'a> {
    data: &'a mut StoreData,
}

struct GuestFilesystem;

impl HasData for GuestFilesystem {
    type Data<'a> = FsView<'a>;
}

/// Defines `wasi:filesystem/types` and `wasi:filesystem/preopens` over [`FsView`] (the linker
/// must allow shadowing wasmtime-wasi's definitions).
pub(crate) fn add_to_linker(
    linker: &mut wasmtime::component::Linker<StoreData>,
) -> wasmtime::Result<()> {
    fn view(d: &mut StoreData) -> FsView<'_> {
        FsView { data: d }
    }
    fs::add_to_linker::<StoreData, GuestFilesystem>(linker, view)?;
    preopens::add_to_linker::<StoreData, GuestFilesystem>(linker, view)?;
    Ok(())
}

/// A descriptor of a host filesystem: a directory or an open file, by its path from the root.
#[derive(Clone)]
pub(crate) struct HostFsDescriptor {
    preopen: Arc<HostFsPreopen>,
    path: String,
    file: Option<Arc<OpenFile>>,
    flags: DescriptorFlags,
}

/// An open file, closed when the last descriptor or stream on it goes.
struct OpenFile {
    fs: Arc<dyn HostFileSystem>,
    id: u64,
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        let (fs, id) = (&self.fs, self.id);
        let _ = crate::core::stack::on_caller_stack(|| fs.close(id));
    }
}

/// The rest of a directory listing.
struct HostFsEntries(std::vec::IntoIter<(String, FsKind)>);

/// Runs a host filesystem call on the thread's own stack (see [`crate::core::stack`]).
fn host<T>(f: impl FnOnce() -> Result<T, FsFailure>) -> Result<T, FsFailure> {
    crate::core::stack::on_caller_stack(f).unwrap_or(Err(FsFailure::Io))
}

fn code(f: FsFailure) -> ErrorCode {
    match f {
        FsFailure::NotFound => ErrorCode::NoEntry,
        FsFailure::Exists => ErrorCode::Exist,
        FsFailure::NotEmpty => ErrorCode::NotEmpty,
        FsFailure::NotDirectory => ErrorCode::NotDirectory,
        FsFailure::IsDirectory => ErrorCode::IsDirectory,
        FsFailure::Denied => ErrorCode::Access,
        FsFailure::ReadOnly => ErrorCode::ReadOnly,
        FsFailure::Link => ErrorCode::NotPermitted,
        FsFailure::Unsupported => ErrorCode::Unsupported,
        FsFailure::Invalid => ErrorCode::Invalid,
        FsFailure::NoSpace => ErrorCode::InsufficientSpace,
        FsFailure::Io => ErrorCode::Io,
    }
}

fn err<T>(c: ErrorCode) -> FsResult<T> {
    Err(FsError::from(c))
}

/// Why the sandbox refuses a path, or `None` when it stays inside: `base` and the result are
/// relative to the preopen's root.
fn resolve(base: &str, path: &str) -> Result<String, &'static str> {
    if path.starts_with('/') {
        return Err("an absolute path");
    }
    if path.contains('\0') {
        return Err("a path with a NUL byte");
    }
    let mut parts: Vec<&str> = base.split('/').filter(|c| !c.is_empty()).collect();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("a path leading out of the preopen");
                }
            }
            c => parts.push(c),
        }
    }
    Ok(parts.join("/"))
}

/// The guest-visible path of `path` (relative to the preopen) under the preopen `guest`.
fn guest_path(guest: &str, path: &str) -> String {
    if path.is_empty() {
        guest.to_owned()
    } else if guest.ends_with('/') {
        format!("{guest}{path}")
    } else {
        format!("{guest}/{path}")
    }
}

/// The guest-visible form of a path the guest passed relative to a descriptor at `base`
/// (`.` and empty components left out, `..` kept as the guest wrote it).
fn named(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        return path.to_owned();
    }
    let rest: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    guest_path(base, &rest.join("/"))
}

fn time(t: Option<FsTime>) -> Option<Datetime> {
    t.map(|t| Datetime {
        seconds: t.seconds,
        nanoseconds: t.nanoseconds,
    })
}

fn kind(k: FsKind) -> DescriptorType {
    match k {
        FsKind::File => DescriptorType::RegularFile,
        FsKind::Directory => DescriptorType::Directory,
        FsKind::Symlink => DescriptorType::SymbolicLink,
        FsKind::Other => DescriptorType::Unknown,
    }
}

fn stat(s: FsStat) -> DescriptorStat {
    DescriptorStat {
        type_: kind(s.kind),
        link_count: s.link_count,
        size: s.size,
        data_access_timestamp: time(s.accessed),
        data_modification_timestamp: time(s.modified),
        status_change_timestamp: time(s.changed),
    }
}

fn time_change(t: NewTimestamp) -> TimeChange {
    match t {
        NewTimestamp::NoChange => TimeChange::Keep,
        NewTimestamp::Now => TimeChange::Now,
        NewTimestamp::Timestamp(d) => TimeChange::To(FsTime {
            seconds: d.seconds,
            nanoseconds: d.nanoseconds,
        }),
    }
}

fn lookup<T: 'static + Clone>(table: &ResourceTable, rep: u32) -> Option<T> {
    match table.get::<T>(&Resource::new_borrow(rep)) {
        Ok(d) => Some(d.clone()),
        Err(_) => None,
    }
}

/// Whether the table holds a `T` at `rep`.
fn lookup_is<T: 'static>(table: &ResourceTable, rep: u32) -> bool {
    table.get::<T>(&Resource::new_borrow(rep)).is_ok()
}

/// Whether an error code is the sandbox's refusal.
fn is_refusal(e: &FsError) -> bool {
    matches!(
        e.downcast_ref(),
        Some(ErrorCode::NotPermitted | ErrorCode::Access | ErrorCode::ReadOnly)
    )
}

/// A wasmtime-wasi descriptor's call.
macro_rules! wasi {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {{
        let mut v = $self.data.filesystem();
        fs::HostDescriptor::$method(&mut v, $($arg),*)
    }};
}

/// A wasmtime-wasi descriptor's call on a path, reported to the audit listener.
macro_rules! audited {
    ($self:ident, $fd:ident, $op:literal, $path:expr, $change:expr, $method:ident ( $($arg:expr),* )) => {{
        let rep = $fd.rep();
        let r = wasi!($self.$method($fd $(, $arg)*));
        $self.report_wasi(rep, $op, $path, $change, &r);
        r
    }};
}

impl FsView<'_> {
    fn ours(&self, fd: &Resource<WasiDescriptor>) -> Option<HostFsDescriptor> {
        lookup(&self.data.table, fd.rep())
    }

    fn audit(&self) -> Option<&Audit> {
        self.data.audit.listener.as_ref()
    }

    /// Reports a wasmtime-wasi directory's answer to an operation on `path` (relative to `fd`).
    fn report_wasi<T>(
        &mut self,
        fd: u32,
        op: &'static str,
        path: &str,
        change: bool,
        r: &FsResult<T>,
    ) {
        let Some(audit) = self.data.audit.listener.clone() else {
            return;
        };
        let dir = self
            .data
            .audit
            .host_dirs
            .get(&fd)
            .cloned()
            .unwrap_or_else(|| HostDir {
                preopen: "?".to_owned(),
                path: String::new(),
                read_only: false,
            });
        let target = named(&guest_path(&dir.preopen, &dir.path), path);
        match r {
            Err(e) if is_refusal(e) => {
                let reason = match resolve(&dir.path, path) {
                    Err(why) => why,
                    Ok(_) if change && dir.read_only => "a change in a read-only preopen",
                    Ok(_) => "a symbolic link leading out of the preopen, or a permission",
                };
                audit.refused(AuditArea::Filesystem, op, target, reason);
            }
            Ok(_) => audit.granted(AuditArea::Filesystem, op, || target),
            Err(_) => {}
        }
    }

    /// Resolves `path` against a host filesystem descriptor, refusing what leaves the preopen
    /// and, for a `change`, anything in a read-only preopen.
    fn check(
        &self,
        d: &HostFsDescriptor,
        op: &'static str,
        path: &str,
        change: bool,
    ) -> FsResult<String> {
        let refuse = |reason: &str| {
            if let Some(a) = self.audit() {
                a.refused(
                    AuditArea::Filesystem,
                    op,
                    named(&guest_path(&d.preopen.guest, &d.path), path),
                    reason,
                );
            }
            err(ErrorCode::NotPermitted)
        };
        let resolved = match resolve(&d.path, path) {
            Ok(p) => p,
            Err(why) => return refuse(why),
        };
        if change && d.preopen.read_only {
            return refuse("a change in a read-only preopen");
        }
        Ok(resolved)
    }

    /// The answer of the host filesystem, reported to the audit listener.
    fn answer<T>(
        &self,
        d: &HostFsDescriptor,
        op: &'static str,
        path: &str,
        r: Result<T, FsFailure>,
    ) -> FsResult<T> {
        if let Some(a) = self.audit() {
            let target = || guest_path(&d.preopen.guest, path);
            match &r {
                Ok(_) => a.granted(AuditArea::Filesystem, op, target),
                Err(FsFailure::Link) => a.refused(
                    AuditArea::Filesystem,
                    op,
                    target(),
                    "a symbolic link (never followed)",
                ),
                Err(FsFailure::Denied) => a.refused(
                    AuditArea::Filesystem,
                    op,
                    target(),
                    "denied by the filesystem",
                ),
                Err(FsFailure::ReadOnly) => a.refused(
                    AuditArea::Filesystem,
                    op,
                    target(),
                    "a read-only filesystem",
                ),
                Err(_) => {}
            }
        }
        r.map_err(|f| FsError::from(code(f)))
    }

    /// The open file of a descriptor opened with `access` (read or write): `on_dir` for a
    /// directory, bad-descriptor for a file opened without it.
    fn file_for(
        d: &HostFsDescriptor,
        access: DescriptorFlags,
        on_dir: ErrorCode,
    ) -> FsResult<Arc<OpenFile>> {
        match &d.file {
            None => err(on_dir),
            Some(_) if !d.flags.contains(access) => err(ErrorCode::BadDescriptor),
            Some(f) => Ok(f.clone()),
        }
    }

    fn push_descriptor(&mut self, d: HostFsDescriptor) -> FsResult<Resource<WasiDescriptor>> {
        let r = self.data.table.push(d)?;
        Ok(Resource::new_own(r.rep()))
    }

    /// Both descriptors of a two-path operation, when both are the same host filesystem's.
    fn pair(
        &self,
        a: &Resource<WasiDescriptor>,
        b: &Resource<WasiDescriptor>,
    ) -> Option<Option<(HostFsDescriptor, HostFsDescriptor)>> {
        match (self.ours(a), self.ours(b)) {
            (None, None) => None,
            (Some(x), Some(y)) if Arc::ptr_eq(&x.preopen, &y.preopen) => Some(Some((x, y))),
            _ => Some(None),
        }
    }
}

impl preopens::Host for FsView<'_> {
    fn get_directories(&mut self) -> wasmtime::Result<Vec<(Resource<WasiDescriptor>, String)>> {
        let mut dirs = preopens::Host::get_directories(&mut self.data.filesystem())?;
        if self.data.audit.listener.is_some() {
            let config = self.data.wasi_config.as_ref();
            let read_only = |name: &str| {
                config
                    .and_then(|c| c.preopens.iter().find(|p| p.guest == name))
                    .is_some_and(|p| p.read_only)
            };
            for (d, name) in &dirs {
                let dir = HostDir {
                    preopen: name.clone(),
                    path: String::new(),
                    read_only: read_only(name),
                };
                self.data.audit.host_dirs.insert(d.rep(), dir);
            }
        }
        let host = self
            .data
            .wasi_config
            .as_ref()
            .map(|c| c.host_fs_preopens.clone())
            .unwrap_or_default();
        for p in host {
            let flags = if p.read_only {
                DescriptorFlags::READ
            } else {
                DescriptorFlags::READ | DescriptorFlags::MUTATE_DIRECTORY
            };
            let guest = p.guest.clone();
            let d = HostFsDescriptor {
                preopen: Arc::new(p),
                path: String::new(),
                file: None,
                flags,
            };
            let r = self.data.table.push(d)?;
            dirs.push((Resource::new_own(r.rep()), guest));
        }
        Ok(dirs)
    }
}

impl fs::Host for FsView<'_> {
    fn convert_error_code(&mut self, err: FsError) -> wasmtime::Result<fs::ErrorCode> {
        fs::Host::convert_error_code(&mut self.data.filesystem(), err)
    }

    fn filesystem_error_code(
        &mut self,
        err: Resource<streams::Error>,
    ) -> wasmtime::Result<Option<fs::ErrorCode>> {
        fs::Host::filesystem_error_code(&mut self.data.filesystem(), err)
    }
}

impl fs::HostDescriptor for FsView<'_> {
    fn advise(
        &mut self,
        fd: Resource<WasiDescriptor>,
        offset: u64,
        len: u64,
        advice: fs::Advice,
    ) -> FsResult<()> {
        match self.ours(&fd) {
            Some(d) if d.file.is_some() => Ok(()),
            Some(_) => err(ErrorCode::BadDescriptor),
            None => wasi!(self.advise(fd, offset, len, advice)),
        }
    }

    fn sync_data(&mut self, fd: Resource<WasiDescriptor>) -> FsResult<()> {
        self.sync(fd)
    }

    fn get_flags(&mut self, fd: Resource<WasiDescriptor>) -> FsResult<DescriptorFlags> {
        match self.ours(&fd) {
            Some(d) => Ok(d.flags),
            None => wasi!(self.get_flags(fd)),
        }
    }

    fn get_type(&mut self, fd: Resource<WasiDescriptor>) -> FsResult<DescriptorType> {
        match self.ours(&fd) {
            Some(d) if d.file.is_some() => Ok(DescriptorType::RegularFile),
            Some(_) => Ok(DescriptorType::Directory),
            None => wasi!(self.get_type(fd)),
        }
    }

    fn set_size(&mut self, fd: Resource<WasiDescriptor>, size: u64) -> FsResult<()> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.set_size(fd, size));
        };
        let f = Self::file_for(&d, DescriptorFlags::WRITE, ErrorCode::BadDescriptor)?;
        self.answer(&d, "set-size", &d.path, host(|| f.fs.set_size(f.id, size)))
    }

    fn set_times(
        &mut self,
        fd: Resource<WasiDescriptor>,
        atim: NewTimestamp,
        mtim: NewTimestamp,
    ) -> FsResult<()> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.set_times(fd, atim, mtim));
        };
        let path = self.check(&d, "set-times", "", true)?;
        let fs = &d.preopen.fs;
        self.answer(
            &d,
            "set-times",
            &path,
            host(|| fs.set_times(&path, time_change(atim), time_change(mtim))),
        )
    }

    fn read(
        &mut self,
        fd: Resource<WasiDescriptor>,
        len: u64,
        offset: u64,
    ) -> FsResult<(Vec<u8>, bool)> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.read(fd, len, offset));
        };
        let f = Self::file_for(&d, DescriptorFlags::READ, ErrorCode::BadDescriptor)?;
        let mut buf = vec![0u8; usize::try_from(len).unwrap_or(usize::MAX).min(1 << 20)];
        let n = host(|| f.fs.read(f.id, offset, &mut buf)).map_err(|e| FsError::from(code(e)))?;
        buf.truncate(n);
        let eof = n == 0 && len > 0;
        Ok((buf, eof))
    }

    fn write(&mut self, fd: Resource<WasiDescriptor>, buf: Vec<u8>, offset: u64) -> FsResult<u64> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.write(fd, buf, offset));
        };
        let f = Self::file_for(&d, DescriptorFlags::WRITE, ErrorCode::BadDescriptor)?;
        let n =
            host(|| f.fs.write(f.id, Some(offset), &buf)).map_err(|e| FsError::from(code(e)))?;
        Ok(n as u64)
    }

    fn read_directory(
        &mut self,
        fd: Resource<WasiDescriptor>,
    ) -> FsResult<Resource<fs::DirectoryEntryStream>> {
        let Some(d) = self.ours(&fd) else {
            return audited!(self, fd, "read-directory", "", false, read_directory());
        };
        if d.file.is_some() {
            return err(ErrorCode::NotDirectory);
        }
        let fs = &d.preopen.fs;
        let entries = self.answer(&d, "read-directory", &d.path, host(|| fs.list(&d.path)))?;
        let r = self.data.table.push(HostFsEntries(entries.into_iter()))?;
        Ok(Resource::new_own(r.rep()))
    }

    fn sync(&mut self, fd: Resource<WasiDescriptor>) -> FsResult<()> {
        match self.ours(&fd) {
            Some(HostFsDescriptor { file: Some(f), .. }) => {
                host(|| f.fs.sync(f.id)).map_err(|e| FsError::from(code(e)))
            }
            Some(_) => Ok(()),
            None => wasi!(self.sync(fd)),
        }
    }

    fn create_directory_at(&mut self, fd: Resource<WasiDescriptor>, path: String) -> FsResult<()> {
        self.on_path(
            fd,
            "create-directory-at",
            path,
            true,
            |v, fd, p| fs::HostDescriptor::create_directory_at(v, fd, p),
            |fs, p| fs.create_dir(p),
        )
    }

    fn stat(&mut self, fd: Resource<WasiDescriptor>) -> FsResult<DescriptorStat> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.stat(fd));
        };
        let s = match &d.file {
            Some(f) => host(|| f.fs.file_stat(f.id)),
            None => host(|| d.preopen.fs.stat(&d.path)),
        };
        s.map(stat).map_err(|e| FsError::from(code(e)))
    }

    fn stat_at(
        &mut self,
        fd: Resource<WasiDescriptor>,
        flags: PathFlags,
        path: String,
    ) -> FsResult<DescriptorStat> {
        let Some(d) = self.ours(&fd) else {
            return audited!(
                self,
                fd,
                "stat-at",
                &path,
                false,
                stat_at(flags, path.clone())
            );
        };
        let p = self.check(&d, "stat-at", &path, false)?;
        let fs = &d.preopen.fs;
        let s = host(|| fs.stat(&p)).and_then(|s| {
            if s.kind == FsKind::Symlink && flags.contains(PathFlags::SYMLINK_FOLLOW) {
                Err(FsFailure::Link)
            } else {
                Ok(s)
            }
        });
        self.answer(&d, "stat-at", &p, s).map(stat)
    }

    fn set_times_at(
        &mut self,
        fd: Resource<WasiDescriptor>,
        flags: PathFlags,
        path: String,
        atim: NewTimestamp,
        mtim: NewTimestamp,
    ) -> FsResult<()> {
        let Some(d) = self.ours(&fd) else {
            return audited!(
                self,
                fd,
                "set-times-at",
                &path,
                true,
                set_times_at(flags, path.clone(), atim, mtim)
            );
        };
        let p = self.check(&d, "set-times-at", &path, true)?;
        let fs = &d.preopen.fs;
        self.answer(
            &d,
            "set-times-at",
            &p,
            host(|| fs.set_times(&p, time_change(atim), time_change(mtim))),
        )
    }

    fn link_at(
        &mut self,
        fd: Resource<WasiDescriptor>,
        old_flags: PathFlags,
        old_path: String,
        new_fd: Resource<WasiDescriptor>,
        new_path: String,
    ) -> FsResult<()> {
        let (d, nd) = match self.pair(&fd, &new_fd) {
            None => {
                let old = old_path.clone();
                return audited!(
                    self,
                    fd,
                    "link-at",
                    &old,
                    true,
                    link_at(old_flags, old_path, new_fd, new_path)
                );
            }
            Some(None) => return err(ErrorCode::CrossDevice),
            Some(Some(pair)) => pair,
        };
        let from = self.check(&d, "link-at", &old_path, true)?;
        let to = self.check(&nd, "link-at", &new_path, true)?;
        let fs = &d.preopen.fs;
        self.answer(&d, "link-at", &to, host(|| fs.hard_link(&from, &to)))
    }

    fn open_at(
        &mut self,
        fd: Resource<WasiDescriptor>,
        path_flags: PathFlags,
        path: String,
        oflags: OpenFlags,
        flags: DescriptorFlags,
    ) -> FsResult<Resource<WasiDescriptor>> {
        let Some(d) = self.ours(&fd) else {
            let rep = fd.rep();
            let change = oflags.intersects(OpenFlags::CREATE | OpenFlags::TRUNCATE)
                || flags.intersects(DescriptorFlags::WRITE | DescriptorFlags::MUTATE_DIRECTORY);
            let r = wasi!(self.open_at(fd, path_flags, path.clone(), oflags, flags));
            self.report_wasi(rep, "open-at", &path, change, &r);
            if let (Ok(new), Some(dir)) = (&r, self.data.audit.host_dirs.get(&rep).cloned()) {
                let path = resolve(&dir.path, &path).unwrap_or(dir.path.clone());
                self.data
                    .audit
                    .host_dirs
                    .insert(new.rep(), HostDir { path, ..dir });
            }
            return r;
        };
        if d.file.is_some() {
            return err(ErrorCode::NotDirectory);
        }
        let directory = oflags.contains(OpenFlags::DIRECTORY);
        if directory
            && oflags.intersects(OpenFlags::CREATE | OpenFlags::EXCLUSIVE | OpenFlags::TRUNCATE)
        {
            return err(ErrorCode::Invalid);
        }
        let write = flags.contains(DescriptorFlags::WRITE);
        let change = write
            || oflags.intersects(OpenFlags::CREATE | OpenFlags::TRUNCATE)
            || flags.contains(DescriptorFlags::MUTATE_DIRECTORY);
        let p = self.check(&d, "open-at", &path, change)?;
        let how = OpenHow {
            create: oflags.contains(OpenFlags::CREATE),
            exclusive: oflags.contains(OpenFlags::EXCLUSIVE),
            truncate: oflags.contains(OpenFlags::TRUNCATE),
            directory,
            read: flags.contains(DescriptorFlags::READ),
            write,
        };
        let fs = d.preopen.fs.clone();
        let opened = self.answer(&d, "open-at", &p, host(|| fs.open(&p, how)))?;
        let (file, flags) = match opened {
            Opened::File(id) => {
                let file = Arc::new(OpenFile { fs, id });
                let mut f = DescriptorFlags::empty();
                if how.read || !write {
                    f |= DescriptorFlags::READ;
                }
                if write {
                    f |= DescriptorFlags::WRITE;
                }
                (Some(file), f)
            }
            Opened::Directory if write => return err(ErrorCode::IsDirectory),
            Opened::Directory => {
                let mut f = DescriptorFlags::READ;
                if !d.preopen.read_only {
                    f |= DescriptorFlags::MUTATE_DIRECTORY;
                }
                (None, f)
            }
        };
        self.push_descriptor(HostFsDescriptor {
            preopen: d.preopen.clone(),
            path: p,
            file,
            flags,
        })
    }

    fn drop(&mut self, fd: Resource<WasiDescriptor>) -> wasmtime::Result<()> {
        let rep = fd.rep();
        // The table removes an entry before it checks its type: ask first.
        if self.ours(&fd).is_some() {
            self.data
                .table
                .delete::<HostFsDescriptor>(Resource::new_own(rep))?;
            return Ok(());
        }
        self.data.audit.host_dirs.remove(&rep);
        fs::HostDescriptor::drop(&mut self.data.filesystem(), fd)
    }

    fn readlink_at(&mut self, fd: Resource<WasiDescriptor>, path: String) -> FsResult<String> {
        self.on_path(
            fd,
            "readlink-at",
            path,
            false,
            |v, fd, p| fs::HostDescriptor::readlink_at(v, fd, p),
            |fs, p| fs.read_link(p),
        )
    }

    fn remove_directory_at(&mut self, fd: Resource<WasiDescriptor>, path: String) -> FsResult<()> {
        self.on_path(
            fd,
            "remove-directory-at",
            path,
            true,
            |v, fd, p| fs::HostDescriptor::remove_directory_at(v, fd, p),
            |fs, p| {
                // The preopen itself stays.
                if p.is_empty() {
                    Err(FsFailure::Denied)
                } else {
                    fs.remove_dir(p)
                }
            },
        )
    }

    fn rename_at(
        &mut self,
        fd: Resource<WasiDescriptor>,
        old_path: String,
        new_fd: Resource<WasiDescriptor>,
        new_path: String,
    ) -> FsResult<()> {
        let (d, nd) = match self.pair(&fd, &new_fd) {
            None => {
                let old = old_path.clone();
                return audited!(
                    self,
                    fd,
                    "rename-at",
                    &old,
                    true,
                    rename_at(old_path, new_fd, new_path)
                );
            }
            Some(None) => return err(ErrorCode::CrossDevice),
            Some(Some(pair)) => pair,
        };
        let from = self.check(&d, "rename-at", &old_path, true)?;
        let to = self.check(&nd, "rename-at", &new_path, true)?;
        if from.is_empty() || to.is_empty() {
            return err(ErrorCode::Busy);
        }
        let fs = &d.preopen.fs;
        self.answer(&d, "rename-at", &from, host(|| fs.rename(&from, &to)))
    }

    fn symlink_at(
        &mut self,
        fd: Resource<WasiDescriptor>,
        target: String,
        link: String,
    ) -> FsResult<()> {
        let Some(d) = self.ours(&fd) else {
            return audited!(
                self,
                fd,
                "symlink-at",
                &link,
                true,
                symlink_at(target, link.clone())
            );
        };
        let p = self.check(&d, "symlink-at", &link, true)?;
        if target.starts_with('/') || target.contains('\0') {
            if let Some(a) = self.audit() {
                a.refused(
                    AuditArea::Filesystem,
                    "symlink-at",
                    guest_path(&d.preopen.guest, &p),
                    "an absolute link target",
                );
            }
            return err(ErrorCode::NotPermitted);
        }
        let fs = &d.preopen.fs;
        self.answer(&d, "symlink-at", &p, host(|| fs.symlink(&target, &p)))
    }

    fn unlink_file_at(&mut self, fd: Resource<WasiDescriptor>, path: String) -> FsResult<()> {
        self.on_path(
            fd,
            "unlink-file-at",
            path,
            true,
            |v, fd, p| fs::HostDescriptor::unlink_file_at(v, fd, p),
            |fs, p| fs.remove_file(p),
        )
    }

    fn read_via_stream(
        &mut self,
        fd: Resource<WasiDescriptor>,
        offset: u64,
    ) -> FsResult<Resource<DynInputStream>> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.read_via_stream(fd, offset));
        };
        let file = Self::file_for(&d, DescriptorFlags::READ, ErrorCode::IsDirectory)?;
        let stream: DynInputStream = Box::new(FileReader {
            file,
            position: offset,
        });
        Ok(self.data.table.push(stream)?)
    }

    fn write_via_stream(
        &mut self,
        fd: Resource<WasiDescriptor>,
        offset: u64,
    ) -> FsResult<Resource<DynOutputStream>> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.write_via_stream(fd, offset));
        };
        self.writer(d, Some(offset))
    }

    fn append_via_stream(
        &mut self,
        fd: Resource<WasiDescriptor>,
    ) -> FsResult<Resource<DynOutputStream>> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.append_via_stream(fd));
        };
        self.writer(d, None)
    }

    fn is_same_object(
        &mut self,
        a: Resource<WasiDescriptor>,
        b: Resource<WasiDescriptor>,
    ) -> wasmtime::Result<bool> {
        match (self.ours(&a), self.ours(&b)) {
            (None, None) => wasi!(self.is_same_object(a, b)),
            (Some(x), Some(y)) => Ok(Arc::ptr_eq(&x.preopen, &y.preopen) && x.path == y.path),
            _ => Ok(false),
        }
    }

    fn metadata_hash(&mut self, fd: Resource<WasiDescriptor>) -> FsResult<fs::MetadataHashValue> {
        match self.ours(&fd) {
            Some(d) => Ok(hash(&d, &d.path)),
            None => wasi!(self.metadata_hash(fd)),
        }
    }

    fn metadata_hash_at(
        &mut self,
        fd: Resource<WasiDescriptor>,
        flags: PathFlags,
        path: String,
    ) -> FsResult<fs::MetadataHashValue> {
        let Some(d) = self.ours(&fd) else {
            return wasi!(self.metadata_hash_at(fd, flags, path));
        };
        let p = self.check(&d, "metadata-hash-at", &path, false)?;
        let fs = &d.preopen.fs;
        self.answer(&d, "metadata-hash-at", &p, host(|| fs.stat(&p)))?;
        Ok(hash(&d, &p))
    }
}

impl FsView<'_> {
    /// An operation on one path relative to `fd`: wasmtime-wasi's (`wasi`) for its directories,
    /// `ours` with the checked path for a host filesystem's.
    fn on_path<T>(
        &mut self,
        fd: Resource<WasiDescriptor>,
        op: &'static str,
        path: String,
        change: bool,
        wasi: impl FnOnce(
            &mut WasiFilesystemCtxView<'_>,
            Resource<WasiDescriptor>,
            String,
        ) -> FsResult<T>,
        ours: impl FnOnce(&dyn HostFileSystem, &str) -> Result<T, FsFailure>,
    ) -> FsResult<T> {
        let Some(d) = self.ours(&fd) else {
            let rep = fd.rep();
            let r = wasi(&mut self.data.filesystem(), fd, path.clone());
            self.report_wasi(rep, op, &path, change, &r);
            return r;
        };
        let p = self.check(&d, op, &path, change)?;
        let fs = &*d.preopen.fs;
        self.answer(&d, op, &p, host(|| ours(fs, &p)))
    }

    fn writer(
        &mut self,
        d: HostFsDescriptor,
        offset: Option<u64>,
    ) -> FsResult<Resource<DynOutputStream>> {
        let file = Self::file_for(&d, DescriptorFlags::WRITE, ErrorCode::IsDirectory)?;
        let stream: DynOutputStream = Box::new(FileWriter {
            file,
            position: offset,
        });
        Ok(self.data.table.push(stream)?)
    }
}

/// An identity for a host filesystem path: the preopen and the path.
fn hash(d: &HostFsDescriptor, path: &str) -> fs::MetadataHashValue {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    fs::MetadataHashValue {
        lower: h.finish(),
        upper: Arc::as_ptr(&d.preopen) as *const () as usize as u64,
    }
}

impl fs::HostDirectoryEntryStream for FsView<'_> {
    fn read_directory_entry(
        &mut self,
        stream: Resource<fs::DirectoryEntryStream>,
    ) -> FsResult<Option<DirectoryEntry>> {
        let rep = stream.rep();
        match self
            .data
            .table
            .get_mut::<HostFsEntries>(&Resource::new_borrow(rep))
        {
            Ok(entries) => Ok(entries.0.next().map(|(name, k)| DirectoryEntry {
                type_: kind(k),
                name,
            })),
            Err(ResourceTableError::WrongType) => {
                fs::HostDirectoryEntryStream::read_directory_entry(
                    &mut self.data.filesystem(),
                    stream,
                )
            }
            Err(e) => Err(e.into()),
        }
    }

    fn drop(&mut self, stream: Resource<fs::DirectoryEntryStream>) -> wasmtime::Result<()> {
        let rep = stream.rep();
        if lookup_is::<HostFsEntries>(&self.data.table, rep) {
            self.data
                .table
                .delete::<HostFsEntries>(Resource::new_own(rep))?;
            return Ok(());
        }
        fs::HostDirectoryEntryStream::drop(&mut self.data.filesystem(), stream)
    }
}

fn stream_error(f: FsFailure) -> StreamError {
    let kind = match f {
        FsFailure::NotFound => std::io::ErrorKind::NotFound,
        FsFailure::Denied | FsFailure::Link => std::io::ErrorKind::PermissionDenied,
        FsFailure::ReadOnly => std::io::ErrorKind::ReadOnlyFilesystem,
        FsFailure::IsDirectory => std::io::ErrorKind::IsADirectory,
        FsFailure::NoSpace => std::io::ErrorKind::StorageFull,
        FsFailure::Invalid => std::io::ErrorKind::InvalidInput,
        FsFailure::Unsupported => std::io::ErrorKind::Unsupported,
        _ => std::io::ErrorKind::Other,
    };
    StreamError::LastOperationFailed(std::io::Error::new(kind, format!("{f:?}")).into())
}

/// `read-via-stream` of a host filesystem file.
struct FileReader {
    file: Arc<OpenFile>,
    position: u64,
}

#[async_trait::async_trait]
impl Pollable for FileReader {
    async fn ready(&mut self) {}
}

impl InputStream for FileReader {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        let mut buf = vec![0u8; size.min(1 << 20)];
        let f = &self.file;
        let n = host(|| f.fs.read(f.id, self.position, &mut buf)).map_err(stream_error)?;
        if n == 0 && size > 0 {
            return Err(StreamError::Closed);
        }
        buf.truncate(n);
        self.position += n as u64;
        Ok(Bytes::from(buf))
    }
}

/// `write-via-stream` (at a position) and `append-via-stream` (position `None`) of a host
/// filesystem file.
struct FileWriter {
    file: Arc<OpenFile>,
    position: Option<u64>,
}

#[async_trait::async_trait]
impl Pollable for FileWriter {
    async fn ready(&mut self) {}
}

impl OutputStream for FileWriter {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        let f = &self.file;
        let mut done = 0;
        while done < bytes.len() {
            let at = self.position;
            let n = host(|| f.fs.write(f.id, at, &bytes[done..])).map_err(stream_error)?;
            if n == 0 {
                return Err(stream_error(FsFailure::Io));
            }
            done += n;
            if let Some(p) = &mut self.position {
                *p += n as u64;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(1 << 20)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_preopen_and_never_climb_out_of_it() {
        assert_eq!(resolve("", "a/b"), Ok("a/b".into()));
        assert_eq!(resolve("a", "./b//c/"), Ok("a/b/c".into()));
        assert_eq!(resolve("a/b", "../c"), Ok("a/c".into()));
        assert_eq!(resolve("a", ".."), Ok(String::new()));
        assert_eq!(resolve("", "."), Ok(String::new()));
        assert_eq!(resolve("", ".."), Err("a path leading out of the preopen"));
        assert_eq!(
            resolve("a", "../../etc"),
            Err("a path leading out of the preopen")
        );
        assert_eq!(
            resolve("a", "b/../../../x"),
            Err("a path leading out of the preopen")
        );
        assert_eq!(resolve("", "/etc/passwd"), Err("an absolute path"));
        assert_eq!(resolve("", "a\0b"), Err("a path with a NUL byte"));
    }

    #[test]
    fn guest_paths_join_the_preopen_name() {
        assert_eq!(guest_path("/data", ""), "/data");
        assert_eq!(guest_path("/data", "a/b"), "/data/a/b");
        assert_eq!(guest_path("/", "a"), "/a");
        assert_eq!(named("/data", "/etc/passwd"), "/etc/passwd");
        assert_eq!(named("/data", "../x"), "/data/../x");
        assert_eq!(named("/data", "."), "/data");
        assert_eq!(named("/data", "./a//b"), "/data/a/b");
    }
}
