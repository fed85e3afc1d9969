package io.github.wasmtimejvm.benchmarks;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wasi.WasiConfig;
import java.io.OutputStream;
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
 * WASI commands from Java: start to exit of a small command (precompiled component, InstancePre
 * reused, a fresh store per run), and stdout throughput into a Java OutputStream (16 MiB in 64
 * KiB writes per run). The components come from corpus/modules via {@code guest-tool
 * componentize} ({@code -Dwasmtime.jvm.wasiBench=<dir>}, set by benchmarks/run.sh).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dwasmtime.jvm.leakDetection=off"})
@State(Scope.Thread)
public class WasiBenchmark {

    /** Counts bytes, keeps none. */
    static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    private Engine engine;
    private Linker linker;
    private Component hello;
    private Component write;
    private InstancePre helloPre;
    private InstancePre writePre;
    private WasiConfig quiet;
    private WasiConfig streaming;
    private final Counting sink = new Counting();

    private static Path component(String name) {
        Path p = Path.of(System.getProperty("wasmtime.jvm.wasiBench", "target/bench"), name + ".wasm");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run benchmarks/run.sh, which builds it");
        }
        return p;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        engine = new Engine();
        linker = new Linker(engine).addWasi();
        try (Component compiled = Component.fromFile(engine, component("wasi-hello"))) {
            // Precompiled, as a server would load it.
            hello = Component.deserialize(engine, compiled.serialize());
        }
        write = Component.fromFile(engine, component("wasi-write"));
        helloPre = linker.instantiatePre(hello);
        writePre = linker.instantiatePre(write);
        quiet = WasiConfig.defaults();
        streaming = WasiConfig.builder().stdout(sink).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (sink.bytes == 0) {
            throw new IllegalStateException("the stdout benchmark wrote nothing");
        }
        writePre.close();
        helloPre.close();
        write.close();
        hello.close();
        linker.close();
        engine.close();
    }

    /** A fresh store, instantiate, run wasi:cli/run, exit. */
    @Benchmark
    public int commandStartToExit() {
        try (Store store = Store.builder(engine).wasi(quiet).build()) {
            return helloPre.runCommand(store);
        }
    }

    /** 16 MiB of guest stdout streamed into a Java OutputStream. */
    @Benchmark
    public int stdout16MiB() {
        try (Store store = Store.builder(engine).wasi(streaming).build()) {
            return writePre.runCommand(store);
        }
    }
}
