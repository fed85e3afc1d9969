package io.github.wasmtimejvm.conformance;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.WasmtimeException;
import io.github.wasmtimejvm.module.Extern;
import io.github.wasmtimejvm.module.Func;
import io.github.wasmtimejvm.module.Global;
import io.github.wasmtimejvm.module.Instance;
import io.github.wasmtimejvm.module.Linker;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.module.ValType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The core-WebAssembly half of a script, run through the public core API ({@code
 * io.github.wasmtimejvm.module}) with the semantics of wasmtime's own wast runner: ONE {@link
 * Store} and ONE {@link Linker} (shadowing allowed) per script, with the {@link SpecHost
 * spectest} module; a named module {@code (module $m ...)} is defined in the linker as {@code m}
 * (for later imports and {@code invoke $m}); {@code register "as" $m} defines the instance's
 * exports under {@code as}; invocations go to the named or the most recent instance.
 *
 * <p>Every method returns null when the directive passed, or why it failed.
 */
final class CoreScript implements AutoCloseable {

    /**
     * A host value {@code ref.extern N} / {@code ref.host N}; one object per N, so that what the
     * guest returns can be compared (the API gives back the same object).
     */
    record HostRef(long n) {}

    private final Path dir;
    private final Engine engine;
    /** wasmtime's runner ignores error messages of assert_invalid/malformed/unlinkable for spec tests. */
    private final boolean ignoreErrorMessages;
    private final Store store;
    private final Linker linker;
    private final List<Module> modules = new ArrayList<>();
    private final Map<String, Instance> named = new HashMap<>();
    private final Map<String, Module> definitions = new HashMap<>();
    private final Map<Long, HostRef> hostRefs = new HashMap<>();
    private Instance current;
    private String noCurrent = "no module has been instantiated yet";
    /** What the last passing assertion saw, for verbose reports. */
    String observed;

    CoreScript(Path dir, Engine engine, boolean ignoreErrorMessages) {
        this.dir = dir;
        this.engine = engine;
        this.ignoreErrorMessages = ignoreErrorMessages;
        this.store = new Store(engine);
        this.linker = new Linker(engine);
        linker.allowShadowing(true);
        modules.add(SpecHost.define(engine, store, linker));
    }

    /** The instance invocations without a name go to, or null. */
    Instance current() {
        return current;
    }

    /** Forgets the current instance (a component became current). */
    void clearCurrent(String reason) {
        current = null;
        noCurrent = reason;
    }

    Module compile(Map<String, Object> m) throws IOException {
        Path file = dir.resolve((String) m.get("file"));
        // Text as bytes too, as wasmtime's runner hands them to Module::new: text that is not
        // UTF-8 is then rejected by wasmtime rather than by Java's decoder.
        Module module = Module.fromBytes(engine, Files.readAllBytes(file));
        modules.add(module);
        return module;
    }

    /** {@code (module $name ...)}: compile, instantiate, make current, define under its name. */
    String module(int line, Map<String, Object> m, String name) throws IOException {
        Module module;
        try {
            module = compile(m);
        } catch (CompileException e) {
            clearCurrent("the module at line " + line + " failed to compile");
            return "compile failed: " + ScriptRunner.describe(e);
        }
        return instantiateAsCurrent(line, module, name);
    }

    String definition(Map<String, Object> m, String name) throws IOException {
        try {
            definitions.put(key(name), compile(m));
            return null;
        } catch (CompileException e) {
            definitions.remove(key(name));
            return "compile failed: " + ScriptRunner.describe(e);
        }
    }

    String instance(int line, String definition, String name) {
        Module module = definitions.get(key(definition));
        if (module == null) {
            clearCurrent("the instance at line " + line + " has no definition");
            return "no module definition named " + definition + " (or it failed to compile)";
        }
        return instantiateAsCurrent(line, module, name);
    }

    private String instantiateAsCurrent(int line, Module module, String name) {
        Instance instance;
        try {
            instance = linker.instantiate(store, module);
        } catch (RuntimeException e) {
            clearCurrent("the module at line " + line + " failed to instantiate");
            return "instantiation failed: " + ScriptRunner.describe(e);
        }
        current = instance;
        if (name != null) {
            linker.defineInstance(store, name, instance);
            named.put(name, instance);
        }
        return null;
    }

