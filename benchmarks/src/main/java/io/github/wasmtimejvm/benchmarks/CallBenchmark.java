package io.github.wasmtimejvm.benchmarks;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.ScalarFunc;
import io.github.wasmtimejvm.component.Val;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Calls from Java into a component: {@code add(u32, u32)} through the dynamic path (Vals and
 * plain Java) and the scalar fast path, and a record round trip. The native bench measures the
 * same calls from Rust.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dwasmtime.jvm.leakDetection=off"})
@State(Scope.Thread)
public class CallBenchmark {

    private Engine engine;
    private Component add;
    private Component echo;
    private Linker linker;
    private Store store;
    private Func addFunc;
    private ScalarFunc addFast;
    private Func echoPerson;
    private Val u1;
    private Val u2;
    private Val person;

    @Setup(Level.Trial)
    public void setUp() {
        engine = new Engine();
        add = Component.fromFile(engine, Fixtures.component("add"));
        echo = Component.fromFile(engine, Fixtures.component("echo"));
        linker = new Linker(engine);
        store = new Store(engine);
        Instance a = linker.instantiate(store, add);
        addFunc = a.func("add");
        addFast = addFunc.scalar();
        echoPerson = linker.instantiate(store, echo).func("echo-person");
        u1 = Val.u32(1);
        u2 = Val.u32(2);
        person = Val.record(
                Val.field("first-name", Val.string("Ada")),
                Val.field("age", Val.u8(36)),
                Val.field("tags", Val.list(Val.string("math"), Val.string("engines"))));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        linker.close();
        echo.close();
        add.close();
        engine.close();
    }

    /** add(1, 2) with Vals in and out. */
    @Benchmark
    public List<Val> addDynamic() {
        return addFunc.callValues(u1, u2);
    }

    /** add(1, 2) with plain Java values. */
    @Benchmark
    public Object addPlain() {
        return addFunc.call(1, 2);
    }

    /** add(1, 2) through the scalar fast path. */
    @Benchmark
    public long addFast() {
        return addFast.call(1, 2);
    }

    /** A record with a string and a list of strings, in and out. */
    @Benchmark
    public List<Val> recordRoundTrip() {
        return echoPerson.callValues(person);
    }

    /** echo-string with a string of {@code size} bytes. */
    @State(Scope.Thread)
    public static class Strings {
        @Param({"16", "1024", "1048576"})
        public int size;

        Engine engine;
        Component echo;
        Linker linker;
        Store store;
        Func echoString;
        Func echoBytes;
        String text;
        byte[] bytes;

        @Setup(Level.Trial)
        public void setUp() {
            engine = new Engine();
            echo = Component.fromFile(engine, Fixtures.component("echo"));
            linker = new Linker(engine);
            store = new Store(engine);
            Instance instance = linker.instantiate(store, echo);
            echoString = instance.func("echo-string");
            echoBytes = instance.func("echo-list-u8");
            text = "x".repeat(size);
            bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) (i * 31 + 7);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            store.close();
            linker.close();
            echo.close();
            engine.close();
        }
    }

    /** echo-string round trip with a plain Java String. */
    @Benchmark
    public void echoString(Strings s, Blackhole bh) {
        bh.consume(s.echoString.call(s.text));
    }

    /** echo-list-u8 round trip with a byte[]. */
    @Benchmark
    public void echoBytes(Strings s, Blackhole bh) {
        bh.consume(s.echoBytes.call((Object) s.bytes));
    }
}
