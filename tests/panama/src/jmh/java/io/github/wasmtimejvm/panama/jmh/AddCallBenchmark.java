package io.github.wasmtimejvm.panama.jmh;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.wasmtimejvm.panama.WasmtimeJvm;
import io.github.wasmtimejvm.panama.WjvmException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same {@code add(u32, u32) -> u32} of corpus/components/add.wat, called on JDK 25 through
 * FFM downcalls into the C API and through the JNI facade, each on its cheapest path and on its
 * general value path. Both sides load the same file, {@code target/release/libwasmtime_jvm.so}
 * (JNI through {@code wasmtime.jvm.library.path}); run from the repository root. JMH forks a
 * JVM per benchmark, so each fork loads the library once, through one face.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dwasmtime.jvm.leakDetection=off"})
public class AddCallBenchmark {

    static final String LIBRARY = "target/release/libwasmtime_jvm.so";
    static final Path ADD = Path.of("corpus/components/add.wat");

    /** The C API through java.lang.foreign: the raw handles, as a backend would use them. */
    @State(Scope.Thread)
    public static class Ffm {
        io.github.wasmtimejvm.panama.Engine engine;
        io.github.wasmtimejvm.panama.Component component;
        io.github.wasmtimejvm.panama.Linker linker;
        io.github.wasmtimejvm.panama.Store store;
        io.github.wasmtimejvm.panama.Instance instance;
        io.github.wasmtimejvm.panama.Func add;
        MemorySegment func;
        Arena arena;
        MemorySegment slots;
        MemorySegment result;
        MemorySegment vals;
        MemorySegment vec;
        long[] heapSlots;
        long[] heapResult;
        int a = 1;
        int b = 2;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            if (System.getProperty("wjvm.library") == null) {
                System.setProperty("wjvm.library", LIBRARY);
            }
            engine = new io.github.wasmtimejvm.panama.Engine();
            component = io.github.wasmtimejvm.panama.Component.fromBytes(engine, Files.readAllBytes(ADD));
            linker = new io.github.wasmtimejvm.panama.Linker(engine);
            store = new io.github.wasmtimejvm.panama.Store(engine);
            instance = linker.instantiate(store, component);
            add = instance.func("add");
            func = add.address();
            arena = Arena.ofConfined();
            slots = arena.allocate(JAVA_LONG, 2);
            result = arena.allocate(JAVA_LONG);
            vals = arena.allocate(WasmtimeJvm.VAL, 2);
            vec = arena.allocate(WasmtimeJvm.VAL_VEC);
            heapSlots = new long[2];
            heapResult = new long[1];
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
            add.close();
            instance.close();
            store.close();
            linker.close();
            component.close();
            engine.close();
        }
    }

    /** The Java facade (io.github.wasmtimejvm through JNI), as CallBenchmark calls it. */
    @State(Scope.Thread)
    public static class Jni {
        io.github.wasmtimejvm.Engine engine;
        io.github.wasmtimejvm.component.Component component;
        io.github.wasmtimejvm.component.Linker linker;
        io.github.wasmtimejvm.Store store;
        io.github.wasmtimejvm.component.Func add;
        io.github.wasmtimejvm.component.ScalarFunc addFast;
        io.github.wasmtimejvm.component.Val u1;
        io.github.wasmtimejvm.component.Val u2;
        long a = 1;
        long b = 2;

        @Setup(Level.Trial)
        public void setUp() {
            if (System.getProperty("wasmtime.jvm.library.path") == null) {
                System.setProperty("wasmtime.jvm.library.path", LIBRARY);
            }
            engine = new io.github.wasmtimejvm.Engine();
            component = io.github.wasmtimejvm.component.Component.fromFile(engine, ADD);
            linker = new io.github.wasmtimejvm.component.Linker(engine);
            store = new io.github.wasmtimejvm.Store(engine);
            add = linker.instantiate(store, component).func("add");
            addFast = add.scalar();
            u1 = io.github.wasmtimejvm.component.Val.u32(1);
            u2 = io.github.wasmtimejvm.component.Val.u32(2);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            store.close();
            linker.close();
            component.close();
            engine.close();
        }
    }

    /** FFM, {@code wjvm_func_call_scalar} with the slots in native memory (a normal downcall). */
    @Benchmark
    public long ffmScalar(Ffm s) throws Throwable {
        s.slots.set(JAVA_LONG, 0, s.a);
        s.slots.set(JAVA_LONG, 8, s.b);
        MemorySegment err = (MemorySegment) WasmtimeJvm.func_call_scalar.invokeExact(s.func, s.slots, 2L, s.result);
        if (err.address() != 0) {
            throw WjvmException.take(err);
        }
        return s.result.get(JAVA_LONG, 0);
    }

    /**
     * FFM, the same call as a critical downcall on heap {@code long[]}s: an upper bound only (no
     * thread-state transition; unfit for guests that run long or call host functions).
     */
    @Benchmark
    public long ffmScalarCritical(Ffm s) throws Throwable {
        s.heapSlots[0] = s.a;
        s.heapSlots[1] = s.b;
        MemorySegment err = (MemorySegment) WasmtimeJvm.func_call_scalar_critical.invokeExact(
                s.func, MemorySegment.ofArray(s.heapSlots), 2L, MemorySegment.ofArray(s.heapResult));
        if (err.address() != 0) {
            throw WjvmException.take(err);
        }
        return s.heapResult[0];
    }

    /** FFM, {@code wjvm_func_call} with two {@code wjvm_val_t} u32s; the result vec read and freed. */
    @Benchmark
    public long ffmValues(Ffm s) throws Throwable {
        MemorySegment v = s.vals;
        v.set(JAVA_BYTE, 0, WasmtimeJvm.VAL_U32);
        v.set(JAVA_INT, WasmtimeJvm.VAL_OF, s.a);
        v.set(JAVA_BYTE, 32, WasmtimeJvm.VAL_U32);
        v.set(JAVA_INT, 32 + WasmtimeJvm.VAL_OF, s.b);
        MemorySegment err = (MemorySegment) WasmtimeJvm.func_call.invokeExact(s.func, v, 2L, s.vec);
        if (err.address() != 0) {
            throw WjvmException.take(err);
        }
        MemorySegment first = s.vec.get(ADDRESS, 0).reinterpret(WasmtimeJvm.VAL.byteSize());
        long r = Integer.toUnsignedLong(first.get(JAVA_INT, WasmtimeJvm.VAL_OF));
        WasmtimeJvm.val_vec_delete.invokeExact(s.vec);
        return r;
    }

    /** JNI, {@code ScalarFunc.call(long, long)}: the facade's fast path. */
    @Benchmark
    public long jniScalar(Jni s) {
        return s.addFast.call(s.a, s.b);
    }

    /** JNI, {@code Func.callValues(Val...)}: the facade's exact value path. */
    @Benchmark
    public List<io.github.wasmtimejvm.component.Val> jniValues(Jni s) {
        return s.add.callValues(s.u1, s.u2);
    }
}
