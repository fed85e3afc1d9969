package io.github.wasmtimejvm.gradle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.gradle.calc.Adder;
import io.github.wasmtimejvm.gradle.calc.Calc;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/**
 * The bindings the build generated with {@code wasmtime-jvm bindgen} (task {@code bindgen}):
 * compiled with the tests, they call the calculator component and serve its adder import.
 */
public class BindingsTest {

    @Test
    public void theGeneratedInterfacesCallTheCalculator() {
        List<String> calls = new ArrayList<>();
        Adder adder = new Adder() {
            @Override
            public int add(int a, int b) {
                calls.add("add " + a + " " + b);
                return a + b;
            }

            @Override
            public String describe(int a, int b) {
                return a + " + " + b + " = " + (a + b);
            }
        };
        try (Engine engine = new Engine();
                Component calculator = Component.fromFile(engine,
                        Paths.get(System.getProperty("wasmtime.jvm.corpus"), "components", "calc-calculator.wat"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            linker.implement(Adder.class, adder);
            Calc calc = linker.instantiate(store, calculator).bind(Calc.class);
            assertEquals(6, calc.addThree(1, 2, 3));
            assertEquals(Arrays.asList("add 1 2", "add 3 3"), calls);
            assertEquals(10, calc.sum(Arrays.asList(1, 2, 3, 4)));
            assertEquals("1 + 2 = 3", calc.explain(1, 2));
            assertTrue(Calc.class.isAnnotationPresent(io.github.wasmtimejvm.component.WitInterface.class));
        }
    }
}
