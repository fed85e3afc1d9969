package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * A global of a store: an export of an instance, or one made by {@link #create}. Values are Java
 * values of its type (see {@link ValType}); an immutable global cannot be set.
 */
public final class Global implements Extern {

    private final Store store;
    private final int id;
    private volatile GlobalType type;

    private Global(Store store, int id) {
        this.store = store;
        this.id = id;
    }

    static Global of(Store store, int id) {
        return Internals.resources(store).core().item(id, i -> new Global(store, i));
    }

    /**
     * Creates a global in {@code store} holding {@code value} (to define in a {@link Linker} for
     * modules to import).
     *
     * @param store the store that will own the global
     * @param type its value type and mutability
     * @param value its initial value, a Java value of the type (see {@link ValType})
     * @return the new global
     * @throws IllegalArgumentException if the value does not fit the type
     */
    public static Global create(Store store, GlobalType type, Object value) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(type, "type");
        long[] slots = Values.one(store, type.content(), value, "the global's value");
        try {
            return of(store, create0(Internals.address(store), type.content().ordinal(), type.mutable(), slots));
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    @Override
    public Store store() {
        return store;
    }

    int id() {
        return id;
    }

    @Override
    public GlobalType type() {
        GlobalType t = type;
        if (t == null) {
            int code;
            try {
                code = type0(Internals.address(store), id);
            } finally {
                Reference.reachabilityFence(store);
            }
            t = new GlobalType(ValType.fromNumber(code & 0xFF), (code & 256) != 0);
            type = t;
        }
        return t;
    }

    /**
     * The global's value.
     *
     * @return the value as a Java value of the global's type (see {@link ValType})
     */
    public Object get() {
        ValType t = type().content();
        long[] slots;
        try {
            slots = get0(Internals.address(store), id);
        } finally {
            Reference.reachabilityFence(store);
        }
        return Values.read(store, t, slots, 0);
    }

    /**
     * Sets the global's value.
     *
     * @param value a Java value of the global's type
     * @throws IllegalArgumentException if the global is immutable or the value does not fit
     */
    public void set(Object value) {
        GlobalType t = type();
        if (!t.mutable()) {
            throw new IllegalArgumentException("this global is immutable (" + t + "): it cannot be set");
        }
        long[] slots = Values.one(store, t.content(), value, "the global's value");
        try {
            set0(Internals.address(store), id, t.content().ordinal(), slots);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    @Override
    public String toString() {
        return "Global" + type();
    }

    private static native int create0(long store, int kind, boolean mutable, long[] value);

    private static native int type0(long store, int id);

    private static native long[] get0(long store, int id);

    private static native void set0(long store, int id, int kind, long[] value);
}
