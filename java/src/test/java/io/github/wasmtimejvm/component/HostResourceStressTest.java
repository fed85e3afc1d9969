package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.HandleRegistry;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * 8 threads, each with its own store, create and drop 800,000 host resources in total through
 * host calls (the guest's {@code churn}: constructor, then drop, n times), in two batches; every
 * destructor runs, nothing stays in the host tables or the handle counts, and the Java heap does
 * not grow from the first batch to the second.
 */
class HostResourceStressTest {

    private static final String KV = "docs:kv/store@1.0.0";
    private static final int THREADS = 8;
    private static final int PER_THREAD = 100_000;
    private static final int BATCHES = 2;
    /** Resources per churn call: many guest calls, each with many host calls. */
    private static final int PER_CALL = 1_000;
    private static final long HEAP_GROWTH_BOUND = 8L << 20;

    @Test
    void eightThreadsCreateAndDrop800kHostResources() throws Exception {
        long startLive = HandleRegistry.liveCount("HostResource");
        long startLeaks = HandleRegistry.leakCount();
        LongAdder constructed = new LongAdder();
        LongAdder destroyed = new LongAdder();
        List<Store> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Engine engine = new Engine();
                Component component = Component.fromFile(engine, Fixtures.component("kv-host"));
                Linker linker = new Linker(engine)) {
            HostResourceType<Map<String, String>> bucket =
                    HostResourceType.create("bucket", Map.class, m -> destroyed.increment());
            FuncType ctor = FuncType.builder().param("name", Primitive.STRING).result(bucket.own()).build();
            linker.instance(KV).resource(bucket)
                    .func("[constructor]bucket", ctor, args -> {
                        constructed.increment();
                        return new HashMap<String, String>();
                    })
                    .func("open", ctor, args -> new HashMap<String, String>())
                    .func("[method]bucket.get", FuncType.builder().param("self", bucket.borrow())
                            .param("key", Primitive.STRING).result(new WitType.OptionType(Primitive.STRING)).build(),
                            args -> Optional.ofNullable(((Map<?, ?>) args[0]).get(args[1])))
                    .func("[method]bucket.set", FuncType.builder().param("self", bucket.borrow())
                            .param("key", Primitive.STRING).param("value", Primitive.STRING).build(),
                            args -> null);

            List<Func> churns = new ArrayList<>();
            try (InstancePre pre = linker.instantiatePre(component)) {
                for (int t = 0; t < THREADS; t++) {
                    Store store = new Store(engine);
                    stores.add(store);
                    churns.add(pre.instantiate(store).func("docs:kv/app@1.0.0", "churn"));
                }
            }

            int perBatch = PER_THREAD / BATCHES;
            long[] heapAfter = new long[BATCHES];
            long totalNanos = 0;
            for (int batch = 0; batch < BATCHES; batch++) {
                long t0 = System.nanoTime();
                runBatch(pool, churns, perBatch);
                long nanos = System.nanoTime() - t0;
                totalNanos += nanos;
                long expected = (long) THREADS * perBatch * (batch + 1);
                assertEquals(expected, constructed.sum(), "constructor calls after batch " + batch);
                assertEquals(expected, destroyed.sum(), "every destructor ran, batch " + batch);
                assertEquals(startLive, HandleRegistry.liveCount("HostResource"));
                for (Store s : stores) {
                    assertEquals(0, s.liveHostResources(), "the store's host table is empty");
                    assertEquals(0, s.liveResources());
                }
                heapAfter[batch] = usedHeapAfterGc();
                System.out.printf("host resource stress: batch %d, %,d resources in %d ms, heap after GC %,d bytes%n",
                        batch, THREADS * perBatch, nanos / 1_000_000, heapAfter[batch]);
            }
            assertEquals((long) THREADS * PER_THREAD, destroyed.sum(), "800k destructors ran");
            long growth = heapAfter[BATCHES - 1] - heapAfter[0];
            assertTrue(growth < HEAP_GROWTH_BOUND, "the heap grew by " + growth + " bytes from batch 1 to batch "
                    + BATCHES + " (bound " + HEAP_GROWTH_BOUND + ")");
            System.out.printf("host resource stress: %,d resources in %d ms%n", (long) THREADS * PER_THREAD,
                    totalNanos / 1_000_000);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            for (Store s : stores) {
                s.close();
            }
        }
        assertEquals(startLive, HandleRegistry.liveCount("HostResource"));
        assertEquals(startLeaks, HandleRegistry.leakCount(), "closing the stores found nothing left over");
    }

    /** Each thread churns {@code count} resources in its own store, in calls of {@link #PER_CALL}. */
    private static void runBatch(ExecutorService pool, List<Func> churns, int count) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        for (Func churn : churns) {
            results.add(pool.submit(() -> {
                start.await();
                long done = 0;
                while (done < count) {
                    int n = (int) Math.min(PER_CALL, count - done);
                    done += (Long) churn.call(n);
                }
                return done;
            }));
        }
        start.countDown();
        for (Future<Long> f : results) {
            assertEquals(count, f.get(60, TimeUnit.SECONDS));
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            min = Math.min(min, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return min;
    }
}
