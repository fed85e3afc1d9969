package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The allocation-free fast path: slot conventions (signed sign-extended, unsigned zero-extended,
 * floats as raw bits, bool 0/1, char as code point), range checks that name the argument, and
 * the functions it refuses.
 */
class ScalarFuncTest {

    private static EchoFixture fx;

    @BeforeAll
    static void open() {
        fx = EchoFixture.open();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    @AfterEach
    void storeStillWorks() {
        assertEquals(5L, fx.add().scalar().call(2, 3));
    }

    private static ScalarFunc scalar(String name) {
        return fx.func(name).scalar();
    }

    private static String iae(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected `" + p + "` in: " + message);
        }
    }

    // ---------------------------------------------------------------- add

    @Test
    void add() {
        ScalarFunc add = fx.add().scalar();
        assertEquals(3L, add.call(1, 2));
        assertEquals(0L, add.call(0, 0));
        // u32 results are zero-extended: 2^32 - 1, never -1.
        assertEquals(4294967295L, add.call(4294967295L, 0));
        assertEquals(4294967295L, add.call(2147483648L, 2147483647L));
        // The guest's i32.add wraps; the result slot is still in u32 range.
        assertEquals(0L, add.call(4294967295L, 1));
        assertEquals(1L, add.callArray(0, 1));
        assertEquals("add", add.func().name());
        assertEquals("func(a: u32, b: u32) -> u32", add.type().toString());
        assertFalse(add.returnsFloat());
    }

    @Test
    void scalarIsCachedPerFunc() {
        Func f = fx.func("echo-u32");
        assertSame(f.scalar(), f.scalar());
        assertSame(f, f.scalar().func());
    }

    @Test
    void outOfRangeAddArgumentIsNamed() {
        String m = iae(() -> fx.add().scalar().call(1, -1));
        assertContains(m, "argument `b` of `add`", "-1 is out of range for u32");
        m = iae(() -> fx.add().scalar().call(1L << 32, 1));
        assertContains(m, "argument `a` of `add`", "4294967296 is out of range for u32");
    }

    // ---------------------------------------------------------------- integers

    static Stream<Arguments> echoes() {
        return Stream.of(
                Arguments.of("echo-u32", 0L),
                Arguments.of("echo-u32", 4294967295L),
                Arguments.of("echo-u32", 2147483648L),
                Arguments.of("echo-s32", -1L),
                Arguments.of("echo-s32", (long) Integer.MIN_VALUE),
                Arguments.of("echo-s32", (long) Integer.MAX_VALUE),
                Arguments.of("echo-s8", -128L),
                Arguments.of("echo-s8", 127L),
                Arguments.of("echo-s8", -1L),
                Arguments.of("echo-u8", 255L),
                Arguments.of("echo-u8", 128L),
                Arguments.of("echo-s16", -32768L),
                Arguments.of("echo-u16", 65535L),
                Arguments.of("echo-s64", Long.MIN_VALUE),
                Arguments.of("echo-s64", Long.MAX_VALUE),
                // u64 uses all 64 bits: -1 is 2^64 - 1.
                Arguments.of("echo-u64", -1L),
                Arguments.of("echo-u64", Long.MIN_VALUE),
                Arguments.of("echo-bool", 0L),
                Arguments.of("echo-bool", 1L),
                Arguments.of("echo-char", (long) 'a'),
                Arguments.of("echo-char", 0x1F30DL),
                Arguments.of("echo-char", 0x10FFFFL),
                Arguments.of("echo-char", 0L));
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("echoes")
    void echoesTheSlot(String func, long slot) {
        ScalarFunc f = scalar(func);
        assertEquals(slot, f.call(slot));
        assertEquals(slot, f.callArray(slot));
        assertFalse(f.returnsFloat());
    }

    @Test
    void signedResultsAreSignExtendedAndUnsignedZeroExtended() {
        assertEquals(-128L, scalar("echo-s8").call(-128));
        assertEquals(-1L, scalar("echo-s16").call(-1));
        assertEquals(-1L, scalar("echo-s32").call(-1));
        assertEquals(255L, scalar("echo-u8").call(255));
        assertEquals(65535L, scalar("echo-u16").call(65535));
        assertEquals(0xffff_ffffL, scalar("echo-u32").call(0xffff_ffffL));
    }

    // ---------------------------------------------------------------- floats

    static Stream<Long> f64Bits() {
        return Stream.of(0x7ff8000000000001L, 0xfff0000000000abcL, 0x8000000000000000L, 0L,
                0x7ff0000000000000L, 0xfff0000000000000L, Double.doubleToRawLongBits(Math.PI));
    }

    @ParameterizedTest(name = "f64 bits {0}")
    @MethodSource("f64Bits")
    void f64TravelsAsRawBits(long bits) {
        ScalarFunc f = scalar("echo-f64");
        assertTrue(f.returnsFloat());
        double in = Double.longBitsToDouble(bits);
        assertEquals(bits, ScalarFunc.f64(in));
        long out = f.call(ScalarFunc.f64(in));
        assertEquals(bits, out);
        assertEquals(bits, Double.doubleToRawLongBits(ScalarFunc.asDouble(out)));
    }

    static Stream<Integer> f32Bits() {
        return Stream.of(0x7fc00001, 0xff812345, 0x80000000, 0, 0x7f800000, 0xff800000,
                Float.floatToRawIntBits(1.5f));
    }

    @ParameterizedTest(name = "f32 bits {0}")
    @MethodSource("f32Bits")
    void f32TravelsAsZeroExtendedRawBits(int bits) {
        ScalarFunc f = scalar("echo-f32");
        assertTrue(f.returnsFloat());
        float in = Float.intBitsToFloat(bits);
        long slot = ScalarFunc.f32(in);
        assertEquals(bits & 0xffff_ffffL, slot);
        long out = f.call(slot);
        assertEquals(bits & 0xffff_ffffL, out, "the f32 result slot is zero-extended");
        assertEquals(bits, Float.floatToRawIntBits(ScalarFunc.asFloat(out)));
    }

    @Test
    void f32SlotWiderThan32BitsIsRejected() {
        String m = iae(() -> scalar("echo-f32").call(1L << 32));
        assertContains(m, "argument `v` of `echo-f32`");
        // A sign-extended float (what (long) floatToRawIntBits gives for negative floats) is not a slot.
        m = iae(() -> scalar("echo-f32").call((long) Float.floatToRawIntBits(-1.0f)));
        assertContains(m, "argument `v` of `echo-f32`");
    }

    // ---------------------------------------------------------------- out of range

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("echo-u32", -1L, "-1 is out of range for u32"),
                Arguments.of("echo-u32", 1L << 32, "4294967296 is out of range for u32"),
                Arguments.of("echo-s32", 1L << 31, "2147483648 is out of range for s32"),
                Arguments.of("echo-s8", 200L, "200 is out of range for s8"),
                Arguments.of("echo-s8", -129L, "-129 is out of range for s8"),
                Arguments.of("echo-u8", 256L, "256 is out of range for u8"),
                Arguments.of("echo-u8", -1L, "-1 is out of range for u8"),
                Arguments.of("echo-s16", 32768L, "32768 is out of range for s16"),
                Arguments.of("echo-u16", 65536L, "65536 is out of range for u16"),
                Arguments.of("echo-bool", 2L, "2 is not a bool (0 or 1)"),
                Arguments.of("echo-bool", -1L, "-1 is not a bool (0 or 1)"),
                Arguments.of("echo-char", 0xD800L, "0xd800 is not a Unicode scalar value"),
                Arguments.of("echo-char", 0xDFFFL, "0xdfff is not a Unicode scalar value"),
                Arguments.of("echo-char", 0x110000L, "0x110000 is not a Unicode scalar value"),
                Arguments.of("echo-char", -1L, "-1 is out of range for char"));
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("outOfRange")
    void outOfRangeSlotsAreRejectedNamingTheArgument(String func, long slot, String why) {
        String m = iae(() -> scalar(func).call(slot));
        assertContains(m, "argument `v` of `" + func + "`", why);
        m = iae(() -> scalar(func).callArray(slot));
        assertContains(m, "argument `v` of `" + func + "`", why);
    }

