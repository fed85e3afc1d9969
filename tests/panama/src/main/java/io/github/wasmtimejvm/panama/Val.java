package io.github.wasmtimejvm.panama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A component value as these tests use it, and its codec to and from {@code wjvm_val_t}
 * ({@link WasmtimeJvm#VAL}): {@code kind} then the payload union at offset 8. Only u32, s32
 * and string are covered; other kinds fail loudly.
 */
public record Val(byte kind, long bits, String string) {

    public static Val u32(long v) {
        return new Val(WasmtimeJvm.VAL_U32, v & 0xFFFF_FFFFL, null);
    }

    public static Val s32(int v) {
        return new Val(WasmtimeJvm.VAL_S32, v, null);
    }

    public static Val string(String s) {
        return new Val(WasmtimeJvm.VAL_STRING, 0, s);
    }

    /** Writes this value into the {@code wjvm_val_t} at {@code dst}; strings go into {@code arena}. */
    void write(MemorySegment dst, Arena arena) {
        dst.fill((byte) 0);
        dst.set(JAVA_BYTE, 0, kind);
        MemorySegment of = dst.asSlice(WasmtimeJvm.VAL_OF);
        switch (kind) {
            case WasmtimeJvm.VAL_U32, WasmtimeJvm.VAL_S32 -> of.set(JAVA_INT, 0, (int) bits);
            case WasmtimeJvm.VAL_STRING -> {
                byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
                MemorySegment text = utf8.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_BYTE, utf8);
                of.set(ADDRESS, 0, text);
                of.set(JAVA_LONG, ADDRESS.byteSize(), utf8.length);
            }
            default -> throw new IllegalArgumentException("kind " + kind + " is not covered here");
        }
    }

    /** Reads the {@code wjvm_val_t} at {@code src} (which the library owns; nothing is kept). */
    static Val read(MemorySegment src) {
        byte kind = src.get(JAVA_BYTE, 0);
        MemorySegment of = src.asSlice(WasmtimeJvm.VAL_OF);
        return switch (kind) {
            case WasmtimeJvm.VAL_U32 -> u32(Integer.toUnsignedLong(of.get(JAVA_INT, 0)));
            case WasmtimeJvm.VAL_S32 -> s32(of.get(JAVA_INT, 0));
            case WasmtimeJvm.VAL_STRING -> string(WjvmException.text(of.get(ADDRESS, 0), of.get(JAVA_LONG, ADDRESS.byteSize())));
            default -> throw new IllegalArgumentException("kind " + kind + " is not covered here");
        };
    }
}
