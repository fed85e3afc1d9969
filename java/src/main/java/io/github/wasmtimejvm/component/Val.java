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

    /**
     * The name of this value's kind, as WIT spells it.
     *
     * @return {@code u32}, {@code string}, {@code list}, {@code record}, ... ({@code fixed-length
     *     list} and {@code host resource} for the two kinds WIT has no single word for)
     */
    String kind();

    /**
     * {@code bool}.
     *
     * @param value the boolean
     */
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

    /**
     * {@code s8}.
     *
     * @param value the signed 8-bit integer
     */
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

    /**
     * {@code u8}: 0 to 255.
     *
     * @param value the unsigned 8-bit integer, held in a wider {@code int}
     */
    record U8(int value) implements Val {
        /**
         * Checks the range.
         *
         * @param value the unsigned 8-bit integer
         * @throws IllegalArgumentException if {@code value} is below 0 or above 255
         */
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

    /**
     * {@code s16}.
     *
     * @param value the signed 16-bit integer
     */
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

    /**
     * {@code u16}: 0 to 65535.
     *
     * @param value the unsigned 16-bit integer, held in a wider {@code int}
     */
    record U16(int value) implements Val {
        /**
         * Checks the range.
         *
         * @param value the unsigned 16-bit integer
         * @throws IllegalArgumentException if {@code value} is below 0 or above 65535
         */
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

    /**
     * {@code s32}.
     *
     * @param value the signed 32-bit integer
     */
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

    /**
     * {@code u32}: 0 to 4294967295.
     *
     * @param value the unsigned 32-bit integer, held in a wider {@code long}
     */
    record U32(long value) implements Val {
        /**
         * Checks the range.
         *
         * @param value the unsigned 32-bit integer
         * @throws IllegalArgumentException if {@code value} is below 0 or above 4294967295
         */
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

    /**
     * {@code s64}.
     *
     * @param value the signed 64-bit integer
     */
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

    /**
     * {@code u64}, as its raw 64 bits: a negative {@code bits} stands for a value of 2^63 or more.
     *
     * @param bits the value's 64 bits, read as unsigned
     */
    record U64(long bits) implements Val {
        private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

        /**
         * The {@code u64} with the value of a {@link BigInteger}.
         *
         * @param value a number from 0 to 2^64 - 1
         * @return the value as raw bits
         * @throws IllegalArgumentException if {@code value} is negative or above 2^64 - 1
         */
        public static U64 of(BigInteger value) {
            if (value.signum() < 0 || value.compareTo(MAX) > 0) {
                throw new IllegalArgumentException(value + " is out of range for u64 (0 to " + MAX + ")");
            }
            return new U64(value.longValue());
        }

        /**
         * The value as a number.
         *
         * @return the non-negative {@link BigInteger} the bits stand for, 0 to 2^64 - 1
         */
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

    /**
     * {@code f32}; equality compares bit patterns, with every NaN equal to every NaN.
     *
     * @param value the 32-bit float
     */
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

    /**
     * {@code f64}; equality compares bit patterns, with every NaN equal to every NaN.
     *
     * @param value the 64-bit float
     */
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

    /**
     * {@code char}: a Unicode scalar value (a code point that is not a surrogate).
     *
     * @param codePoint the code point, 0 to 0x10FFFF outside 0xD800 to 0xDFFF
     */
    record Char(int codePoint) implements Val {
        /**
         * Checks that the code point is a Unicode scalar value.
         *
         * @param codePoint the code point
         * @throws IllegalArgumentException if it is out of the Unicode range or a surrogate
         */
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

    /**
     * {@code string}.
     *
     * @param value the text, never null
     */
    record Str(String value) implements Val {
        /**
         * Checks the text.
         *
         * @param value the text
         * @throws NullPointerException if {@code value} is null
         */
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

    /**
     * {@code list<T>}.
     *
     * @param values the elements, in order (an unmodifiable copy)
     */
    record List(java.util.List<Val> values) implements Val {
        /**
         * Copies the elements.
         *
         * @param values the elements
         * @throws NullPointerException if {@code values} or one of its elements is null
         */
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

    /**
     * {@code list<T, N>}: a list of fixed length.
     *
     * @param values the elements, in order (an unmodifiable copy); the type fixes how many
     */
    record FixedList(java.util.List<Val> values) implements Val {
        /**
         * Copies the elements.
         *
         * @param values the elements
         * @throws NullPointerException if {@code values} or one of its elements is null
         */
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

    /**
     * One key-value pair of a {@link Map}.
     *
     * @param key the key
     * @param value the value
     */
    record Entry(Val key, Val value) {
        /**
         * Checks the pair.
         *
         * @param key the key
         * @param value the value
         * @throws NullPointerException if either is null
         */
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code map<K, V>}: pairs in order.
     *
     * @param entries the key-value pairs, in order (an unmodifiable copy)
     */
    record Map(java.util.List<Entry> entries) implements Val {
        /**
         * Copies the pairs.
         *
         * @param entries the pairs
         * @throws NullPointerException if {@code entries} or one of its pairs is null
         */
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

    /**
     * One named field of a {@link Record}.
     *
     * @param name the field's name, as the WIT record type spells it
     * @param value the field's value
     */
    record Field(String name, Val value) {
        /**
         * Checks the field.
         *
         * @param name the field's name
         * @param value the field's value
         * @throws NullPointerException if either is null
         */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code record}: fields in the order of the type.
     *
     * @param fields the fields, in the order of the type (an unmodifiable copy)
     */
    record Record(java.util.List<Field> fields) implements Val {
        /**
         * Copies the fields.
         *
         * @param fields the fields
         * @throws NullPointerException if {@code fields} or one of its fields is null
         */
        public Record {
            fields = java.util.List.copyOf(fields);
        }

        /**
         * Looks a field up by name.
         *
         * @param name the field's name
         * @return the value of the first field called {@code name}, or empty if there is none
         */
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

    /**
     * {@code tuple<...>}.
     *
     * @param values the elements, in order (an unmodifiable copy)
     */
    record Tuple(java.util.List<Val> values) implements Val {
        /**
         * Copies the elements.
         *
         * @param values the elements
         * @throws NullPointerException if {@code values} or one of its elements is null
         */
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

    /**
     * A {@code variant} case, with its payload when the case has one.
     *
     * @param caseName the case's name, as the WIT type spells it
     * @param payload the case's payload, or empty for a case without one
     */
    record Variant(String caseName, Optional<Val> payload) implements Val {
        /**
         * Checks the case.
         *
         * @param caseName the case's name
         * @param payload the payload, or empty
         * @throws NullPointerException if either is null
         */
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

    /**
     * An {@code enum} case.
     *
     * @param caseName the case's name, as the WIT type spells it
     */
    record Enum(String caseName) implements Val {
        /**
         * Checks the case.
         *
         * @param caseName the case's name
         * @throws NullPointerException if {@code caseName} is null
         */
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

    /**
     * {@code option<T>}.
     *
     * @param value the value for {@code some}, or empty for {@code none}
     */
    record Option(Optional<Val> value) implements Val {
        /**
         * Checks the option.
         *
         * @param value the value, or empty
         * @throws NullPointerException if {@code value} is null
         */
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

    /**
     * {@code result<T, E>}: {@code isOk} tells which side, {@code value} its payload if it has one.
     *
     * @param isOk true for {@code ok}, false for {@code err}
     * @param value the side's payload, or empty when that side of the type has none
     */
    record Result(boolean isOk, Optional<Val> value) implements Val {
        /**
         * Checks the result.
         *
         * @param isOk which side
         * @param value the payload, or empty
         * @throws NullPointerException if {@code value} is null
         */
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

    /**
     * {@code flags}: the names of the flags that are set.
     *
     * @param names the names of the set flags, in the order given (an unmodifiable copy)
     */
    record Flags(Set<String> names) implements Val {
        /**
         * Copies the names.
         *
         * @param names the names of the set flags
         * @throws NullPointerException if {@code names} is null
         */
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

    /**
     * An owned resource handle ({@code own<T>}): passing it transfers ownership.
     *
     * @param resource the handle
     */
    record Own(io.github.wasmtimejvm.component.Resource resource) implements Val {
        /**
         * Checks the handle.
         *
         * @param resource the handle
         * @throws NullPointerException if {@code resource} is null
         */
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

    /**
     * A borrowed resource handle ({@code borrow<T>}): the caller keeps ownership.
     *
     * @param resource the handle lent for the call
     */
    record Borrow(io.github.wasmtimejvm.component.Resource resource) implements Val {
        /**
         * Checks the handle.
         *
         * @param resource the handle
         * @throws NullPointerException if {@code resource} is null
         */
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
     *
     * @param value the host's object
     */
    record HostObject(Object value) implements Val {
        /**
         * Checks the object.
         *
         * @param value the host's object
         * @throws NullPointerException if {@code value} is null
         */
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

    /**
     * A {@code bool}.
     *
     * @param v the boolean
     * @return a {@link Bool}
     */
    static Val bool(boolean v) {
        return new Bool(v);
    }

    /**
     * An {@code s8}.
     *
     * @param v the signed 8-bit integer
     * @return a {@link S8}
     */
    static Val s8(byte v) {
        return new S8(v);
    }

    /**
     * A {@code u8}.
     *
     * @param v 0 to 255
     * @return a {@link U8}
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    static Val u8(int v) {
        return new U8(v);
    }

    /**
     * An {@code s16}.
     *
     * @param v the signed 16-bit integer
     * @return a {@link S16}
     */
    static Val s16(short v) {
        return new S16(v);
    }

    /**
     * A {@code u16}.
     *
     * @param v 0 to 65535
     * @return a {@link U16}
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    static Val u16(int v) {
        return new U16(v);
    }

    /**
     * An {@code s32}.
     *
     * @param v the signed 32-bit integer
     * @return a {@link S32}
     */
    static Val s32(int v) {
        return new S32(v);
    }

    /**
     * A {@code u32}.
     *
     * @param v 0 to 2^32 - 1
     * @return a {@link U32}
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    static Val u32(long v) {
        return new U32(v);
    }

    /**
     * An {@code s64}.
     *
     * @param v the signed 64-bit integer
     * @return a {@link S64}
     */
    static Val s64(long v) {
        return new S64(v);
    }

    /**
     * A {@code u64} from its raw bits, so every {@code long} is accepted.
     *
     * @param bits the 64 bits, read as unsigned (-1 is 2^64 - 1)
     * @return a {@link U64}
     */
    static Val u64Bits(long bits) {
        return new U64(bits);
    }

    /**
     * A {@code u64} from a number.
     *
     * @param v 0 to 2^64 - 1
     * @return a {@link U64}
     * @throws IllegalArgumentException if {@code v} is out of range
     */
    static Val u64(BigInteger v) {
        return U64.of(v);
    }

    /**
     * A {@code u64} from a non-negative {@code long}; use {@link #u64Bits(long)} or {@link #u64(BigInteger)} for values of 2^63 or more.
     *
     * @param v 0 to {@link Long#MAX_VALUE}
     * @return a {@link U64}
     * @throws IllegalArgumentException if {@code v} is negative
     */
    static Val u64(long v) {
        if (v < 0) {
            throw new IllegalArgumentException(v + " is out of range for u64; use u64Bits or a BigInteger");
        }
        return new U64(v);
    }

    /**
     * An {@code f32}.
     *
     * @param v the float, NaN and infinities included
     * @return a {@link F32}
     */
    static Val f32(float v) {
        return new F32(v);
    }

    /**
     * An {@code f64}.
     *
     * @param v the double, NaN and infinities included
     * @return a {@link F64}
     */
    static Val f64(double v) {
        return new F64(v);
    }

    /**
     * A {@code char} from a code point.
     *
     * @param codePoint a Unicode scalar value (not a surrogate)
     * @return a {@link Char}
     * @throws IllegalArgumentException if {@code codePoint} is not a Unicode scalar value
     */
    static Val chr(int codePoint) {
        return new Char(codePoint);
    }

    /**
     * A {@code string}.
     *
     * @param v the text
     * @return a {@link Str}
     * @throws NullPointerException if {@code v} is null
     */
    static Val string(String v) {
        return new Str(v);
    }

    /**
     * A {@code list} of these elements.
     *
     * @param values the elements, in order
     * @return a {@link List}
     * @throws NullPointerException if an element is null
     */
    static Val list(Val... values) {
        return new List(Arrays.asList(values));
    }

    /**
     * A {@code list} of a collection's elements, in its iteration order.
     *
     * @param values the elements
     * @return a {@link List} holding a copy
     * @throws NullPointerException if an element is null
     */
    static Val list(Collection<? extends Val> values) {
        return new List(java.util.List.copyOf(values));
    }

    /**
     * A {@code list<u8>} of these bytes, each read as unsigned.
     *
     * @param bytes the bytes (copied)
     * @return a {@link List} of {@link U8}
     */
    static Val bytes(byte[] bytes) {
        Val[] vals = new Val[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            vals[i] = new U8(bytes[i] & 0xff);
        }
        return new List(Arrays.asList(vals));
    }

    /**
     * A fixed-length {@code list} of these elements.
     *
     * @param values the elements, as many as the type fixes
     * @return a {@link FixedList}
     * @throws NullPointerException if an element is null
     */
    static Val fixedList(Val... values) {
        return new FixedList(Arrays.asList(values));
    }

    /**
     * A {@code map} entry, for {@link #map(Entry...)}.
     *
     * @param key the key
     * @param value the value
     * @return the pair
     * @throws NullPointerException if either is null
     */
    static Entry entry(Val key, Val value) {
        return new Entry(key, value);
    }

    /**
     * A {@code map} of these pairs, in order.
     *
     * @param entries the pairs (see {@link #entry(Val, Val)})
     * @return a {@link Map}
     */
    static Val map(Entry... entries) {
        return new Map(Arrays.asList(entries));
    }

    /**
     * A record field, for {@link #record(Field...)}.
     *
     * @param name the field's name
     * @param value the field's value
     * @return the field
     * @throws NullPointerException if either is null
     */
    static Field field(String name, Val value) {
        return new Field(name, value);
    }

    /**
     * A {@code record} of these fields.
     *
     * @param fields the fields, in the order of the type (see {@link #field(String, Val)})
     * @return a {@link Record}
     */
    static Val record(Field... fields) {
        return new Record(Arrays.asList(fields));
    }

    /**
     * A {@code tuple} of these elements.
     *
     * @param values the elements, in order
     * @return a {@link Tuple}
     */
    static Val tuple(Val... values) {
        return new Tuple(Arrays.asList(values));
    }

    /**
     * A {@code variant} case with a payload.
     *
     * @param caseName the case's name
     * @param payload the case's payload
     * @return a {@link Variant}
     * @throws NullPointerException if {@code payload} or {@code caseName} is null
     */
    static Val variant(String caseName, Val payload) {
        return new Variant(caseName, Optional.of(payload));
    }

    /**
     * A {@code variant} case without payload.
     *
     * @param caseName the case's name
     * @return a {@link Variant}
     */
    static Val variant(String caseName) {
        return new Variant(caseName, Optional.empty());
    }

    /**
     * An {@code enum} case.
     *
     * @param caseName the case's name
     * @return a {@link Enum}
     */
    static Val enumCase(String caseName) {
        return new Enum(caseName);
    }

    /**
     * {@code some(v)}.
     *
     * @param v the value inside
     * @return a {@link Option} holding {@code v}
     * @throws NullPointerException if {@code v} is null
     */
    static Val some(Val v) {
        return new Option(Optional.of(v));
    }

    /**
     * {@code none}.
     *
     * @return an empty {@link Option}
     */
    static Val none() {
        return new Option(Optional.empty());
    }

    /**
     * {@code ok(v)}.
     *
     * @param v the ok payload
     * @return an ok {@link Result} holding {@code v}
     * @throws NullPointerException if {@code v} is null
     */
    static Val ok(Val v) {
        return new Result(true, Optional.of(v));
    }

    /**
     * {@code ok} without payload, for a {@code result} whose ok side has no type.
     *
     * @return an ok {@link Result} with no payload
     */
    static Val ok() {
        return new Result(true, Optional.empty());
    }

    /**
     * {@code err(v)}.
     *
     * @param v the error payload
     * @return an err {@link Result} holding {@code v}
     * @throws NullPointerException if {@code v} is null
     */
    static Val err(Val v) {
        return new Result(false, Optional.of(v));
    }

    /**
     * {@code err} without payload, for a {@code result} whose err side has no type.
     *
     * @return an err {@link Result} with no payload
     */
    static Val err() {
        return new Result(false, Optional.empty());
    }

    /**
     * {@code flags} with these set (duplicates dropped).
     *
     * @param names the names of the flags to set
     * @return a {@link Flags}
     */
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
