package io.github.wasmtimejvm.wit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WIT packages read by wit-parser through the library: files, directories with deps, text,
 * errors with their place, printing back, components' own WIT and checking components against
 * worlds.
 */
class WitPackageTest {

    static final String CALC_WIT = """
            package docs:calc@0.1.0;

            /// Adds numbers.
            interface adder {
              /// a + b, wrapping.
              add: func(a: u32, b: u32) -> u32;
              describe: func(a: u32, b: u32) -> string;
            }

            world adder-world {
              export adder;
            }
            """;

    static Engine engine;

    @BeforeAll
    static void engine() {
        engine = new Engine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void textParsesToWorldsAndInterfacesWithFullTypes() {
        WitPackage p = WitPackage.fromText("calc.wit", CALC_WIT);
        assertEquals("docs:calc@0.1.0", p.name());
        assertEquals(Set.of("adder-world"), p.worldNames());
        ComponentType world = p.world("adder-world");
        assertEquals(List.of(), world.imports());
        NamedItem adder = world.exportNamed("docs:calc/adder@0.1.0").orElseThrow();
        ItemType.Instance instance = (ItemType.Instance) adder.type();
        FuncType add = ((ItemType.Func) instance.export("add").orElseThrow().type()).type();
        assertEquals(FuncType.builder().param("a", Primitive.U32).param("b", Primitive.U32)
                .result(Primitive.U32).build(), add);
        assertEquals(List.of("docs:calc/adder@0.1.0"),
                p.interfaces().stream().map(NamedItem::name).toList());
    }

    @Test
    void printsBackAsWitWithDocComments() {
        WitPackage p = WitPackage.fromText("calc.wit", CALC_WIT);
        String wit = p.toWit();
        assertTrue(wit.startsWith("package docs:calc@0.1.0;\n"), wit);
        assertTrue(wit.contains("/// Adds numbers.\ninterface adder {"), wit);
        assertTrue(wit.contains("  /// a + b, wrapping.\n  add: func(a: u32, b: u32) -> u32;"), wit);
        assertTrue(wit.contains("world adder-world {\n  export adder;\n}"), wit);
        assertEquals(wit, p.toString());
        // What it prints parses to the same package.
        assertEquals(p, WitPackage.fromText(wit));
        assertEquals(p.hashCode(), WitPackage.fromText(wit).hashCode());
    }

    @Test
    void binaryRoundTrips() {
        WitPackage p = WitPackage.fromText(CALC_WIT);
        byte[] bytes = p.toBinary();
        assertEquals(0, bytes[0]);
        WitPackage back = WitPackage.fromBinary(bytes);
        assertEquals(p, back);
        assertEquals(p.toWit(), back.toWit());
        bytes[0] = 42; // a copy: the package is unchanged
        assertEquals(p, back);
        assertThrows(CompileException.class, () -> WitPackage.fromBinary(new byte[] {0, 'a', 's', 'm'}));
    }

    @Test
    void aDirectoryWithDepsResolvesAcrossPackages(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("deps/log"));
        Files.writeString(dir.resolve("deps/log/log.wit"), """
                package docs:log@1.0.0;
                interface logger { log: func(msg: string); }
                """);
        Files.writeString(dir.resolve("app.wit"), """
                package docs:app;
                world app {
                  import docs:log/logger@1.0.0;
                  export run: func() -> u32;
                }
                """);
        WitPackage p = WitPackage.parse(dir);
        assertEquals("docs:app", p.name());
        ComponentType app = p.world("app");
        assertTrue(app.importNamed("docs:log/logger@1.0.0").isPresent(), app.toString());
        assertTrue(app.exportNamed("run").isPresent(), app.toString());
        String wit = p.toWit();
        assertTrue(wit.contains("package docs:log@1.0.0 {"), wit);
        assertTrue(wit.contains("log: func(msg: string);"), wit);
    }

    @Test
    void theSeedPackageParsesFromItsFolder() {
        WitPackage calc = WitPackage.parse(Guests.wit("calc"));
        assertEquals("docs:calc@0.1.0", calc.name());
        assertEquals(List.of("adder-world", "calculator"), List.copyOf(calc.worldNames()));
        assertTrue(calc.world("calculator").importNamed("docs:calc/adder@0.1.0").isPresent());
        assertTrue(calc.toWit().contains("/// Addition of two numbers, as a number and as a sentence."),
                calc.toWit());
    }

