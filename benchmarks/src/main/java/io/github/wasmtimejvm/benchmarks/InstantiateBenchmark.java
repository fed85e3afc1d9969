package io.github.wasmtimejvm.benchmarks;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
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

/** A fresh store and instance per operation, from an InstancePre (the way to serve requests). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dwasmtime.jvm.leakDetection=off"})
@State(Scope.Thread)
public class InstantiateBenchmark {

    private Engine engine;
    private Component add;
    private Linker linker;
    private InstancePre pre;

    @Setup(Level.Trial)
    public void setUp() {
        engine = new Engine();
        add = Component.fromFile(engine, Fixtures.component("add"));
        linker = new Linker(engine);
        pre = linker.instantiatePre(add);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pre.close();
        linker.close();
        add.close();
        engine.close();
    }

    /** new Store, InstancePre.instantiate, Store.close. */
    @Benchmark
    public Instance instancePre() {
        try (Store store = new Store(engine)) {
            return pre.instantiate(store);
        }
    }
}
