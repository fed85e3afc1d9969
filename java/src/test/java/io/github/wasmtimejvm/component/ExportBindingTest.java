package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.UnknownExportException;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: Java interfaces bound to a component's exports ({@link Instance#bind(Class)}), every
 * WIT kind through corpus/components/echo.wat, checked at bind time.
 */
class ExportBindingTest {

    private static EchoFixture fx;

    @BeforeAll
    static void open() {
        fx = EchoFixture.open();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    record Point(int x, int y) {}

    record Person(String firstName, byte age, List<String> tags) {}

    sealed interface Shape permits Shape.Circle, Shape.Rect, Shape.NoneShape {
        record Circle(double value) implements Shape {}

        record Rect(Point value) implements Shape {}

        record NoneShape() implements Shape {}
    }

    enum Color { RED, GREEN, BLUE }

    enum Perm { READ, WRITE, EXEC }

    record Triple<A, B>(A first, B second, double third) {}

    /** The root functions of echo.wat, each in its first Java form. */
    interface Echo {
        boolean echoBool(boolean v);

        byte echoS8(byte v);

        byte echoU8(byte v);

        short echoS16(short v);

        short echoU16(short v);

        int echoS32(int v);

        int echoU32(int v);

        long echoS64(long v);

        long echoU64(long v);

        float echoF32(float v);

        double echoF64(double v);

        int echoChar(int v);

        String echoString(String v);

        byte[] echoListU8(byte[] v);

        List<Integer> echoListU32(List<Integer> v);

        List<String> echoListString(List<String> v);

        List<List<Integer>> echoListList(List<List<Integer>> v);

        int[] echoFixedList(int[] v);

        Map<String, Integer> echoMap(Map<String, Integer> v);

        Point echoRecord(Point v);

        Person echoPerson(Person v);

        Triple<Integer, String> echoTuple(Triple<Integer, String> v);

        Shape echoVariant(Shape v);

        Color echoEnum(Color v);

        Optional<Integer> echoOption(Optional<Integer> v);

        Optional<Optional<String>> echoOptionOption(Optional<Optional<String>> v);

        Result<Integer, String> echoResult(Result<Integer, String> v);

        Set<Perm> echoFlags(Set<Perm> v);

        List<Point> echoListRecord(List<Point> v);

        void noop();

        default int twice(int v) {
            return echoS32(v) * 2;
        }
    }

    @Test
    void everyKindRoundTrips() {
        Echo e = fx.instance.bind(Echo.class);
        assertTrue(e.echoBool(true));
        assertEquals((byte) -5, e.echoS8((byte) -5));
        assertEquals((byte) 200, e.echoU8((byte) 200));
        assertEquals((short) -300, e.echoS16((short) -300));
        assertEquals((short) 0xffff, e.echoU16((short) 0xffff));
        assertEquals(-7, e.echoS32(-7));
        assertEquals(-1, e.echoU32(-1)); // u32 4294967295 as int bits
        assertEquals(Long.MIN_VALUE, e.echoS64(Long.MIN_VALUE));
        assertEquals(-1L, e.echoU64(-1L));
        assertEquals(1.5f, e.echoF32(1.5f));
        assertEquals(Math.PI, e.echoF64(Math.PI));
        assertEquals(0x1F600, e.echoChar(0x1F600));
        assertEquals("héllo 😀", e.echoString("héllo 😀"));
        assertArrayEquals(new byte[] {1, 2, (byte) 255}, e.echoListU8(new byte[] {1, 2, (byte) 255}));
        assertEquals(List.of(1, 2, -1), e.echoListU32(List.of(1, 2, -1)));
        assertEquals(List.of("a", "b"), e.echoListString(List.of("a", "b")));
        assertEquals(List.of(List.of(1), List.of()), e.echoListList(List.of(List.of(1), List.of())));
        assertArrayEquals(new int[] {1, 2, 3, 4}, e.echoFixedList(new int[] {1, 2, 3, 4}));
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("one", 1);
        map.put("two", 2);
        assertEquals(map, e.echoMap(map));
        assertEquals(new Point(1, -2), e.echoRecord(new Point(1, -2)));
        Person p = new Person("Ada", (byte) 200, List.of("x"));
        assertEquals(p, e.echoPerson(p));
        assertEquals(new Triple<>(7, "seven", 7.5), e.echoTuple(new Triple<>(7, "seven", 7.5)));
        assertEquals(new Shape.Circle(2.5), e.echoVariant(new Shape.Circle(2.5)));
        assertEquals(new Shape.Rect(new Point(3, 4)), e.echoVariant(new Shape.Rect(new Point(3, 4))));
        assertEquals(new Shape.NoneShape(), e.echoVariant(new Shape.NoneShape()));
        assertEquals(Color.BLUE, e.echoEnum(Color.BLUE));
        assertEquals(Optional.of(5), e.echoOption(Optional.of(5)));
        assertEquals(Optional.empty(), e.echoOption(Optional.empty()));
        assertEquals(Optional.of(Optional.empty()), e.echoOptionOption(Optional.of(Optional.empty())));
        assertEquals(Optional.of(Optional.of("in")), e.echoOptionOption(Optional.of(Optional.of("in"))));
        assertEquals(Result.ok(3), e.echoResult(Result.ok(3)));
        assertEquals(Result.err("bad"), e.echoResult(Result.err("bad")));
        Set<Perm> flags = e.echoFlags(EnumSet.of(Perm.READ, Perm.EXEC));
        assertEquals(EnumSet.of(Perm.READ, Perm.EXEC), flags);
        assertInstanceOf(EnumSet.class, flags);
        assertEquals(List.of(new Point(1, 2), new Point(3, 4)), e.echoListRecord(List.of(new Point(1, 2), new Point(3, 4))));
        e.noop();
        assertEquals(-14, e.twice(-7));
    }

    /** The other Java forms a WIT type accepts: wider integers, BigInteger, String chars, arrays. */
    interface EchoWideOk {
        int echoU8(int v);

        long echoU32(long v);

        BigInteger echoU64(BigInteger v);

        long echoS8(long v);

        double echoF32(double v);

        String echoChar(String v);

        String[] echoListString(String[] v);

        Object echoRecord(Object v);

        Val echoPerson(Val v);

        Variant echoVariant(Variant v);

        String echoEnum(String v);

        Set<String> echoFlags(Set<String> v);
    }

    @Test
    void widerFormsHoldValuesExactly() {
        EchoWideOk e = fx.instance.bind(EchoWideOk.class);
        assertEquals(255, e.echoU8(255));
        assertEquals(4_294_967_295L, e.echoU32(4_294_967_295L));
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertEquals(max, e.echoU64(max));
        assertEquals(-128L, e.echoS8(-128L));
        assertEquals(0.5, e.echoF32(0.5));
        assertEquals("😀", e.echoChar("😀"));
        assertArrayEquals(new String[] {"a", "b"}, e.echoListString(new String[] {"a", "b"}));
        assertEquals(Map.of("x", 1, "y", 2), e.echoRecord(Map.of("x", 1, "y", 2)));
        Val person = Val.record(Val.field("first-name", Val.string("B")), Val.field("age", Val.u8(1)),
                Val.field("tags", Val.list()));
        assertEquals(person, e.echoPerson(person));
        assertEquals(new Variant("circle", 1.0), e.echoVariant(new Variant("circle", 1.0)));
        assertEquals("green", e.echoEnum("green"));
        assertEquals(Set.of("write"), e.echoFlags(Set.of("write")));

        // Out of range for the WIT type: refused before the call, naming the argument.
        IllegalArgumentException u8 = assertThrows(IllegalArgumentException.class, () -> e.echoU8(256));
        assertTrue(u8.getMessage().contains("argument `v` of `echo-u8`"), u8.getMessage());
        assertTrue(u8.getMessage().contains("out of range for u8"), u8.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.echoU32(-1));
        assertThrows(IllegalArgumentException.class, () -> e.echoS8(128));
        assertThrows(IllegalArgumentException.class, () -> e.echoF32(0.1));
        assertThrows(IllegalArgumentException.class, () -> e.echoChar("ab"));
    }

    @Test
    void everyMismatchIsListedAtBindTime() {
        interface Wrong {
            String echoS32(String v);

            int echoU8(byte v);

            short echoU32(short v);

            void echoString(String v);

            int missingFunction();

            Point echoPerson(Person v);

            Shape echoEnum(Color v);

            int noop(int extra);
        }
        BindException w = assertThrows(BindException.class, () -> fx.instance.bind(Wrong.class));
        String m = w.getMessage();
        // 2 (echoS32) + 2 (echoU32) + 1 (echoString) + 1 (missing) + 5 (Point for person: three fields
        // without components, two components without fields) + 1 (echoEnum) + 1 (noop); echoU8 fits.
        assertEquals(13, w.problems().size(), m);
        assertTrue(m.contains("Wrong.echoS32 parameter `v`: WIT s32 does not fit Java java.lang.String"), m);
        assertTrue(m.contains("Wrong.echoS32 result: WIT s32 does not fit Java java.lang.String"), m);
        assertFalse(m.contains("Wrong.echoU8"), m);
        assertTrue(m.contains("Wrong.echoU32 parameter `v`: WIT u32 does not fit Java short (a short cannot hold every u32; use int)"), m);
        assertTrue(m.contains("Wrong.echoString: `echo-string` returns string, but the Java method returns void"), m);
        assertTrue(m.contains("Wrong.missingFunction: the root exports has no function `missing-function`; it has echo-bool"), m);
        assertFalse(m.contains("Wrong.echoPerson parameter"), m);
        assertTrue(m.contains("Wrong.echoEnum result: WIT enum"), m);
        assertTrue(m.contains(Point.class.getName() + " has no component for field `first-name`"), m);
        assertTrue(m.contains("Wrong.noop: `noop` takes 0 parameters"), m);
    }

    @Test
    void theBindingCallsTheSameFunctions() {
        Echo e = fx.instance.bind(Echo.class);
        assertEquals(e, e);
        assertFalse(e.equals(fx.instance.bind(Echo.class)));
        assertTrue(e.toString().contains("Echo"), e.toString());
        interface Add {
            int add(int a, int b);
        }
        Add add = fx.addInstance.bind(Add.class);
        assertEquals(3, add.add(1, 2));
        assertEquals(-2, add.add(-1, -1)); // u32 wraps in the guest: 0xffffffff + 0xffffffff
    }

    @Test
    void anInterfaceThatIsNotExportedIsAnUnknownExport() {
        @WitInterface("docs:nothing/here@1.0.0")
        interface Nothing {
            void f();
        }
        assertThrows(UnknownExportException.class, () -> fx.instance.bind(Nothing.class));
        assertThrows(IllegalArgumentException.class, () -> fx.instance.bind(Point.class));
    }

    @Test
    void aClosedStoreFailsTheBoundCallClearly() {
        EchoFixture own = EchoFixture.open();
        Echo e;
        try {
            e = own.instance.bind(Echo.class);
            assertEquals(1, e.echoS32(1));
        } finally {
            own.close();
        }
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.echoS32(1));
        assertTrue(x.getMessage().contains("closed"), x.getMessage());
        IllegalStateException y = assertThrows(IllegalStateException.class, () -> e.echoString("a"));
        assertTrue(y.getMessage().contains("closed"), y.getMessage());
        assertSame(IllegalStateException.class, y.getClass());
    }
}
