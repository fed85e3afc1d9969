package io.github.wasmtimejvm.conformance;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.Val;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the directives of one converted script through the public API, in order, with the
 * semantics of wasmtime's own wast runner: one engine and linker per script, a new {@link Store}
 * for every component instantiation, invocations against the most recent instance. Directives
 * about core modules (the spec suite) go to {@link CoreScript}: one store and core linker for
 * all of the script's modules.
 *
 * <p>Every directive ends as passed or failed with the reason; nothing the runner cannot do is a
 * pass. A failed component directive leaves no current instance, so the invocations after it
 * fail too (naming the line they depend on).
 */
final class ScriptRunner implements AutoCloseable {

    /** The result of one directive. */
    record Outcome(int line, String type, boolean passed, String detail) {}

    /** The wasm features the {@link Engine.Config} can set; any other `;;!` feature is reported. */
    static final Set<String> SETTABLE = Set.of("component_model_async", "component_model_map",
            "component_model_fixed_length_lists", "component_model_error_context", "component_model_implements",
            "component_model_memory64", "component_model_gc", "component_model_more_async_builtins",
            "component_model_async_stackful", "component_model_threading");

    /**
     * Features on in wasmtime 48 by default (its WASM3 set), so a script asking for them runs as
     * wasmtime's runner would run it.
     */
    static final Set<String> DEFAULT_ON = Set.of("multi_memory", "bulk_memory", "reference_types",
            "function_references", "exceptions", "memory64", "gc", "gc_types");

    /** `;;!` keys that are hints to wasmtime's runner, not features. */
    static final Set<String> HINTS = Set.of("hogs_memory");

    private final Path dir;
    private final boolean specTest;
    private final Engine engine;
    /** The core modules of the script, in one store (made on first use). */
    private CoreScript core;
    private final Linker linker;
    private final List<String> unsettable = new ArrayList<>();
    private final Map<String, Component> definitions = new HashMap<>();
    private final Map<String, Integer> failedDefinitions = new HashMap<>();
    /** Every component compiled, with the index of the directive that compiled it. */
    private final List<Compiled> components = new ArrayList<>();
    private final SuiteHost host = new SuiteHost();
    private int index;
    /** What the last passing assertion saw (the exception it matched), for verbose reports. */
    private String observed;

    private record Compiled(int index, Component component) {}

    private Store currentStore;
    private Instance current;
    /** Why there is no current instance, when there is none. */
    private String noCurrent = "no component has been instantiated yet";

    ScriptRunner(Path dir, Map<String, Object> features) {
        this(dir, features, false, false);
    }

    /**
     * @param specTest a script of the core spec suite: like wasmtime's runner, ignore the error
     *     messages of {@code assert_invalid}, {@code assert_malformed} and {@code
     *     assert_unlinkable} (wasmtime's wording differs from the reference interpreter's)
     * @param relaxedSimdDeterministic run on an engine with the deterministic relaxed-SIMD
     *     semantics (wasmtime's runner runs the relaxed-SIMD scripts on both)
     */
    ScriptRunner(Path dir, Map<String, Object> features, boolean specTest, boolean relaxedSimdDeterministic) {
        this.dir = dir;
        this.specTest = specTest;
        Engine.Config.Builder config = Engine.Config.builder()
                // wasmtime 48 counts error-context among the async features, which need it.
                .concurrencySupport(concurrent(features))
                .componentModelMoreAsyncBuiltins(on(features, "component_model_more_async_builtins"))
                .componentModelAsyncStackful(on(features, "component_model_async_stackful"))
                .componentModelThreading(on(features, "component_model_threading"))
                .componentModelMap(on(features, "component_model_map"))
                .componentModelFixedLengthLists(on(features, "component_model_fixed_length_lists"))
                .componentModelErrorContext(on(features, "component_model_error_context"))
                .componentModelImplements(on(features, "component_model_implements"))
                .componentModelMemory64(on(features, "component_model_memory64"))
                .componentModelGc(on(features, "component_model_gc"))
                .relaxedSimdDeterministic(relaxedSimdDeterministic);
        for (Map.Entry<String, Object> f : features.entrySet()) {
            String name = f.getKey();
            boolean wanted = Boolean.TRUE.equals(f.getValue());
            if (!SETTABLE.contains(name) && !HINTS.contains(name) && !(wanted && DEFAULT_ON.contains(name))
                    && !(!wanted && name.startsWith("component_model_"))) {
                unsettable.add(name + " = " + f.getValue());
            }
        }
        this.engine = new Engine(config.build());
        this.linker = new Linker(engine);
        linker.allowShadowing(true);
        host.define(linker);
    }