    /** {@code (register "as" $name?)}: the named or current instance's exports under {@code as}. */
    String register(String as, String name) {
        Instance instance = name != null ? named.get(name) : current;
        if (instance == null) {
            return name != null ? "no instance named " + name : "no instance to register: " + noCurrent;
        }
        linker.defineInstance(store, as, instance);
        named.put(as, instance);
        return null;
    }

    String assertInvalid(Map<String, Object> m, String text) throws IOException {
        try {
            compile(m);
            return "compiled without error; expected a CompileException with \"" + text + "\"";
        } catch (CompileException e) {
            return errorMismatch(text, e);
        }
    }

    String assertUnlinkable(Map<String, Object> m, String text) throws IOException {
        Module module;
        try {
            module = compile(m);
        } catch (CompileException e) {
            return "expected it to compile and then fail to link, but it failed to compile: " + ScriptRunner.describe(e);
        }
        try {
            Instance instance = linker.instantiate(store, module);
            current = instance;
            return "instantiated without error; expected a link error with \"" + text + "\"";
        } catch (WasmtimeException e) {
            return errorMismatch(text, e);
        }
    }

    private String errorMismatch(String text, Throwable e) {
        observed = ScriptRunner.describe(e);
        return ignoreErrorMessages ? null : ScriptRunner.messageMismatch0(text, e);
    }

    /** The outcome of an action: its results, or what it threw. */
    record Outcome(Object[] results, List<ValType> types, RuntimeException thrown) {}

    /**
     * Performs an action: {@code invoke} (of the named or current instance), {@code get} (of a
     * global) or {@code instantiate} (a module, in the script's store); null with {@code
     * failure[0]} set when it could not even be attempted.
     */
    Outcome perform(Map<String, Object> a, String[] failure) throws IOException {
        String kind = (String) a.get("type");
        switch (kind) {
            case "instantiate": {
                Module module;
                try {
                    module = compile(Values.obj(a.get("module")));
                } catch (CompileException e) {
                    failure[0] = "compile failed: " + ScriptRunner.describe(e);
                    return null;
                }
                try {
                    linker.instantiate(store, module);
                    return new Outcome(new Object[0], List.of(), null);
                } catch (WasmtimeException e) {
                    return new Outcome(null, null, e);
                }
            }
            case "invoke":
            case "get": {
                String instanceName = (String) a.get("instance");
                Instance instance = instanceName != null ? named.get(instanceName) : current;
                if (instance == null) {
                    failure[0] = instanceName != null ? "no instance named " + instanceName
                            : "no instance for `" + a.get("field") + "`: " + noCurrent;
                    return null;
                }
                String field = (String) a.get("field");
                Extern export;
                try {
                    export = instance.export(field);
                } catch (RuntimeException e) {
                    failure[0] = "cannot find `" + field + "`: " + ScriptRunner.describe(e);
                    return null;
                }
                if ("get".equals(kind)) {
                    if (!(export instanceof Global g)) {
                        failure[0] = "`" + field + "` is not a global: " + export.type();
                        return null;
                    }
                    return new Outcome(new Object[] {g.get()}, List.of(g.type().content()), null);
                }
                if (!(export instanceof Func f)) {
                    failure[0] = "`" + field + "` is not a function: " + export.type();
                    return null;
                }
                List<Object> args = new ArrayList<>();
                for (Object arg : Values.arr(a.get("args"))) {
                    args.add(CoreValues.toJava(arg, hostRefs));
                }
                try {
                    return new Outcome(f.call(args.toArray()), f.type().results(), null);
                } catch (WasmtimeException e) {
                    return new Outcome(null, null, e);
                } catch (IllegalArgumentException e) {
                    failure[0] = "the call was refused: " + ScriptRunner.describe(e);
                    return null;
                }
            }
            default:
                failure[0] = "unknown action `" + kind + "`";
                return null;
        }
    }

