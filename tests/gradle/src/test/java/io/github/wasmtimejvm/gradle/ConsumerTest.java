package io.github.wasmtimejvm.gradle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.HandleRegistry;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.Val;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/** Uses the published artifact exactly as a Gradle user would: from the dependency jar alone. */
public class ConsumerTest {

    private static Path fixture(String name) {
        return Paths.get(System.getProperty("wasmtime.jvm.corpus"), "components", name + ".wat");
    }

    @Test
    public void theNativeLibraryComesFromTheJar() {
        assertNull("nothing points the loader elsewhere", System.getProperty("wasmtime.jvm.library.path"));
        try (Engine engine = new Engine()) {
            assertTrue(engine.config().parallelCompilation());
        }
    }

    @Test
    public void callsAComponent() {
        try (Engine engine = new Engine();
                Component add = Component.fromFile(engine, fixture("add"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Func f = linker.instantiate(store, add).func("add");
            assertEquals(3L, f.call(1, 2));
            assertEquals(Arrays.asList(Val.u32(42)), f.callValues(Val.u32(40), Val.u32(2)));
            assertEquals(7L, f.scalar().call(3, 4));
        }
    }

    @Test
    public void stringsRecordsAndInterfaces() {
        try (Engine engine = new Engine();
                Component echo = Component.fromFile(engine, fixture("echo"));
                Component nested = Component.fromFile(engine, fixture("nested"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Instance e = linker.instantiate(store, echo);
            assertEquals("héllo 🌍", e.func("echo-string").call("héllo 🌍"));
            Object person = e.func("echo-person").call(new java.util.LinkedHashMap<String, Object>() {
                {
                    put("first-name", "Ada");
                    put("age", 36);
                    put("tags", Arrays.asList("math"));
                }
            });
            assertEquals("{first-name=Ada, age=36, tags=[math]}", person.toString());
            Instance n = linker.instantiate(store, nested);
            assertEquals(-42, n.func("docs:calc/ops@1.0.0", "mul").call(-6, 7));
        }
    }

    @Test
    public void hostFunctionsAndTraps() {
        List<String> logged = new ArrayList<>();
        try (Engine engine = new Engine();
                Component c = Component.fromFile(engine, fixture("unsatisfied-import"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            linker.instance("docs:log/logger@1.0.0").func("log", FuncType.of("msg", WitType.Primitive.STRING),
                    args -> {
                        logged.add((String) args[0]);
                        return null;
                    });
            linker.root().func("get-value", FuncType.builder().result(WitType.Primitive.U32).build(),
                    args -> 9L);
            assertEquals(9L, linker.instantiate(store, c).func("run").call());
            assertEquals(Arrays.asList("run called"), logged);
        }
        try (Engine engine = new Engine();
                Component traps = Component.fromFile(engine, fixture("traps"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            try {
                linker.instantiate(store, traps).func("unreachable").call();
                fail("expected a trap");
            } catch (TrapException expected) {
                assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, expected.code());
            }
        }
        System.gc();
        assertEquals(0, HandleRegistry.liveCount("Store"));
    }
}
