package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 with real guests: the C and Python calculators (wit/guests/calc) bound as Java
 * interfaces, their imported adder implemented by a Java object; the C kv app (wit/guests/kv)
 * with its {@code bucket} resource implemented by Java objects.
 */
class BindingGuestTest {

    /** docs:calc/adder@0.1.0 in its first Java form: u32 as int bits. */
    @WitInterface("docs:calc/adder@0.1.0")
    public interface Adder {
        int add(int a, int b);

        String describe(int a, int b);
    }

    @WitInterface("docs:calc/calc@0.1.0")
    public interface Calc {
        int addThree(int a, int b, int c);

        int sum(List<Integer> xs);

        String explain(int a, int b);
    }

    /** A Java adder that counts its calls. */
    static final class JavaAdder implements Adder {
        final List<String> calls = new ArrayList<>();

        @Override
        public int add(int a, int b) {
            calls.add("add " + Integer.toUnsignedString(a) + " " + Integer.toUnsignedString(b));
            return a + b;
        }

        @Override
        public String describe(int a, int b) {
            calls.add("describe");
            return Integer.toUnsignedString(a) + " + " + Integer.toUnsignedString(b) + " = "
                    + Integer.toUnsignedString(a + b);
        }
    }

    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = new Engine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static void calculatorWithAJavaAdder(String guest, boolean wasi) {
        JavaAdder adder = new JavaAdder();
        try (Component calculator = Component.fromFile(engine, Guests.path(guest));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            if (wasi) {
                linker.addWasi();
            }
            linker.implement(Adder.class, adder);
            Calc calc = linker.instantiate(store, calculator).bind(Calc.class);
            assertEquals(6, calc.addThree(1, 2, 3));
            assertEquals(List.of("add 1 2", "add 3 3"), adder.calls);
            assertEquals(0, calc.addThree(-1, 1, 0), "u32 wraps: 4294967295 + 1 + 0");
            adder.calls.clear();
            assertEquals(10, calc.sum(List.of(1, 2, 3, 4)));
            assertEquals(4, adder.calls.size(), "one add per element: " + adder.calls);
            assertEquals(0, calc.sum(List.of()));
            assertEquals("1 + 2 = 3", calc.explain(1, 2));
            assertEquals("4294967295 + 1 = 0", calc.explain(-1, 1));
        }
    }

    @Test
    void theCCalculatorCallsAJavaAdder() {
        calculatorWithAJavaAdder("calculator-c.component.wasm", false);
    }

    @Test
    void thePythonCalculatorCallsAJavaAdder() {
        calculatorWithAJavaAdder("python-calculator.component.wasm", true);
    }

    @Test
    void aBoundAdderComponentIsInterchangeableWithTheJavaOne() {
        try (Component c = Component.fromFile(engine, Guests.path("adder-c.component.wasm"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Adder fromC = linker.instantiate(store, c).bind(Adder.class);
            JavaAdder java = new JavaAdder();
            for (int[] ab : new int[][] {{1, 2}, {-1, 1}, {123456789, 987654321}, {0, 0}}) {
                assertEquals(java.add(ab[0], ab[1]), fromC.add(ab[0], ab[1]));
                assertEquals(java.describe(ab[0], ab[1]), fromC.describe(ab[0], ab[1]));
            }
        }
    }

    @WitInterface("docs:kv/store@1.0.0")
    public interface Store2 {
        @WitName("[constructor]bucket")
        Bucket open(String name);

        /** The bucket resource, implemented by Java objects. */
        interface Bucket extends AutoCloseable {
            Optional<String> get(String key);

            void set(String key, String value);

            @Override
            void close();
        }
    }

    @WitInterface("docs:kv/app@1.0.0")
    public interface App {
        Optional<String> remember(String key, String value);

        Optional<String> recall(String bucket, String key);
    }

    @Test
    void theCKvAppKeepsItsDataInJavaBuckets() {
        Map<String, Map<String, String>> data = new ConcurrentHashMap<>();
        List<String> closed = new ArrayList<>();
        Store2 host = name -> new Store2.Bucket() {
            private final Map<String, String> map = data.computeIfAbsent(name, n -> new HashMap<>());

            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(map.get(key));
            }

            @Override
            public void set(String key, String value) {
                map.put(key, value);
            }

            @Override
            public void close() {
                closed.add(name);
            }
        };
        try (Component c = Component.fromFile(engine, Guests.path("kv-app.component.wasm"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            linker.implement(Store2.class, host);
            App app = linker.instantiate(store, c).bind(App.class);
            assertEquals(Optional.of("v1"), app.remember("k", "v1"));
            assertEquals(Map.of("k", "v1"), data.get("app"));
            assertEquals(List.of("app"), closed, "the guest dropped the bucket, which closed the Java object");
            assertEquals(Optional.of("v1"), app.recall("app", "k"));
            assertEquals(Optional.empty(), app.recall("other", "k"));
            assertEquals(0, store.liveHostResources());
        }
    }
}
