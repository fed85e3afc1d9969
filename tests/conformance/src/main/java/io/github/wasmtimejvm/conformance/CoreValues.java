package io.github.wasmtimejvm.conformance;

import io.github.wasmtimejvm.module.Func;
import io.github.wasmtimejvm.module.GcRef;
import io.github.wasmtimejvm.module.ValType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Core values of the JSON scripts: building the Java arguments of {@link Func#call} and matching
 * its results the way wasmtime's runner matches them ({@code crates/wast/src/core.rs}):
 * integers equal, floats bit for bit with the NaN patterns ({@code nan:canonical}: any sign,
 * quiet, zero payload; {@code nan:arithmetic}: quiet, any payload), v128 lane by lane in the
 * written shape, references by the pattern ({@code ref.null} of the heap type's family, {@code
 * ref.func}/{@code ref.extern}/{@code ref.any} without an index: any value of that type, null
 * included; {@code ref.extern N}: the host object N; {@code ref.eq}, {@code ref.i31}, {@code
 * ref.struct}, {@code ref.array}: a non-null reference of that kind), {@code either}: any of
 * the alternatives.
 */
final class CoreValues {

    private CoreValues() {}

    private static BigInteger integer(Map<String, Object> v, String key) {
        Object o = v.get(key);
        if (!(o instanceof BigInteger b)) {
            throw new Values.BadValue("expected an integer `" + key + "` in " + v);
        }
        return b;
    }

    /** The Java argument a JSON core value stands for. */
    static Object toJava(Object json, Map<Long, CoreScript.HostRef> hostRefs) {
        Map<String, Object> v = Values.obj(json);
        String kind = (String) v.get("kind");
        switch (String.valueOf(kind)) {
            case "i32":
                return integer(v, "value").intValue();
            case "i64":
                return integer(v, "value").longValue();
            case "f32":
                return Float.intBitsToFloat(integer(v, "bits").intValue());
            case "f64":
                return Double.longBitsToDouble(integer(v, "bits").longValue());
            case "v128": {
                List<Object> bytes = Values.arr(v.get("bytes"));
                byte[] out = new byte[16];
                for (int i = 0; i < 16; i++) {
                    out[i] = (byte) ((BigInteger) bytes.get(i)).intValue();
                }
                return out;
            }
            case "ref_null":
                return null;
            case "ref_extern": {
                long n = integer(v, "host").longValue();
                return hostRefs.computeIfAbsent(n, CoreScript.HostRef::new);
            }
            case "ref_host":
                throw new Values.BadValue("`ref.host " + v.get("host") + "` is a non-null anyref (an"
                        + " internalised host value): the Java API can pass only null as anyref");
            default:
                throw new Values.BadValue("not a core argument: " + v);
        }
    }

    /** Null when {@code actual} (a result of type {@code type}) matches {@code expected}, else why not. */
    static String mismatch(Object expected, Object actual, ValType type) {
        Map<String, Object> e = Values.obj(expected);
        String kind = (String) e.get("kind");
        switch (String.valueOf(kind)) {
            case "either": {
                String first = null;
                for (Object alt : Values.arr(e.get("values"))) {
                    String m = mismatch(alt, actual, type);
                    if (m == null) {
                        return null;
                    }
                    if (first == null) {
                        first = m;
                    }
                }
                return "none of the alternatives matched: " + first;
            }
            case "i32":
                if (!(actual instanceof Integer i)) {
                    return kindMismatch(kind, actual, type);
                }
                return i == integer(e, "value").intValue() ? null
                        : "expected " + integer(e, "value") + ", got " + i;
            case "i64":
                if (!(actual instanceof Long l)) {
                    return kindMismatch(kind, actual, type);
                }
                return l == integer(e, "value").longValue() ? null
                        : "expected " + integer(e, "value") + ", got " + l;
            case "f32":
                if (!(actual instanceof Float f)) {
                    return kindMismatch(kind, actual, type);
                }
                return f32(e, Float.floatToRawIntBits(f));
            case "f64":
                if (!(actual instanceof Double d)) {
                    return kindMismatch(kind, actual, type);
                }
                return f64(e, Double.doubleToRawLongBits(d));
            case "v128":
                if (!(actual instanceof byte[] b) || b.length != 16) {
                    return kindMismatch(kind, actual, type);
                }
                return v128(e, b);
            case "ref_null": {
                if (actual != null) {
                    return "expected a null reference, got " + show(actual);
                }
                Object heap = e.get("heap");
                if (heap == null || family(type).equals(heap)) {
                    return null;
                }
                return "expected a null " + heap + " reference, got a null " + type;
            }
            case "ref_func":
                if (type != ValType.FUNCREF) {
                    return kindMismatch(kind, actual, type);
                }
                return e.get("index") == null || actual instanceof Func ? null : "expected a non-null funcref, got null";
            case "ref_extern": {
                if (type != ValType.EXTERNREF) {
                    return kindMismatch(kind, actual, type);
                }
                if (e.get("host") == null) {
                    return null;
                }
                long n = integer(e, "host").longValue();
                return actual instanceof CoreScript.HostRef h && h.n() == n ? null
                        : "expected the host object `ref.extern " + n + "`, got " + show(actual);
            }
            case "ref_host":
                return "expected `ref.host " + e.get("host") + "` (an anyref holding host value " + e.get("host")
                        + "): the Java API reads a non-null anyref only as a GcRef of its kind, not the host"
                        + " value inside, got " + show(actual);
            case "ref_any":
                return type == ValType.ANYREF ? null : kindMismatch(kind, actual, type);
            case "ref_eq":
                return actual instanceof GcRef g && (g.kind() == GcRef.Kind.I31 || g.kind() == GcRef.Kind.STRUCT
                        || g.kind() == GcRef.Kind.ARRAY) ? null : "expected a non-null eqref, got " + show(actual);
            case "ref_i31":
                return gc(actual, GcRef.Kind.I31, "i31ref");
            case "ref_struct":
                return gc(actual, GcRef.Kind.STRUCT, "structref");
            case "ref_array":
                return gc(actual, GcRef.Kind.ARRAY, "arrayref");
            default:
                throw new Values.BadValue("not a core result pattern: " + e);
        }
    }

