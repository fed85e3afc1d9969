package io.github.wasmtimejvm.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wasi.WasiConfig;
import io.github.wasmtimejvm.wit.WitPackage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Components built from core modules: embed + new with a WIT world (hand-written WAT and the
 * seed adder compiled as a plain core module), and preview 1 modules wrapped with the adapter.
 */
class ComponentEncoderTest {

    static final String ADDER = "docs:calc/adder@0.1.0";

    static final String WIT = """
            package docs:calc@0.1.0;
            interface adder {
              add: func(a: u32, b: u32) -> u32;
              describe: func(a: u32, b: u32) -> string;
            }
            world adder-world { export adder; }
            world add-only { export add: func(a: u32, b: u32) -> u32; }
            """;

    static final String ADD_ONLY_MODULE = """
            (module
              (memory (export "memory") 1)
              (func (export "add") (param i32 i32) (result i32)
                (i32.add (local.get 0) (local.get 1))))
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
    void aWatModuleAndItsWorldBecomeAComponent() {
        WitPackage wit = WitPackage.fromText(WIT);
        byte[] bytes = ComponentEncoder.fromModuleWat(ADD_ONLY_MODULE).world(wit, "add-only").encode();
        try (Component c = Component.fromBytes(engine, bytes); Store store = new Store(engine);
                Linker linker = new Linker(engine)) {
            assertTrue(c.check(wit, "add-only").matches());
            assertEquals(5L, linker.instantiate(store, c).func("add").call(2, 3));
        }
    }

    @Test
    void theSeedAdderModuleBecomesTheAdderComponent() throws Exception {
        WitPackage calc = WitPackage.parse(Guests.wit("calc"));
        byte[] module = Files.readAllBytes(Guests.path(Guests.ADDER_CORE_MODULE));
        try (Component adder = ComponentEncoder.fromModule(module).world(calc, "adder-world").build(engine);
                Store store = new Store(engine);
                Linker linker = new Linker(engine)) {
            assertTrue(adder.check(calc, "adder-world").matches(), adder.check(calc, "adder-world").toString());
            assertTrue(adder.wit().contains("export docs:calc/adder@0.1.0;"), adder.wit());
            Instance i = linker.instantiate(store, adder);
            assertEquals(3L, i.func(ADDER, "add").call(1, 2));
            assertEquals(0L, i.func(ADDER, "add").call(4294967295L, 1));
            // A string result: cabi_realloc is not needed for results, cabi_post_ frees them.
            assertEquals("1 + 2 = 3", i.func(ADDER, "describe").call(1, 2));
            assertEquals("4294967295 + 1 = 0", i.func(ADDER, "describe").call(4294967295L, 1));
        }
    }

    @Test
    void aMissingExportIsNamed() {
        WitPackage wit = WitPackage.fromText(WIT);
        ComposeException e = assertThrows(ComposeException.class,
                () -> ComponentEncoder.fromModuleWat("(module (memory (export \"memory\") 1))")
                        .world(wit, "add-only").encode());
        assertTrue(e.getMessage().contains("add"), e.getMessage());
    }

    @Test
    void aWrongSignatureIsNamed() {
        WitPackage wit = WitPackage.fromText(WIT);
        ComposeException e = assertThrows(ComposeException.class, () -> ComponentEncoder.fromModuleWat("""
                (module (memory (export "memory") 1)
                  (func (export "add") (param i64) (result i32) i32.const 0))
                """).world(wit, "add-only").encode());
        assertTrue(e.getMessage().contains("add"), e.getMessage());
        assertTrue(e.getMessage().contains("type mismatch") || e.getMessage().contains("signature")
                || e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void aStringParameterNeedsCabiRealloc() {
        WitPackage wit = WitPackage.fromText("""
                package docs:s;
                world w { export len: func(s: string) -> u32; }
                """);
        ComposeException e = assertThrows(ComposeException.class, () -> ComponentEncoder.fromModuleWat("""
                (module (memory (export "memory") 1)
                  (func (export "len") (param i32 i32) (result i32) local.get 1))
                """).world(wit).encode());
        assertTrue(e.getMessage().contains("cabi_realloc"), e.getMessage());
    }

    @Test
    void anUnknownWorldAndAComponentAreRefused() {
        WitPackage wit = WitPackage.fromText(WIT);
        assertThrows(RuntimeException.class,
                () -> ComponentEncoder.fromModuleWat(ADD_ONLY_MODULE).world(wit, "nope").encode());
        ComposeException component = assertThrows(ComposeException.class,
                () -> ComponentEncoder.fromModuleWat("(component)").world(wit, "add-only").encode());
        assertTrue(component.getMessage().contains("already a component"), component.getMessage());
        assertThrows(CompileException.class,
                () -> ComponentEncoder.fromModule("(module".getBytes(StandardCharsets.UTF_8)).encode());
        assertThrows(NullPointerException.class, () -> ComponentEncoder.fromModule(null));
    }

    @Test
    void aPreview1CommandRunsWithTheAdapter() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Component command = ComponentEncoder.fromModuleFile(Fixtures.corpus().resolve("modules/wasi-hello.wat"))
                        .adapter(Preview1Adapter.COMMAND).build(engine);
                Store store = Store.builder(engine).wasi(WasiConfig.builder().stdout(out).build()).build();
                Linker linker = new Linker(engine)) {
            assertTrue(command.type().exportNamed("wasi:cli/run@0.2.6").isPresent()
                    || command.type().exports().stream().anyMatch(e -> e.name().startsWith("wasi:cli/run@")),
                    command.type().toString());
            assertEquals(0, linker.addWasi().runCommand(store, command));
        }
        assertEquals("hello\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPreview1ReactorKeepsItsExports() {
        WitPackage wit = WitPackage.fromText(WIT);
        try (Component reactor = ComponentEncoder.fromModuleWat("""
                (module
                  (import "wasi_snapshot_preview1" "random_get" (func $r (param i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (func (export "add") (param i32 i32) (result i32)
                    (drop (call $r (i32.const 0) (i32.const 4)))
                    (i32.add (local.get 0) (local.get 1))))
                """).world(wit, "add-only").adapter(Preview1Adapter.REACTOR).build(engine);
                Store store = Store.builder(engine).wasi(WasiConfig.builder().build()).build();
                Linker linker = new Linker(engine)) {
            assertTrue(reactor.type().imports().stream().anyMatch(i -> i.name().startsWith("wasi:random/random@")),
                    reactor.type().toString());
            assertEquals(9L, linker.addWasi().instantiate(store, reactor).func("add").call(4, 5));
        }
    }
}
