package io.github.wasmtimejvm.panama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A {@code wjvm_error_t} read into Java: its kind ({@code wjvm_error_kind_t}) and message
 * ({@code wjvm_error_message}); the native error is deleted as soon as it is read.
 */
public final class WjvmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int kind;
    private final int trapCode;

    private WjvmException(int kind, int trapCode, String message) {
        super("wjvm error kind " + kind + ": " + message);
        this.kind = kind;
        this.trapCode = trapCode;
    }

    /** The {@code wjvm_trap_code_t} of a trap ({@code wjvm_error_trap_code}), -1 for other errors. */
    public int trapCode() {
        return trapCode;
    }

    /** The {@code wjvm_error_kind_t} code, e.g. {@link WasmtimeJvm#ERROR_COMPILE}. */
    public int kind() {
        return kind;
    }

    /** The message alone, as the library wrote it. */
    public String text() {
        String m = getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }

    /** Throws the error {@code err} returned by a fallible function, if it is not NULL. */
    public static void check(MemorySegment err) {
        if (!err.equals(MemorySegment.NULL)) {
            throw take(err);
        }
    }

    /** Reads {@code err} (not NULL) and deletes it. */
    public static WjvmException take(MemorySegment err) {
        try (Arena arena = Arena.ofConfined()) {
            int kind = (int) WasmtimeJvm.error_kind.invokeExact(err);
            MemorySegment ptr = arena.allocate(ADDRESS);
            MemorySegment len = arena.allocate(JAVA_LONG);
            WasmtimeJvm.error_message.invokeExact(err, ptr, len);
            String message = text(ptr.get(ADDRESS, 0), len.get(JAVA_LONG, 0));
            MemorySegment code = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
            boolean trap = (boolean) WasmtimeJvm.error_trap_code.invokeExact(err, code);
            return new WjvmException(kind, trap ? code.get(java.lang.foreign.ValueLayout.JAVA_INT, 0) : -1, message);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            Native.run(() -> { WasmtimeJvm.error_delete.invokeExact(err); });
        }
    }

    /** Lent UTF-8 text: {@code len} bytes at {@code ptr}. */
    static String text(MemorySegment ptr, long len) {
        if (len == 0) {
            return "";
        }
        byte[] bytes = ptr.reinterpret(len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