    /** {@code action}, {@code assert_return}: success (with exactly {@code expected}, if given). */
    String expectReturn(Map<String, Object> a, List<Object> expected) throws IOException {
        String[] failure = new String[1];
        Outcome o = perform(a, failure);
        if (o == null) {
            return failure[0];
        }
        if (o.thrown() != null) {
            return (o.thrown() instanceof TrapException ? "trapped: " : "failed: ") + ScriptRunner.describe(o.thrown());
        }
        if (expected == null) {
            return null;
        }
        if (expected.size() != o.results().length) {
            return "expected " + expected.size() + " results, got " + o.results().length + ": "
                    + CoreValues.show((Object) o.results());
        }
        for (int i = 0; i < expected.size(); i++) {
            String m = CoreValues.mismatch(expected.get(i), o.results()[i], o.types().get(i));
            if (m != null) {
                return "result " + i + ": " + m;
            }
        }
        return null;
    }

    /**
     * {@code assert_trap} (an invocation or an instantiation), {@code assert_exhaustion}: a
     * {@link TrapException} whose message contains {@code text}, as wasmtime's runner matches it
     * (with its allowances for messages worded differently); exhaustion must be a stack overflow.
     */
    String expectTrap(Map<String, Object> a, String text, boolean exhaustion) throws IOException {
        String[] failure = new String[1];
        Outcome o = perform(a, failure);
        if (o == null) {
            return failure[0];
        }
        if (o.thrown() == null) {
            return "returned " + CoreValues.show((Object) o.results()) + "; expected a trap with \"" + text + "\"";
        }
        RuntimeException e = o.thrown();
        observed = ScriptRunner.describe(e);
        if (exhaustion && !(e instanceof TrapException t && t.code() == TrapCode.STACK_OVERFLOW)) {
            return "expected a stack overflow (TrapCode.STACK_OVERFLOW), got " + ScriptRunner.describe(e);
        }
        if (!"instantiate".equals(a.get("type")) && !(e instanceof TrapException)) {
            return "expected a TrapException with \"" + text + "\", got " + ScriptRunner.describe(e);
        }
        return trapMatches(text, e) ? null
                : "expected a trap with \"" + text + "\", got " + ScriptRunner.describe(e);
    }

    /** wasmtime's runner's {@code assert_trap} check, over the messages of {@code e} and its causes. */
    static boolean trapMatches(String expected, Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        String actual = all.toString();
        return actual.contains(expected)
                || (expected.contains("uninitialized element 2") && actual.contains("uninitialized element"))
                || (expected.contains("null function")
                        && (actual.contains("uninitialized element") || actual.contains("null reference")))
                || (expected.contains("null") && expected.contains("reference") && actual.contains("null reference"))
                || (expected.contains("cannot write") && actual.contains("cannot write"))
                || (expected.contains("cannot read") && actual.contains("cannot read"));
    }

    /** {@code assert_exception}: the call ends with a wasm exception thrown out to the host. */
    String expectException(Map<String, Object> a) throws IOException {
        String[] failure = new String[1];
        Outcome o = perform(a, failure);
        if (o == null) {
            return failure[0];
        }
        if (o.thrown() == null) {
            return "returned " + CoreValues.show((Object) o.results()) + "; expected an uncaught wasm exception";
        }
        observed = ScriptRunner.describe(o.thrown());
        return isThrownException(o.thrown()) ? null
                : "expected an uncaught wasm exception, got " + ScriptRunner.describe(o.thrown());
    }

    /** Whether {@code e} reports a wasm exception that no handler caught (wasmtime's ThrownException). */
    static boolean isThrownException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("thrown Wasm exception") || m.contains("ThrownException")
                    || m.contains("uncaught exception") || m.contains("thrown exception")) {
                return true;
            }
        }
        return false;
    }

    private static String key(String name) {
        return name == null ? "" : name;
    }

    static String show(Object[] values) {
        return Arrays.deepToString(values);
    }

    @Override
    public void close() {
        store.close();
        linker.close();
        for (Module m : modules) {
            m.close();
        }
    }
}
