package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.lang.ref.Reference;

/**
 * A guest resource held by the host: an {@code own<T>} handle that a component function
 * returned.
 *
 * <p>Call its methods by passing it to the component's functions: as a {@code borrow<T>} argument
 * the host keeps it; as an {@code own<T>} argument ownership passes to the guest, and this handle
 * can no longer be used. {@link #close()} drops it, which runs the guest's destructor. A resource
 * still held when its store closes is released with the store and reported as a leak.
 *
 * <p>A host function receives {@code borrow<T>} arguments as resources too ({@link
 * #isBorrowed()}): they are valid only until the host function returns, and closing them does
 * nothing.
 */
@SuppressWarnings("try") // the `running` scopes mark calls in progress; their bodies need not use them
public final class Resource implements AutoCloseable {

    private final Store store;
    private final String type;
    private final StoreResources.State state;
    private final boolean borrowed;

    Resource(Store store, String type, long id) {
        this(store, type, id, false);
    }

    Resource(Store store, String type, long id, boolean borrowed) {
        this.store = store;
        this.type = type;
        this.borrowed = borrowed;
        this.state = Internals.resources(store).track(id);
    }

    /**
     * Whether this handle is a borrow lent to a host function (valid only during that call).
     *
     * @return true for a {@code borrow} handed to a host function, false for a handle the host owns
     */
    public boolean isBorrowed() {
        return borrowed;
    }

    /**
     * The store this resource lives in.
     *
     * @return the store the handle belongs to
     */
    public Store store() {
        return store;
    }

    /**
     * The resource type's name, such as {@code counter}.
     *
     * @return the name, as the component's WIT spells it
     */
    public String type() {
        return type;
    }

    /**
     * Whether the host still holds this resource (it was not dropped, transferred or released).
     *
     * @return true while the handle can be used
     */
    public boolean isValid() {
        return state.status() == StoreResources.Status.LIVE;
    }

    /**
     * The native id, checking that the host still holds the resource.
     *
     * @throws IllegalStateException if it was dropped, transferred or released with its store
     */
    long id() {
        StoreResources.Status status = state.status();
        if (status != StoreResources.Status.LIVE) {
            throw new IllegalStateException(describe(status));
        }
        return state.id();
    }

    String describe(StoreResources.Status status) {
        return switch (status) {
            case DROPPED -> "resource " + type + " was dropped (closed)";
            case TRANSFERRED -> "resource " + type + " was passed as an owned handle to the guest, which now owns it";
            case RELEASED -> "resource " + type + " was released when its Store closed";
            case BORROW_ENDED -> "resource " + type + " was borrowed for a host call that has returned; a borrow"
                    + " cannot outlive its call";
            case LIVE -> "resource " + type + " is valid";
        };
    }

    /** Ends a borrow handed to a host function, when the host call returns. */
    void borrowEnded() {
        Internals.resources(store).finish(state, StoreResources.Status.BORROW_ENDED);
    }

    /** Marks the resource as passed to the guest (called after an {@code own} argument was sent). */
    void transferred() {
        Internals.resources(store).finish(state, StoreResources.Status.TRANSFERRED);
    }

    /**
     * Drops the resource, running the guest's destructor. Idempotent; does nothing once the
     * resource was transferred or its store closed.
     *
     * @throws IllegalStateException if another thread is using the store
     * @throws io.github.wasmtimejvm.TrapException if the destructor traps
     */
    @Override
    public void close() {
        if (borrowed || state.status() != StoreResources.Status.LIVE || store.isClosed()) {
            return;
        }
        StoreResources resources = Internals.resources(store);
        // The guest's destructor may call host functions.
        try (StoreResources.Call running = resources.call()) {
            drop0(Internals.address(store), state.id());
            resources.finish(state, StoreResources.Status.DROPPED);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    @Override
    public String toString() {
        return "Resource[" + type + (isValid() ? "" : ", " + describe(state.status())) + "]";
    }

    private static native void drop0(long store, long id);
}
