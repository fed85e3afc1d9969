package io.github.wasmtimejvm.internal;

import io.github.wasmtimejvm.NativeHandle;

/**
 * Lets the library's own packages reach the native address of a handle without making it
 * public API. Not for use outside this library.
 */
public final class Internals {
    /** Reads a handle's native address (checking that it is open). */
    @FunctionalInterface
    public interface HandleAccess {
        /** @return the address of {@code handle} */
        long address(NativeHandle handle);
    }

    /** Reads a store's resource registry. */
    @FunctionalInterface
    public interface StoreAccess {
        /** @return the resources of {@code store} */
        StoreResources resources(io.github.wasmtimejvm.Store store);
    }

    /** Counts and reports handles that are not {@link NativeHandle}s (guest resources). */
    public interface RegistryAccess {
        /** A handle of {@code kind} was created; returns its allocation site at paranoid level. */
        Throwable opened(String kind);

        /** A handle of {@code kind} was released. */
        void closed(String kind);

        /** A handle of {@code kind} leaked. */
        void leaked(String kind, Throwable allocationSite);
    }

    private static volatile RegistryAccess registry;
    private static volatile HandleAccess handles;
    private static volatile StoreAccess stores;

    private Internals() {}

    /** Installed once by {@link NativeHandle}. */
    public static void setHandleAccess(HandleAccess access) {
        if (handles != null) {
            throw new IllegalStateException("handle access is already installed");
        }
        handles = access;
    }

    /** Installed once by {@link io.github.wasmtimejvm.HandleRegistry}. */
    public static void setRegistryAccess(RegistryAccess access) {
        if (registry != null) {
            throw new IllegalStateException("registry access is already installed");
        }
        registry = access;
    }

    /** The handle registry. */
    public static RegistryAccess registry() {
        return registry;
    }

    /** Installed once by {@link io.github.wasmtimejvm.Store}. */
    public static void setStoreAccess(StoreAccess access) {
        if (stores != null) {
            throw new IllegalStateException("store access is already installed");
        }
        stores = access;
    }

    /** The resource registry of a store. */
    public static StoreResources resources(io.github.wasmtimejvm.Store store) {
        return stores.resources(store);
    }

    /**
     * The native address of an open handle.
     *
     * @throws IllegalStateException if it is closed
     */
    public static long address(NativeHandle handle) {
        return handles.address(handle);
    }
}
