//! A filesystem the host implements (the JNI face: a Java `java.nio.file.FileSystem`), seen by
//! guests as a preopened directory beside wasmtime-wasi's host directories.
//!
//! The core keeps the sandbox: [`super::filesystem`] resolves every guest path against the
//! descriptor it is relative to, refuses absolute paths and any `..` that would climb out of the
//! preopen, refuses every change in a read-only preopen, and only then asks the implementation,
//! with a path relative to the preopen's root (`""` is the root, components joined by `/`, never
//! `.`, `..` or an empty component). An implementation must never follow a symbolic link, neither
//! in the middle of a path nor at its end, and must answer [`FsFailure::Link`] where a path goes
//! through one.

use std::sync::Arc;

/// A host filesystem the guest sees at `guest`.
#[derive(Clone)]
pub struct HostFsPreopen {
    pub fs: Arc<dyn HostFileSystem>,
    pub guest: String,
    pub read_only: bool,
}

/// Why a filesystem operation failed, in the terms a guest understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsFailure {
    /// Nothing at that path.
    NotFound,
    /// Something is already there.
    Exists,
    /// The directory has entries.
    NotEmpty,
    /// A directory was needed.
    NotDirectory,
    /// A file was needed, the path is a directory.
    IsDirectory,
    /// The implementation's own permissions refused it.
    Denied,
    /// The filesystem is read-only.
    ReadOnly,
    /// The path goes through a symbolic link, which the sandbox never follows.
    Link,
    /// The filesystem cannot do this.
    Unsupported,
    /// An argument is not acceptable (a name the filesystem cannot hold, a negative size).
    Invalid,
    /// No space left.
    NoSpace,
    /// Any other I/O failure.
    Io,
}

impl FsFailure {
    /// Every failure, in the order of their codes (the JNI face passes the index).
    const ALL: [FsFailure; 12] = [
        FsFailure::NotFound,
        FsFailure::Exists,
        FsFailure::NotEmpty,
        FsFailure::NotDirectory,
        FsFailure::IsDirectory,
        FsFailure::Denied,
        FsFailure::ReadOnly,
        FsFailure::Link,
        FsFailure::Unsupported,
        FsFailure::Invalid,
        FsFailure::NoSpace,
        FsFailure::Io,
    ];

    /// The failure with this code; an unknown code is [`FsFailure::Io`].
    pub fn from_code(code: i32) -> FsFailure {
        usize::try_from(code)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
            .unwrap_or(FsFailure::Io)
    }
}

pub type FsResult<T> = std::result::Result<T, FsFailure>;

/// What is at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsKind {
    File,
    Directory,
    Symlink,
    Other,
}

/// A point in time: seconds and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FsTime {
    pub seconds: u64,
    pub nanoseconds: u32,
}

/// What a stat tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FsStat {
    pub kind: FsKind,
    pub size: u64,
    pub link_count: u64,
    pub accessed: Option<FsTime>,
    pub modified: Option<FsTime>,
    pub changed: Option<FsTime>,
}

/// How to open a path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenHow {
    /// Create a file when nothing is there.
    pub create: bool,
    /// With `create`: fail when something is there.
    pub exclusive: bool,
    /// Empty the file.
    pub truncate: bool,
    /// It must be a directory.
    pub directory: bool,
    pub read: bool,
    pub write: bool,
}

/// What an open gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    /// An open file, by the implementation's number for it (closed with
    /// [`HostFileSystem::close`]).
    File(u64),
    /// A directory (directories are used by path).
    Directory,
}

/// How a time changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeChange {
    Keep,
    Now,
    To(FsTime),
}

/// A filesystem the host implements. Paths are relative to its root, already checked by the
/// core (see the module documentation); calls come from the thread running the guest.
pub trait HostFileSystem: Send + Sync {
    /// What is at `path`, without following a symbolic link.
    fn stat(&self, path: &str) -> FsResult<FsStat>;
    /// Opens `path` (see [`OpenHow`]); a symbolic link is [`FsFailure::Link`].
    fn open(&self, path: &str, how: OpenHow) -> FsResult<Opened>;
    /// What an open file is now.
    fn file_stat(&self, file: u64) -> FsResult<FsStat>;
    /// Reads up to `buf.len()` bytes at `offset`; 0 at the end of the file.
    fn read(&self, file: u64, offset: u64, buf: &mut [u8]) -> FsResult<usize>;
    /// Writes `data` at `offset`, or at the end when `offset` is `None`; returns how many bytes.
    fn write(&self, file: u64, offset: Option<u64>, data: &[u8]) -> FsResult<usize>;
    fn set_size(&self, file: u64, size: u64) -> FsResult<()>;
    fn sync(&self, file: u64) -> FsResult<()>;
    /// Closes an open file; the number is not used again.
    fn close(&self, file: u64);
    /// The entries of a directory (names and kinds; never `.` or `..`).
    fn list(&self, path: &str) -> FsResult<Vec<(String, FsKind)>>;
    fn create_dir(&self, path: &str) -> FsResult<()>;
    fn remove_dir(&self, path: &str) -> FsResult<()>;
    fn remove_file(&self, path: &str) -> FsResult<()>;
    fn rename(&self, from: &str, to: &str) -> FsResult<()>;
    /// Makes `link` a symbolic link holding `target` (a relative path the core checked; it is
    /// never followed).
    fn symlink(&self, target: &str, link: &str) -> FsResult<()>;
    /// Makes `link` another name of `existing` (not following a link at `existing`).
    fn hard_link(&self, existing: &str, link: &str) -> FsResult<()>;
    /// The target a symbolic link holds.
    fn read_link(&self, path: &str) -> FsResult<String>;
    fn set_times(&self, path: &str, accessed: TimeChange, modified: TimeChange) -> FsResult<()>;
}
