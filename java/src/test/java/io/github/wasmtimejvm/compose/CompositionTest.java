package io.github.wasmtimejvm.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Composition with small WAT components: a calculator socket importing an adder interface and
 * adders exporting it (right and wrong types), plugged and wired in a graph, then run.
 */
class CompositionTest {

    static final String ADDER_IFACE = "docs:calc/adder@0.1.0";
    static final String CALC_IFACE = "docs:calc/calc@0.1.0";

    /** Exports the adder interface: {@code add: func(a: u32, b: u32) -> u32}. */
    static final byte[] ADDER = wat("""
            (component
              (core module $m
                (func (export "add") (param i32 i32) (result i32)
                  (i32.add (local.get 0) (local.get 1))))
              (core instance $i (instantiate $m))
              (func $add (param "a" u32) (param "b" u32) (result u32)
                (canon lift (core func $i "add")))
              (instance $adder (export "add" (func $add)))
              (export "docs:calc/adder@0.1.0" (instance $adder)))
            """);

    /** Exports {@code add} at the root, adding 100 more: its instance is an adder. */
    static final byte[] ROOT_ADDER = wat("""
            (component
              (core module $m
                (func (export "add") (param i32 i32) (result i32)
                  (i32.add (i32.const 100) (i32.add (local.get 0) (local.get 1)))))
              (core instance $i (instantiate $m))
              (func $add (param "a" u32) (param "b" u32) (result u32)
                (canon lift (core func $i "add")))
              (export "add" (func $add)))
            """);

    /** Exports the adder interface with the wrong type: {@code add: func(a: s64) -> s64}. */
    static final byte[] WRONG_ADDER = wat("""
            (component
              (core module $m (func (export "add") (param i64) (result i64) (local.get 0)))
              (core instance $i (instantiate $m))
              (func $add (param "a" s64) (result s64) (canon lift (core func $i "add")))
              (instance $adder (export "add" (func $add)))
              (export "docs:calc/adder@0.1.0" (instance $adder)))
            """);

    /** Exports only {@code docs:other/thing}, which the calculator does not import. */
    static final byte[] UNRELATED = wat("""
            (component
              (core module $m (func (export "ping")))
              (core instance $i (instantiate $m))
              (func $ping (canon lift (core func $i "ping")))
              (instance $thing (export "ping" (func $ping)))
              (export "docs:other/thing" (instance $thing)))
            """);

    /** Imports the adder; exports the calc interface: {@code add-ten: func(x: u32) -> u32}. */
    static final byte[] CALC = wat("""
            (component
              (import "docs:calc/adder@0.1.0" (instance $adder
                (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
              (alias export $adder "add" (func $add))
              (core func $add_lowered (canon lower (func $add)))
              (core module $m
                (import "host" "add" (func $add (param i32 i32) (result i32)))
                (func (export "add-ten") (param i32) (result i32)
                  (call $add (local.get 0) (i32.const 10))))
              (core instance $i
                (instantiate $m (with "host" (instance (export "add" (func $add_lowered))))))
              (func $add_ten (param "x" u32) (result u32) (canon lift (core func $i "add-ten")))
              (instance $calc (export "add-ten" (func $add_ten)))
              (export "docs:calc/calc@0.1.0" (instance $calc)))
            """);

    static Engine engine;