    /** Whether the script needs wasmtime's concurrency support (every async feature does). */
    private static boolean concurrent(Map<String, Object> features) {
        return on(features, "component_model_async") || on(features, "component_model_error_context")
                || on(features, "component_model_more_async_builtins") || on(features, "component_model_async_stackful")
                || on(features, "component_model_threading");
    }

    private static boolean on(Map<String, Object> features, String name) {
        return Boolean.TRUE.equals(features.get(name));
    }

    /** `;;!` features this script asks for that the Java engine configuration cannot express. */
    List<String> unsettableFeatures() {
        return unsettable;
    }

    List<Outcome> run(List<Object> directives) {
        List<Outcome> out = new ArrayList<>();
        for (index = 0; index < directives.size(); index++) {
            Map<String, Object> d = Values.obj(directives.get(index));
            int line = ((Number) d.get("line")).intValue();
            String type = (String) d.get("type");
            String failure;
            observed = null;
            if (core != null) {
                core.observed = null;
            }
            try {
                failure = directive(line, type, d);
                if (observed == null && core != null) {
                    observed = core.observed;
                }
            } catch (Values.BadValue e) {
                failure = "cannot build the value: " + e.getMessage();
            } catch (RuntimeException | IOException | LinkageError e) {
                failure = "runner error: " + describe(e);
            }
            out.add(new Outcome(line, type, failure == null,
                    failure == null ? (observed == null ? "" : "saw " + observed) : failure));
        }
        return out;
    }

    /** Runs one directive; null when it passed, otherwise why it failed. */
    private String directive(int line, String type, Map<String, Object> d) throws IOException {
        String coreFailure = coreDirective(line, type, d);
        if (coreFailure != null) {
            return coreFailure.isEmpty() ? null : coreFailure;
        }
        switch (type) {
            case "unsupported":
                return "not converted: " + d.get("reason");
            case "module": {
                Map<String, Object> m = Values.obj(d.get("module"));
                Component c;
                try {
                    c = compile(m);
                } catch (CompileException e) {
                    dropCurrent("the component at line " + line + " failed to compile");
                    return "compile failed: " + describe(e);
                }
                return instantiateAsCurrent(line, c, (String) d.get("name"));
            }
            case "module_definition": {
                String name = key((String) d.get("name"));
                try {
                    definitions.put(name, compile(Values.obj(d.get("module"))));
                    failedDefinitions.remove(name);
                    return null;
                } catch (CompileException e) {
                    failedDefinitions.put(name, line);
                    return "compile failed: " + describe(e);
                }
            }
            case "module_instance": {
                String def = key((String) d.get("definition"));
                Component c = definitions.get(def);
                if (c == null) {
                    dropCurrent("the instance at line " + line + " has no definition");
                    Integer at = failedDefinitions.get(def);
                    return at != null ? "its definition (line " + at + ") failed"
                            : "no component definition named " + d.get("definition");
                }
                return instantiateAsCurrent(line, c, (String) d.get("instance"));
            }
            case "register":
                return "`register` of a component instance: the Java Linker cannot define another"
                        + " instance's exports (wasmtime's own runner refuses it for components too)";
            case "action":
                return action(Values.obj(d.get("action")), Expect.SUCCESS, null, null);
            case "assert_return":
                return action(Values.obj(d.get("action")), Expect.SUCCESS, Values.arr(d.get("expected")), null);
            case "assert_trap":
            case "assert_exhaustion":
                return action(Values.obj(d.get("action")), Expect.TRAP, null, (String) d.get("text"));
            case "assert_invalid":
            case "assert_malformed": {
                String text = (String) d.get("text");
                try {
                    compile(Values.obj(d.get("module")));
                    return "compiled without error; expected a CompileException with \"" + text + "\"";
                } catch (CompileException e) {
                    return messageMismatch(text, e);
                }
            }
            case "assert_unlinkable": {
                String text = (String) d.get("text");
                Component c;
                try {
                    c = compile(Values.obj(d.get("module")));
                } catch (CompileException e) {
                    return "expected it to compile and then fail to link, but it failed to compile: " + describe(e);
                }
                try (Store store = new Store(engine)) {
                    linker.instantiate(store, c);
                    return "instantiated without error; expected a LinkException with \"" + text + "\"";
                } catch (LinkException e) {
                    return messageMismatch(text, e);
                } catch (RuntimeException e) {
                    return "expected a LinkException with \"" + text + "\", got " + describe(e);
                }
            }
            default:
                return "unknown directive type `" + type + "`";
        }
    }

