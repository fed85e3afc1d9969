package io.github.wasmtimejvm.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wasi.WasiConfig;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitPackage;
import io.github.wasmtimejvm.wit.WorldCheck;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario of issue 10, end to end: a calculator importing {@code
 * docs:calc/adder@0.1.0} and adders exporting it, built by real toolchains (C with wit-bindgen,
 * componentize-py, hand-written WAT, and a plain core module made a component with embed + new),
 * plugged together statically and run, linked at run time as two instances in one store, and
 * compared with the calculator given a Java adder.
 * Every way gives the same answers.
 */
class SeedScenarioTest {

    static final String ADDER = "docs:calc/adder@0.1.0";
    static final String CALC = "docs:calc/calc@0.1.0";

    static Engine engine;
    static WitPackage calcWit;
    static Map<String, byte[]> adders = new LinkedHashMap<>();
    static Map<String, byte[]> calculators = new LinkedHashMap<>();
    /** Each component compiled once (componentize-py guests take seconds to compile). */
    static Map<byte[], Component> compiled = new java.util.IdentityHashMap<>();

    static Component compiled(byte[] bytes) {
        return compiled.computeIfAbsent(bytes, b -> Component.fromBytes(engine, b));
    }

    /**
     * The pairs tried: every calculator with the C adder and the C calculator with every adder
     * (each implementation meets one of every other kind; the full matrix would compile a
     * componentize-py guest a dozen times).
     */
    static List<String[]> pairs() {
        List<String[]> out = new ArrayList<>();
        for (String calc : calculators.keySet()) {
            out.add(new String[] {calc, "c"});
        }
        for (String adder : adders.keySet()) {
            if (!adder.equals("c")) {
                out.add(new String[] {"c", adder});
            }
        }
        out.add(new String[] {"python", "python"});
        return out;
    }

    @BeforeAll
    static void build() throws Exception {
        engine = new Engine();
        calcWit = WitPackage.parse(Guests.wit("calc"));
        adders.put("c", read(Guests.path(Guests.ADDER_C)));
        adders.put("python", read(Guests.path(Guests.PYTHON_ADDER)));
        adders.put("wat", read(Fixtures.component("calc-adder")));
        adders.put("embed+new", ComponentEncoder.fromModule(read(Guests.path(Guests.ADDER_CORE_MODULE)))
                .world(calcWit, "adder-world").encode());
        calculators.put("c", read(Guests.path(Guests.CALCULATOR_C)));
        calculators.put("python", read(Guests.path(Guests.PYTHON_CALCULATOR)));
        calculators.put("wat", read(Fixtures.component("calc-calculator")));
    }

    @AfterAll
    static void close() {
        compiled.values().forEach(Component::close);
        engine.close();
    }

