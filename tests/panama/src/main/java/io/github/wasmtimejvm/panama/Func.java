package io.github.wasmtimejvm.panama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** A {@code wjvm_func_t}: its type, and calls through the scalar and the general value path. */
public final class Func implements AutoCloseable {

    final MemorySegment ptr;

    Func(MemorySegment ptr) {
        this.ptr = ptr;
    }

    /** The native handle, for benchmarks that call the downcall handles directly. */
    public MemorySegment address() {
        return ptr;
    }

    /** {@code wjvm_func_type}: the WIT text of the function's type. */
    public String type() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(ADDRESS);
            MemorySegment len = arena.allocate(JAVA_LONG);
            Native.run(() -> { WasmtimeJvm.func_type.invokeExact(ptr, text, len); });
            return WjvmException.text(text.get(ADDRESS, 0), len.get(JAVA_LONG, 0));
        }
    }

    /** {@code wjvm_func_param_count}. */
    public long paramCount() {
        try {
            return (long) WasmtimeJvm.func_param_count.invokeExact(ptr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code wjvm_func_call_scalar}: arguments and the result as {@code uint64_t} slots. */
    public long callScalar(long... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(JAVA_LONG, Math.max(1, args.length));
            MemorySegment.copy(args, 0, slots, JAVA_LONG, 0, args.length);
            MemorySegment result = arena.allocate(JAVA_LONG);
            WjvmException.check((MemorySegment) WasmtimeJvm.func_call_scalar.invokeExact(
                    ptr, slots, (long) args.length, result));
            return result.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code wjvm_func_call}: the arguments as an array of {@code wjvm_val_t}; the results come
     * back in a {@code wjvm_val_vec_t} that is read and freed with {@code wjvm_val_vec_delete}.
     */
    public List<Val> call(Val... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vals = arena.allocate(WasmtimeJvm.VAL, Math.max(1, args.length));
            for (int i = 0; i < args.length; i++) {
                args[i].write(vals.asSlice(i * WasmtimeJvm.VAL.byteSize(), WasmtimeJvm.VAL), arena);
            }
            MemorySegment vec = arena.allocate(WasmtimeJvm.VAL_VEC);
            MemorySegment argv = args.length == 0 ? MemorySegment.NULL : vals;
            WjvmException.check((MemorySegment) WasmtimeJvm.func_call.invokeExact(ptr, argv, (long) args.length, vec));
            try {
                long n = vec.get(JAVA_LONG, ADDRESS.byteSize());
                MemorySegment results = vec.get(ADDRESS, 0).reinterpret(n * WasmtimeJvm.VAL.byteSize());
                List<Val> out = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    out.add(Val.read(results.asSlice(i * WasmtimeJvm.VAL.byteSize(), WasmtimeJvm.VAL)));
                }
                return out;
            } finally {
                WasmtimeJvm.val_vec_delete.invokeExact(vec);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code wjvm_func_delete}. */
    @Override
    public void close() {
        Native.delete(WasmtimeJvm.func_delete, ptr);
    }
}
