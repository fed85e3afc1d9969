package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arguments that do not fit their WIT types are rejected with {@link IllegalArgumentException}
 * before the guest runs, with a message that says which function, which parameter, where in a
 * nested value, what was expected and what was found. Unsigned values never wrap.
 */
class ArgumentErrorTest {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    record Point(int x, int y) {}

    /** Lacks the `y` component of WIT `point`. */
    record OnlyX(int x) {}

    enum Shade { RED, PURPLE }

    private static EchoFixture fx;

    @BeforeAll
    static void open() {
        fx = EchoFixture.open();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    /** After every rejected call the store must still work normally. */
    @AfterEach
    void storeStillWorks() {
        assertEquals(41L, fx.func("echo-u32").call(41));
        assertEquals("ok", fx.func("echo-string").call("ok"));
    }

    private static String iae(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected `" + p + "` in: " + message);
        }
    }

    // ---------------------------------------------------------------- arity

    @Test
    void wrongArgumentCountNamesTheFunctionAndItsType() {
        String m = iae(() -> fx.func("echo-u32").call());
        assertEquals("`echo-u32` takes 1 argument (func(v: u32) -> u32), got 0", m);
        m = iae(() -> fx.func("echo-u32").call(1, 2));
        assertEquals("`echo-u32` takes 1 argument (func(v: u32) -> u32), got 2", m);
        m = iae(() -> fx.func("echo-record").callValues(Val.s32(1), Val.s32(2)));
        assertContains(m, "`echo-record`", "func(v: record { x: s32, y: s32 }) -> record { x: s32, y: s32 }",
                "got 2");
        m = iae(() -> fx.add().call(1));
        assertEquals("`add` takes 2 arguments (func(a: u32, b: u32) -> u32), got 1", m);
        m = iae(() -> fx.func("noop").call(1));
        assertEquals("`noop` takes 0 arguments (func()), got 1", m);
        m = iae(() -> fx.func("echo-many").call(1, 2, 3));
        assertContains(m, "`echo-many` takes 17 arguments", "p16: u32", "-> u64", "got 3");
    }

    // ---------------------------------------------------------------- wrong type

    @Test
    void wrongPlainTypeNamesParameterExpectedAndFound() {
        String m = iae(() -> fx.func("echo-u32").call("seven"));
        assertEquals("argument `v` of `echo-u32`: expected u32 (an integer), found String \"seven\"", m);
        m = iae(() -> fx.func("echo-bool").call(1));
        assertContains(m, "argument `v` of `echo-bool`", "expected bool", "Integer 1");
        m = iae(() -> fx.func("echo-string").call(42));
        assertContains(m, "argument `v` of `echo-string`", "expected string", "Integer 42");
        m = iae(() -> fx.func("echo-s32").call(1.0));
        assertContains(m, "argument `v` of `echo-s32`", "expected s32", "Double 1.0");
        m = iae(() -> fx.func("echo-record").call("point"));
        assertContains(m, "argument `v` of `echo-record`", "record { x: s32, y: s32 }", "String \"point\"");
        m = iae(() -> fx.func("echo-option").call(5));
        assertContains(m, "argument `v` of `echo-option`", "option<u32>", "Integer 5");
        m = iae(() -> fx.func("echo-result").call(5));
        assertContains(m, "argument `v` of `echo-result`", "result<u32, string>", "Integer 5");
        m = iae(() -> fx.func("echo-flags").call("read"));
        assertContains(m, "argument `v` of `echo-flags`", "flags { read, write, exec }", "String \"read\"");
        m = iae(() -> fx.func("echo-map").call(List.of("a")));
        assertContains(m, "argument `v` of `echo-map`", "map<string, u32>");
        m = iae(() -> fx.func("echo-variant").call("circle"));
        assertContains(m, "argument `v` of `echo-variant`", "variant { circle(f64)", "String \"circle\"");
        m = iae(() -> fx.func("echo-enum").call(1));
        assertContains(m, "argument `v` of `echo-enum`", "enum { red, green, blue }", "Integer 1");
    }

