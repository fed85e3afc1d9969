package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.CallBuffer;
import io.github.wasmtimejvm.wit.WitType;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads values written by the native side (the layout of {@link ValueEncoder}) into {@link
 * Val}s, or into plain Java values guided by an optional target type.
 */
final class ValueDecoder {

    private final ByteBuffer in;
    private final Store store;
    private List<Resource> borrows;

    ValueDecoder(ByteBuffer in, Store store) {
        this.in = in;
        this.store = store;
    }

    /** The buffer values are read from (for {@link Codec}s, which read their own layouts). */
    ByteBuffer in() {
        return in;
    }

    /** The resources that arrived as {@code borrow}s (valid only during a host call). */
    List<Resource> borrows() {
        return borrows == null ? List.of() : borrows;
    }

    private Resource borrowed(String type, long id) {
        Resource r = new Resource(store, type, id, true);
        if (borrows == null) {
            borrows = new ArrayList<>(2);
        }
        borrows.add(r);
        return r;
    }

    // ---- Val ----

    Val readVal(WitType type) {
        if (type instanceof WitType.Primitive p) {
            return switch (p) {
                case BOOL -> new Val.Bool(in.get() != 0);
                case S8 -> new Val.S8(in.get());
                case U8 -> new Val.U8(in.get() & 0xff);
                case S16 -> new Val.S16(in.getShort());
                case U16 -> new Val.U16(in.getShort() & 0xffff);
                case S32 -> new Val.S32(in.getInt());
                case U32 -> new Val.U32(in.getInt() & 0xffff_ffffL);
                case S64 -> new Val.S64(in.getLong());
                case U64 -> new Val.U64(in.getLong());
                case F32 -> new Val.F32(Float.intBitsToFloat(in.getInt()));
                case F64 -> new Val.F64(Double.longBitsToDouble(in.getLong()));
                case CHAR -> new Val.Char(in.getInt());
                case STRING -> new Val.Str(readString());
            };
        }
        if (type instanceof WitType.ListType t) {
            int n = in.getInt();
            return new Val.List(readVals(n, t.element()));
        }
        if (type instanceof WitType.FixedListType t) {
            return new Val.FixedList(readVals(t.size(), t.element()));
        }
        if (type instanceof WitType.MapType t) {
            int n = in.getInt();
            List<Val.Entry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Val k = readVal(t.key());
                entries.add(new Val.Entry(k, readVal(t.value())));
            }
            return new Val.Map(entries);
        }
        if (type instanceof WitType.RecordType t) {
            List<Val.Field> fields = new ArrayList<>(t.fields().size());
            for (WitType.Field f : t.fields()) {
                fields.add(new Val.Field(f.name(), readVal(f.type())));
            }
            return new Val.Record(fields);
        }
        if (type instanceof WitType.TupleType t) {
            List<Val> values = new ArrayList<>(t.types().size());
            for (WitType e : t.types()) {
                values.add(readVal(e));
            }
            return new Val.Tuple(values);
        }
        if (type instanceof WitType.VariantType t) {
            WitType.Case c = t.cases().get(in.getInt());
            return new Val.Variant(c.name(), c.type() == null ? Optional.empty() : Optional.of(readVal(c.type())));
        }
        if (type instanceof WitType.EnumType t) {
            return new Val.Enum(t.names().get(in.getInt()));
        }
        if (type instanceof WitType.OptionType t) {
            return new Val.Option(in.get() == 0 ? Optional.empty() : Optional.of(readVal(t.type())));
        }
        if (type instanceof WitType.ResultType t) {
            boolean ok = in.get() == 0;
            WitType side = ok ? t.ok() : t.err();
            return new Val.Result(ok, side == null ? Optional.empty() : Optional.of(readVal(side)));
        }
        if (type instanceof WitType.FlagsType t) {
            return new Val.Flags(readFlags(t));
        }
        if (type instanceof WitType.OwnType t) {
            if (in.get() != 0) {
                return new Val.HostObject(host().hostTake(in.getInt()));
            }
            return new Val.Own(new Resource(store, t.resource(), in.getLong()));
        }
        if (type instanceof WitType.BorrowType t) {
            if (in.get() != 0) {
                return new Val.HostObject(host().hostGet(in.getInt()));
            }
            return new Val.Borrow(borrowed(t.resource(), in.getLong()));
        }
        throw new IllegalStateException("cannot read a value of type " + type);
    }

    private io.github.wasmtimejvm.internal.StoreResources host() {
        return io.github.wasmtimejvm.internal.Internals.resources(store);
    }

    private List<Val> readVals(int n, WitType element) {
        Val[] out = new Val[n];
        for (int i = 0; i < n; i++) {
            out[i] = readVal(element);
        }
        return Arrays.asList(out);
    }

    /** Strings this long and longer are decoded through the thread's scratch array. */
    private static final int SCRATCH_FROM = 4096;

    String readString() {
        int n = in.getInt();
        // A large string is read into a reused array: decoding then allocates only the String.
        byte[] bytes = n >= SCRATCH_FROM ? CallBuffer.get().scratch(n) : new byte[n];
        in.get(bytes, 0, n);
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private Set<String> readFlags(WitType.FlagsType t) {
        int words = (t.names().size() + 31) / 32;
        Set<String> set = new LinkedHashSet<>();
        for (int w = 0; w < words; w++) {
            int bits = in.getInt();
            for (int b = 0; b < 32; b++) {
                if ((bits & (1 << b)) != 0 && w * 32 + b < t.names().size()) {
                    set.add(t.names().get(w * 32 + b));
                }
            }
        }
        return set;
    }

    // ---- plain Java ----

    /**
     * Reads a plain Java value. With {@code target} null (or {@code Object}) the default mapping
     * applies; otherwise the value is converted to the target where the mapping allows.
     */
    Object readPlain(WitType type, Type target) {
        Class<?> raw = rawClass(target);
        if (type instanceof WitType.Primitive p) {
            return convertPrimitive(p, raw);
        }
        if (type instanceof WitType.ListType t) {
            int n = in.getInt();
            return readPlainList(n, t.element(), target, raw);
        }
        if (type instanceof WitType.FixedListType t) {
            return readPlainList(t.size(), t.element(), target, raw);
        }
        if (type instanceof WitType.MapType t) {
            int n = in.getInt();
            Type keyTarget = typeArgument(target, 0);
            Type valueTarget = typeArgument(target, 1);
            Map<Object, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                Object k = readPlain(t.key(), keyTarget);
                m.put(k, readPlain(t.value(), valueTarget));
            }
            return Collections.unmodifiableMap(m);
        }
        if (type instanceof WitType.RecordType t) {
            if (raw != null && raw.isRecord()) {
                return readJavaRecord(t, raw);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (WitType.Field f : t.fields()) {
                m.put(f.name(), readPlain(f.type(), null));
            }
            return Collections.unmodifiableMap(m);
        }
        if (type instanceof WitType.TupleType t) {
            List<Object> values = new ArrayList<>(t.types().size());
            for (int i = 0; i < t.types().size(); i++) {
                values.add(readPlain(t.types().get(i), null));
            }
            return Collections.unmodifiableList(values);
        }
        if (type instanceof WitType.VariantType t) {
            WitType.Case c = t.cases().get(in.getInt());
            Object payload = c.type() == null ? null : readPlain(c.type(), null);
            if (raw != null && raw.isEnum() && payload == null) {
                return enumConstant(raw, c.name());
            }
            return new Variant(c.name(), payload);
        }
        if (type instanceof WitType.EnumType t) {
            String name = t.names().get(in.getInt());
            return raw != null && raw.isEnum() ? enumConstant(raw, name) : name;
        }
        if (type instanceof WitType.OptionType t) {
            if (in.get() == 0) {
                return Optional.empty();
            }
            return Optional.of(readPlain(t.type(), typeArgument(target, 0)));
        }
        if (type instanceof WitType.ResultType t) {
            boolean ok = in.get() == 0;
            WitType side = ok ? t.ok() : t.err();
            Object payload = side == null ? null : readPlain(side, typeArgument(target, ok ? 0 : 1));
            return ok ? Result.ok(payload) : Result.err(payload);
        }
        if (type instanceof WitType.FlagsType t) {
            return Collections.unmodifiableSet(readFlags(t));
        }
        if (type instanceof WitType.OwnType t) {
            if (in.get() != 0) {
                return host().hostTake(in.getInt());
            }
            return new Resource(store, t.resource(), in.getLong());
        }
        if (type instanceof WitType.BorrowType t) {
            if (in.get() != 0) {
                return host().hostGet(in.getInt());
            }
            return borrowed(t.resource(), in.getLong());
        }
        throw new IllegalStateException("cannot read a value of type " + type);
    }

    private Object convertPrimitive(WitType.Primitive p, Class<?> raw) {
        Object v = switch (p) {
            case BOOL -> in.get() != 0;
            case S8 -> in.get();
            case U8 -> (short) (in.get() & 0xff);
            case S16 -> in.getShort();
            case U16 -> in.getShort() & 0xffff;
            case S32 -> in.getInt();
            case U32 -> in.getInt() & 0xffff_ffffL;
            case S64 -> in.getLong();
            case U64 -> PlainJava.unsignedBig(in.getLong());
            case F32 -> Float.intBitsToFloat(in.getInt());
            case F64 -> Double.longBitsToDouble(in.getLong());
            case CHAR -> new String(Character.toChars(in.getInt()));
            case STRING -> readString();
        };
        return raw == null || raw == Object.class ? v : convertNumber(v, p, raw);
    }

    private static Object convertNumber(Object v, WitType.Primitive p, Class<?> raw) {
        if (raw.isInstance(v)) {
            return v;
        }
        if (v instanceof Number n) {
            // Only exact conversions: a result that would be rounded, truncated or saturated
            // does not fit the target and throws ArithmeticException.
            if (raw == Long.class || raw == long.class) {
                return exactInteger(n, p, raw).longValue();
            }
            if (raw == Integer.class || raw == int.class) {
                return exactInteger(n, p, raw).intValue();
            }
            if (raw == Short.class || raw == short.class) {
                return exactInteger(n, p, raw).shortValue();
            }
            if (raw == Byte.class || raw == byte.class) {
                return exactInteger(n, p, raw).byteValue();
            }
            if (raw == BigInteger.class) {
                return exactInteger(n, p, raw);
            }
            if (raw == Double.class || raw == double.class) {
                double d = n.doubleValue();
                if (n instanceof Float || n instanceof Double || exactly(n, d)) {
                    return d;
                }
                throw new ArithmeticException(p + " value " + n + " does not fit a double exactly");
            }
            if (raw == Float.class || raw == float.class) {
                float f = n.floatValue();
                if (n instanceof Float || Float.isNaN(f) || (n instanceof Double d ? (double) f == d : exactly(n, f))) {
                    return f;
                }
                throw new ArithmeticException(p + " value " + n + " does not fit a float exactly");
            }
        }
        if (p == WitType.Primitive.CHAR && v instanceof String s) {
            int cp = s.codePointAt(0);
            if (raw == Integer.class || raw == int.class) {
                return cp;
            }
            if ((raw == Character.class || raw == char.class) && Character.isBmpCodePoint(cp)) {
                return (char) cp;
            }
        }
        if ((raw == Boolean.class || raw == boolean.class) && v instanceof Boolean) {
            return v;
        }
        throw new IllegalArgumentException("cannot convert a " + p + " result to " + raw.getName());
    }

    /** The integer value of {@code n}, fitting the integral class {@code raw}, or ArithmeticException. */
    private static BigInteger exactInteger(Number n, WitType.Primitive p, Class<?> raw) {
        BigInteger big;
        if (n instanceof BigInteger b) {
            big = b;
        } else if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
                throw new ArithmeticException(p + " value " + n + " is not an integer, so does not fit "
                        + raw.getName());
            }
            big = new BigDecimal(d).toBigIntegerExact();
        } else {
            big = BigInteger.valueOf(n.longValue());
        }
        int bits = raw == Long.class || raw == long.class ? 64
                : raw == Integer.class || raw == int.class ? 32
                : raw == Short.class || raw == short.class ? 16
                : raw == Byte.class || raw == byte.class ? 8
                : Integer.MAX_VALUE;
        if (big.bitLength() >= bits) {
            throw new ArithmeticException(p + " value " + big + " does not fit " + raw.getName());
        }
        return big;
    }

    /** Whether the integer {@code n} (a Long, Integer, Short, Byte or BigInteger) equals {@code d}. */
    private static boolean exactly(Number n, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return false;
        }
        BigInteger big = n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
        return new BigDecimal(big).compareTo(new BigDecimal(d)) == 0;
    }

    private Object readPlainList(int n, WitType element, Type target, Class<?> raw) {
        if ((element == WitType.Primitive.U8 || element == WitType.Primitive.S8)
                && (raw == null || raw == Object.class || raw == byte[].class)) {
            byte[] bytes = new byte[n];
            in.get(bytes);
            return bytes;
        }
        Type elementTarget = typeArgument(target, 0);
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = readPlain(element, elementTarget);
        }
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    private Object readJavaRecord(WitType.RecordType t, Class<?> raw) {
        RecordComponent[] comps = raw.getRecordComponents();
        Object[] args = new Object[comps.length];
        boolean[] set = new boolean[comps.length];
        for (WitType.Field f : t.fields()) {
            RecordComponent c = Names.component(comps, f.name());
            if (c == null) {
                throw new IllegalArgumentException(raw.getSimpleName() + " has no component for WIT field `"
                        + f.name() + "` (expected `" + Names.toJavaMember(f.name()) + "`)");
            }
            int i = Arrays.asList(comps).indexOf(c);
            args[i] = readPlain(f.type(), c.getGenericType());
            set[i] = true;
        }
        for (int i = 0; i < comps.length; i++) {
            if (!set[i]) {
                throw new IllegalArgumentException(raw.getSimpleName() + "." + comps[i].getName()
                        + " matches no field of " + t);
            }
        }
        try {
            Class<?>[] types = Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> ctor = raw.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot construct " + raw.getName() + ": " + e, e);
        }
    }

    private static Object enumConstant(Class<?> raw, String witName) {
        for (Object c : raw.getEnumConstants()) {
            String name = ((java.lang.Enum<?>) c).name();
            if (Names.fromJavaConstant(name).equals(witName) || name.equals(witName)) {
                return c;
            }
        }
        throw new IllegalArgumentException(raw.getName() + " has no constant for WIT case `" + witName + "`");
    }

    static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    private static Type typeArgument(Type t, int index) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return null;
    }
}
