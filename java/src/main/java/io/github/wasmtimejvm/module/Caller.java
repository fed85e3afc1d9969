package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;
import java.util.Objects;

/**
 * What a {@link HostFunction} sees of the module that called it: its store and its exported
 * memories. A caller, and every memory reached through it, is valid only while the host function
 * runs; using it afterwards throws {@link IllegalStateException}.
 */
public final class Caller {

    private final Store store;
    /**
     * The native store, taken when the call began: a host function may close the store, which
     * then closes when the guest's call leaves it, and until then the caller's memory stays
     * readable.
     */
    private final long storeAddress;
    private volatile boolean active = true;

    Caller(Store store, long storeAddress) {
        this.store = store;
        this.storeAddress = storeAddress;
    }

    /** The native store of this call, once checked to be active. */
    long storeAddress() {
        checkActive();
        return storeAddress;
    }

    /**
     * The store the calling module lives in.
     *
     * @return the store of the call in progress
     */
    public Store store() {
        return store;
    }

    /**
     * The calling module's exported memory {@code name} (usually {@code "memory"}), for reading
     * the strings and buffers it passes by pointer.
     *
     * @param name the export's name
     * @return the memory, valid only during this host call
     * @throws IllegalArgumentException (on first access) if the caller exports no memory of that
     *     name
     */
    public Memory memory(String name) {
        Objects.requireNonNull(name, "name");
        checkActive();
        return Memory.ofCaller(this, name);
    }

    void checkActive() {
        if (!active) {
            throw new IllegalStateException("this Caller (or a memory reached through it) belongs to a host function"
                    + " call that has returned; use it only inside the host function");
        }
    }

    void end() {
        active = false;
    }
}
