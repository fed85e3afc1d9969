package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Java values of core types to and from the {@code long} slots the native side reads (see {@link
 * ValType} for the Java types, {@code jni/module/codec.rs} for the slots).
 */
final class Values {

    private Values() {}

    /** Writes {@code v}, of type {@code t}, at {@code out[at]}; returns the next index. */
    static int write(Store store, ValType t, Object v, long[] out, int at, IntFunction<String> what, int position) {
        switch (t) {
            case I32:
                if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    out[at] = ((Number) v).intValue();
                    return at + 1;
                }
                break;
            case I64:
                if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    out[at] = ((Number) v).longValue();
                    return at + 1;
                }
                break;
            case F32:
                if (v instanceof Float) {
                    out[at] = Float.floatToRawIntBits((Float) v) & 0xFFFF_FFFFL;
                    return at + 1;
                }
                break;
            case F64:
                if (v instanceof Double || v instanceof Float) {
                    out[at] = Double.doubleToRawLongBits(((Number) v).doubleValue());
                    return at + 1;
                }
                break;
            case V128:
                if (v instanceof byte[] && ((byte[]) v).length == 16) {
                    byte[] b = (byte[]) v;
                    out[at] = littleEndian(b, 0);
                    out[at + 1] = littleEndian(b, 8);
                    return at + 2;
                }
                break;
            case FUNCREF:
                if (v == null) {
                    out[at] = 0;
                    return at + 1;
                }
                if (v instanceof Func) {
                    Func f = (Func) v;
                    if (f.store() != store) {
                        throw new IllegalArgumentException(what.apply(position) + ": the function belongs to another Store");
                    }
                    out[at] = f.id() + 1L;
                    return at + 1;
                }
                break;
            case EXTERNREF:
                out[at] = v == null ? 0 : Internals.resources(store).core().externKey(v);
                return at + 1;
            default:
                if (v == null) {
                    out[at] = 0;
                    return at + 1;
                }
                throw new IllegalArgumentException(what.apply(position) + ": the host can pass only null as " + t);
        }
        throw new IllegalArgumentException(what.apply(position) + " must be " + javaType(t) + " for " + t + ", not "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    private static String javaType(ValType t) {
        switch (t) {
            case I32: return "an Integer";
            case I64: return "a Long";
            case F32: return "a Float";
            case F64: return "a Double";
            case V128: return "a byte[16]";
            case FUNCREF: return "a Func or null";
            default: return "null";
        }
    }

    private static long littleEndian(byte[] b, int from) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xFF);
        }
        return v;
    }

    private static final IntFunction<String> ARGUMENT = n -> "argument " + (n + 1);

    /** Writes {@code values}, of {@code types}, as slots ({@code what} names the callee in errors). */
    static long[] write(Store store, List<ValType> types, Object[] values, java.util.function.Supplier<String> what) {
        if (values.length != types.size()) {
            throw new IllegalArgumentException(what.get() + " takes " + types.size() + " value" + (types.size() == 1 ? "" : "s")
                    + " (" + types + "), got " + values.length);
        }
        long[] out = new long[FuncType.slots(types)];
        int at = 0;
        for (int i = 0; i < values.length; i++) {
            at = write(store, types.get(i), values[i], out, at, ARGUMENT, i);
        }
        return out;
    }

    /** Reads a value of type {@code t} at {@code slots[at]}. */
    static Object read(Store store, ValType t, long[] slots, int at) {
        long s = slots[at];
        switch (t) {
            case I32: return (int) s;
            case I64: return s;
            case F32: return Float.intBitsToFloat((int) s);
            case F64: return Double.longBitsToDouble(s);
            case V128: {
                byte[] b = new byte[16];
                long hi = slots[at + 1];
                for (int i = 0; i < 8; i++) {
                    b[i] = (byte) (s >>> (8 * i));
                    b[8 + i] = (byte) (hi >>> (8 * i));
                }
                return b;
            }
            case FUNCREF: return s == 0 ? null : Func.of(store, (int) (s - 1));
            case EXTERNREF:
                if (s < 0) {
                    // Made inside wasm from a GC value (extern.convert_any): what that value is.
                    return gcRef(s & Long.MAX_VALUE);
                }
                return s == 0 ? null : Internals.resources(store).core().externObject(s);
            case ANYREF: return s == 0 ? null : gcRef(s);
            case EXNREF: return s == 0 ? null : new GcRef(GcRef.Kind.EXN, 0);
            default: return s == 0 ? null : new GcRef(GcRef.Kind.CONT, 0);
        }
    }

    /** A non-null GC reference from its slot, {@code tag << 32 | payload}. */
    private static GcRef gcRef(long s) {
        int tag = (int) (s >>> 32);
        GcRef.Kind kind = tag == 1 ? GcRef.Kind.I31 : tag == 2 ? GcRef.Kind.STRUCT
                : tag == 3 ? GcRef.Kind.ARRAY : GcRef.Kind.OTHER;
        return new GcRef(kind, tag == 1 ? (int) s : 0);
    }

    /** Reads values of {@code types} from slots. */
    static Object[] read(Store store, List<ValType> types, long[] slots) {
        Object[] out = new Object[types.size()];
        int at = 0;
        for (int i = 0; i < out.length; i++) {
            ValType t = types.get(i);
            out[i] = read(store, t, slots, at);
            at += t == ValType.V128 ? 2 : 1;
        }
        return out;
    }

    /** The slots of one value. */
    static long[] one(Store store, ValType t, Object v, String what) {
        long[] out = new long[t == ValType.V128 ? 2 : 1];
        write(store, t, v, out, 0, n -> what, 0);
        return out;
    }

}