    @Test
    void wrongValKindNamesParameterExpectedAndFound() {
        String m = iae(() -> fx.func("echo-u32").callValues(Val.s32(5)));
        assertEquals("argument `v` of `echo-u32`: expected u32, found a s32 value (5)", m);
        m = iae(() -> fx.func("echo-string").callValues(Val.chr('x')));
        assertContains(m, "argument `v` of `echo-string`", "expected string", "char");
        m = iae(() -> fx.func("echo-list-u32").callValues(Val.fixedList(Val.u32(1))));
        assertContains(m, "argument `v`", "list<u32>", "fixed-length list");
        m = iae(() -> fx.func("echo-enum").callValues(Val.variant("red")));
        assertContains(m, "argument `v`", "enum { red, green, blue }", "variant");
    }

    @Test
    void theFailingParameterIsNamed() {
        String m = iae(() -> fx.add().call(1, "two"));
        assertContains(m, "argument `b` of `add`", "expected u32", "String \"two\"");
        Object[] args = new Object[17];
        for (int i = 0; i < 17; i++) {
            args[i] = i;
        }
        args[16] = -1;
        m = iae(() -> fx.func("echo-many").call(args));
        assertContains(m, "argument `p16` of `echo-many`", "-1 is out of range for u32");
    }

    @Test
    void nullIsOnlyAnOptionNone() {
        String m = iae(() -> fx.func("echo-string").call((Object) null));
        assertContains(m, "argument `v` of `echo-string`", "expected string", "found null");
        m = iae(() -> fx.func("echo-record").call((Object) null));
        assertContains(m, "argument `v` of `echo-record`", "found null");
        m = iae(() -> fx.func("echo-list-u32").call(java.util.Arrays.asList(1, null)));
        assertContains(m, "element 1", "found null");
    }

    // ---------------------------------------------------------------- nested

    @Test
    void nestedMismatchSaysWhere() {
        String m = iae(() -> fx.func("echo-record").call(Map.of("x", "one", "y", 2)));
        assertContains(m, "argument `v` of `echo-record`", "field `x`", "expected s32", "String \"one\"");
        m = iae(() -> fx.func("echo-list-u32").call(List.of(1, 2, "three")));
        assertContains(m, "argument `v` of `echo-list-u32`", "element 2", "expected u32", "String \"three\"");
        m = iae(() -> fx.func("echo-list-u32").call(List.of(1, 2, -3)));
        assertContains(m, "element 2", "-3 is out of range for u32");
        m = iae(() -> fx.func("echo-list-list").call(List.of(List.of(), List.of(1, 2, 3, "x"))));
        assertContains(m, "element 1: element 3: expected u32");
        m = iae(() -> fx.func("echo-list-record").call(List.of(new Point(1, 2), Map.of("x", 1, "y", 1L << 40))));
        assertContains(m, "element 1: field `y`: ", "out of range for s32");
        m = iae(() -> fx.func("echo-person").call(Map.of("first-name", "a", "age", 1, "tags", List.of("ok", 7))));
        assertContains(m, "field `tags`: element 1: expected string", "Integer 7");
        m = iae(() -> fx.func("echo-tuple").call(List.of(1, 2, 3.0)));
        assertContains(m, "element 1: expected string", "Integer 2");
        m = iae(() -> fx.func("echo-option-option").call(Optional.of(Optional.of(3))));
        assertContains(m, "some: some: expected string", "Integer 3");
        m = iae(() -> fx.func("echo-result").call(Result.err(3)));
        assertContains(m, "err: expected string", "Integer 3");
        m = iae(() -> fx.func("echo-variant").call(Variant.of("rect", Map.of("x", 1, "y", "2"))));
        assertContains(m, "case `rect`: field `y`: expected s32");
        m = iae(() -> fx.func("echo-map").call(Map.of("k", -1)));
        assertContains(m, "map value for key k", "-1 is out of range for u32");
        m = iae(() -> fx.func("echo-map").call(Map.of(7, 1)));
        assertContains(m, "map key", "expected string", "Integer 7");
    }

