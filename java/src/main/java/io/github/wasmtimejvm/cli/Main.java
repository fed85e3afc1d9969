package io.github.wasmtimejvm.cli;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.Val;
import io.github.wasmtimejvm.internal.NativeLibrary;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code wasmtime-jvm} command line, mirroring {@code wasmtime}:
 *
 * <pre>
 * wasmtime-jvm --invoke 'add(1, 2)' add.wasm    calls an export, prints each result as WAVE
 * wasmtime-jvm wit add.wasm                      prints the component's imports and exports
 * </pre>
 *
 * <p>Any failure prints one line, {@code error: ...}, to standard error and exits non-zero
 * (2 for bad usage, 1 otherwise); never a stack trace.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "usage: wasmtime-jvm [run] --invoke '<name>(<args>)' <component>",
            "       wasmtime-jvm wit <component>",
            "       wasmtime-jvm --version",
            "",
            "  --invoke  call an export (a root function, or interface#function) with WAVE",
            "            arguments, printing each result as WAVE, like `wasmtime run --invoke`",
            "  wit       print the component's imports and exports",
            "  <component> is a component binary (.wasm) or WAT text (.wat)");

    /** Thrown for bad usage; exits with code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private Main() {}

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return dispatch(args, out);
        } catch (UsageException e) {
            // One line, like every failure; the usage is one --help away.
            err.println("error: " + e.getMessage() + "; run with --help for usage");
            return 2;
        } catch (RuntimeException | LinkageError e) {
            err.println("error: " + oneLine(e));
            return 1;
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        // The first line carries the cause; a trap's backtrace follows on later lines.
        String first = message.lines().findFirst().orElse(message);
        return first;
    }

    private static int dispatch(String[] args, PrintStream out) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h")) {
            if (rest.isEmpty()) {
                throw new UsageException("no command given");
            }
            out.println(USAGE);
            return 0;
        }
        if (rest.get(0).equals("--version") || rest.get(0).equals("-V")) {
            out.println("wasmtime-jvm " + NativeLibrary.version());
            return 0;
        }
        if (rest.get(0).equals("wit")) {
            if (rest.size() != 2) {
                throw new UsageException("`wit` takes exactly one component file");
            }
            return wit(path(rest.get(1)), out);
        }
        if (rest.get(0).equals("run")) {
            rest.remove(0);
        }
        String invoke = null;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--invoke")) {
                if (i + 1 >= rest.size()) {
                    throw new UsageException("--invoke needs a call such as 'add(1, 2)'");
                }
                invoke = rest.get(++i);
            } else if (a.startsWith("--invoke=")) {
                invoke = a.substring("--invoke=".length());
            } else if (a.startsWith("-") && positional.isEmpty()) {
                throw new UsageException("unknown option " + a);
            } else {
                positional.add(a);
            }
        }
        if (positional.isEmpty()) {
            throw new UsageException("no component file given");
        }
        if (invoke == null) {
            throw new UsageException("nothing to do: give --invoke '<name>(<args>)'");
        }
        if (positional.size() > 1) {
            throw new UsageException("--invoke takes no program arguments, got " + positional.subList(1, positional.size()));
        }
        return invoke(path(positional.get(0)), invoke, out);
    }

    private static Path path(String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("cannot read component " + file + ": no such file");
        }
        return p;
    }

    private static int wit(Path file, PrintStream out) {
        try (Engine engine = new Engine(); Component component = Component.fromFile(engine, file)) {
            out.print(component.type());
        }
        return 0;
    }

    private static int invoke(Path file, String invocation, PrintStream out) {
        String text = invocation.strip();
        int open = text.indexOf('(');
        if (open <= 0 || !text.endsWith(")")) {
            throw new IllegalArgumentException("invalid invocation `" + invocation
                    + "`: expected a call such as 'add(1, 2)'");
        }
        String name = text.substring(0, open).strip();
        String arguments = text.substring(open + 1, text.length() - 1);
        try (Engine engine = new Engine();
                Component component = Component.fromFile(engine, file);
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Instance instance = linker.instantiate(store, component);
            Func func = instance.func(name);
            List<Val> args;
            try {
                args = func.parseWaveArguments(arguments);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid arguments for `" + name + "` (" + func.type() + "): "
                        + e.getMessage(), e);
            }
            List<Val> results = func.callValues(args);
            try {
                for (int i = 0; i < results.size(); i++) {
                    out.println(func.formatWave(i, results.get(i)));
                }
            } finally {
                results.forEach(Main::dropResources);
            }
        }
        return 0;
    }

    /**
     * Drops the guest resources a result owns: the command keeps none, and one still held when
     * the store closes is reported as a leak on standard error.
     */
    private static void dropResources(Val v) {
        if (v instanceof Val.Own own) {
            own.resource().close();
        } else if (v instanceof Val.List list) {
            list.values().forEach(Main::dropResources);
        } else if (v instanceof Val.FixedList list) {
            list.values().forEach(Main::dropResources);
        } else if (v instanceof Val.Tuple tuple) {
            tuple.values().forEach(Main::dropResources);
        } else if (v instanceof Val.Map map) {
            for (Val.Entry e : map.entries()) {
                dropResources(e.key());
                dropResources(e.value());
            }
        } else if (v instanceof Val.Record record) {
            record.fields().forEach(f -> dropResources(f.value()));
        } else if (v instanceof Val.Variant variant) {
            variant.payload().ifPresent(Main::dropResources);
        } else if (v instanceof Val.Option option) {
            option.value().ifPresent(Main::dropResources);
        } else if (v instanceof Val.Result result) {
            result.value().ifPresent(Main::dropResources);
        }
    }
}
