package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.wit.WitType;
import java.math.BigInteger;

/**
 * The plain-Java mapping: which Java values stand for which WIT values, and the checks that
 * keep the mapping exact (no number silently wraps, rounds or is truncated, no string loses a
 * character). Every path uses it: export calls ({@link ValueEncoder}, {@link ValueDecoder}), the
 * scalar fast path ({@link ScalarSlots}) and host functions. The table a user reads is in {@link
 * Func#call(Object...)}'s javadoc.
 */
final class PlainJava {
    private PlainJava() {}

    /** A value that does not fit its type; the message is completed on the way up. */
    static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message, null, false, false);
        }

        Mismatch at(String where) {
            return new Mismatch(where + ": " + getMessage());
        }
    }

    /**
     * Checks that a string is Unicode scalar values: a lone surrogate has no UTF-8 form ({@code
     * String.getBytes} would silently write '?' for it).
     *
     * @throws Mismatch naming the first lone surrogate
     */
    static void checkString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new Mismatch(String.format(
                            "the string has a lone surrogate U+%04X at index %d, which a WIT string cannot hold",
                            (int) c, i));
                }
            }
        }
    }

    /** The u64 whose bits are {@code bits}, as the non-negative {@link BigInteger} it is. */
    static BigInteger unsignedBig(long bits) {
        BigInteger b = BigInteger.valueOf(bits & Long.MAX_VALUE);
        return bits < 0 ? b.setBit(63) : b;
    }

    static long integral(Object v, WitType.Primitive p, long min, long max) {
        long x;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            x = ((Number) v).longValue();
        } else if (v instanceof BigInteger b) {
            if (b.bitLength() > 63) {
                throw new Mismatch(b + " is out of range for " + p + " (" + min + " to " + max + ")");
            }
            x = b.longValue();
        } else if (v instanceof Val) {
            throw mismatch(p, v);
        } else {
            throw new Mismatch("expected " + p + " (an integer), found " + describe(v));
        }
        if (x < min || x > max) {
            throw new Mismatch(x + " is out of range for " + p + " (" + min + " to " + max + ")");
        }
        return x;
    }

    static long unsigned64(Object v) {
        if (v instanceof BigInteger b) {
            if (b.signum() < 0 || b.bitLength() > 64) {
                throw new Mismatch(b + " is out of range for u64 (0 to 18446744073709551615)");
            }
            return b.longValue();
        }
        return integral(v, WitType.Primitive.U64, 0, Long.MAX_VALUE);
    }

    static float toFloat(Object v) {
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Double d) {
            float f = d.floatValue();
            if (Double.isNaN(d) || (double) f == d) {
                return f;
            }
            throw new Mismatch(d + " cannot be represented exactly as f32");
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Long) {
            long l = ((Number) v).longValue();
            float f = l;
            // (long) saturates: 2^63 - 1 rounds to 2^63 and casts back to 2^63 - 1, so rule out 2^63.
            if (f != 0x1p63f && (long) f == l) {
                return f;
            }
            throw new Mismatch(l + " cannot be represented exactly as f32");
        }
        throw mismatch(WitType.Primitive.F32, v);
    }

    static double toDouble(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Long) {
            long l = ((Number) v).longValue();
            double d = l;
            // (long) saturates: 2^63 - 1 rounds to 2^63 and casts back to 2^63 - 1, so rule out 2^63.
            if (d != 0x1p63 && (long) d == l) {
                return d;
            }
            throw new Mismatch(l + " cannot be represented exactly as f64");
        }
        throw mismatch(WitType.Primitive.F64, v);
    }

    static int codePoint(Object v) {
        int cp;
        if (v instanceof Character c) {
            cp = c;
        } else if (v instanceof Integer i) {
            cp = i;
        } else if (v instanceof CharSequence cs && cs.codePoints().count() == 1) {
            cp = cs.toString().codePointAt(0);
        } else {
            throw new Mismatch("expected char (a Character, a code point or a one-character String), found "
                    + describe(v));
        }
        try {
            return new Val.Char(cp).codePoint();
        } catch (IllegalArgumentException e) {
            throw new Mismatch(e.getMessage());
        }
    }

    static Mismatch mismatch(WitType expected, Object found) {
        return new Mismatch("expected " + expected + ", found " + describe(found));
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Val val) {
            return "a " + val.kind() + " value (" + truncate(val.toString()) + ")";
        }
        if (v instanceof CharSequence cs) {
            return "String \"" + truncate(cs.toString()) + "\"";
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            return v.getClass().getSimpleName() + " " + v;
        }
        return "a " + v.getClass().getName();
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
