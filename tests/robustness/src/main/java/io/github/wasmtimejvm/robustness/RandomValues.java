package io.github.wasmtimejvm.robustness;

import io.github.wasmtimejvm.component.Resource;
import io.github.wasmtimejvm.component.Result;
import io.github.wasmtimejvm.component.Variant;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Random plain Java values for a {@link WitType}, in the mapping {@code Func.call(Object...)}
 * accepts (see the table in {@code Func}'s documentation): numbers at and near their bounds,
 * strings with supplementary characters, bounded lists (and now and then a 100 000-byte {@code
 * list<u8>}), records as maps by field name, tuples as lists, {@link Variant}, enum case names,
 * {@link Optional}, {@link Result}, flag sets and maps.
 *
 * <p>About one value in {@value #MISFIT_ODDS} is deliberately a misfit (a number just out of
 * range, an unknown case or flag name, a record without a field, a fixed-length list of the wrong
 * length, a lone surrogate, a value of the wrong Java type), which the library must refuse with an
 * {@link IllegalArgumentException}. Resource handles come from a pool the caller fills with the
 * {@link Resource}s earlier calls returned; with an empty pool they are null (refused as well).
 *
 * <p>Deterministic: the same {@link Random} state gives the same values.
 */
public final class RandomValues {

    /** One value in this many is made not to fit its type. */
    static final int MISFIT_ODDS = 40;

    /** Longest list or string generated, except for the rare large one. */
    static final int MAX_LENGTH = 64;

    /** Size of the rare large {@code list<u8>} and string. */
    static final int LARGE_LENGTH = 100_000;

    /** Nesting beyond which lists, maps and options are kept empty (so values stay small). */
    private static final int MAX_DEPTH = 4;

    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final Random random;
    private final List<Resource> resources;

    /**
     * Values drawn from {@code random}; {@code own} and {@code borrow} parameters get one of
     * {@code resources} (a live list the caller keeps filling), or null when it is empty.
     */
    public RandomValues(Random random, List<Resource> resources) {
        this.random = random;
        this.resources = resources;
    }

    /** Values drawn from {@code random}, with no resource handles. */
    public RandomValues(Random random) {
        this(random, List.of());
    }

    /** Random arguments for every parameter of {@code type}. */
    public Object[] arguments(FuncType type) {
        List<FuncType.Param> params = type.params();
        Object[] args = new Object[params.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = value(params.get(i).type());
        }
        return args;
    }

    /** A random value for {@code type}, now and then one that does not fit. */
    public Object value(WitType type) {
        return value(type, 0);
    }

    private Object value(WitType type, int depth) {
        boolean misfit = oneIn(MISFIT_ODDS);
        if (type instanceof WitType.Primitive p) {
            return primitive(p, misfit);
        } else if (type instanceof WitType.ListType t) {
            return list(t.element(), depth, misfit);
        } else if (type instanceof WitType.FixedListType t) {
            int size = misfit ? Math.max(0, t.size() + (random.nextBoolean() ? 1 : -1)) : t.size();
            return elements(t.element(), size, depth);
        } else if (type instanceof WitType.MapType t) {
            Map<Object, Object> map = new LinkedHashMap<>();
            int n = length(depth);
            for (int i = 0; i < n; i++) {
                map.put(value(t.key(), depth + 1), value(t.value(), depth + 1));
            }
            return map;
        } else if (type instanceof WitType.RecordType t) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (WitType.Field f : t.fields()) {
                record.put(f.name(), value(f.type(), depth + 1));
            }
            if (misfit && !record.isEmpty()) {
                record.remove(t.fields().get(random.nextInt(t.fields().size())).name());
            }
            return record;
        } else if (type instanceof WitType.TupleType t) {
            List<Object> tuple = new ArrayList<>();
            for (WitType element : t.types()) {
                tuple.add(value(element, depth + 1));
            }
            if (misfit) {
                tuple.add(Boolean.TRUE);
            }
            return tuple;
        } else if (type instanceof WitType.VariantType t) {
            return variant(t, depth, misfit);
        } else if (type instanceof WitType.EnumType t) {
            return misfit || t.names().isEmpty() ? "no-such-case" : pick(t.names());
        } else if (type instanceof WitType.OptionType t) {
            if (random.nextInt(3) == 0) {
                return random.nextBoolean() ? Optional.empty() : null;
            }
            Object inner = value(t.type(), depth + 1);
            // A null inside an Optional would be a NullPointerException of our own making.
            return inner == null ? Optional.empty() : Optional.of(inner);
        } else if (type instanceof WitType.ResultType t) {
            boolean ok = random.nextBoolean();
            WitType side = ok ? t.ok() : t.err();
            Object payload = side == null ? (misfit ? "unexpected payload" : null) : value(side, depth + 1);
            return ok ? Result.ok(payload) : Result.err(payload);
        } else if (type instanceof WitType.FlagsType t) {
            Set<String> flags = new LinkedHashSet<>();
            for (String name : t.names()) {
                if (random.nextBoolean()) {
                    flags.add(name);
                }
            }
            if (misfit) {
                flags.add("no-such-flag");
            }
            return flags;
        } else if (type instanceof WitType.OwnType || type instanceof WitType.BorrowType) {
            return resources.isEmpty() || misfit ? null : pick(resources);
        }
        // future, stream, error-context: the plain mapping has no value for them.
        return null;
    }

    private Object primitive(WitType.Primitive p, boolean misfit) {
        return switch (p) {
            case BOOL -> misfit ? Integer.valueOf(1) : Boolean.valueOf(random.nextBoolean());
            case S8 -> integer(Byte.MIN_VALUE, Byte.MAX_VALUE, misfit);
            case U8 -> integer(0, 0xff, misfit);
            case S16 -> integer(Short.MIN_VALUE, Short.MAX_VALUE, misfit);
            case U16 -> integer(0, 0xffff, misfit);
            case S32 -> integer(Integer.MIN_VALUE, Integer.MAX_VALUE, misfit);
            case U32 -> integer(0, 0xffff_ffffL, misfit);
            case S64 -> misfit ? (random.nextBoolean() ? TWO_63 : TWO_63.negate().subtract(BigInteger.ONE))
                    : Long.valueOf(edgyLong());
            case U64 -> u64(misfit);
            case F32 -> misfit ? Double.valueOf(0.1) : Float.valueOf(f32());
            case F64 -> misfit ? "1.5" : Double.valueOf(f64());
            case CHAR -> character(misfit);
            case STRING -> misfit ? "lone \uD800 surrogate" : string(oneIn(500) ? LARGE_LENGTH : length(0));
        };
    }

    /** An integer in {@code [min, max]}, often at a bound; a misfit is one past a bound. */
    private Number integer(long min, long max, boolean misfit) {
        long v;
        if (misfit) {
            v = random.nextBoolean() ? min - 1 : max + 1;
        } else {
            v = switch (random.nextInt(6)) {
                case 0 -> min;
                case 1 -> max;
                case 2 -> 0;
                case 3 -> Math.min(max, Math.max(min, random.nextInt(256) - 128));
                default -> min + Math.floorMod(random.nextLong(), max - min + 1);
            };
        }
        // Vary the boxed type: every integral Number in range is accepted.
        return switch (random.nextInt(3)) {
            case 0 -> Long.valueOf(v);
            case 1 -> v == (int) v ? Integer.valueOf((int) v) : Long.valueOf(v);
            default -> v == (short) v ? Short.valueOf((short) v) : BigInteger.valueOf(v);
        };
    }

    private long edgyLong() {
        return switch (random.nextInt(5)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> random.nextInt(256) - 128;
            default -> random.nextLong();
        };
    }

    private Number u64(boolean misfit) {
        if (misfit) {
            return random.nextBoolean() ? Long.valueOf(-1 - random.nextInt(1000)) : TWO_64;
        }
        return switch (random.nextInt(4)) {
            case 0 -> TWO_64.subtract(BigInteger.ONE);
            case 1 -> Long.valueOf(random.nextLong() & Long.MAX_VALUE);
            case 2 -> new BigInteger(64, random);
            default -> Integer.valueOf(random.nextInt(1000));
        };
    }

    private float f32() {
        return switch (random.nextInt(8)) {
            case 0 -> Float.NaN;
            case 1 -> Float.intBitsToFloat(random.nextInt()); // any bits, NaN payloads included
            case 2 -> random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            case 3 -> -0.0f;
            case 4 -> Float.MIN_VALUE;
            default -> (random.nextFloat() - 0.5f) * 1e6f;
        };
    }

    private double f64() {
        return switch (random.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> Double.longBitsToDouble(random.nextLong());
            case 2 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> Double.MAX_VALUE;
            default -> random.nextGaussian() * 1e9;
        };
    }

    private Object character(boolean misfit) {
        if (misfit) {
            // A surrogate code point is not a char value; neither is one past U+10FFFF.
            return random.nextBoolean() ? Integer.valueOf(0xD800 + random.nextInt(0x800))
                    : Integer.valueOf(Character.MAX_CODE_POINT + 1);
        }
        int cp = codePoint();
        return switch (random.nextInt(3)) {
            case 0 -> Integer.valueOf(cp);
            case 1 -> Character.isBmpCodePoint(cp) ? Character.valueOf((char) cp) : Integer.valueOf(cp);
            default -> new String(Character.toChars(cp));
        };
    }

    /** A code point: ASCII, other BMP, or supplementary (a surrogate pair in Java). */
    private int codePoint() {
        return switch (random.nextInt(4)) {
            case 0, 1 -> 0x20 + random.nextInt(0x5f);
            case 2 -> {
                int cp = 0xa0 + random.nextInt(0xfffe - 0xa0);
                yield Character.isSurrogate((char) cp) ? 'é' : cp;
            }
            default -> 0x10000 + random.nextInt(Character.MAX_CODE_POINT - 0xffff);
        };
    }

    private String string(int codePoints) {
        StringBuilder sb = new StringBuilder(codePoints);
        for (int i = 0; i < codePoints; i++) {
            sb.appendCodePoint(codePoint());
        }
        return sb.toString();
    }

    private Object list(WitType element, int depth, boolean misfit) {
        if (misfit) {
            return "not a list";
        }
        if (element == WitType.Primitive.U8 && random.nextInt(3) > 0) {
            byte[] bytes = new byte[oneIn(100) ? LARGE_LENGTH : length(depth)];
            random.nextBytes(bytes);
            return bytes;
        }
        return elements(element, length(depth), depth);
    }

    private List<Object> elements(WitType element, int n, int depth) {
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(value(element, depth + 1));
        }
        return list;
    }

    private Variant variant(WitType.VariantType t, int depth, boolean misfit) {
        if (misfit || t.cases().isEmpty()) {
            return Variant.of("no-such-case");
        }
        WitType.Case c = pick(t.cases());
        if (c.type() == null) {
            return Variant.of(c.name());
        }
        return new Variant(c.name(), value(c.type(), depth + 1));
    }

    /** A length: mostly short, at most {@link #MAX_LENGTH}, zero beyond {@link #MAX_DEPTH}. */
    private int length(int depth) {
        if (depth >= MAX_DEPTH) {
            return 0;
        }
        int max = MAX_LENGTH >> (2 * depth);
        return random.nextInt(4) == 0 ? random.nextInt(max + 1) : random.nextInt(Math.min(max, 4) + 1);
    }

    private boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** Adds every {@link Resource} in {@code value} (a call's result) to {@code into}. */
    static void collectResources(Object value, List<Resource> into) {
        if (value instanceof Resource r) {
            into.add(r);
        } else if (value instanceof Iterable<?> items) {
            items.forEach(v -> collectResources(v, into));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                collectResources(k, into);
                collectResources(v, into);
            });
        } else if (value instanceof Optional<?> o) {
            o.ifPresent(v -> collectResources(v, into));
        } else if (value instanceof Variant v) {
            collectResources(v.payload(), into);
        } else if (value instanceof Result<?, ?> r) {
            collectResources(r.value(), into);
        }
    }
}
