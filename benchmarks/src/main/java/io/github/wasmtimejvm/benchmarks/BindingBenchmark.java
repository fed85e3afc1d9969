package io.github.wasmtimejvm.benchmarks;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.ScalarFunc;
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
 * Issue 13: a call through a bound Java interface ({@code Instance.bind}) against the same call
 * through {@link Func}: {@code add(u32, u32)} (bound to {@code int add(int, int)}, against {@link
 * ScalarFunc}), {@code echo-string} and the {@code person} record (bound to a Java record, against
 * {@code Func.callAs} with the same record class). The goal is a bound call within 1.1x of its Func
 * call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dwasmtime.jvm.leakDetection=off"})
@State(Scope.Thread)
public class BindingBenchmark {

    /** The WIT record {@code person}. */
    public record Person(String firstName, byte age, List<String> tags) {}

    /** add.wat's root export. */
    public interface Add {
        /**
         * {@code add: func(a: u32, b: u32) -> u32}.
         *
         * @param a one
         * @param b the other
         * @return the sum
         */
        int add(int a, int b);
    }

    /** Two of echo.wat's root exports. */
    public interface Echo {
        /**
         * {@code echo-string: func(v: string) -> string}.
         *
         * @param v the string
         * @return the same
         */
        String echoString(String v);

        /**
         * {@code echo-person: func(v: person) -> person}.
         *
         * @param v the record
         * @return the same
         */
        Person echoPerson(Person v);
    }

    private Engine engine;
    private Component add;
    private Component echo;
    private Linker linker;
    private Store store;
    private ScalarFunc addFast;
    private Func echoString;
    private Func echoPerson;
    private Add boundAdd;
    private Echo boundEcho;
    private Person person;
    private int a = 1;
    private int b = 2;

    /** Compiles, instantiates and binds. */
    @Setup(Level.Trial)
    public void setUp() {
        engine = new Engine();
        add = Component.fromFile(engine, Fixtures.component("add"));
        echo = Component.fromFile(engine, Fixtures.component("echo"));
        linker = new Linker(engine);
        store = new Store(engine);
        Instance addInstance = linker.instantiate(store, add);
        Instance echoInstance = linker.instantiate(store, echo);
        addFast = addInstance.func("add").scalar();
        echoString = echoInstance.func("echo-string");
        echoPerson = echoInstance.func("echo-person");
        boundAdd = addInstance.bind(Add.class);
        boundEcho = echoInstance.bind(Echo.class);
        person = new Person("Ada", (byte) 36, List.of("math", "engines"));
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        linker.close();
        echo.close();
        add.close();
        engine.close();
    }

    /**
     * add through the scalar fast path.
     *
     * @return the sum
     */
    @Benchmark
    public long addScalarFunc() {
        return addFast.call(a, b);
    }

    /**
     * add through the bound interface.
     *
     * @return the sum
     */
    @Benchmark
    public int addBound() {
        return boundAdd.add(a, b);
    }

    /**
     * echo-string through Func with a plain String.
     *
     * @return the string
     */
    @Benchmark
    public Object echoStringFunc() {
        return echoString.call("hello, component");
    }

    /**
     * echo-string through the bound interface.
     *
     * @return the string
     */
    @Benchmark
    public String echoStringBound() {
        return boundEcho.echoString("hello, component");
    }

    /**
     * echo-person through Func, the result as the same Java record.
     *
     * @return the record
     */
    @Benchmark
    public Person echoPersonFunc() {
        return echoPerson.callAs(Person.class, person);
    }

    /**
     * echo-person through the bound interface.
     *
     * @return the record
     */
    @Benchmark
    public Person echoPersonBound() {
        return boundEcho.echoPerson(person);
    }
}
