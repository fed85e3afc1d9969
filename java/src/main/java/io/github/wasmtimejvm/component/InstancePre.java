package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.NativeHandle;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * A component whose imports are already resolved: instantiating it is cheap, in any store of its
 * engine, from any thread. The way to go on in a new {@link Store} after a trap.
 */
@SuppressWarnings("try") // the `running` scopes mark calls in progress; their bodies need not use them
public final class InstancePre extends NativeHandle {

    private static final Kind KIND = new Kind("InstancePre", InstancePre::dispose0, InstancePre::free0);

    private final Component component;

    InstancePre(Component component, long address) {
        super(KIND, address);
        this.component = component;
    }

    /**
     * The component this was made from.
     *
     * @return the component given to {@code Linker.instantiatePre}
     */
    public Component component() {
        return component;
    }

    /**
     * Instantiates in {@code store}.
     *
     * @param store a store of the same engine
     * @return the new instance
     * @throws io.github.wasmtimejvm.TrapException if the component's start function traps
     * @throws IllegalArgumentException if the store belongs to another engine
     */
    public Instance instantiate(Store store) {
        Objects.requireNonNull(store, "store");
        // The start function may run the guest and host functions.
        try (StoreResources.Call running = Internals.resources(store).call()) {
            return new Instance(store, component, instantiate0(address(), Internals.address(store)));
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Runs the component as a {@code wasi:cli/command} in {@code store} (a fresh instance, then
     * its {@code wasi:cli/run}): the cheap way to run a command many times. The linker must have
     * had {@link Linker#addWasi()} before this was made.
     *
     * @param store a store of the same engine, with the WASI configuration the command sees
     * @return the exit status, as {@link Linker#runCommand} returns it
     * @throws IllegalArgumentException if the component is not a command
     */
    public int runCommand(Store store) {
        Objects.requireNonNull(store, "store");
        try (StoreResources.Call running = Internals.resources(store).call()) {
            return runCommand0(address(), Internals.address(store));
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
        }
    }

    private static native int instantiate0(long address, long store);

    private static native int runCommand0(long address, long store);

    private static native void dispose0(long address);

    private static native void free0(long address);
}
