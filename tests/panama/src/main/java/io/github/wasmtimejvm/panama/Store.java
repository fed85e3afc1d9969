package io.github.wasmtimejvm.panama;

import java.lang.foreign.MemorySegment;

/** A {@code wjvm_store_t} without limits ({@code wjvm_store_new(engine, NULL, &out)}). */
public final class Store implements AutoCloseable {

    final MemorySegment ptr;

    public Store(Engine engine) {
        ptr = Native.create(WasmtimeJvm.store_new, engine.ptr, MemorySegment.NULL);
    }

    /** {@code wjvm_store_delete}: frees everything inside the store. */
    @Override
    public void close() {
        Native.delete(WasmtimeJvm.store_delete, ptr);
    }
}
