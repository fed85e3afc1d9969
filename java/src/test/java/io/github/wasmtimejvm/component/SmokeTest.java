package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void addsThroughEveryPath() {
        try (Engine engine = new Engine();
                Component component = Component.fromFile(engine, Fixtures.component("add"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Func add = linker.instantiate(store, component).func("add");
            assertEquals(3L, add.call(1, 2));
            assertEquals(java.util.List.of(Val.u32(7)), add.callValues(Val.u32(3), Val.u32(4)));
            assertEquals(9L, add.scalar().call(4, 5));
        }
    }
}
