package io.github.wasmtimejvm.wasi;

import io.github.wasmtimejvm.internal.GuestFiles;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a WASI guest may see and do: arguments, environment, standard streams, directories,
 * clocks, randomness and network. Nothing is granted unless named here: by default a guest gets
 * no arguments but its program name, no environment, empty standard input, discarded output, no
 * directories, the real clocks, a secure random source and no network.
 *
 * <p>Immutable once built, and reusable: give it to any number of stores with {@code
 * Store.builder(engine).wasi(config)}; each store gets a fresh WASI context from it. Output
 * captured with {@link Builder#captureStdout()} is kept per store ({@code store.capturedStdout()}).
 *
 * <pre>{@code
 * WasiConfig config = WasiConfig.builder()
 *         .args("tool", "--verbose")
 *         .env("LANG", "C")
 *         .preopen(Path.of("data"), "/data", DirAccess.READ_ONLY)
 *         .captureStdout()
 *         .build();
 * }</pre>
 */
public final class WasiConfig {

    /** How the guest may use a preopened directory. */
    public enum DirAccess {
        /** Read files and list directories. */
        READ_ONLY,
        /** Read, write, create, rename and remove. */
        READ_WRITE
    }

    /**
     * A directory the guest sees at {@code guestPath}: a host directory, which wasmtime-wasi
     * serves (cap-std's sandbox), or a directory of any {@link java.nio.file.FileSystem}, which
     * this library serves through Java ({@code javaFileSystem}): a zip filesystem, an in-memory
     * one, the classpath's, or the default one when asked for.
     *
     * <p>Both keep the same promises: no path leads out of the directory (absolute paths and
     * {@code ..} past its root are refused), and a read-only one refuses every change. A Java
     * filesystem preopen never follows a symbolic link (a path through one is refused, a stat
     * shows the link itself) and serves WASI 0.2 components only; a preview 1 core module run
     * with one fails with a clear error.
     *
     * @param hostPath the directory, on the default filesystem or, for a Java filesystem preopen, on any
     * @param guestPath where the guest sees it, e.g. {@code /data} or {@code .}
     * @param access what the guest may do there
     * @param javaFileSystem whether this library serves it through {@code java.nio.file} (always, for a
     *     path not on the default filesystem)
     */
    public record Preopen(Path hostPath, String guestPath, DirAccess access, boolean javaFileSystem) {
        /**
         * Checks the preopen.
         *
         * @param hostPath the directory
         * @param guestPath where the guest sees it
         * @param access what the guest may do there
         * @param javaFileSystem whether it is served through {@code java.nio.file}
         * @throws NullPointerException if any of them is null
         * @throws IllegalArgumentException if {@code hostPath} is not on the default filesystem and
         *     {@code javaFileSystem} is false
         */
        public Preopen {
            Objects.requireNonNull(hostPath, "hostPath");
            Objects.requireNonNull(guestPath, "guestPath");
            Objects.requireNonNull(access, "access");
            if (!javaFileSystem && hostPath.getFileSystem() != FileSystems.getDefault()) {
                throw new IllegalArgumentException(hostPath + " is not on the default filesystem ("
                        + hostPath.getFileSystem().provider().getScheme() + "): only a Java filesystem preopen can serve it");
            }
        }

        /**
         * A preopen served by wasmtime-wasi for a path on the default filesystem, through Java for
         * any other.
         *
         * @param hostPath the directory
         * @param guestPath where the guest sees it
         * @param access what the guest may do there
         */
        public Preopen(Path hostPath, String guestPath, DirAccess access) {
            this(hostPath, guestPath, access, hostPath.getFileSystem() != FileSystems.getDefault());
        }
    }

    /** Where standard output or error goes. */
    public enum OutputMode {
        /** Dropped. */
        DISCARD,
        /** To the JVM process's own stream. */
        INHERIT,
        /** Kept in memory, read after the run from the store. */
        CAPTURE,
        /** Written to a Java {@link OutputStream} as the guest writes. */
        STREAM
    }

    /** Where standard input comes from. */
    public enum InputMode {
        /** No input. */
        EMPTY,
        /** Fixed bytes. */
        BYTES,
        /** The JVM process's standard input. */
        INHERIT,
        /** A Java {@link InputStream}, read as the guest reads. */
        STREAM
    }

    /** Default limit of captured output per stream: 64 MiB. */
    public static final int DEFAULT_CAPTURE_LIMIT = 64 << 20;

    private final List<String> args;
    private final Map<String, String> env;
    private final boolean inheritEnv;
    private final String cwd;
    private final InputMode stdinMode;
    private final byte[] stdinBytes;
    private final InputStream stdinStream;
    private final OutputMode stdoutMode;
    private final OutputMode stderrMode;
    private final int stdoutLimit;
    private final int stderrLimit;
    private final OutputStream stdoutStream;
    private final OutputStream stderrStream;
    private final List<Preopen> preopens;
    private final WasiClock wallClock;
    private final WasiClock monotonicClock;
    private final Long randomSeed;
    private final boolean allowTcp;
    private final boolean allowUdp;
    private final boolean allowIpNameLookup;
    private final NetworkPolicy networkPolicy;
    private final HttpPolicy httpPolicy;
    private final AuditListener auditListener;
    private final boolean auditGranted;
    private final List<GuestFiles> guestFiles;
    private final byte[] encoded;

    private WasiConfig(Builder b) {
        List<String> a = new ArrayList<>();
        a.add(b.argv0);
        a.addAll(b.args);
        this.args = List.copyOf(a);
        this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
        this.inheritEnv = b.inheritEnv;
        this.cwd = b.cwd;
        this.stdinMode = b.stdinMode;
        this.stdinBytes = b.stdinBytes == null ? null : b.stdinBytes.clone();
        this.stdinStream = b.stdinStream;
        this.stdoutMode = b.stdoutMode;
        this.stderrMode = b.stderrMode;
        this.stdoutLimit = b.stdoutLimit;
        this.stderrLimit = b.stderrLimit;
        this.stdoutStream = b.stdoutStream;
        this.stderrStream = b.stderrStream;
        this.preopens = List.copyOf(b.preopens);
        this.wallClock = b.wallClock;
        this.monotonicClock = b.monotonicClock;
        this.randomSeed = b.randomSeed;
        this.allowTcp = b.allowTcp;
        this.allowUdp = b.allowUdp;
        this.allowIpNameLookup = b.allowIpNameLookup;
        this.networkPolicy = b.networkPolicy;
        this.httpPolicy = b.httpPolicy;
        this.auditListener = b.auditListener;
        this.auditGranted = b.auditGranted;
        this.guestFiles = preopens.stream().filter(Preopen::javaFileSystem).map(p -> new GuestFiles(p.hostPath())).toList();
        this.encoded = encode();
    }

    /**
     * A builder starting from nothing granted.
     *
     * @return a builder in which nothing is granted: no arguments, environment, stdio, directories or sockets
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration that grants nothing.
     *
     * @return a configuration with no arguments, no environment, empty stdin, discarded stdout and stderr, no directories and no network
     */
    public static WasiConfig defaults() {
        return builder().build();
    }

    /**
     * {@code argv}, program name first.
     *
     * @return the arguments, {@code argv[0]} first; unmodifiable
     */
    public List<String> args() {
        return args;
    }

    /**
     * The environment variables given explicitly.
     *
     * @return the variables set on the builder, by name; unmodifiable
     */
    public Map<String, String> env() {
        return env;
    }

    /**
     * Whether the JVM process's environment is passed too.
     *
     * @return true if the guest also sees the JVM process's environment variables
     */
    public boolean inheritsEnv() {
        return inheritEnv;
    }

    /**
     * The initial working directory the guest reports, if set.
     *
     * @return the working directory, or empty if none was set
     */
    public Optional<String> cwd() {
        return Optional.ofNullable(cwd);
    }

    /**
     * Where standard input comes from.
     *
     * @return the mode of standard input
     */
    public InputMode stdinMode() {
        return stdinMode;
    }

    /**
     * Where standard output goes.
     *
     * @return the mode of standard output
     */
    public OutputMode stdoutMode() {
        return stdoutMode;
    }

    /**
     * Where standard error goes.
     *
     * @return the mode of standard error
     */
    public OutputMode stderrMode() {
        return stderrMode;
    }

    /**
     * The preopened directories.
     *
     * @return the directories the guest sees, in the order they were added; unmodifiable
     */
    public List<Preopen> preopens() {
        return preopens;
    }

    /**
     * The wall clock.
     *
     * @return the clock behind {@code wasi:clocks/wall-clock}
     */
    public WasiClock wallClock() {
        return wallClock;
    }

    /**
     * The monotonic clock.
     *
     * @return the clock behind {@code wasi:clocks/monotonic-clock}
     */
    public WasiClock monotonicClock() {
        return monotonicClock;
    }

    /**
     * The seed of the deterministic random source, if one was asked for.
     *
     * @return the seed, or empty when the host's cryptographic source is used
     */
    public Optional<Long> randomSeed() {
        return Optional.ofNullable(randomSeed);
    }

    /**
     * Whether TCP sockets are allowed.
     *
     * @return true if the guest may open TCP sockets
     */
    public boolean allowsTcp() {
        return allowTcp;
    }

    /**
     * Whether UDP sockets are allowed.
     *
     * @return true if the guest may open UDP sockets
     */
    public boolean allowsUdp() {
        return allowUdp;
    }

    /**
     * Whether name lookup is allowed.
     *
     * @return true if the guest may resolve host names
     */
    public boolean allowsIpNameLookup() {
        return allowIpNameLookup;
    }

    /**
     * The policy filtering socket addresses, if any.
     *
     * @return the policy, or empty when every address is allowed for the socket kinds allowed
     */
    public Optional<NetworkPolicy> networkPolicy() {
        return Optional.ofNullable(networkPolicy);
    }

    /**
     * What outgoing {@code wasi:http} requests may reach.
     *
     * @return the policy, or empty when none was set (no outgoing request is allowed)
     */
    public Optional<HttpPolicy> outgoingHttp() {
        return Optional.ofNullable(httpPolicy);
    }

    /**
     * The encoded form the native library reads (see {@code native/src/jni/wasi_config.rs}). Not
     * for use outside this library.
     *
     * @return a fresh copy of the encoded configuration
     */
    public byte[] nativeEncoding() {
        return encoded.clone();
    }

    /**
     * The Java objects the native library calls: stdin stream, stdout stream, stderr stream,
     * network policy (each may be null). Not for use outside this library.
     *
     * @return a new array: stdin, stdout, stderr, policy, audit listener, then the Java side of each Java filesystem preopen
     */
    public Object[] nativeObjects() {
        Object[] o = new Object[5 + guestFiles.size()];
        o[0] = stdinStream;
        o[1] = stdoutStream;
        o[2] = stderrStream;
        o[3] = networkPolicy;
        o[4] = auditListener;
        for (int i = 0; i < guestFiles.size(); i++) {
            o[5 + i] = guestFiles.get(i);
        }
        return o;
    }

    /**
     * The audit listener.
     *
     * @return the listener, if one was set
     */
    public Optional<AuditListener> auditListener() {
        return Optional.ofNullable(auditListener);
    }

    /**
     * Whether the audit listener receives granted accesses too.
     *
     * @return true if it receives every access, false if refusals only
     */
    public boolean auditsGranted() {
        return auditGranted;
    }

    private byte[] encode() {
        Out o = new Out();
        o.u32(args.size());
        args.forEach(o::string);
        o.u32(env.size());
        env.forEach((k, v) -> {
            o.string(k);
            o.string(v);
        });
        o.u8(inheritEnv ? 1 : 0);
        o.u8(cwd == null ? 0 : 1);
        if (cwd != null) {
            o.string(cwd);
        }
        switch (stdinMode) {
            case EMPTY -> o.u8(0);
            case BYTES -> {
                o.u8(1);
                o.u32(stdinBytes.length);
                o.bytes.writeBytes(stdinBytes);
            }
            case INHERIT -> o.u8(2);
            case STREAM -> o.u8(3);
        }
        output(o, stdoutMode, stdoutLimit);
        output(o, stderrMode, stderrLimit);
        List<Preopen> host = preopens.stream().filter(p -> !p.javaFileSystem()).toList();
        o.u32(host.size());
        for (Preopen p : host) {
            o.string(p.hostPath().toAbsolutePath().toString());
            o.string(p.guestPath());
            o.u8(p.access() == DirAccess.READ_ONLY ? 1 : 0);
        }
        clock(o, wallClock);
        clock(o, monotonicClock);
        o.u8(randomSeed == null ? 0 : 1);
        o.u64(randomSeed == null ? 0 : randomSeed);
        o.u8(allowTcp ? 1 : 0);
        o.u8(allowUdp ? 1 : 0);
        o.u8(allowIpNameLookup ? 1 : 0);
        o.u8(networkPolicy == null ? 0 : 1);
        o.u8(auditListener == null ? 0 : 1);
        if (auditListener != null) {
            o.u8(auditGranted ? 1 : 0);
        }
        List<Preopen> java = preopens.stream().filter(Preopen::javaFileSystem).toList();
        o.u32(java.size());
        for (Preopen p : java) {
            o.string(p.guestPath());
            o.u8(p.access() == DirAccess.READ_ONLY ? 1 : 0);
        }
        o.u8(httpPolicy == null ? 0 : 1);
        if (httpPolicy != null) {
            encode(o, httpPolicy);
        }
        return o.bytes.toByteArray();
    }

    /** The layout {@code http_policy} in {@code native/src/jni/wasi_config.rs} reads. */
    private static void encode(Out o, HttpPolicy p) {
        o.u32(p.rules().size());
        for (HttpPolicy.Rule r : p.rules()) {
            o.string(r.scheme() == null ? "" : r.scheme());
            o.string(r.host());
            o.u32(r.port());
            o.u32(r.methods().size());
            r.methods().forEach(o::string);
        }
        for (Optional<java.time.Duration> d : List.of(p.connectTimeout(), p.firstByteTimeout(),
                p.betweenBytesTimeout())) {
            o.u64(d.map(WasiConfig::nanos).orElse(0L));
        }
        o.u64(p.maxRequestBody().orElse(-1L));
        o.u64(p.maxResponseBody().orElse(-1L));
    }

    private static long nanos(java.time.Duration d) {
        try {
            return Math.max(1, d.toNanos());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static void output(Out o, OutputMode mode, int limit) {
        switch (mode) {
            case DISCARD -> o.u8(0);
            case INHERIT -> o.u8(1);
            case CAPTURE -> {
                o.u8(2);
                o.u64(limit);
            }
            case STREAM -> o.u8(3);
        }
    }

    private static void clock(Out o, WasiClock c) {
        o.u8(c.kind().ordinal());
        o.u64(c.startNanos());
        o.u64(c.stepNanos());
    }

    private static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void u8(int v) {
            bytes.write(v);
        }

        void u32(int v) {
            for (int i = 0; i < 4; i++) {
                bytes.write(v >>> (8 * i));
            }
        }

        void u64(long v) {
            for (int i = 0; i < 8; i++) {
                bytes.write((int) (v >>> (8 * i)));
            }
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            bytes.writeBytes(b);
        }
    }

    /** Builds a {@link WasiConfig}; every method returns the builder. */
    public static final class Builder {
        private String argv0 = "main";
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean inheritEnv;
        private String cwd;
        private InputMode stdinMode = InputMode.EMPTY;
        private byte[] stdinBytes;
        private InputStream stdinStream;
        private OutputMode stdoutMode = OutputMode.DISCARD;
        private OutputMode stderrMode = OutputMode.DISCARD;
        private int stdoutLimit = DEFAULT_CAPTURE_LIMIT;
        private int stderrLimit = DEFAULT_CAPTURE_LIMIT;
        private OutputStream stdoutStream;
        private OutputStream stderrStream;
        private final List<Preopen> preopens = new ArrayList<>();
        private WasiClock wallClock = WasiClock.system();
        private WasiClock monotonicClock = WasiClock.system();
        private Long randomSeed;
        private boolean allowTcp;
        private boolean allowUdp;
        private boolean allowIpNameLookup;
        private NetworkPolicy networkPolicy;
        private HttpPolicy httpPolicy;
        private AuditListener auditListener;
        private boolean auditGranted;

        private Builder() {}

        /**
         * The program name the guest sees as {@code argv[0]} (default {@code main}).
         *
         * @param name the program name
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         */
        public Builder argv0(String name) {
            this.argv0 = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the arguments after {@code argv[0]}.
         *
         * @param arguments the arguments, replacing any set before
         * @return this builder
         * @throws NullPointerException if an argument is null
         */
        public Builder args(String... arguments) {
            return args(List.of(arguments));
        }

        /**
         * Sets the arguments after {@code argv[0]}.
         *
         * @param arguments the arguments, replacing any set before
         * @return this builder
         * @throws NullPointerException if an argument is null
         */
        public Builder args(List<String> arguments) {
            args.clear();
            for (String a : arguments) {
                args.add(Objects.requireNonNull(a, "argument"));
            }
            return this;
        }

        /**
         * Adds one argument.
         *
         * @param argument the argument, added after those already set
         * @return this builder
         * @throws NullPointerException if {@code argument} is null
         */
        public Builder arg(String argument) {
            args.add(Objects.requireNonNull(argument, "argument"));
            return this;
        }

        /**
         * Sets one environment variable.
         *
         * @param name the variable's name
         * @param value its value, replacing any set before for that name
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is empty or contains {@code =}
         * @throws NullPointerException if either is null
         */
        public Builder env(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || name.indexOf('=') >= 0) {
                throw new IllegalArgumentException("bad environment variable name `" + name + "`");
            }
            env.put(name, value);
            return this;
        }

        /**
         * Sets several environment variables.
         *
         * @param variables the variables, each set as by {@link #env(String, String)}
         * @return this builder
         * @throws IllegalArgumentException if a name is empty or contains {@code =}
         */
        public Builder envs(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /**
         * Passes the JVM process's environment too (variables set here win).
         *
         * @return this builder
         */
        public Builder inheritEnv() {
            this.inheritEnv = true;
            return this;
        }

        /**
         * The initial working directory the guest reports.
         *
         * @param path a path in the guest's view, e.g. {@code /data}
         * @return this builder
         * @throws NullPointerException if {@code path} is null
         */
        public Builder cwd(String path) {
            this.cwd = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Standard input: these bytes, then end of file.
         *
         * @param bytes the whole input (copied)
         * @return this builder
         */
        public Builder stdin(byte[] bytes) {
            this.stdinMode = InputMode.BYTES;
            this.stdinBytes = Objects.requireNonNull(bytes, "bytes").clone();
            this.stdinStream = null;
            return this;
        }

        /**
         * Standard input: read from {@code in} as the guest reads (blocking the guest).
         *
         * @param in the stream; this library does not close it
         * @return this builder
         */
        public Builder stdin(InputStream in) {
            this.stdinMode = InputMode.STREAM;
            this.stdinStream = Objects.requireNonNull(in, "in");
            this.stdinBytes = null;
            return this;
        }

        /**
         * Standard input: the JVM process's.
         *
         * @return this builder
         */
        public Builder inheritStdin() {
            this.stdinMode = InputMode.INHERIT;
            return this;
        }

        /**
         * Standard input: none (the default).
         *
         * @return this builder
         */
        public Builder emptyStdin() {
            this.stdinMode = InputMode.EMPTY;
            return this;
        }

        /**
         * Standard output: kept per store, up to {@link #DEFAULT_CAPTURE_LIMIT} bytes.
         *
         * @return this builder
         */
        public Builder captureStdout() {
            return captureStdout(DEFAULT_CAPTURE_LIMIT);
        }

        /**
         * Standard output: kept per store, up to {@code maxBytes}.
         *
         * @param maxBytes how many bytes to keep; output beyond them is dropped
         * @return this builder
         * @throws IllegalArgumentException if {@code maxBytes} is not positive
         */
        public Builder captureStdout(int maxBytes) {
            this.stdoutMode = OutputMode.CAPTURE;
            this.stdoutLimit = positive(maxBytes);
            return this;
        }

        /**
         * Standard output: written to {@code out} as the guest writes.
         *
         * @param out the stream; this library does not close it
         * @return this builder
         */
        public Builder stdout(OutputStream out) {
            this.stdoutMode = OutputMode.STREAM;
            this.stdoutStream = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Standard output: the JVM process's.
         *
         * @return this builder
         */
        public Builder inheritStdout() {
            this.stdoutMode = OutputMode.INHERIT;
            return this;
        }

        /**
         * Standard output: dropped (the default).
         *
         * @return this builder
         */
        public Builder discardStdout() {
            this.stdoutMode = OutputMode.DISCARD;
            return this;
        }

        /**
         * Standard error: kept per store, up to {@link #DEFAULT_CAPTURE_LIMIT} bytes.
         *
         * @return this builder
         */
        public Builder captureStderr() {
            return captureStderr(DEFAULT_CAPTURE_LIMIT);
        }

        /**
         * Standard error: kept per store, up to {@code maxBytes}.
         *
         * @param maxBytes how many bytes to keep; output beyond them is dropped
         * @return this builder
         * @throws IllegalArgumentException if {@code maxBytes} is not positive
         */
        public Builder captureStderr(int maxBytes) {
            this.stderrMode = OutputMode.CAPTURE;
            this.stderrLimit = positive(maxBytes);
            return this;
        }

        /**
         * Standard error: written to {@code out} as the guest writes.
         *
         * @param out the stream; this library does not close it
         * @return this builder
         */
        public Builder stderr(OutputStream out) {
            this.stderrMode = OutputMode.STREAM;
            this.stderrStream = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Standard error: the JVM process's.
         *
         * @return this builder
         */
        public Builder inheritStderr() {
            this.stderrMode = OutputMode.INHERIT;
            return this;
        }

        /**
         * Standard error: dropped (the default).
         *
         * @return this builder
         */
        public Builder discardStderr() {
            this.stderrMode = OutputMode.DISCARD;
            return this;
        }

        /**
         * Standard input, output and error: the JVM process's.
         *
         * @return this builder
         */
        public Builder inheritStdio() {
            return inheritStdin().inheritStdout().inheritStderr();
        }

        /**
         * Lets the guest see the directory {@code hostPath} at {@code guestPath}: a host directory
         * (wasmtime-wasi serves it) for a path on the default filesystem, a Java filesystem
         * preopen for a path on any other (a zip filesystem, an in-memory one; see {@link
         * Preopen}).
         *
         * @param hostPath an existing directory
         * @param guestPath where the guest sees it, e.g. {@code /data} or {@code .}
         * @param access what the guest may do there
         * @return this builder
         * @throws IllegalArgumentException if {@code hostPath} is not a directory
         */
        public Builder preopen(Path hostPath, String guestPath, DirAccess access) {
            return add(new Preopen(hostPath, guestPath, access));
        }

        /**
         * Lets the guest see {@code dir}, on any filesystem, at {@code guestPath}, served through
         * {@code java.nio.file} by this library even when it is on the default filesystem (see
         * {@link Preopen}: the same sandbox, symbolic links never followed, WASI 0.2 components
         * only).
         *
         * @param dir an existing directory of any filesystem provider
         * @param guestPath where the guest sees it, e.g. {@code /data}
         * @param access what the guest may do there
         * @return this builder
         * @throws IllegalArgumentException if {@code dir} is not a directory
         */
        public Builder preopenJavaFileSystem(Path dir, String guestPath, DirAccess access) {
            return add(new Preopen(dir, guestPath, access, true));
        }

        private Builder add(Preopen p) {
            if (!Files.isDirectory(p.hostPath())) {
                throw new IllegalArgumentException(p.hostPath() + " is not a directory");
            }
            preopens.add(p);
            return this;
        }

        /**
         * Reports every access the sandbox refuses (a path out of a preopen, a change in a
         * read-only one, a symbolic link a Java filesystem does not follow, a socket address the
         * network policy denies) to {@code listener}.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder auditListener(AuditListener listener) {
            return auditListener(listener, false);
        }

        /**
         * Reports every refused access to {@code listener}, and every granted one (each file
         * opened, listed, created or removed, each socket address checked) when {@code
         * includeGranted}.
         *
         * @param listener the listener
         * @param includeGranted whether granted accesses are reported too
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder auditListener(AuditListener listener, boolean includeGranted) {
            this.auditListener = Objects.requireNonNull(listener, "listener");
            this.auditGranted = includeGranted;
            return this;
        }

        /**
         * The wall clock (default: the host's).
         *
         * @param clock the clock the guest reads for the time of day
         * @return this builder
         */
        public Builder wallClock(WasiClock clock) {
            this.wallClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The monotonic clock (default: the host's).
         *
         * @param clock the clock the guest reads for elapsed time
         * @return this builder
         */
        public Builder monotonicClock(WasiClock clock) {
            this.monotonicClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes every random source deterministic from {@code seed} (for reproducible runs; never
         * for anything needing secrecy). Default: the host's cryptographic source.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /**
         * Allows TCP sockets (subject to the network policy).
         *
         * @param allow true to allow TCP, false to refuse it (the default)
         * @return this builder
         */
        public Builder allowTcp(boolean allow) {
            this.allowTcp = allow;
            return this;
        }

        /**
         * Allows UDP sockets (subject to the network policy).
         *
         * @param allow true to allow UDP, false to refuse it (the default)
         * @return this builder
         */
        public Builder allowUdp(boolean allow) {
            this.allowUdp = allow;
            return this;
        }

        /**
         * Allows name lookup ({@code wasi:sockets/ip-name-lookup}).
         *
         * @param allow true to allow name lookup, false to refuse it (the default)
         * @return this builder
         */
        public Builder allowIpNameLookup(boolean allow) {
            this.allowIpNameLookup = allow;
            return this;
        }

        /**
         * Filters every address a socket binds or connects to (without one, allowing TCP or UDP
         * allows every address).
         *
         * @param policy the policy
         * @return this builder
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder networkPolicy(NetworkPolicy policy) {
            this.networkPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * What the guest's outgoing {@code wasi:http} requests may reach (without a policy, none
         * is allowed). The linker must have had {@link
         * io.github.wasmtimejvm.component.Linker#addWasiHttp()}; the policy is independent of
         * {@link #allowTcp}: wasi:http requests are made by the host, not through the guest's
         * sockets.
         *
         * @param policy the policy
         * @return this builder
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder outgoingHttp(HttpPolicy policy) {
            this.httpPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The configuration.
         *
         * @return an immutable configuration holding what this builder was given; the builder can go on being used
         */
        public WasiConfig build() {
            return new WasiConfig(this);
        }

        private static int positive(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("the capture limit must be positive");
            }
            return n;
        }
    }
}
