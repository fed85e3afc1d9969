package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.HandleRegistry;
import io.github.wasmtimejvm.LeakCheckExtension;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Host-defined resources: the kv-host fixture imports {@code docs:kv/store@1.0.0} (resource
 * {@code bucket} and {@code open}), implemented here in Java over {@code Map<String, String>}.
 */
class HostResourceTest {

    private static final String KV = "docs:kv/store@1.0.0";
    private static final String APP = "docs:kv/app@1.0.0";

    /** A bucket: a map with the name it was made with (kept out of the map's entries). */
    static final class Bucket extends HashMap<String, String> {
        private static final long serialVersionUID = 1L;
        final String name;

        Bucket(String name) {
            this.name = name;
        }

        // Identity, not content: the tests track buckets by instance.
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private Engine engine;
    private Component component;
    private Linker linker;
    private Store store;
    private long hostResourcesAtStart;

    private HostResourceType<Map<String, String>> bucket;
    /** Every bucket the constructor or {@code open} made, in order. */
    private final List<Bucket> made = Collections.synchronizedList(new ArrayList<>());
    /** How many times the destructor ran for each bucket. */
    private final Map<Object, Integer> destroyed = Collections.synchronizedMap(new IdentityHashMap<>());
    /** The {@code self} argument of every method call, in order. */
    private final List<Object> selves = Collections.synchronizedList(new ArrayList<>());
    /** {@link Store#liveHostResources()} of the test's store during each {@code get}. */
    private final List<Integer> liveDuringGet = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        hostResourcesAtStart = HandleRegistry.liveCount("HostResource");
        engine = new Engine();
        component = Component.fromFile(engine, Fixtures.component("kv-host"));
        linker = new Linker(engine);
        store = new Store(engine);
        bucket = HostResourceType.create("bucket", Map.class, m -> destroyed.merge(m, 1, Integer::sum));
        defineKv(linker, bucket);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"),
                "every host object the guest held was taken back or destroyed");
    }

    private static FuncType ctorType(HostResourceType<?> t) {
        return FuncType.builder().param("name", Primitive.STRING).result(t.own()).build();
    }

    private static FuncType getType(WitType self) {
        return FuncType.builder().param("self", self).param("key", Primitive.STRING)
                .result(new WitType.OptionType(Primitive.STRING)).build();
    }

    private static FuncType setType(WitType self) {
        return FuncType.builder().param("self", self).param("key", Primitive.STRING)
                .param("value", Primitive.STRING).build();
    }

    private Bucket newBucket(Object name) {
        Bucket b = new Bucket((String) name);
        made.add(b);
        return b;
    }

    /** The kv interface over plain Java values. */
    private void defineKv(Linker l, HostResourceType<Map<String, String>> t) {
        l.instance(KV).resource(t)
                .func("[constructor]bucket", ctorType(t), args -> newBucket(args[0]))
                .func("open", ctorType(t), args -> newBucket(args[0]))
                .func("[method]bucket.get", getType(t.borrow()), args -> {
                    selves.add(args[0]);
                    liveDuringGet.add(store.liveHostResources());
                    @SuppressWarnings("unchecked")
                    Map<String, String> self = (Map<String, String>) args[0];
                    return Optional.ofNullable(self.get((String) args[1]));
                })
                .func("[method]bucket.set", setType(t.borrow()), args -> {
                    selves.add(args[0]);
                    @SuppressWarnings("unchecked")
                    Map<String, String> self = (Map<String, String>) args[0];
                    self.put((String) args[1], (String) args[2]);
                    return null;
                });
    }

    private Instance instance() {
        return linker.instantiate(store, component);
    }

    private static Func app(Instance i, String name) {
        return i.func(APP, name);
    }

    private int destroyedCount(Object b) {
        return destroyed.getOrDefault(b, 0);
    }

    @Test
    void roundtripSetsGetsAndTheGuestsDropRunsTheDestructorOnce() {
        Instance i = instance();
        assertEquals(Optional.of("v"), app(i, "roundtrip").call("k", "v"));
        assertEquals(1, made.size());
        Bucket b = made.get(0);
        assertEquals("roundtrip", b.name, "the constructor got the guest's name argument");
        assertEquals(Map.of("k", "v"), b, "set ran on the object the constructor made");
        assertEquals(Map.of(b, 1), destroyed, "the guest's drop ran the destructor exactly once");
        assertEquals(2, selves.size());
        assertSame(b, selves.get(0), "set received the constructor's object as self");
        assertSame(b, selves.get(1), "get received the constructor's object as self");
        assertEquals(0, store.liveHostResources());
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));

        // Unicode and empty strings go through both directions of the string ABI.
        assertEquals(Optional.of(""), app(i, "roundtrip").call("ключ 🔑", ""));
        assertEquals(2, made.size());
        assertEquals(1, destroyedCount(made.get(1)));
        assertEquals(Map.of("ключ 🔑", ""), made.get(1));
    }

    @Test
    void keepGivesTheConstructorsObjectItselfToTheHost() {
        Instance i = instance();
        Object kept = app(i, "keep").call("mine");
        assertEquals(1, made.size());
        assertSame(made.get(0), kept, "the host gets back the very object open returned");
        assertEquals("mine", made.get(0).name);
        assertEquals(0, store.liveHostResources(), "the guest gave it up: no longer in the host table");
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
        assertTrue(destroyed.isEmpty(), "giving ownership back is not a drop");
    }

    @Test
    void aHostObjectLentAsBorrowStaysWithTheHost() {
        Instance i = instance();
        @SuppressWarnings("unchecked")
        Map<String, String> kept = (Map<String, String>) app(i, "keep").call("shelf");
        kept.put("a", "1");

        assertEquals(Optional.of("1"), app(i, "read").call(kept, "a"));
        assertEquals(Optional.empty(), app(i, "read").call(kept, "missing"));
        assertEquals(List.of(kept, kept), selves, "the method received the lent object");
        assertEquals(List.of(1, 1), liveDuringGet, "the lent object is in the host table during the call");
        assertTrue(destroyed.isEmpty(), "ending a borrow (the guest's drop of it) runs no destructor");
        assertEquals(0, store.liveHostResources(), "the loan ended with the call");
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));

        kept.put("a", "2");
        assertEquals(Optional.of("2"), app(i, "read").call(kept, "a"), "the host still has it and can lend it again");
    }

    @Test
    void aHostObjectPassedAsOwnIsDestroyedWhenTheGuestDropsIt() {
        Instance i = instance();
        Object kept = app(i, "keep").call("gift");
        assertNull(app(i, "put-and-drop").call(kept, "x", "y"));
        assertEquals(Map.of("x", "y"), kept, "the guest used it before dropping it");
        assertEquals(Map.of(kept, 1), destroyed, "the guest's drop ran the destructor exactly once");
        assertEquals(0, store.liveHostResources());

        // A host object the guest never saw before can be given as own too.
        Bucket fresh = new Bucket("fresh");
        app(i, "put-and-drop").call(fresh, "k", "v");
        assertEquals(1, destroyedCount(fresh));
        assertEquals(Map.of("k", "v"), fresh);
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
    }

    @Test
    void objectsOfTheWrongClassAreRejectedNamingTheType() {
        Instance i = instance();
        IllegalArgumentException borrow = assertThrows(IllegalArgumentException.class,
                () -> app(i, "read").call("not a bucket", "k"));
        assertTrue(borrow.getMessage().contains("borrow<bucket>"), borrow.getMessage());
        assertTrue(borrow.getMessage().contains("java.util.Map"), borrow.getMessage());
        assertTrue(borrow.getMessage().contains("not a bucket"), borrow.getMessage());

        IllegalArgumentException own = assertThrows(IllegalArgumentException.class,
                () -> app(i, "put-and-drop").call(List.of(), "k", "v"));
        assertTrue(own.getMessage().contains("`b`"), own.getMessage());
        assertTrue(own.getMessage().contains("bucket"), own.getMessage());
        assertTrue(own.getMessage().contains("java.util.Map"), own.getMessage());

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> app(i, "read").call(null, "k"));
        assertTrue(none.getMessage().contains("found null"), none.getMessage());

        // A host object already put in the table for an earlier argument is taken back when a
        // later argument is rejected: nothing stays behind, nothing is destroyed.
        Bucket b = new Bucket("b");
        IllegalArgumentException later = assertThrows(IllegalArgumentException.class,
                () -> app(i, "put-and-drop").call(b, 42, "v"));
        assertTrue(later.getMessage().contains("`key`"), later.getMessage());
        assertEquals(0, store.liveHostResources());
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
        assertTrue(destroyed.isEmpty());
        assertTrue(b.isEmpty(), "the call was not made");

        // The instance is still usable: rejections happen before the call.
        assertEquals(Optional.of("v"), app(i, "roundtrip").call("k", "v"));
    }

    @Test
    void aHostFunctionReturningTheWrongClassTrapsNamingTheType() {
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t = HostResourceType.create("bucket", Map.class, null);
            defineKv(l, t);
            l.allowShadowing(true);
            l.instance(KV).func("[constructor]bucket", ctorType(t), args -> "a string, not a map");
            Instance i = l.instantiate(store, component);
            TrapException e = assertThrows(TrapException.class, () -> app(i, "roundtrip").call("k", "v"));
            IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(cause.getMessage().contains("[constructor]bucket"), cause.getMessage());
            assertTrue(cause.getMessage().contains("bucket"), cause.getMessage());
            assertTrue(cause.getMessage().contains("java.util.Map"), cause.getMessage());
            assertTrue(cause.getMessage().contains("String \"a string, not a map\""), cause.getMessage());
            assertEquals(0, store.liveHostResources(), "the rejected result left nothing in the table");
        }
    }

    @Test
    void aHostFunctionTypedWithAnotherHostResourceTypeIsALinkError() {
        // Same name, same Java class, but another HostResourceType than the linker defines: its
        // objects could never reach the guest, so instantiation refuses it up front.
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> defined = HostResourceType.create("bucket", Map.class, null);
            HostResourceType<Map<String, String>> other = HostResourceType.create("bucket", Map.class, null);
            defineKv(l, defined);
            l.allowShadowing(true);
            l.instance(KV).func("open", ctorType(other), args -> newBucket(args[0]));
            LinkException e = assertThrows(LinkException.class, () -> l.instantiate(store, component));
            assertTrue(e.getMessage().contains("`docs:kv/store@1.0.0#open`"), e.getMessage());
            assertTrue(e.getMessage().contains("another host resource type"), e.getMessage());
            assertThrows(LinkException.class, () -> l.instantiatePre(component));
            assertTrue(made.isEmpty(), "nothing ran");
        }
    }

    @Test
    void hostFunctionsDeclaredWithOwnAndBorrowTypesReceiveTheirJavaObjects() {
        Instance i = instance();
        Object kept = app(i, "keep").call("k");
        app(i, "put-and-drop").call(kept, "key", "value");
        // set received, as its borrow<bucket> self, the object passed to put-and-drop as own.
        assertEquals(List.of(kept), selves);
        assertSame(kept, selves.get(0));
        app(i, "roundtrip").call("a", "b");
        assertEquals(3, selves.size());
        assertSame(made.get(1), selves.get(1));
        assertNotSame(kept, selves.get(1));
    }

    @Test
    void theValPathCarriesHostObjects() {
        List<Object> seen = new ArrayList<>();
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t =
                    HostResourceType.create("bucket", Map.class, m -> destroyed.merge(m, 1, Integer::sum));
            l.instance(KV).resource(t)
                    .funcValues("[constructor]bucket", ctorType(t), args -> {
                        seen.add(args.get(0));
                        return List.of(new Val.HostObject(newBucket(((Val.Str) args.get(0)).value())));
                    })
                    .funcValues("open", ctorType(t), args -> List.of(new Val.HostObject(newBucket("opened"))))
                    .funcValues("[method]bucket.get", getType(t.borrow()), args -> {
                        seen.add(args.get(0));
                        @SuppressWarnings("unchecked")
                        Map<String, String> self = (Map<String, String>) ((Val.HostObject) args.get(0)).value();
                        String key = ((Val.Str) args.get(1)).value();
                        return List.of(new Val.Option(Optional.ofNullable(self.get(key)).<Val>map(Val.Str::new)));
                    })
                    .funcValues("[method]bucket.set", setType(t.borrow()), args -> {
                        seen.add(args.get(0));
                        @SuppressWarnings("unchecked")
                        Map<String, String> self = (Map<String, String>) ((Val.HostObject) args.get(0)).value();
                        self.put(((Val.Str) args.get(1)).value(), ((Val.Str) args.get(2)).value());
                        return List.of();
                    });
            Instance i = l.instantiate(store, component);

            assertEquals(List.of(new Val.Option(Optional.<Val>of(new Val.Str("v")))),
                    app(i, "roundtrip").callValues(new Val.Str("k"), new Val.Str("v")));
            Bucket first = made.get(0);
            assertEquals(List.of(new Val.Str("roundtrip"), new Val.HostObject(first), new Val.HostObject(first)), seen);
            assertEquals(1, destroyedCount(first));

            List<Val> kept = app(i, "keep").callValues(new Val.Str("n"));
            Val.HostObject h = assertInstanceOf(Val.HostObject.class, kept.get(0));
            assertSame(made.get(1), h.value());
            assertEquals(0, store.liveHostResources());

            app(i, "put-and-drop").callValues(h, new Val.Str("x"), new Val.Str("1"));
            assertEquals(List.of(new Val.Option(Optional.<Val>of(new Val.Str("1")))),
                    app(i, "read").callValues(new Val.HostObject(made.get(1)), new Val.Str("x")),
                    "destroyed by the guest's drop, but the host may still use its own Java object");
            assertEquals(1, destroyedCount(made.get(1)));

            // A Val.HostObject of the wrong class is rejected as well.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> app(i, "read").callValues(new Val.HostObject(42), new Val.Str("x")));
            assertTrue(e.getMessage().contains("java.util.Map"), e.getMessage());
            // So is a guest resource value where a host object is expected.
            IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                    () -> app(i, "read").callValues(new Val.Str("bucket"), new Val.Str("x")));
            assertTrue(g.getMessage().contains("bucket"), g.getMessage());
            assertEquals(0, store.liveHostResources());
        }
    }

    @Test
    void aBorrowReceivedByAHostFunctionCannotOutliveTheCall() {
        // Declared with a borrow of a resource the host does not define as a HostResourceType,
        // the method receives the guest's borrow as a Resource handle: valid during the call only.
        AtomicReference<Resource> stash = new AtomicReference<>();
        List<Boolean> validInside = new ArrayList<>();
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t = HostResourceType.create("bucket", Map.class, null);
            defineKv(l, t);
            l.allowShadowing(true);
            l.instance(KV).func("[method]bucket.get", getType(new WitType.BorrowType("bucket")), args -> {
                Resource self = assertInstanceOf(Resource.class, args[0]);
                validInside.add(self.isValid() && self.isBorrowed());
                stash.set(self);
                return Optional.of("from the opaque borrow");
            });
            Instance i = l.instantiate(store, component);
            assertEquals(Optional.of("from the opaque borrow"), app(i, "roundtrip").call("k", "v"));

            // The guest resource fixture in the same store gives a function that takes a Resource.
            try (Component counters = Component.fromFile(engine, Fixtures.component("resource"))) {
                Instance c = l.instantiate(store, counters);
                Resource stale = stash.get();
                assertEquals(List.of(true), validInside);
                assertFalse(stale.isValid(), "the borrow ended when the host function returned");
                assertTrue(stale.toString().contains("cannot outlive its call"), stale.toString());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> c.func("docs:counter/api@1.0.0", "[method]counter.get").call(stale));
                assertTrue(e.getMessage().contains("borrowed for a host call that has returned"), e.getMessage());
                stale.close(); // closing a borrow does nothing
                assertEquals(0, store.liveResources());
            }
        }
    }

    @Test
    void closingTheStoreDestroysHostObjectsTheGuestStillHoldsAndReportsThem() {
        // set throws after the constructor: the trap leaves the bucket in the guest's table.
        IllegalStateException boom = new IllegalStateException("set failed");
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t =
                    HostResourceType.create("bucket", Map.class, m -> destroyed.merge(m, 1, Integer::sum));
            defineKv(l, t);
            l.allowShadowing(true);
            l.instance(KV).func("[method]bucket.set", setType(t.borrow()), args -> {
                throw boom;
            });
            Instance i = l.instantiate(store, component);
            TrapException e = assertThrows(TrapException.class, () -> app(i, "roundtrip").call("k", "v"));
            assertSame(boom, e.getCause());
            assertEquals(1, made.size());
            assertEquals(1, store.liveHostResources(), "the guest still holds the bucket");
            assertEquals(hostResourcesAtStart + 1, HandleRegistry.liveCount("HostResource"));
            assertTrue(destroyed.isEmpty());

            store.close();
            assertEquals(Map.of(made.get(0), 1), destroyed, "the store's close ran the destructor once");
            assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
            List<HandleRegistry.LeakReport> leaks = LeakCheckExtension.expect("HostResource", 1);
            assertTrue(leaks.get(0).toString().contains("never dropped by the guest"), leaks.get(0).toString());
            assertTrue(leaks.get(0).toString().contains("destructor ran when its Store closed"), leaks.get(0).toString());
            // The tests run at paranoid leak detection: the report says where the object was
            // handed to the guest (the constructor's result, encoded in a host function call).
            Throwable site = leaks.get(0).allocationSite();
            assertNotNull(site, "paranoid leak detection records where the host object was handed out");
            assertTrue(java.util.Arrays.stream(site.getStackTrace())
                    .anyMatch(f -> f.getClassName().endsWith("HostFunctions")), java.util.Arrays.toString(site.getStackTrace()));
        }
    }

    @Test
    void aDestructorThatThrowsTrapsWithItAsTheCause() {
        IllegalStateException boom = new IllegalStateException("destructor failed");
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t = HostResourceType.create("bucket", Map.class, m -> {
                destroyed.merge(m, 1, Integer::sum);
                throw boom;
            });
            defineKv(l, t);
            Instance i = l.instantiate(store, component);
            TrapException e = assertThrows(TrapException.class, () -> app(i, "roundtrip").call("k", "v"));
            assertSame(boom, e.getCause());
            assertEquals(TrapCode.HOST, e.code());
            assertTrue(e.getMessage().contains("bucket"), e.getMessage());
            assertEquals(1, destroyedCount(made.get(0)), "the destructor ran once");
            assertEquals(0, store.liveHostResources(), "the object left the table even though its destructor threw");
        }
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
    }

    @Test
    void aCallTheStoreRefusesLeavesNoHostObjectBehind() {
        // Re-entering the store from a host function is refused before the guest runs: the host
        // object passed as own must not stay in the host table (where the store's close would
        // destroy an object the guest never had).
        Bucket never = new Bucket("never");
        AtomicReference<Func> putAndDrop = new AtomicReference<>();
        AtomicReference<Func> read = new AtomicReference<>();
        List<Throwable> refused = new ArrayList<>();
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t =
                    HostResourceType.create("bucket", Map.class, m -> destroyed.merge(m, 1, Integer::sum));
            defineKv(l, t);
            l.allowShadowing(true);
            l.instance(KV).func("[method]bucket.set", setType(t.borrow()), args -> {
                try {
                    putAndDrop.get().call(never, "k", "v");
                } catch (IllegalStateException e) {
                    refused.add(e);
                }
                try {
                    read.get().call(never, "k");
                } catch (IllegalStateException e) {
                    refused.add(e);
                }
                return null;
            });
            Instance i = l.instantiate(store, component);
            putAndDrop.set(app(i, "put-and-drop"));
            read.set(app(i, "read"));
            assertEquals(Optional.empty(), app(i, "roundtrip").call("k", "v"));
            assertEquals(2, refused.size(), refused.toString());
            assertTrue(refused.get(0).getMessage().contains("re-entered"), refused.get(0).getMessage());
            assertTrue(refused.get(1).getMessage().contains("re-entered"), refused.get(1).getMessage());
            assertEquals(0, store.liveHostResources());
            assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));

            // A closed store refuses the call too.
            store.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> putAndDrop.get().call(never, "k", "v"));
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
            assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
        }
        assertEquals(1, destroyed.size(), "only roundtrip's own bucket was destroyed: " + destroyed);
        assertEquals(0, destroyedCount(never));
        assertTrue(never.isEmpty());
    }

    @Test
    void formattingAHostObjectAsWaveIsRefusedWithoutSideEffects() {
        Instance i = instance();
        Bucket b = new Bucket("b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> app(i, "keep").formatWave(0, new Val.HostObject(b)));
        assertTrue(e.getMessage().contains("resource"), e.getMessage());
        assertEquals(0, store.liveHostResources(), "the object is not left in the host table");
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
        store.close();
        assertEquals(0, destroyedCount(b), "so the store's close does not destroy it");
    }

    @Test
    void closingTheStoreInsideAHostFunctionTakesEffectWhenTheCallReturns() {
        // The store is closed in the middle of roundtrip, while the guest still holds its bucket
        // and has yet to call get and drop it: those must still work.
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t =
                    HostResourceType.create("bucket", Map.class, m -> destroyed.merge(m, 1, Integer::sum));
            defineKv(l, t);
            l.allowShadowing(true);
            l.instance(KV).func("[method]bucket.set", setType(t.borrow()), args -> {
                store.close();
                @SuppressWarnings("unchecked")
                Map<String, String> self = (Map<String, String>) args[0];
                self.put((String) args[1], (String) args[2]);
                return null;
            });
            Instance i = l.instantiate(store, component);
            assertEquals(Optional.of("v"), app(i, "roundtrip").call("k", "v"), "the call ran to its end");
            assertTrue(store.isClosed());
            assertEquals(Map.of(made.get(0), 1), destroyed, "by the guest's drop, once");
            assertThrows(IllegalStateException.class, () -> app(i, "roundtrip").call("k", "v"));
        }
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
    }

    @Test
    void objectsTheGuestStillHoldsWhenADeferredCloseTakesEffectAreDestroyedThen() {
        IllegalStateException boom = new IllegalStateException("closed and failed");
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t =
                    HostResourceType.create("bucket", Map.class, m -> destroyed.merge(m, 1, Integer::sum));
            defineKv(l, t);
            l.allowShadowing(true);
            l.instance(KV).func("[method]bucket.set", setType(t.borrow()), args -> {
                store.close();
                assertTrue(destroyed.isEmpty(), "nothing is destroyed while the call runs");
                throw boom;
            });
            Instance i = l.instantiate(store, component);
            TrapException e = assertThrows(TrapException.class, () -> app(i, "roundtrip").call("k", "v"));
            assertSame(boom, e.getCause());
            assertEquals(Map.of(made.get(0), 1), destroyed, "the bucket the trap left with the guest");
        }
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
        LeakCheckExtension.expect("HostResource", 1);
    }

    @Test
    void closingTheStoreWhileAnotherThreadIsInACallLetsTheCallFinish() throws Exception {
        // roundtrip's set waits, while the guest holds its bucket, until the main thread has
        // closed the store; the guest then still calls get and drops the bucket.
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Linker l = new Linker(engine)) {
            HostResourceType<Map<String, String>> t =
                    HostResourceType.create("bucket", Map.class, m -> destroyed.merge(m, 1, Integer::sum));
            defineKv(l, t);
            l.allowShadowing(true);
            l.instance(KV).func("[method]bucket.set", setType(t.borrow()), args -> {
                reached.countDown();
                assertTrue(closed.await(10, java.util.concurrent.TimeUnit.SECONDS));
                @SuppressWarnings("unchecked")
                Map<String, String> self = (Map<String, String>) args[0];
                self.put((String) args[1], (String) args[2]);
                return null;
            });
            Func roundtrip = app(l.instantiate(store, component), "roundtrip");
            java.util.concurrent.Future<Object> running = pool.submit(() -> roundtrip.call("k", "v"));
            assertTrue(reached.await(10, java.util.concurrent.TimeUnit.SECONDS));
            store.close();
            assertTrue(store.isClosed());
            assertTrue(destroyed.isEmpty(), "the close did not destroy the bucket the running guest holds");
            closed.countDown();
            assertEquals(Optional.of("v"), running.get(60, java.util.concurrent.TimeUnit.SECONDS),
                    "the running call finished normally");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertEquals(Map.of(made.get(0), 1), destroyed, "destroyed once, by the guest's drop");
        assertEquals(0, store.liveHostResources());
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
    }

    @Test
    void churnCreatesAndDestroysThroughHostCalls() {
        Instance i = instance();
        assertEquals(1_000L, app(i, "churn").call(1_000));
        assertEquals(1_000, made.size());
        assertEquals(1_000, destroyed.size());
        assertTrue(destroyed.values().stream().allMatch(n -> n == 1), "each destructor ran once");
        assertTrue(made.stream().allMatch(b -> b.name.equals("churn")));
        assertEquals(0, store.liveHostResources());
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
    }
}