    @BeforeAll
    static void start() {
        engine = new Engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static byte[] wat(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Instantiates {@code component} with no imports and calls calc's {@code add-ten}. */
    static Object addTen(Component component, long x) {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            return linker.instantiate(store, component).func(CALC_IFACE, "add-ten").call(x);
        }
    }

    static Object addTen(byte[] bytes, long x) {
        try (Component component = Component.fromBytes(engine, bytes)) {
            return addTen(component, x);
        }
    }

    @Test
    void plugSatisfiesTheSocketAndRuns() {
        byte[] composed = Composition.plug(CALC, ADDER);
        assertEquals(0x00, composed[0]);
        assertEquals(15L, addTen(composed, 5));
        try (Component c = Composition.plug(engine, CALC, ADDER)) {
            assertEquals(42L, addTen(c, 32));
        }
        assertEquals(11L, addTen(Composition.plug(CALC, List.of(ADDER)), 1));
    }

    @Test
    void pluggedComponentAnswersAsTheSocketWithAJavaAdder() {
        FuncType add = FuncType.builder()
                .param("a", Primitive.U32)
                .param("b", Primitive.U32)
                .result(Primitive.U32)
                .build();
        try (Component socket = Component.fromBytes(engine, CALC);
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            linker.instance(ADDER_IFACE).func("add", add, args -> (Long) args[0] + (Long) args[1]);
            Object viaJava = linker.instantiate(store, socket).func(CALC_IFACE, "add-ten").call(7);
            assertEquals(viaJava, addTen(Composition.plug(CALC, ADDER), 7));
        }
    }

    @Test
    void plugWithTheWrongTypeNamesBothTypes() {
        ComposeException e = assertThrows(ComposeException.class,
                () -> Composition.plug(CALC, WRONG_ADDER));
        assertEquals("plug 1 exports `docs:calc/adder@0.1.0` as instance { add: func(a: s64) -> s64 }, "
                + "but the socket imports `docs:calc/adder@0.1.0` as instance { add: func(a: u32, b: u32) -> u32 }: "
                + "mismatched type for export `add`: expected function with parameter count 2, "
                + "found parameter count 1", e.getMessage());
    }

    @Test
    void aPlugThatSatisfiesNothingIsNamed() {
        ComposeException e = assertThrows(ComposeException.class,
                () -> Composition.plug(CALC, ADDER, UNRELATED));
        assertEquals("plug 2 satisfies none of the socket's imports: the plug exports `docs:other/thing`: "
                + "instance { ping: func() }; the socket imports `docs:calc/adder@0.1.0`: "
                + "instance { add: func(a: u32, b: u32) -> u32 }", e.getMessage());
    }

    @Test
    void plugRefusesNoPlugsTwoPlugsForOneImportAndCoreModules() {
        assertTrue(assertThrows(ComposeException.class, () -> Composition.plug(CALC))
                .getMessage().startsWith("no plugs given"));
        assertTrue(assertThrows(ComposeException.class, () -> Composition.plug(CALC, ADDER, ADDER))
                .getMessage().contains("satisfied by plug 1 and by plug 2"));
        assertTrue(assertThrows(ComposeException.class, () -> Composition.plug(wat("(module)"), ADDER))
                .getMessage().startsWith("the socket is a core module"));
        assertTrue(assertThrows(ComposeException.class, () -> Composition.plug(CALC, wat("(component (x))")))
                .getMessage().startsWith("plug 1 is neither a component binary nor valid WAT text"));
        assertThrows(NullPointerException.class, () -> Composition.plug(CALC, (byte[]) null));
    }

    @Test
    void graphWiresAnExportToAnImport() {
        Composition c = Composition.builder();
        PackageRef adder = c.addPackage("docs:adder", ADDER);
        PackageRef calc = c.addPackage("docs:calc", CALC);
        InstanceRef a = c.instantiate(adder);
        InstanceRef k = c.instantiate(calc, "calc");
        c.connect(a, ADDER_IFACE, k, ADDER_IFACE).export(k, CALC_IFACE);
        assertEquals(42L, addTen(c.encode(), 32));
        try (Component composed = c.toComponent(engine)) {
            assertEquals(10L, addTen(composed, 0));
        }
        assertEquals("instance #1 (of `docs:adder`)", a.toString());
        assertEquals("instance `calc` (of `docs:calc`)", k.toString());
        assertEquals(List.of(adder, calc), c.packages());
        assertEquals(List.of(a, k), c.instances());
    }

    @Test
    void graphWiresAWholeInstanceAndRenamesExports() {
        Composition c = Composition.builder();
        InstanceRef a = c.instantiate(c.addPackage("docs:root-adder", ROOT_ADDER));
        InstanceRef k = c.instantiate(c.addPackage("docs:calc", CALC));
        c.connect(a, k, ADDER_IFACE);
        c.export(k, CALC_IFACE);
        c.export(a, "add", "plus");
        c.exportInstance(a, "docs:calc/raw");
        try (Component composed = c.toComponent(engine);
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            var instance = linker.instantiate(store, composed);
            assertEquals(111L, instance.func(CALC_IFACE, "add-ten").call(1));
            assertEquals(103L, instance.func("plus").call(1, 2));
            assertEquals(104L, instance.func("docs:calc/raw", "add").call(2, 2));
        }
    }

    @Test
    void graphLeavesUnwiredImportsToTheComposition() {
        Composition c = Composition.builder();
        InstanceRef k = c.instantiate(c.addPackage("docs:calc", CALC));
        c.export(k, CALC_IFACE);
        try (Component composed = c.toComponent(engine);
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, composed));
            assertTrue(e.getMessage().contains(ADDER_IFACE), e.getMessage());
        }
    }

    @Test
    void graphMismatchNamesTheImportAndBothTypes() {
        Composition c = Composition.builder();
        InstanceRef w = c.instantiate(c.addPackage("docs:wrong", WRONG_ADDER));
        InstanceRef k = c.instantiate(c.addPackage("docs:calc", CALC), "calc");
        c.connect(w, ADDER_IFACE, k, ADDER_IFACE).export(k, CALC_IFACE);
        ComposeException e = assertThrows(ComposeException.class, c::encode);
        assertEquals("instance `calc` (of `docs:calc`) imports `docs:calc/adder@0.1.0` as "
                + "instance { add: func(a: u32, b: u32) -> u32 }, but the export `docs:calc/adder@0.1.0` "
                + "of instance #1 (of `docs:wrong`) is instance { add: func(a: s64) -> s64 }: "
                + "mismatched type for export `add`: expected function with parameter count 2, "
                + "found parameter count 1", e.getMessage());
    }

    @Test
    void graphUnknownImportOrExportListsTheNames() {
        Composition c = Composition.builder();
        InstanceRef a = c.instantiate(c.addPackage("docs:adder", ADDER));
        InstanceRef k = c.instantiate(c.addPackage("docs:calc", CALC));
        c.connect(a, ADDER_IFACE, k, "docs:calc/subtractor");
        ComposeException e = assertThrows(ComposeException.class, c::encode);
        assertEquals("instance #2 (of `docs:calc`) has no import named `docs:calc/subtractor`; its imports "
                + "are: `docs:calc/adder@0.1.0`: instance { add: func(a: u32, b: u32) -> u32 }", e.getMessage());

        Composition d = Composition.builder();
        InstanceRef k2 = d.instantiate(d.addPackage("docs:calc", CALC));
        d.export(k2, "nope");
        e = assertThrows(ComposeException.class, d::encode);
        assertEquals("instance #1 (of `docs:calc`) has no export named `nope`; its exports are: "
                + "`docs:calc/calc@0.1.0`: instance { add-ten: func(x: u32) -> u32 }", e.getMessage());
    }

    @Test
    void theBuilderRefusesMistakesAtOnce() {
        Composition c = Composition.builder();
        PackageRef p = c.addPackage("docs:adder", ADDER);
        InstanceRef a = c.instantiate(p, "a");
        InstanceRef b = c.instantiate(c.addPackage("docs:calc", CALC));
        assertThrows(IllegalArgumentException.class, () -> c.addPackage("docs:adder", ADDER));
        assertThrows(IllegalArgumentException.class, () -> c.instantiate(p, "a"));
        assertThrows(IllegalArgumentException.class, () -> c.addPackage(" ", ADDER));
        assertThrows(IllegalArgumentException.class, () -> c.connect(a, a, "x"));
        c.connect(a, ADDER_IFACE, b, ADDER_IFACE);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> c.connect(a, b, ADDER_IFACE));
        assertEquals("the import `docs:calc/adder@0.1.0` of instance #2 (of `docs:calc`) is already "
                + "connected (to the export `docs:calc/adder@0.1.0` of instance `a` (of `docs:adder`))",
                twice.getMessage());
        c.export(b, CALC_IFACE);
        assertThrows(IllegalArgumentException.class, () -> c.export(a, ADDER_IFACE, CALC_IFACE));

        Composition other = Composition.builder();
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> other.instantiate(p));
        assertEquals("package `docs:adder` belongs to another Composition", foreign.getMessage());
        InstanceRef o = other.instantiate(other.addPackage("docs:adder", ADDER));
        assertThrows(IllegalArgumentException.class, () -> c.connect(o, b, "x"));
        assertThrows(NullPointerException.class, () -> c.addPackage("n", (byte[]) null));
    }

    @Test
    void addsPackagesFromFilesAndComponentsSurviveChangesToTheArray(@TempDir Path dir) throws Exception {
        Path calcFile = dir.resolve("calc.wat");
        Files.write(calcFile, CALC);
        byte[] adder = ADDER.clone();
        Composition c = Composition.builder();
        InstanceRef a = c.instantiate(c.addPackage("docs:adder", adder));
        java.util.Arrays.fill(adder, (byte) 0);
        InstanceRef k = c.instantiate(c.addPackage("docs:calc", calcFile));
        c.connect(a, ADDER_IFACE, k, ADDER_IFACE).export(k, CALC_IFACE);
        assertEquals(13L, addTen(c.encode(), 3));
    }
}