    private static String gc(Object actual, GcRef.Kind kind, String what) {
        return actual instanceof GcRef g && g.kind() == kind ? null : "expected a non-null " + what + ", got " + show(actual);
    }

    /** The `ref.null` family of a value type. */
    private static String family(ValType t) {
        switch (t) {
            case FUNCREF: return "func";
            case EXTERNREF: return "extern";
            case ANYREF: return "any";
            case EXNREF: return "exn";
            case CONTREF: return "cont";
            default: return t.toString();
        }
    }

    private static String kindMismatch(String expected, Object actual, ValType type) {
        return "expected a `" + expected + "`, got " + type + " " + show(actual);
    }

    static String f32(Map<String, Object> e, int bits) {
        Object nan = e.get("nan");
        if ("canonical".equals(nan)) {
            return (bits & 0x7fff_ffff) == 0x7fc0_0000 ? null : "expected nan:canonical, got " + hex(bits);
        }
        if ("arithmetic".equals(nan)) {
            return (bits & 0x7fc0_0000) == 0x7fc0_0000 ? null : "expected nan:arithmetic, got " + hex(bits);
        }
        int want = integer(e, "bits").intValue();
        return bits == want ? null : "expected " + Float.intBitsToFloat(want) + " (" + hex(want) + "), got "
                + Float.intBitsToFloat(bits) + " (" + hex(bits) + ")";
    }

    static String f64(Map<String, Object> e, long bits) {
        Object nan = e.get("nan");
        if ("canonical".equals(nan)) {
            return (bits & 0x7fff_ffff_ffff_ffffL) == 0x7ff8_0000_0000_0000L ? null
                    : "expected nan:canonical, got " + hex(bits);
        }
        if ("arithmetic".equals(nan)) {
            return (bits & 0x7ff8_0000_0000_0000L) == 0x7ff8_0000_0000_0000L ? null
                    : "expected nan:arithmetic, got " + hex(bits);
        }
        long want = integer(e, "bits").longValue();
        return bits == want ? null : "expected " + Double.longBitsToDouble(want) + " (" + hex(want) + "), got "
                + Double.longBitsToDouble(bits) + " (" + hex(bits) + ")";
    }

    private static long lane(byte[] b, int lane, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (b[lane * width + i] & 0xFF);
        }
        return v;
    }

    private static String v128(Map<String, Object> e, byte[] b) {
        String shape = (String) e.get("shape");
        List<Object> lanes = Values.arr(e.get("lanes"));
        int width = switch (String.valueOf(shape)) {
            case "i8x16" -> 1;
            case "i16x8" -> 2;
            case "i32x4", "f32x4" -> 4;
            case "i64x2", "f64x2" -> 8;
            default -> throw new Values.BadValue("unknown v128 shape " + shape);
        };
        if (lanes.size() * width != 16) {
            throw new Values.BadValue("a " + shape + " needs " + (16 / width) + " lanes: " + e);
        }
        long mask = width == 8 ? -1L : (1L << (8 * width)) - 1;
        for (int i = 0; i < lanes.size(); i++) {
            long actual = lane(b, i, width);
            String m;
            if (shape.startsWith("f32")) {
                m = f32(Values.obj(lanes.get(i)), (int) actual);
            } else if (shape.startsWith("f64")) {
                m = f64(Values.obj(lanes.get(i)), actual);
            } else {
                long want = ((BigInteger) lanes.get(i)).longValue() & mask;
                m = actual == want ? null : "expected " + hex(want) + ", got " + hex(actual);
            }
            if (m != null) {
                return shape + " lane " + i + ": " + m + " (got " + show(b) + ")";
            }
        }
        return null;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }

    /** A Java core value as text. */
    static String show(Object v) {
        if (v instanceof byte[] b) {
            StringBuilder s = new StringBuilder("v128:");
            for (int i = 0; i < b.length; i++) {
                s.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
            }
            return s.toString();
        }
        if (v instanceof Object[] a) {
            List<String> out = new ArrayList<>();
            for (Object o : a) {
                out.add(show(o));
            }
            return out.toString();
        }
        if (v instanceof Float f) {
            return f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
        }
        if (v instanceof Double d) {
            return d + " (0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
        }
        return String.valueOf(v);
    }
}