    // ---------------------------------------------------------------- noop

    @Test
    void noopReturnsZero() {
        ScalarFunc noop = scalar("noop");
        assertEquals(0L, noop.call());
        assertEquals(0L, noop.callArray());
        assertFalse(noop.returnsFloat());
    }

    // ---------------------------------------------------------------- refused

    @ParameterizedTest
    @ValueSource(strings = {"echo-string", "echo-record", "echo-list-u8", "echo-option", "echo-enum", "echo-flags",
            "echo-result-empty"})
    void nonScalarFunctionsHaveNoFastPath(String func) {
        String m = iae(() -> fx.func(func).scalar());
        assertContains(m, "`" + func + "` has type " + fx.func(func).type(), "not all scalars");
    }

    @Test
    void nonScalarMessageShowsTheWitType() {
        assertContains(iae(() -> fx.func("echo-string").scalar()),
                "`echo-string` has type func(v: string) -> string");
    }

    @Test
    void wrongArityIsRejected() {
        ScalarFunc add = fx.add().scalar();
        assertEquals("`add` takes 2 arguments (func(a: u32, b: u32) -> u32), got 1", iae(() -> add.call(1)));
        assertEquals("`add` takes 2 arguments (func(a: u32, b: u32) -> u32), got 0", iae(add::call));
        assertEquals("`add` takes 2 arguments (func(a: u32, b: u32) -> u32), got 3", iae(() -> add.call(1, 2, 3)));
        assertEquals("`add` takes 2 arguments (func(a: u32, b: u32) -> u32), got 4",
                iae(() -> add.call(1, 2, 3, 4)));
        assertEquals("`add` takes 2 arguments (func(a: u32, b: u32) -> u32), got 5",
                iae(() -> add.callArray(1, 2, 3, 4, 5)));
        assertEquals("`echo-u32` takes 1 argument (func(v: u32) -> u32), got 2",
                iae(() -> scalar("echo-u32").call(1, 2)));
        assertContains(iae(() -> scalar("noop").call(1)), "`noop` takes 0 arguments", "got 1");
    }

    @Test
    void echoManyHasMoreParametersThanTheFastPathTakes() {
        // All scalars, but 17 parameters: more than the fast path's 16, so scalar() refuses it
        // up front rather than handing out a ScalarFunc that can never be called.
        assertFalse(fx.func("echo-many").type().isScalar());
        assertContains(iae(() -> fx.func("echo-many").scalar()), "`echo-many`", "no scalar fast path");
        // The slow path still calls it.
        assertEquals(java.math.BigInteger.valueOf(153), fx.func("echo-many").call(
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17));
    }
}
