package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TestBinaries;
import io.github.wasmtimejvm.UnknownExportException;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.ItemType;
import io.github.wasmtimejvm.wit.NamedItem;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceTest {

    static final String OPS = "docs:calc/ops@1.0.0";
    static final FuncType S32_BINARY = new FuncType(
            List.of(new FuncType.Param("a", Primitive.S32), new FuncType.Param("b", Primitive.S32)),
            List.of(Primitive.S32), false);

    static Engine engine;
    static Component nested;
    static Linker linker;

    Store store;
    Instance instance;

    @BeforeAll
    static void compile() {
        engine = new Engine();
        nested = Component.fromFile(engine, Fixtures.component("nested"));
        linker = new Linker(engine);
    }

    @AfterAll
    static void closeAll() {
        linker.close();
        nested.close();
        engine.close();
    }

    @BeforeEach
    void instantiate() {
        store = new Store(engine);
        instance = linker.instantiate(store, nested);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void interfaceFunctionByInterfaceAndName() {
        Func mul = instance.func(OPS, "mul");
        assertEquals(OPS + "#mul", mul.name());
        assertEquals(S32_BINARY, mul.type());
        assertSame(store, mul.store());
        assertEquals(-12, mul.call(-3, 4));
        assertEquals(12, mul.call(-3, -4));
        assertEquals(0, mul.call(0, Integer.MIN_VALUE));
        // i32.mul wraps: MIN * -1 == MIN
        assertEquals(Integer.MIN_VALUE, mul.call(Integer.MIN_VALUE, -1));
        assertEquals(Integer.class, mul.call(2, 3).getClass());
    }

    @Test
    void interfaceFunctionByHashPath() {
        Func add = instance.func(OPS + "#add");
        assertEquals(OPS + "#add", add.name());
        assertEquals(S32_BINARY, add.type());
        assertEquals(-2, add.call(-5, 3));
        assertEquals(-8, add.call(-5, -3));
        assertEquals(Integer.MIN_VALUE, add.call(Integer.MAX_VALUE, 1));
        assertEquals(List.of(Val.s32(-1)), add.callValues(Val.s32(-3), Val.s32(2)));
        assertEquals(-7L, add.scalar().call(-10, 3));
    }

    @Test
    void s32OutOfRangeIsRejected() {
        Func add = instance.func(OPS, "add");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> add.call(1L << 31, 0));
        assertTrue(e.getMessage().startsWith("argument `a` of `" + OPS + "#add`: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> add.call(0, -(1L << 31) - 1));
        assertTrue(e.getMessage().startsWith("argument `b` of `" + OPS + "#add`: "), e.getMessage());
    }

    @Test
    void rootFunctionNextToTheInterface() {
        Func version = instance.func("version");
        assertEquals("version", version.name());
        assertEquals(new FuncType(List.of(), List.of(Primitive.STRING), false), version.type());
        assertEquals("1.0.0", version.call());
        assertEquals("version: func() -> string", version.toString());
    }

    @Test
    void repeatedLookupReturnsTheSameFunc() {
        Func add = instance.func(OPS, "add");
        assertSame(add, instance.func(OPS, "add"));
        assertSame(add, instance.func(OPS + "#add"));
        assertSame(instance.func("version"), instance.func("version"));
        assertNotSame(add, instance.func(OPS, "mul"));
        // Another instance has its own functions.
        Instance other = linker.instantiate(store, nested);
        assertNotSame(add, other.func(OPS, "add"));
        assertEquals(3, other.func(OPS, "add").call(1, 2));
    }

    @Test
    void unknownRootExportListsTheRealOnes() {
        UnknownExportException e = assertThrows(UnknownExportException.class, () -> instance.func("nope"));
        assertEquals("nope", e.exportName());
        assertEquals(List.of(OPS, "version"), e.availableExports());
        assertEquals("no export named `nope`; the exports are: docs:calc/ops@1.0.0, version", e.getMessage());

        // `add` exists only inside the interface.
        e = assertThrows(UnknownExportException.class, () -> instance.func("add"));
        assertEquals("add", e.exportName());
        assertEquals(List.of(OPS, "version"), e.availableExports());
    }

    @Test
    void unknownNameInsideTheInterfaceListsItsFunctions() {
        UnknownExportException e = assertThrows(UnknownExportException.class, () -> instance.func(OPS, "div"));
        assertEquals(OPS + "#div", e.exportName());
        assertEquals(List.of("add", "mul"), e.availableExports());
        assertEquals("no export named `docs:calc/ops@1.0.0#div`; the exports are: add, mul", e.getMessage());

        e = assertThrows(UnknownExportException.class, () -> instance.func(OPS + "#version"));
        assertEquals(OPS + "#version", e.exportName());
        assertEquals(List.of("add", "mul"), e.availableExports());
    }

    @Test
    void unknownInterfaceListsTheRootExports() {
        UnknownExportException e = assertThrows(UnknownExportException.class,
                () -> instance.func("docs:calc/ops@2.0.0", "add"));
        assertEquals("docs:calc/ops@2.0.0", e.exportName());
        assertEquals(List.of(OPS, "version"), e.availableExports());
        assertEquals("no export named `docs:calc/ops@2.0.0`; the exports are: docs:calc/ops@1.0.0, version",
                e.getMessage());

        e = assertThrows(UnknownExportException.class, () -> instance.func("docs:nope/x@1.0.0#add"));
        assertEquals("docs:nope/x@1.0.0", e.exportName());
        assertEquals(List.of(OPS, "version"), e.availableExports());
    }

    @Test
    void aTrailingHashIsPartOfTheName() {
        UnknownExportException e = assertThrows(UnknownExportException.class, () -> instance.func(OPS + "#"));
        assertEquals(OPS + "#", e.exportName());
        assertEquals(List.of(OPS, "version"), e.availableExports());
    }

    @Test
    void anInterfaceIsNotAFunction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> instance.func(OPS));
        assertEquals("export `docs:calc/ops@1.0.0` is not a function", e.getMessage());
    }

    @Test
    void aFunctionIsNotAnInterface() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> instance.func("version", "x"));
        assertEquals("export `version` is not an interface instance, so it has no export `x`", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> instance.exports("version"));
        assertEquals("export `version` is not an interface instance", e.getMessage());
    }

    @Test
    void rootExportsDescribeTheItems() {
        List<NamedItem> exports = instance.exports();
        assertEquals(List.of(
                        new NamedItem(OPS, new ItemType.Instance(List.of(
                                new NamedItem("add", new ItemType.Func(S32_BINARY)),
                                new NamedItem("mul", new ItemType.Func(S32_BINARY))))),
                        new NamedItem("version", new ItemType.Func(
                                new FuncType(List.of(), List.of(Primitive.STRING), false)))),
                exports);
        // The same as the component's static type.
        assertEquals(nested.type().exports(), exports);
    }

    @Test
    void interfaceExportsDescribeTheFunctions() {
        assertEquals(List.of(new NamedItem("add", new ItemType.Func(S32_BINARY)),
                        new NamedItem("mul", new ItemType.Func(S32_BINARY))),
                instance.exports(OPS));
        UnknownExportException e = assertThrows(UnknownExportException.class, () -> instance.exports("nope"));
        assertEquals(List.of(OPS, "version"), e.availableExports());
        assertEquals("no export named `nope`; the exports are: docs:calc/ops@1.0.0, version", e.getMessage());
    }

    @Test
    void resourceInterfaceExportsNameTheResource() {
        try (Component resource = Component.fromFile(engine, Fixtures.component("resource"))) {
            Instance r = linker.instantiate(store, resource);
            List<NamedItem> exports = r.exports("docs:counter/api@1.0.0");
            assertEquals(new NamedItem("counter", new ItemType.Resource("counter")), exports.get(0));
            assertEquals("func(self: borrow<counter>) -> u32",
                    assertInstanceOf(ItemType.Func.class, exports.get(2).type()).type().toString());
            Func ctor = r.func("docs:counter/api@1.0.0", "[constructor]counter");
            assertEquals("func(start: u32) -> counter", ctor.type().toString());
            assertEquals(0L, r.func("docs:counter/api@1.0.0#live-count").call());
            UnknownExportException e = assertThrows(UnknownExportException.class,
                    () -> r.func("docs:counter/api@1.0.0", "counter.get"));
            assertEquals(List.of("counter", "[constructor]counter", "[method]counter.increment",
                    "[method]counter.get", "[static]counter.zero", "live-count", "sum", "consume"),
                    e.availableExports());
            IllegalArgumentException notFunc = assertThrows(IllegalArgumentException.class,
                    () -> r.func("docs:counter/api@1.0.0", "counter"));
            assertEquals("export `docs:counter/api@1.0.0#counter` is not a function", notFunc.getMessage());
        }
    }

    @Test
    void formatWaveOfAnOwnedResourceRefusesAndLeavesItWithTheHost() {
        String api = "docs:counter/api@1.0.0";
        try (Component resource = Component.fromFile(engine, Fixtures.component("resource"))) {
            Instance r = linker.instantiate(store, resource);
            Func zero = r.func(api, "[static]counter.zero");
            Func liveCount = r.func(api, "live-count");
            Val.Own counter = (Val.Own) zero.callValues().get(0);
            assertEquals(1L, liveCount.call());
            assertEquals(1, store.liveResources());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> zero.formatWave(0, counter));
            assertTrue(e.getMessage().endsWith("cannot print value as WAVE: WAVE has no syntax for resource values"),
                    e.getMessage());

            // Printing is not passing: the host still holds the counter and can use and drop it.
            assertTrue(counter.resource().isValid());
            assertEquals(1, store.liveResources());
            assertEquals(0L, r.func(api, "[method]counter.get").call(counter.resource()));
            counter.resource().close();
            assertEquals(0L, liveCount.call(), "the guest destructor ran");
            assertEquals(0, store.liveResources());
        }
    }

    @Test
    void componentWithoutExportsSaysSo() {
        try (Component empty = Component.fromBytes(engine, TestBinaries.emptyComponent())) {
            Instance e = linker.instantiate(store, empty);
            assertEquals(List.of(), e.exports());
            UnknownExportException x = assertThrows(UnknownExportException.class, () -> e.func("add"));
            assertEquals(List.of(), x.availableExports());
            assertEquals("no export named `add`: this item has no exports", x.getMessage());
        }
    }

    @Test
    void instanceOfAClosedStoreCannotBeUsed() {
        Func add = instance.func(OPS, "add");
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> instance.func("version"));
        assertEquals("Store is closed", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> instance.exports());
        assertEquals("Store is closed", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> add.call(1, 2));
        assertEquals("Store is closed", e.getMessage());
    }

    @Test
    void nullNamesAreRejected() {
        assertThrows(NullPointerException.class, () -> instance.func(null));
        assertThrows(NullPointerException.class, () -> instance.func(null, "add"));
        assertThrows(NullPointerException.class, () -> instance.func(OPS, null));
        assertThrows(NullPointerException.class, () -> instance.exports(null));
    }
}
