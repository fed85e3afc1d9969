package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.UnknownExportException;
import io.github.wasmtimejvm.WasmtimeException;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Linking at run time in one store: a component's import given from another instance's exports
 * ({@link LinkerInstance#defineInstance}), nested linker instances, core modules and one host
 * resource type under two names.
 */
class InstanceLinkingTest {

    static final String ADDER = "docs:calc/adder@0.1.0";
    static final String CALC = "docs:calc/calc@0.1.0";
    static final String COUNTERS = "docs:counter/api@1.0.0";

    /** Imports the counter interface of resource.wat and uses its resource through it. */
    static final String COUNTER_USER = """
            (component
              (import "docs:counter/api@1.0.0" (instance $api
                (export "counter" (type $c (sub resource)))
                (export "[constructor]counter" (func (param "start" u32) (result (own $c))))
                (export "[method]counter.increment" (func (param "self" (borrow $c)) (result u32)))
                (export "consume" (func (param "c" (own $c)) (result u32)))
              ))
              (alias export $api "counter" (type $counter))
              (core func $new (canon lower (func $api "[constructor]counter")))
              (core func $inc (canon lower (func $api "[method]counter.increment")))
              (core func $consume (canon lower (func $api "consume")))
              (core module $m
                (import "api" "new" (func $new (param i32) (result i32)))
                (import "api" "inc" (func $inc (param i32) (result i32)))
                (import "api" "consume" (func $consume (param i32) (result i32)))
                ;; new(start), increment twice, hand it back to consume: start + 2
                (func (export "run") (param $start i32) (result i32)
                  (local $h i32)
                  (local.set $h (call $new (local.get $start)))
                  (drop (call $inc (local.get $h)))
                  (drop (call $inc (local.get $h)))
                  (call $consume (local.get $h)))
                ;; a counter made through the import, given to the caller
                (func (export "make") (param $start i32) (result i32)
                  (call $new (local.get $start)))
              )
              (core instance $i (instantiate $m (with "api" (instance
                (export "new" (func $new))
                (export "inc" (func $inc))
                (export "consume" (func $consume))))))
              (func (export "run") (param "start" u32) (result u32) (canon lift (core func $i "run")))
              (func (export "make") (param "start" u32) (result (own $counter))
                (canon lift (core func $i "make")))
            )
            """;

    /** Exports `outer`, an instance holding the instance `nested` with `return-four`. */
    static final String NESTED_EXPORTER = """
            (component
              (core module $m (func (export "four") (result i32) i32.const 4))
              (core instance $i (instantiate $m))
              (func $four (result u32) (canon lift (core func $i "four")))
              (instance $nested (export "return-four" (func $four)))
              (instance $outer (export "nested" (instance $nested)))
              (export "outer" (instance $outer))
            )
            """;

    /** Imports `host.nested.return-four` and exports it as `four`. */
    static final String NESTED_IMPORTER = """
            (component
              (import "host" (instance $host
                (export "nested" (instance
                  (export "return-four" (func (result u32)))))))
              (alias export $host "nested" (instance $nested))
              (alias export $nested "return-four" (func $four))
              (core func $four_lower (canon lower (func $four)))
              (core module $m
                (import "host" "four" (func $four (result i32)))
                (func (export "four") (result i32) (call $four)))
              (core instance $i (instantiate $m (with "host" (instance (export "four" (func $four_lower))))))
              (func (export "four") (result u32) (canon lift (core func $i "four")))
            )
            """;

    /** A core module that the module importer instantiates. */
    static final String SIMPLE_MODULE = "(module (func (export \"f\") (result i32) i32.const 42))";

    /** Imports the core module `host.simple-module`, instantiates it and exports its `f`. */
    static final String MODULE_IMPORTER = """
            (component
              (import "host" (instance $host
                (export "simple-module" (core module (export "f" (func (result i32)))))))
              (core instance $m (instantiate (module $host "simple-module")))
              (func (export "f") (result u32) (canon lift (core func $m "f")))
            )
            """;

    /** Exports a core module (what a component gives a later one's `host.simple-module`). */
    static final String MODULE_EXPORTER = """
            (component
              (core module $sm (func (export "f") (result i32) i32.const 7))
              (export "simple-module" (core module $sm))
            )
            """;

    static final String TWO_NAMES = """
            (component
              (import "host" (instance
                (export "resource1" (type $r1 (sub resource)))
                (export "resource1-again" (type (eq $r1)))
              ))
            )
            """;

    static Engine engine;
    static Component adder;
    static Component calculator;
    static Component counters;

    @BeforeAll
    static void compile() {
        engine = new Engine();
        adder = Component.fromFile(engine, Fixtures.component("calc-adder"));
        calculator = Component.fromFile(engine, Fixtures.component("calc-calculator"));
        counters = Component.fromFile(engine, Fixtures.component("resource"));
    }

    @AfterAll
    static void close() {
        counters.close();
        calculator.close();
        adder.close();
        engine.close();
    }

    /** Instantiates {@code adderComponent}, gives its interface to the calculator, checks the answers. */
    static void linkAndCheck(Component adderComponent, Component calculatorComponent) {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            Instance a = linker.instantiate(store, adderComponent);
            linker.defineInstance(ADDER, a, ADDER);
            Instance c = linker.instantiate(store, calculatorComponent);
            assertEquals(6L, c.func(CALC, "add-three").call(1, 2, 3));
            assertEquals(0L, c.func(CALC, "add-three").call(4294967295L, 1, 0)); // wraps
            assertEquals(6L, c.func(CALC, "sum").call(List.of(1L, 2L, 3L)));
            assertEquals(0L, c.func(CALC, "sum").call(List.of()));
            assertEquals("1 + 2 = 3", c.func(CALC, "explain").call(1, 2));
            assertEquals("40 + 2 = 42", c.func(CALC, "explain").call(40, 2));
            // The adder is still callable directly, and the calculator's calls did not disturb it.
            assertEquals(5L, a.func(ADDER, "add").call(2, 3));
        }
    }

    @Test
    void aWatCalculatorCallsAWatAdderThroughTheHost() {
        linkAndCheck(adder, calculator);
    }

    @Test
    void realToolchainGuestsLinkInOneStore() {
        try (Component adderC = Component.fromFile(engine, Guests.path(Guests.ADDER_C));
                Component calculatorC = Component.fromFile(engine, Guests.path(Guests.CALCULATOR_C))) {
            linkAndCheck(adderC, calculatorC);
            // Any adder serves any calculator.
            linkAndCheck(adderC, calculator);
            linkAndCheck(adder, calculatorC);
        }
    }

    @Test
    void theSameAnswersAsAJavaAdder() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            WitType u32 = WitType.Primitive.U32;
            linker.instance(ADDER)
                    .func("add", FuncType.of("a", u32, "b", u32).returning(u32),
                            args -> ((Long) args[0] + (Long) args[1]) & 0xffff_ffffL)
                    .func("describe", FuncType.of("a", u32, "b", u32).returning(WitType.Primitive.STRING),
                            args -> args[0] + " + " + args[1] + " = " + (((Long) args[0] + (Long) args[1]) & 0xffff_ffffL));
            Instance c = linker.instantiate(store, calculator);
            assertEquals(6L, c.func(CALC, "add-three").call(1, 2, 3));
            assertEquals("1 + 2 = 3", c.func(CALC, "explain").call(1, 2));
        }
    }

    @Test
    void resourcesPassThroughALinkedInstance() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine);
                Component user = Component.fromWat(engine, COUNTER_USER)) {
            Instance exporter = linker.instantiate(store, counters);
            linker.instance(COUNTERS).defineInstance(exporter, COUNTERS);
            Instance importer = linker.instantiate(store, user);
            Func live = exporter.func(COUNTERS, "live-count");
            assertEquals(0L, live.call());
            // Constructed, borrowed and then owned by the exporter, all through the host.
            assertEquals(12L, importer.func("run").call(10));
            assertEquals(0L, live.call(), "consume dropped the counter");
            // A counter made through the importer is of the exporter's type: its methods take it.
            Object made = importer.func("make").call(5);
            Resource counter = assertInstanceOf(Resource.class, made);
            assertEquals(1L, live.call());
            assertEquals(6L, exporter.func(COUNTERS, "[method]counter.increment").call(counter));
            assertEquals(6L, exporter.func(COUNTERS, "consume").call(counter));
            assertEquals(0L, live.call());
        }
    }

    @Test
    void nestedLinkerInstancesServeNestedImports() {
        try (Component importer = Component.fromWat(engine, NESTED_IMPORTER);
                Component exporter = Component.fromWat(engine, NESTED_EXPORTER)) {
            // Defined by the host, two levels deep.
            try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
                LinkerInstance nested = linker.instance("host").instance("nested");
                assertEquals(List.of("host", "nested"), nested.path());
                assertEquals("host/nested", nested.name());
                nested.func("return-four", FuncType.builder().result(WitType.Primitive.U32).build(), args -> 4L);
                assertEquals(4L, linker.instantiate(store, importer).func("four").call());
            }
            // Defined from another instance's nested exported instance.
            try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
                Instance e = linker.instantiate(store, exporter);
                linker.instance("host").defineInstance(e, "outer");
                assertEquals(4L, linker.instantiate(store, importer).func("four").call());
            }
            // Without it, the import is missing, named.
            try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
                LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, importer));
                assertTrue(e.getMessage().contains("host"), e.getMessage());
            }
        }
    }

    @Test
    void aCoreModuleInALinkerInstance() {
        try (Component importer = Component.fromWat(engine, MODULE_IMPORTER);
                Component exporter = Component.fromWat(engine, MODULE_EXPORTER);
                Module module = Module.fromWat(engine, SIMPLE_MODULE)) {
            try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
                linker.instance("host").module("simple-module", module);
                assertEquals(42L, linker.instantiate(store, importer).func("f").call());
            }
            // The module a component exports, defined from its instance (its root exports).
            try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
                linker.instance("host").defineInstance(linker.instantiate(store, exporter));
                assertEquals(7L, linker.instantiate(store, importer).func("f").call());
            }
            // A module of another type is a link error.
            try (Linker linker = new Linker(engine); Store store = new Store(engine);
                    Module other = Module.fromWat(engine, "(module (func (export \"g\")))")) {
                linker.instance("host").module("simple-module", other);
                assertThrows(LinkException.class, () -> linker.instantiate(store, importer));
            }
        }
    }

    @Test
    void oneHostResourceTypeUnderTwoNames() {
        HostResourceType<Object> r1 = HostResourceType.create("resource1", Object.class, null);
        try (Component twoNames = Component.fromWat(engine, TWO_NAMES)) {
            try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
                linker.instance("host").resource(r1).resource("resource1-again", r1);
                linker.instantiate(store, twoNames); // the equality constraint holds
            }
            // Two distinct types under those names do not satisfy it.
            HostResourceType<Object> other = HostResourceType.create("resource1-again", Object.class, null);
            try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
                linker.instance("host").resource(r1).resource(other);
                LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, twoNames));
                assertTrue(e.getMessage().contains("mismatched resource types"), e.getMessage());
            }
        }
        try (Linker linker = new Linker(engine); Module module = Module.fromWat(engine, SIMPLE_MODULE)) {
            assertThrows(IllegalArgumentException.class, () -> linker.root().resource("", r1));
            assertThrows(IllegalArgumentException.class, () -> linker.root().instance(""));
            assertThrows(IllegalArgumentException.class, () -> linker.root().module("", module));
        }
    }

    @Test
    void anUnknownExportIsNamedWithThoseThatExist() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            Instance a = linker.instantiate(store, adder);
            UnknownExportException e = assertThrows(UnknownExportException.class,
                    () -> linker.defineInstance(ADDER, a, "docs:calc/adder@9.9.9"));
            assertTrue(e.getMessage().contains("docs:calc/adder@9.9.9"), e.getMessage());
            assertTrue(e.getMessage().contains(ADDER), e.getMessage());
        }
        try (Linker linker = new Linker(engine); Store store = new Store(engine);
                Component add = Component.fromFile(engine, Fixtures.component("add"))) {
            Instance i = linker.instantiate(store, add);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> linker.instance("x").defineInstance(i, "add"));
            assertTrue(e.getMessage().contains("not an exported instance"), e.getMessage());
        }
    }

    @Test
    void anImportOfAnotherTypeThanTheExportIsALinkError() {
        String mistyped = "(component (import \"docs:calc/adder@0.1.0\" (instance"
                + " (export \"describe\" (func (param \"a\" u32) (param \"b\" u32) (result u32))))))";
        try (Linker linker = new Linker(engine); Store store = new Store(engine);
                Component importer = Component.fromWat(engine, mistyped)) {
            linker.defineInstance(ADDER, linker.instantiate(store, adder), ADDER);
            LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, importer));
            assertTrue(e.getMessage().contains(ADDER + "#describe"), e.getMessage());
            assertTrue(e.getMessage().contains("string"), e.getMessage());
            assertTrue(e.getMessage().contains("u32"), e.getMessage());
        }
    }

        @Test
    void anInstanceOfAClosedStoreIsRefused() {
        try (Linker linker = new Linker(engine)) {
            Instance a;
            try (Store store = new Store(engine)) {
                a = linker.instantiate(store, adder);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> linker.defineInstance(ADDER, a, ADDER));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void functionsOfAnInstanceServeOnlyItsStore() {
        try (Linker linker = new Linker(engine); Store first = new Store(engine); Store second = new Store(engine)) {
            linker.defineInstance(ADDER, linker.instantiate(first, adder), ADDER);
            LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(second, calculator));
            assertTrue(e.getMessage().contains("another store"), e.getMessage());
            assertTrue(e.getMessage().contains(ADDER + "#add"), e.getMessage());
            // Through an instance-pre (no store to check when linking) the call fails instead.
            try (InstancePre pre = linker.instantiatePre(calculator)) {
                Instance c = pre.instantiate(second);
                WasmtimeException call = assertThrows(WasmtimeException.class,
                        () -> c.func(CALC, "add-three").call(1, 2, 3));
                assertTrue(String.valueOf(call.getMessage()).contains("another store")
                        || String.valueOf(call.getCause()).contains("another store"), call.toString());
                // In the right store it works.
                assertEquals(6L, pre.instantiate(first).func(CALC, "add-three").call(1, 2, 3));
            }
        }
    }

    @Test
    void anInstanceOrModuleOfAnotherEngineIsRefused() {
        try (Engine otherEngine = new Engine();
                Component otherAdder = Component.fromFile(otherEngine, Fixtures.component("calc-adder"));
                Linker otherLinker = new Linker(otherEngine);
                Store otherStore = new Store(otherEngine);
                Module otherModule = Module.fromWat(otherEngine, SIMPLE_MODULE);
                Linker linker = new Linker(engine)) {
            Instance foreign = otherLinker.instantiate(otherStore, otherAdder);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> linker.defineInstance(ADDER, foreign, ADDER));
            assertTrue(e.getMessage().contains("different Engine"), e.getMessage());
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                    () -> linker.instance("host").module("simple-module", otherModule));
            assertTrue(m.getMessage().contains("different Engine"), m.getMessage());
        }
    }

    @Test
    void aHostFunctionDefinedLaterShadowsALinkedOne() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine); Store other = new Store(engine)) {
            linker.allowShadowing(true);
            linker.defineInstance(ADDER, linker.instantiate(store, adder), ADDER);
            WitType u32 = WitType.Primitive.U32;
            linker.instance(ADDER)
                    .func("add", FuncType.of("a", u32, "b", u32).returning(u32), args -> 100L)
                    .func("describe", FuncType.of("a", u32, "b", u32).returning(WitType.Primitive.STRING),
                            args -> "host");
            // No function of the first store is left, so any store may instantiate the calculator.
            Instance c = linker.instantiate(other, calculator);
            assertEquals(100L, c.func(CALC, "add-three").call(1, 2, 3));
            assertEquals("host", c.func(CALC, "explain").call(1, 2));
        }
    }
}
