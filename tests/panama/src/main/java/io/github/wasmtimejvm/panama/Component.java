package io.github.wasmtimejvm.panama;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A {@code wjvm_component_t} compiled from binary or WAT bytes. */
public final class Component implements AutoCloseable {

    final MemorySegment ptr;

    private Component(MemorySegment ptr) {
        this.ptr = ptr;
    }

    /** {@code wjvm_component_new}: the bytes are copied into native memory for the call. */
    public static Component fromBytes(Engine engine, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            return new Component(Native.create(WasmtimeJvm.component_new, engine.ptr, data, (long) bytes.length));
        }
    }

    /** {@code wjvm_component_delete}. */
    @Override
    public void close() {
        Native.delete(WasmtimeJvm.component_delete, ptr);
    }
}
