package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * A core WebAssembly function of a store: an export of an instance, or a {@code funcref} read
 * from a table, a global or a result. The same function reached twice is the same object.
 *
 * <p>Two ways to call:
 *
 * <ul>
 *   <li>{@link #call(Object...)} takes and returns Java values of any core type (see {@link
 *       ValType}).
 *   <li>{@link #callRaw(long, long)} and its siblings take and return {@code long} slots and
 *       allocate nothing, for functions whose parameters and results are all numbers: an {@code
 *       i32} or {@code i64} as its value (an {@code i32} result sign-extended), an {@code f32} or
 *       {@code f64} as its bits ({@link #bits(float)}, {@link #bits(double)}, {@link #f32(long)},
 *       {@link #f64(long)}). {@link #callRaw(long[], long[])} takes any number of them and fills
 *       all results (multi-value).
 * </ul>
 *
 * <p>A trap throws {@link io.github.wasmtimejvm.TrapException}; a host function that throws
 * makes the call throw a {@code TrapException} whose cause is that exception.
 */
@SuppressWarnings("try") // the `running` scopes mark calls in progress; their bodies need not use them
public final class Func implements Extern {

    private final Store store;
    private final StoreResources resources;
    private final int id;
    private volatile FuncType type;
    private volatile int resultSlots = -1;

    private Func(Store store, int id) {
        this.store = store;
        this.resources = Internals.resources(store);
        this.id = id;
    }

    /** The function with this id in {@code store}. */
    static Func of(Store store, int id) {
        return Internals.resources(store).core().item(id, i -> new Func(store, i));
    }

    @Override
    public Store store() {
        return store;
    }

    int id() {
        return id;
    }

    /** The function's type. */
    @Override
    public FuncType type() {
        FuncType t = type;
        if (t == null) {
            t = (FuncType) Instance.itemType(store, id);
            type = t;
        }
        return t;
    }

    /**
     * Calls the function with Java values (see {@link ValType}) and returns its results (an empty
     * array when it has none).
     *
     * @param args one Java value per parameter
     * @return the results, one Java value per result type
     * @throws IllegalArgumentException if the arguments do not match the function's type
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public Object[] call(Object... args) {
        Objects.requireNonNull(args, "args");
        FuncType t = type();
        long[] in = Values.write(store, t.params(), args, () -> "the function " + t);
        int n = resultSlots;
        if (n < 0) {
            n = FuncType.slots(t.results());
            resultSlots = n;
        }
        long[] out = new long[n];
        try (StoreResources.Call running = resources.call()) {
            call0(Internals.address(store), id, in, out);
        } finally {
            Reference.reachabilityFence(store);
        }
        return Values.read(store, t.results(), out);
    }

    /**
     * Calls a numbers-only function with argument slots; fills {@code results} with the result
     * slots. Allocates nothing.
     *
     * @param args one slot per parameter
     * @param results the array the result slots are written to, at least as long as the result count
     * @throws IllegalArgumentException if the function takes or returns anything but numbers, the
     *     argument count is wrong, or {@code results} is too short
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public void callRaw(long[] args, long[] results) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(results, "results");
        try (StoreResources.Call running = resources.call()) {
            call0(Internals.address(store), id, args, results);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a numbers-only function of no parameters; returns its first result slot (0 if none).
     *
     * @return the first result slot, or 0 if the function has no result
     * @throws IllegalArgumentException if the function is not numbers-only or takes parameters
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long callRaw() {
        try (StoreResources.Call running = resources.call()) {
            return raw0(Internals.address(store), id);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a numbers-only function of one parameter; returns its first result slot.
     *
     * @param a the argument slot
     * @return the first result slot, or 0 if the function has no result
     * @throws IllegalArgumentException if the function is not numbers-only or takes a different number of parameters
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long callRaw(long a) {
        try (StoreResources.Call running = resources.call()) {
            return raw1(Internals.address(store), id, a);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a numbers-only function of two parameters; returns its first result slot.
     *
     * @param a the first argument slot
     * @param b the second argument slot
     * @return the first result slot, or 0 if the function has no result
     * @throws IllegalArgumentException if the function is not numbers-only or takes a different number of parameters
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long callRaw(long a, long b) {
        try (StoreResources.Call running = resources.call()) {
            return raw2(Internals.address(store), id, a, b);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a numbers-only function of three parameters; returns its first result slot.
     *
     * @param a the first argument slot
     * @param b the second argument slot
     * @param c the third argument slot
     * @return the first result slot, or 0 if the function has no result
     * @throws IllegalArgumentException if the function is not numbers-only or takes a different number of parameters
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long callRaw(long a, long b, long c) {
        try (StoreResources.Call running = resources.call()) {
            return raw3(Internals.address(store), id, a, b, c);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a numbers-only function of four parameters; returns its first result slot.
     *
     * @param a the first argument slot
     * @param b the second argument slot
     * @param c the third argument slot
     * @param d the fourth argument slot
     * @return the first result slot, or 0 if the function has no result
     * @throws IllegalArgumentException if the function is not numbers-only or takes a different number of parameters
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long callRaw(long a, long b, long c, long d) {
        try (StoreResources.Call running = resources.call()) {
            return raw4(Internals.address(store), id, a, b, c, d);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * The slot of an {@code f32} argument.
     *
     * @param value the argument
     * @return its raw bits, zero-extended
     */
    public static long bits(float value) {
        return Float.floatToRawIntBits(value) & 0xFFFF_FFFFL;
    }

    /**
     * The slot of an {@code f64} argument.
     *
     * @param value the argument
     * @return its raw bits
     */
    public static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }

    /**
     * The {@code f32} in a result slot.
     *
     * @param slot a result slot holding an {@code f32}
     * @return the float its low 32 bits hold
     */
    public static float f32(long slot) {
        return Float.intBitsToFloat((int) slot);
    }

    /**
     * The {@code f64} in a result slot.
     *
     * @param slot a result slot holding an {@code f64}
     * @return the double its bits hold
     */
    public static double f64(long slot) {
        return Double.longBitsToDouble(slot);
    }

    @Override
    public String toString() {
        return "Func" + type();
    }

    private static native void call0(long store, int id, long[] args, long[] results);

    private static native long raw0(long store, int id);

    private static native long raw1(long store, int id, long a);

    private static native long raw2(long store, int id, long a, long b);

    private static native long raw3(long store, int id, long a, long b, long c);

    private static native long raw4(long store, int id, long a, long b, long c, long d);
}
