package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.wit.WitType;

/**
 * Scalars as 64-bit slots (the encoding {@link ScalarFunc} documents), converted to and from the
 * plain Java mapping and {@link Val}s, with the same checks as the general value path: an
 * unsigned value out of range is refused, never wrapped.
 */
final class ScalarSlots {
    private ScalarSlots() {}

    /** A slot as the plain Java value {@link Func#call} would return for this type. */
    static Object toPlain(long slot, WitType.Primitive type) {
        return switch (type) {
            case BOOL -> slot != 0;
            case S8 -> (byte) slot;
            case U8 -> (short) (slot & 0xff);
            case S16 -> (short) slot;
            case U16 -> (int) (slot & 0xffff);
            case S32 -> (int) slot;
            case U32 -> slot & 0xffff_ffffL;
            case S64 -> slot;
            case U64 -> PlainJava.unsignedBig(slot);
            case F32 -> Float.intBitsToFloat((int) slot);
            case F64 -> Double.longBitsToDouble(slot);
            case CHAR -> new String(Character.toChars((int) slot));
            case STRING -> throw new IllegalStateException("a string is not a scalar");
        };
    }

    /** A slot as a {@link Val} of this type. */
    static Val toVal(long slot, WitType.Primitive type) {
        return switch (type) {
            case BOOL -> new Val.Bool(slot != 0);
            case S8 -> new Val.S8((byte) slot);
            case U8 -> new Val.U8((int) (slot & 0xff));
            case S16 -> new Val.S16((short) slot);
            case U16 -> new Val.U16((int) (slot & 0xffff));
            case S32 -> new Val.S32((int) slot);
            case U32 -> new Val.U32(slot & 0xffff_ffffL);
            case S64 -> new Val.S64(slot);
            case U64 -> new Val.U64(slot);
            case F32 -> new Val.F32(Float.intBitsToFloat((int) slot));
            case F64 -> new Val.F64(Double.longBitsToDouble(slot));
            case CHAR -> new Val.Char((int) slot);
            case STRING -> throw new IllegalStateException("a string is not a scalar");
        };
    }

    /**
     * The slot of a plain Java value or {@link Val} of this type.
     *
     * @throws PlainJava.Mismatch if it does not fit
     */
    static long fromValue(Object v, WitType.Primitive type) {
        if (v instanceof Val val) {
            return fromVal(val, type);
        }
        return switch (type) {
            case BOOL -> {
                if (!(v instanceof Boolean b)) {
                    throw PlainJava.mismatch(type, v);
                }
                yield b ? 1 : 0;
            }
            case S8, S16, S32, S64 -> PlainJava.integral(v, type, min(type), max(type));
            case U8, U16, U32 -> PlainJava.integral(v, type, 0, max(type));
            case U64 -> PlainJava.unsigned64(v);
            case F32 -> Float.floatToRawIntBits(PlainJava.toFloat(v)) & 0xffff_ffffL;
            case F64 -> Double.doubleToRawLongBits(PlainJava.toDouble(v));
            case CHAR -> PlainJava.codePoint(v);
            case STRING -> throw new IllegalStateException("a string is not a scalar");
        };
    }

    private static long fromVal(Val v, WitType.Primitive type) {
        switch (type) {
            case BOOL:
                if (v instanceof Val.Bool b) {
                    return b.value() ? 1 : 0;
                }
                break;
            case S8:
                if (v instanceof Val.S8 x) {
                    return x.value();
                }
                break;
            case U8:
                if (v instanceof Val.U8 x) {
                    return x.value();
                }
                break;
            case S16:
                if (v instanceof Val.S16 x) {
                    return x.value();
                }
                break;
            case U16:
                if (v instanceof Val.U16 x) {
                    return x.value();
                }
                break;
            case S32:
                if (v instanceof Val.S32 x) {
                    return x.value();
                }
                break;
            case U32:
                if (v instanceof Val.U32 x) {
                    return x.value();
                }
                break;
            case S64:
                if (v instanceof Val.S64 x) {
                    return x.value();
                }
                break;
            case U64:
                if (v instanceof Val.U64 x) {
                    return x.bits();
                }
                break;
            case F32:
                if (v instanceof Val.F32 x) {
                    return Float.floatToRawIntBits(x.value()) & 0xffff_ffffL;
                }
                break;
            case F64:
                if (v instanceof Val.F64 x) {
                    return Double.doubleToRawLongBits(x.value());
                }
                break;
            case CHAR:
                if (v instanceof Val.Char x) {
                    return x.codePoint();
                }
                break;
            default:
                break;
        }
        throw PlainJava.mismatch(type, v);
    }

    private static long min(WitType.Primitive t) {
        return switch (t) {
            case S8 -> Byte.MIN_VALUE;
            case S16 -> Short.MIN_VALUE;
            case S32 -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }

    private static long max(WitType.Primitive t) {
        return switch (t) {
            case S8 -> Byte.MAX_VALUE;
            case S16 -> Short.MAX_VALUE;
            case S32 -> Integer.MAX_VALUE;
            case U8 -> 0xff;
            case U16 -> 0xffff;
            case U32 -> 0xffff_ffffL;
            default -> Long.MAX_VALUE;
        };
    }
}
