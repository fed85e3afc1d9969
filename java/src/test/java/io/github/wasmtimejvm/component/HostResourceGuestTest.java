package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.NamedItem;
import io.github.wasmtimejvm.wit.WitType.OptionType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 with a real guest: a C component (guests/kv/kv-app.c, wit-bindgen) that imports the
 * Java-implemented {@code docs:kv/store@1.0.0} with its {@code bucket} resource and exports
 * {@code docs:kv/app@1.0.0}. Java implements the bucket with {@link HostResourceType}.
 */
class HostResourceGuestTest {

    private static final String STORE = "docs:kv/store@1.0.0";
    private static final String APP = "docs:kv/app@1.0.0";

    private static Engine engine;
    private static Component app;

    /** Buckets by name: the constructor hands out the same map for the same name. */
    private final Map<String, Map<String, String>> buckets = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> destroyed = new CopyOnWriteArrayList<>();
    private Linker linker;
    private Store store;

    @BeforeAll
    static void compile() {
        var path = Guests.path("kv-app.component.wasm");
        engine = new Engine();
        app = Component.fromFile(engine, path);
    }

    @AfterAll
    static void close() {
        app.close();
        engine.close();
    }

    @BeforeEach
    @SuppressWarnings("unchecked")
    void defineTheStore() {
        HostResourceType<Map<String, String>> bucket = HostResourceType.create("bucket", Map.class, m -> {
            calls.add("drop");
            destroyed.add(m);
        });
        linker = new Linker(engine);
        linker.instance(STORE).resource(bucket)
                .func("[constructor]bucket", FuncType.of("name", Primitive.STRING).returning(bucket.own()), args -> {
                    calls.add("new " + args[0]);
                    return buckets.computeIfAbsent((String) args[0], n -> new HashMap<>());
                })
                .func("[method]bucket.get",
                        FuncType.of("self", bucket.borrow(), "key", Primitive.STRING).returning(new OptionType(Primitive.STRING)),
                        args -> {
                            calls.add("get " + args[1]);
                            return Optional.ofNullable(((Map<String, String>) args[0]).get((String) args[1]));
                        })
                .func("[method]bucket.set",
                        FuncType.of("self", bucket.borrow(), "key", Primitive.STRING, "value", Primitive.STRING),
                        args -> {
                            calls.add("set " + args[1] + "=" + args[2]);
                            ((Map<String, String>) args[0]).put((String) args[1], (String) args[2]);
                            return null;
                        });
        store = new Store(engine);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
    }

    @Test
    void theGuestImportsOnlyTheStoreAndExportsTheApp() {
        assertEquals(List.of(STORE), app.type().imports().stream().map(NamedItem::name).toList(),
                "a C guest without WASI calls needs no WASI (the adapter was left out)");
        assertEquals(List.of(APP), app.type().exports().stream().map(NamedItem::name).toList());
    }

    @Test
    void theGuestUsesJavaBucketsAndDropsThem() {
        Instance instance = linker.instantiate(store, app);
        Func remember = instance.func(APP, "remember");
        Func recall = instance.func(APP, "recall");

        assertEquals(Optional.of("v1"), remember.call("k", "v1"));
        assertEquals(List.of("new app", "set k=v1", "get k", "drop"), calls, "constructor, set, get, destructor");
        assertEquals(Map.of("k", "v1"), buckets.get("app"), "the value lives in the Java map");
        assertEquals(1, destroyed.size());
        assertSame(buckets.get("app"), destroyed.get(0), "the destructor got the bucket's own object");
        assertEquals(0, store.liveHostResources(), "the guest holds no bucket after the call");

        calls.clear();
        assertEquals(Optional.of("ünïcode ✓"), remember.call("second", "ünïcode ✓"));
        assertEquals(Optional.of("v1"), recall.call("app", "k"), "a new bucket of the same name sees the data");
        assertEquals(Optional.empty(), recall.call("other", "k"), "another bucket is empty: none");
        assertEquals(List.of("new app", "set second=ünïcode ✓", "get second", "drop",
                "new app", "get k", "drop", "new other", "get k", "drop"), calls);
        assertEquals(4, destroyed.size(), "one destructor per bucket the guest opened");
        assertEquals(0, store.liveHostResources());
    }

    @Test
    void aJavaExceptionInTheBucketTrapsTheGuestNotTheHost() {
        try (Linker failing = new Linker(engine); Store s = new Store(engine)) {
            HostResourceType<Map<String, String>> bucket = HostResourceType.create("bucket", Map.class, null);
            failing.instance(STORE).resource(bucket)
                    .func("[constructor]bucket", FuncType.of("name", Primitive.STRING).returning(bucket.own()),
                            args -> {
                                throw new IllegalStateException("bucket store offline");
                            })
                    .func("[method]bucket.get", FuncType.of("self", bucket.borrow(), "key", Primitive.STRING)
                            .returning(new OptionType(Primitive.STRING)), args -> Optional.empty())
                    .func("[method]bucket.set", FuncType.of("self", bucket.borrow(), "key", Primitive.STRING,
                            "value", Primitive.STRING), args -> null);
            Func remember = failing.instantiate(s, app).func(APP, "remember");
            TrapException e = assertThrows(TrapException.class, () -> remember.call("k", "v"));
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
            assertEquals("bucket store offline", e.getCause().getMessage());
        }
        // The host goes on: the working linker still serves a fresh store.
        assertEquals(Optional.of("v"), linker.instantiate(store, app).func(APP, "remember").call("k", "v"));
    }

    @Test
    void withoutTheStoreTheGuestDoesNotLink() {
        try (Linker empty = new Linker(engine); Store s = new Store(engine)) {
            LinkException e = assertThrows(LinkException.class, () -> empty.instantiate(s, app));
            assertTrue(e.getMessage().contains(STORE), e.getMessage());
        }
    }
}
