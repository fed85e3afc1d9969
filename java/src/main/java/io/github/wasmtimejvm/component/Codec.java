package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.wit.WitType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How one WIT type meets one Java type in a typed binding ({@link Instance#bind(Class)}, {@link
 * Linker#implement(Class, Object)}): chosen and checked once, when binding, then used for every
 * value without reflection. A codec writes the value layout of {@link ValueEncoder} and reads that
 * of {@link ValueDecoder}; scalar codecs also convert to and from {@link ScalarFunc}'s slots.
 *
 * <p>The mapping (which Java types a WIT type accepts) is documented on {@link
 * Instance#bind(Class)}; {@link Factory} builds a codec for a pair or says why the pair does not fit.
 */
abstract class Codec {

    final WitType wit;

    Codec(WitType wit) {
        this.wit = wit;
    }

    /** Writes {@code v}, or throws {@link PlainJava.Mismatch} when it does not fit. */
    abstract void write(ValueEncoder out, Object v);

    /** Reads one value of the codec's WIT type. */
    abstract Object read(ValueDecoder in);

    /** Whether this codec converts slots ({@link #toSlot}, {@link #fromSlot}). */
    boolean isScalar() {
        return false;
    }

    /** The {@link ScalarFunc} slot of {@code v}. */
    long toSlot(Object v) {
        throw new IllegalStateException(wit + " is not a scalar");
    }

    /** The Java value of a {@link ScalarFunc} slot. */
    Object fromSlot(long slot) {
        throw new IllegalStateException(wit + " is not a scalar");
    }

    static PlainJava.Mismatch nullValue(WitType wit) {
        return new PlainJava.Mismatch("expected " + wit + ", found null");
    }

    // ---------------------------------------------------------------- the factory

    /**
     * Builds codecs and collects what does not fit, so that a binding reports every problem at
     * once. Resource handles are the binder's to map ({@link #resource}).
     */
    abstract static class Factory {
        final List<String> problems = new ArrayList<>();

        /**
         * A codec for an {@code own} or {@code borrow} of {@code resource}, or null after adding a
         * problem.
         */
        abstract Codec resource(WitType type, String resource, int hostType, Class<?> raw, Type java, String where);

        void problem(String where, WitType wit, Type java, String why) {
            problems.add(where + ": WIT " + wit + " does not fit Java " + java.getTypeName() + (why.isEmpty() ? "" : " (" + why + ")"));
        }

        /** A codec for values of {@code wit} as Java {@code java}, or null after adding a problem. */
        Codec of(WitType wit, Type java, String where) {
            java = upper(java);
            Class<?> raw = raw(java);
            if (raw == Object.class) {
                return new Plain(wit);
            }
            if (raw != null && Val.class.isAssignableFrom(raw)) {
                return new Vals(wit);
            }
            if (raw == null) {
                problem(where, wit, java, "a type variable or array of one has no codec");
                return null;
            }
            if (wit instanceof WitType.Primitive p) {
                return primitive(p, raw, java, where);
            }
            if (wit instanceof WitType.ListType t) {
                return list(wit, t.element(), -1, raw, java, where);
            }
            if (wit instanceof WitType.FixedListType t) {
                return list(wit, t.element(), t.size(), raw, java, where);
            }
            if (wit instanceof WitType.MapType t) {
                if (raw != Map.class) {
                    problem(where, wit, java, "expected java.util.Map<K, V>");
                    return null;
                }
                Codec k = of(t.key(), arg(java, 0), where + " (map key)");
                Codec v = of(t.value(), arg(java, 1), where + " (map value)");
                return k == null || v == null ? null : new MapCodec(wit, k, v);
            }
            if (wit instanceof WitType.RecordType t) {
                if (raw == Map.class) {
                    return new Plain(wit);
                }
                return raw.isRecord() ? record(t, raw, java, where) : fail(where, wit, java, "expected a Java record whose components are the fields");
            }
            if (wit instanceof WitType.TupleType t) {
                if (raw == List.class) {
                    return new Plain(wit);
                }
                return raw.isRecord() ? tuple(t, raw, java, where) : fail(where, wit, java, "expected a Java record with one component per element, in order");
            }
            if (wit instanceof WitType.VariantType t) {
                if (raw == Variant.class) {
                    return new Plain(wit);
                }
                if (raw.isEnum() && t.cases().stream().allMatch(c -> c.type() == null)) {
                    return enumCodec(wit, t.cases().stream().map(WitType.Case::name).toList(), raw, java, where, true);
                }
                if (raw.isSealed() && raw.isInterface()) {
                    return variant(t, raw, java, where);
                }
                return fail(where, wit, java, "expected a sealed interface with one record per case");
            }
            if (wit instanceof WitType.EnumType t) {
                if (raw == String.class) {
                    return new Plain(wit);
                }
                return raw.isEnum() ? enumCodec(wit, t.names(), raw, java, where, false) : fail(where, wit, java, "expected a Java enum");
            }
            if (wit instanceof WitType.OptionType t) {
                if (raw != Optional.class) {
                    return fail(where, wit, java, "expected java.util.Optional<T>");
                }
                Codec some = of(t.type(), arg(java, 0), where + " (some)");
                return some == null ? null : new OptionCodec(wit, some);
            }
            if (wit instanceof WitType.ResultType t) {
                if (raw != Result.class) {
                    return fail(where, wit, java, "expected " + Result.class.getName() + "<T, E>");
                }
                Codec ok = side(t.ok(), arg(java, 0), where + " (ok)");
                Codec err = side(t.err(), arg(java, 1), where + " (err)");
                return ok == MISSING || err == MISSING ? null : new ResultCodec(t, ok, err);
            }
            if (wit instanceof WitType.FlagsType t) {
                return flags(t, raw, java, where);
            }
            if (wit instanceof WitType.OwnType t) {
                return raw == Resource.class && t.hostType() < 0 ? new Plain(wit) : resource(wit, t.resource(), t.hostType(), raw, java, where);
            }
            if (wit instanceof WitType.BorrowType t) {
                return raw == Resource.class && t.hostType() < 0 ? new Plain(wit) : resource(wit, t.resource(), t.hostType(), raw, java, where);
            }
            return fail(where, wit, java, "component-model async types cannot be bound");
        }

        private static final Codec MISSING = new Plain(WitType.Primitive.BOOL);

        /** The codec of one side of a result: null when WIT has no type there, MISSING on a problem. */
        Codec side(WitType wit, Type java, String where) {
            if (wit == null) {
                Class<?> raw = raw(upper(java));
                if (raw == Void.class || raw == Object.class) {
                    return null;
                }
                problems.add(where + ": the WIT result has no value here, so the Java type must be Void, not "
                        + java.getTypeName());
                return MISSING;
            }
            Codec c = of(wit, java, where);
            return c == null ? MISSING : c;
        }

        Codec fail(String where, WitType wit, Type java, String why) {
            problem(where, wit, java, why);
            return null;
        }

        private Codec primitive(WitType.Primitive p, Class<?> raw, Type java, String where) {
            switch (p) {
                case BOOL:
                    return raw == boolean.class || raw == Boolean.class ? new BoolCodec(raw.isPrimitive()) : fail(where, p, java, "expected boolean");
                case F32:
                    if (raw == float.class || raw == Float.class || raw == double.class || raw == Double.class) {
                        return new FloatCodec(p, raw);
                    }
                    return fail(where, p, java, "expected float");
                case F64:
                    return raw == double.class || raw == Double.class ? new FloatCodec(p, raw) : fail(where, p, java, "expected double");
                case CHAR:
                    if (raw == int.class || raw == Integer.class || raw == char.class || raw == Character.class || raw == String.class) {
                        return new CharCodec(raw);
                    }
                    return fail(where, p, java, "expected int (a code point), char or String");
                case STRING:
                    return raw == String.class || raw == CharSequence.class ? new StringCodec() : fail(where, p, java, "expected String");
                default:
                    int witBits = IntCodec.bits(p);
                    boolean unsigned = IntCodec.unsigned(p);
                    int javaBits = IntCodec.javaBits(raw);
                    if (javaBits == 0) {
                        return fail(where, p, java, "expected " + IntCodec.javaName(p));
                    }
                    if (javaBits < witBits) {
                        return fail(where, p, java, "a " + raw.getName() + " cannot hold every " + p + "; use "
                                + IntCodec.javaName(p));
                    }
                    return new IntCodec(p, raw, unsigned && javaBits == witBits);
            }
        }

        private Codec list(WitType wit, WitType element, int size, Class<?> raw, Type java, String where) {
            if (raw == byte[].class && (element == WitType.Primitive.U8 || element == WitType.Primitive.S8)) {
                return new BytesCodec(wit, size);
            }
            if (raw == List.class || raw == Collection.class || raw == Iterable.class) {
                Codec e = of(element, arg(java, 0), where + " (element)");
                return e == null ? null : new ListCodec(wit, e, size);
            }
            if (raw.isArray()) {
                Type component = java instanceof GenericArrayType g ? g.getGenericComponentType() : raw.getComponentType();
                Codec e = of(element, component, where + " (element)");
                return e == null ? null : new ArrayCodec(wit, e, size, raw.getComponentType());
            }
            return fail(where, wit, java, "expected java.util.List<T>" + (element == WitType.Primitive.U8 ? " or byte[]" : "") + " or an array");
        }

        private Codec record(WitType.RecordType t, Class<?> raw, Type java, String where) {
            RecordComponent[] comps = raw.getRecordComponents();
            Map<TypeVariable<?>, Type> bindings = bindings(raw, java);
            int[] order = new int[t.fields().size()];
            Codec[] codecs = new Codec[t.fields().size()];
            boolean[] used = new boolean[comps.length];
            boolean ok = true;
            for (int i = 0; i < t.fields().size(); i++) {
                WitType.Field f = t.fields().get(i);
                int c = componentIndex(comps, f.name());
                if (c < 0) {
                    problems.add(where + ": " + raw.getName() + " has no component for field `" + f.name() + "` of " + t
                            + " (expected `" + Names.toJavaMember(f.name()) + "` or @WitName(\"" + f.name() + "\"))");
                    ok = false;
                    continue;
                }
                used[c] = true;
                order[i] = c;
                codecs[i] = of(f.type(), resolve(comps[c].getGenericType(), bindings), where + " field `" + f.name() + "`");
                ok &= codecs[i] != null;
            }
            for (int c = 0; c < comps.length; c++) {
                if (!used[c]) {
                    problems.add(where + ": " + raw.getName() + "." + comps[c].getName() + " is not a field of " + t);
                    ok = false;
                }
            }
            return ok ? new RecordCodec(t, raw, comps, order, codecs) : null;
        }

        private Codec tuple(WitType.TupleType t, Class<?> raw, Type java, String where) {
            RecordComponent[] comps = raw.getRecordComponents();
            if (comps.length != t.types().size()) {
                return fail(where, t, java, raw.getSimpleName() + " has " + comps.length + " components, the tuple "
                        + t.types().size() + " elements");
            }
            Map<TypeVariable<?>, Type> bindings = bindings(raw, java);
            Codec[] codecs = new Codec[comps.length];
            int[] order = new int[comps.length];
            boolean ok = true;
            for (int i = 0; i < comps.length; i++) {
                order[i] = i;
                codecs[i] = of(t.types().get(i), resolve(comps[i].getGenericType(), bindings), where + " element " + i);
                ok &= codecs[i] != null;
            }
            return ok ? new RecordCodec(t, raw, comps, order, codecs) : null;
        }

        private Codec variant(WitType.VariantType t, Class<?> raw, Type java, String where) {
            Class<?>[] permitted = raw.getPermittedSubclasses();
            Map<TypeVariable<?>, Type> bindings = bindings(raw, java);
            Class<?>[] byCase = new Class<?>[t.cases().size()];
            Codec[] payloads = new Codec[t.cases().size()];
            boolean ok = true;
            for (Class<?> sub : permitted) {
                String name = witName(sub, Names.fromJavaType(sub.getSimpleName()));
                int index = t.indexOf(name);
                if (index < 0) {
                    problems.add(where + ": " + sub.getName() + " stands for no case of " + t + " (it would be case `" + name + "`)");
                    ok = false;
                    continue;
                }
                if (!sub.isRecord()) {
                    problems.add(where + ": " + sub.getName() + " (case `" + name + "`) must be a record");
                    ok = false;
                    continue;
                }
                byCase[index] = sub;
                RecordComponent[] comps = sub.getRecordComponents();
                WitType payload = t.cases().get(index).type();
                if (payload == null && comps.length != 0) {
                    problems.add(where + ": case `" + name + "` has no payload, so " + sub.getName() + " must have no components");
                    ok = false;
                } else if (payload != null && comps.length != 1) {
                    problems.add(where + ": case `" + name + "` has a payload of type " + payload + ", so " + sub.getName()
                            + " must have exactly one component");
                    ok = false;
                } else if (payload != null) {
                    payloads[index] = of(payload, resolve(comps[0].getGenericType(), bindings), where + " case `" + name + "`");
                    ok &= payloads[index] != null;
                }
            }
            for (int i = 0; i < byCase.length; i++) {
                if (byCase[i] == null && ok) {
                    problems.add(where + ": " + raw.getName() + " permits no record for case `" + t.cases().get(i).name() + "` of " + t
                            + " (expected " + Names.toJavaType(t.cases().get(i).name()) + ")");
                    ok = false;
                }
            }
            return ok ? new VariantCodec(t, byCase, payloads) : null;
        }

        private Codec enumCodec(WitType wit, List<String> names, Class<?> raw, Type java, String where, boolean variant) {
            Object[] constants = raw.getEnumConstants();
            int[] indexOfOrdinal = new int[constants.length];
            Object[] byIndex = new Object[names.size()];
            boolean ok = true;
            for (Object c : constants) {
                Enum<?> e = (Enum<?>) c;
                String name = constantName(raw, e);
                int index = names.indexOf(name);
                if (index < 0) {
                    problems.add(where + ": " + raw.getName() + "." + e.name() + " is not a case of " + wit + " (it would be `" + name + "`)");
                    ok = false;
                    continue;
                }
                indexOfOrdinal[e.ordinal()] = index;
                byIndex[index] = c;
            }
            for (int i = 0; i < byIndex.length; i++) {
                if (byIndex[i] == null && ok) {
                    problems.add(where + ": " + raw.getName() + " has no constant for case `" + names.get(i) + "` of " + wit
                            + " (expected " + Names.toJavaConstant(names.get(i)) + ")");
                    ok = false;
                }
            }
            return ok ? new EnumCodec(wit, raw, indexOfOrdinal, byIndex) : null;
        }

        private Codec flags(WitType.FlagsType t, Class<?> raw, Type java, String where) {
            if (raw != Set.class && raw != EnumSet.class && raw != Collection.class) {
                return fail(where, t, java, "expected java.util.Set<E> of a Java enum E whose constants are the flags");
            }
            Class<?> element = raw(upper(arg(java, 0)));
            if (element == String.class) {
                return new Plain(t);
            }
            if (element == null || !element.isEnum()) {
                return fail(where, t, java, "expected java.util.Set<E> of a Java enum E whose constants are the flags");
            }
            Codec names = enumCodec(t, t.names(), element, element, where, false);
            return names == null ? null : new FlagsCodec(t, element, ((EnumCodec) names).indexOfOrdinal);
        }
    }

    // ---------------------------------------------------------------- reflection helpers (bind time)

    static Type upper(Type t) {
        if (t instanceof WildcardType w) {
            return w.getUpperBounds().length == 0 ? Object.class : w.getUpperBounds()[0];
        }
        if (t instanceof TypeVariable<?> v) {
            return v.getBounds().length == 0 ? Object.class : upper(v.getBounds()[0]);
        }
        return t == null ? Object.class : t;
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (t instanceof GenericArrayType g) {
            Class<?> component = raw(upper(g.getGenericComponentType()));
            return component == null ? null : Array.newInstance(component, 0).getClass();
        }
        return null;
    }

    static Type arg(Type t, int index) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    private static Map<TypeVariable<?>, Type> bindings(Class<?> raw, Type java) {
        Map<TypeVariable<?>, Type> m = new HashMap<>();
        TypeVariable<?>[] vars = raw.getTypeParameters();
        if (java instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < vars.length && i < args.length; i++) {
                m.put(vars[i], args[i]);
            }
        }
        return m;
    }

    /** {@code t} with the record's type variables replaced by the arguments it is used with. */
    private static Type resolve(Type t, Map<TypeVariable<?>, Type> bindings) {
        if (t instanceof TypeVariable<?> v && bindings.containsKey(v)) {
            return bindings.get(v);
        }
        if (t instanceof ParameterizedType p && !bindings.isEmpty()) {
            Type[] args = p.getActualTypeArguments().clone();
            for (int i = 0; i < args.length; i++) {
                args[i] = resolve(args[i], bindings);
            }
            return new Resolved(p, args);
        }
        return t;
    }

    /** A parameterized type with resolved arguments (only raw type and arguments are read). */
    private record Resolved(ParameterizedType of, Type[] args) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return args.clone();
        }

        @Override
        public Type getRawType() {
            return of.getRawType();
        }

        @Override
        public Type getOwnerType() {
            return of.getOwnerType();
        }

        @Override
        public String getTypeName() {
            StringBuilder sb = new StringBuilder(of.getRawType().getTypeName()).append('<');
            for (int i = 0; i < args.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(args[i].getTypeName());
            }
            return sb.append('>').toString();
        }
    }

    static String witName(java.lang.reflect.AnnotatedElement e, String otherwise) {
        WitName n = e.getAnnotation(WitName.class);
        return n == null ? otherwise : n.value();
    }

    private static int componentIndex(RecordComponent[] comps, String field) {
        for (int i = 0; i < comps.length; i++) {
            WitName n = comps[i].getAnnotation(WitName.class);
            if (n != null ? n.value().equals(field) : Names.fromJavaMember(comps[i].getName()).equals(field)
                    || comps[i].getName().equals(field)) {
                return i;
            }
        }
        return -1;
    }

    static String constantName(Class<?> enumClass, Enum<?> constant) {
        try {
            return witName(enumClass.getField(constant.name()), Names.fromJavaConstant(constant.name()));
        } catch (NoSuchFieldException e) {
            return Names.fromJavaConstant(constant.name());
        }
    }

    static MethodHandle unreflect(Method m) {
        try {
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot call " + m + ": " + e, e);
        }
    }

    // ---------------------------------------------------------------- codecs

    /** Any value through the plain mapping of {@link Func#call(Object...)}. */
    static final class Plain extends Codec {
        Plain(WitType wit) {
            super(wit);
        }

        @Override
        void write(ValueEncoder out, Object v) {
            out.write(v, wit);
        }

        @Override
        Object read(ValueDecoder in) {
            return in.readPlain(wit, null);
        }

        @Override
        boolean isScalar() {
            return wit instanceof WitType.Primitive p && p.isScalar();
        }

        @Override
        long toSlot(Object v) {
            return ScalarSlots.fromValue(v, (WitType.Primitive) wit);
        }

        @Override
        Object fromSlot(long slot) {
            return ScalarSlots.toPlain(slot, (WitType.Primitive) wit);
        }
    }

    /** {@link Val}s. */
    static final class Vals extends Codec {
        Vals(WitType wit) {
            super(wit);
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (v == null) {
                throw nullValue(wit);
            }
            out.write(v, wit);
        }

        @Override
        Object read(ValueDecoder in) {
            return in.readVal(wit);
        }

        @Override
        boolean isScalar() {
            return wit instanceof WitType.Primitive p && p.isScalar();
        }

        @Override
        long toSlot(Object v) {
            return ScalarSlots.fromValue(v, (WitType.Primitive) wit);
        }

        @Override
        Object fromSlot(long slot) {
            return ScalarSlots.toVal(slot, (WitType.Primitive) wit);
        }
    }

    static final class BoolCodec extends Codec {
        private final boolean primitive;

        BoolCodec(boolean primitive) {
            super(WitType.Primitive.BOOL);
            this.primitive = primitive;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            out.buffer().putByte((int) toSlot(v));
        }

        @Override
        Object read(ValueDecoder in) {
            return in.in().get() != 0;
        }

        @Override
        boolean isScalar() {
            return true;
        }

        @Override
        long toSlot(Object v) {
            if (v instanceof Boolean b) {
                return b ? 1 : 0;
            }
            throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
        }

        @Override
        Object fromSlot(long slot) {
            return slot != 0;
        }

        @Override
        public String toString() {
            return primitive ? "boolean" : "Boolean";
        }
    }

    /** The integer types, as Java integral types at least as wide (unsigned at the same width as bits). */
    static final class IntCodec extends Codec {
        private final WitType.Primitive p;
        private final int javaBits;
        private final boolean big;
        private final boolean asBits;
        private final long min;
        private final long max;

        IntCodec(WitType.Primitive p, Class<?> raw, boolean asBits) {
            super(p);
            this.p = p;
            this.javaBits = javaBits(raw);
            this.big = raw == BigInteger.class;
            this.asBits = asBits;
            int bits = bits(p);
            if (unsigned(p)) {
                min = 0;
                max = bits == 64 ? Long.MAX_VALUE : (1L << bits) - 1;
            } else {
                min = bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
                max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
            }
        }

        static int bits(WitType.Primitive p) {
            return switch (p) {
                case S8, U8 -> 8;
                case S16, U16 -> 16;
                case S32, U32 -> 32;
                default -> 64;
            };
        }

        static boolean unsigned(WitType.Primitive p) {
            return p == WitType.Primitive.U8 || p == WitType.Primitive.U16 || p == WitType.Primitive.U32
                    || p == WitType.Primitive.U64;
        }

        static int javaBits(Class<?> raw) {
            if (raw == byte.class || raw == Byte.class) {
                return 8;
            }
            if (raw == short.class || raw == Short.class) {
                return 16;
            }
            if (raw == int.class || raw == Integer.class) {
                return 32;
            }
            if (raw == long.class || raw == Long.class) {
                return 64;
            }
            return raw == BigInteger.class ? 128 : 0;
        }

        static String javaName(WitType.Primitive p) {
            return switch (p) {
                case S8, U8 -> "byte";
                case S16, U16 -> "short";
                case S32, U32 -> "int";
                default -> "long";
            };
        }

        @Override
        boolean isScalar() {
            return true;
        }

        /** The WIT value as a slot: sign-extended for signed types, zero-extended for unsigned ones. */
        @Override
        long toSlot(Object v) {
            long x;
            if (v instanceof Integer i) {
                x = i;
            } else if (v instanceof Long || v instanceof Short || v instanceof Byte) {
                x = ((Number) v).longValue();
            } else if (v instanceof BigInteger b) {
                if (p == WitType.Primitive.U64 && b.signum() >= 0 && b.bitLength() <= 64) {
                    return b.longValue();
                }
                if (b.bitLength() > 63) {
                    throw new PlainJava.Mismatch(b + " is out of range for " + p + " (" + min + " to " + max + ")");
                }
                x = b.longValue();
            } else {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            if (asBits) {
                // An unsigned type at its Java width: the bits are the value (as Integer.toUnsignedLong reads them).
                return switch (javaBits) {
                    case 8 -> x & 0xff;
                    case 16 -> x & 0xffff;
                    case 32 -> x & 0xffff_ffffL;
                    default -> x;
                };
            }
            if (x < min || x > max) {
                throw new PlainJava.Mismatch(x + " is out of range for " + p + " (" + min + " to " + max + ")");
            }
            return x;
        }

        @Override
        Object fromSlot(long slot) {
            if (big) {
                return p == WitType.Primitive.U64 ? PlainJava.unsignedBig(slot) : BigInteger.valueOf(slot);
            }
            return switch (javaBits) {
                case 8 -> (byte) slot;
                case 16 -> (short) slot;
                case 32 -> (int) slot;
                default -> slot;
            };
        }

        @Override
        void write(ValueEncoder out, Object v) {
            long x = toSlot(v);
            switch (bits(p)) {
                case 8 -> out.buffer().putByte((int) x);
                case 16 -> out.buffer().putShort((int) x);
                case 32 -> out.buffer().putInt((int) x);
                default -> out.buffer().putLong(x);
            }
        }

        @Override
        Object read(ValueDecoder in) {
            ByteBuffer b = in.in();
            long x = switch (p) {
                case S8 -> b.get();
                case U8 -> b.get() & 0xff;
                case S16 -> b.getShort();
                case U16 -> b.getShort() & 0xffff;
                case S32 -> b.getInt();
                case U32 -> b.getInt() & 0xffff_ffffL;
                default -> b.getLong();
            };
            return fromSlot(x);
        }
    }

    static final class FloatCodec extends Codec {
        private final boolean f32;
        private final boolean javaFloat;

        FloatCodec(WitType.Primitive p, Class<?> raw) {
            super(p);
            this.f32 = p == WitType.Primitive.F32;
            this.javaFloat = raw == float.class || raw == Float.class;
        }

        @Override
        boolean isScalar() {
            return true;
        }

        @Override
        long toSlot(Object v) {
            if (v == null) {
                throw nullValue(wit);
            }
            return f32 ? Float.floatToRawIntBits(PlainJava.toFloat(v)) & 0xffff_ffffL
                    : Double.doubleToRawLongBits(PlainJava.toDouble(v));
        }

        @Override
        Object fromSlot(long slot) {
            if (f32) {
                float f = Float.intBitsToFloat((int) slot);
                return javaFloat ? (Object) f : (Object) (double) f;
            }
            return Double.longBitsToDouble(slot);
        }

        @Override
        void write(ValueEncoder out, Object v) {
            long slot = toSlot(v);
            if (f32) {
                out.buffer().putInt((int) slot);
            } else {
                out.buffer().putLong(slot);
            }
        }

        @Override
        Object read(ValueDecoder in) {
            return fromSlot(f32 ? in.in().getInt() : in.in().getLong());
        }
    }

    static final class CharCodec extends Codec {
        private final Class<?> raw;

        CharCodec(Class<?> raw) {
            super(WitType.Primitive.CHAR);
            this.raw = raw;
        }

        @Override
        boolean isScalar() {
            return true;
        }

        @Override
        long toSlot(Object v) {
            if (v == null) {
                throw nullValue(wit);
            }
            return PlainJava.codePoint(v);
        }

        @Override
        Object fromSlot(long slot) {
            int cp = (int) slot;
            if (raw == int.class || raw == Integer.class) {
                return cp;
            }
            if (raw == String.class) {
                return new String(Character.toChars(cp));
            }
            if (!Character.isBmpCodePoint(cp)) {
                throw new IllegalArgumentException(String.format(
                        "the char U+%04X is outside the Basic Multilingual Plane, so it does not fit a Java char; bind it as int or String", cp));
            }
            return (char) cp;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            out.buffer().putInt((int) toSlot(v));
        }

        @Override
        Object read(ValueDecoder in) {
            return fromSlot(in.in().getInt());
        }
    }

    static final class StringCodec extends Codec {
        StringCodec() {
            super(WitType.Primitive.STRING);
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (v instanceof CharSequence s) {
                out.putString(s.toString());
            } else {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
        }

        @Override
        Object read(ValueDecoder in) {
            return in.readString();
        }
    }

    static void checkSize(WitType wit, int size, int fixed) {
        if (fixed >= 0 && size != fixed) {
            throw new PlainJava.Mismatch("expected " + wit + " with exactly " + fixed + " elements, found " + size);
        }
    }

    static final class BytesCodec extends Codec {
        private final int size;

        BytesCodec(WitType wit, int size) {
            super(wit);
            this.size = size;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (!(v instanceof byte[] bytes)) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            checkSize(wit, bytes.length, size);
            if (size < 0) {
                out.buffer().putInt(bytes.length);
            }
            out.buffer().putBytes(bytes);
        }

        @Override
        Object read(ValueDecoder in) {
            int n = size < 0 ? in.in().getInt() : size;
            byte[] bytes = new byte[n];
            in.in().get(bytes);
            return bytes;
        }
    }

    static final class ListCodec extends Codec {
        private final Codec element;
        private final int size;

        ListCodec(WitType wit, Codec element, int size) {
            super(wit);
            this.element = element;
            this.size = size;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (!(v instanceof Collection<?> c)) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            checkSize(wit, c.size(), size);
            if (size < 0) {
                out.buffer().putInt(c.size());
            }
            int i = 0;
            for (Object e : c) {
                try {
                    element.write(out, e);
                } catch (PlainJava.Mismatch m) {
                    throw m.at("element " + i);
                }
                i++;
            }
        }

        @Override
        Object read(ValueDecoder in) {
            int n = size < 0 ? in.in().getInt() : size;
            Object[] out = new Object[n];
            for (int i = 0; i < n; i++) {
                out[i] = element.read(in);
            }
            return Collections.unmodifiableList(Arrays.asList(out));
        }
    }

    static final class ArrayCodec extends Codec {
        private final Codec element;
        private final int size;
        private final Class<?> component;

        ArrayCodec(WitType wit, Codec element, int size, Class<?> component) {
            super(wit);
            this.element = element;
            this.size = size;
            this.component = component;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (v == null || !component.isInstance(v) && v.getClass().getComponentType() != component) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            int n = Array.getLength(v);
            checkSize(wit, n, size);
            if (size < 0) {
                out.buffer().putInt(n);
            }
            for (int i = 0; i < n; i++) {
                try {
                    element.write(out, Array.get(v, i));
                } catch (PlainJava.Mismatch m) {
                    throw m.at("element " + i);
                }
            }
        }

        @Override
        Object read(ValueDecoder in) {
            int n = size < 0 ? in.in().getInt() : size;
            Object array = Array.newInstance(component, n);
            for (int i = 0; i < n; i++) {
                Array.set(array, i, element.read(in));
            }
            return array;
        }
    }

    static final class MapCodec extends Codec {
        private final Codec key;
        private final Codec value;

        MapCodec(WitType wit, Codec key, Codec value) {
            super(wit);
            this.key = key;
            this.value = value;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (!(v instanceof Map<?, ?> m)) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            out.buffer().putInt(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                try {
                    key.write(out, e.getKey());
                } catch (PlainJava.Mismatch x) {
                    throw x.at("map key");
                }
                try {
                    value.write(out, e.getValue());
                } catch (PlainJava.Mismatch x) {
                    throw x.at("map value for key " + e.getKey());
                }
            }
        }

        @Override
        Object read(ValueDecoder in) {
            int n = in.in().getInt();
            Map<Object, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                Object k = key.read(in);
                m.put(k, value.read(in));
            }
            return Collections.unmodifiableMap(m);
        }
    }

    /** A record (fields by name) or a tuple (elements by position) as a Java record. */
    static final class RecordCodec extends Codec {
        private final Class<?> raw;
        private final MethodHandle[] getters;
        private final MethodHandle constructor;
        private final int[] order;
        private final Codec[] codecs;
        private final int components;

        RecordCodec(WitType wit, Class<?> raw, RecordComponent[] comps, int[] order, Codec[] codecs) {
            super(wit);
            this.raw = raw;
            this.order = order;
            this.codecs = codecs;
            this.components = comps.length;
            this.getters = new MethodHandle[order.length];
            for (int i = 0; i < order.length; i++) {
                getters[i] = unreflect(comps[order[i]].getAccessor()).asType(MethodType.methodType(Object.class, Object.class));
            }
            Class<?>[] types = Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new);
            try {
                java.lang.reflect.Constructor<?> c = raw.getDeclaredConstructor(types);
                c.setAccessible(true);
                this.constructor = MethodHandles.lookup().unreflectConstructor(c)
                        .asSpreader(Object[].class, types.length)
                        .asType(MethodType.methodType(Object.class, Object[].class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException("cannot construct " + raw.getName() + ": " + e, e);
            }
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (!raw.isInstance(v)) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            for (int i = 0; i < getters.length; i++) {
                Object field;
                try {
                    field = (Object) getters[i].invokeExact(v);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                try {
                    codecs[i].write(out, field);
                } catch (PlainJava.Mismatch m) {
                    throw m.at(wit instanceof WitType.RecordType r ? "field `" + r.fields().get(i).name() + "`" : "element " + i);
                }
            }
        }

        @Override
        Object read(ValueDecoder in) {
            Object[] args = new Object[components];
            for (int i = 0; i < order.length; i++) {
                args[order[i]] = codecs[i].read(in);
            }
            try {
                return (Object) constructor.invokeExact(args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** A variant as a sealed interface of records, one per case. */
    static final class VariantCodec extends Codec {
        private final Class<?>[] byCase;
        private final Codec[] payloads;
        private final Map<Class<?>, Integer> caseOf = new HashMap<>();
        private final MethodHandle[] constructors;
        private final MethodHandle[] getters;

        VariantCodec(WitType.VariantType wit, Class<?>[] byCase, Codec[] payloads) {
            super(wit);
            this.byCase = byCase;
            this.payloads = payloads;
            this.constructors = new MethodHandle[byCase.length];
            this.getters = new MethodHandle[byCase.length];
            for (int i = 0; i < byCase.length; i++) {
                Class<?> c = byCase[i];
                caseOf.put(c, i);
                RecordComponent[] comps = c.getRecordComponents();
                try {
                    java.lang.reflect.Constructor<?> ctor = c.getDeclaredConstructor(
                            Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new));
                    ctor.setAccessible(true);
                    MethodHandle mh = MethodHandles.lookup().unreflectConstructor(ctor);
                    constructors[i] = mh.asType(comps.length == 0 ? MethodType.methodType(Object.class)
                            : MethodType.methodType(Object.class, Object.class));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot construct " + c.getName() + ": " + e, e);
                }
                if (comps.length == 1) {
                    getters[i] = unreflect(comps[0].getAccessor()).asType(MethodType.methodType(Object.class, Object.class));
                }
            }
        }

        @Override
        void write(ValueEncoder out, Object v) {
            Integer index = v == null ? null : caseOf.get(v.getClass());
            if (index == null) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            out.buffer().putInt(index);
            if (getters[index] != null) {
                Object payload;
                try {
                    payload = (Object) getters[index].invokeExact(v);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                try {
                    payloads[index].write(out, payload);
                } catch (PlainJava.Mismatch m) {
                    throw m.at("case `" + ((WitType.VariantType) wit).cases().get(index).name() + "`");
                }
            }
        }

        @Override
        Object read(ValueDecoder in) {
            int index = in.in().getInt();
            try {
                return getters[index] == null ? (Object) constructors[index].invokeExact()
                        : (Object) constructors[index].invokeExact(payloads[index].read(in));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public String toString() {
            return "variant of " + Arrays.toString(byCase);
        }
    }

    /** An enum, or a variant without payloads, as a Java enum. */
    static final class EnumCodec extends Codec {
        private final Class<?> raw;
        final int[] indexOfOrdinal;
        private final Object[] byIndex;

        EnumCodec(WitType wit, Class<?> raw, int[] indexOfOrdinal, Object[] byIndex) {
            super(wit);
            this.raw = raw;
            this.indexOfOrdinal = indexOfOrdinal;
            this.byIndex = byIndex;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (!raw.isInstance(v)) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            out.buffer().putInt(indexOfOrdinal[((Enum<?>) v).ordinal()]);
        }

        @Override
        Object read(ValueDecoder in) {
            return byIndex[in.in().getInt()];
        }
    }

    static final class OptionCodec extends Codec {
        private final Codec some;

        OptionCodec(WitType wit, Codec some) {
            super(wit);
            this.some = some;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (!(v instanceof Optional<?> o)) {
                throw new PlainJava.Mismatch("expected " + wit + " (a java.util.Optional), found " + PlainJava.describe(v));
            }
            if (o.isPresent()) {
                out.buffer().putByte(1);
                try {
                    some.write(out, o.get());
                } catch (PlainJava.Mismatch m) {
                    throw m.at("some");
                }
            } else {
                out.buffer().putByte(0);
            }
        }

        @Override
        Object read(ValueDecoder in) {
            return in.in().get() == 0 ? Optional.empty() : Optional.of(some.read(in));
        }
    }

    static final class ResultCodec extends Codec {
        private final Codec ok;
        private final Codec err;

        ResultCodec(WitType.ResultType wit, Codec ok, Codec err) {
            super(wit);
            this.ok = ok;
            this.err = err;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (!(v instanceof Result<?, ?> r)) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            writeSide(out, r.isOk(), r.value());
        }

        /** Writes ok or err with its payload (ignored when that side has no type). */
        void writeSide(ValueEncoder out, boolean isOk, Object payload) {
            out.buffer().putByte(isOk ? 0 : 1);
            Codec side = isOk ? ok : err;
            if (side != null) {
                try {
                    side.write(out, payload);
                } catch (PlainJava.Mismatch m) {
                    throw m.at(isOk ? "ok" : "err");
                }
            }
        }

        @Override
        Object read(ValueDecoder in) {
            boolean isOk = in.in().get() == 0;
            Codec side = isOk ? ok : err;
            Object payload = side == null ? null : side.read(in);
            return isOk ? Result.ok(payload) : Result.err(payload);
        }
    }

    static final class FlagsCodec extends Codec {
        private final Class<?> element;
        private final int[] indexOfOrdinal;
        private final Object[] byIndex;
        private final int words;

        @SuppressWarnings({"unchecked", "rawtypes"})
        FlagsCodec(WitType.FlagsType wit, Class<?> element, int[] indexOfOrdinal) {
            super(wit);
            this.element = element;
            this.indexOfOrdinal = indexOfOrdinal;
            this.byIndex = new Object[wit.names().size()];
            for (Object c : element.getEnumConstants()) {
                byIndex[indexOfOrdinal[((Enum<?>) c).ordinal()]] = c;
            }
            this.words = (wit.names().size() + 31) / 32;
        }

        @Override
        void write(ValueEncoder out, Object v) {
            if (!(v instanceof Collection<?> c)) {
                throw v == null ? nullValue(wit) : PlainJava.mismatch(wit, v);
            }
            int[] bits = new int[words];
            for (Object o : c) {
                if (!element.isInstance(o)) {
                    throw new PlainJava.Mismatch("expected flags of " + element.getName() + " in " + wit + ", found "
                            + PlainJava.describe(o));
                }
                int i = indexOfOrdinal[((Enum<?>) o).ordinal()];
                bits[i / 32] |= 1 << (i % 32);
            }
            for (int w : bits) {
                out.buffer().putInt(w);
            }
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object read(ValueDecoder in) {
            EnumSet set = EnumSet.noneOf((Class) element);
            for (int w = 0; w < words; w++) {
                int bits = in.in().getInt();
                for (int b = 0; b < 32; b++) {
                    int i = w * 32 + b;
                    if ((bits & (1 << b)) != 0 && i < byIndex.length) {
                        set.add(byIndex[i]);
                    }
                }
            }
            return set;
        }
    }
}
