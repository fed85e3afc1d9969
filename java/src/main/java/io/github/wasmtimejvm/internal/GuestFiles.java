package io.github.wasmtimejvm.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java side of a guest's preopened directory on a {@link java.nio.file.FileSystem} of any
 * provider (the default one, a zip filesystem, an in-memory one): the native library's WASI
 * filesystem calls these methods with paths it has already resolved and checked against the
 * preopen ({@code native/src/core/wasi/host_fs.rs}), relative to the root, components joined by
 * {@code /}. Not for use outside this library.
 *
 * <p>Symbolic links are never followed: a path through one, or an open or a time change of one,
 * fails as a link refusal; a stat reports the link itself. Each component is resolved on its
 * own and must stay one component of the provider's syntax (a name with the provider's
 * separator in it is refused), so no name can climb out of the root.
 *
 * <p>Failures are Java exceptions; the native library maps them with {@link #failure}. Open
 * files are numbered; every method may be called from any thread.
 */
public final class GuestFiles {
    // The kinds and failures mirror FsKind and FsFailure in host_fs.rs.
    private static final long FILE = 0;
    private static final long DIRECTORY = 1;
    private static final long SYMLINK = 2;
    private static final long OTHER = 3;

    private static final int NOT_FOUND = 0;
    private static final int EXISTS = 1;
    private static final int NOT_EMPTY = 2;
    private static final int NOT_DIRECTORY = 3;
    private static final int IS_DIRECTORY = 4;
    private static final int DENIED = 5;
    private static final int READ_ONLY = 6;
    private static final int LINK = 7;
    private static final int UNSUPPORTED = 8;
    private static final int INVALID = 9;
    private static final int IO = 11;

    private static final int CREATE = 1;
    private static final int EXCLUSIVE = 2;
    private static final int TRUNCATE = 4;
    private static final int DIR = 8;
    private static final int READ = 16;
    private static final int WRITE = 32;

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** A refusal the filesystem's own exceptions do not express. */
    static final class Refusal extends IOException {
        private static final long serialVersionUID = 1L;
        final int code;

        Refusal(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private record Open(SeekableByteChannel channel, Path path) {}

    private final Path root;
    private final Map<Long, Open> open = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    /**
     * A guest's view of {@code root}.
     *
     * @param root an existing directory of any filesystem provider
     */
    public GuestFiles(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * The code of the failure a throwable stands for (an index of {@code FsFailure::ALL}).
     *
     * @param t what a method threw
     * @return the failure code
     */
    static int failure(Throwable t) {
        if (t instanceof Refusal r) {
            return r.code;
        } else if (t instanceof NoSuchFileException) {
            return NOT_FOUND;
        } else if (t instanceof FileAlreadyExistsException) {
            return EXISTS;
        } else if (t instanceof DirectoryNotEmptyException) {
            return NOT_EMPTY;
        } else if (t instanceof NotDirectoryException) {
            return NOT_DIRECTORY;
        } else if (t instanceof AccessDeniedException || t instanceof SecurityException
                || t instanceof NonWritableChannelException || t instanceof NonReadableChannelException) {
            return DENIED;
        } else if (t instanceof ReadOnlyFileSystemException) {
            return READ_ONLY;
        } else if (t instanceof FileSystemLoopException) {
            return LINK;
        } else if (t instanceof UnsupportedOperationException) {
            return UNSUPPORTED;
        } else if (t instanceof InvalidPathException || t instanceof IllegalArgumentException) {
            return INVALID;
        } else if (t instanceof FileSystemException f && f.getReason() != null) {
            String reason = f.getReason();
            if (reason.contains("Is a directory")) {
                return IS_DIRECTORY;
            } else if (reason.contains("Not a directory")) {
                return NOT_DIRECTORY;
            } else if (reason.contains("Directory not empty")) {
                return NOT_EMPTY;
            }
        }
        return IO;
    }

    /** The path of {@code rel} under the root, refusing a component that is not one name or that goes through a link. */
    private Path resolve(String rel) throws IOException {
        Path p = root;
        if (rel.isEmpty()) {
            return p;
        }
        String[] parts = rel.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw new Refusal(INVALID, "not a single name: " + name);
            }
            Path next = p.resolve(name);
            Path file = next.getFileName();
            if (!p.equals(next.getParent()) || file == null || !file.toString().equals(name)) {
                throw new Refusal(INVALID, "not a single name on this filesystem: " + name);
            }
            if (i < parts.length - 1 && Files.isSymbolicLink(next)) {
                throw new Refusal(LINK, "a symbolic link is never followed: " + rel);
            }
            p = next;
        }
        return p;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    }

    private static BasicFileAttributes attributesOrNull(Path p) throws IOException {
        try {
            return attributes(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static long kind(BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            return SYMLINK;
        } else if (a.isDirectory()) {
            return DIRECTORY;
        } else if (a.isRegularFile()) {
            return FILE;
        }
        return OTHER;
    }

    private static void time(long[] out, int at, FileTime t) {
        if (t == null) {
            out[at] = Long.MIN_VALUE;
            return;
        }
        Instant i = t.toInstant();
        out[at] = Math.max(0, i.getEpochSecond());
        out[at + 1] = i.getEpochSecond() < 0 ? 0 : i.getNano();
    }

    private static long[] stat(BasicFileAttributes a, long size) {
        long[] s = new long[9];
        s[0] = kind(a);
        s[1] = size;
        s[2] = 1;
        time(s, 3, a.lastAccessTime());
        time(s, 5, a.lastModifiedTime());
        time(s, 7, a.creationTime());
        return s;
    }

    /**
     * What is at a path, the link itself for a link.
     *
     * @param path relative to the root
     * @return kind, size, link count, then seconds and nanoseconds of access, modification and change ({@code Long.MIN_VALUE} seconds: unknown)
     * @throws IOException on failure
     */
    long[] stat(String path) throws IOException {
        BasicFileAttributes a = attributes(resolve(path));
        return stat(a, a.size());
    }

    /**
     * Opens a path.
     *
     * @param path relative to the root
     * @param how create, exclusive, truncate, directory, read and write bits
     * @return the number of the open file, or -1 for a directory
     * @throws IOException on failure
     */
    long open(String path, int how) throws IOException {
        Path p = resolve(path);
        BasicFileAttributes a = attributesOrNull(p);
        if (a != null && a.isSymbolicLink()) {
            throw new Refusal(LINK, "a symbolic link is never followed: " + path);
        }
        boolean write = (how & WRITE) != 0;
        if ((how & DIR) != 0) {
            if (a == null) {
                throw new NoSuchFileException(path);
            } else if (!a.isDirectory()) {
                throw new NotDirectoryException(path);
            }
            return -1;
        }
        if (a != null && a.isDirectory()) {
            if (write) {
                throw new Refusal(IS_DIRECTORY, path + " is a directory");
            }
            return -1;
        }
        if (a == null && (how & CREATE) == 0) {
            throw new NoSuchFileException(path);
        }
        if (a != null && (how & CREATE) != 0 && (how & EXCLUSIVE) != 0) {
            throw new FileAlreadyExistsException(path);
        }
        if (a == null) {
            Files.createFile(p);
        }
        if ((how & TRUNCATE) != 0 && !write) {
            Files.newByteChannel(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
        }
        SeekableByteChannel channel;
        if (write && !positional(p)) {
            // A zip filesystem's write channel starts the entry afresh and only goes forward:
            // the file is edited in memory and written back when synced or closed.
            byte[] content = (how & TRUNCATE) != 0 ? new byte[0] : Files.readAllBytes(p);
            channel = new Rewritten(p, content);
        } else {
            Set<OpenOption> options = new HashSet<>();
            if ((how & READ) != 0 || !write) {
                options.add(StandardOpenOption.READ);
            }
            if (write) {
                options.add(StandardOpenOption.WRITE);
                if ((how & TRUNCATE) != 0) {
                    options.add(StandardOpenOption.TRUNCATE_EXISTING);
                }
            }
            if (p.getFileSystem() == FileSystems.getDefault()) {
                options.add(LinkOption.NOFOLLOW_LINKS); // closes the race with a link made since the check
            }
            channel = Files.newByteChannel(p, options);
        }
        long id = next.getAndIncrement();
        open.put(id, new Open(channel, p));
        return id;
    }

    /** Whether the provider's channels on {@code p} are file channels (read and write anywhere). */
    private static boolean positional(Path p) throws IOException {
        if (p.getFileSystem() == FileSystems.getDefault()) {
            return true;
        }
        try (SeekableByteChannel c = Files.newByteChannel(p, StandardOpenOption.READ)) {
            return c instanceof FileChannel;
        }
    }

    /** A file edited in memory and written back to its path on {@link #force} and {@link #close}. */
    static final class Rewritten implements SeekableByteChannel {
        private final Path path;
        private byte[] data;
        private int size;
        private long position;
        private boolean open = true;
        private boolean dirty;

        Rewritten(Path path, byte[] content) {
            this.path = path;
            this.data = content;
            this.size = content.length;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), size - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            long end = position + n;
            if (end > Integer.MAX_VALUE - 8) {
                throw new IOException("a file edited in memory cannot pass 2 GiB");
            }
            if (end > data.length) {
                data = java.util.Arrays.copyOf(data, (int) Math.max(end, Math.min(Integer.MAX_VALUE - 8L, data.length * 2L)));
            }
            if (position > size) {
                java.util.Arrays.fill(data, size, (int) position, (byte) 0);
            }
            src.get(data, (int) position, n);
            position = end;
            size = (int) Math.max(size, end);
            dirty = true;
            return n;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            if (newSize < size) {
                size = (int) newSize;
                dirty = true;
            }
            return this;
        }

        void force() throws IOException {
            if (dirty) {
                Files.write(path, java.util.Arrays.copyOf(data, size));
                dirty = false;
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            if (open) {
                open = false;
                force();
            }
        }
    }

    private Open file(long id) throws IOException {
        Open o = open.get(id);
        if (o == null) {
            throw new IOException("no open file " + id);
        }
        return o;
    }

    /**
     * What an open file is now (its size as its channel has it).
     *
     * @param id the open file
     * @return as {@link #stat(String)}
     * @throws IOException on failure
     */
    long[] fileStat(long id) throws IOException {
        Open o = file(id);
        long size;
        synchronized (o) {
            size = o.channel.size();
        }
        try {
            return stat(attributes(o.path), size);
        } catch (NoSuchFileException gone) {
            long[] s = new long[9];
            s[0] = FILE;
            s[1] = size;
            s[2] = 0;
            s[3] = s[5] = s[7] = Long.MIN_VALUE;
            return s;
        }
    }

    /**
     * Reads at an offset.
     *
     * @param id the open file
     * @param offset where
     * @param buffer filled from its start (a copy the native library owns: a provider may keep it)
     * @return bytes read, 0 at the end
     * @throws IOException on failure
     */
    int read(long id, long offset, byte[] buffer) throws IOException {
        ByteBuffer dst = ByteBuffer.wrap(buffer);
        Open o = file(id);
        synchronized (o) {
            if (o.channel instanceof FileChannel f) {
                return Math.max(0, f.read(dst, offset));
            }
            if (offset >= o.channel.size()) {
                return 0;
            }
            o.channel.position(offset);
            int total = 0;
            while (dst.hasRemaining()) {
                int n = o.channel.read(dst);
                if (n <= 0) {
                    break;
                }
                total += n;
            }
            return total;
        }
    }

    /**
     * Writes at an offset, or at the end.
     *
     * @param id the open file
     * @param offset where, or -1 for the end
     * @param bytes the bytes (a copy)
     * @return bytes written
     * @throws IOException on failure
     */
    int write(long id, long offset, byte[] bytes) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(bytes);
        Open o = file(id);
        synchronized (o) {
            SeekableByteChannel c = o.channel;
            long at = offset < 0 ? c.size() : offset;
            if (c instanceof FileChannel f) {
                int total = 0;
                while (src.hasRemaining()) {
                    total += f.write(src, at + total);
                }
                return total;
            }
            c.position(at);
            int total = 0;
            while (src.hasRemaining()) {
                total += c.write(src);
            }
            return total;
        }
    }

    /**
     * Truncates or extends (with zeros) an open file.
     *
     * @param id the open file
     * @param size the new size
     * @throws IOException on failure
     */
    void setSize(long id, long size) throws IOException {
        Open o = file(id);
        synchronized (o) {
            SeekableByteChannel c = o.channel;
            long now = c.size();
            if (size < now) {
                c.truncate(size);
            } else if (size > now) {
                c.position(size - 1);
                c.write(ByteBuffer.allocate(1));
            }
        }
    }

    /**
     * Forces an open file's data to storage where the channel can.
     *
     * @param id the open file
     * @throws IOException on failure
     */
    void sync(long id) throws IOException {
        Open o = file(id);
        synchronized (o) {
            if (o.channel instanceof FileChannel f) {
                f.force(true);
            } else if (o.channel instanceof Rewritten r) {
                r.force();
            }
        }
    }

    /**
     * Closes an open file (a failure is logged: the guest has let go of it).
     *
     * @param id the open file
     */
    void close(long id) {
        Open o = open.remove(id);
        if (o != null) {
            synchronized (o) {
                try {
                    o.channel.close();
                } catch (IOException | RuntimeException e) {
                    // The guest let go of the file and cannot hear of it (a file edited in memory
                    // that could not be written back): the host can.
                    System.getLogger(GuestFiles.class.getName()).log(System.Logger.Level.WARNING,
                            "closing " + o.path + " for a guest failed", e);
                }
            }
        }
    }

    /**
     * The entries of a directory.
     *
     * @param path relative to the root
     * @return each entry's kind code ({@code 0}-{@code 3}) as its first character, then its name
     * @throws IOException on failure
     */
    String[] list(String path) throws IOException {
        Path p = resolve(path);
        BasicFileAttributes a = attributes(p);
        if (a.isSymbolicLink()) {
            throw new Refusal(LINK, "a symbolic link is never followed: " + path);
        } else if (!a.isDirectory()) {
            throw new NotDirectoryException(path);
        }
        List<String> entries = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(p)) {
            for (Path e : dir) {
                Path name = e.getFileName();
                if (name == null) {
                    continue;
                }
                String n = name.toString();
                if (n.endsWith("/")) {
                    n = n.substring(0, n.length() - 1); // zip filesystems name directories with a slash
                }
                BasicFileAttributes ea = attributesOrNull(e);
                long k = ea == null ? OTHER : kind(ea);
                entries.add((char) ('0' + k) + n);
            }
        }
        entries.sort(null);
        return entries.toArray(String[]::new);
    }

    void createDirectory(String path) throws IOException {
        Files.createDirectory(resolve(path));
    }

    void removeDirectory(String path) throws IOException {
        Path p = resolve(path);
        if (!attributes(p).isDirectory()) {
            throw new NotDirectoryException(path);
        }
        Files.delete(p);
    }

    void removeFile(String path) throws IOException {
        Path p = resolve(path);
        if (attributes(p).isDirectory()) {
            throw new Refusal(IS_DIRECTORY, path + " is a directory");
        }
        Files.delete(p);
    }

    void rename(String from, String to) throws IOException {
        Path source = resolve(from);
        Path target = resolve(to);
        BasicFileAttributes s = attributes(source);
        BasicFileAttributes t = attributesOrNull(target);
        if (t != null && t.isDirectory() && !s.isDirectory()) {
            throw new Refusal(IS_DIRECTORY, to + " is a directory");
        }
        if (t != null && !t.isDirectory() && s.isDirectory()) {
            throw new NotDirectoryException(to);
        }
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    void symlink(String target, String link) throws IOException {
        Path l = resolve(link);
        Files.createSymbolicLink(l, l.getFileSystem().getPath(target));
    }

    void hardLink(String existing, String link) throws IOException {
        Files.createLink(resolve(link), resolve(existing));
    }

    String readLink(String path) throws IOException {
        Path p = resolve(path);
        if (!attributes(p).isSymbolicLink()) {
            throw new Refusal(INVALID, path + " is not a symbolic link");
        }
        return Files.readSymbolicLink(p).toString();
    }

    /**
     * Changes the times of a path.
     *
     * @param path relative to the root
     * @param aKind access time: 0 keep, 1 now, 2 the given time
     * @param aSeconds access time, seconds since the epoch
     * @param aNanos access time, nanoseconds
     * @param mKind modification time, as {@code aKind}
     * @param mSeconds modification time, seconds
     * @param mNanos modification time, nanoseconds
     * @throws IOException on failure
     */
    void setTimes(String path, int aKind, long aSeconds, int aNanos, int mKind, long mSeconds, int mNanos)
            throws IOException {
        Path p = resolve(path);
        if (attributes(p).isSymbolicLink()) {
            throw new Refusal(LINK, "a symbolic link is never followed: " + path);
        }
        FileTime now = FileTime.from(Instant.now());
        FileTime accessed = switch (aKind) {
            case 1 -> now;
            case 2 -> FileTime.from(Instant.ofEpochSecond(aSeconds, aNanos));
            default -> null;
        };
        FileTime modified = switch (mKind) {
            case 1 -> now;
            case 2 -> FileTime.from(Instant.ofEpochSecond(mSeconds, mNanos));
            default -> null;
        };
        Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(modified, accessed, null);
    }
}
