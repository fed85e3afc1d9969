package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import java.lang.ref.Reference;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A table of references of a store: an export of an instance, or one made by {@link #create}.
 * Elements are Java values of its element type ({@link Func} or {@code null} for {@code funcref},
 * any object or {@code null} for {@code externref}; see {@link ValType}). An index outside the
 * table throws {@link IndexOutOfBoundsException}.
 */
public final class Table implements Extern {

    private final Store store;
    private final int id;
    private volatile ValType element;

    private Table(Store store, int id) {
        this.store = store;
        this.id = id;
    }

    static Table of(Store store, int id) {
        return Internals.resources(store).core().item(id, i -> new Table(store, i));
    }

    /** Creates a table in {@code store} with every element set to {@code init}. */
    public static Table create(Store store, TableType type, Object init) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(type, "type");
        long[] slots = Values.one(store, type.element(), init, "the table's initial element");
        try {
            return of(store, create0(Internals.address(store), type.element().ordinal(), type.minimum(),
                    type.maximum().orElse(-1), slots));
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

    /** The table's type (its declared limits). */
    @Override
    public TableType type() {
        byte[] b;
        try {
            b = type0(Internals.address(store), id);
        } finally {
            Reference.reachabilityFence(store);
        }
        java.nio.ByteBuffer buf = TypeCodec.wrap(b);
        ValType e = ValType.fromNumber(buf.get());
        long min = buf.getLong();
        long max = buf.getLong();
        return new TableType(e, min, max < 0 ? OptionalLong.empty() : OptionalLong.of(max));
    }

    private ValType element() {
        ValType e = element;
        if (e == null) {
            e = type().element();
            element = e;
        }
        return e;
    }

    /** The current number of elements. */
    public long size() {
        try {
            return size0(Internals.address(store), id);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /** The element at {@code index}. */
    public Object get(long index) {
        ValType e = element();
        long slot;
        try {
            slot = get0(Internals.address(store), id, index);
        } finally {
            Reference.reachabilityFence(store);
        }
        return Values.read(store, e, new long[] {slot}, 0);
    }

    /** Sets the element at {@code index}. */
    public void set(long index, Object value) {
        ValType e = element();
        long slot = Values.one(store, e, value, "the element")[0];
        try {
            set0(Internals.address(store), id, e.ordinal(), index, slot);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Grows the table by {@code delta} elements set to {@code init}, as {@code table.grow} does.
     *
     * @return the previous size, or -1 if it cannot grow that far
     */
    public long grow(long delta, Object init) {
        if (delta < 0) {
            throw new IllegalArgumentException("delta must be >= 0, got " + delta);
        }
        ValType e = element();
        long slot = Values.one(store, e, init, "the new elements' value")[0];
        try {
            return grow0(Internals.address(store), id, e.ordinal(), delta, slot);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    @Override
    public String toString() {
        return "Table" + type();
    }

    private static native int create0(long store, int kind, long minimum, long maximum, long[] init);

    private static native byte[] type0(long store, int id);

    private static native long size0(long store, int id);

    private static native long get0(long store, int id, long index);

    private static native void set0(long store, int id, int kind, long index, long value);

    private static native long grow0(long store, int id, int kind, long delta, long init);
}
