package io.github.wasmtimejvm.cli;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.compose.ComponentEncoder;
import io.github.wasmtimejvm.compose.Preview1Adapter;
import io.github.wasmtimejvm.wit.WitPackage;
import io.github.wasmtimejvm.wit.WorldCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The commands that build components from core modules and check them against WIT worlds.
 *
 * <pre>
 * wasmtime-jvm new MODULE [--wit PATH [--world WORLD]] [--adapter command|reactor|proxy] -o OUT
 *     makes a component of the core module MODULE (like `wasm-tools component embed` then
 *     `component new`): with --wit, of the world WORLD of the package at PATH (a .wit file or
 *     a wit/ directory; WORLD may be left out when the package has one); with --adapter, the
 *     module's WASI preview 1 imports are served by the bundled preview 1 adapter
 *
 * wasmtime-jvm targets --wit PATH [--world WORLD] COMPONENT
 *     checks that COMPONENT exports what the world exports and imports nothing else than it
 *     allows (like `wasm-tools component targets`); prints every mismatch with both types and
 *     exits 1 when there is one
 * </pre>
 */
final class BuildCommand {

    private BuildCommand() {}

    /** The options both commands take, and the one positional file. */
    private record Args(String file, String wit, String world, String adapter, String output) {
        static Args of(String command, List<String> args, boolean adapterAndOutput) {
            String file = null;
            String wit = null;
            String world = null;
            String adapter = null;
            String output = null;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                ComposeCommand.Option o = ComposeCommand.Option.of(a);
                switch (o.name()) {
                    case "--wit" -> wit = o.value(args, i);
                    case "--world" -> world = o.value(args, i);
                    case "--adapter" -> {
                        if (!adapterAndOutput) {
                            throw new Main.UsageException("unknown option `" + a + "` for " + command);
                        }
                        adapter = o.value(args, i);
                    }
                    case "-o", "--output" -> {
                        if (!adapterAndOutput) {
                            throw new Main.UsageException("unknown option `" + a + "` for " + command);
                        }
                        output = o.value(args, i);
                    }
                    default -> {
                        if (a.startsWith("-")) {
                            throw new Main.UsageException("unknown option `" + a + "` for " + command);
                        }
                        if (file != null) {
                            throw new Main.UsageException(command + " takes one file, but got `"
                                    + file + "` and `" + a + "`");
                        }
                        file = a;
                        continue;
                    }
                }
                i += o.consumed();
            }
            if (file == null) {
                throw new Main.UsageException(command + " needs a "
                        + (adapterAndOutput ? "core module" : "component") + " file");
            }
            if (world != null && wit == null) {
                throw new Main.UsageException("--world needs --wit PATH, the package holding it");
            }
            return new Args(file, wit, world, adapter, output);
        }
    }

    /**
     * Runs {@code new MODULE [--wit PATH [--world WORLD]] [--adapter KIND] -o OUT}.
     *
     * @param args the arguments after {@code new}
     * @param out where the one-line summary goes
     * @return the exit status (0)
     */
    static int newComponent(List<String> args, PrintStream out) {
        Args a = Args.of("new", args, true);
        if (a.output() == null) {
            throw new Main.UsageException("new needs an output file (-o OUT)");
        }
        if (a.wit() == null && a.adapter() == null) {
            throw new Main.UsageException(
                    "new needs --wit PATH (the world the module implements), --adapter, or both,"
                            + " unless the module carries its WIT");
        }
        ComponentEncoder encoder = ComponentEncoder.fromModule(ComposeCommand.read(a.file()));
        if (a.wit() != null) {
            encoder.world(WitPackage.parse(Path.of(a.wit())), a.world());
        }
        if (a.adapter() != null) {
            encoder.adapter(adapter(a.adapter()));
        }
        return ComposeCommand.write(encoder.encode(), a.output(), out);
    }

    /**
     * Runs {@code targets --wit PATH [--world WORLD] COMPONENT}.
     *
     * @param args the arguments after {@code targets}
     * @param out where the result goes
     * @return 0 when the component fits the world, 1 otherwise
     */
    static int targets(List<String> args, PrintStream out) {
        Args a = Args.of("targets", args, false);
        if (a.wit() == null) {
            throw new Main.UsageException("targets needs --wit PATH, the package holding the world");
        }
        WitPackage wit = WitPackage.parse(Path.of(a.wit()));
        try (Engine engine = new Engine();
                Component component = Component.fromFile(engine, Path.of(a.file()))) {
            WorldCheck check = a.world() == null ? component.check(wit) : component.check(wit, a.world());
            out.println(check);
            return check.matches() ? 0 : 1;
        }
    }

    private static Preview1Adapter adapter(String name) {
        try {
            return Preview1Adapter.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--adapter `" + name
                    + "` is not one of command, reactor, proxy");
        }
    }
}
