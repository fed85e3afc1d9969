package io.github.wasmtimejvm.benchmarks;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.ScalarFunc;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A guest calling Java host functions, {@value #N} calls per invocation (host-bench.wat): no
 * arguments, two u32, and a 1 KiB string. The native bench implements the same host functions in
 * Rust.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dwasmtime.jvm.leakDetection=off"})
@State(Scope.Thread)
public class HostCallBenchmark {

    static final int N = 1000;

    private Engine engine;
    private Component component;
    private Linker linker;
    private Store store;
    private ScalarFunc callNoop;
    private ScalarFunc callAdd;
    private Func callString;
    private String kib;

    @Setup(Level.Trial)
    public void setUp() {
        engine = new Engine();
        component = Component.fromFile(engine, Fixtures.component("host-bench"));
        linker = new Linker(engine);
        linker.root().func("noop", FuncType.of(), args -> null);
        linker.root().func("add2", FuncType.of("a", Primitive.U32, "b", Primitive.U32).returning(Primitive.U32),
                args -> ((Long) args[0] + (Long) args[1]) & 0xffff_ffffL);
        linker.root().func("take-string", FuncType.of("s", Primitive.STRING).returning(Primitive.U32),
                args -> (long) ((String) args[0]).length());
        store = new Store(engine);
        Instance instance = linker.instantiate(store, component);
        callNoop = instance.func("call-noop").scalar();
        callAdd = instance.func("call-add").scalar();
        callString = instance.func("call-string");
        kib = "y".repeat(1024);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    /** A host function without arguments or results. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long noop() {
        return callNoop.call(N);
    }

    /** A host function of two u32 returning a u32. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long twoU32() {
        return callAdd.call(N);
    }

    /** A host function taking a 1 KiB string. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object string1KiB() {
        return callString.call(N, kib);
    }
}
