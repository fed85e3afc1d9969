package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.HandleRegistry;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: resources in typed bindings. A guest resource (resource.wat's {@code counter}) as a
 * bound Java interface, and a host resource (kv-host.wat imports {@code docs:kv/store}'s {@code
 * bucket}) implemented by a Java object through {@link Linker#implement}.
 */
class ResourceBindingTest {

    @WitInterface("docs:counter/api@1.0.0")
    interface CounterApi {
        /** Without @WitName: newCounter binds [constructor]counter, as there is no new-counter. */
        Counter newCounter(int start);

        @WitName("[static]counter.zero")
        Counter zero();

        int liveCount();

        int sum(Counter a, Counter b);

        int consume(Counter c);

        interface Counter extends AutoCloseable {
            int increment();

            int get();

            @Override
            void close();
        }
    }

    /** docs:kv/store@1.0.0, implemented by the host. */
    @WitInterface("docs:kv/store@1.0.0")
    public interface KvStore {
        Bucket newBucket(String name); // [constructor]bucket

        Bucket open(String name);

        /** The resource: its methods run on the host's own objects. */
        interface Bucket extends AutoCloseable {
            Optional<String> get(String key);

            void set(String key, String value);

            @Override
            void close();
        }
    }

    /** docs:kv/app@1.0.0, the guest's export that uses the host's buckets. */
    @WitInterface("docs:kv/app@1.0.0")
    interface KvApp {
        Optional<String> roundtrip(String key, String value);

        KvStore.Bucket keep(String name);

        Optional<String> read(KvStore.Bucket b, String key);

        void putAndDrop(KvStore.Bucket b, String key, String value);

        int churn(int n);
    }

    static final class MapBucket implements KvStore.Bucket {
        final String name;
        final Map<String, String> entries = new HashMap<>();
        int closed;

        MapBucket(String name) {
            this.name = name;
        }

        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        @Override
        public void set(String key, String value) {
            entries.put(key, value);
        }

        @Override
        public void close() {
            closed++;
        }
    }

    final class Host implements KvStore {
        final List<MapBucket> made = new ArrayList<>();

        @Override
        public Bucket newBucket(String name) {
            MapBucket b = new MapBucket(name);
            made.add(b);
            return b;
        }

        @Override
        public Bucket open(String name) {
            return newBucket(name);
        }
    }

    private Engine engine;
    private Store store;
    private Linker linker;
    private long hostResourcesAtStart;

    @BeforeEach
    void setUp() {
        hostResourcesAtStart = HandleRegistry.liveCount("HostResource");
        engine = new Engine();
        store = new Store(engine);
        linker = new Linker(engine);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        engine.close();
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
    }

    @Test
    void aGuestResourceIsABoundInterface() {
        try (Component c = Component.fromFile(engine, Fixtures.component("resource"))) {
            CounterApi api = linker.instantiate(store, c).bind(CounterApi.class);
            int before = api.liveCount();
            try (CounterApi.Counter counter = api.newCounter(5)) {
                assertEquals(6, counter.increment());
                assertEquals(7, counter.increment());
                assertEquals(7, counter.get());
                assertEquals(before + 1, api.liveCount());
                try (CounterApi.Counter zero = api.zero()) {
                    assertEquals(0, zero.get());
                    assertEquals(7, api.sum(counter, zero), "borrows: both stay the host's");
                }
                assertTrue(counter.toString().contains("counter"), counter.toString());
            }
            assertEquals(before, api.liveCount(), "close() dropped the guest's resource");

            CounterApi.Counter given = api.newCounter(10);
            assertEquals(10, api.consume(given), "own: passed to the guest");
            IllegalStateException gone = assertThrows(IllegalStateException.class, given::get);
            assertTrue(gone.getMessage().contains("owned handle to the guest"), gone.getMessage());
            given.close(); // idempotent, nothing to drop
            assertEquals(before, api.liveCount());
        }
    }

    @Test
    void aHostResourceIsImplementedByJavaObjects() {
        Host host = new Host();
        linker.implement(KvStore.class, host);
        try (Component c = Component.fromFile(engine, Fixtures.component("kv-host"))) {
            KvApp app = linker.instantiate(store, c).bind(KvApp.class);
            assertEquals(Optional.of("v"), app.roundtrip("k", "v"));
            assertEquals(1, host.made.size());
            assertEquals(1, host.made.get(0).closed, "the guest dropped its bucket: close() ran");

            KvStore.Bucket kept = app.keep("shelf");
            assertTrue(kept instanceof MapBucket, "the host gets its own object back: " + kept);
            kept.set("a", "1");
            assertEquals(Optional.of("1"), app.read(kept, "a"), "lent as a borrow, still the host's");
            assertEquals(Optional.empty(), app.read(kept, "b"));
            app.putAndDrop(kept, "x", "y");
            assertEquals("y", ((MapBucket) kept).entries.get("x"));
            assertEquals(1, ((MapBucket) kept).closed, "given as own, the guest dropped it");
            assertEquals(100, app.churn(100));
        }
    }

    @Test
    void anImplementationThatDoesNotFitListsEveryProblemAtInstantiation() {
        @WitInterface("docs:kv/store@1.0.0")
        interface Partial {
            KvStore.Bucket open(int name);
        }
        linker.implement(Partial.class, name -> null);
        try (Component c = Component.fromFile(engine, Fixtures.component("kv-host"))) {
            BindException x = assertThrows(BindException.class, () -> linker.instantiate(store, c));
            String m = x.getMessage();
            assertTrue(m.contains("has function `[constructor]bucket` (func(name: string) -> bucket), which "
                    + Partial.class.getName() + " has no method for (expected `newBucket` or @WitName(\"[constructor]bucket\"))"), m);
            assertTrue(m.contains("Partial.open (for `open`) parameter `name`: WIT string does not fit Java int"), m);
            // open's result says the bucket is a KvStore.Bucket, whose get and set serve the methods.
            assertFalse(m.contains("[method]bucket"), m);
            assertEquals(2, x.problems().size(), m);
        }
    }

    @Test
    void aHostMethodThatThrowsTrapsTheGuestWithTheCause() {
        linker.implement(KvStore.class, new KvStore() {
            @Override
            public Bucket newBucket(String name) {
                throw new IllegalStateException("no buckets today");
            }

            @Override
            public Bucket open(String name) {
                return newBucket(name);
            }
        });
        try (Component c = Component.fromFile(engine, Fixtures.component("kv-host"))) {
            KvApp app = linker.instantiate(store, c).bind(KvApp.class);
            TrapException t = assertThrows(TrapException.class, () -> app.roundtrip("k", "v"));
            assertTrue(t.getCause() instanceof IllegalStateException, String.valueOf(t.getCause()));
            assertEquals("no buckets today", t.getCause().getMessage());
        }
        assertFalse(store.isClosed());
    }
}
