package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TestBinaries;
import io.github.wasmtimejvm.wit.ComponentType;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.ItemType;
import io.github.wasmtimejvm.wit.NamedItem;
import io.github.wasmtimejvm.wit.WitType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentTest {

    static final byte[] ADD_WASM = TestBinaries.addWasm();

    static final String ADD_TYPE = "func(a: u32, b: u32) -> u32";

    static Engine engine;

    @BeforeAll
    static void createEngine() {
        engine = new Engine();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    /** Instantiates {@code component} in a fresh store and returns add(a, b). */
    static Object callAdd(Engine engine, Component component, long a, long b) {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            return linker.instantiate(store, component).func("add").call(a, b);
        }
    }

    static FuncType exportedFunc(ComponentType type, String name) {
        NamedItem item = type.exportNamed(name).orElseThrow(() -> new AssertionError("no export " + name));
        return assertInstanceOf(ItemType.Func.class, item.type()).type();
    }

    static ComponentType typeOf(String fixture) {
        try (Component c = Component.fromFile(engine, Fixtures.component(fixture))) {
            return c.type();
        }
    }

    // ---------------------------------------------------------------- loading

    @Test
    void fromFileCompilesWatText() {
        try (Component c = Component.fromFile(engine, Fixtures.component("add"))) {
            assertSame(engine, c.engine());
            assertEquals(ADD_TYPE, exportedFunc(c.type(), "add").toString());
            assertEquals(3L, callAdd(engine, c, 1, 2));
        }
    }

    @Test
    void fromWatCompilesText() throws Exception {
        String wat = Files.readString(Fixtures.component("add"));
        try (Component c = Component.fromWat(engine, wat)) {
            assertEquals(List.of("add"), c.type().exports().stream().map(NamedItem::name).toList());
            // i32.add wraps modulo 2^32
            assertEquals(0L, callAdd(engine, c, 4294967295L, 1));
        }
    }

    @Test
    void fromBytesCompilesWatBytes() throws Exception {
        byte[] wat = Files.readAllBytes(Fixtures.component("add"));
        try (Component c = Component.fromBytes(engine, wat)) {
            assertEquals(40L, callAdd(engine, c, 15, 25));
        }
    }

    @Test
    void fromBytesCompilesABinaryComponent() {
        try (Component c = Component.fromBytes(engine, ADD_WASM)) {
            assertEquals(ADD_TYPE, exportedFunc(c.type(), "add").toString());
            assertEquals(List.of(), c.type().imports());
            assertEquals(7L, callAdd(engine, c, 3, 4));
        }
    }

    @Test
    void fromFileCompilesABinaryComponent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("add.wasm");
        Files.write(file, ADD_WASM);
        try (Component c = Component.fromFile(engine, file)) {
            assertEquals(ADD_TYPE, exportedFunc(c.type(), "add").toString());
            assertEquals(100L, callAdd(engine, c, 58, 42));
        }
    }

    @Test
    void theEmptyComponentBinaryIsValid() {
        try (Component c = Component.fromBytes(engine, TestBinaries.emptyComponent())) {
            assertEquals(new ComponentType(List.of(), List.of()), c.type());
            assertEquals("world root {\n}\n", c.type().toString());
        }
    }

    @Test
    void fromFileOfAMissingFileThrowsUncheckedIOException(@TempDir Path dir) {
        Path missing = dir.resolve("missing.wat");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Component.fromFile(engine, missing));
        assertTrue(e.getMessage().startsWith("cannot read " + missing), e.getMessage());
        assertInstanceOf(NoSuchFileException.class, e.getCause());
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> Component.fromBytes(null, ADD_WASM));
        assertThrows(NullPointerException.class, () -> Component.fromBytes(engine, null));
        assertThrows(NullPointerException.class, () -> Component.fromWat(engine, null));
        assertThrows(NullPointerException.class, () -> Component.fromFile(engine, null));
        assertThrows(NullPointerException.class, () -> Component.deserialize(engine, null));
        assertThrows(NullPointerException.class, () -> engine.precompileComponent(null));
    }

    // ---------------------------------------------------------------- precompiled

    @Test
    void serializeThenDeserializeRuns() {
        byte[] compiled;
        try (Component c = Component.fromFile(engine, Fixtures.component("add"))) {
            compiled = c.serialize();
        }
        // Serialized code is a checked image of wasmtime's ELF code, not a component binary.
        assertArrayEquals("WJVMCODE".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(compiled, 8));
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, java.util.Arrays.copyOfRange(compiled, 52, 56));
        try (Component again = Component.deserialize(engine, compiled)) {
            assertEquals(ADD_TYPE, exportedFunc(again.type(), "add").toString());
            assertEquals(12L, callAdd(engine, again, 5, 7));
        }
    }

    @Test
    void precompileComponentThenDeserializeRuns() throws Exception {
        byte[] compiled = engine.precompileComponent(Files.readAllBytes(Fixtures.component("nested")));
        assertArrayEquals("WJVMCODE".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(compiled, 8));
        try (Component c = Component.deserialize(engine, compiled);
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Instance instance = linker.instantiate(store, c);
            assertEquals(-12, instance.func("docs:calc/ops@1.0.0#mul").call(-3, 4));
            assertEquals("1.0.0", instance.func("version").call());
        }
    }

    @Test
    void precompileOfABinaryComponentRuns() {
        byte[] compiled = engine.precompileComponent(ADD_WASM);
        try (Component c = Component.deserialize(engine, compiled)) {
            assertEquals(9L, callAdd(engine, c, 4, 5));
        }
    }

    @Test
    void deserializeWorksOnAnotherEngineWithTheSameSettings() {
        byte[] compiled = engine.precompileComponent(ADD_WASM);
        try (Engine other = new Engine(); Component c = Component.deserialize(other, compiled)) {
            assertSame(other, c.engine());
            assertEquals(2L, callAdd(other, c, 1, 1));
        }
    }

    @Test
    void precompileOfInvalidInputThrowsCompileException() {
        CompileException e = assertThrows(CompileException.class,
                () -> engine.precompileComponent("(component".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("expected `)`"), e.getMessage());
    }

    @Test
    void deserializeOfGarbageThrowsCompileException() {
        for (byte[] garbage : List.of(new byte[0], "garbage".getBytes(StandardCharsets.UTF_8),
                new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0})) {
            CompileException e = assertThrows(CompileException.class, () -> Component.deserialize(engine, garbage));
            assertTrue(e.getMessage().startsWith("not a compiled component image of wasmtime-jvm"), e.getMessage());
            // Unchecked, wasmtime's own parser refuses them too.
            e = assertThrows(CompileException.class, () -> Component.deserializeUnsafe(engine, garbage));
            assertEquals("failed to parse precompiled artifact as an ELF: Invalid ELF header size or alignment",
                    e.getMessage());
        }
    }

    @Test
    void deserializeOfAComponentBinaryThrowsCompileException() {
        CompileException e = assertThrows(CompileException.class, () -> Component.deserialize(engine, ADD_WASM));
        assertTrue(e.getMessage().startsWith("not a compiled component image"), e.getMessage());
        e = assertThrows(CompileException.class, () -> Component.deserializeUnsafe(engine, ADD_WASM));
        assertTrue(e.getMessage().startsWith("failed to parse precompiled artifact as an ELF"), e.getMessage());
    }

    @Test
    void deserializeOfATruncatedArtifactThrowsCompileException() {
        byte[] compiled = engine.precompileComponent(ADD_WASM);
        for (int length : new int[] {64, compiled.length / 2, compiled.length - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(compiled, length);
            CompileException e = assertThrows(CompileException.class,
                    () -> Component.deserialize(engine, truncated));
            assertTrue(e.getMessage().startsWith("compiled image is truncated"), e.getMessage());
        }
    }

    @Test
    void deserializeOnAnEngineWithFuelThrowsCompileException() {
        byte[] compiled = engine.precompileComponent(ADD_WASM);
        try (Engine fuel = new Engine(Engine.Config.builder().consumeFuel(true).build())) {
            CompileException e = assertThrows(CompileException.class, () -> Component.deserialize(fuel, compiled));
            assertEquals("Module was compiled without fuel support but it is enabled for the host", e.getMessage());
        }
    }

    @Test
    void deserializeOnAnEngineWithoutMapsThrowsCompileException() {
        byte[] compiled = engine.precompileComponent(ADD_WASM);
        try (Engine noMaps = new Engine(Engine.Config.builder().componentModelMap(false).build())) {
            CompileException e = assertThrows(CompileException.class, () -> Component.deserialize(noMaps, compiled));
            assertEquals("Module was compiled with support for WebAssembly feature `cm_map` but it is not enabled "
                    + "for the host", e.getMessage());
        }
    }

    @Test
    void fromBytesOfAPrecompiledArtifactThrowsCompileException() {
        byte[] compiled = engine.precompileComponent(ADD_WASM);
        CompileException e = assertThrows(CompileException.class, () -> Component.fromBytes(engine, compiled));
        assertEquals("not a component binary, and not valid WAT text: input bytes aren't valid utf-8",
                e.getMessage());
    }

    // ---------------------------------------------------------------- invalid input

    @Test
    void malformedBinaryThrowsCompileExceptionWithWasmtimesMessage() {
        byte[] badVersion = "\0asmgarbage".getBytes(StandardCharsets.ISO_8859_1);
        CompileException e = assertThrows(CompileException.class, () -> Component.fromBytes(engine, badVersion));
        assertEquals("failed to parse WebAssembly module: unknown binary version: 0x62726167 (at offset 0x4)",
                e.getMessage());

        byte[] badBody = "\0asm\r\0\1\0garbage".getBytes(StandardCharsets.ISO_8859_1);
        e = assertThrows(CompileException.class, () -> Component.fromBytes(engine, badBody));
        assertEquals("failed to parse WebAssembly module: unexpected end-of-file (at offset 0xa)", e.getMessage());

        byte[] truncated = java.util.Arrays.copyOf(ADD_WASM, 60);
        e = assertThrows(CompileException.class, () -> Component.fromBytes(engine, truncated));
        assertTrue(e.getMessage().startsWith("failed to parse WebAssembly module: "), e.getMessage());
    }

    @Test
    void invalidWatThrowsCompileExceptionNamingThePosition() {
        CompileException e = assertThrows(CompileException.class, () -> Component.fromWat(engine, "(component"));
        String[] lines = e.getMessage().split("\n");
        assertEquals("not a component binary, and not valid WAT text: expected `)`", lines[0]);
        assertEquals("--> <anon>:1:11", lines[1].strip());

        e = assertThrows(CompileException.class, () -> Component.fromWat(engine, "hello"));
        assertTrue(e.getMessage().startsWith("not a component binary, and not valid WAT text: expected `(`\n"),
                e.getMessage());

        e = assertThrows(CompileException.class, () -> Component.fromBytes(engine, new byte[0]));
        assertTrue(e.getMessage().startsWith("not a component binary, and not valid WAT text: "), e.getMessage());
    }

    @Test
    void watThatParsesButFailsValidationIsNotCalledInvalidWat() {
        // Syntactically fine, but lifts a core function that does not exist.
        String wat = "(component (core module $m) (core instance $i (instantiate $m))"
                + " (func (export \"f\") (canon lift (core func $i \"missing\"))))";
        CompileException e = assertThrows(CompileException.class, () -> Component.fromWat(engine, wat));
        assertFalse(e.getMessage().contains("not valid WAT text"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aCoreModuleIsNotAComponent() {
        byte[] moduleBinary = {0, 'a', 's', 'm', 1, 0, 0, 0};
        CompileException e = assertThrows(CompileException.class, () -> Component.fromBytes(engine, moduleBinary));
        assertEquals("these bytes are a core WebAssembly module, not a component: compile it as a Module"
                        + " (io.github.wasmtimejvm.module.Module)",
                e.getMessage());

        // The same as text: valid WAT, but a module.
        e = assertThrows(CompileException.class,
                () -> Component.fromWat(engine, "(module (func (export \"f\")))"));
        assertEquals("these bytes are a core WebAssembly module, not a component: compile it as a Module"
                        + " (io.github.wasmtimejvm.module.Module)",
                e.getMessage());
    }

    @Test
    void echoNeedsTheMapFeature() {
        try (Engine noMaps = new Engine(Engine.Config.builder().componentModelMap(false).build())) {
            CompileException e = assertThrows(CompileException.class,
                    () -> Component.fromFile(noMaps, Fixtures.component("echo")));
            assertTrue(e.getMessage().contains("Maps require the component model map feature"), e.getMessage());
            assertFalse(e.getMessage().contains("not valid WAT text"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- type introspection

    @Test
    void echoExportsHaveTheirExactTypes() {
        ComponentType type = typeOf("echo");
        assertEquals(List.of(), type.imports());
        assertEquals(33, type.exports().size());

        FuncType person = exportedFunc(type, "echo-person");
        WitType.RecordType personRecord = new WitType.RecordType(List.of(
                new WitType.Field("first-name", Primitive.STRING),
                new WitType.Field("age", Primitive.U8),
                new WitType.Field("tags", new WitType.ListType(Primitive.STRING))));
        assertEquals(new FuncType(List.of(new FuncType.Param("v", personRecord)), List.of(personRecord), false),
                person);
        assertEquals(Primitive.STRING,
                ((WitType.RecordType) person.params().get(0).type()).field("first-name").orElseThrow().type());

        WitType.RecordType point = new WitType.RecordType(List.of(
                new WitType.Field("x", Primitive.S32), new WitType.Field("y", Primitive.S32)));
        WitType.VariantType shape = new WitType.VariantType(List.of(
                new WitType.Case("circle", Primitive.F64),
                new WitType.Case("rect", point),
                new WitType.Case("none-shape", null)));
        FuncType variant = exportedFunc(type, "echo-variant");
        assertEquals(List.of(new FuncType.Param("v", shape)), variant.params());
        assertEquals(List.of(shape), variant.results());
        assertEquals(2, shape.indexOf("none-shape"));
        assertTrue(((WitType.VariantType) variant.results().get(0)).cases().get(2).payload().isEmpty());

        List<String> flagNames = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            flagNames.add("f" + i);
        }
        WitType.FlagsType bigFlags = new WitType.FlagsType(flagNames);
        FuncType flags = exportedFunc(type, "echo-flags-big");
        assertEquals(bigFlags, flags.params().get(0).type());
        assertEquals(32, ((WitType.FlagsType) flags.results().get(0)).names().size());
        assertEquals(new WitType.FlagsType(List.of("read", "write", "exec")),
                exportedFunc(type, "echo-flags").results().get(0));

        WitType map = new WitType.MapType(Primitive.STRING, Primitive.U32);
        assertEquals(new FuncType(List.of(new FuncType.Param("v", map)), List.of(map), false),
                exportedFunc(type, "echo-map"));
        assertEquals("func(v: map<string, u32>) -> map<string, u32>", exportedFunc(type, "echo-map").toString());

        WitType fixed = new WitType.FixedListType(Primitive.U32, 4);
        assertEquals(new FuncType(List.of(new FuncType.Param("v", fixed)), List.of(fixed), false),
                exportedFunc(type, "echo-fixed-list"));
        assertEquals("list<u32, 4>", fixed.toString());
        assertEquals("func(v: list<u32, 4>) -> list<u32, 4>", exportedFunc(type, "echo-fixed-list").toString());

        WitType emptyResult = new WitType.ResultType(null, null);
        FuncType resultEmpty = exportedFunc(type, "echo-result-empty");
        assertEquals(List.of(emptyResult), resultEmpty.results());
        assertEquals("func(v: result) -> result", resultEmpty.toString());
        assertEquals(new WitType.ResultType(Primitive.U32, Primitive.STRING),
                exportedFunc(type, "echo-result").results().get(0));

        assertEquals(new WitType.EnumType(List.of("red", "green", "blue")),
                exportedFunc(type, "echo-enum").results().get(0));
        assertEquals(new WitType.TupleType(List.of(Primitive.U32, Primitive.STRING, Primitive.F64)),
                exportedFunc(type, "echo-tuple").results().get(0));
        assertEquals(new WitType.OptionType(new WitType.OptionType(Primitive.STRING)),
                exportedFunc(type, "echo-option-option").results().get(0));
        assertEquals(new WitType.ListType(new WitType.ListType(Primitive.U32)),
                exportedFunc(type, "echo-list-list").results().get(0));
        assertEquals(new WitType.ListType(point), exportedFunc(type, "echo-list-record").results().get(0));

        FuncType many = exportedFunc(type, "echo-many");
        assertEquals(17, many.params().size());
        assertEquals(new FuncType.Param("p16", Primitive.U32), many.params().get(16));
        assertEquals(List.of(Primitive.U64), many.results());
        assertFalse(many.isScalar(), "17 parameters: more than the scalar fast path takes");

        FuncType noop = exportedFunc(type, "noop");
        assertEquals(new FuncType(List.of(), List.of(), false), noop);
        assertEquals("func()", noop.toString());
        assertFalse(person.isScalar());
    }

    @Test
    void echoExportsMatchTheWitFixtureOrder() throws Exception {
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.corpus().resolve("../wit/fixtures/echo.wit"))) {
            String l = line.strip();
            if (l.startsWith("export ")) {
                expected.add(l.substring("export ".length(), l.indexOf(':')));
            }
        }
        assertEquals(33, expected.size());
        assertEquals(expected, typeOf("echo").exports().stream().map(NamedItem::name).toList());
    }

    @Test
    void resourceInterfaceListsTheResourceAndItsFunctions() {
        ComponentType type = typeOf("resource");
        assertEquals(List.of(), type.imports());
        assertEquals(1, type.exports().size());
        NamedItem api = type.exports().get(0);
        assertEquals("docs:counter/api@1.0.0", api.name());
        ItemType.Instance instance = assertInstanceOf(ItemType.Instance.class, api.type());
        assertEquals(List.of("counter", "[constructor]counter", "[method]counter.increment", "[method]counter.get",
                        "[static]counter.zero", "live-count", "sum", "consume"),
                instance.exports().stream().map(NamedItem::name).toList());

        assertEquals(new ItemType.Resource("counter"), instance.export("counter").orElseThrow().type());

        WitType own = new WitType.OwnType("counter");
        WitType borrow = new WitType.BorrowType("counter");
        assertEquals(new ItemType.Func(new FuncType(
                        List.of(new FuncType.Param("start", Primitive.U32)), List.of(own), false)),
                instance.export("[constructor]counter").orElseThrow().type());
        assertEquals(new ItemType.Func(new FuncType(
                        List.of(new FuncType.Param("self", borrow)), List.of(Primitive.U32), false)),
                instance.export("[method]counter.increment").orElseThrow().type());
        assertEquals(new ItemType.Func(new FuncType(List.of(), List.of(own), false)),
                instance.export("[static]counter.zero").orElseThrow().type());
        assertEquals(new ItemType.Func(new FuncType(
                        List.of(new FuncType.Param("a", borrow), new FuncType.Param("b", borrow)),
                        List.of(Primitive.U32), false)),
                instance.export("sum").orElseThrow().type());
        assertEquals(new ItemType.Func(new FuncType(
                        List.of(new FuncType.Param("c", own)), List.of(Primitive.U32), false)),
                instance.export("consume").orElseThrow().type());
        assertEquals("func(a: borrow<counter>, b: borrow<counter>) -> u32",
                ((ItemType.Func) instance.export("sum").orElseThrow().type()).type().toString());
        assertTrue(instance.export("nope").isEmpty());
    }

    @Test
    void unsatisfiedImportListsItsImports() {
        ComponentType type = typeOf("unsatisfied-import");
        assertEquals(List.of("docs:log/logger@1.0.0", "get-value"),
                type.imports().stream().map(NamedItem::name).toList());
        ItemType.Instance logger = assertInstanceOf(ItemType.Instance.class,
                type.importNamed("docs:log/logger@1.0.0").orElseThrow().type());
        assertEquals(List.of(new NamedItem("log", new ItemType.Func(new FuncType(
                        List.of(new FuncType.Param("msg", Primitive.STRING)), List.of(), false)))),
                logger.exports());
        assertEquals(new ItemType.Func(new FuncType(List.of(), List.of(Primitive.U32), false)),
                type.importNamed("get-value").orElseThrow().type());
        assertEquals(List.of(new NamedItem("run",
                        new ItemType.Func(new FuncType(List.of(), List.of(Primitive.U32), false)))),
                type.exports());
        assertTrue(type.importNamed("run").isEmpty());
        assertTrue(type.exportNamed("get-value").isEmpty());
    }

    @Test
    void typeToStringPrintsWitLikeText() {
        assertEquals(String.join("\n",
                        "world root {",
                        "  import docs:log/logger@1.0.0: interface {",
                        "    log: func(msg: string);",
                        "  }",
                        "  import get-value: func() -> u32;",
                        "  export run: func() -> u32;",
                        "}",
                        ""),
                typeOf("unsatisfied-import").toString());

        assertEquals(String.join("\n",
                        "world root {",
                        "  export docs:calc/ops@1.0.0: interface {",
                        "    add: func(a: s32, b: s32) -> s32;",
                        "    mul: func(a: s32, b: s32) -> s32;",
                        "  }",
                        "  export version: func() -> string;",
                        "}",
                        ""),
                typeOf("nested").toString());

        String echo = typeOf("echo").toString();
        assertTrue(echo.contains("\n  export echo-person: func(v: record { first-name: string, age: u8, "
                + "tags: list<string> }) -> record { first-name: string, age: u8, tags: list<string> };\n"), echo);
        assertTrue(echo.contains("\n  export echo-variant: func(v: variant { circle(f64), rect(record { x: s32, "
                + "y: s32 }), none-shape }) -> variant { circle(f64), rect(record { x: s32, y: s32 }), "
                + "none-shape };\n"), echo);
        assertTrue(echo.contains("\n  export echo-option-option: func(v: option<option<string>>) -> "
                + "option<option<string>>;\n"), echo);
        assertTrue(echo.contains("\n  export echo-result: func(v: result<u32, string>) -> result<u32, string>;\n"),
                echo);
        assertTrue(echo.contains("\n  export noop: func();\n"), echo);
        assertTrue(echo.contains("flags { f0, f1, f2, "), echo);
        assertTrue(echo.contains(", f30, f31 };\n"), echo);

        String resource = typeOf("resource").toString();
        assertTrue(resource.contains("\n    counter: resource;\n"), resource);
        assertTrue(resource.contains("\n    [constructor]counter: func(start: u32) -> counter;\n"), resource);
        assertTrue(resource.contains("\n    [method]counter.get: func(self: borrow<counter>) -> u32;\n"), resource);
        assertTrue(resource.contains("\n    consume: func(c: counter) -> u32;\n"), resource);
    }

    @Test
    void typeIsTheSameForTextBinaryAndPrecompiledForms() {
        ComponentType text = typeOf("add");
        try (Component binary = Component.fromBytes(engine, ADD_WASM);
                Component precompiled = Component.deserialize(engine, engine.precompileComponent(ADD_WASM))) {
            assertEquals(text, binary.type());
            assertEquals(text, precompiled.type());
        }
        assertNotEquals(text, typeOf("nested"));
    }

    // ---------------------------------------------------------------- closed

    @Test
    void everyUseOfAClosedComponentThrowsIllegalStateException() {
        Component c = Component.fromBytes(engine, ADD_WASM);
        c.close();
        assertTrue(c.isClosed());
        assertEquals("Component[closed]", c.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, c::serialize);
        assertEquals("Component is closed", e.getMessage());
        e = assertThrows(IllegalStateException.class, c::type);
        assertEquals("Component is closed", e.getMessage());
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            e = assertThrows(IllegalStateException.class, () -> linker.instantiate(store, c));
            assertEquals("Component is closed", e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> linker.instantiatePre(c));
            assertEquals("Component is closed", e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> linker.defineUnknownImportsAsTraps(c));
            assertEquals("Component is closed", e.getMessage());
        }
        c.close(); // idempotent
        assertTrue(c.isClosed());
    }

    @Test
    void typeOfAClosedComponentThrowsEvenWhenItWasReadBeforeClose() {
        Component c = Component.fromBytes(engine, ADD_WASM);
        assertEquals(1, c.type().exports().size());
        c.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::type);
        assertEquals("Component is closed", e.getMessage());
    }

    @Test
    void aComponentOfAClosedEngineCannotBeMade() {
        Engine closed = new Engine();
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Component.fromBytes(closed, ADD_WASM));
        assertEquals("Engine is closed", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> Component.deserialize(closed, new byte[] {1}));
        assertEquals("Engine is closed", e.getMessage());
    }

    @Test
    void aComponentOutlivesItsClosedEngine() {
        Component c;
        try (Engine own = new Engine()) {
            c = Component.fromBytes(own, ADD_WASM);
        }
        try (c) {
            assertEquals(ADD_TYPE, exportedFunc(c.type(), "add").toString());
            byte[] compiled = c.serialize();
            assertTrue(compiled.length > 100);
            assertFalse(c.isClosed());
            assertEquals("Component[open]", c.toString());
        }
    }
}