    private CoreScript core() {
        if (core == null) {
            core = new CoreScript(dir, engine, specTest);
        }
        return core;
    }

    private static boolean isCoreModule(Object module) {
        return module != null && "module".equals(Values.obj(module).get("kind"));
    }

    /** Whether an action runs against core wasm: a `get`, a core module, a named or core instance. */
    private boolean isCoreAction(Map<String, Object> a) {
        switch (String.valueOf(a.get("type"))) {
            case "get":
                return true;
            case "instantiate":
                return isCoreModule(a.get("module"));
            case "invoke":
                return a.get("instance") != null || (current == null && core != null && core.current() != null);
            default:
                return false;
        }
    }

    /**
     * Runs a directive about core modules through {@link CoreScript}: "" when it passed, why it
     * failed, or null when it is not about core modules (a component directive).
     */
    private String coreDirective(int line, String type, Map<String, Object> d) throws IOException {
        String r;
        switch (type) {
            case "module":
            case "module_definition":
            case "assert_invalid":
            case "assert_malformed":
            case "assert_unlinkable": {
                Map<String, Object> m = Values.obj(d.get("module"));
                if (!isCoreModule(m)) {
                    return null;
                }
                if (type.equals("module")) {
                    dropCurrent("a core module (line " + line + ") is the current instance");
                    r = core().module(line, m, (String) d.get("name"));
                } else if (type.equals("module_definition")) {
                    coreDefinitions.add(key((String) d.get("name")));
                    r = core().definition(m, (String) d.get("name"));
                } else if (type.equals("assert_unlinkable")) {
                    r = core().assertUnlinkable(m, (String) d.get("text"));
                } else {
                    r = core().assertInvalid(m, (String) d.get("text"));
                }
                break;
            }
            case "module_instance":
                if (!coreDefinitions.contains(key((String) d.get("definition")))) {
                    return null;
                }
                dropCurrent("a core module (line " + line + ") is the current instance");
                r = core().instance(line, (String) d.get("definition"), (String) d.get("instance"));
                break;
            case "register":
                if (current != null) {
                    return null;
                }
                r = core().register((String) d.get("as"), (String) d.get("instance"));
                break;
            case "action":
            case "assert_return":
            case "assert_trap":
            case "assert_exhaustion":
            case "assert_exception": {
                Map<String, Object> a = Values.obj(d.get("action"));
                if (!isCoreAction(a)) {
                    if (type.equals("assert_exception")) {
                        return "assert_exception needs a core function or module: " + a;
                    }
                    return null;
                }
                if (type.equals("action")) {
                    r = core().expectReturn(a, null);
                } else if (type.equals("assert_return")) {
                    r = core().expectReturn(a, Values.arr(d.get("expected")));
                } else if (type.equals("assert_exception")) {
                    r = core().expectException(a);
                } else {
                    r = core().expectTrap(a, (String) d.get("text"), type.equals("assert_exhaustion"));
                }
                break;
            }
            default:
                return null;
        }
        return r == null ? "" : r;
    }