    @Test
    void aSyntaxErrorCarriesFileLineAndColumn() {
        WitException e = assertThrows(WitException.class, () -> WitPackage.fromText("bad.wit", """
                package docs:bad;
                interface i {
                  f: func(a: u32 -> u32;
                }
                """));
        assertEquals("bad.wit", e.file().orElseThrow());
        assertEquals(3, e.line());
        assertTrue(e.column() > 0, "column " + e.column());
        assertTrue(e.getMessage().contains("bad.wit:3:"), e.getMessage());
    }

    @Test
    void aResolutionErrorNamesTheUnknownType(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("unknown.wit");
        Files.writeString(file, """
                package docs:bad;
                interface i {
                  f: func(a: no-such-type);
                }
                """);
        WitException e = assertThrows(WitException.class, () -> WitPackage.parse(file));
        assertTrue(e.getMessage().contains("no-such-type"), e.getMessage());
        assertTrue(e.file().orElseThrow().endsWith("unknown.wit"), e.file().toString());
        assertEquals(3, e.line());
    }

    @Test
    void deeplyNestedTypesAreAnErrorNotAStackOverflow() {
        for (int depth : new int[] {1_000, 1_000_000}) {
            String text = "package a:b;\ninterface i {\n  type t = " + "list<".repeat(depth) + "u8"
                    + ">".repeat(depth) + ";\n}\n";
            WitException e = assertThrows(WitException.class, () -> WitPackage.fromText(text));
            assertTrue(e.getMessage().contains("type nesting too deep"), e.getMessage());
            assertEquals(3, e.line());
        }
    }

