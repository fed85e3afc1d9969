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

    /**
     * Creates a table in {@code store} with every element set to {@code init}.
     *
     * @param store the store that will own the table
     * @param type the element type and limits
     * @param init the initial value of every element, a Java value of the element type (null for a null reference)
     * @return the new table
     * @throws IllegalArgumentException if {@code init} does not fit the element type
     */
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

    /**
     * The current number of elements.
     *
     * @return how many elements the table holds
     */
    public long size() {
        try {
            return size0(Internals.address(store), id);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * The element at {@code index}.
     *
     * @param index the element's index
     * @return the element as a Java value of the table's element type (null for a null reference)
     * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()}
     */
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

    /**
     * Sets the element at {@code index}.
     *
     * @param index the element's index
     * @param value a Java value of the table's element type
     * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()}
     * @throws IllegalArgumentException if {@code value} does not fit the element type
     */
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
     * @param delta how many elements to add
     * @param init the value of the new elements
     * @return the previous size, or -1 if it cannot grow that far
     * @throws IllegalArgumentException if {@code delta} is negative or {@code init} does not fit the element type
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
