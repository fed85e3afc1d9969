package io.github.wasmtimejvm.benchmarks;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wasi.AuditEvent;
import io.github.wasmtimejvm.wasi.WasiConfig;
import io.github.wasmtimejvm.wasi.WasiConfig.DirAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a guest's file reads cost by where its preopen is served: a real C program (the sandbox
 * probe, guests/probe/probe.c, a WASI 0.2 component through the preview 1 adapter) opening,
 * reading and closing a small file {@value #READS} times in one run, in a fresh store from an
 * {@code InstancePre}. {@code host}: a host directory (wasmtime-wasi; every call passes through
 * the core's filesystem layer unchanged); {@code hostAudited}: the same with an audit listener
 * set (refusals only, none happen: what tracking costs); {@code hostAuditedAll}: the listener
 * hears every granted access too; {@code java}: the same directory served through
 * {@code java.nio.file}; {@code none}: the run without reads, to subtract. The probe comes from
 * guests/build.sh ({@code -Dwasmtime.jvm.guests=<dir>}, default target/guests).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dwasmtime.jvm.leakDetection=off"})
@State(Scope.Thread)
public class FileSystemBenchmark {
    static final int READS = 100;

    @Param({"none", "host", "hostAudited", "hostAuditedAll", "java"})
    public String preopen;

    private Path dir;
    private Engine engine;
    private Linker linker;
    private Component probe;
    private InstancePre pre;
    private WasiConfig config;
    private final AtomicLong events = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path guest = Path.of(System.getProperty("wasmtime.jvm.guests", "target/guests"), "sandbox-probe.component.wasm");
        if (!Files.isRegularFile(guest)) {
            throw new IllegalStateException(guest + " is missing: run guests/build.sh (benchmarks/run.sh does)");
        }
        dir = Files.createTempDirectory("wjvm-fs-bench");
        Files.writeString(dir.resolve("inside.txt"), "inside\n");
        engine = new Engine();
        linker = new Linker(engine).addWasi();
        probe = Component.fromFile(engine, guest);
        pre = linker.instantiatePre(probe);
        List<String> ops = new ArrayList<>();
        if (!preopen.equals("none")) {
            for (int i = 0; i < READS; i++) {
                ops.add("read");
                ops.add("/box/inside.txt");
            }
        }
        WasiConfig.Builder b = WasiConfig.builder().argv0("probe").args(ops).captureStdout();
        switch (preopen) {
            case "none", "host" -> b.preopen(dir, "/box", DirAccess.READ_ONLY);
            case "hostAudited" -> b.preopen(dir, "/box", DirAccess.READ_ONLY).auditListener(e -> events.incrementAndGet());
            case "hostAuditedAll" -> b.preopen(dir, "/box", DirAccess.READ_ONLY).auditListener(this::count, true);
            case "java" -> b.preopenJavaFileSystem(dir, "/box", DirAccess.READ_ONLY);
            default -> throw new IllegalArgumentException(preopen);
        }
        config = b.build();
        // Check once that the reads happen as claimed.
        try (Store store = Store.builder(engine).wasi(config).build()) {
            if (pre.runCommand(store) != 0) {
                throw new IllegalStateException("the probe failed");
            }
            String out = new String(store.capturedStdout(), StandardCharsets.UTF_8);
            long ok = out.lines().filter(l -> l.equals("read /box/inside.txt: ok inside\\n")).count();
            if (ok != (preopen.equals("none") ? 0 : READS)) {
                throw new IllegalStateException("expected " + READS + " reads, got: " + out);
            }
        }
    }

    private void count(AuditEvent e) {
        events.incrementAndGet();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (preopen.equals("hostAudited") && events.get() != 0) {
            throw new IllegalStateException("nothing was refused, yet the listener heard " + events.get());
        }
        if (preopen.equals("hostAuditedAll") && events.get() == 0) {
            throw new IllegalStateException("the listener heard no granted access");
        }
        pre.close();
        probe.close();
        linker.close();
        engine.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One run of the probe: {@value #READS} open-read-close of a small file (none for {@code none}). */
    @Benchmark
    public int reads() {
        try (Store store = Store.builder(engine).wasi(config).build()) {
            return pre.runCommand(store);
        }
    }
}
