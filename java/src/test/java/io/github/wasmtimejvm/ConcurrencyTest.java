package io.github.wasmtimejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Engines, components, linkers and pre-instances are shared; a store is one thread's at a time. */
class ConcurrencyTest {

    @Test
    void aStoreInUseByAnotherThreadGivesAClearException() throws Exception {
        try (Engine engine = new Engine(Engine.Config.builder().epochInterruption(true).build());
                Component traps = Component.fromFile(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine);
                Store store = Store.builder(engine).epochDeadline(1).build()) {
            Instance instance = linker.instantiate(store, traps);
            Func spin = instance.func("spin");
            Func ok = instance.func("ok");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                CountDownLatch started = new CountDownLatch(1);
                Future<?> busy = pool.submit(() -> {
                    started.countDown();
                    return assertThrows(TrapException.class, spin::call);
                });
                assertTrue(started.await(10, TimeUnit.SECONDS));
                Thread.sleep(200);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> ok.call());
                assertTrue(e.getMessage().contains("in use by another thread"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> ok.scalar().call());
                assertThrows(IllegalStateException.class, () -> store.setEpochDeadline(5));
                engine.incrementEpoch();
                busy.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void sharedEngineComponentLinkerAndInstancePreAcrossThreads() throws Exception {
        int threads = 4;
        int calls = 2_000;
        try (Engine engine = new Engine();
                Component add = Component.fromFile(engine, Fixtures.component("add"));
                Linker linker = new Linker(engine);
                InstancePre pre = linker.instantiatePre(add)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Long>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = t;
                    results.add(pool.submit(() -> {
                        long sum = 0;
                        try (Store store = new Store(engine)) {
                            Instance viaPre = pre.instantiate(store);
                            Instance viaLinker = linker.instantiate(store, add);
                            for (int i = 0; i < calls; i++) {
                                sum += (Long) viaPre.func("add").call(seed, i);
                                sum += viaLinker.func("add").scalar().call(seed, i);
                            }
                        }
                        return sum;
                    }));
                }
                long perCall = (long) calls * (calls - 1) / 2;
                for (int t = 0; t < threads; t++) {
                    assertEquals(2 * ((long) t * calls + perCall), results.get(t).get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aStoreMovesBetweenThreadsWhenNotInUse() throws Exception {
        try (Engine engine = new Engine();
                Component add = Component.fromFile(engine, Fixtures.component("add"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Func f = linker.instantiate(store, add).func("add");
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                for (int i = 0; i < 30; i++) {
                    long a = i;
                    assertEquals(a + 1, pool.submit(() -> (Long) f.call(a, 1)).get(10, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }
}
