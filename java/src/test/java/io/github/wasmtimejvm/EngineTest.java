package io.github.wasmtimejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EngineTest {

    static Object callAdd(Engine engine, long a, long b) {
        try (Component add = Component.fromFile(engine, Fixtures.component("add"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            return linker.instantiate(store, add).func("add").call(a, b);
        }
    }

    // ---------------------------------------------------------------- Config

    @Test
    void configDefaults() {
        Engine.Config c = Engine.Config.defaults();
        assertEquals(Engine.OptLevel.SPEED, c.optLevel());
        assertFalse(c.consumeFuel());
        assertFalse(c.epochInterruption());
        assertEquals(0L, c.maxWasmStack());
        assertTrue(c.parallelCompilation());
        assertNull(c.cacheDirectory());
        assertEquals(Optional.empty(), c.cache());
        assertFalse(c.concurrencySupport());
        assertTrue(c.signalsBasedTraps());
        assertTrue(c.wasmBacktrace());
        assertTrue(c.componentModelMap());
        assertTrue(c.componentModelFixedLengthLists());
    }

    @Test
    void builderSetsEverySetting(@TempDir Path dir) {
        Engine.Config c = Engine.Config.builder()
                .optLevel(Engine.OptLevel.SPEED_AND_SIZE)
                .consumeFuel(true)
                .epochInterruption(true)
                .maxWasmStack(256 * 1024)
                .parallelCompilation(false)
                .cacheDirectory(dir)
                .concurrencySupport(true)
                .signalsBasedTraps(false)
                .wasmBacktrace(false)
                .componentModelMap(false)
                .componentModelFixedLengthLists(false)
                .build();
        assertEquals(new Engine.Config(Engine.OptLevel.SPEED_AND_SIZE, true, true, 256 * 1024, false, dir, true,
                false, false, false, false, null), c);
        assertEquals(Optional.of(dir), c.cache());
    }

    @Test
    void toBuilderStartsFromTheSettings(@TempDir Path dir) {
        Engine.Config c = Engine.Config.builder()
                .optLevel(Engine.OptLevel.NONE)
                .consumeFuel(true)
                .maxWasmStack(1 << 20)
                .cacheDirectory(dir)
                .wasmBacktrace(false)
                .build();
        assertEquals(c, c.toBuilder().build());
        assertNotEquals(c, Engine.Config.defaults());

        Engine.Config changed = c.toBuilder().epochInterruption(true).build();
        assertTrue(changed.epochInterruption());
        assertFalse(c.epochInterruption(), "the original is immutable");
        assertEquals(Engine.OptLevel.NONE, changed.optLevel());
        assertTrue(changed.consumeFuel());
        assertEquals(1 << 20, changed.maxWasmStack());
        assertEquals(dir, changed.cacheDirectory());
        assertFalse(changed.wasmBacktrace());
        assertEquals(Engine.Config.defaults(), Engine.Config.defaults().toBuilder().build());
    }

    @Test
    void theFurtherAsyncSwitchesNeedConcurrencySupport() {
        Engine.Config.Builder b = Engine.Config.builder()
                .componentModelMoreAsyncBuiltins(true)
                .componentModelAsyncStackful(true)
                .componentModelThreading(true);
        Engine.Config c = b.build();
        assertTrue(c.componentModelMoreAsyncBuiltins() && c.componentModelAsyncStackful()
                && c.componentModelThreading());
        assertEquals(c, c.toBuilder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Engine(c));
        assertTrue(e.getMessage().contains("concurrency support must be enabled"), e.getMessage());
        try (Engine engine = new Engine(b.concurrencySupport(true).build())) {
            assertTrue(engine.config().componentModelThreading());
        }
    }

    @Test
    void invalidConfigsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Engine.Config.builder().maxWasmStack(-1).build());
        assertEquals("maxWasmStack must not be negative", e.getMessage());
        assertThrows(NullPointerException.class, () -> Engine.Config.builder().optLevel(null));
        assertThrows(NullPointerException.class, () -> new Engine(null));
        // wasmtime rejects a wasm stack larger than the async stack.
        e = assertThrows(IllegalArgumentException.class,
                () -> new Engine(Engine.Config.builder().maxWasmStack(1L << 40).build()));
        assertEquals("invalid engine configuration: max_wasm_stack size cannot exceed the async_stack_size",
                e.getMessage());
    }

    @Test
    void engineKeepsItsConfig() {
        Engine.Config c = Engine.Config.builder().consumeFuel(true).build();
        try (Engine engine = new Engine(c); Engine plain = new Engine()) {
            assertSame(c, engine.config());
            assertEquals(Engine.Config.defaults(), plain.config());
            assertEquals("Engine[open]", engine.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.OptLevel.class)
    void everyOptLevelCompilesAndRuns(Engine.OptLevel level) {
        try (Engine engine = new Engine(Engine.Config.builder().optLevel(level).build())) {
            assertEquals(level, engine.config().optLevel());
            assertEquals(3L, callAdd(engine, 1, 2));
            assertEquals(0L, callAdd(engine, 4294967295L, 1));
        }
    }

    @Test
    void otherSettingsStillRun() {
        Engine.Config c = Engine.Config.builder()
                .parallelCompilation(false)
                .signalsBasedTraps(false)
                .wasmBacktrace(false)
                .maxWasmStack(128 * 1024)
                .build();
        try (Engine engine = new Engine(c);
                Component traps = Component.fromFile(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            assertEquals(5L, callAdd(engine, 2, 3));
            Instance instance = linker.instantiate(store, traps);
            TrapException e = assertThrows(TrapException.class, () -> instance.func("oob-load").call());
            assertEquals(TrapCode.MEMORY_OUT_OF_BOUNDS, e.code());
            assertEquals(List.of(), e.wasmBacktrace(), "backtraces are off");
        }
    }

    /**
     * Deletes a cache directory. wasmtime's cache worker thread may still be writing statistics
     * files into it for a moment after the engine closed (which is why the test does not use
     * {@code @TempDir}, whose cleanup fails on such a race), so this retries for a while.
     */
    static void deleteCache(Path root) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // A file appeared (DirectoryNotEmptyException) or vanished (NoSuchFileException).
                if (!Files.exists(root)) {
                    return;
                }
                if (attempt >= 50) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }

    @Test
    void cacheDirectoryIsCreatedAndFilled() throws Exception {
        Path tmp = Files.createTempDirectory("wasmtime-jvm-cache");
        try {
            cacheDirectoryIsCreatedAndFilled(tmp);
        } finally {
            deleteCache(tmp);
        }
    }

    private static void cacheDirectoryIsCreatedAndFilled(Path tmp) throws Exception {
        Path dir = tmp.resolve("not/yet/there");
        assertFalse(Files.exists(dir));
        try (Engine engine = new Engine(Engine.Config.builder().cacheDirectory(dir).build())) {
            assertTrue(Files.isDirectory(dir), "the engine creates the cache directory");
            assertEquals(3L, callAdd(engine, 1, 2));
            // A second compilation of the same component comes from the cache and still runs.
            assertEquals(30L, callAdd(engine, 10, 20));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.anyMatch(p -> Files.isRegularFile(p)
                            && p.getParent().getFileName().toString().startsWith("wasmtime-")),
                    "compiled code was cached under " + dir);
        }
        // Another engine with the same cache runs the cached code.
        try (Engine again = new Engine(Engine.Config.builder().cacheDirectory(dir).build())) {
            assertEquals(7L, callAdd(again, 3, 4));
        }
    }

    @Test
    void cacheDirectoryThatIsAFileIsRejected(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new Engine(Engine.Config.builder().cacheDirectory(file).build()).close());
        assertEquals("cannot create cache directory " + file + ": File exists (os error 17)", e.getMessage());
        assertTrue(Files.isRegularFile(file));

        Path below = file.resolve("cache");
        e = assertThrows(UncheckedIOException.class,
                () -> new Engine(Engine.Config.builder().cacheDirectory(below).build()).close());
        assertEquals("cannot create cache directory " + below + ": Not a directory (os error 20)", e.getMessage());
    }

    // ---------------------------------------------------------------- fuel

    @Test
    void fuelOnAnEngineWithoutFuelIsRejected() {
        try (Engine engine = new Engine(); Store store = new Store(engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.setFuel(100));
            assertEquals("the engine does not consume fuel; enable fuel on the Engine configuration",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, store::getFuel);
            assertEquals("the engine does not consume fuel; enable fuel on the Engine configuration",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Store.builder(engine).fuel(100).build());
            assertEquals("fuel was given but the engine does not consume fuel; enable fuel on the Engine "
                    + "configuration", e.getMessage());
        }
    }

    @Test
    void fuelEngineSetsAndGetsFuel() {
        try (Engine engine = new Engine(Engine.Config.builder().consumeFuel(true).build());
                Component traps = Component.fromFile(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            assertSame(engine, store.engine());
            assertEquals(0L, store.getFuel(), "a store starts without fuel");
            store.setFuel(1000);
            assertEquals(1000L, store.getFuel());
            store.setFuel(0);
            assertEquals(0L, store.getFuel());
            store.setFuel(Long.MAX_VALUE);
            assertEquals(Long.MAX_VALUE, store.getFuel());

            store.setFuel(1000);
            Instance instance = linker.instantiate(store, traps);
            Func ok = instance.func("ok");
            assertEquals(42L, ok.call());
            long left = store.getFuel();
            assertTrue(left < 1000 && left > 900, "running consumed some fuel: " + left);

            TrapException e = assertThrows(TrapException.class, () -> instance.func("spin").call());
            assertEquals(TrapCode.OUT_OF_FUEL, e.code());
            assertTrue(e.getMessage().startsWith("wasm trap: all fuel consumed by WebAssembly: the store ran out "
                    + "of fuel"), e.getMessage());
            assertEquals(0L, store.getFuel());
        }
    }

    @Test
    void storeBuilderGivesStartingFuel() {
        try (Engine engine = new Engine(Engine.Config.builder().consumeFuel(true).build());
                Store store = Store.builder(engine).fuel(12345).build()) {
            assertEquals(12345L, store.getFuel());
        }
    }

    @Test
    void negativeFuelIsRejected() {
        try (Engine engine = new Engine(Engine.Config.builder().consumeFuel(true).build());
                Store store = Store.builder(engine).fuel(10).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.setFuel(-1));
            assertEquals("fuel must not be negative", e.getMessage());
            assertEquals(10L, store.getFuel(), "a rejected setFuel changes nothing");
            e = assertThrows(IllegalArgumentException.class, () -> store.setFuel(Long.MIN_VALUE));
            assertEquals("fuel must not be negative", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Store.builder(engine).fuel(-5));
            assertEquals("fuel must not be negative", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- epochs

    @Test
    void epochDeadlineOnAnEngineWithoutEpochsIsRejected() {
        try (Engine engine = new Engine(); Store store = new Store(engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.setEpochDeadline(1));
            assertEquals("the engine does not use epoch interruption; enable it on the Engine configuration",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Store.builder(engine).epochDeadline(1).build());
            assertEquals("an epoch deadline was given but the engine does not use epoch interruption; enable it "
                    + "on the Engine configuration", e.getMessage());
            // Incrementing the epoch of such an engine is harmless.
            engine.incrementEpoch();
        }
    }

    @Test
    void epochDeadlineInterruptsASpinningGuest() {
        try (Engine engine = new Engine(Engine.Config.builder().epochInterruption(true).build());
                Component traps = Component.fromFile(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Instance instance = linker.instantiate(store, traps);
            // The default deadline is far away.
            assertEquals(42L, instance.func("ok").call());

            store.setEpochDeadline(1);
            engine.incrementEpoch();
            TrapException e = assertThrows(TrapException.class, () -> instance.func("spin").call());
            assertEquals(TrapCode.INTERRUPT, e.code());
            assertTrue(e.getMessage().startsWith("wasm trap: interrupt: execution was interrupted (epoch deadline "
                    + "reached)"), e.getMessage());
        }
    }

    @Test
    void epochDeadlineFromAnotherThread() throws Exception {
        try (Engine engine = new Engine(Engine.Config.builder().epochInterruption(true).build());
                Component traps = Component.fromFile(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine);
                Store store = Store.builder(engine).epochDeadline(1).build()) {
            Instance instance = linker.instantiate(store, traps);
            Thread ticker = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    return;
                }
                engine.incrementEpoch();
            });
            ticker.start();
            TrapException e = assertThrows(TrapException.class, () -> instance.func("spin").call());
            ticker.join();
            assertEquals(TrapCode.INTERRUPT, e.code());
        }
    }

    @Test
    void negativeEpochDeadlineIsRejected() {
        try (Engine engine = new Engine(Engine.Config.builder().epochInterruption(true).build());
                Store store = new Store(engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.setEpochDeadline(-1));
            assertEquals("ticks must not be negative", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Store.builder(engine).epochDeadline(-1));
            assertEquals("ticks must not be negative", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- closed

    @Test
    void closedEngineThrowsIllegalStateException() {
        Engine engine = new Engine();
        engine.close();
        assertTrue(engine.isClosed());
        assertEquals("Engine[closed]", engine.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, engine::incrementEpoch);
        assertEquals("Engine is closed", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> engine.precompileComponent(new byte[0]));
        assertEquals("Engine is closed", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new Store(engine));
        assertEquals("Engine is closed", e.getMessage());
        engine.close(); // idempotent
        assertEquals(Engine.Config.defaults(), engine.config());
    }

    @Test
    void closedStoreThrowsIllegalStateException() {
        try (Engine engine = new Engine(Engine.Config.builder().consumeFuel(true).epochInterruption(true).build())) {
            Store store = new Store(engine);
            store.close();
            assertEquals("Store is closed", assertThrows(IllegalStateException.class, store::getFuel).getMessage());
            assertEquals("Store is closed",
                    assertThrows(IllegalStateException.class, () -> store.setFuel(1)).getMessage());
            assertEquals("Store is closed",
                    assertThrows(IllegalStateException.class, () -> store.setEpochDeadline(1)).getMessage());
        }
    }

    @Test
    void storesKeepWorkingAfterTheirEngineIsClosed() {
        Engine engine = new Engine(Engine.Config.builder().consumeFuel(true).build());
        try (Store store = Store.builder(engine).fuel(77).build()) {
            engine.close();
            assertEquals(77L, store.getFuel());
        }
    }

    // ---------------------------------------------------------------- TrapCode

    @Test
    void trapCodeFromWasmtimeName() {
        assertEquals(TrapCode.STACK_OVERFLOW, TrapCode.fromWasmtimeName("StackOverflow"));
        assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, TrapCode.fromWasmtimeName("UnreachableCodeReached"));
        assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, TrapCode.fromWasmtimeName("IntegerDivisionByZero"));
        assertEquals(TrapCode.OUT_OF_FUEL, TrapCode.fromWasmtimeName("OutOfFuel"));
        assertEquals(TrapCode.INTERRUPT, TrapCode.fromWasmtimeName("Interrupt"));
        assertEquals(TrapCode.CANNOT_ENTER_COMPONENT, TrapCode.fromWasmtimeName("CannotEnterComponent"));
        assertEquals(TrapCode.HOST, TrapCode.fromWasmtimeName("Host"));
        assertEquals(TrapCode.ATOMIC_WAIT_NON_SHARED_MEMORY, TrapCode.fromWasmtimeName("AtomicWaitNonSharedMemory"));
    }

    @Test
    void everyTrapCodeRoundTripsThroughItsWasmtimeName() {
        for (TrapCode code : TrapCode.values()) {
            StringBuilder camel = new StringBuilder();
            for (String part : code.name().split("_")) {
                camel.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
            }
            assertEquals(code, TrapCode.fromWasmtimeName(camel.toString()), camel.toString());
        }
    }

    @Test
    void unknownTrapNamesMapToUnknown() {
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromWasmtimeName("NoSuchTrap"));
        // Real wasmtime 48 codes this version does not model.
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromWasmtimeName("UnhandledTag"));
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromWasmtimeName("AsyncDeadlock"));
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromWasmtimeName(""));
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromWasmtimeName(null));
        // The Java constant name is not a wasmtime name.
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromWasmtimeName("STACK_OVERFLOW"));
    }

    @Test
    void realTrapsCarryTheirCodes() {
        try (Engine engine = new Engine();
                Component traps = Component.fromFile(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine)) {
            record Case(String func, TrapCode code, Object[] args) {}
            for (Case c : List.of(
                    new Case("unreachable", TrapCode.UNREACHABLE_CODE_REACHED, new Object[0]),
                    new Case("divide", TrapCode.INTEGER_DIVISION_BY_ZERO, new Object[] {1, 0}),
                    new Case("divide", TrapCode.INTEGER_OVERFLOW, new Object[] {Integer.MIN_VALUE, -1}),
                    new Case("oob-load", TrapCode.MEMORY_OUT_OF_BOUNDS, new Object[0]),
                    new Case("recurse", TrapCode.STACK_OVERFLOW, new Object[] {100_000_000}))) {
                // A trap poisons its store, so each case gets its own.
                try (Store store = new Store(engine)) {
                    Instance instance = linker.instantiate(store, traps);
                    TrapException e = assertThrows(TrapException.class,
                            () -> instance.func(c.func()).call(c.args()), c.func());
                    assertEquals(c.code(), e.code(), c.func());
                    assertFalse(e.wasmBacktrace().isEmpty(), c.func());
                }
            }
        }
    }
}