    private final java.util.Set<String> coreDefinitions = new java.util.HashSet<>();

    private enum Expect { SUCCESS, TRAP }

    /**
     * Performs an invocation (or an instantiation) and checks it: success with {@code expected}
     * results (if given), or a {@link TrapException} whose message contains {@code trapText}.
     */
    private String action(Map<String, Object> a, Expect expect, List<Object> expected, String trapText)
            throws IOException {
        String kind = (String) a.get("type");
        if ("instantiate".equals(kind)) {
            Component c;
            try {
                c = compile(Values.obj(a.get("module")));
            } catch (CompileException e) {
                return "compile failed: " + describe(e);
            }
            try (Store store = new Store(engine)) {
                linker.instantiate(store, c);
                if (expect == Expect.TRAP) {
                    return "instantiated without trapping; expected a trap with \"" + trapText + "\"";
                }
                return expected == null || expected.isEmpty() ? null
                        : "an instantiation has no results, but " + expected.size() + " were expected";
            } catch (TrapException e) {
                return expect == Expect.TRAP ? messageMismatch(trapText, e) : "trapped: " + describe(e);
            } catch (RuntimeException e) {
                return (expect == Expect.TRAP ? "expected a TrapException, got " : "failed: ") + describe(e);
            }
        }
        if (!"invoke".equals(kind)) {
            return "unknown action `" + kind + "`";
        }
        if (a.get("instance") != null) {
            return "invoke on the named instance " + a.get("instance")
                    + ": only core instances are named in wasmtime's runner, and this API runs components";
        }
        if (current == null) {
            return "no instance to invoke `" + a.get("field") + "` on: " + noCurrent;
        }
        String field = (String) a.get("field");
        List<Val> args = new ArrayList<>();
        for (Object arg : Values.arr(a.get("args"))) {
            args.add(Values.toVal(arg));
        }
        Func f;
        try {
            f = current.func(field);
        } catch (RuntimeException e) {
            return "cannot find `" + field + "`: " + describe(e);
        }
        List<Val> results;
        try {
            results = engine.config().concurrencySupport() ? awaitCall(f.callValuesAsync(args)) : f.callValues(args);
        } catch (TrapException e) {
            return expect == Expect.TRAP ? messageMismatch(trapText, e) : "trapped: " + describe(e);
        } catch (RuntimeException e) {
            return (expect == Expect.TRAP ? "expected a TrapException, got " : "call failed: ") + describe(e);
        }
        if (expect == Expect.TRAP) {
            return "returned " + results + "; expected a trap with \"" + trapText + "\"";
        }
        if (expected == null) {
            return null;
        }
        if (expected.size() != results.size()) {
            return "expected " + expected.size() + " results, got " + results.size() + ": " + results;
        }
        for (int i = 0; i < expected.size(); i++) {
            String m = Values.mismatch(expected.get(i), results.get(i));
            if (m != null) {
                return "result " + i + ": " + m;
            }
        }
        return null;
    }

    /** How long an asynchronous invocation may take before the runner gives up on it. */
    private static final long ASYNC_CALL_LIMIT_SECONDS = 30;

