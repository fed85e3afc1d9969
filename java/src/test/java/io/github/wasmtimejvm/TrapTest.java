package io.github.wasmtimejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Traps of every kind come back as TrapExceptions with their code, and the JVM keeps running. */
class TrapTest {

    private static Engine engine;
    private static Component traps;
    private static Linker linker;
    private static InstancePre pre;

    @BeforeAll
    static void setUp() {
        engine = new Engine();
        traps = Component.fromFile(engine, Fixtures.component("traps"));
        linker = new Linker(engine);
        pre = linker.instantiatePre(traps);
    }

    @AfterAll
    static void tearDown() {
        pre.close();
        linker.close();
        traps.close();
        engine.close();
    }

    private static TrapException trap(String func, Object... args) {
        try (Store store = new Store(engine)) {
            Instance instance = pre.instantiate(store);
            return assertThrows(TrapException.class, () -> instance.func(func).call(args));
        }
    }

    @Test
    void unreachable() {
        TrapException e = trap("unreachable");
        assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, e.code());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        assertFalse(e.wasmBacktrace().isEmpty(), "a trap carries its wasm backtrace");
        assertTrue(e.getMessage().contains("wasm backtrace:"), e.getMessage());
    }

    @Test
    void integerDivisionByZeroAndOverflow() {
        assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap("divide", 1, 0).code());
        assertEquals(TrapCode.INTEGER_OVERFLOW, trap("divide", Integer.MIN_VALUE, -1).code());
    }

    @Test
    void outOfBoundsMemory() {
        assertEquals(TrapCode.MEMORY_OUT_OF_BOUNDS, trap("oob-load").code());
    }

    @Test
    void stackOverflow() {
        assertEquals(TrapCode.STACK_OVERFLOW, trap("recurse", 0).code());
    }

    @Test
    void fastPathTrapsToo() {
        try (Store store = new Store(engine)) {
            Instance instance = pre.instantiate(store);
            TrapException e = assertThrows(TrapException.class, () -> instance.func("divide").scalar().call(1, 0));
            assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, e.code());
        }
    }

    @Test
    void afterATrapTheStoreSaysItsComponentsCannotRunAndANewStoreWorks() {
        try (Store store = new Store(engine)) {
            Instance instance = pre.instantiate(store);
            assertEquals(42L, instance.func("ok").call());
            assertThrows(TrapException.class, () -> instance.func("unreachable").call());
            TrapException poisoned = assertThrows(TrapException.class, () -> instance.func("ok").call());
            assertEquals(TrapCode.CANNOT_ENTER_COMPONENT, poisoned.code());
            assertTrue(poisoned.getMessage().contains("create a new Store"), poisoned.getMessage());
            // wasmtime 48 poisons the whole store, not only the instance that trapped.
            Instance fresh = pre.instantiate(store);
            assertEquals(TrapCode.CANNOT_ENTER_COMPONENT,
                    assertThrows(TrapException.class, () -> fresh.func("ok").call()).code());
        }
        try (Store next = new Store(engine)) {
            assertEquals(42L, pre.instantiate(next).func("ok").call());
        }
    }

    @Test
    void fuelRunsOut() {
        try (Engine fuelEngine = new Engine(Engine.Config.builder().consumeFuel(true).build());
                Component c = Component.fromFile(fuelEngine, Fixtures.component("traps"));
                Linker l = new Linker(fuelEngine);
                Store store = Store.builder(fuelEngine).fuel(1_000_000).build()) {
            Instance instance = l.instantiate(store, c);
            TrapException e = assertThrows(TrapException.class, () -> instance.func("spin").call());
            assertEquals(TrapCode.OUT_OF_FUEL, e.code());
            assertEquals(0, store.getFuel());
            store.setFuel(5_000);
            assertEquals(5_000, store.getFuel());
        }
    }

    @Test
    void epochDeadlineInterruptsALoop() throws Exception {
        try (Engine epochEngine = new Engine(Engine.Config.builder().epochInterruption(true).build());
                Component c = Component.fromFile(epochEngine, Fixtures.component("traps"));
                Linker l = new Linker(epochEngine);
                Store store = Store.builder(epochEngine).epochDeadline(1).build()) {
            Instance instance = l.instantiate(store, c);
            ExecutorService ticker = Executors.newSingleThreadExecutor();
            try {
                ticker.submit(() -> {
                    Thread.sleep(100);
                    epochEngine.incrementEpoch();
                    return null;
                });
                TrapException e = assertThrows(TrapException.class, () -> instance.func("spin").call());
                assertEquals(TrapCode.INTERRUPT, e.code());
            } finally {
                ticker.shutdown();
                assertTrue(ticker.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    /**
     * wasmtime's signal handlers sit in front of HotSpot's: traps on several threads, interleaved
     * with Java NullPointerExceptions (which HotSpot raises through SIGSEGV too), must each come
     * back right, and the JVM must keep running.
     */
    @Test
    void trapsAndJavaNullPointersOnManyThreads() throws Exception {
        int threads = 4;
        int rounds = 150;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong npes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
        try {
            List<Future<?>> npeThrowers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                npeThrowers.add(pool.submit(() -> {
                    Object[] holder = new Object[1];
                    while (!stop.get()) {
                        try {
                            holder[0].hashCode();
                        } catch (NullPointerException expected) {
                            npes.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Future<Integer>> trappers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                trappers.add(pool.submit(() -> {
                    int seen = 0;
                    for (int i = 0; i < rounds; i++) {
                        try (Store store = new Store(engine)) {
                            Instance instance = pre.instantiate(store);
                            TrapCode expected;
                            Runnable call;
                            switch (i % 4) {
                                case 0 -> {
                                    expected = TrapCode.UNREACHABLE_CODE_REACHED;
                                    call = () -> instance.func("unreachable").call();
                                }
                                case 1 -> {
                                    expected = TrapCode.INTEGER_DIVISION_BY_ZERO;
                                    call = () -> instance.func("divide").call(7, 0);
                                }
                                case 2 -> {
                                    expected = TrapCode.MEMORY_OUT_OF_BOUNDS;
                                    call = () -> instance.func("oob-load").call();
                                }
                                default -> {
                                    expected = TrapCode.STACK_OVERFLOW;
                                    call = () -> instance.func("recurse").call(0);
                                }
                            }
                            TrapException e = assertThrows(TrapException.class, call::run);
                            assertEquals(expected, e.code());
                            // Java's own null checks still work on this thread between traps.
                            Object nothing = null;
                            assertThrows(NullPointerException.class, () -> nothing.toString());
                            seen++;
                        }
                    }
                    return seen;
                }));
            }
            for (Future<Integer> f : trappers) {
                assertEquals(rounds, f.get(120, TimeUnit.SECONDS));
            }
            stop.set(true);
            for (Future<?> f : npeThrowers) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertTrue(npes.get() > 0);
        } finally {
            stop.set(true);
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}