    @Test
    void nestedValMismatchSaysWhere() {
        String m = iae(() -> fx.func("echo-record").callValues(
                Val.record(Val.field("x", Val.string("one")), Val.field("y", Val.s32(2)))));
        assertContains(m, "argument `v` of `echo-record`", "field `x`", "expected s32", "string");
        m = iae(() -> fx.func("echo-list-u32").callValues(Val.list(Val.u32(1), Val.u32(2), Val.u8(3))));
        assertContains(m, "element 2", "expected u32", "u8");
        m = iae(() -> fx.func("echo-tuple").callValues(Val.tuple(Val.u32(1), Val.string("a"), Val.f32(1f))));
        assertContains(m, "element 2", "expected f64", "f32");
    }

    // ---------------------------------------------------------------- unsigned never wraps

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("echo-u32", -1),
                Arguments.of("echo-u32", -1L),
                Arguments.of("echo-u32", 4294967296L),
                Arguments.of("echo-u32", BigInteger.ONE.shiftLeft(32)),
                Arguments.of("echo-u32", Long.MIN_VALUE),
                Arguments.of("echo-u8", 256),
                Arguments.of("echo-u8", -1),
                Arguments.of("echo-u8", (byte) -1),
                Arguments.of("echo-u16", 65536),
                Arguments.of("echo-u16", (short) -1),
                Arguments.of("echo-u64", -1L),
                Arguments.of("echo-u64", -1),
                Arguments.of("echo-u64", Long.MIN_VALUE),
                Arguments.of("echo-u64", TWO_64),
                Arguments.of("echo-u64", BigInteger.ONE.negate()),
                Arguments.of("echo-u64", TWO_64.shiftLeft(1)),
                Arguments.of("echo-s8", 128),
                Arguments.of("echo-s8", -129),
                Arguments.of("echo-s16", 32768),
                Arguments.of("echo-s32", 2147483648L),
                Arguments.of("echo-s64", BigInteger.ONE.shiftLeft(63)),
                Arguments.of("echo-s64", BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE)));
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("outOfRange")
    void outOfRangeIntegersAreRejectedNotWrapped(String func, Object value) {
        String m = iae(() -> fx.func(func).call(value));
        String type = func.substring("echo-".length());
        assertContains(m, "argument `v` of `" + func + "`", value + " is out of range for " + type);
    }

    @Test
    void unsignedValConstructorsRejectOutOfRange() {
        assertEquals("300 is out of range for u8 (0 to 255)", iae(() -> new Val.U8(300)));
        iae(() -> new Val.U8(-1));
        iae(() -> Val.u8(256));
        iae(() -> new Val.U16(65536));
        iae(() -> new Val.U16(-1));
        iae(() -> new Val.U32(-1));
        iae(() -> Val.u32(4294967296L));
        iae(() -> Val.u64(-1L));
        iae(() -> Val.u64(TWO_64));
        iae(() -> Val.u64(BigInteger.valueOf(-1)));
        iae(() -> Val.U64.of(TWO_64));
        // The largest values are fine.
        assertEquals(255, new Val.U8(255).value());
        assertEquals(4294967295L, new Val.U32(4294967295L).value());
        assertEquals(-1L, ((Val.U64) Val.u64(TWO_64.subtract(BigInteger.ONE))).bits());
    }

    // ---------------------------------------------------------------- floats

    static Stream<Arguments> inexactFloats() {
        return Stream.of(
                Arguments.of("echo-f32", 0.1d),
                Arguments.of("echo-f32", 1e300d),
                Arguments.of("echo-f32", Double.MIN_VALUE),
                Arguments.of("echo-f32", 16777217),
                Arguments.of("echo-f32", Long.MAX_VALUE),
                Arguments.of("echo-f32", Long.MAX_VALUE - 1),
                Arguments.of("echo-f64", 9007199254740993L),
                Arguments.of("echo-f64", Long.MAX_VALUE),
                Arguments.of("echo-f64", Long.MIN_VALUE + 1));
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("inexactFloats")
    void inexactFloatNarrowingIsRejected(String func, Object value) {
        String m = iae(() -> fx.func(func).call(value));
        assertContains(m, "argument `v` of `" + func + "`", value + " cannot be represented exactly as "
                + func.substring("echo-".length()));
    }

    @Test
    void exactBoundaryIntegersAreAcceptedAsFloats() {
        // -2^63 is exact in both f32 and f64, unlike 2^63 - 1.
        assertEquals(Float.valueOf(-0x1p63f), fx.func("echo-f32").call(Long.MIN_VALUE));
        assertEquals(Double.valueOf(-0x1p63), fx.func("echo-f64").call(Long.MIN_VALUE));
        assertEquals(Double.valueOf(0x1p62), fx.func("echo-f64").call(1L << 62));
    }

    @Test
    void floatsDoNotTakeStringsOrBooleans() {
        assertContains(iae(() -> fx.func("echo-f64").call("1.5")), "expected f64", "String \"1.5\"");
        assertContains(iae(() -> fx.func("echo-f32").call(true)), "expected f32", "Boolean true");
        assertContains(iae(() -> fx.func("echo-f64").callValues(Val.f32(1f))), "expected f64", "f32");
    }

    // ---------------------------------------------------------------- chars

    @ParameterizedTest
    @ValueSource(ints = {0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000, -1, Integer.MAX_VALUE})
    void charRejectsSurrogatesAndNonCodePoints(int cp) {
        String m = iae(() -> new Val.Char(cp));
        assertContains(m, "is not a Unicode scalar value");
        m = iae(() -> fx.func("echo-char").call(cp));
        assertContains(m, "argument `v` of `echo-char`", "is not a Unicode scalar value");
    }

    @Test
    void charRejectsLoneSurrogateCharacterAndLongStrings() {
        assertContains(iae(() -> fx.func("echo-char").call('\uD83C')), "U+D83C is not a Unicode scalar value");
        assertContains(iae(() -> fx.func("echo-char").call("ab")), "expected char", "String \"ab\"");
        assertContains(iae(() -> fx.func("echo-char").call("")), "expected char", "String \"\"");
        assertContains(iae(() -> fx.func("echo-char").call(1L)), "expected char", "Long 1");
    }

    // ---------------------------------------------------------------- strings

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "a\uDC00b", "end \uD83C", "\uDF0D\uD83C", "ok 🌍 then \uDBFF"})
    void stringsWithLoneSurrogatesAreRejectedNotMangled(String s) {
        // A WIT string is Unicode scalar values; a lone surrogate has no UTF-8 form (Java's
        // encoder would silently substitute '?').
        assertContains(iae(() -> fx.func("echo-string").call(s)), "argument `v` of `echo-string`", "surrogate");
        assertContains(iae(() -> fx.func("echo-string").callValues(Val.string(s))), "argument `v`", "surrogate");
        assertContains(iae(() -> fx.func("echo-list-string").call(List.of("fine", s))), "element 1", "surrogate");
        assertContains(iae(() -> fx.func("echo-map").call(Map.of(s, 1))), "map key", "surrogate");
    }

    @Test
    void surrogatePairsAreFine() {
        assertEquals("🌍\uD83C\uDF0D", fx.func("echo-string").call("🌍\uD83C\uDF0D"));
    }

    // ---------------------------------------------------------------- names of cases, flags, fields

    @Test
    void unknownEnumCase() {
        assertContains(iae(() -> fx.func("echo-enum").call("purple")), "argument `v` of `echo-enum`",
                "`purple` is not a case of enum { red, green, blue }");
        assertContains(iae(() -> fx.func("echo-enum").call(Shade.PURPLE)), "`purple` is not a case");
        assertContains(iae(() -> fx.func("echo-enum").call("Red")), "`Red` is not a case");
        assertContains(iae(() -> fx.func("echo-enum").callValues(Val.enumCase("purple"))),
                "`purple` is not a case of enum { red, green, blue }");
    }

    @Test
    void unknownVariantCaseOrWrongPayload() {
        assertContains(iae(() -> fx.func("echo-variant").call(Variant.of("triangle"))),
                "argument `v` of `echo-variant`", "`triangle` is not a case of variant");
        assertContains(iae(() -> fx.func("echo-variant").callValues(Val.variant("triangle", Val.f64(1)))),
                "`triangle` is not a case of variant");
        assertContains(iae(() -> fx.func("echo-variant").call(Variant.of("circle"))),
                "case `circle`", "needs a payload of type f64");
        assertContains(iae(() -> fx.func("echo-variant").call(Variant.of("none-shape", 1.0))),
                "case `none-shape`", "has no payload, but one was given");
        assertContains(iae(() -> fx.func("echo-variant").callValues(Val.variant("circle", Val.s32(1)))),
                "case `circle`: expected f64");
    }

    @Test
    void resultSidesAndPayloads() {
        assertContains(iae(() -> fx.func("echo-result-empty").call(Result.ok(1))),
                "ok of result has no payload, but one was given");
        assertContains(iae(() -> fx.func("echo-result").call(Result.ok(null))), "ok of result<u32, string> needs a payload");
        assertContains(iae(() -> fx.func("echo-result").callValues(Val.err())), "err of result<u32, string> needs a payload");
    }

    @Test
    void unknownFlag() {
        assertContains(iae(() -> fx.func("echo-flags").call(Set.of("read", "delete"))),
                "argument `v` of `echo-flags`", "`delete` is not a flag of flags { read, write, exec }");
        assertContains(iae(() -> fx.func("echo-flags").callValues(Val.flags("READ"))), "`READ` is not a flag");
        assertContains(iae(() -> fx.func("echo-flags-big").call(Set.of("f32"))), "`f32` is not a flag");
        assertContains(iae(() -> fx.func("echo-flags").call(Set.of(1))), "expected flag names", "Integer 1");
    }

    @Test
    void missingOrExtraRecordField() {
        assertContains(iae(() -> fx.func("echo-record").call(Map.of("x", 1))),
                "argument `v` of `echo-record`", "the map has no key `y`");
        assertContains(iae(() -> fx.func("echo-record").callValues(Val.record(Val.field("x", Val.s32(1))))),
                "field `y` is missing");
        assertContains(iae(() -> fx.func("echo-record").call(new OnlyX(1))),
                "OnlyX has no component for field `y`");
        assertContains(iae(() -> fx.func("echo-record").callValues(Val.record(
                        Val.field("x", Val.s32(1)), Val.field("y", Val.s32(2)), Val.field("z", Val.s32(3))))),
                "has no field `z`");
        assertContains(iae(() -> fx.func("echo-person").call(Map.of("age", 1, "tags", List.of()))),
                "the map has no key `first-name`");
        assertContains(iae(() -> fx.func("echo-record").call(List.of(1))),
                "argument `v` of `echo-record`", "as a List, one value per field in order: 2), found a List of 1");
        assertContains(iae(() -> fx.func("echo-person").call(List.of("Ada", 300, List.of()))),
                "field `age`", "300 is out of range for u8");
    }

    // ---------------------------------------------------------------- shapes of lists and tuples

    @Test
    void fixedListNeedsExactlyFourElements() {
        assertContains(iae(() -> fx.func("echo-fixed-list").call(List.of(1, 2, 3))),
                "argument `v` of `echo-fixed-list`", "list<u32, 4> with exactly 4 elements, found 3");
        assertContains(iae(() -> fx.func("echo-fixed-list").call(List.of(1, 2, 3, 4, 5))), "found 5");
        assertContains(iae(() -> fx.func("echo-fixed-list").callValues(Val.fixedList(Val.u32(1)))),
                "exactly 4 elements, found 1");
    }

    @Test
    void tupleNeedsItsArity() {
        assertContains(iae(() -> fx.func("echo-tuple").call(List.of(1, "a"))),
                "tuple<u32, string, f64> with 3 elements, found 2");
        assertContains(iae(() -> fx.func("echo-tuple").callValues(Val.tuple(Val.u32(1)))),
                "tuple<u32, string, f64>", "found a tuple of 1");
    }

    @Test
    void formatWaveRejectsAValueOfTheWrongType() {
        assertContains(iae(() -> fx.func("echo-u32").formatWave(0, Val.string("x"))),
                "result 0 of `echo-u32`", "expected u32");
    }
}
