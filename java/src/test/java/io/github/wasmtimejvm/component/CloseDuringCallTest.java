package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.HandleRegistry;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.wasi.WasiConfig;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host function that closes its own store while the guest runs: the close takes effect when
 * the call leaves the store, so nothing the guest still uses is freed under it. Every path that
 * runs guest code holds the store's call scope: commands from a linker and from an {@code
 * InstancePre}, preview 1 modules, and export calls.
 *
 * <p>The command ({@code hook-command.wat}) makes a host object, calls {@code poke} (which closes
 * the store), then reads the object and drops it: had the close released the store's host
 * objects at once, the read would find none and the command would trap.
 */
class CloseDuringCallTest {
    private static final String HOST = "docs:hook/host@1.0.0";

    private Engine engine;
    private Component command;
    private Store store;
    private final AtomicInteger destroyed = new AtomicInteger();
    private long hostResourcesAtStart;

    @BeforeEach
    void setUp() {
        hostResourcesAtStart = HandleRegistry.liveCount("HostResource");
        engine = new Engine();
        command = Component.fromFile(engine, Fixtures.component("hook-command"));
        store = new Store(engine);
    }

    @AfterEach
    void tearDown() {
        store.close();
        command.close();
        engine.close();
        assertEquals(hostResourcesAtStart, HandleRegistry.liveCount("HostResource"));
    }

    /** A linker whose {@code poke} closes {@link #store}. */
    private Linker hookLinker() {
        HostResourceType<int[]> thing = HostResourceType.create("thing", int[].class, t -> destroyed.incrementAndGet());
        Linker linker = new Linker(engine);
        linker.instance(HOST).resource(thing)
                .func("make", FuncType.builder().result(thing.own()).build(), args -> new int[] {42})
                .func("poke", FuncType.builder().build(), args -> {
                    store.close();
                    return null;
                })
                .func("[method]thing.read", FuncType.builder().param("self", thing.borrow()).result(Primitive.U32).build(),
                        args -> ((int[]) args[0])[0]);
        return linker;
    }

    private void closesAfterTheCommand(ToIntFunction<Linker> run) {
        try (Linker linker = hookLinker()) {
            assertEquals(0, run.applyAsInt(linker), "the command ran to its end");
            assertThrows(IllegalStateException.class, () -> run.applyAsInt(linker), "the store is closed now");
        }
        assertTrue(store.isClosed());
        assertEquals(1, destroyed.get(), "destroyed once, by the guest's drop");
        assertEquals(0, store.liveHostResources());
    }

    @Test
    void aCommandRunByTheLinker() {
        closesAfterTheCommand(linker -> linker.runCommand(store, command));
    }

    @Test
    void aCommandRunFromAnInstancePre() {
        closesAfterTheCommand(linker -> {
            try (InstancePre pre = linker.instantiatePre(command)) {
                return pre.runCommand(store);
            }
        });
    }

    @Test
    void anExportCall() {
        try (Linker linker = hookLinker()) {
            Instance instance = linker.instantiate(store, command);
            Object result = instance.func("wasi:cli/run@0.2.0#run").call();
            assertEquals(io.github.wasmtimejvm.component.Result.ok(null), result);
        }
        assertTrue(store.isClosed());
        assertEquals(1, destroyed.get());
    }

    @Test
    void aPreview1ModuleWhoseOutputClosesTheStore() {
        AtomicLong written = new AtomicLong();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                store.close();
                written.addAndGet(len);
            }
        };
        store.close();
        store = Store.builder(engine).wasi(WasiConfig.builder().stdout(out).build()).build();
        try (Module program = Module.fromFile(engine, Fixtures.corpus().resolve("modules/wasi-write.wat"))) {
            assertEquals(0, program.runWasiCommand(store), "the program ran to its end");
        }
        assertTrue(store.isClosed());
        assertEquals(16L << 20, written.get(), "every write reached the stream");
    }
}
