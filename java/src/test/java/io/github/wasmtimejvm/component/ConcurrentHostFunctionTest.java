package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Host functions of component-model {@code async} types ({@code async func} imports), against
 * concurrent-host.wat: {@code run(a, b)} starts {@code slow(a)} and {@code slow(b)} at once,
 * waits for both and returns their sum; {@code starts()} tells how many were pending when the
 * guest went on.
 */
class ConcurrentHostFunctionTest {

    private static final long WAIT = 30;
    private static final FuncType SLOW = FuncType.of("v", Primitive.U32).returning(Primitive.U32).asAsync();

    private static Engine engine;
    private static Component concurrentHost;

    @BeforeAll
    static void setUp() {
        engine = new Engine(Engine.Config.builder().concurrencySupport(true).asyncThreads(1).build());
        concurrentHost = Component.fromFile(engine, Fixtures.component("concurrent-host"));
    }

    @AfterAll
    static void tearDown() {
        concurrentHost.close();
        engine.close();
    }

    @Test
    void theGuestGoesOnWhileItsCallsArePending() throws Exception {
        // Both calls reach Java before either completes: the first pending one did not suspend
        // the guest.
        BlockingQueue<CompletableFuture<Object>> pending = new LinkedBlockingQueue<>();
        BlockingQueue<Long> operands = new LinkedBlockingQueue<>();
        try (Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            linker.root().funcAsync("slow", SLOW, args -> {
                CompletableFuture<Object> stage = new CompletableFuture<>();
                operands.add((Long) args[0]);
                pending.add(stage);
                return stage;
            });
            Instance instance = linker.instantiate(store, concurrentHost);
            CompletableFuture<Object> run = instance.func("run").callAsync(3, 4);
            CompletableFuture<Object> first = pending.poll(WAIT, TimeUnit.SECONDS);
            CompletableFuture<Object> second = pending.poll(WAIT, TimeUnit.SECONDS);
            assertNotNull(second, "the second call did not reach the host while the first was pending");
            assertEquals(3L, operands.take());
            assertEquals(4L, operands.take());
            assertFalse(run.isDone());
            // Completed out of order, from another thread.
            CompletableFuture.runAsync(() -> second.complete(40L));
            CompletableFuture.runAsync(() -> first.complete(30L));
            assertEquals(70L, run.get(WAIT, TimeUnit.SECONDS));
            // slow(3) was pending when the guest went on; slow(4) may have been answered first.
            Object starts = instance.func("starts").callAsync().get(WAIT, TimeUnit.SECONDS);
            assertTrue(starts.equals(1L) || starts.equals(2L), String.valueOf(starts));
        }
    }

    @Test
    void aSynchronousFunctionServesAnAsyncImportAtOnce() throws Exception {
        try (Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            linker.root().func("slow", SLOW, args -> (Long) args[0] * 10);
            Instance instance = linker.instantiate(store, concurrentHost);
            assertEquals(30L, instance.func("run").callAsync(1, 2).get(WAIT, TimeUnit.SECONDS));
            assertEquals(0L, instance.func("starts").callAsync().get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFailingStageTrapsTheGuestWithItsCause() {
        IllegalStateException down = new IllegalStateException("service down");
        try (Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            linker.root().funcAsync("slow", SLOW,
                    args -> CompletableFuture.supplyAsync(() -> {
                        throw down;
                    }));
            Func run = linker.instantiate(store, concurrentHost).func("run");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> run.callAsync(1, 2).get(WAIT, TimeUnit.SECONDS));
            TrapException trap = assertInstanceOf(TrapException.class, e.getCause());
            assertTrue(trap.getMessage().contains("slow"), trap.getMessage());
            assertEquals(down, trap.getCause());
        }
    }

    @Test
    void anAsyncTypeNeedsAnEngineWithConcurrencySupport() {
        try (Engine plain = new Engine(Engine.Config.builder().build());
                Linker linker = new Linker(plain)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> linker.root().funcAsync("slow", SLOW, args -> new CompletableFuture<>()));
            assertTrue(e.getMessage().contains("concurrency support"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> linker.root().func("slow", SLOW, args -> 1L));
        }
    }

    @Test
    void theAsyncTypePrintsAsWitDoes() {
        assertEquals("async func(v: u32) -> u32", SLOW.toString());
        assertTrue(SLOW.isAsync());
        assertFalse(FuncType.of("v", Primitive.U32).isAsync());
    }
}
