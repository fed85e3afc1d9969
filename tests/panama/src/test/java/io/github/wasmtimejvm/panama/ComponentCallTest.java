package io.github.wasmtimejvm.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The C API through java.lang.foreign: engine, component from WAT bytes, linker, store,
 * instantiate, calls on the scalar and the general value path, strings, errors, and every
 * object freed with its {@code _delete}.
 */
class ComponentCallTest {

    @Test
    void addOnTheScalarAndTheValuePath() {
        try (Engine engine = new Engine();
                Component component = Component.fromBytes(engine, Fixtures.component("add"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine);
                Instance instance = linker.instantiate(store, component);
                Func add = instance.func("add")) {
            assertEquals("func(a: u32, b: u32) -> u32", add.type());
            assertEquals(2, add.paramCount());

            assertEquals(3, add.callScalar(1, 2));
            assertEquals(0, add.callScalar(0xFFFF_FFFFL, 1), "u32 addition wraps");

            assertEquals(List.of(Val.u32(42)), add.call(Val.u32(40), Val.u32(2)));
            assertEquals(List.of(Val.u32(0xFFFF_FFFEL)), add.call(Val.u32(0xFFFF_FFFFL), Val.u32(0xFFFF_FFFFL)));
        }
    }

    @Test
    void echoStringCarriesUtf8BothWays() {
        try (Engine engine = new Engine();
                Component component = Component.fromBytes(engine, Fixtures.component("echo"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine);
                Instance instance = linker.instantiate(store, component);
                Func echo = instance.func("echo-string")) {
            assertEquals("func(v: string) -> string", echo.type());
            for (String s : List.of("hello", "", "grüße, 世界 🦀", "x".repeat(100_000))) {
                List<Val> out = echo.call(Val.string(s));
                assertEquals(1, out.size());
                assertEquals(WasmtimeJvm.VAL_STRING, out.get(0).kind());
                assertEquals(s, out.get(0).string());
            }
        }
    }

    @Test
    void manyCallsInOneStore() {
        try (Engine engine = new Engine();
                Component component = Component.fromBytes(engine, Fixtures.component("echo"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine);
                Instance instance = linker.instantiate(store, component);
                Func echo = instance.func("echo-string");
                Func echoU32 = instance.func("echo-u32")) {
            for (int i = 0; i < 10_000; i++) {
                assertEquals("n" + i, echo.call(Val.string("n" + i)).get(0).string());
                assertEquals(i, echoU32.callScalar(i));
            }
        }
    }

    @Test
    void malformedComponentIsACompileErrorWithAMessage() {
        try (Engine engine = new Engine()) {
            WjvmException e = assertThrows(WjvmException.class,
                    () -> Component.fromBytes(engine, "(component (func".getBytes(StandardCharsets.UTF_8)));
            assertEquals(WasmtimeJvm.ERROR_COMPILE, e.kind());
            assertTrue(!e.text().isBlank(), "message: " + e.text());

            WjvmException garbage = assertThrows(WjvmException.class,
                    () -> Component.fromBytes(engine, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}));
            assertEquals(WasmtimeJvm.ERROR_COMPILE, garbage.kind(), garbage.getMessage());
        }
    }

    @Test
    void unknownExportAndBadArgumentsAreTypedErrors() {
        try (Engine engine = new Engine();
                Component component = Component.fromBytes(engine, Fixtures.component("add"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine);
                Instance instance = linker.instantiate(store, component);
                Func add = instance.func("add")) {
            WjvmException missing = assertThrows(WjvmException.class, () -> instance.func("sub"));
            assertEquals(WasmtimeJvm.ERROR_UNKNOWN_EXPORT, missing.kind());
            assertTrue(missing.text().contains("add"), "lists the exports: " + missing.text());

            WjvmException range = assertThrows(WjvmException.class, () -> add.callScalar(1L << 32, 1));
            assertEquals(WasmtimeJvm.ERROR_INVALID_ARGUMENT, range.kind());
            assertTrue(range.text().contains("argument `a` of `add`"), range.text());

            WjvmException kind = assertThrows(WjvmException.class, () -> add.call(Val.u32(1), Val.s32(2)));
            assertEquals(WasmtimeJvm.ERROR_INVALID_ARGUMENT, kind.kind());
            assertTrue(kind.text().contains("argument `b` of `add`"), kind.text());

            WjvmException count = assertThrows(WjvmException.class, () -> add.call(Val.u32(1)));
            assertEquals(WasmtimeJvm.ERROR_INVALID_ARGUMENT, count.kind());

            // The store still works after refused calls.
            assertEquals(7, add.callScalar(3, 4));
        }
    }

    @Test
    void aTrapCarriesItsCodeAndPoisonsTheStore() {
        try (Engine engine = new Engine();
                Component component = Component.fromBytes(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine);
                Instance instance = linker.instantiate(store, component);
                Func divide = instance.func("divide");
                Func ok = instance.func("ok")) {
            assertEquals(3, divide.callScalar(7, 2));
            WjvmException trap = assertThrows(WjvmException.class, () -> divide.callScalar(1, 0));
            assertEquals(WasmtimeJvm.ERROR_TRAP, trap.kind());
            assertEquals(WasmtimeJvm.TRAP_INTEGER_DIVISION_BY_ZERO, trap.trapCode(), trap.getMessage());

            WjvmException after = assertThrows(WjvmException.class, () -> ok.callScalar());
            assertEquals(WasmtimeJvm.TRAP_CANNOT_ENTER_COMPONENT, after.trapCode(), after.getMessage());
        }
        try (Engine engine = new Engine()) {
            WjvmException notATrap = assertThrows(WjvmException.class,
                    () -> Component.fromBytes(engine, new byte[] {1, 2, 3}));
            assertEquals(-1, notATrap.trapCode());
        }
    }

    @Test
    void deletingNullDoesNothing() throws Throwable {
        WasmtimeJvm.func_delete.invokeExact(MemorySegment.NULL);
        WasmtimeJvm.instance_delete.invokeExact(MemorySegment.NULL);
        WasmtimeJvm.store_delete.invokeExact(MemorySegment.NULL);
        WasmtimeJvm.linker_delete.invokeExact(MemorySegment.NULL);
        WasmtimeJvm.component_delete.invokeExact(MemorySegment.NULL);
        WasmtimeJvm.engine_delete.invokeExact(MemorySegment.NULL);
        WasmtimeJvm.error_delete.invokeExact(MemorySegment.NULL);
        WasmtimeJvm.val_vec_delete.invokeExact(MemorySegment.NULL);
    }
}