    @Test
    void garbageBytesAreRefused() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (bytes.length > 8 && random.nextBoolean()) { // a header, then garbage
                System.arraycopy(new byte[] {0, 'a', 's', 'm', 0x0d, 0, 1, 0}, 0, bytes, 0, 8);
            }
            assertThrows(RuntimeException.class, () -> WitPackage.fromBinary(bytes));
        }
    }

    @Test
    void aMissingPathIsAnError(@TempDir Path dir) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> WitPackage.parse(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void anUnknownWorldListsTheWorlds() {
        WitPackage p = WitPackage.fromText(CALC_WIT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.world("nope"));
        assertEquals("package docs:calc@0.1.0 has no world `nope`; its worlds: adder-world", e.getMessage());
    }

    @Test
    void aComponentsWitIsItsWorldWithThePackagesItUses() {
        try (Component c = Component.fromFile(engine, Guests.path(Guests.CALCULATOR_C))) {
            String wit = c.wit();
            assertTrue(wit.startsWith("package root:component;"), wit);
            assertTrue(wit.contains("world root {\n  import docs:calc/adder@0.1.0;\n\n  export docs:calc/calc@0.1.0;\n}"),
                    wit);
            // The interfaces come with their package, their versions and doc comments.
            assertTrue(wit.contains("package docs:calc@0.1.0 {"), wit);
            assertTrue(wit.contains("add-three: func(a: u32, b: u32, c: u32) -> u32;"), wit);
            assertEquals("root:component", c.witPackage().name());
            assertEquals(c.type(), c.witPackage().world("root"));
        }
    }

    @Test
    void aPrecompiledComponentHasNoWit() {
        try (Component c = Component.fromFile(engine, Fixtures.component("add"));
                Component pre = Component.deserialize(engine, c.serialize())) {
            assertTrue(c.wit().contains("export add: func(a: u32, b: u32) -> u32;"), c.wit());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, pre::wit);
            assertTrue(e.getMessage().contains("precompiled"), e.getMessage());
        }
    }

    @Test
    void componentsAreCheckedAgainstWorlds() {
        WitPackage calc = WitPackage.parse(Guests.wit("calc"));
        try (Component adder = Component.fromFile(engine, Guests.path(Guests.ADDER_C));
                Component calculator = Component.fromFile(engine, Guests.path(Guests.CALCULATOR_C))) {
            WorldCheck fits = adder.check(calc, "adder-world");
            assertTrue(fits.matches(), fits.toString());
            assertEquals("docs:calc@0.1.0/adder-world", fits.world());
            assertTrue(calculator.check(calc, "calculator").matches());

            // The adder exports nothing of calc; the calculator imports what adder-world forbids.
            WorldCheck wrong = calculator.check(calc, "adder-world");
            assertFalse(wrong.matches());
            assertEquals(List.of(WorldCheck.Kind.MISSING_EXPORT, WorldCheck.Kind.IMPORT_NOT_ALLOWED),
                    wrong.mismatches().stream().map(WorldCheck.Mismatch::kind).toList(), wrong.toString());
            assertEquals("docs:calc/adder@0.1.0", wrong.mismatches().get(0).name());
            assertTrue(wrong.toString().startsWith("2 mismatches with world docs:calc@0.1.0/adder-world:\n"),
                    wrong.toString());
        }
    }

    @Test
    void everyTypeMismatchIsListedWithBothTypes() {
        WitPackage world = WitPackage.fromText("""
                package docs:w;
                world w {
                  import log: func(msg: string);
                  export one: func() -> u32;
                  export two: func(x: u32) -> string;
                  export three: func();
                }
                """);
        try (Component c = Component.fromWat(engine, """
                (component
                  (import "log" (func (param "msg" u32)))
                  (import "extra" (func))
                  (core module $m (func (export "f") (result i64) i64.const 1))
                  (core instance $i (instantiate $m))
                  (func (export "one") (result u64) (canon lift (core func $i "f"))))
                """)) {
            WorldCheck check = c.check(world);
            List<WorldCheck.Mismatch> m = check.mismatches();
            assertEquals(5, m.size(), check.toString());
            WorldCheck.Mismatch one = m.stream().filter(x -> x.name().equals("one")).findFirst().orElseThrow();
            assertEquals(WorldCheck.Kind.EXPORT_TYPE, one.kind());
            assertEquals("func() -> u32", one.expected());
            assertEquals("func() -> u64", one.found());
            assertTrue(m.stream().anyMatch(x -> x.kind() == WorldCheck.Kind.MISSING_EXPORT && x.name().equals("two")
                    && x.found() == null && x.expected().equals("func(x: u32) -> string")), check.toString());
            assertTrue(m.stream().anyMatch(x -> x.kind() == WorldCheck.Kind.MISSING_EXPORT && x.name().equals("three")),
                    check.toString());
            assertTrue(m.stream().anyMatch(x -> x.kind() == WorldCheck.Kind.IMPORT_TYPE && x.name().equals("log")
                    && x.expected().equals("func(msg: string)") && x.found().equals("func(msg: u32)")), check.toString());
            assertTrue(m.stream().anyMatch(x -> x.kind() == WorldCheck.Kind.IMPORT_NOT_ALLOWED
                    && x.name().equals("extra") && x.expected() == null), check.toString());
            assertNotEquals(check, c.check(WitPackage.fromText(CALC_WIT)));
        }
    }

    @Test
    void everyFixtureFitsItsOwnWit() throws Exception {
        // wit/fixtures/X.wit is the WIT of corpus/components/X.wat: each must fit it, resources,
        // nested interfaces and all, or the check reports a mismatch that is not there.
        try (java.util.stream.Stream<Path> files = Files.list(Fixtures.corpus().resolve("../wit/fixtures"))) {
            List<Path> wits = files.filter(f -> f.toString().endsWith(".wit")).sorted().toList();
            assertTrue(wits.size() >= 5, wits.toString());
            for (Path wit : wits) {
                String name = wit.getFileName().toString().replace(".wit", "");
                try (Component c = Component.fromFile(engine, Fixtures.component(name))) {
                    WorldCheck check = c.check(WitPackage.parse(wit), "root");
                    assertTrue(check.matches(), name + ": " + check);
                    // And against the WIT decoded from it.
                    assertTrue(c.check(c.witPackage(), "root").matches(), name);
                }
            }
        }
    }

    @Test
    void checkingNeedsAWorldName() {
        WitPackage two = WitPackage.fromText("package docs:two; world a {} world b {}");
        try (Component c = Component.fromFile(engine, Fixtures.component("add"))) {
            assertEquals("package docs:two has worlds a, b: name the world to check against",
                    assertThrows(IllegalArgumentException.class, () -> c.check(two)).getMessage());
            assertEquals("package docs:two has no world `c`; its worlds: a, b",
                    assertThrows(IllegalArgumentException.class, () -> c.check(two, "c")).getMessage());
            // Exports beyond the world's are allowed, as a subtype may have more.
            assertTrue(c.check(two, "a").matches(), c.check(two, "a").toString());
        }
    }
}
