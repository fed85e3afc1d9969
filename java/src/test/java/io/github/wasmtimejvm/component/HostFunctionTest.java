package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Java implements component imports: at the root and inside interfaces, with checked types. */
class HostFunctionTest {

    private static final String LOGGER = "docs:log/logger@1.0.0";
    private static final FuncType LOG = FuncType.of("msg", Primitive.STRING);
    private static final FuncType GET_VALUE = FuncType.builder().result(Primitive.U32).build();

    private Engine engine;
    private Component component;
    private Linker linker;
    private Store store;
    private final List<String> logged = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        engine = new Engine();
        component = Component.fromFile(engine, Fixtures.component("unsatisfied-import"));
        linker = new Linker(engine);
        store = new Store(engine);
        linker.instance(LOGGER).func("log", LOG, args -> {
            logged.add((String) args[0]);
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    @Test
    void plainAndValHostFunctionsServeImports() {
        linker.root().func("get-value", GET_VALUE, args -> 41L + args.length + 1);
        assertEquals(42L, linker.instantiate(store, component).func("run").call());
        assertEquals(List.of("run called"), logged);

        try (Linker other = new Linker(engine); Store s = new Store(engine)) {
            other.instance(LOGGER).funcValues("log", LOG, args -> {
                logged.add("val:" + ((Val.Str) args.get(0)).value());
                return List.of();
            });
            other.root().funcValues("get-value", GET_VALUE, args -> List.of(Val.u32(7)));
            assertEquals(7L, other.instantiate(s, component).func("run").call());
        }
        assertEquals(List.of("run called", "val:run called"), logged);
    }

    @Test
    void aMistypedHostFunctionIsALinkErrorNamingTheImportAndBothTypes() {
        linker.root().func("get-value", FuncType.builder().result(Primitive.STRING).build(), args -> "x");
        LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, component));
        assertTrue(e.getMessage().contains("`get-value`"), e.getMessage());
        assertTrue(e.getMessage().contains("func() -> u32"), e.getMessage());
        assertTrue(e.getMessage().contains("func() -> string"), e.getMessage());
        assertThrows(LinkException.class, () -> linker.instantiatePre(component));
        assertTrue(logged.isEmpty(), "nothing ran");
    }

    @Test
    void aJavaExceptionTrapsTheGuestAndBecomesTheCause() {
        IllegalStateException boom = new IllegalStateException("boom");
        linker.root().func("get-value", GET_VALUE, args -> {
            throw boom;
        });
        TrapException e = assertThrows(TrapException.class,
                () -> linker.instantiate(store, component).func("run").call());
        assertSame(boom, e.getCause());
        assertEquals(TrapCode.HOST, e.code());
        assertTrue(e.getMessage().contains("get-value"), e.getMessage());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }

    @Test
    void aBadResultFromJavaTrapsWithAClearCause() {
        linker.root().func("get-value", GET_VALUE, args -> -1L);
        TrapException e = assertThrows(TrapException.class,
                () -> linker.instantiate(store, component).func("run").call());
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(cause.getMessage().contains("out of range for u32"), cause.getMessage());
    }

    @Test
    void reenteringTheStoreFromAHostFunctionIsRefused() {
        AtomicReference<Func> run = new AtomicReference<>();
        linker.root().func("get-value", GET_VALUE, args -> run.get().call());
        run.set(linker.instantiate(store, component).func("run"));
        TrapException e = assertThrows(TrapException.class, () -> run.get().call());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(cause.getMessage().contains("re-entered"), cause.getMessage());
    }

    @Test
    void anotherThreadUsingTheStoreDuringItsCallbackIsRefusedNotDeadlocked() throws Exception {
        AtomicReference<Func> run = new AtomicReference<>();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            linker.root().func("get-value", GET_VALUE, args -> {
                try {
                    pool.submit(() -> run.get().call()).get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException ex) {
                    seen.set(ex.getCause());
                }
                return 5L;
            });
            run.set(linker.instantiate(store, component).func("run"));
            assertEquals(5L, run.get().call());
            IllegalStateException busy = assertInstanceOf(IllegalStateException.class, seen.get());
            assertTrue(busy.getMessage().contains("in use by another thread"), busy.getMessage());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void definingTheSameNameTwiceIsRefusedUnlessShadowingIsOn() {
        assertThrows(LinkException.class, () -> linker.instance(LOGGER).func("log", LOG, args -> null));
        linker.allowShadowing(true);
        linker.instance(LOGGER).func("log", LOG, args -> {
            logged.add("second");
            return null;
        });
        linker.root().func("get-value", GET_VALUE, args -> 1L);
        assertEquals(1L, linker.instantiate(store, component).func("run").call());
        assertEquals(List.of("second"), logged);
    }

    /** Issue 8: a host function typed 120,000 levels deep overflowed the native stack (SIGSEGV). */
    @Test
    void typesNestedDeeperThanOneHundredAreRefused() {
        try (Linker linker = new Linker(engine)) {
            io.github.wasmtimejvm.wit.WitType deep = Primitive.U8;
            for (int i = 0; i < 120_000; i++) {
                deep = new io.github.wasmtimejvm.wit.WitType.ListType(deep);
            }
            FuncType tooDeep = FuncType.of("x", deep);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> linker.root().func("f", tooDeep, args -> null));
            assertTrue(e.getMessage().contains("nested more than 100 levels"), e.getMessage());
            io.github.wasmtimejvm.wit.WitType hundred = Primitive.U8;
            for (int i = 0; i < 100; i++) {
                hundred = new io.github.wasmtimejvm.wit.WitType.OptionType(hundred);
            }
            linker.root().func("g", FuncType.of("x", hundred), args -> null);
        }
    }
}
