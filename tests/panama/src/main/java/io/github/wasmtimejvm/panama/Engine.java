package io.github.wasmtimejvm.panama;

import java.lang.foreign.MemorySegment;

/** A {@code wjvm_engine_t} with the default settings ({@code wjvm_engine_new(NULL, &out)}). */
public final class Engine implements AutoCloseable {

    final MemorySegment ptr;

    public Engine() {
        ptr = Native.create(WasmtimeJvm.engine_new, MemorySegment.NULL);
    }

    /** {@code wjvm_engine_delete}. */
    @Override
    public void close() {
        Native.delete(WasmtimeJvm.engine_delete, ptr);
    }
}
