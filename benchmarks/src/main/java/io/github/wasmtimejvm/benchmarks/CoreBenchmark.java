package io.github.wasmtimejvm.benchmarks;

import com.dylibso.chicory.runtime.ExportFunction;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.module.Func;
import io.github.wasmtimejvm.module.Instance;
import io.github.wasmtimejvm.module.Linker;
import io.github.wasmtimejvm.module.Memory;
import io.github.wasmtimejvm.module.Module;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Core WebAssembly (issue 11): calls of {@code corpus/modules/fib.wat} through wasmtime-jvm's
 * core API, the same module compiled by Chicory 1.7.5 and Endive 1.0.0 (pure-Java compilers to
 * JVM bytecode), and 1 MiB bulk copies between linear memory and a {@code byte[]}. The native
 * bench ({@code benchmarks/native}) measures the same through wasmtime from Rust.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreBenchmark {

    /** The Fibonacci argument of the compute-kernel benchmarks. */
    static final long FIB_N = 10_000_000L;
    static final int MIB = 1 << 20;

    private Engine engine;
    private Module module;
    private Linker linker;
    private Store store;
    private Func add;
    private Func fib;
    private Memory memory;
    private final byte[] buffer = new byte[MIB];
    private final byte[] other = new byte[MIB];

    private ExportFunction chicoryAdd;
    private ExportFunction chicoryFib;
    private run.endive.runtime.ExportFunction endiveAdd;
    private run.endive.runtime.ExportFunction endiveFib;

    private int a = 1;

    /** The binary of fib.wat, made by {@code guest-tool wat2wasm} ({@code benchmarks/run.sh}). */
    static byte[] fibBinary() throws Exception {
        Path p = Path.of(System.getProperty("wasmtime.jvm.wasiBench", "target/bench"), "fib.wasm");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " not found: run benchmarks/run.sh, which builds it");
        }
        return Files.readAllBytes(p);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        engine = new Engine();
        module = Module.fromFile(engine, Fixtures.module("fib"));
        linker = new Linker(engine);
        store = new Store(engine);
        Instance instance = linker.instantiate(store, module);
        add = instance.func("add");
        fib = instance.func("fib");
        // A second module with a 16 MiB memory for the bulk copies.
        try (Module mem = Module.fromWat(engine, "(module (memory (export \"memory\") 256))")) {
            memory = linker.instantiate(store, mem).memory("memory");
        }

        byte[] wasm = fibBinary();
        var chicory = com.dylibso.chicory.runtime.Instance
                .builder(com.dylibso.chicory.wasm.Parser.parse(wasm))
                .withMachineFactory(com.dylibso.chicory.compiler.MachineFactoryCompiler::compile)
                .build();
        chicoryAdd = chicory.export("add");
        chicoryFib = chicory.export("fib");
        var endive = run.endive.runtime.Instance
                .builder(run.endive.wasm.Parser.parse(wasm))
                .withMachineFactory(run.endive.compiler.MachineFactoryCompiler::compile)
                .build();
        endiveAdd = endive.export("add");
        endiveFib = endive.export("fib");
        if (fib.callRaw(FIB_N) != chicoryFib.apply(FIB_N)[0] || fib.callRaw(FIB_N) != endiveFib.apply(FIB_N)[0]) {
            throw new IllegalStateException("the three runtimes disagree on fib(" + FIB_N + ")");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        linker.close();
        module.close();
        engine.close();
    }

    /** {@code add(i32, i32)} on the raw path: long slots in and out, nothing allocated. */
    @Benchmark
    public long coreAddRaw() {
        return add.callRaw(a++, 2);
    }

    /** {@code add(i32, i32)} with Java values: boxed arguments in, an {@code Object[]} out. */
    @Benchmark
    public Object coreAddDynamic() {
        return add.call(a++, 2)[0];
    }

    /** Chicory's compiled {@code add}: a JVM method call the JIT can inline. */
    @Benchmark
    public long chicoryAdd() {
        return chicoryAdd.apply(a++, 2)[0];
    }

    /** Endive's compiled {@code add}. */
    @Benchmark
    public long endiveAdd() {
        return endiveAdd.apply(a++, 2)[0];
    }

    /** Iterative fib(10^7) compiled by Cranelift. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long fibWasmtime() {
        return fib.callRaw(FIB_N);
    }

    /** The same kernel compiled by Chicory. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long fibChicory() {
        return chicoryFib.apply(FIB_N)[0];
    }

    /** The same kernel compiled by Endive. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long fibEndive() {
        return endiveFib.apply(FIB_N)[0];
    }

    /** 1 MiB from linear memory into a {@code byte[]}. */
    @Benchmark
    public byte[] memoryRead1MiB() {
        memory.read(4096, buffer);
        return buffer;
    }

    /** 1 MiB from a {@code byte[]} into linear memory. */
    @Benchmark
    public byte[] memoryWrite1MiB() {
        memory.write(4096, buffer);
        return buffer;
    }

    /** The JVM's own 1 MiB copy between two {@code byte[]}s (a memcpy), for scale. */
    @Benchmark
    public byte[] arraycopy1MiB() {
        System.arraycopy(buffer, 0, other, 0, MIB);
        return other;
    }
}
