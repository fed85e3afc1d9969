package io.github.wasmtimejvm;

import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * The home of component instances, their memories and the guest resources the host holds.
 *
 * <p>A store is used by one thread at a time: a call on a store that another thread is using
 * throws {@link IllegalStateException} (it never corrupts memory), and so does a host function
 * that calls back into the store running it. Give each thread its own store; instantiate cheaply
 * with an {@code InstancePre}. Closing the store frees every instance and resource in it; a close
 * while another thread is inside a call takes effect when that call returns.
 */
public final class Store extends NativeHandle {

    private static final Kind KIND = new Kind("Store", Store::dispose0, Store::free0);

    static {
        Internals.setStoreAccess(s -> s.resources);
    }

    private final Engine engine;
    private final StoreResources resources;

    /**
     * A store with no limits.
     *
     * @param engine the engine; the store keeps it alive
     */
    public Store(Engine engine) {
        this(builder(engine), new StoreResources());
    }

    private Store(Builder b, StoreResources resources) {
        super(KIND, create(b), resources::closeRequested);
        this.engine = b.engine;
        this.resources = resources;
        // Lets host functions running in this store reach it (a weak reference on the native side).
        try {
            attach0(address(), this);
            resources.attached(address());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private static long create(Builder b) {
        try {
            return new0(Internals.address(b.engine), b.memorySize, b.tableElements, b.instances, b.fuel,
                    b.epochDeadline, b.timeout == null ? -1 : b.timeout.toNanos(),
                    b.wasi == null ? null : b.wasi.nativeEncoding(),
                    b.wasi == null ? null : b.wasi.nativeObjects());
        } finally {
            Reference.reachabilityFence(b.engine);
        }
    }

    /**
     * A builder for a store of {@code engine} with limits and budgets.
     *
     * @param engine the engine the store will belong to
     * @return a builder with no limits set
     */
    public static Builder builder(Engine engine) {
        return new Builder(engine);
    }

    /**
     * The engine this store belongs to.
     *
     * @return the engine given when the store was made
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Sets the fuel left.
     *
     * @param fuel the fuel the guest may still burn
     * @throws IllegalArgumentException if the engine does not consume fuel
     */
    public void setFuel(long fuel) {
        if (fuel < 0) {
            throw new IllegalArgumentException("fuel must not be negative");
        }
        try {
            setFuel0(address(), fuel);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The fuel left.
     *
     * @return the fuel not yet burnt
     * @throws IllegalArgumentException if the engine does not consume fuel
     */
    public long getFuel() {
        try {
            return getFuel0(address());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Sets the epoch deadline, in ticks of {@link Engine#incrementEpoch()} from now.
     *
     * @param ticks how many epoch increments from now the guest may run
     * @throws IllegalArgumentException if the engine does not use epoch interruption
     */
    public void setEpochDeadline(long ticks) {
        if (ticks < 0) {
            throw new IllegalArgumentException("ticks must not be negative");
        }
        try {
            setEpochDeadline0(address(), ticks);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * What the guest wrote to standard output, when the store's WASI config captures it.
     *
     * @return a copy of the bytes written so far; empty when stdout is not captured
     */
    public byte[] capturedStdout() {
        try {
            return captured0(address(), false);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * What the guest wrote to standard error, when the store's WASI config captures it.
     *
     * @return a copy of the bytes written so far; empty when stderr is not captured
     */
    public byte[] capturedStderr() {
        try {
            return captured0(address(), true);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Guest resources the host holds in this store and has not dropped. Host-defined resources
     * are not counted here; see {@link #liveHostResources()}.
     *
     * @return how many guest resource handles the host holds and has not dropped
     */
    public int liveResources() {
        return resources.size();
    }

    /**
     * Host objects of host-defined resources ({@code HostResourceType}) that the guest holds in
     * this store: objects it owns (returned to it by host functions or passed as {@code own}
     * arguments, and not dropped yet) and objects lent to it as {@code borrow} arguments for a
     * call in progress. Zero when the guest holds none; objects the guest gave back to the host
     * (its {@code own} results and arguments) are not counted. When the store closes, the
     * destructors of the objects still counted here run and each is reported as a {@code
     * HostResource} leak.
     *
     * @return how many host objects the guest holds
     */
    public int liveHostResources() {
        return resources.hostSize();
    }

    /**
     * Frees the store and everything in it. Guest resources still held are released and reported
     * as leaks by {@link HandleRegistry}; host objects the guest still holds are destroyed (their
     * {@code HostResourceType} destructor runs) and reported as leaks too. When a call is in
     * progress in this store (on another thread, or this one from a host function), all of that
     * happens when the call returns: the call finishes normally first.
     */
    @Override
    public void close() {
        super.close();
    }

    /** Builds a {@link Store} with limits. */
    public static final class Builder {
        private final Engine engine;
        private long memorySize = -1;
        private long tableElements = -1;
        private long instances = -1;
        private long fuel = -1;
        private long epochDeadline = -1;
        private java.time.Duration timeout;
        private io.github.wasmtimejvm.wasi.WasiConfig wasi;

        private Builder(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /**
         * Most bytes any one linear memory may grow to; growing past it fails in the guest.
         *
         * @param bytes the limit in bytes
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder memoryLimit(long bytes) {
            this.memorySize = requireNonNegative(bytes, "bytes");
            return this;
        }

        /**
         * Most elements any one table may grow to.
         *
         * @param elements the limit in elements
         * @return this builder
         * @throws IllegalArgumentException if {@code elements} is negative
         */
        public Builder tableElementsLimit(long elements) {
            this.tableElements = requireNonNegative(elements, "elements");
            return this;
        }

        /**
         * Most instances the store may create.
         *
         * @param count the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is negative
         */
        public Builder instancesLimit(long count) {
            this.instances = requireNonNegative(count, "count");
            return this;
        }

        /**
         * Fuel to start with (the engine must consume fuel).
         *
         * @param fuel the initial fuel
         * @return this builder
         * @throws IllegalArgumentException if {@code fuel} is negative
         */
        public Builder fuel(long fuel) {
            this.fuel = requireNonNegative(fuel, "fuel");
            return this;
        }

        /**
         * Epoch ticks before interruption (the engine must use epoch interruption).
         *
         * @param ticks the deadline in epoch ticks from when the store is built
         * @return this builder
         * @throws IllegalArgumentException if {@code ticks} is negative
         */
        public Builder epochDeadline(long ticks) {
            this.epochDeadline = requireNonNegative(ticks, "ticks");
            return this;
        }

        /**
         * A wall-clock limit for each call into the store: a guest still running after it is
         * interrupted with a {@link TimeoutException}. Needs an engine with epoch interruption; the
         * engine's ticker thread enforces it (in steps of a few milliseconds).
         *
         * <p>Only wasm code is interrupted. Time spent in host code the guest called (a Java host
         * function, or WASI reading a Java {@code InputStream}) counts toward the limit but is not
         * cut short: a host function that blocks holds the call for as long as it blocks, and the
         * guest is interrupted as soon as it runs again past its deadline. Bound blocking host
         * code yourself (timeouts on its I/O and locks). {@link Thread#interrupt()} on the calling
         * thread does not stop a guest either; host code sees the interrupt as Java code always
         * does (a blocking call throws {@link InterruptedException}), and an exception thrown out
         * of a host function traps the guest with that exception as the {@link TrapException}'s
         * cause.
         *
         * @param limit the longest a call may run
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is zero or negative
         */
        public Builder timeout(java.time.Duration limit) {
            java.util.Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("the time limit must be positive");
            }
            this.timeout = limit;
            return this;
        }

        /**
         * What WASI grants the guests of this store (nothing when not set).
         *
         * @param config what the guests may reach
         * @return this builder
         */
        public Builder wasi(io.github.wasmtimejvm.wasi.WasiConfig config) {
            this.wasi = java.util.Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The store.
         *
         * @return a new store with the limits given
         */
        public Store build() {
            return new Store(this, new StoreResources());
        }

        private static long requireNonNegative(long v, String name) {
            if (v < 0) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return v;
        }
    }

    private static native long new0(long engine, long memorySize, long tableElements, long instances,
            long fuel, long epochDeadline, long timeoutNanos, byte[] wasi, Object[] wasiObjects);

    private static native byte[] captured0(long address, boolean stderr);

    private static native void attach0(long address, Store self);

    private static native void dispose0(long address);

    private static native void free0(long address);

    private static native void setFuel0(long address, long fuel);

    private static native long getFuel0(long address);

    private static native void setEpochDeadline0(long address, long ticks);
}
