package io.github.wasmtimejvm.panama;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Small helpers shared by the handle classes: out-pointers and checked exceptions. */
final class Native {

    private Native() {}

    /** A downcall that throws only what the C function cannot: nothing checked. */
    interface Call {
        void run() throws Throwable;
    }

    static void run(Call call) {
        try {
            call.run();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A constructor of the form {@code wjvm_error_t *f(args..., T **out)}: returns {@code *out}. */
    static MemorySegment create(MethodHandle f, Object... argsBeforeOut) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            Object[] args = java.util.Arrays.copyOf(argsBeforeOut, argsBeforeOut.length + 1);
            args[argsBeforeOut.length] = out;
            WjvmException.check((MemorySegment) f.invokeWithArguments(args));
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Deletes {@code handle} with {@code delete} ({@code void f(T *)}), once. */
    static void delete(MethodHandle delete, MemorySegment handle) {
        run(() -> { delete.invokeExact(handle); });
    }
}
