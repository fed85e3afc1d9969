package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every export of echo.wat round-trips its argument, through {@link Func#callValues} (the exact
 * value model) and through {@link Func#call} / {@link Func#callAs} (the plain-Java mapping).
 */
class ValueRoundTripTest {

    private static final BigInteger TWO_64_MINUS_1 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    record Person(String firstName, short age, List<String> tags) {}

    record Point(int x, int y) {}

    enum Color { RED, GREEN, BLUE }

    enum Perm { READ, WRITE, EXEC }

    /** The payload-free cases of {@code shape}, for callAs. */
    enum ShapeTag { CIRCLE, RECT, NONE_SHAPE }

    private static EchoFixture fx;

    @BeforeAll
    static void open() {
        fx = EchoFixture.open();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    /** callValues with one argument, asserting exactly one result, which is returned. */
    private static Val echoVal(String func, Val v) {
        List<Val> out = fx.func(func).callValues(v);
        assertEquals(1, out.size(), func + " returns one result");
        return out.get(0);
    }

    private static void assertValRoundTrip(String func, Val v) {
        assertEquals(v, echoVal(func, v), func);
    }

    private static Object echo(String func, Object v) {
        return fx.func(func).call(v);
    }

    // ---------------------------------------------------------------- bool and integers

    static Stream<Arguments> integerVals() {
        return Stream.of(
                Arguments.of("echo-bool", Val.bool(true)),
                Arguments.of("echo-bool", Val.bool(false)),
                Arguments.of("echo-s8", Val.s8(Byte.MIN_VALUE)),
                Arguments.of("echo-s8", Val.s8(Byte.MAX_VALUE)),
                Arguments.of("echo-s8", Val.s8((byte) -1)),
                Arguments.of("echo-u8", Val.u8(0)),
                Arguments.of("echo-u8", Val.u8(255)),
                Arguments.of("echo-u8", Val.u8(128)),
                Arguments.of("echo-s16", Val.s16(Short.MIN_VALUE)),
                Arguments.of("echo-s16", Val.s16(Short.MAX_VALUE)),
                Arguments.of("echo-u16", Val.u16(65535)),
                Arguments.of("echo-u16", Val.u16(32768)),
                Arguments.of("echo-s32", Val.s32(Integer.MIN_VALUE)),
                Arguments.of("echo-s32", Val.s32(Integer.MAX_VALUE)),
                Arguments.of("echo-u32", Val.u32(0)),
                Arguments.of("echo-u32", Val.u32(4294967295L)),
                Arguments.of("echo-u32", Val.u32(2147483648L)),
                Arguments.of("echo-s64", Val.s64(Long.MIN_VALUE)),
                Arguments.of("echo-s64", Val.s64(Long.MAX_VALUE)),
                Arguments.of("echo-s64", Val.s64(-1L)),
                Arguments.of("echo-u64", Val.u64Bits(-1L)),
                Arguments.of("echo-u64", Val.u64Bits(Long.MIN_VALUE)),
                Arguments.of("echo-u64", Val.u64(0L)),
                Arguments.of("echo-u64", Val.u64(TWO_64_MINUS_1)));
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("integerVals")
    void integersRoundTripAsVals(String func, Val v) {
        assertValRoundTrip(func, v);
    }

    @Test
    void u64MaxComesBackAsAllOnesBitsAndAsTwoToThe64MinusOne() {
        Val out = echoVal("echo-u64", Val.u64Bits(-1L));
        Val.U64 u = assertInstanceOf(Val.U64.class, out);
        assertEquals(-1L, u.bits());
        assertEquals(TWO_64_MINUS_1, u.toBigInteger());
        assertEquals("18446744073709551615", u.toString());
    }

    static Stream<Arguments> plainIntegers() {
        return Stream.of(
                // func, argument, expected result (exact class matters)
                Arguments.of("echo-bool", true, Boolean.TRUE),
                Arguments.of("echo-bool", false, Boolean.FALSE),
                Arguments.of("echo-s8", (byte) -128, (byte) -128),
                Arguments.of("echo-s8", -128, (byte) -128),
                Arguments.of("echo-s8", 127L, (byte) 127),
                Arguments.of("echo-u8", 255, (short) 255),
                Arguments.of("echo-u8", (short) 0, (short) 0),
                Arguments.of("echo-u8", BigInteger.valueOf(200), (short) 200),
                Arguments.of("echo-s16", Short.MIN_VALUE, Short.MIN_VALUE),
                Arguments.of("echo-s16", 32767, (short) 32767),
                Arguments.of("echo-u16", 65535, 65535),
                Arguments.of("echo-u16", 65535L, 65535),
                Arguments.of("echo-s32", Integer.MIN_VALUE, Integer.MIN_VALUE),
                Arguments.of("echo-s32", (long) Integer.MAX_VALUE, Integer.MAX_VALUE),
                Arguments.of("echo-u32", 4294967295L, 4294967295L),
                Arguments.of("echo-u32", Integer.MAX_VALUE, 2147483647L),
                Arguments.of("echo-u32", BigInteger.valueOf(4294967295L), 4294967295L),
                Arguments.of("echo-s64", Long.MIN_VALUE, Long.MIN_VALUE),
                Arguments.of("echo-s64", Long.MAX_VALUE, Long.MAX_VALUE),
                Arguments.of("echo-s64", BigInteger.valueOf(Long.MIN_VALUE), Long.MIN_VALUE),
                Arguments.of("echo-u64", TWO_64_MINUS_1, TWO_64_MINUS_1),
                Arguments.of("echo-u64", BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(63)),
                Arguments.of("echo-u64", Long.MAX_VALUE, BigInteger.valueOf(Long.MAX_VALUE)),
                Arguments.of("echo-u64", 0, BigInteger.ZERO),
                Arguments.of("echo-u64", Val.u64Bits(-1L), TWO_64_MINUS_1));
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("plainIntegers")
    void integersRoundTripAsPlainJava(String func, Object arg, Object expected) {
        Object out = echo(func, arg);
        assertEquals(expected, out);
        assertEquals(expected.getClass(), out.getClass(), "result class of " + func);
    }

    @Test
    void callAsConvertsNumbersThatFit() {
        assertEquals(Long.valueOf(255), fx.func("echo-u8").callAs(Long.class, 255));
        assertEquals(Integer.valueOf(7), fx.func("echo-u32").callAs(Integer.class, 7));
        assertEquals(Long.valueOf(Long.MAX_VALUE), fx.func("echo-u64").callAs(Long.class, Long.MAX_VALUE));
        // 2^64 - 1 does not fit a long: no silent wrap to -1.
        assertThrows(ArithmeticException.class, () -> fx.func("echo-u64").callAs(Long.class, TWO_64_MINUS_1));
    }

    @Test
    void callAsConvertsFloatsAndBigNumbersOnlyWhenExact() {
        Func f64 = fx.func("echo-f64");
        assertEquals(Integer.valueOf(3), f64.callAs(Integer.class, 3.0));
        assertEquals(Long.valueOf(-4), f64.callAs(Long.class, -4.0));
        assertEquals(Float.valueOf(0.5f), f64.callAs(Float.class, 0.5));
        assertEquals(Float.valueOf(Float.NEGATIVE_INFINITY), f64.callAs(Float.class, Double.NEGATIVE_INFINITY));
        assertTrue(f64.callAs(Float.class, Double.NaN).isNaN());
        assertEquals(BigInteger.ONE.shiftLeft(70), f64.callAs(BigInteger.class, 0x1p70));
        assertEquals(Double.valueOf(0x1p53), fx.func("echo-u64").callAs(Double.class, 1L << 53));
        assertEquals(Short.valueOf((short) 255), fx.func("echo-f32").callAs(Short.class, 255f));

        // Not exact: refused like an integer that does not fit, never rounded or truncated.
        assertThrows(ArithmeticException.class, () -> f64.callAs(Integer.class, 1.5));
        assertThrows(ArithmeticException.class, () -> f64.callAs(Long.class, 1e300));
        assertThrows(ArithmeticException.class, () -> f64.callAs(Long.class, Double.NaN));
        assertThrows(ArithmeticException.class, () -> f64.callAs(BigInteger.class, Double.POSITIVE_INFINITY));
        assertThrows(ArithmeticException.class, () -> f64.callAs(Float.class, 0.1));
        assertThrows(ArithmeticException.class, () -> f64.callAs(Byte.class, 128.0));
        assertThrows(ArithmeticException.class, () -> fx.func("echo-u64").callAs(Double.class, TWO_64_MINUS_1));
        assertThrows(ArithmeticException.class, () -> fx.func("echo-s64").callAs(Double.class, Long.MAX_VALUE));
        assertThrows(ArithmeticException.class, () -> fx.func("echo-u32").callAs(Float.class, 16777217));
    }

    @Test
    void callAsRefusesAResultTypeTheValueCannotBecome() {
        // The function runs, but its result cannot be a Boolean / Color / List: callAs must say so
        // rather than hand back a Long, Map or Variant typed as something else.
        String m = assertThrows(IllegalArgumentException.class,
                () -> fx.func("echo-u32").callAs(Boolean.class, 1)).getMessage();
        assertTrue(m.contains("java.lang.Boolean"), m);
        assertThrows(IllegalArgumentException.class, () -> fx.func("echo-record").callAs(Color.class, new Point(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> fx.func("echo-string").callAs(List.class, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> fx.func("echo-variant").callAs(ShapeTag.class, Variant.of("circle", 1.0)));
        assertThrows(IllegalArgumentException.class, () -> fx.func("echo-enum").callAs(Integer.class, "red"));
        // Assigning to Object must not smuggle a wrong type through either.
        assertThrows(IllegalArgumentException.class, () -> {
            Object o = fx.func("echo-list-u32").callAs(Map.class, List.of(1));
            assertNull(o, "not reached");
        });
        // Primitive classes are their boxes.
        assertEquals(Integer.valueOf(5), fx.func("echo-s32").callAs(int.class, 5));
        assertEquals(Boolean.TRUE, fx.func("echo-bool").callAs(boolean.class, true));
    }

    // ---------------------------------------------------------------- floats

    static IntStream f32Bits() {
        return IntStream.of(
                0x7fc00000, // canonical quiet NaN
                0x7fc12345, // quiet NaN with payload
                0xffc00001, // negative quiet NaN with payload
                0x7f800001, // signalling NaN
                0xff812345, // negative signalling NaN with payload
                0x80000000, // -0.0
                0x00000000, // +0.0
                0x7f800000, // +inf
                0xff800000, // -inf
                0x00000001, // smallest subnormal
                0x7f7fffff, // max
                0x3fc00000); // 1.5
    }

    static Stream<Long> f64Bits() {
        return Stream.of(
                0x7ff8000000000000L, // canonical quiet NaN
                0x7ff8000000012345L, // quiet NaN with payload
                0xfff8000000000001L, // negative quiet NaN with payload
                0x7ff0000000000001L, // signalling NaN
                0xfff0dead0000beefL, // negative signalling NaN with payload
                0x8000000000000000L, // -0.0
                0x0000000000000000L, // +0.0
                0x7ff0000000000000L, // +inf
                0xfff0000000000000L, // -inf
                0x0000000000000001L, // smallest subnormal
                0x7fefffffffffffffL, // max
                0xbff8000000000000L); // -1.5
    }

    @ParameterizedTest(name = "f32 bits {0}")
    @MethodSource("f32Bits")
    void f32KeepsEveryBitAsVal(int bits) {
        Val out = echoVal("echo-f32", Val.f32(Float.intBitsToFloat(bits)));
        float f = assertInstanceOf(Val.F32.class, out).value();
        assertEquals(bits, Float.floatToRawIntBits(f), () -> Integer.toHexString(Float.floatToRawIntBits(f)));
    }

    @ParameterizedTest(name = "f32 bits {0}")
    @MethodSource("f32Bits")
    void f32KeepsEveryBitAsPlainFloat(int bits) {
        Object out = echo("echo-f32", Float.intBitsToFloat(bits));
        Float f = assertInstanceOf(Float.class, out);
        assertEquals(bits, Float.floatToRawIntBits(f), () -> Integer.toHexString(Float.floatToRawIntBits(f)));
    }

    @ParameterizedTest(name = "f64 bits {0}")
    @MethodSource("f64Bits")
    void f64KeepsEveryBitAsVal(long bits) {
        Val out = echoVal("echo-f64", Val.f64(Double.longBitsToDouble(bits)));
        double d = assertInstanceOf(Val.F64.class, out).value();
        assertEquals(bits, Double.doubleToRawLongBits(d), () -> Long.toHexString(Double.doubleToRawLongBits(d)));
    }

    @ParameterizedTest(name = "f64 bits {0}")
    @MethodSource("f64Bits")
    void f64KeepsEveryBitAsPlainDouble(long bits) {
        Object out = echo("echo-f64", Double.longBitsToDouble(bits));
        Double d = assertInstanceOf(Double.class, out);
        assertEquals(bits, Double.doubleToRawLongBits(d), () -> Long.toHexString(Double.doubleToRawLongBits(d)));
    }

    @Test
    void exactWideningAndNarrowingOfFloats() {
        // A Double that is exactly an f32 is narrowed; an exact integer is accepted.
        assertEquals(Float.valueOf(0.5f), echo("echo-f32", 0.5d));
        assertEquals(Float.valueOf(16777216f), echo("echo-f32", 16777216));
        assertEquals(Float.valueOf(Float.NEGATIVE_INFINITY), echo("echo-f32", Double.NEGATIVE_INFINITY));
        // A Float widens to f64 exactly.
        assertEquals(Double.valueOf(0.1f), echo("echo-f64", 0.1f));
        assertEquals(Double.valueOf(9007199254740992d), echo("echo-f64", 9007199254740992L));
        assertEquals(Double.valueOf(-0.0d), echo("echo-f64", -0.0f));
    }

    // ---------------------------------------------------------------- char and string

    static IntStream codePoints() {
        return IntStream.of('a', 0, 'é', 0x1F30D /* 🌍 */, 0xFFFF, 0xD7FF, 0xE000, 0x10FFFF);
    }

    @ParameterizedTest(name = "U+{0}")
    @MethodSource("codePoints")
    void charRoundTrips(int cp) {
        assertValRoundTrip("echo-char", Val.chr(cp));
        String expected = new String(Character.toChars(cp));
        assertEquals(expected, echo("echo-char", cp), "as Integer code point");
        assertEquals(expected, echo("echo-char", expected), "as one-code-point String");
        if (Character.isBmpCodePoint(cp)) {
            assertEquals(expected, echo("echo-char", (char) cp), "as Character");
        }
    }

    @Test
    void charCallAsCodePointOrCharacter() {
        assertEquals(Integer.valueOf(0x10FFFF), fx.func("echo-char").callAs(Integer.class, 0x10FFFF));
        assertEquals(Character.valueOf('é'), fx.func("echo-char").callAs(Character.class, 'é'));
    }

    static Stream<String> strings() {
        return Stream.of("", "a", "héllo 🌍", "a\u0000b", "\u0000", "quote \" backslash \\ newline \n tab \t",
                "日本語テキスト", "🌍🌎🌏", "x".repeat(100_000));
    }

    @ParameterizedTest
    @MethodSource("strings")
    void stringRoundTrips(String s) {
        assertValRoundTrip("echo-string", Val.string(s));
        Object out = echo("echo-string", s);
        assertEquals(s, out);
        assertEquals(String.class, out.getClass());
        // Any CharSequence is accepted.
        assertEquals(s, echo("echo-string", new StringBuilder(s)));
    }

    // ---------------------------------------------------------------- lists

    @Test
    void listU8AsVals() {
        assertValRoundTrip("echo-list-u8", Val.list());
        assertValRoundTrip("echo-list-u8", Val.list(Val.u8(0), Val.u8(127), Val.u8(128), Val.u8(255)));
        byte[] bytes = randomBytes(64 * 1024, 1);
        Val out = echoVal("echo-list-u8", Val.bytes(bytes));
        assertEquals(Val.bytes(bytes), out);
        assertEquals(bytes.length, assertInstanceOf(Val.List.class, out).values().size());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 255, 4096, 1 << 20})
    void listU8AsByteArray(int size) {
        byte[] bytes = randomBytes(size, size);
        Object out = echo("echo-list-u8", bytes);
        assertArrayEquals(bytes, assertInstanceOf(byte[].class, out));
    }

    @Test
    void listU8FromJavaListComesBackAsByteArray() {
        Object out = echo("echo-list-u8", List.of(0, 1, 254, 255));
        assertArrayEquals(new byte[] {0, 1, (byte) 254, (byte) 255}, assertInstanceOf(byte[].class, out));
    }

    @Test
    void listU32() {
        assertValRoundTrip("echo-list-u32", Val.list());
        assertValRoundTrip("echo-list-u32", Val.list(Val.u32(0), Val.u32(4294967295L), Val.u32(42)));
        assertEquals(List.of(), echo("echo-list-u32", List.of()));
        assertEquals(List.of(0L, 4294967295L, 42L), echo("echo-list-u32", List.of(0, 4294967295L, 42)));
        // Arrays and other collections are accepted too.
        assertEquals(List.of(1L, 2L, 3L), echo("echo-list-u32", new int[] {1, 2, 3}));
        assertEquals(List.of(5L, 6L), echo("echo-list-u32", new LinkedHashSet<>(List.of(5, 6))));
    }

    @Test
    void plainListResultIsUnmodifiable() {
        List<?> out = (List<?>) echo("echo-list-u32", List.of(1));
        assertThrows(UnsupportedOperationException.class, () -> out.remove(0));
    }

    @Test
    void listString() {
        assertValRoundTrip("echo-list-string", Val.list());
        assertValRoundTrip("echo-list-string",
                Val.list(Val.string(""), Val.string("a"), Val.string("héllo 🌍"), Val.string("\u0000")));
        List<String> strings = List.of("", "one", "two 🌍", "");
        assertEquals(strings, echo("echo-list-string", strings));
        assertEquals(List.of("x", "y"), echo("echo-list-string", new String[] {"x", "y"}));
    }

    @Test
    void listOfLists() {
        assertValRoundTrip("echo-list-list", Val.list());
        assertValRoundTrip("echo-list-list", Val.list(Val.list()));
        assertValRoundTrip("echo-list-list", Val.list(
                Val.list(),
                Val.list(Val.u32(1)),
                Val.list(Val.u32(2), Val.u32(4294967295L)),
                Val.list()));
        assertEquals(List.of(List.of(), List.of(1L), List.of(2L, 4294967295L)),
                echo("echo-list-list", List.of(List.of(), List.of(1), List.of(2, 4294967295L))));
    }

    @Test
    void fixedListOfFour() {
        Val four = Val.fixedList(Val.u32(1), Val.u32(0), Val.u32(4294967295L), Val.u32(7));
        assertValRoundTrip("echo-fixed-list", four);
        // A plain Val.List of the right length is accepted and comes back as a FixedList.
        Val out = echoVal("echo-fixed-list", Val.list(Val.u32(9), Val.u32(8), Val.u32(7), Val.u32(6)));
        assertEquals(Val.fixedList(Val.u32(9), Val.u32(8), Val.u32(7), Val.u32(6)), out);
        assertEquals(List.of(1L, 2L, 3L, 4294967295L), echo("echo-fixed-list", List.of(1, 2, 3, 4294967295L)));
        assertEquals(List.of(4L, 3L, 2L, 1L), echo("echo-fixed-list", new long[] {4, 3, 2, 1}));
    }

    @Test
    void listOfRecords() {
        assertValRoundTrip("echo-list-record", Val.list());
        Val points = Val.list(
                Val.record(Val.field("x", Val.s32(1)), Val.field("y", Val.s32(2))),
                Val.record(Val.field("x", Val.s32(Integer.MIN_VALUE)), Val.field("y", Val.s32(Integer.MAX_VALUE))));
        assertValRoundTrip("echo-list-record", points);
        assertEquals(List.of(Map.of("x", 1, "y", 2), Map.of("x", -3, "y", 4)),
                echo("echo-list-record", List.of(new Point(1, 2), Map.of("x", -3, "y", 4))));
    }

    @Test
    void recordsAsListsOfFieldValuesInOrder() {
        assertEquals(List.of(Map.of("x", 1, "y", 2), Map.of("x", -3, "y", 4)),
                echo("echo-list-record", List.of(List.of(1, 2), List.of(-3, 4))));
        assertEquals(Map.of("first-name", "Ada", "age", (short) 36, "tags", List.of("math")),
                echo("echo-person", List.of("Ada", 36, List.of("math"))));
    }

    /**
     * One function called again and again with values of other lengths and contents: the native
     * side reads each call's arguments into the last call's (longer and shorter lists, strings,
     * empty ones), and every answer is the call's own.
     */
    @Test
    void repeatedCallsWithChangingValuesEachAnswerTheirOwn() {
        java.util.Random random = new java.util.Random(42);
        for (int call = 0; call < 200; call++) {
            int n = random.nextInt(3) == 0 ? 0 : random.nextInt(300);
            List<Object> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                points.add(Map.of("x", random.nextInt(), "y", call));
            }
            assertEquals(points, echo("echo-list-record", points));
            int tags = random.nextInt(4);
            List<String> tagList = new ArrayList<>();
            for (int i = 0; i < tags; i++) {
                tagList.add("t".repeat(random.nextInt(40)) + call);
            }
            String name = "n".repeat(random.nextInt(100));
            assertEquals(Map.of("first-name", name, "age", (short) (call % 256), "tags", tagList),
                    echo("echo-person", Map.of("first-name", name, "age", call % 256, "tags", tagList)));
            List<Object> lists = new ArrayList<>();
            for (int i = 0; i < random.nextInt(5); i++) {
                lists.add(java.util.stream.LongStream.range(0, random.nextInt(6)).boxed().toList());
            }
            assertEquals(lists, echo("echo-list-list", lists));
            Object option = switch (call % 3) {
                case 0 -> Optional.empty();
                case 1 -> Optional.of(Optional.empty());
                default -> Optional.of(Optional.of("v" + call));
            };
            assertEquals(option, echo("echo-option-option", option));
        }
    }

    // ---------------------------------------------------------------- map

    @Test
    void mapKeepsOrderAsVals() {
        assertValRoundTrip("echo-map", Val.map());
        Val m = Val.map(
                Val.entry(Val.string("zeta"), Val.u32(1)),
                Val.entry(Val.string("alpha"), Val.u32(4294967295L)),
                Val.entry(Val.string("é🌍"), Val.u32(0)),
                Val.entry(Val.string("mid"), Val.u32(3)));
        Val out = echoVal("echo-map", m);
        assertEquals(m, out);
        List<String> keys = new ArrayList<>();
        for (Val.Entry e : ((Val.Map) out).entries()) {
            keys.add(((Val.Str) e.key()).value());
        }
        assertEquals(List.of("zeta", "alpha", "é🌍", "mid"), keys);
    }

    @Test
    void mapKeepsOrderAsPlainJava() {
        assertEquals(Map.of(), echo("echo-map", Map.of()));
        Map<String, Integer> in = new LinkedHashMap<>();
        in.put("zeta", 1);
        in.put("alpha", 2);
        in.put("", 3);
        in.put("mid", Integer.MAX_VALUE);
        Map<?, ?> out = assertInstanceOf(Map.class, echo("echo-map", in));
        assertEquals(Map.of("zeta", 1L, "alpha", 2L, "", 3L, "mid", 2147483647L), out);
        assertEquals(List.of("zeta", "alpha", "", "mid"), new ArrayList<>(out.keySet()));
        assertThrows(UnsupportedOperationException.class, out::clear);
    }

    // ---------------------------------------------------------------- records and tuple

    @Test
    void pointRecord() {
        Val p = Val.record(Val.field("x", Val.s32(-7)), Val.field("y", Val.s32(Integer.MAX_VALUE)));
        assertValRoundTrip("echo-record", p);
        // Fields given out of order come back in the type's order.
        Val out = echoVal("echo-record", Val.record(Val.field("y", Val.s32(2)), Val.field("x", Val.s32(1))));
        assertEquals(Val.record(Val.field("x", Val.s32(1)), Val.field("y", Val.s32(2))), out);

        Map<?, ?> plain = assertInstanceOf(Map.class, echo("echo-record", Map.of("x", 1, "y", -2)));
        assertEquals(Map.of("x", 1, "y", -2), plain);
        assertEquals(List.of("x", "y"), new ArrayList<>(plain.keySet()));
        assertEquals(new Point(3, -4), fx.func("echo-record").callAs(Point.class, new Point(3, -4)));
    }

    @Test
    void personRecordAsVal() {
        Val person = Val.record(
                Val.field("first-name", Val.string("Zoë")),
                Val.field("age", Val.u8(255)),
                Val.field("tags", Val.list(Val.string("a"), Val.string("🌍"))));
        assertValRoundTrip("echo-person", person);
        Val empty = Val.record(
                Val.field("first-name", Val.string("")),
                Val.field("age", Val.u8(0)),
                Val.field("tags", Val.list()));
        assertValRoundTrip("echo-person", empty);
    }

    @Test
    void personRecordAsJavaRecord() {
        Person p = new Person("Zoë", (short) 255, List.of("admin", "🌍", ""));
        Person out = fx.func("echo-person").callAs(Person.class, p);
        assertEquals(p, out);
        Person nobody = new Person("", (short) 0, List.of());
        assertEquals(nobody, fx.func("echo-person").callAs(Person.class, nobody));
    }

    @Test
    void personRecordAsMap() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("first-name", "Ann");
        in.put("age", 41);
        in.put("tags", List.of("x"));
        Object out = echo("echo-person", in);
        assertEquals(Map.of("first-name", "Ann", "age", (short) 41, "tags", List.of("x")), out);
        assertEquals(List.of("first-name", "age", "tags"), new ArrayList<>(((Map<?, ?>) out).keySet()));
        // The camelCase key is accepted too; results always use the WIT name.
        Map<String, Object> camel = Map.of("firstName", "Bo", "age", 7, "tags", List.of());
        assertEquals(Map.of("first-name", "Bo", "age", (short) 7, "tags", List.of()), echo("echo-person", camel));
        // A Java record in, the default Map out.
        assertEquals(Map.of("first-name", "Cy", "age", (short) 9, "tags", List.of("t")),
                echo("echo-person", new Person("Cy", (short) 9, List.of("t"))));
    }

    @Test
    void tuple() {
        Val t = Val.tuple(Val.u32(4294967295L), Val.string("héllo"), Val.f64(-0.0));
        assertValRoundTrip("echo-tuple", t);
        assertEquals(List.of(7L, "x", 2.5), echo("echo-tuple", List.of(7, "x", 2.5)));
        assertEquals(List.of(0L, "", 1.0), echo("echo-tuple", new Object[] {0L, "", 1.0f}));
    }

    // ---------------------------------------------------------------- variant and enum

    @Test
    void variantAsVals() {
        assertValRoundTrip("echo-variant", Val.variant("circle", Val.f64(1.5)));
        assertValRoundTrip("echo-variant", Val.variant("rect",
                Val.record(Val.field("x", Val.s32(-1)), Val.field("y", Val.s32(2)))));
        assertValRoundTrip("echo-variant", Val.variant("none-shape"));
        Val nan = echoVal("echo-variant", Val.variant("circle", Val.f64(Double.longBitsToDouble(0x7ff8000000000abcL))));
        double d = ((Val.F64) ((Val.Variant) nan).payload().orElseThrow()).value();
        assertEquals(0x7ff8000000000abcL, Double.doubleToRawLongBits(d));
    }

    @Test
    void variantAsPlainJava() {
        assertEquals(new Variant("circle", 1.5), echo("echo-variant", Variant.of("circle", 1.5)));
        assertEquals(new Variant("rect", Map.of("x", 1, "y", 2)),
                echo("echo-variant", Variant.of("rect", new Point(1, 2))));
        assertEquals(new Variant("none-shape", null), echo("echo-variant", Variant.of("none-shape")));
        // A Java enum constant names a case without payload.
        assertEquals(new Variant("none-shape", null), echo("echo-variant", ShapeTag.NONE_SHAPE));
        assertEquals(ShapeTag.NONE_SHAPE, fx.func("echo-variant").callAs(ShapeTag.class, Variant.of("none-shape")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"red", "green", "blue"})
    void enumAsValAndString(String name) {
        assertValRoundTrip("echo-enum", Val.enumCase(name));
        assertEquals(name, echo("echo-enum", name));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Color.class)
    void enumAsJavaEnum(Color c) {
        assertEquals(c, fx.func("echo-enum").callAs(Color.class, c));
        assertEquals(c.name().toLowerCase(java.util.Locale.ROOT), echo("echo-enum", c));
        assertEquals(c, fx.func("echo-enum").callAs(Color.class, c.name().toLowerCase(java.util.Locale.ROOT)));
    }

    // ---------------------------------------------------------------- option

    @Test
    void optionAsVals() {
        assertValRoundTrip("echo-option", Val.none());
        assertValRoundTrip("echo-option", Val.some(Val.u32(0)));
        assertValRoundTrip("echo-option", Val.some(Val.u32(4294967295L)));
    }

    @Test
    void optionAsPlainJava() {
        assertEquals(Optional.empty(), echo("echo-option", Optional.empty()));
        assertEquals(Optional.empty(), echo("echo-option", null));
        assertEquals(Optional.of(0L), echo("echo-option", Optional.of(0)));
        assertEquals(Optional.of(4294967295L), echo("echo-option", Optional.of(4294967295L)));
    }

    @Test
    void optionOfOptionAsVals() {
        Val none = Val.none();
        Val someNone = Val.some(Val.none());
        Val someSome = Val.some(Val.some(Val.string("x")));
        assertNotEquals(none, someNone);
        assertValRoundTrip("echo-option-option", none);
        assertValRoundTrip("echo-option-option", someNone);
        assertValRoundTrip("echo-option-option", someSome);
        assertValRoundTrip("echo-option-option", Val.some(Val.some(Val.string(""))));
    }

    @Test
    void optionOfOptionAsPlainJava() {
        Optional<Object> someNone = Optional.of(Optional.empty());
        assertEquals(Optional.empty(), echo("echo-option-option", Optional.empty()));
        assertEquals(Optional.empty(), echo("echo-option-option", null));
        assertEquals(someNone, echo("echo-option-option", someNone));
        assertEquals(Optional.of(Optional.of("héllo")), echo("echo-option-option", Optional.of(Optional.of("héllo"))));
        assertEquals(Optional.of(Optional.of("")), echo("echo-option-option", Optional.of(Optional.of(""))));
    }

    // ---------------------------------------------------------------- result

    @Test
    void resultAsVals() {
        assertValRoundTrip("echo-result", Val.ok(Val.u32(4294967295L)));
        assertValRoundTrip("echo-result", Val.ok(Val.u32(0)));
        assertValRoundTrip("echo-result", Val.err(Val.string("bad 🌍")));
        assertValRoundTrip("echo-result", Val.err(Val.string("")));
        assertValRoundTrip("echo-result-empty", Val.ok());
        assertValRoundTrip("echo-result-empty", Val.err());
        assertNotEquals(Val.ok(), Val.err());
    }

    @Test
    void resultAsPlainJava() {
        assertEquals(Result.ok(4294967295L), echo("echo-result", Result.ok(4294967295L)));
        assertEquals(Result.ok(1L), echo("echo-result", Result.ok(1)));
        assertEquals(Result.err("bad"), echo("echo-result", Result.err("bad")));
        Object ok = echo("echo-result-empty", Result.ok(null));
        assertEquals(Result.ok(null), ok);
        assertTrue(((Result<?, ?>) ok).isOk());
        assertNull(((Result<?, ?>) ok).value());
        Object err = echo("echo-result-empty", Result.err(null));
        assertEquals(Result.err(null), err);
        assertFalse(((Result<?, ?>) err).isOk());
    }

    // ---------------------------------------------------------------- flags

    static Stream<Set<String>> permSets() {
        return Stream.of(Set.of(), Set.of("read"), Set.of("write"), Set.of("exec"), Set.of("read", "exec"),
                Set.of("read", "write", "exec"));
    }

    @ParameterizedTest
    @MethodSource("permSets")
    void flags(Set<String> set) {
        assertValRoundTrip("echo-flags", new Val.Flags(set));
        assertEquals(set, echo("echo-flags", set));
    }

    @Test
    void flagsComeBackInDeclarationOrder() {
        Val out = echoVal("echo-flags", Val.flags("exec", "read"));
        assertEquals(List.of("read", "exec"), new ArrayList<>(((Val.Flags) out).names()));
        Set<?> plain = (Set<?>) echo("echo-flags", new LinkedHashSet<>(List.of("exec", "write", "read")));
        assertEquals(List.of("read", "write", "exec"), new ArrayList<>(plain));
        // Java enum constants name flags too.
        assertEquals(Set.of("read", "exec"), echo("echo-flags", Set.of(Perm.READ, Perm.EXEC)));
    }

    static Stream<Set<String>> bigFlagSets() {
        Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i < 32; i++) {
            all.add("f" + i);
        }
        Set<String> even = new LinkedHashSet<>();
        for (int i = 0; i < 32; i += 2) {
            even.add("f" + i);
        }
        return Stream.of(Set.of(), Set.of("f0"), Set.of("f31"), Set.of("f0", "f31"), Set.of("f15", "f16"), even, all);
    }

    @ParameterizedTest
    @MethodSource("bigFlagSets")
    void bigFlags(Set<String> set) {
        assertValRoundTrip("echo-flags-big", new Val.Flags(set));
        Object out = echo("echo-flags-big", set);
        assertEquals(set, out);
    }

    // ---------------------------------------------------------------- echo-many and noop

    @Test
    void echoManySumsSeventeenU32s() {
        Func many = fx.func("echo-many");
        assertEquals(17, many.type().params().size());
        Val[] vals = new Val[17];
        Object[] plain = new Object[17];
        for (int i = 0; i < 17; i++) {
            vals[i] = Val.u32(i + 1);
            plain[i] = i + 1;
        }
        assertEquals(List.of(Val.u64(153L)), many.callValues(vals));
        assertEquals(BigInteger.valueOf(153), many.call(plain));

        // Every parameter counts, with no 32-bit overflow: 17 * (2^32 - 1).
        for (int i = 0; i < 17; i++) {
            vals[i] = Val.u32(4294967295L);
            plain[i] = 4294967295L;
        }
        assertEquals(List.of(Val.u64(17L * 4294967295L)), many.callValues(vals));
        assertEquals(BigInteger.valueOf(17L * 4294967295L), many.call(plain));

        // Distinct powers of two show each parameter lands in its own place.
        for (int i = 0; i < 17; i++) {
            vals[i] = Val.u32(1L << i);
        }
        assertEquals(List.of(Val.u64((1L << 17) - 1)), many.callValues(vals));
    }

    @Test
    void noopReturnsNothing() {
        Func noop = fx.func("noop");
        assertNull(noop.call());
        assertEquals(List.of(), noop.callValues());
        assertNull(noop.call(new Object[0]));
    }

    // ---------------------------------------------------------------- mixing and reuse

    @Test
    void valsAreAcceptedInsidePlainValues() {
        assertEquals(List.of(1L, 2L), echo("echo-list-u32", List.of(Val.u32(1), 2)));
        assertEquals(Map.of("x", 5, "y", 6), echo("echo-record", Map.of("x", Val.s32(5), "y", 6)));
        assertEquals(Optional.of(9L), echo("echo-option", Optional.of(Val.u32(9))));
    }

    @Test
    void manyCallsInARowDoNotInterfere() {
        Func s = fx.func("echo-string");
        Func u = fx.func("echo-u32");
        for (int i = 0; i < 200; i++) {
            assertEquals("s" + i, s.call("s" + i));
            assertEquals((long) i, u.call(i));
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        if (n > 2) {
            b[0] = 0;
            b[1] = (byte) 0xff;
        }
        return b;
    }

    /** Issue 8: one large call kept its grown call buffer (two times its size) for good. */
    @Test
    void aLargeCallGivesBackItsCallBuffer() {
        String big = "x".repeat(6 << 20) + "!";
        String back = (String) fx.func("echo-string").call(big);
        assertEquals(big.length(), back.length());
        assertEquals(64 * 1024, io.github.wasmtimejvm.internal.CallBuffer.get().capacity());
    }
}
