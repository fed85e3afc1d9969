package io.github.wasmtimejvm.panama;

import java.lang.foreign.MemorySegment;

/** A {@code wjvm_linker_t}, empty: the components these tests use import nothing. */
public final class Linker implements AutoCloseable {

    final MemorySegment ptr;

    public Linker(Engine engine) {
        ptr = Native.create(WasmtimeJvm.linker_new, engine.ptr);
    }

    /** {@code wjvm_linker_instantiate}. */
    public Instance instantiate(Store store, Component component) {
        return new Instance(Native.create(WasmtimeJvm.linker_instantiate, ptr, store.ptr, component.ptr));
    }

    /** {@code wjvm_linker_delete}. */
    @Override
    public void close() {
        Native.delete(WasmtimeJvm.linker_delete, ptr);
    }
}
