package io.github.wasmtimejvm.benchmarks;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.util.concurrent.CompletableFuture;
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
 * The asynchronous path beside the synchronous one: {@code add(u32, u32)} with {@code callAsync}
 * awaited (a hand-off to an engine worker and back through the common pool) against {@code call},
 * and a guest calling an asynchronous host function whose stage is already complete, {@value #N}
 * times per invocation (host-bench.wat, as {@link HostCallBenchmark#twoU32} does synchronously).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dwasmtime.jvm.leakDetection=off"})
@State(Scope.Thread)
public class AsyncBenchmark {

    static final int N = 1000;

    private Engine engine;
    private Component add;
    private Component hostBench;
    private Linker linker;
    private Linker asyncLinker;
    private Store store;
    private Store asyncStore;
    private Func addFunc;
    private Func callAdd;

    @Setup(Level.Trial)
    public void setUp() {
        engine = new Engine(Engine.Config.builder().asyncThreads(1).build());
        add = Component.fromFile(engine, Fixtures.component("add"));
        hostBench = Component.fromFile(engine, Fixtures.component("host-bench"));
        linker = new Linker(engine);
        store = new Store(engine);
        addFunc = linker.instantiate(store, add).func("add");
        asyncLinker = new Linker(engine);
        asyncLinker.root()
                .func("noop", FuncType.of(), args -> null)
                .funcAsync("add2", FuncType.of("a", Primitive.U32, "b", Primitive.U32).returning(Primitive.U32),
                        args -> CompletableFuture.completedFuture(((Long) args[0] + (Long) args[1]) & 0xffff_ffffL))
                .func("take-string", FuncType.of("s", Primitive.STRING).returning(Primitive.U32),
                        args -> (long) ((String) args[0]).length());
        asyncStore = new Store(engine);
        callAdd = asyncLinker.instantiate(asyncStore, hostBench).func("call-add");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        asyncStore.close();
        linker.close();
        asyncLinker.close();
        add.close();
        hostBench.close();
        engine.close();
    }

    /** {@code add(1, 2)} synchronously, for the ratio. */
    @Benchmark
    public Object addSync() {
        return addFunc.call(1, 2);
    }

    /** {@code add(1, 2)} with {@code callAsync}, awaited. */
    @Benchmark
    public Object addAsyncAwaited() {
        return addFunc.callAsync(1, 2).join();
    }

    /** A guest calling an asynchronous host function of two u32 (stage already complete). */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object asyncHostFunctionTwoU32() {
        return callAdd.callAsync(N).join();
    }
}
