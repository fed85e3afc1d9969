package io.github.wasmtimejvm.bindgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.Result;
import io.github.wasmtimejvm.component.WitErrorException;
import io.github.wasmtimejvm.wit.WitPackage;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated bindings used for real: generated from a component's WIT, compiled in-process,
 * loaded by a class loader of their own, and handed to {@code Instance.bind} and {@code
 * Linker.implement} to call the component (and serve its imports) through the generated types.
 */
class BindingsEndToEndTest {
    @TempDir Path tmp;

    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = new Engine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** Generates and compiles the bindings of {@code world}, and loads them. */
    private URLClassLoader load(WitPackage wit, String world, String pkg) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("classes-" + world + "-" + pkg));
        Javac.compile(JavaBindings.generate(wit, world, pkg).files(), out);
        return new URLClassLoader(new java.net.URL[] {out.toUri().toURL()}, getClass().getClassLoader());
    }

    private static Object call(Object target, String method, Object... args) throws Throwable {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no method " + method + "/" + args.length + " on " + target.getClass());
    }

    private static Object bind(Instance instance, Class<?> api) {
        return instance.bind(api);
    }

    @SuppressWarnings("unchecked")
    private static <T> void implement(Linker linker, Class<T> api, Object impl) {
        linker.implement(api, (T) impl);
    }

    private static Object record(Class<?> type, Object... components) throws ReflectiveOperationException {
        Class<?>[] types = new Class<?>[components.length];
        var rc = type.getRecordComponents();
        for (int i = 0; i < rc.length; i++) {
            types[i] = rc[i].getType();
        }
        return type.getDeclaredConstructor(types).newInstance(components);
    }

    @Test
    void theCalculatorThroughGeneratedInterfacesWithAJavaAdder() throws Throwable {
        try (URLClassLoader classes = load(WitPackage.parse(Guests.wit("calc")), "calculator", "gen.calc");
                Component calculator = Component.fromFile(engine, Fixtures.component("calc-calculator"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Class<?> adderApi = classes.loadClass("gen.calc.Adder");
            Class<?> calcApi = classes.loadClass("gen.calc.Calc");
            List<String> calls = new ArrayList<>();
            Object adder = Proxy.newProxyInstance(classes, new Class<?>[] {adderApi}, (p, m, a) -> {
                calls.add(m.getName());
                int x = (Integer) a[0];
                int y = (Integer) a[1];
                return switch (m.getName()) {
                    case "add" -> x + y;
                    case "describe" -> x + " + " + y + " = " + (x + y);
                    default -> throw new AssertionError(m);
                };
            });
            implement(linker, adderApi, adder);
            Object calc = bind(linker.instantiate(store, calculator), calcApi);
            assertEquals(6, call(calc, "addThree", 1, 2, 3));
            assertEquals(List.of("add", "add"), calls);
            assertEquals(10, call(calc, "sum", List.of(1, 2, 3, 4)));
            assertEquals("1 + 2 = 3", call(calc, "explain", 1, 2));
        }
    }

    @Test
    void everyValueKindThroughTheGeneratedRootInterface() throws Throwable {
        WitPackage wit = WitPackage.parse(Fixtures.corpus().resolve("../wit/fixtures/echo.wit"));
        try (URLClassLoader classes = load(wit, "root", "gen.echo");
                Component echo = Component.fromFile(engine, Fixtures.component("echo"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Class<?> root = classes.loadClass("gen.echo.Root");
            Object api = bind(linker.instantiate(store, echo), root);
            assertEquals(-7, call(api, "echoS32", -7));
            assertEquals((byte) 200, call(api, "echoU8", (byte) 200));
            assertEquals("héllo", call(api, "echoString", "héllo"));
            assertEquals(0x1F600, call(api, "echoChar", 0x1F600));
            assertEquals(List.of(List.of(1), List.of()), call(api, "echoListList", List.of(List.of(1), List.of())));

            Class<?> point = classes.loadClass("gen.echo.Root$Point");
            Object p = record(point, 3, -4);
            assertEquals(p, call(api, "echoRecord", p));
            Object person = record(classes.loadClass("gen.echo.Root$Person"), "Ada", (byte) 36, List.of("x"));
            assertEquals(person, call(api, "echoPerson", person));

            Object circle = record(classes.loadClass("gen.echo.Root$Shape$Circle"), 1.5);
            assertEquals(circle, call(api, "echoVariant", circle));
            Object rect = record(classes.loadClass("gen.echo.Root$Shape$Rect"), p);
            assertEquals(rect, call(api, "echoVariant", rect));
            Object none = record(classes.loadClass("gen.echo.Root$Shape$NoneShape"));
            assertEquals(none, call(api, "echoVariant", none));

            Object blue = classes.loadClass("gen.echo.Root$Color").getField("BLUE").get(null);
            assertEquals(blue, call(api, "echoEnum", blue));

            Object tuple = record(classes.loadClass("gen.echo.Tuple3"), 1, "two", 3.0);
            assertEquals(tuple, call(api, "echoTuple", tuple));
            assertEquals(Optional.of(Optional.empty()), call(api, "echoOptionOption", Optional.of(Optional.empty())));
            assertEquals(Map.of("a", 1), call(api, "echoMap", Map.of("a", 1)));

            // result<u32, string> returned: T, and err as WitErrorException carrying the error.
            assertEquals(5, call(api, "echoResult", Result.ok(5)));
            WitErrorException err = assertThrows(WitErrorException.class,
                    () -> call(api, "echoResult", Result.err("bad")));
            assertEquals("bad", err.error());

            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<Enum> perms = (Class<Enum>) classes.loadClass("gen.echo.Root$Perms");
            @SuppressWarnings("unchecked")
            Object readExec = EnumSet.of(Enum.valueOf(perms, "READ"), Enum.valueOf(perms, "EXEC"));
            assertEquals(readExec, call(api, "echoFlags", readExec));
        }
    }

    @Test
    void aGuestResourceThroughTheGeneratedResourceInterface() throws Throwable {
        WitPackage wit = WitPackage.parse(Fixtures.corpus().resolve("../wit/fixtures/resource.wit"));
        try (URLClassLoader classes = load(wit, "root", "gen.res");
                Component component = Component.fromFile(engine, Fixtures.component("resource"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Class<?> apiType = classes.loadClass("gen.res.docs.counter.Api");
            Object api = bind(linker.instantiate(store, component), apiType);
            Object c = call(api, "newCounter", 5);
            assertInstanceOf(classes.loadClass("gen.res.docs.counter.Api$Counter"), c);
            assertEquals(6, call(c, "increment"));
            assertEquals(6, call(c, "get"));
            Object zero = call(api, "counterZero");
            assertEquals(0, call(zero, "get"));
            assertEquals(6, call(api, "sum", c, zero));
            assertEquals(2, call(api, "liveCount"));
            call(zero, "close");
            assertEquals(6, call(api, "consume", c));
            assertTrue((Integer) call(api, "liveCount") <= 1);
        }
    }
}
