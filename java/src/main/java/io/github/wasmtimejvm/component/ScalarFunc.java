package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.lang.ref.Reference;

/**
 * The fast path of a function whose parameters and result are all scalars: numbers, bool and
 * char. Nothing is allocated per call.
 *
 * <p>Each argument and the result travel as a {@code long}: signed integers sign-extended,
 * unsigned integers zero-extended (an unsigned argument out of range is rejected, never wrapped;
 * {@code u64} uses all 64 bits), {@code bool} as 0 or 1, {@code char} as its code point, {@code
 * f32} as {@link Float#floatToRawIntBits} and {@code f64} as {@link Double#doubleToRawLongBits}
 * (see {@link #f32}, {@link #f64} and {@link #asFloat}, {@link #asDouble}). A function without
 * result returns 0.
 *
 * <pre>{@code
 * ScalarFunc add = instance.func("add").scalar();
 * long three = add.call(1, 2);
 * }</pre>
 */
@SuppressWarnings("try") // the `running` scopes mark calls in progress; their bodies need not use them
public final class ScalarFunc {

    private final Func func;
    private final Store store;
    /** Told of every call: the guest may use host objects, so a close of the store waits for it. */
    private final StoreResources resources;
    private final int id;
    private final int arity;

    ScalarFunc(Func func) {
        this.func = func;
        this.store = func.store();
        this.resources = Internals.resources(store);
        this.id = func.id();
        this.arity = func.type().params().size();
    }

    /**
     * The function.
     *
     * @return the function this fast path calls
     */
    public Func func() {
        return func;
    }

    /**
     * The function's type.
     *
     * @return the function's parameter and result types
     */
    public FuncType type() {
        return func.type();
    }

    private void arity(int n) {
        if (n != arity) {
            throw new IllegalArgumentException("`" + func.name() + "` takes " + arity + " argument"
                    + (arity == 1 ? "" : "s") + " (" + func.type() + "), got " + n);
        }
    }

    /**
     * Calls a function without parameters.
     *
     * @return the result slot (0 if the function has no result)
     * @throws IllegalArgumentException if the function takes a different number of parameters
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long call() {
        arity(0);
        try (StoreResources.Call running = resources.call()) {
            return call0(Internals.address(store), id);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a function of one parameter.
     *
     * @param a the argument slot
     * @return the result slot (0 if the function has no result)
     * @throws IllegalArgumentException if the function takes a different number of parameters, or an unsigned argument is out of range
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long call(long a) {
        arity(1);
        try (StoreResources.Call running = resources.call()) {
            return call1(Internals.address(store), id, a);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a function of two parameters.
     *
     * @param a the first argument slot
     * @param b the second argument slot
     * @return the result slot (0 if the function has no result)
     * @throws IllegalArgumentException if the function takes a different number of parameters, or an unsigned argument is out of range
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long call(long a, long b) {
        arity(2);
        try (StoreResources.Call running = resources.call()) {
            return call2(Internals.address(store), id, a, b);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a function of three parameters.
     *
     * @param a the first argument slot
     * @param b the second argument slot
     * @param c the third argument slot
     * @return the result slot (0 if the function has no result)
     * @throws IllegalArgumentException if the function takes a different number of parameters, or an unsigned argument is out of range
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long call(long a, long b, long c) {
        arity(3);
        try (StoreResources.Call running = resources.call()) {
            return call3(Internals.address(store), id, a, b, c);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a function of four parameters.
     *
     * @param a the first argument slot
     * @param b the second argument slot
     * @param c the third argument slot
     * @param d the fourth argument slot
     * @return the result slot (0 if the function has no result)
     * @throws IllegalArgumentException if the function takes a different number of parameters, or an unsigned argument is out of range
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long call(long a, long b, long c, long d) {
        arity(4);
        try (StoreResources.Call running = resources.call()) {
            return call4(Internals.address(store), id, a, b, c, d);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls a function of any number of parameters (up to 16).
     *
     * @param args the argument slots, one per parameter
     * @return the result slot (0 if the function has no result)
     * @throws IllegalArgumentException if the function takes a different number of parameters, or an unsigned argument is out of range
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public long callArray(long... args) {
        arity(args.length);
        try (StoreResources.Call running = resources.call()) {
            return callN(Internals.address(store), id, args);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * The slot of an {@code f32} argument.
     *
     * @param v the argument
     * @return its raw bits, zero-extended
     */
    public static long f32(float v) {
        return Float.floatToRawIntBits(v) & 0xffff_ffffL;
    }

    /**
     * The slot of an {@code f64} argument.
     *
     * @param v the argument
     * @return its raw bits
     */
    public static long f64(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /**
     * An {@code f32} result.
     *
     * @param slot a result slot of a function returning {@code f32}
     * @return the float its low 32 bits hold
     */
    public static float asFloat(long slot) {
        return Float.intBitsToFloat((int) slot);
    }

    /**
     * An {@code f64} result.
     *
     * @param slot a result slot of a function returning {@code f64}
     * @return the double its bits hold
     */
    public static double asDouble(long slot) {
        return Double.longBitsToDouble(slot);
    }

    /**
     * Whether the result type is {@code f32} or {@code f64} (its slot holds float bits).
     *
     * @return true if the result is a float, to be read with {@link #asFloat} or {@link #asDouble}
     */
    public boolean returnsFloat() {
        return !func.type().results().isEmpty()
                && (func.type().results().get(0) == WitType.Primitive.F32
                        || func.type().results().get(0) == WitType.Primitive.F64);
    }

    private static native long call0(long store, int func);

    private static native long call1(long store, int func, long a);

    private static native long call2(long store, int func, long a, long b);

    private static native long call3(long store, int func, long a, long b, long c);

    private static native long call4(long store, int func, long a, long b, long c, long d);

    private static native long callN(long store, int func, long[] args);
}
