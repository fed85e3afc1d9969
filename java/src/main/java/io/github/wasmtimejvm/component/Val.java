package io.github.wasmtimejvm.component;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A component-model value: one record per WIT value kind.
 *
 * <p>Values are immutable. Unsigned kinds hold their value in a wider Java type and reject
 * values out of range instead of wrapping; {@link U64} holds the raw 64 bits (use {@link
 * U64#toBigInteger()} or {@link Long#toUnsignedString(long)} to read it). Compound values copy the
 * collections they are given. {@code toString()} prints WAVE-like text for reading.
 *
 * <p>Build values with the static factories: {@code Val.u32(7)}, {@code Val.string("hi")},
 * {@code Val.list(Val.u8(1), Val.u8(2))}, {@code Val.record(Val.field("x", Val.s32(1)))},
 * {@code Val.some(v)}, {@code Val.ok(v)}, {@code Val.variant("circle", Val.f64(1.0))}.
 */
public sealed interface Val
        permits Val.Bool,
                Val.S8,
                Val.U8,
                Val.S16,
                Val.U16,
                Val.S32,
                Val.U32,
                Val.S64,
                Val.U64,
                Val.F32,
                Val.F64,
                Val.Char,
                Val.Str,
                Val.List,
                Val.FixedList,
                Val.Map,
                Val.Record,
                Val.Tuple,
                Val.Variant,
                Val.Enum,
                Val.Option,
                Val.Result,
                Val.Flags,
                Val.Own,
                Val.Borrow,
                Val.HostObject {

    /** The name of this value's kind as WIT spells it ({@code u32}, {@code list}, ...). */
    String kind();

    /** {@code bool}. */
    record Bool(boolean value) implements Val {
        @Override
        public String kind() {
            return "bool";
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** {@code s8}. */
    record S8(byte value) implements Val {
        @Override
        public String kind() {
            return "s8";
        }

        @Override
        public String toString() {
            return Byte.toString(value);
        }
    }

    /** {@code u8}: 0 to 255. */
    record U8(int value) implements Val {
        public U8 {
            if (value < 0 || value > 0xff) {
                throw new IllegalArgumentException(value + " is out of range for u8 (0 to 255)");
            }
        }

        @Override
        public String kind() {
            return "u8";
        }

        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    /** {@code s16}. */
    record S16(short value) implements Val {
        @Override
        public String kind() {
            return "s16";
        }

        @Override
        public String toString() {
            return Short.toString(value);
        }
    }

    /** {@code u16}: 0 to 65535. */
    record U16(int value) implements Val {
        public U16 {
            if (value < 0 || value > 0xffff) {
                throw new IllegalArgumentException(value + " is out of range for u16 (0 to 65535)");
            }
        }

        @Override
        public String kind() {
            return "u16";
        }

        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    /** {@code s32}. */
    record S32(int value) implements Val {
        @Override
        public String kind() {
            return "s32";
        }

        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    /** {@code u32}: 0 to 4294967295. */
    record U32(long value) implements Val {
        public U32 {
            if (value < 0 || value > 0xffff_ffffL) {
                throw new IllegalArgumentException(value + " is out of range for u32 (0 to 4294967295)");
            }
        }

        @Override
        public String kind() {
            return "u32";
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** {@code s64}. */
    record S64(long value) implements Val {
        @Override
        public String kind() {
            return "s64";
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** {@code u64}, as its raw 64 bits: a negative {@code bits} stands for a value of 2^63 or more. */
    record U64(long bits) implements Val {
        private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

        /** The value from a {@link BigInteger} in 0 to 2^64 - 1. */
        public static U64 of(BigInteger value) {
            if (value.signum() < 0 || value.compareTo(MAX) > 0) {
                throw new IllegalArgumentException(value + " is out of range for u64 (0 to " + MAX + ")");
            }
            return new U64(value.longValue());
        }

        /** The value as a non-negative {@link BigInteger}. */
        public BigInteger toBigInteger() {
            return PlainJava.unsignedBig(bits);
        }

        @Override
        public String kind() {
            return "u64";
        }

        @Override
        public String toString() {
            return Long.toUnsignedString(bits);
        }
    }

    /** {@code f32}; equality compares bit patterns, with every NaN equal to every NaN. */
    record F32(float value) implements Val {
        @Override
        public String kind() {
            return "f32";
        }

        @Override
        public String toString() {
            return Float.isNaN(value) ? "nan" : Float.isInfinite(value) ? (value > 0 ? "inf" : "-inf")
                    : Float.toString(value);
        }
    }

    /** {@code f64}; equality compares bit patterns, with every NaN equal to every NaN. */
    record F64(double value) implements Val {
        @Override
        public String kind() {
            return "f64";
        }

        @Override
        public String toString() {
            return Double.isNaN(value) ? "nan" : Double.isInfinite(value) ? (value > 0 ? "inf" : "-inf")
                    : Double.toString(value);
        }
    }

    /** {@code char}: a Unicode scalar value (a code point that is not a surrogate). */
    record Char(int codePoint) implements Val {
        public Char {
            if (!Character.isValidCodePoint(codePoint)
                    || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
                throw new IllegalArgumentException(
                        String.format("U+%04X is not a Unicode scalar value, so not a char", codePoint));
            }
        }

        @Override
        public String kind() {
            return "char";
        }

        @Override
        public String toString() {
            return "'" + new String(Character.toChars(codePoint)) + "'";
        }
    }

    /** {@code string}. */
    record Str(String value) implements Val {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "string";
        }

        @Override
        public String toString() {
            return quote(value);
        }
    }

    /** {@code list<T>}. */
    record List(java.util.List<Val> values) implements Val {
        public List {
            values = java.util.List.copyOf(values);
        }

        @Override
        public String kind() {
            return "list";
        }

        @Override
        public String toString() {
            return join("[", values, "]");
        }
    }

    /** {@code list<T, N>}: a list of fixed length. */
    record FixedList(java.util.List<Val> values) implements Val {
        public FixedList {
            values = java.util.List.copyOf(values);
        }

        @Override
        public String kind() {
            return "fixed-length list";
        }

        @Override
        public String toString() {
            return join("[", values, "]");
        }
    }

    /** One key-value pair of a {@link Map}. */
    record Entry(Val key, Val value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code map<K, V>}: pairs in order. */
    record Map(java.util.List<Entry> entries) implements Val {
        public Map {
            entries = java.util.List.copyOf(entries);
        }

        @Override
        public String kind() {
            return "map";
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < entries.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(entries.get(i).key()).append(": ")
                        .append(entries.get(i).value());
            }
            return sb.append('}').toString();
        }
    }

    /** One named field of a {@link Record}. */
    record Field(String name, Val value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code record}: fields in the order of the type. */
    record Record(java.util.List<Field> fields) implements Val {
        public Record {
            fields = java.util.List.copyOf(fields);
        }

        /** The value of the field called {@code name}, if present. */
        public Optional<Val> get(String name) {
            for (Field f : fields) {
                if (f.name().equals(name)) {
                    return Optional.of(f.value());
                }
            }
            return Optional.empty();
        }

        @Override
        public String kind() {
            return "record";
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < fields.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(fields.get(i).name()).append(": ")
                        .append(fields.get(i).value());
            }
            return sb.append('}').toString();
        }
    }

    /** {@code tuple<...>}. */
    record Tuple(java.util.List<Val> values) implements Val {
        public Tuple {
            values = java.util.List.copyOf(values);
        }

        @Override
        public String kind() {
            return "tuple";
        }

        @Override
        public String toString() {
            return join("(", values, ")");
        }
    }

    /** A {@code variant} case, with its payload when the case has one. */
    record Variant(String caseName, Optional<Val> payload) implements Val {
        public Variant {
            Objects.requireNonNull(caseName, "caseName");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public String kind() {
            return "variant";
        }

        @Override
        public String toString() {
            return payload.map(p -> caseName + "(" + p + ")").orElse(caseName);
        }
    }

    /** An {@code enum} case. */
    record Enum(String caseName) implements Val {
        public Enum {
            Objects.requireNonNull(caseName, "caseName");
        }

        @Override
        public String kind() {
            return "enum";
        }

        @Override
        public String toString() {
            return caseName;
        }
    }

    /** {@code option<T>}. */
    record Option(Optional<Val> value) implements Val {
        public Option {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "option";
        }

        @Override
        public String toString() {
            return value.map(v -> "some(" + v + ")").orElse("none");
        }
    }

    /** {@code result<T, E>}: {@code ok} tells which side, {@code value} its payload if it has one. */
    record Result(boolean isOk, Optional<Val> value) implements Val {
        public Result {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "result";
        }

        @Override
        public String toString() {
            String side = isOk ? "ok" : "err";
            return value.map(v -> side + "(" + v + ")").orElse(side);
        }
    }

    /** {@code flags}: the names of the flags that are set. */
    record Flags(Set<String> names) implements Val {
        public Flags {
            names = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
        }

        @Override
        public String kind() {
            return "flags";
        }

        @Override
        public String toString() {
            return "{" + String.join(", ", names) + "}";
        }
    }

    /** An owned resource handle ({@code own<T>}): passing it transfers ownership. */
    record Own(io.github.wasmtimejvm.component.Resource resource) implements Val {
        public Own {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public String kind() {
            return "own";
        }

        @Override
        public String toString() {
            return resource.toString();
        }
    }

    /** A borrowed resource handle ({@code borrow<T>}): the caller keeps ownership. */
    record Borrow(io.github.wasmtimejvm.component.Resource resource) implements Val {
        public Borrow {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public String kind() {
            return "borrow";
        }

        @Override
        public String toString() {
            return "borrow(" + resource + ")";
        }
    }

    /**
     * A host-defined resource ({@link HostResourceType}), in {@code own} or {@code borrow} position:
     * the host's own Java object standing for it.
     */
    record HostObject(Object value) implements Val {
        public HostObject {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "host resource";
        }

        @Override
        public String toString() {
            return "host(" + value + ")";
        }
    }

    // ---- factories ----

    /** A {@code bool}. */
    static Val bool(boolean v) {
        return new Bool(v);
    }

    /** An {@code s8}. */
    static Val s8(byte v) {
        return new S8(v);
    }

    /** A {@code u8}, 0 to 255. */
    static Val u8(int v) {
        return new U8(v);
    }

    /** An {@code s16}. */
    static Val s16(short v) {
        return new S16(v);
    }

    /** A {@code u16}, 0 to 65535. */
    static Val u16(int v) {
        return new U16(v);
    }

    /** An {@code s32}. */
    static Val s32(int v) {
        return new S32(v);
    }

    /** A {@code u32}, 0 to 2^32 - 1. */
    static Val u32(long v) {
        return new U32(v);
    }

    /** An {@code s64}. */
    static Val s64(long v) {
        return new S64(v);
    }

    /** A {@code u64} from its raw bits. */
    static Val u64Bits(long bits) {
        return new U64(bits);
    }

    /** A {@code u64}, 0 to 2^64 - 1. */
    static Val u64(BigInteger v) {
        return U64.of(v);
    }

    /** A non-negative {@code u64}. */
    static Val u64(long v) {
        if (v < 0) {
            throw new IllegalArgumentException(v + " is out of range for u64; use u64Bits or a BigInteger");
        }
        return new U64(v);
    }

    /** An {@code f32}. */
    static Val f32(float v) {
        return new F32(v);
    }

    /** An {@code f64}. */
    static Val f64(double v) {
        return new F64(v);
    }

    /** A {@code char} from a code point. */
    static Val chr(int codePoint) {
        return new Char(codePoint);
    }

    /** A {@code string}. */
    static Val string(String v) {
        return new Str(v);
    }

    /** A {@code list}. */
    static Val list(Val... values) {
        return new List(Arrays.asList(values));
    }

    /** A {@code list}. */
    static Val list(Collection<? extends Val> values) {
        return new List(java.util.List.copyOf(values));
    }

    /** A {@code list<u8>} of these bytes. */
    static Val bytes(byte[] bytes) {
        Val[] vals = new Val[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            vals[i] = new U8(bytes[i] & 0xff);
        }
        return new List(Arrays.asList(vals));
    }

    /** A fixed-length {@code list}. */
    static Val fixedList(Val... values) {
        return new FixedList(Arrays.asList(values));
    }

    /** A {@code map} entry. */
    static Entry entry(Val key, Val value) {
        return new Entry(key, value);
    }

    /** A {@code map}. */
    static Val map(Entry... entries) {
        return new Map(Arrays.asList(entries));
    }

    /** A record field. */
    static Field field(String name, Val value) {
        return new Field(name, value);
    }

    /** A {@code record}. */
    static Val record(Field... fields) {
        return new Record(Arrays.asList(fields));
    }

    /** A {@code tuple}. */
    static Val tuple(Val... values) {
        return new Tuple(Arrays.asList(values));
    }

    /** A {@code variant} case with a payload. */
    static Val variant(String caseName, Val payload) {
        return new Variant(caseName, Optional.of(payload));
    }

    /** A {@code variant} case without payload. */
    static Val variant(String caseName) {
        return new Variant(caseName, Optional.empty());
    }

    /** An {@code enum} case. */
    static Val enumCase(String caseName) {
        return new Enum(caseName);
    }

    /** {@code some(v)}. */
    static Val some(Val v) {
        return new Option(Optional.of(v));
    }

    /** {@code none}. */
    static Val none() {
        return new Option(Optional.empty());
    }

    /** {@code ok(v)}. */
    static Val ok(Val v) {
        return new Result(true, Optional.of(v));
    }

    /** {@code ok} without payload. */
    static Val ok() {
        return new Result(true, Optional.empty());
    }

    /** {@code err(v)}. */
    static Val err(Val v) {
        return new Result(false, Optional.of(v));
    }

    /** {@code err} without payload. */
    static Val err() {
        return new Result(false, Optional.empty());
    }

    /** {@code flags} with these set. */
    static Val flags(String... names) {
        return new Flags(new LinkedHashSet<>(Arrays.asList(names)));
    }

    private static String join(String open, java.util.List<Val> values, String close) {
        StringBuilder sb = new StringBuilder(open);
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(values.get(i));
        }
        return sb.append(close).toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (cp < 0x20) {
                        sb.append(String.format("\\u{%x}", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }
}
