package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TimeoutException;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import io.github.wasmtimejvm.wasi.WasiConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Func.callAsync: calls on the engine's workers, completing CompletableFutures. */
class AsyncCallTest {

    private static final long WAIT = 30;

    private static Engine engine;
    private static Linker linker;
    private static InstancePre echo;
    private static InstancePre traps;

    @BeforeAll
    static void setUp() {
        engine = new Engine(Engine.Config.builder().epochInterruption(true).asyncThreads(2).build());
        linker = new Linker(engine);
        try (Component e = Component.fromFile(engine, Fixtures.component("echo"));
                Component t = Component.fromFile(engine, Fixtures.component("traps"))) {
            echo = linker.instantiatePre(e);
            traps = linker.instantiatePre(t);
        }
    }

    @AfterAll
    static void tearDown() {
        echo.close();
        traps.close();
        linker.close();
        engine.close();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void anAsyncCallCompletesWithWhatTheSyncCallReturns() throws Exception {
        try (Store store = new Store(engine)) {
            Func f = echo.instantiate(store).func("echo-person");
            Map<String, Object> person = Map.of("first-name", "Ada", "age", 36, "tags", List.of("x"));
            Object sync = f.call(person);
            CompletableFuture<Object> future = f.callAsync(person);
            assertEquals(sync, future.get(WAIT, TimeUnit.SECONDS));
            List<Val> args = f.parseWaveArguments("{first-name: \"B\", age: 1, tags: []}");
            assertEquals(f.callValues(args), f.callValuesAsync(args).get(WAIT, TimeUnit.SECONDS));
            // The store is free once the future has completed.
            assertEquals(sync, f.call(person));
        }
    }

    @Test
    void dependentStagesDoNotRunOnTheEnginesWorkers() throws Exception {
        try (Store store = new Store(engine)) {
            Func f = traps.instantiate(store).func("ok");
            String thread = f.callAsync().thenApply(r -> Thread.currentThread().getName())
                    .get(WAIT, TimeUnit.SECONDS);
            assertFalse(thread.startsWith("wasmtime-jvm-async"), thread);
        }
    }

    @Test
    void aStoreRunningAnAsyncCallRefusesOtherCallsAtOnce() throws Exception {
        try (Store store = new Store(engine)) {
            Instance instance = traps.instantiate(store);
            Func spin = instance.func("spin");
            CompletableFuture<Object> running = spin.callAsync();
            IllegalStateException busy = assertThrows(IllegalStateException.class, () -> instance.func("ok").call());
            assertTrue(busy.getMessage().contains("asynchronous call"), busy.getMessage());
            assertThrows(IllegalStateException.class, () -> spin.callAsync());
            assertFalse(running.isDone());
            assertTrue(running.cancel(true));
            assertThrows(CancellationException.class, () -> running.get(WAIT, TimeUnit.SECONDS));
            // The guest stops within a tick, and a call made meanwhile waits for that. If the guest had
            // started, the store refuses to enter the components it left mid-call, as after a
            // trap; a cancel that came before a worker started the guest leaves it clean.
            Object after = rightAfterCancel(() -> instance.func("ok").call());
            if (after instanceof TrapException trap) {
                assertEquals(TrapCode.CANNOT_ENTER_COMPONENT, trap.code());
            } else {
                assertEquals(42L, after);
            }
        }
        try (Store fresh = new Store(engine)) {
            assertEquals(42L, traps.instantiate(fresh).func("ok").call());
        }
    }

    /**
     * Calls at once after a cancel: the store waits for the cancelled guest to leave rather than
     * report itself busy; the call's result or trap.
     */
    private static Object rightAfterCancel(java.util.concurrent.Callable<Object> call) throws Exception {
        try {
            return call.call();
        } catch (TrapException e) {
            return e;
        }
    }

    @Test
    void orTimeoutStopsASpinningGuest() throws Exception {
        try (Store store = new Store(engine)) {
            Instance instance = traps.instantiate(store);
            CompletableFuture<Object> f = instance.func("spin").callAsync().orTimeout(50, TimeUnit.MILLISECONDS);
            assertInstanceOf(java.util.concurrent.TimeoutException.class, failure(f));
            rightAfterCancel(() -> instance.func("ok").call());
        }
    }

    @Test
    void theStoresTimeLimitAppliesAndTrapsComeBackAsExceptions() {
        try (Store store = Store.builder(engine).timeout(Duration.ofMillis(100)).build()) {
            Instance instance = traps.instantiate(store);
            assertInstanceOf(TimeoutException.class, failure(instance.func("spin").callAsync()));
        }
        try (Store store = new Store(engine)) {
            Instance instance = traps.instantiate(store);
            TrapException t = assertInstanceOf(TrapException.class, failure(instance.func("divide").callAsync(1, 0)));
            assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, t.code());
            assertThrows(IllegalArgumentException.class, () -> instance.func("divide").callAsync("x", 0));
        }
    }