    /**
     * The results of an asynchronous call, as the synchronous call would give them: its
     * exception rethrown as it is. Scripts that ask for concurrency support invoke this way, as
     * an async-lifted export runs only in an asynchronous call (wasmtime's runner calls them with
     * {@code call_async} too).
     */
    private static List<Val> awaitCall(CompletableFuture<List<Val>> call) {
        try {
            return call.get(ASYNC_CALL_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the call failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            call.cancel(true);
            throw new IllegalStateException("the call did not end within " + ASYNC_CALL_LIMIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the call", e);
        }
    }

    /**
     * Instantiates {@code c} in a new store and makes it the current instance; a named instance
     * is registered (see {@link #register}).
     */
    private String instantiateAsCurrent(int line, Component c, String name) {
        Store store = new Store(engine);
        Instance instance;
        try {
            instance = linker.instantiate(store, c);
        } catch (RuntimeException e) {
            store.close();
            dropCurrent("the component at line " + line + " failed to instantiate");
            return "instantiation failed: " + describe(e);
        }
        dropCurrent(null);
        if (core != null) {
            core.clearCurrent("a component (line " + line + ") is the current instance");
        }
        currentStore = store;
        current = instance;
        if (name != null) {
            try {
                register(name, instance);
            } catch (RuntimeException e) {
                return "instantiated, but registering it as `" + name + "` failed: " + describe(e);
            }
        }
        return null;
    }

    /**
     * Registers a named instance the way wasmtime's runner does: defines {@code name} in the
     * linker as an instance holding the instance's exports, for later components to import
     * (shadowing allowed, so a later registration of the same name adds to it and replaces what
     * it redefines). wasmtime's runner reflects only the exported core modules and resource
     * types; {@link io.github.wasmtimejvm.component.LinkerInstance#defineInstance(Instance)} also
     * defines the functions and nested instances, but the functions serve only components
     * instantiated in the registered instance's store, and every instantiation here has its own
     * store: a later component importing one fails to link, as it does in wasmtime's runner
     * (where the function is not defined at all).
     */
    private void register(String name, Instance instance) {
        linker.instance(name).defineInstance(instance);
    }

    private void dropCurrent(String reason) {
        if (currentStore != null) {
            currentStore.close();
        }
        currentStore = null;
        current = null;
        noCurrent = reason;
    }

    private Component compile(Map<String, Object> m) throws IOException {
        String kind = (String) m.get("kind");
        Path file = dir.resolve((String) m.get("file"));
        Component c;
        if (!"component".equals(kind)) {
            // A top-level core module: the public API compiles components only. Handing the bytes
            // to Component.fromBytes lets wasmtime say so (a CompileException).
            c = Component.fromBytes(engine, Files.readAllBytes(file));
        } else if ("text".equals(m.get("format"))) {
            c = Component.fromWat(engine, Files.readString(file, StandardCharsets.UTF_8));
        } else {
            c = Component.fromBytes(engine, Files.readAllBytes(file));
        }
        components.add(new Compiled(index, c));
        return c;
    }

    private static String key(String name) {
        return name == null ? "" : name;
    }

    /**
     * Null when the exception's message contains {@code expected} (ignoring case and runs of
     * whitespace, the way wasmtime's runner accepts any error whose text contains the expected
     * words); otherwise the mismatch.
     */
    private String messageMismatch(String expected, Throwable e) {
        observed = describe(e);
        return messageMismatch0(expected, e);
    }

    static String messageMismatch0(String expected, Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(withoutBacktrace(String.valueOf(t.getMessage()))).append('\n');
        }
        if (normalize(all.toString()).contains(normalize(expected))) {
            return null;
        }
        return "expected a message with \"" + expected + "\", got " + describe(e);
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** A trap's message without its wasm backtrace (whose function names must not match). */
    private static String withoutBacktrace(String msg) {
        int bt = msg.indexOf("\nwasm backtrace:");
        return bt >= 0 ? msg.substring(0, bt) : msg;
    }

    static String describe(Throwable e) {
        String msg = withoutBacktrace(String.valueOf(e.getMessage()));
        String s = e.getClass().getSimpleName() + ": " + msg.replace('\n', ' ');
        if (e.getCause() != null && e.getCause() != e) {
            s += " (caused by " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")";
        }
        return s;
    }

    @Override
    public void close() {
        dropCurrent("closed");
        if (core != null) {
            core.close();
        }
        for (Compiled c : components) {
            c.component().close();
        }
        linker.close();
        host.close();
        engine.close();
    }
}
