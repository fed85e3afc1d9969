package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LinkerInstance.funcAsync: host functions returning a CompletionStage, against host-bench.wat
 * (call-add(n) calls add2(i, 1) for i in 0..n and returns the last sum; call-string(n, s) sums
 * take-string(s) n times; call-noop(n) calls noop n times).
 */
class AsyncHostFunctionTest {

    private static final long WAIT = 30;
    private static final FuncType ADD2 = FuncType.of("a", Primitive.U32, "b", Primitive.U32).returning(Primitive.U32);
    private static final FuncType TAKE_STRING = FuncType.of("s", Primitive.STRING).returning(Primitive.U32);

    private static Engine engine;
    private static Component hostBench;
    private static ExecutorService completer;

    @BeforeAll
    static void setUp() {
        // One worker: a pending host function that held it would stop every other call.
        engine = new Engine(Engine.Config.builder().asyncThreads(1).build());
        hostBench = Component.fromFile(engine, Fixtures.component("host-bench"));
        completer = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void tearDown() {
        completer.shutdownNow();
        hostBench.close();
        engine.close();
    }

    /** A linker for host-bench whose add2 is {@code add2}; noop and take-string synchronous. */
    private static Linker linker(AsyncHostFunction add2) {
        Linker linker = new Linker(engine);
        linker.root()
                .funcAsync("add2", ADD2, add2)
                .func("noop", FuncType.of(), args -> null)
                .func("take-string", TAKE_STRING, args -> (long) ((String) args[0]).length());
        return linker;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static long sum(Object[] args) {
        return (Long) args[0] + (Long) args[1];
    }

    @Test
    void theGuestGetsWhatTheStageCompletesWithOnAnotherThread() throws Exception {
        List<String> threads = new ArrayList<>();
        try (Linker linker = linker(args -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread().getName());
                    }
                    return CompletableFuture.supplyAsync(() -> sum(args), completer);
                });
                Store store = new Store(engine)) {
            Func callAdd = linker.instantiate(store, hostBench).func("call-add");
            assertEquals(10L, callAdd.callAsync(10).get(WAIT, TimeUnit.SECONDS));
        }
        assertEquals(10, threads.size());
        assertTrue(threads.stream().allMatch(t -> t.startsWith("wasmtime-jvm-async")), threads.toString());
    }

    @Test
    void aStageCompletedAlreadyServesTheCallAtOnce() throws Exception {
        try (Linker linker = linker(args -> CompletableFuture.completedFuture(sum(args)));
                Store store = new Store(engine);
                InstancePre pre = linker.instantiatePre(hostBench)) {
            Func callAdd = pre.instantiate(store).func("call-add");
            assertEquals(1000L, callAdd.callAsync(1000).get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void pendingHostFunctionsHoldNoThread() throws Exception {
        // 64 calls on one worker, each suspended in add2 until the test completes it: all 64 are
        // pending at once, which they could not be if a pending stage held the worker.
        BlockingQueue<CompletableFuture<Object>> pending = new LinkedBlockingQueue<>();
        BlockingQueue<Long> operands = new LinkedBlockingQueue<>();
        int n = 64;
        List<Store> stores = new ArrayList<>();
        try (Linker linker = linker(args -> {
                    CompletableFuture<Object> stage = new CompletableFuture<>();
                    operands.add(sum(args));
                    pending.add(stage);
                    return stage;
                });
                InstancePre pre = linker.instantiatePre(hostBench)) {
            List<CompletableFuture<Object>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Store store = new Store(engine);
                stores.add(store);
                calls.add(pre.instantiate(store).func("call-add").callAsync(1));
            }
            List<CompletableFuture<Object>> stages = new ArrayList<>();
            List<Long> sums = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CompletableFuture<Object> stage = pending.poll(WAIT, TimeUnit.SECONDS);
                assertTrue(stage != null, "only " + i + " of " + n + " calls reached the host function");
                stages.add(stage);
                sums.add(operands.take());
            }
            for (CompletableFuture<Object> c : calls) {
                assertFalse(c.isDone());
            }
            for (int i = 0; i < n; i++) {
                CompletableFuture<Object> stage = stages.get(i);
                long value = sums.get(i) + 41;
                completer.execute(() -> stage.complete(value));
            }
            for (CompletableFuture<Object> c : calls) {
                assertEquals(42L, c.get(WAIT, TimeUnit.SECONDS));
            }
        } finally {
            stores.forEach(Store::close);
        }
    }

    @Test
    void aStageFailingTrapsTheGuestWithItsCause() {
        IOException down = new IOException("service down");
        try (Linker linker = linker(args -> CompletableFuture.supplyAsync(() -> {
                    throw new java.io.UncheckedIOException(down);
                }, completer).thenApply(Function.identity()));
                Store store = new Store(engine)) {
            Func callAdd = linker.instantiate(store, hostBench).func("call-add");
            TrapException trap = assertInstanceOf(TrapException.class, failure(callAdd.callAsync(3)));
            assertInstanceOf(java.io.UncheckedIOException.class, trap.getCause());
            assertEquals(down, trap.getCause().getCause());
            assertTrue(trap.getMessage().contains("add2"), trap.getMessage());
        }
    }

    @Test
    void aFunctionThatThrowsOrReturnsNoStageTrapsAtOnce() {
        try (Linker throwing = linker(args -> {
                    throw new IOException("refused");
                });
                Linker returningNull = linker(args -> null);
                Store a = new Store(engine);
                Store b = new Store(engine)) {
            TrapException thrown = assertInstanceOf(TrapException.class,
                    failure(throwing.instantiate(a, hostBench).func("call-add").callAsync(2)));
            assertInstanceOf(IOException.class, thrown.getCause());
            TrapException nothing = assertInstanceOf(TrapException.class,
                    failure(returningNull.instantiate(b, hostBench).func("call-add").callAsync(2)));
            assertInstanceOf(IllegalArgumentException.class, nothing.getCause());
            assertTrue(nothing.getCause().getMessage().contains("CompletionStage"), nothing.getCause().getMessage());
        }
    }

    @Test
    void aResultOfTheWrongTypeTrapsTheGuest() {
        try (Linker linker = linker(args -> CompletableFuture.completedFuture("not a number"));
                Store store = new Store(engine)) {
            Func callAdd = linker.instantiate(store, hostBench).func("call-add");
            TrapException trap = assertInstanceOf(TrapException.class, failure(callAdd.callAsync(1)));
            assertInstanceOf(IllegalArgumentException.class, trap.getCause());
            assertTrue(trap.getCause().getMessage().contains("add2"), trap.getCause().getMessage());
        }
    }

    @Test
    void storesOfSuchComponentsRefuseSynchronousCalls() throws Exception {
        try (Linker linker = linker(args -> CompletableFuture.completedFuture(sum(args)));
                Store store = new Store(engine)) {
            Func callNoop = linker.instantiate(store, hostBench).func("call-noop");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> callNoop.call(1));
            assertTrue(e.getMessage().contains("callAsync"), e.getMessage());
            // Refused before the guest ran: the store still serves asynchronous calls.
            callNoop.callAsync(3).get(WAIT, TimeUnit.SECONDS);
        }
    }

    @Test
    void cancellingACallWaitingOnTheHostStopsItAndDropsTheLateResult() throws Exception {
        BlockingQueue<CompletableFuture<Object>> pending = new LinkedBlockingQueue<>();
        try (Linker linker = linker(args -> {
                    CompletableFuture<Object> stage = new CompletableFuture<>();
                    pending.add(stage);
                    return stage;
                });
                Store store = new Store(engine)) {
            Func callAdd = linker.instantiate(store, hostBench).func("call-add");
            CompletableFuture<Object> call = callAdd.callAsync(5);
            CompletableFuture<Object> stage = pending.poll(WAIT, TimeUnit.SECONDS);
            assertTrue(call.cancel(true));
            assertThrows(CancellationException.class, () -> call.get(WAIT, TimeUnit.SECONDS));
            // The guest is stopped: the late result goes nowhere and nothing fails.
            assertTrue(stage.complete(1L));
            // The store takes calls again (the stopped instance refuses to be entered, as after a
            // trap, but the store is not busy).
            CompletableFuture<Object> again = callAdd.callAsync(1);
            assertInstanceOf(TrapException.class, failure(again));
        }
    }

    @Test
    void argumentsAndResultsOfEveryCallAreItsOwn() throws Exception {
        // Strings through an asynchronous take-string, completed out of order on several threads.
        Linker linker = new Linker(engine);
        linker.root()
                .funcAsync("take-string", TAKE_STRING, args -> CompletableFuture.supplyAsync(
                        () -> (long) ((String) args[0]).length(), completer))
                .func("noop", FuncType.of(), args -> null)
                .funcAsync("add2", ADD2, args -> CompletableFuture.completedFuture(sum(args)));
        List<Store> stores = new ArrayList<>();
        try (linker) {
            List<CompletableFuture<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Store store = new Store(engine);
                stores.add(store);
                String s = "é".repeat(i);
                calls.add(linker.instantiate(store, hostBench).func("call-string").callAsync(3, s));
            }
            for (int i = 0; i < 16; i++) {
                assertEquals(3L * i, calls.get(i).get(WAIT, TimeUnit.SECONDS));
            }
        } finally {
            stores.forEach(Store::close);
        }
    }
}
