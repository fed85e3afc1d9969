package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WAVE (the {@code wasmtime run --invoke} value syntax): {@link Func#parseWaveArguments} gives
 * exactly the {@link Val}s the text describes, the call echoes them, and {@link Func#formatWave}
 * prints the result as wasmtime does.
 */
class WaveTest {

    private static EchoFixture fx;

    @BeforeAll
    static void open() {
        fx = EchoFixture.open();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    /** Failed parses and prints must leave the store usable. */
    @AfterEach
    void storeStillWorks() {
        assertEquals(41L, fx.func("echo-u32").call(41));
    }

    private static Point p(int x, int y) {
        return new Point(x, y);
    }

    private record Point(int x, int y) {
        Val val() {
            return Val.record(Val.field("x", Val.s32(x)), Val.field("y", Val.s32(y)));
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // func, WAVE arguments, the Val they parse to, the WAVE the echoed result prints as
                Arguments.of("echo-bool", "true", Val.bool(true), "true"),
                Arguments.of("echo-s8", "-128", Val.s8((byte) -128), "-128"),
                Arguments.of("echo-u8", "255", Val.u8(255), "255"),
                Arguments.of("echo-s16", "-32768", Val.s16(Short.MIN_VALUE), "-32768"),
                Arguments.of("echo-u16", "65535", Val.u16(65535), "65535"),
                Arguments.of("echo-s32", "-2147483648", Val.s32(Integer.MIN_VALUE), "-2147483648"),
                Arguments.of("echo-u32", "4294967295", Val.u32(4294967295L), "4294967295"),
                Arguments.of("echo-s64", "-9223372036854775808", Val.s64(Long.MIN_VALUE), "-9223372036854775808"),
                Arguments.of("echo-u64", "18446744073709551615", Val.u64Bits(-1L), "18446744073709551615"),
                Arguments.of("echo-f64", "1.5", Val.f64(1.5), "1.5"),
                Arguments.of("echo-f64", "-2.25", Val.f64(-2.25), "-2.25"),
                Arguments.of("echo-f64", "inf", Val.f64(Double.POSITIVE_INFINITY), "inf"),
                Arguments.of("echo-f64", "-inf", Val.f64(Double.NEGATIVE_INFINITY), "-inf"),
                Arguments.of("echo-f64", "nan", Val.f64(Double.NaN), "nan"),
                Arguments.of("echo-f32", "0.5", Val.f32(0.5f), "0.5"),
                Arguments.of("echo-f32", "-inf", Val.f32(Float.NEGATIVE_INFINITY), "-inf"),
                Arguments.of("echo-f32", "nan", Val.f32(Float.NaN), "nan"),
                Arguments.of("echo-char", "'x'", Val.chr('x'), "'x'"),
                Arguments.of("echo-char", "'é'", Val.chr('é'), "'é'"),
                Arguments.of("echo-char", "'\\u{1f30d}'", Val.chr(0x1F30D), "'🌍'"),
                Arguments.of("echo-char", "'🌍'", Val.chr(0x1F30D), "'🌍'"),
                Arguments.of("echo-char", "'\\''", Val.chr('\''), "'\\''"),
                Arguments.of("echo-char", "'\\n'", Val.chr('\n'), "'\\n'"),
                Arguments.of("echo-string", "\"\"", Val.string(""), "\"\""),
                Arguments.of("echo-string", "\"héllo 🌍\"", Val.string("héllo 🌍"), "\"héllo 🌍\""),
                Arguments.of("echo-string", "\"a\\\"b\\\\c\\nd\\te\"", Val.string("a\"b\\c\nd\te"),
                        "\"a\\\"b\\\\c\\nd\\te\""),
                Arguments.of("echo-string", "\"nul \\u{0} globe \\u{1f30d}\"", Val.string("nul \u0000 globe 🌍"),
                        "\"nul \\u{0} globe 🌍\""),
                Arguments.of("echo-list-u8", "[]", Val.list(), "[]"),
                Arguments.of("echo-list-u8", "[0, 255]", Val.list(Val.u8(0), Val.u8(255)), "[0, 255]"),
                Arguments.of("echo-list-u32", "[1, 2, 4294967295]",
                        Val.list(Val.u32(1), Val.u32(2), Val.u32(4294967295L)), "[1, 2, 4294967295]"),
                Arguments.of("echo-list-string", "[\"a\", \"\"]", Val.list(Val.string("a"), Val.string("")),
                        "[\"a\", \"\"]"),
                Arguments.of("echo-list-list", "[[], [1], [2, 3]]",
                        Val.list(Val.list(), Val.list(Val.u32(1)), Val.list(Val.u32(2), Val.u32(3))),
                        "[[], [1], [2, 3]]"),
                Arguments.of("echo-record", "{x: 1, y: -2}", p(1, -2).val(), "{x: 1, y: -2}"),
                Arguments.of("echo-record", "{y: 7, x: 6}", p(6, 7).val(), "{x: 6, y: 7}"),
                Arguments.of("echo-person", "{first-name: \"Ann\", age: 30, tags: [\"a\", \"b\"]}",
                        Val.record(Val.field("first-name", Val.string("Ann")), Val.field("age", Val.u8(30)),
                                Val.field("tags", Val.list(Val.string("a"), Val.string("b")))),
                        "{first-name: \"Ann\", age: 30, tags: [\"a\", \"b\"]}"),
                Arguments.of("echo-list-record", "[{x: 1, y: 2}, {x: -3, y: 4}]",
                        Val.list(p(1, 2).val(), p(-3, 4).val()), "[{x: 1, y: 2}, {x: -3, y: 4}]"),
                Arguments.of("echo-tuple", "(7, \"seven\", 7.5)",
                        Val.tuple(Val.u32(7), Val.string("seven"), Val.f64(7.5)), "(7, \"seven\", 7.5)"),
                Arguments.of("echo-variant", "circle(2.5)", Val.variant("circle", Val.f64(2.5)), "circle(2.5)"),
                Arguments.of("echo-variant", "rect({x: 1, y: 2})", Val.variant("rect", p(1, 2).val()),
                        "rect({x: 1, y: 2})"),
                Arguments.of("echo-variant", "none-shape", Val.variant("none-shape"), "none-shape"),
                Arguments.of("echo-enum", "green", Val.enumCase("green"), "green"),
                Arguments.of("echo-option", "some(5)", Val.some(Val.u32(5)), "some(5)"),
                Arguments.of("echo-option", "none", Val.none(), "none"),
                // WAVE's shorthand: a bare value is `some` of it.
                Arguments.of("echo-option", "5", Val.some(Val.u32(5)), "some(5)"),
                Arguments.of("echo-option-option", "none", Val.none(), "none"),
                Arguments.of("echo-option-option", "some(none)", Val.some(Val.none()), "some(none)"),
                Arguments.of("echo-option-option", "some(some(\"x\"))", Val.some(Val.some(Val.string("x"))),
                        "some(some(\"x\"))"),
                Arguments.of("echo-result", "ok(1)", Val.ok(Val.u32(1)), "ok(1)"),
                Arguments.of("echo-result", "err(\"bad\")", Val.err(Val.string("bad")), "err(\"bad\")"),
                Arguments.of("echo-result-empty", "ok", Val.ok(), "ok"),
                Arguments.of("echo-result-empty", "err", Val.err(), "err"),
                Arguments.of("echo-flags", "{read, exec}", Val.flags("read", "exec"), "{read, exec}"),
                Arguments.of("echo-flags", "{exec, read}", Val.flags("read", "exec"), "{read, exec}"),
                Arguments.of("echo-flags", "{}", Val.flags(), "{}"),
                Arguments.of("echo-flags", "{read, write, exec}", Val.flags("read", "write", "exec"),
                        "{read, write, exec}"),
                Arguments.of("echo-flags-big", "{f0, f31}", Val.flags("f0", "f31"), "{f0, f31}"));
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("cases")
    void parseCallFormat(String func, String wave, Val parsed, String printed) {
        Func f = fx.func(func);
        List<Val> args = f.parseWaveArguments(wave);
        assertEquals(List.of(parsed), args);
        List<Val> result = f.callValues(args);
        assertEquals(List.of(parsed), result);
        assertEquals(printed, f.formatWave(0, result.get(0)));
    }

    @Test
    void floatSpecialsParseToTheExactBits() {
        Val negZero = fx.func("echo-f64").parseWaveArguments("-0.0").get(0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(((Val.F64) negZero).value()));
        Val nan = fx.func("echo-f32").parseWaveArguments("nan").get(0);
        assertTrue(Float.isNaN(((Val.F32) nan).value()));
    }

    @Test
    void negativeZeroAndNanPayloadsPrint() {
        assertEquals("-0", fx.func("echo-f64").formatWave(0, Val.f64(-0.0)));
        assertEquals("0", fx.func("echo-f64").formatWave(0, Val.f64(0.0)));
        assertEquals("nan", fx.func("echo-f64").formatWave(0, Val.f64(Double.longBitsToDouble(0xfff8000000000123L))));
        assertEquals("nan", fx.func("echo-f32").formatWave(0, Val.f32(Float.intBitsToFloat(0x7f800001))));
    }

    @Test
    void multipleArguments() {
        Func many = fx.func("echo-many");
        List<Val> args = many.parseWaveArguments("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17");
        assertEquals(17, args.size());
        for (int i = 0; i < 17; i++) {
            assertEquals(Val.u32(i + 1), args.get(i));
        }
        List<Val> result = many.callValues(args);
        assertEquals(List.of(Val.u64(153L)), result);
        assertEquals("153", many.formatWave(0, result.get(0)));

        Func add = fx.add();
        assertEquals(List.of(Val.u32(1), Val.u32(2)), add.parseWaveArguments("1, 2"));
        assertEquals(List.of(), fx.func("noop").parseWaveArguments(""));
    }

    @Test
    void formatWaveOfAValBuiltByHand() {
        assertEquals("{read, exec}", fx.func("echo-flags").formatWave(0, Val.flags("exec", "read")));
        assertEquals("\"it\\'s\"", fx.func("echo-string").formatWave(0, Val.string("it's")));
        assertEquals("[]", fx.func("echo-list-record").formatWave(0, Val.list()));
    }

    @ParameterizedTest(name = "{0}({1})")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "echo-u32|abc",
        "echo-u32|-1",
        "echo-u32|4294967296",
        "echo-u32|1.5",
        "echo-u8|256",
        "echo-s8|-129",
        "echo-u32|1, 2",
        "echo-u32|``",
        "echo-bool|1",
        "echo-char|'ab'",
        "echo-char|\"a\"",
        "echo-string|\"unterminated",
        "echo-string|abc",
        "echo-record|{x: 1}",
        "echo-record|{x: 1, y: \"2\"}",
        "echo-enum|purple",
        "echo-variant|triangle",
        "echo-variant|circle",
        "echo-variant|none-shape(1)",
        "echo-option|some(-1)",
        "echo-option|some()",
        "echo-result|ok",
        "echo-flags|{read, delete}",
        "echo-flags|read",
        "echo-list-u32|[1, 2",
        "echo-fixed-list|[1, 2, 3]",
        "echo-tuple|(1, \"a\")",
        "noop|1",
    })
    void invalidWaveIsRejected(String func, String wave) {
        assertThrows(IllegalArgumentException.class, () -> fx.func(func).parseWaveArguments(wave));
    }

    @Test
    void invalidWaveMessageSaysWhatIsWrong() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> fx.func("echo-enum").parseWaveArguments("purple")).getMessage();
        assertTrue(m.contains("invalid WAVE") && m.contains("purple"), m);
    }

    @Test
    void formatWaveIndexMustExist() {
        assertThrows(IndexOutOfBoundsException.class, () -> fx.func("echo-u32").formatWave(1, Val.u32(1)));
        assertThrows(IndexOutOfBoundsException.class, () -> fx.func("noop").formatWave(0, Val.u32(1)));
    }

    @Test
    void largeParsedArgumentsOverflowAFreshCallBuffer() throws Exception {
        // A new thread starts with a small (64 KiB) call buffer; these results do not fit it.
        StringBuilder wave = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            wave.append(i == 0 ? "" : ", ").append(i * 7L);
        }
        wave.append(']');
        String big = "🌍".repeat(50_000);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                List<Val> list = fx.func("echo-list-u32").parseWaveArguments(wave.toString());
                java.util.List<Val> items = ((Val.List) list.get(0)).values();
                assertEquals(100_000, items.size());
                for (int i = 0; i < items.size(); i++) {
                    if (!items.get(i).equals(Val.u32(i * 7L))) {
                        assertEquals(Val.u32(i * 7L), items.get(i), "element " + i);
                    }
                }
                assertEquals(List.of(Val.string(big)), fx.func("echo-string").parseWaveArguments("\"" + big + "\""));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void fixedListsPrintButDoNotParse() {
        // wasm-wave (0.254) prints fixed-length lists like lists but its parser has no case for
        // them: parsing is refused with IllegalArgumentException, not a crash.
        Func f = fx.func("echo-fixed-list");
        String m = assertThrows(IllegalArgumentException.class, () -> f.parseWaveArguments("[1, 2, 3, 4]"))
                .getMessage();
        assertTrue(m.contains("invalid WAVE"), m);
        List<Val> result = f.callValues(Val.fixedList(Val.u32(1), Val.u32(2), Val.u32(3), Val.u32(4294967295L)));
        assertEquals("[1, 2, 3, 4294967295]", f.formatWave(0, result.get(0)));
    }

    @Test
    void mapsHaveNoWaveSyntax() {
        // WAVE has no map syntax; wasmtime's parser reports the type as unsupported.
        assertThrows(IllegalArgumentException.class, () -> fx.func("echo-map").parseWaveArguments("[]"));
        // Printing a map is refused the same way, and the store stays usable (see @AfterEach).
        Val m = Val.map(Val.entry(Val.string("a"), Val.u32(1)));
        String msg = assertThrows(IllegalArgumentException.class, () -> fx.func("echo-map").formatWave(0, m))
                .getMessage();
        assertTrue(msg.contains("map"), msg);
    }
}
