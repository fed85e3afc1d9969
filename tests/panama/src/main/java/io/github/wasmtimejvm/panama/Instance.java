package io.github.wasmtimejvm.panama;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** A {@code wjvm_instance_t} handle. */
public final class Instance implements AutoCloseable {

    final MemorySegment ptr;

    Instance(MemorySegment ptr) {
        this.ptr = ptr;
    }

    /** {@code wjvm_instance_func}: the exported function {@code name}. */
    public Func func(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, utf8);
            return new Func(Native.create(WasmtimeJvm.instance_func, ptr, text, (long) utf8.length));
        }
    }

    /** {@code wjvm_instance_delete}: the handle only; the instance lives as long as its store. */
    @Override
    public void close() {
        Native.delete(WasmtimeJvm.instance_delete, ptr);
    }
}
