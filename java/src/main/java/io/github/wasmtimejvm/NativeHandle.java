package io.github.wasmtimejvm;

import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.NativeLibrary;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The base of every object that owns native memory: engines, stores, components, linkers and
 * pre-linked instances.
 *
 * <p>Close a handle when done with it ({@code try}-with-resources); {@link #close()} is
 * idempotent, and any use after close throws {@link IllegalStateException}. Closing releases
 * the native object at once, or, when another thread is inside a call on it, as soon as that call
 * leaves: a close never frees memory under a running call. A handle that is never closed is
 * released when it becomes unreachable and reported as a leak by {@link HandleRegistry}.
 *
 * <p>Handles keep the handles they were made from alive: a {@link Store} keeps its
 * {@link Engine}, an instance keeps its store.
 */
public abstract class NativeHandle implements AutoCloseable {

    static {
        NativeLibrary.load();
        HandleRegistry.install();
        Internals.setHandleAccess(h -> h.address());
    }

    private static final Cleaner CLEANER =
            Cleaner.create(
                    r -> {
                        Thread t = new Thread(r, "wasmtime-jvm-cleaner");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * How a kind of handle releases its native object: {@code dispose} empties it (called once,
     * by {@code close} or by the cleaner), {@code free} returns the memory of the native cell
     * (called once, by the cleaner, when no Java code can reach the handle any more).
     */
    protected static final class Kind {
        final String name;
        final LongConsumer dispose;
        final LongConsumer free;

        /**
         * Describes a kind of handle.
         *
         * @param name the class name used in messages and leak reports
         * @param dispose releases what the native object holds
         * @param free frees the native cell itself
         */
        public Kind(String name, LongConsumer dispose, LongConsumer free) {
            this.name = name;
            this.dispose = dispose;
            this.free = free;
        }
    }

    /**
     * Shared with the cleaning action; never refers to the handle itself.
     *
     * <p>{@link #release} (from {@code close} or the cleaner) and the cleaner's {@code free} are
     * serialised on this object, so the native cell is never freed while its dispose runs, even
     * if some caller of {@code close} let the handle become unreachable early.
     */
    private static final class State implements Runnable {
        final Kind kind;
        final long address;
        final AtomicBoolean closed = new AtomicBoolean();
        final Throwable allocationSite;
        final Runnable onRelease;

        State(Kind kind, long address, Throwable allocationSite, Runnable onRelease) {
            this.kind = kind;
            this.address = address;
            this.allocationSite = allocationSite;
            this.onRelease = onRelease;
        }

        synchronized void release() {
            HandleRegistry.closed(kind.name);
            if (onRelease != null) {
                onRelease.run();
            }
            kind.dispose.accept(address);
        }

        @Override
        public synchronized void run() {
            if (closed.compareAndSet(false, true)) {
                HandleRegistry.leaked(kind.name, allocationSite);
                release();
            }
            kind.free.accept(address);
        }
    }

    private final State state;

    /**
     * Takes ownership of a native object.
     *
     * @param kind how objects of this class are released
     * @param address the native object's address, as returned by the native constructor
     */
    protected NativeHandle(Kind kind, long address) {
        this(kind, address, null);
    }

    /**
     * Takes ownership of a native object, with an action to run when it is released (by close or
     * by the cleaner). The action must not refer to the handle.
     *
     * @param kind how objects of this class are released
     * @param address the native object's address, as returned by the native constructor
     * @param onRelease runs just before the native object is disposed, or null
     */
    protected NativeHandle(Kind kind, long address, Runnable onRelease) {
        if (address == 0) {
            throw new IllegalStateException("native " + kind.name + " was not created");
        }
        this.state = new State(kind, address, HandleRegistry.allocationSite(kind.name), onRelease);
        HandleRegistry.opened(kind.name);
        CLEANER.register(this, state);
    }

    /**
     * The native address, for passing to native methods. Callers must keep {@code this}
     * reachable until the native call returns: the call is followed, in a {@code finally}, by
     * {@link Reference#reachabilityFence(Object) Reference.reachabilityFence(this)}. Without the
     * fence a JIT-compiled caller may let the handle become unreachable while native code still
     * uses the address, and the cleaner frees the native object under it. {@code
     * NativeFenceTest} checks every caller in this library.
     *
     * @return the native object's address
     * @throws IllegalStateException if the handle is closed
     */
    protected final long address() {
        if (state.closed.get()) {
            throw new IllegalStateException(state.kind.name + " is closed");
        }
        return state.address;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once {@link #close()} has been called (by anyone, on any thread)
     */
    public final boolean isClosed() {
        return state.closed.get();
    }

    /** Releases the native object; further use throws {@link IllegalStateException}. */
    @Override
    public void close() {
        try {
            if (state.closed.compareAndSet(false, true)) {
                state.release();
            }
        } finally {
            // The native dispose reads the object at this address: until it returns, the cleaner
            // must not find this handle unreachable and free the native cell.
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return state.kind.name + (isClosed() ? "[closed]" : "[open]");
    }
}