    static byte[] read(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    /** The calculator's answers to a fixed set of questions. */
    static List<Object> answers(Instance calc) {
        List<Object> out = new ArrayList<>();
        out.add(calc.func(CALC, "add-three").call(1, 2, 3));
        out.add(calc.func(CALC, "add-three").call(4294967295L, 1, 5));
        out.add(calc.func(CALC, "sum").call(List.of()));
        out.add(calc.func(CALC, "sum").call(List.of(1, 2, 3, 4)));
        out.add(calc.func(CALC, "explain").call(1, 2));
        out.add(calc.func(CALC, "explain").call(40, 2));
        return out;
    }

    static final List<Object> EXPECTED = List.of(6L, 5L, 0L, 10L, "1 + 2 = 3", "40 + 2 = 42");

    /** Runs a component exporting calc (WASI given, for the Python guests). */
    static List<Object> run(Component component) {
        try (Store store = Store.builder(engine).wasi(WasiConfig.builder().build()).build();
                Linker linker = new Linker(engine)) {
            return answers(linker.addWasi().instantiate(store, component));
        }
    }

    @Test
    void theCalculatorWithAJavaAdderGivesTheExpectedAnswers() {
        FuncType add = FuncType.builder().param("a", Primitive.U32).param("b", Primitive.U32)
                .result(Primitive.U32).build();
        FuncType describe = FuncType.builder().param("a", Primitive.U32).param("b", Primitive.U32)
                .result(Primitive.STRING).build();
        for (Map.Entry<String, byte[]> calc : calculators.entrySet()) {
            Component socket = compiled(calc.getValue());
            try (Store store = Store.builder(engine).wasi(WasiConfig.builder().build()).build();
                    Linker linker = new Linker(engine)) {
                linker.addWasi();
                linker.instance(ADDER)
                        .func("add", add, a -> ((Long) a[0] + (Long) a[1]) & 0xffffffffL)
                        .func("describe", describe,
                                a -> a[0] + " + " + a[1] + " = " + (((Long) a[0] + (Long) a[1]) & 0xffffffffL));
                assertEquals(EXPECTED, answers(linker.instantiate(store, socket)), calc.getKey() + " calculator");
            }
        }
    }

    @Test
    void calculatorsPluggedWithAddersAnswerTheSame() {
        for (String[] pair : pairs()) {
            String which = pair[0] + " calculator + " + pair[1] + " adder";
            try (Component composed = Composition.plug(engine, calculators.get(pair[0]), adders.get(pair[1]))) {
                assertTrue(composed.type().importNamed(ADDER).isEmpty(), which + ": the adder import is filled");
                assertEquals(EXPECTED, run(composed), which);
            }
        }
    }

    @Test
    void calculatorsLinkedAtRunTimeToAddersAnswerTheSame() {
        for (String[] pair : pairs()) {
            String which = pair[0] + " calculator linked to " + pair[1] + " adder";
            try (Store store = Store.builder(engine).wasi(WasiConfig.builder().build()).build();
                    Linker adderLinker = new Linker(engine);
                    Linker calcLinker = new Linker(engine)) {
                // Two instances in one store: the calculator's import is the adder's export,
                // through the host, without composing them into one binary.
                Instance adder = adderLinker.addWasi().instantiate(store, compiled(adders.get(pair[1])));
                calcLinker.addWasi().defineInstance(ADDER, adder, ADDER);
                assertEquals(EXPECTED, answers(calcLinker.instantiate(store, compiled(calculators.get(pair[0])))),
                        which);
            }
        }
    }

    @Test
    void theComposedComponentsWitIsTheCalculatorWorldWithoutItsImport() {
        byte[] composed = Composition.plug(calculators.get("c"), adders.get("embed+new"));
        try (Component c = Component.fromBytes(engine, composed)) {
            String wit = c.wit();
            assertTrue(wit.contains("world root {\n  export docs:calc/calc@0.1.0;\n}"), wit);
            assertFalse(wit.contains("import docs:calc/adder"), wit);
            assertTrue(wit.contains("explain: func(a: u32, b: u32) -> string;"), wit);
            // It fits the adder-free world of a calculator; the socket alone does too, with its
            // import, and the adder-world check names what the composition lacks.
            WitPackage standalone = WitPackage.fromText("""
                    package docs:calc@0.1.0;
                    interface calc {
                      add-three: func(a: u32, b: u32, c: u32) -> u32;
                      sum: func(xs: list<u32>) -> u32;
                      explain: func(a: u32, b: u32) -> string;
                    }
                    world standalone-calculator { export calc; }
                    """);
            assertTrue(c.check(standalone).matches(), c.check(standalone).toString());
            assertTrue(c.check(calcWit, "calculator").matches(), c.check(calcWit, "calculator").toString());
            WorldCheck asAdder = c.check(calcWit, "adder-world");
            assertEquals(List.of(new WorldCheck.Mismatch(WorldCheck.Kind.MISSING_EXPORT, ADDER,
                    asAdder.mismatches().get(0).expected(), null)), asAdder.mismatches(), asAdder.toString());
        }
    }
}
