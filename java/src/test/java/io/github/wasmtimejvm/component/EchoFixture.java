package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;

/**
 * One instance of {@code corpus/components/echo.wat} (and {@code add.wat}) shared by the tests of
 * a class: opened in {@code @BeforeAll}, closed in {@code @AfterAll} so the leak check sees every
 * handle released.
 */
final class EchoFixture implements AutoCloseable {

    final Engine engine;
    final Component echo;
    final Component add;
    final Linker linker;
    final Store store;
    final Instance instance;
    final Instance addInstance;

    private EchoFixture(Engine engine, Component echo, Component add, Linker linker, Store store) {
        this.engine = engine;
        this.echo = echo;
        this.add = add;
        this.linker = linker;
        this.store = store;
        this.instance = linker.instantiate(store, echo);
        this.addInstance = linker.instantiate(store, add);
    }

    /** echo.wat needs fixed-length lists (off by default) and maps. */
    static EchoFixture open() {
        Engine engine = new Engine(Engine.Config.builder()
                .componentModelMap(true)
                .componentModelFixedLengthLists(true)
                .build());
        Component echo = null;
        Component add = null;
        Linker linker = null;
        Store store = null;
        try {
            echo = Component.fromFile(engine, Fixtures.component("echo"));
            add = Component.fromFile(engine, Fixtures.component("add"));
            linker = new Linker(engine);
            store = new Store(engine);
            return new EchoFixture(engine, echo, add, linker, store);
        } catch (RuntimeException | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {store, linker, add, echo, engine}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw e;
        }
    }

    /** A root export of echo.wat. */
    Func func(String name) {
        return instance.func(name);
    }

    /** {@code add(a: u32, b: u32) -> u32} from add.wat. */
    Func add() {
        return addInstance.func("add");
    }

    @Override
    public void close() {
        store.close();
        linker.close();
        add.close();
        echo.close();
        engine.close();
    }
}
