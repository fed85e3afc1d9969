package io.github.wasmtimejvm.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.UnknownExportException;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.wasi.WasiConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The core WebAssembly API through JNI, against {@code corpus/modules/calc.wat}. */
class CoreModuleTest {

    private static Engine engine;
    private static Module calc;

    private Store store;
    private Linker linker;
    private Instance instance;
    private final List<String> logged = new ArrayList<>();

    static Path module(String name) {
        return Fixtures.corpus().resolve("modules").resolve(name + ".wat");
    }

    @BeforeAll
    static void compile() {
        engine = new Engine();
        calc = Module.fromFile(engine, module("calc"));
    }

    @AfterAll
    static void free() {
        calc.close();
        engine.close();
    }

    @BeforeEach
    void instantiate() {
        store = new Store(engine);
        linker = new Linker(engine);
        linker.func("host", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> {
            logged.add(caller.memory("memory").readString((Integer) args[0], (Integer) args[1]));
            return null;
        });
        linker.func("host", "twice", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)),
                (caller, args) -> 2 * (Long) args[0]);
        instance = linker.instantiate(store, calc);
    }

    @AfterEach
    void close() {
        linker.close();
        store.close();
    }

    @Test
    void callsWithValuesAndRawSlots() {
        Func add = instance.func("add");
        assertEquals(FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)), add.type());
        assertEquals("(func (param i32 i32) (result i32))", add.type().toString());
        assertArrayEquals(new Object[] {42}, add.call(40, 2));
        assertEquals(42, add.callRaw(40, 2));
        assertEquals(-3, add.callRaw(-5, 2), "an i32 result is sign-extended");
        long[] results = new long[2];
        instance.func("divmod").callRaw(new long[] {17, 5}, results);
        assertArrayEquals(new long[] {3, 2}, results);
        assertArrayEquals(new Object[] {3L, 2L}, instance.func("divmod").call(17L, 5L));
        assertEquals(6.75, Func.f64(instance.func("mix").callRaw(Func.bits(1.5f), Func.bits(2.25), 3)));
        assertArrayEquals(new Object[] {6.75}, instance.func("mix").call(1.5f, 2.25, 3L));
        assertEquals(7, instance.func("call-indirect").callRaw(0, 3, 4));
    }

    @Test
    void wrongArgumentsAreClearErrors() {
        Func add = instance.func("add");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> add.call(1L, 2));
        assertTrue(e.getMessage().contains("argument 1 must be an Integer for i32, not Long"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> add.call(1));
        assertTrue(e.getMessage().contains("takes 2 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> add.callRaw(1));
        assertTrue(e.getMessage().contains("takes 2 arguments, got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> instance.func("divmod").callRaw(new long[] {1, 2}, new long[1]));
        assertTrue(e.getMessage().contains("returns 2 values; the results array holds 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> instance.func("identity").callRaw(1));
        assertTrue(e.getMessage().contains("not numbers only"), e.getMessage());
        UnknownExportException u = assertThrows(UnknownExportException.class, () -> instance.func("nope"));
        assertTrue(u.getMessage().contains("add"), u.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> instance.func("memory"));
        assertTrue(e.getMessage().contains("not a function"), e.getMessage());
    }

    @Test
    void referencesAndVectors() {
        Object token = new Object();
        assertSame(token, instance.func("identity").call(token)[0]);
        assertNull(instance.func("identity").call((Object) null)[0]);
        assertSame(instance.func("add"), instance.func("get-fn").call(0)[0], "one Func per function");
        Func sub = (Func) instance.func("get-fn").call(1)[0];
        assertEquals(1, sub.callRaw(3, 2));
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        a[0] = 1;
        a[4] = 2;
        b[0] = 10;
        b[4] = 20;
        byte[] sum = (byte[]) instance.func("v128-add").call(a, b)[0];
        assertEquals(11, sum[0]);
        assertEquals(22, sum[4]);
        try (Store other = new Store(engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Table.create(other, new TableType(ValType.FUNCREF, 1, OptionalLong.empty()), instance.func("add")));
            assertTrue(e.getMessage().contains("another Store"), e.getMessage());
        }
    }

    @Test
    void hostFunctionsReadTheCallersMemory() {
        instance.func("greet").call();
        assertEquals(List.of("hello from wasm"), logged);
        assertEquals(20L, instance.func("quadruple").call(5L)[0]);
        Memory[] kept = new Memory[1];
        try (Linker l = new Linker(engine)) {
            l.func("host", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> {
                kept[0] = caller.memory("memory");
                return null;
            });
            l.func("host", "twice", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)), (caller, args) -> {
                throw new IllegalStateException("no doubling today");
            });
            Instance i = l.instantiate(store, calc);
            i.func("greet").call();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].getInt(0));
            assertTrue(e.getMessage().contains("has returned"), e.getMessage());
            TrapException t = assertThrows(TrapException.class, () -> i.func("quadruple").call(1L));
            assertEquals(TrapCode.HOST, t.code());
            assertInstanceOf(IllegalStateException.class, t.getCause());
        }
    }

    @Test
    void memoriesAreBoundsCheckedAndNeverDangle() {
        Memory m = instance.memory("memory");
        assertEquals(1, m.size());
        assertEquals(65536, m.dataSize());
        assertEquals("hello", m.readString(16, 5));
        m.write(0, "hi".getBytes(StandardCharsets.UTF_8));
        assertEquals("hi", m.readString(0, 2));
        m.putInt(100, 0x01020304);
        assertEquals(4, m.getByte(100));
        assertEquals(0x01020304, m.getInt(100));
        m.putDouble(200, Math.PI);
        assertEquals(Math.PI, m.getDouble(200));
        m.putLong(300, -1L);
        assertEquals(-1L, m.getLong(300));
        assertThrows(IndexOutOfBoundsException.class, () -> m.getInt(65534));
        assertThrows(IndexOutOfBoundsException.class, () -> m.read(-1, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> m.read(0, new byte[4], 2, 4));
        ByteBuffer direct = ByteBuffer.allocateDirect(5);
        m.read(16, direct);
        assertEquals(5, direct.position());
        direct.flip();
        byte[] got = new byte[5];
        direct.get(got);
        assertEquals("hello", new String(got, StandardCharsets.UTF_8));
        m.write(400, ByteBuffer.wrap("heap".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer d = ByteBuffer.allocateDirect(6).put("direct".getBytes(StandardCharsets.UTF_8));
        d.flip();
        m.write(404, d);
        assertEquals("heapdirect", m.readString(400, 10));
        assertEquals(1, m.grow(1));
        m.putInt(65536 + 10, 7);
        assertEquals(7, m.getInt(65536 + 10), "the grown part is reachable through the same Memory");
        assertEquals(-1, m.grow(100), "past its maximum of 4 pages");
        assertEquals(new MemoryType(1, OptionalLong.of(4), false, false, 16), m.type());
        store.close();
        assertThrows(IllegalStateException.class, () -> m.getInt(0));
    }

    @Test
    void globalsAndTables() {
        Global counter = instance.global("counter");
        assertEquals(new GlobalType(ValType.I32, true), counter.type());
        instance.func("add").callRaw(1, 1);
        assertEquals(1, counter.get());
        counter.set(41);
        instance.func("add").callRaw(1, 1);
        assertEquals(42, counter.get());
        Global answer = instance.global("answer");
        assertEquals(42L, answer.get());
        assertThrows(IllegalArgumentException.class, () -> answer.set(1L));
        assertThrows(IllegalArgumentException.class, () -> counter.set(1L));

        Table fns = instance.table("fns");
        assertEquals(new TableType(ValType.FUNCREF, 2, OptionalLong.of(10)), fns.type());
        assertEquals(2, fns.size());
        assertSame(instance.func("add"), fns.get(0));
        fns.set(0, instance.func("sub"));
        assertEquals(1, instance.func("call-indirect").callRaw(0, 3, 2));
        assertEquals(2, fns.grow(2, null));
        assertNull(fns.get(3));
        assertThrows(IndexOutOfBoundsException.class, () -> fns.get(4));
        assertEquals(-1, fns.grow(100, null));
        fns.set(1, null);
        TrapException t = assertThrows(TrapException.class, () -> instance.func("call-indirect").callRaw(1, 1, 1));
        assertEquals(TrapCode.INDIRECT_CALL_TO_NULL, t.code());
    }

    @Test
    void itemsOfAStoreLinkIntoModulesOfThatStore() {
        linker.defineInstance(store, "calc", instance);
        Global g = Global.create(store, new GlobalType(ValType.F64, false), 2.5);
        linker.define(store, "env", "g", g);
        Module user = Module.fromWat(engine, """
            (module
              (import "calc" "add" (func $add (param i32 i32) (result i32)))
              (import "env" "g" (global $g f64))
              (func (export "run") (result i32) (call $add (i32.const 2) (i32.trunc_f64_s (global.get $g)))))""");
        assertEquals(4, linker.instantiate(store, user).func("run").callRaw());
        try (Store other = new Store(engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> linker.instantiate(other, user));
            assertTrue(e.getMessage().contains("another Store"), e.getMessage());
        }
        user.close();
    }

    @Test
    void typesOfImportsAndExports() {
        List<ImportType> imports = calc.imports();
        assertEquals(new ImportType("host", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of())),
                imports.get(0));
        List<ExportType> exports = calc.exports();
        assertTrue(exports.contains(new ExportType("memory", new MemoryType(1, OptionalLong.of(4), false, false, 16))),
                exports.toString());
        assertTrue(exports.contains(new ExportType("answer", new GlobalType(ValType.I64, false))));
        assertEquals(exports, instance.exports());
    }

    @Test
    void unknownImportsFailOrTrap() {
        try (Linker empty = new Linker(engine)) {
            LinkException e = assertThrows(LinkException.class, () -> empty.instantiate(store, calc));
            assertTrue(e.getMessage().contains("host::log"), e.getMessage());
            empty.defineUnknownImportsAsTraps(true);
            Instance i = empty.instantiate(store, calc);
            assertEquals(3, i.func("add").callRaw(1, 2));
            assertThrows(TrapException.class, () -> i.func("greet").call());
        }
    }

    @Test
    void trapsFuelAndTheWrongKindOfBinary() {
        TrapException t = assertThrows(TrapException.class, () -> instance.func("trap").call());
        assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, t.code());
        try (Engine fuel = new Engine(Engine.Config.builder().consumeFuel(true).build());
                Module m = Module.fromFile(fuel, module("calc"));
                Linker l = new Linker(fuel).defineUnknownImportsAsTraps(true);
                Store s = Store.builder(fuel).fuel(100_000).build()) {
            TrapException e = assertThrows(TrapException.class, () -> l.instantiate(s, m).func("spin").call());
            assertEquals(TrapCode.OUT_OF_FUEL, e.code());
        }
        CompileException c = assertThrows(CompileException.class, () -> Module.fromWat(engine, "(component)"));
        assertTrue(c.getMessage().contains("a component, not a core WebAssembly module"), c.getMessage());
        c = assertThrows(CompileException.class, () -> Component.fromWat(engine, "(module)"));
        assertTrue(c.getMessage().contains("a core WebAssembly module, not a component"), c.getMessage());
        assertThrows(CompileException.class, () -> Module.validate(engine, "(module (func (result i32)))".getBytes()));
        Module.validate(engine, "(module)".getBytes());
    }

    @Test
    void serializedModulesAreChecked() {
        byte[] image = calc.serialize();
        try (Module again = Module.deserialize(engine, image)) {
            assertEquals(calc.exports(), again.exports());
        }
        image[image.length - 1] ^= 1;
        assertThrows(CompileException.class, () -> Module.deserialize(engine, image));
        byte[] pre = Module.precompile(engine, "(module (func (export \"f\") (result i32) i32.const 7))".getBytes());
        try (Module m = Module.deserialize(engine, pre); Linker l = new Linker(engine)) {
            assertEquals(7, l.instantiate(store, m).func("f").callRaw());
        }
    }

    @Test
    void externrefsMadeFromGcValuesReadAsWhatTheyAre() {
        try (Module gc = Module.fromWat(engine, """
                (module
                  (func (export "i31") (result externref) (extern.convert_any (ref.i31 (i32.const 5))))
                  (func (export "take") (param externref) (result i32) (i32.const 1)))""");
                Linker l = new Linker(engine)) {
            Instance i = l.instantiate(store, gc);
            Object r = i.func("i31").call()[0];
            assertEquals(new GcRef(GcRef.Kind.I31, 5), r);
            // A GcRef is a Java object like any other: passed as an externref it is the host's.
            assertEquals(1, i.func("take").call(r)[0]);
        }
    }

    @Test
    void storeLimitsApplyToCoreMemories() {
        try (Store limited = Store.builder(engine).memoryLimit(2 * 65536).build();
                Linker l = new Linker(engine).defineUnknownImportsAsTraps(true)) {
            Memory m = l.instantiate(limited, calc).memory("memory");
            assertEquals(1, m.grow(1));
            assertEquals(-1, m.grow(1), "past the store's limit of two pages");
            assertEquals(2, m.size());
        }
    }

    @Test
    void aHostFunctionMayCloseItsStore() {
        try (Linker l = new Linker(engine); Store s = new Store(engine)) {
            l.func("host", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> null);
            l.func("host", "twice", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)), (caller, args) -> {
                caller.store().close();
                // The store is closing, not gone: the running call still reads the caller's memory.
                caller.memory("memory").getInt(0);
                return 2 * (Long) args[0];
            });
            Instance i = l.instantiate(s, calc);
            assertEquals(20L, i.func("quadruple").call(5L)[0], "the call finishes");
            assertThrows(IllegalStateException.class, () -> i.func("add").callRaw(1, 2));
            assertThrows(IllegalStateException.class, () -> i.memory("memory"));
        }
    }

    @Test
    void wasiPreview1FromTheLinker() {
        try (Module hello = Module.fromFile(engine, module("wasi-hello"));
                Linker l = new Linker(engine).addWasi();
                Store s = Store.builder(engine).wasi(WasiConfig.builder().captureStdout().build()).build()) {
            l.instantiate(s, hello).func("_start").call();
            assertEquals("hello\n", new String(s.capturedStdout(), StandardCharsets.UTF_8));
        }
    }
}
