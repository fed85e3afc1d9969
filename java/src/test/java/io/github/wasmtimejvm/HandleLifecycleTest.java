package io.github.wasmtimejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing, use after close, close during a call, parents kept alive, leak reports. */
class HandleLifecycleTest {

    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        Engine engine = new Engine();
        Component add = Component.fromFile(engine, Fixtures.component("add"));
        Linker linker = new Linker(engine);
        Store store = new Store(engine);
        Func f = linker.instantiate(store, add).func("add");
        assertEquals(3L, f.call(1, 2));

        store.close();
        store.close();
        assertTrue(store.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.call(1, 2));
        assertEquals("Store is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> f.scalar().call(1, 2));
        assertThrows(IllegalStateException.class, store::getFuel);

        add.close();
        assertThrows(IllegalStateException.class, () -> {
            try (Store s = new Store(engine)) {
                linker.instantiate(s, add);
            }
        });
        linker.close();
        linker.close();
        engine.close();
        IllegalStateException noEngine = assertThrows(IllegalStateException.class, () -> new Store(engine));
        assertEquals("Engine is closed", noEngine.getMessage());
    }

    @Test
    void childrenKeepTheirParentsAlive() {
        Engine engine = new Engine();
        Component add = Component.fromFile(engine, Fixtures.component("add"));
        Linker linker = new Linker(engine);
        InstancePre pre = linker.instantiatePre(add);
        Store store = new Store(engine);
        // Closing the parents does not pull the ground from under what was made from them.
        linker.close();
        add.close();
        engine.close();
        Instance instance = pre.instantiate(store);
        assertEquals(5L, instance.func("add").call(2, 3));
        pre.close();
        assertEquals(7L, instance.func("add").call(3, 4));
        store.close();
    }

    @Test
    void closeDuringACallOnAnotherThreadWaitsForTheCallToLeave() throws Exception {
        try (Engine engine = new Engine(Engine.Config.builder().epochInterruption(true).build());
                Component traps = Component.fromFile(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine)) {
            Store store = Store.builder(engine).epochDeadline(1).build();
            Instance instance = linker.instantiate(store, traps);
            Func spin = instance.func("spin");
            Func ok = instance.func("ok");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                CountDownLatch started = new CountDownLatch(1);
                Future<Throwable> caller = pool.submit(() -> {
                    started.countDown();
                    try {
                        spin.call();
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
                assertTrue(started.await(10, TimeUnit.SECONDS));
                Thread.sleep(200); // let the guest enter its loop
                store.close(); // returns at once; the running call keeps its store
                assertTrue(store.isClosed());
                assertThrows(IllegalStateException.class, () -> ok.call());
                engine.incrementEpoch(); // now interrupt the loop
                Throwable outcome = caller.get(30, TimeUnit.SECONDS);
                assertNotNull(outcome);
                assertTrue(outcome instanceof TrapException, String.valueOf(outcome));
                assertEquals(TrapCode.INTERRUPT, ((TrapException) outcome).code());
                // Once the call left, the store is gone for good.
                assertThrows(IllegalStateException.class, () -> spin.call());
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void liveCountsFollowOpenAndClose() {
        long engines = HandleRegistry.liveCount("Engine");
        long stores = HandleRegistry.liveCount("Store");
        try (Engine engine = new Engine(); Store store = new Store(engine)) {
            assertEquals(engines + 1, HandleRegistry.liveCount("Engine"));
            assertEquals(stores + 1, HandleRegistry.liveCount("Store"));
            assertTrue(store.toString().contains("open"));
        }
        assertEquals(engines, HandleRegistry.liveCount("Engine"));
        assertEquals(stores, HandleRegistry.liveCount("Store"));
    }

    @Test
    void aForgottenStoreIsFreedAndReportedWithWhereItWasCreated() {
        try (Engine engine = new Engine()) {
            long before = HandleRegistry.liveCount("Store");
            forgetAStore(engine);
            List<HandleRegistry.LeakReport> leaks = LeakCheckExtension.expect("Store", 1);
            assertEquals(before, HandleRegistry.liveCount("Store"));
            Throwable site = leaks.get(0).allocationSite();
            assertNotNull(site, "paranoid leak detection records the allocation site");
            assertTrue(Arrays.stream(site.getStackTrace())
                            .anyMatch(el -> el.getMethodName().equals("forgetAStore")),
                    "the report points at the code that created the store");
        }
    }

    @Test
    void leakReportsSayWhatReleasedTheHandle() {
        String store = new HandleRegistry.LeakReport("Store", null).toString();
        assertTrue(store.contains("released by the garbage collector"), store);
        // Host objects the guest still holds are destroyed by their Store's close.
        String host = new HandleRegistry.LeakReport("HostResource", null).toString();
        assertTrue(host.contains("its destructor ran when its Store closed"), host);
        assertFalse(host.contains("garbage collector"), host);
        String resource = new HandleRegistry.LeakReport("Resource", null).toString();
        assertTrue(resource.contains("released when its Store closed"), resource);
    }

    private static void forgetAStore(Engine engine) {
        Store store = new Store(engine);
        assertFalse(store.isClosed());
    }
}