    @Test
    void manyCallsAcrossStoresShareTwoWorkers() throws Exception {
        List<Store> stores = new ArrayList<>();
        List<CompletableFuture<Object>> spinning = new ArrayList<>();
        try {
            // More spinning guests than workers: each yields at every epoch tick, so the quick
            // calls still get through.
            for (int i = 0; i < 6; i++) {
                Store s = new Store(engine);
                stores.add(s);
                spinning.add(traps.instantiate(s).func("spin").callAsync());
            }
            List<CompletableFuture<Object>> quick = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Store s = new Store(engine);
                stores.add(s);
                quick.add(traps.instantiate(s).func("ok").callAsync());
            }
            for (CompletableFuture<Object> q : quick) {
                assertEquals(42L, q.get(WAIT, TimeUnit.SECONDS));
            }
            spinning.forEach(f -> assertFalse(f.isDone()));
        } finally {
            spinning.forEach(f -> f.cancel(true));
            for (Store s : stores) {
                // A store still stopping its guest closes once the guest has left.
                s.close();
            }
        }
    }

    @Test
    void javaHostFunctionsRunOnTheWorkerAndTheirExceptionsTrap() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (Linker hosted = new Linker(engine);
                Component c = Component.fromFile(engine, Fixtures.component("unsatisfied-import"));
                Store store = new Store(engine)) {
            hosted.instance("docs:log/logger@1.0.0").func("log", FuncType.of("msg", Primitive.STRING), args -> {
                threads.add(Thread.currentThread().getName());
                return null;
            });
            RuntimeException boom = new RuntimeException("boom");
            long[] value = {41};
            hosted.root().func("get-value", FuncType.builder().result(Primitive.U32).build(), args -> {
                if (value[0] < 0) {
                    throw boom;
                }
                return value[0] + 1;
            });
            Func run = hosted.instantiate(store, c).func("run");
            assertEquals(42L, run.callAsync().get(WAIT, TimeUnit.SECONDS));
            assertEquals(1, threads.size());
            assertTrue(threads.get(0).startsWith("wasmtime-jvm-async"), threads.get(0));
            assertNotEquals(Thread.currentThread().getName(), threads.get(0));
            value[0] = -1;
            TrapException t = assertInstanceOf(TrapException.class, failure(run.callAsync()));
            assertSame(boom, t.getCause());
        }
    }

    @Test
    void aWasiGuestRunsAsynchronously(@TempDir Path config) throws Exception {
        // The greeter reads an environment variable and a preopened file and writes standard
        // error on every call: WASI's synchronous host functions, run inside an async call.
        Files.writeString(config.resolve("suffix.txt"), "(async)\n");
        WasiConfig wasi = WasiConfig.builder().env("GREETING", "Hej")
                .preopen(config, "/config", WasiConfig.DirAccess.READ_ONLY).captureStderr().build();
        try (Linker withWasi = new Linker(engine).addWasi();
                Component c = Component.fromFile(engine, Guests.path("greeter.component.wasm"));
                Store store = Store.builder(engine).wasi(wasi).build()) {
            Func greet = withWasi.instantiate(store, c).func("docs:greeter/greet@1.0.0", "greet");
            assertEquals("Hej, Ada! (async)", greet.callAsync("Ada").get(WAIT, TimeUnit.SECONDS));
            assertEquals("Hej, Bo! (async)", greet.call("Bo"));
            assertEquals("greet(Ada)\ngreet(Bo)\n", new String(store.capturedStderr(), StandardCharsets.UTF_8));
        }
    }
}
