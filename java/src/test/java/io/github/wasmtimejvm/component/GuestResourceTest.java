package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.HandleRegistry;
import io.github.wasmtimejvm.LeakCheckExtension;
import io.github.wasmtimejvm.Store;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Guest-defined resources reach Java as handles: methods, borrow, own transfer, drop. */
class GuestResourceTest {

    private static final String API = "docs:counter/api@1.0.0";

    private Engine engine;
    private Component component;
    private Linker linker;
    private Store store;
    private Instance instance;

    @BeforeEach
    void setUp() {
        engine = new Engine();
        component = Component.fromFile(engine, Fixtures.component("resource"));
        linker = new Linker(engine);
        store = new Store(engine);
        instance = linker.instantiate(store, component);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    private Func f(String name) {
        return instance.func(API, name);
    }

    private long liveInGuest() {
        return (Long) f("live-count").call();
    }

    @Test
    void constructorMethodsAndDropRunTheGuestDestructor() {
        Resource counter = assertInstanceOf(Resource.class, f("[constructor]counter").call(5));
        assertEquals("counter", counter.type());
        assertTrue(counter.isValid());
        assertEquals(1, liveInGuest());
        assertEquals(1, store.liveResources());
        assertEquals(6L, f("[method]counter.increment").call(counter));
        assertEquals(7L, f("[method]counter.increment").call(counter));
        assertEquals(7L, f("[method]counter.get").call(counter));

        counter.close();
        assertFalse(counter.isValid());
        assertEquals(0, liveInGuest(), "dropping the handle ran the guest destructor");
        assertEquals(0, store.liveResources());
        counter.close(); // idempotent
        IllegalArgumentException reuse =
                assertThrows(IllegalArgumentException.class, () -> f("[method]counter.get").call(counter));
        assertTrue(reuse.getMessage().contains("was dropped"), reuse.getMessage());
    }

    @Test
    void valPathAndStaticConstructor() {
        List<Val> made = f("[static]counter.zero").callValues();
        Val.Own own = assertInstanceOf(Val.Own.class, made.get(0));
        assertEquals(List.of(Val.u32(1)), f("[method]counter.increment").callValues(new Val.Borrow(own.resource())));
        assertEquals(List.of(Val.u32(1)), f("[method]counter.get").callValues(own));
        own.resource().close();
        assertEquals(0, liveInGuest());
    }

    @Test
    void borrowKeepsOwnershipOwnTransfersIt() {
        Resource a = (Resource) f("[constructor]counter").call(10);
        Resource b = (Resource) f("[constructor]counter").call(32);
        assertEquals(42L, f("sum").call(a, b));
        assertTrue(a.isValid() && b.isValid(), "borrowing leaves the handles with the host");

        assertEquals(10L, f("consume").call(a));
        assertFalse(a.isValid(), "passing as own transfers ownership to the guest");
        assertEquals(1, liveInGuest(), "the guest dropped what it consumed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f("sum").call(a, b));
        assertTrue(e.getMessage().contains("passed as an owned handle"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f("consume").call(a));
        a.close(); // nothing to drop any more: no effect
        assertEquals(1, liveInGuest());
        b.close();
        assertEquals(0, liveInGuest());
    }

    @Test
    void aResourceOfAnotherStoreIsRejected() {
        Resource mine = (Resource) f("[constructor]counter").call(1);
        try (Store other = new Store(engine)) {
            Instance there = linker.instantiate(other, component);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> there.func(API, "[method]counter.get").call(mine));
            assertTrue(e.getMessage().contains("different Store"), e.getMessage());
        }
        mine.close();
    }

    @Test
    void resourcesStillHeldWhenTheStoreClosesAreReleasedAndReportedAsLeaks() {
        long before = HandleRegistry.liveCount("Resource");
        Resource kept = (Resource) f("[constructor]counter").call(3);
        assertEquals(before + 1, HandleRegistry.liveCount("Resource"));
        store.close();
        assertFalse(kept.isValid());
        assertTrue(kept.toString().contains("released when its Store closed"), kept.toString());
        kept.close(); // a no-op once the store is gone
        assertEquals(before, HandleRegistry.liveCount("Resource"));
        List<HandleRegistry.LeakReport> leaks = LeakCheckExtension.expect("Resource", 1);
        assertTrue(Optional.ofNullable(leaks.get(0).allocationSite()).isPresent());
    }

    @Test
    void formattingAResourceAsWaveIsRefusedAndLeavesItWithTheHost() {
        Func ctor = f("[constructor]counter");
        Resource counter = (Resource) ctor.call(2);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ctor.formatWave(0, new Val.Own(counter)));
        assertTrue(e.getMessage().contains("no syntax for resource values"), e.getMessage());
        assertTrue(counter.isValid());
        assertEquals(2L, f("[method]counter.get").call(counter), "the host still holds it");
        counter.close();
        assertEquals(0, liveInGuest(), "and can still drop it");
    }

    @Test
    void manyResourcesComeAndGoWithoutGrowth() {
        Func ctor = f("[constructor]counter");
        for (int i = 0; i < 5_000; i++) {
            try (Resource r = (Resource) ctor.call(i)) {
                assertTrue(r.isValid());
            }
        }
        assertEquals(0, liveInGuest());
        assertEquals(0, store.liveResources());
    }
}
