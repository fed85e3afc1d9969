package io.github.wasmtimejvm.cli;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.Val;
import io.github.wasmtimejvm.internal.NativeLibrary;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.wasi.Capabilities;
import io.github.wasmtimejvm.wasi.WasiConfig;
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
 *                                                (a component's, or a core module's function)
 * wasmtime-jvm wit add.wasm                      prints the component's WIT, like
 *                                                `wasm-tools component wit`
 * wasmtime-jvm targets --wit wit/ --world w c.wasm  checks a component against a world
 * wasmtime-jvm new m.wasm --wit wit/ -o c.wasm    a component from a core module (embed + new)
 * wasmtime-jvm plug calc.wasm --plug adder.wasm -o app.wasm   static composition ({@code
 *                                                compose} for a whole graph)
 * wasmtime-jvm bindgen --wit wit/ --world calc --package com.example.calc --out src/gen/java
 *                                                Java binding sources for a world
 * wasmtime-jvm serve --addr 127.0.0.1:8080 handler.wasm   serves a wasi:http/proxy component
 * </pre>
 *
 * <p>Any failure prints one line, {@code error: ...}, to standard error and exits non-zero
 * (2 for bad usage, 1 otherwise); never a stack trace.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "usage: wasmtime-jvm [run] [--dir HOST::GUEST] [--env K=V] <program> [args...]",
            "       wasmtime-jvm [run] --invoke '<name>(<args>)' <component or module>",
            "       wasmtime-jvm wit [--capabilities] <component>",
            "       wasmtime-jvm targets --wit <path> [--world <world>] <component>",
            "       wasmtime-jvm new <module> [--wit <path> [--world <world>]]"
                    + " [--adapter command|reactor|proxy] -o <out>",
            "       wasmtime-jvm plug <socket> --plug <plug>... -o <out>",
            "       wasmtime-jvm compose --dep NAME=FILE... [--wire TO#IMPORT=FROM[#EXPORT]]..."
                    + " --export FROM[#EXPORT][=AS]... -o <out>",
            "       wasmtime-jvm bindgen --wit <path> [--world <world>] --package <java package>"
                    + " --out <dir>",
            "       wasmtime-jvm serve [--addr HOST:PORT] [--timeout 30s] [--max-concurrency N]"
                    + " [--max-request-body BYTES] [--allow-http HOST[:PORT]]... [--env K=V]... <component>",
            "       wasmtime-jvm --version",
            "",
            "  run       run a WASI command: a component exporting wasi:cli/run, or a core module",
            "            with _start (WASI preview 1); exits with the program's exit status",
            "  --dir     give the program a host directory (HOST::GUEST, or DIR for both), read-write",
            "  --dir-ro  the same, read-only: the program can read and list it, never change it",
            "            (a HOST ending in .zip or .jar is served as a directory through Java's zip filesystem)",
            "  --env     set an environment variable (K=V), or pass the host's value (K)",
            "  --invoke  call an export (a root function, or interface#function) with WAVE",
            "            arguments, printing each result as WAVE, like `wasmtime run --invoke`;",
            "            of a core module, an exported function with number arguments",
            "  wit       print the component's WIT (its world and the interfaces it uses),",
            "            like `wasm-tools component wit`; with --capabilities, what it imports of",
            "            WASI by kind (filesystem, sockets, http, clocks, random, stdio, ...)",
            "  targets   check that a component exports what a world exports and imports",
            "            nothing else than it allows; every mismatch with both types; exit 1 if any",
            "  new       make a component of a core module and the world it implements (--wit, a",
            "            .wit file or wit/ directory), or of a WASI preview 1 module (--adapter)",
            "  plug      fill the socket's imports with the plugs' exports, like `wac plug`",
            "  compose   instantiate components (--dep) and wire them by name into a new one",
            "  bindgen   write Java interfaces for a world's imports and exports (for",
            "            Instance.bind and Linker.implement) under --out, in --package",
            "  serve     serve a wasi:http/proxy component (incoming-handler) on --addr (default",
            "            127.0.0.1:8080), like `wasmtime serve`: each request in a fresh instance;",
            "            --timeout bounds each request (504 past it), --allow-http lets the guest's",
            "            own requests reach a host (none by default)",
            "  <program> is a binary (.wasm) or WAT text (.wat); stdio is the terminal's");

    /** Thrown for bad usage; exits with code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private Main() {}

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command line (see {@code --help})
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line, printing to {@code out} and {@code err}; returns the exit status.
     *
     * @param args the command line
     * @param out where results and help go
     * @param err where the one-line error goes
     * @return the exit status: the command's own, 2 for a usage error, 1 for any other failure
     */
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
            boolean capabilities = rest.remove("--capabilities");
            if (rest.size() != 2) {
                throw new UsageException("`wit` takes exactly one component file");
            }
            return wit(path(rest.get(1)), capabilities, out);
        }
        String command = rest.get(0);
        List<String> after = rest.subList(1, rest.size());
        switch (command) {
            case "targets":
                return BuildCommand.targets(after, out);
            case "new":
                return BuildCommand.newComponent(after, out);
            case "plug":
                return ComposeCommand.plug(after, out);
            case "compose":
                return ComposeCommand.compose(after, out);
            case "bindgen":
                return BindgenCommand.run(after, out);
            case "serve":
                return ServeCommand.serve(after, out);
            default:
                break;
        }
        if (rest.get(0).equals("run")) {
            rest.remove(0);
        }
        WasiConfig.Builder wasi = WasiConfig.builder().inheritStdio();
        List<java.nio.file.FileSystem> archives = new java.util.ArrayList<>();
        try {
            return runWith(rest, wasi, archives, out);
        } finally {
            for (java.nio.file.FileSystem fs : archives) {
                try {
                    fs.close();
                } catch (java.io.IOException e) {
                    System.err.println("wasmtime-jvm: writing " + fs + " back failed: " + e.getMessage());
                }
            }
        }
    }

    /** {@code run}'s options, then the run; archives given as directories are added to {@code archives}. */
    private static int runWith(List<String> rest, WasiConfig.Builder wasi, List<java.nio.file.FileSystem> archives,
            PrintStream out) {
        String invoke = null;
        int i = 0;
        for (; i < rest.size(); i++) {
            String a = rest.get(i);
            if (!a.startsWith("-")) {
                break;
            }
            String value = null;
            int eq = a.indexOf('=');
            String option = eq > 0 && a.startsWith("--") ? a.substring(0, eq) : a;
            if (eq > 0 && a.startsWith("--")) {
                value = a.substring(eq + 1);
            }
            if (option.equals("--invoke") || option.equals("--dir") || option.equals("--dir-ro")
                    || option.equals("--env")) {
                if (value == null) {
                    if (i + 1 >= rest.size()) {
                        throw new UsageException(option + " needs a value");
                    }
                    value = rest.get(++i);
                }
            }
            switch (option) {
                case "--invoke" -> invoke = value;
                case "--dir" -> dir(wasi, archives, option, value, WasiConfig.DirAccess.READ_WRITE);
                case "--dir-ro" -> dir(wasi, archives, option, value, WasiConfig.DirAccess.READ_ONLY);
                case "--env" -> env(wasi, value);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (i >= rest.size()) {
            throw new UsageException("no component file given");
        }
        Path file = path(rest.get(i));
        List<String> programArgs = rest.subList(i + 1, rest.size());
        wasi.argv0(file.getFileName().toString()).args(programArgs);
        if (invoke != null) {
            if (!programArgs.isEmpty()) {
                throw new UsageException("--invoke takes no program arguments, got " + programArgs);
            }
            return invoke(file, invoke, wasi.build(), out);
        }
        return run(file, wasi.build());
    }

    /**
     * {@code --dir HOST::GUEST}, or {@code --dir DIR} for the same path in both; a HOST that is a
     * {@code .zip} or {@code .jar} file is served as a directory (its root) through the JDK's zip
     * filesystem, written back when the run ends if the guest changed it.
     */
    private static void dir(WasiConfig.Builder wasi, List<java.nio.file.FileSystem> archives, String option,
            String spec, WasiConfig.DirAccess access) {
        int sep = spec.indexOf("::");
        String host = sep < 0 ? spec : spec.substring(0, sep);
        String guest = sep < 0 ? spec : spec.substring(sep + 2);
        Path p = Path.of(host);
        String lower = host.toLowerCase(java.util.Locale.ROOT);
        if (Files.isRegularFile(p) && (lower.endsWith(".zip") || lower.endsWith(".jar"))) {
            try {
                java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(p);
                archives.add(zip);
                wasi.preopen(zip.getPath("/"), guest, access);
                return;
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(option + " " + spec + ": cannot open " + host + " as a zip: "
                        + e.getMessage(), e);
            }
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(option + " " + spec + ": " + host + " is not a directory");
        }
        wasi.preopen(p, guest, access);
    }

    /** {@code --env K=V}, or {@code --env K} to pass the host's value of K. */
    private static void env(WasiConfig.Builder wasi, String spec) {
        int eq = spec.indexOf('=');
        if (eq > 0) {
            wasi.env(spec.substring(0, eq), spec.substring(eq + 1));
        } else if (eq < 0 && !spec.isEmpty()) {
            String v = System.getenv(spec);
            if (v != null) {
                wasi.env(spec, v);
            }
        } else {
            throw new UsageException("--env takes NAME=VALUE or NAME, got `" + spec + "`");
        }
    }

    /** Runs a command component ({@code wasi:cli/run}) or a WASI preview 1 core module. */
    private static int run(Path file, WasiConfig wasi) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try (Engine engine = new Engine(); Store store = Store.builder(engine).wasi(wasi).build()) {
            if (isCoreModule(bytes)) {
                try (Module module = Module.fromBytes(engine, bytes)) {
                    return module.runWasiCommand(store);
                }
            }
            try (Component component = Component.fromBytes(engine, bytes); Linker linker = new Linker(engine)) {
                return linker.addWasi().runCommand(store, component);
            } catch (CompileException notAComponent) {
                if (isBinary(bytes)) {
                    throw notAComponent;
                }
                // WAT text of a core module.
                try (Module module = Module.fromBytes(engine, bytes)) {
                    return module.runWasiCommand(store);
                } catch (CompileException alsoNotAModule) {
                    throw notAComponent;
                }
            }
        }
    }

    private static boolean isBinary(byte[] b) {
        return b.length >= 8 && b[0] == 0 && b[1] == 'a' && b[2] == 's' && b[3] == 'm';
    }

    private static boolean isCoreModule(byte[] b) {
        return isBinary(b) && b[4] == 1 && b[5] == 0 && b[6] == 0 && b[7] == 0;
    }

    private static Path path(String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("cannot read component " + file + ": no such file");
        }
        return p;
    }

    private static int wit(Path file, boolean capabilities, PrintStream out) {
        try (Engine engine = new Engine(); Component component = Component.fromFile(engine, file)) {
            out.print(capabilities ? Capabilities.of(component.type()).toString() : component.wit());
        }
        return 0;
    }

    private static int invoke(Path file, String invocation, WasiConfig wasi, PrintStream out) {
        String text = invocation.strip();
        int open = text.indexOf('(');
        if (open <= 0 || !text.endsWith(")")) {
            throw new IllegalArgumentException("invalid invocation `" + invocation
                    + "`: expected a call such as 'add(1, 2)'");
        }
        String name = text.substring(0, open).strip();
        String arguments = text.substring(open + 1, text.length() - 1);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try (Engine engine = new Engine()) {
            Component component;
            try {
                component = Component.fromBytes(engine, bytes);
            } catch (CompileException notAComponent) {
                Module module;
                try {
                    module = Module.fromBytes(engine, bytes);
                } catch (CompileException alsoNotAModule) {
                    throw notAComponent;
                }
                try (module) {
                    return CoreInvoke.invoke(engine, module, name, arguments, wasi, out);
                }
            }
            try (component) {
                return invokeComponent(engine, component, name, arguments, wasi, out);
            }
        }
    }

    private static int invokeComponent(Engine engine, Component component, String name, String arguments,
            WasiConfig wasi, PrintStream out) {
        try (Linker linker = new Linker(engine); Store store = Store.builder(engine).wasi(wasi).build()) {
            Instance instance = linker.addWasi().instantiate(store, component);
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
