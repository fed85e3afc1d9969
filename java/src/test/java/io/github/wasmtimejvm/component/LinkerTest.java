package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LinkerTest {

    static final String LOGGER = "docs:log/logger@1.0.0";
    static final String MISSING_LOGGER = "component imports instance `docs:log/logger@1.0.0`, but a matching "
            + "implementation was not found in the linker: instance export `log` has the wrong type: function "
            + "implementation is missing";

    static Engine engine;
    static Component add;
    static Component unsatisfied;

    @BeforeAll
    static void compile() {
        engine = new Engine();
        add = Component.fromFile(engine, Fixtures.component("add"));
        unsatisfied = Component.fromFile(engine, Fixtures.component("unsatisfied-import"));
    }

    @AfterAll
    static void close() {
        unsatisfied.close();
        add.close();
        engine.close();
    }

    @Test
    void instantiatesAComponentWithoutImports() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            assertSame(engine, linker.engine());
            Instance instance = linker.instantiate(store, add);
            assertSame(store, instance.store());
            assertSame(add, instance.component());
            assertEquals(3L, instance.func("add").call(1, 2));
        }
    }

    @Test
    void instantiatingTwiceInOneStoreGivesIndependentInstances() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            Instance first = linker.instantiate(store, add);
            Instance second = linker.instantiate(store, add);
            assertNotSame(first, second);
            assertFalse(first.toString().equals(second.toString()), first + " / " + second);
            assertEquals(5L, first.func("add").call(2, 3));
            assertEquals(9L, second.func("add").call(4, 5));
        }
    }

    @Test
    void missingImportThrowsLinkExceptionNamingIt() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, unsatisfied));
            assertEquals(MISSING_LOGGER, e.getMessage());
            assertTrue(e.getMessage().contains("`" + LOGGER + "`"));
            // A failed instantiation leaves the store usable.
            assertEquals(3L, linker.instantiate(store, add).func("add").call(1, 2));
        }
    }

    @Test
    void instantiatePreChecksImportsEagerly() {
        try (Linker linker = new Linker(engine)) {
            LinkException e = assertThrows(LinkException.class, () -> linker.instantiatePre(unsatisfied));
            assertEquals(MISSING_LOGGER, e.getMessage());
        }
    }

    @Test
    void unknownImportsDefinedAsTrapsLetItInstantiateAndTrapWhenCalled() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            assertSame(linker, linker.defineUnknownImportsAsTraps(unsatisfied));
            Instance instance = linker.instantiate(store, unsatisfied);
            Func run = instance.func("run");
            TrapException e = assertThrows(TrapException.class, run::call);
            // run() calls log(...) first: that is the stub that traps. It has no wasmtime trap code.
            assertTrue(e.getMessage().startsWith("unknown import: `docs:log/logger@1.0.0#log` has not been defined"),
                    e.getMessage());
            assertEquals(TrapCode.UNKNOWN, e.code());
            assertNull(e.getCause());
            assertFalse(e.wasmBacktrace().isEmpty(), "the guest frame calling the stub");
            // Like any trap, it poisoned the store.
            TrapException again = assertThrows(TrapException.class, run::call);
            assertEquals(TrapCode.CANNOT_ENTER_COMPONENT, again.code());
        }
    }

    @Test
    void unknownImportsAsTrapsAlsoWorkWithInstancePre() {
        try (Linker linker = new Linker(engine)) {
            linker.defineUnknownImportsAsTraps(unsatisfied);
            try (InstancePre pre = linker.instantiatePre(unsatisfied); Store store = new Store(engine)) {
                assertSame(unsatisfied, pre.component());
                Func run = pre.instantiate(store).func("run");
                TrapException e = assertThrows(TrapException.class, run::call);
                assertTrue(e.getMessage().contains("docs:log/logger@1.0.0#log"), e.getMessage());
                // A fresh instance in a fresh store is not poisoned: it traps the same way.
                try (Store fresh = new Store(engine)) {
                    TrapException again = assertThrows(TrapException.class,
                            () -> pre.instantiate(fresh).func("run").call());
                    assertEquals(e.code(), again.code());
                    assertTrue(again.getMessage().contains("docs:log/logger@1.0.0#log"), again.getMessage());
                }
            }
        }
    }

    @Test
    void unknownImportStubsTrapAlsoWithoutBacktraces() {
        try (Engine quiet = new Engine(Engine.Config.builder().wasmBacktrace(false).build());
                Component component = Component.fromFile(quiet, Fixtures.component("unsatisfied-import"));
                Linker linker = new Linker(quiet).defineUnknownImportsAsTraps(component);
                Store store = new Store(quiet)) {
            TrapException e = assertThrows(TrapException.class,
                    () -> linker.instantiate(store, component).func("run").call());
            assertEquals("unknown import: `docs:log/logger@1.0.0#log` has not been defined", e.getMessage());
            assertEquals(TrapCode.UNKNOWN, e.code());
            assertEquals(List.of(), e.wasmBacktrace());
        }
    }

    @Test
    void defineUnknownImportsAsTrapsTwiceIsAllowed() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            linker.defineUnknownImportsAsTraps(unsatisfied);
            linker.defineUnknownImportsAsTraps(unsatisfied);
            assertThrows(TrapException.class, () -> linker.instantiate(store, unsatisfied).func("run").call());
        }
    }

    @Test
    void allowShadowingReturnsTheLinker() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            assertSame(linker, linker.allowShadowing(true));
            assertSame(linker, linker.allowShadowing(false));
            assertEquals(3L, linker.instantiate(store, add).func("add").call(1, 2));
        }
    }

    @Test
    void instancePreInstantiatesInThreeStores() {
        try (Linker linker = new Linker(engine); InstancePre pre = linker.instantiatePre(add)) {
            assertSame(add, pre.component());
            try (Store a = new Store(engine); Store b = new Store(engine); Store c = new Store(engine)) {
                long expected = 10;
                for (Store store : List.of(a, b, c)) {
                    Instance instance = pre.instantiate(store);
                    assertSame(store, instance.store());
                    assertSame(add, instance.component());
                    assertEquals(expected, instance.func("add").call(expected - 1, 1));
                    expected += 10;
                }
            }
        }
    }

    @Test
    void aTrapPoisonsTheWholeStoreAndANewStoreGoesOn() {
        try (Component traps = Component.fromFile(engine, Fixtures.component("traps"));
                Linker linker = new Linker(engine);
                InstancePre pre = linker.instantiatePre(traps);
                Store store = new Store(engine)) {
            Instance poisoned = pre.instantiate(store);
            Instance sibling = pre.instantiate(store);
            TrapException e = assertThrows(TrapException.class, () -> poisoned.func("unreachable").call());
            assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, e.code());
            assertEquals(TrapCode.CANNOT_ENTER_COMPONENT,
                    assertThrows(TrapException.class, () -> poisoned.func("ok").call()).code());
            // wasmtime 48 poisons the store, not just the instance: its other instances, and new
            // ones, cannot be entered either.
            assertEquals(TrapCode.CANNOT_ENTER_COMPONENT,
                    assertThrows(TrapException.class, () -> sibling.func("ok").call()).code());
            Instance later = pre.instantiate(store);
            TrapException cannotEnter = assertThrows(TrapException.class, () -> later.func("ok").call());
            assertEquals(TrapCode.CANNOT_ENTER_COMPONENT, cannotEnter.code());
            assertTrue(cannotEnter.getMessage().contains("create a new Store"), cannotEnter.getMessage());
            try (Store fresh = new Store(engine)) {
                assertEquals(42L, pre.instantiate(fresh).func("ok").call());
            }
        }
    }

    @Test
    void instancePreOutlivesItsLinker() {
        InstancePre pre;
        try (Linker linker = new Linker(engine)) {
            pre = linker.instantiatePre(add);
        }
        try (pre; Store store = new Store(engine)) {
            assertEquals(8L, pre.instantiate(store).func("add").call(4, 4));
        }
    }

    @Test
    void componentFromAnotherEngineIsRejected() {
        try (Engine other = new Engine();
                Component foreign = Component.fromFile(other, Fixtures.component("add"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> linker.instantiate(store, foreign));
            assertEquals("the Component belongs to a different Engine; objects from different engines cannot be "
                    + "combined", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> linker.instantiatePre(foreign));
            assertTrue(e.getMessage().startsWith("the Component belongs to a different Engine"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> linker.defineUnknownImportsAsTraps(foreign));
            assertTrue(e.getMessage().startsWith("the Component belongs to a different Engine"), e.getMessage());
            // Nothing was half-done: the linker and store still work with their own engine.
            assertEquals(3L, linker.instantiate(store, add).func("add").call(1, 2));
        }
    }

    @Test
    void componentFromAnEngineWithEqualSettingsIsStillAnotherEngine() {
        byte[] compiled = add.serialize();
        try (Engine twin = new Engine(engine.config());
                Component foreign = Component.deserialize(twin, compiled);
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> linker.instantiate(store, foreign));
            assertTrue(e.getMessage().contains("different Engine"), e.getMessage());
        }
    }

    @Test
    void storeFromAnotherEngineIsRejected() {
        try (Engine other = new Engine();
                Store foreign = new Store(other);
                Linker linker = new Linker(engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> linker.instantiate(foreign, add));
            assertEquals("the Store belongs to a different Engine; objects from different engines cannot be combined",
                    e.getMessage());
            try (InstancePre pre = linker.instantiatePre(add)) {
                e = assertThrows(IllegalArgumentException.class, () -> pre.instantiate(foreign));
                assertEquals("the Store belongs to a different Engine; objects from different engines cannot be "
                        + "combined", e.getMessage());
            }
        }
    }

    @Test
    void linkerUsedAfterCloseThrowsIllegalStateException() {
        Linker linker = new Linker(engine);
        linker.close();
        assertTrue(linker.isClosed());
        try (Store store = new Store(engine)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> linker.instantiate(store, add));
            assertEquals("Linker is closed", e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> linker.instantiatePre(add));
            assertEquals("Linker is closed", e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> linker.defineUnknownImportsAsTraps(unsatisfied));
            assertEquals("Linker is closed", e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> linker.allowShadowing(true));
            assertEquals("Linker is closed", e.getMessage());
        }
        linker.close(); // idempotent
        assertEquals("Linker[closed]", linker.toString());
    }

    @Test
    void closedStoreOrInstancePreIsRejected() {
        try (Linker linker = new Linker(engine)) {
            Store store = new Store(engine);
            store.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> linker.instantiate(store, add));
            assertEquals("Store is closed", e.getMessage());
            InstancePre pre = linker.instantiatePre(add);
            pre.close();
            try (Store open = new Store(engine)) {
                e = assertThrows(IllegalStateException.class, () -> pre.instantiate(open));
                assertEquals("InstancePre is closed", e.getMessage());
            }
        }
    }

    @Test
    void linkerOfAClosedEngineCannotBeMade() {
        Engine closed = new Engine();
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Linker(closed));
        assertEquals("Engine is closed", e.getMessage());
    }

    @Test
    void nullArgumentsAreRejected() {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            assertThrows(NullPointerException.class, () -> linker.instantiate(null, add));
            assertThrows(NullPointerException.class, () -> linker.instantiate(store, null));
            assertThrows(NullPointerException.class, () -> linker.instantiatePre(null));
            assertThrows(NullPointerException.class, () -> linker.defineUnknownImportsAsTraps(null));
            try (InstancePre pre = linker.instantiatePre(add)) {
                assertThrows(NullPointerException.class, () -> pre.instantiate(null));
            }
        }
        assertThrows(NullPointerException.class, () -> new Linker(null));
    }
}
