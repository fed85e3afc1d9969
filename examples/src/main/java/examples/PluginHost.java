package examples;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wit.WitPackage;
import io.github.wasmtimejvm.wit.WorldCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A plugin host: loads every component of a folder, checks each against a WIT world before
 * running anything, and calls the ones that implement it; the others are reported with every
 * mismatch. Here the world is {@code adder-world} of {@code wit/guests/calc} and the call is
 * {@code describe(20, 22)} of {@code docs:calc/adder@0.1.0}.
 *
 * <pre>
 * java examples.PluginHost plugins/ wit/guests/calc
 * </pre>
 */
public final class PluginHost {

    static final String WORLD = "adder-world";
    static final String ADDER = "docs:calc/adder@0.1.0";

    private PluginHost() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PluginHost <plugin folder> <wit folder>");
            System.exit(2);
        }
        WitPackage wit = WitPackage.parse(Path.of(args[1]));
        List<Path> plugins;
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            plugins = files.filter(p -> p.toString().endsWith(".wasm") || p.toString().endsWith(".wat"))
                    .sorted().toList();
        }
        try (Engine engine = new Engine(); Linker linker = new Linker(engine)) {
            for (Path file : plugins) {
                String name = file.getFileName().toString();
                try (Component plugin = Component.fromFile(engine, file)) {
                    WorldCheck check = plugin.check(wit, WORLD);
                    if (!check.matches()) {
                        System.out.println(name + ": skipped, " + check.mismatches().size()
                                + " mismatch(es) with " + check.world());
                        check.mismatches().forEach(m -> System.out.println("    " + m));
                        continue;
                    }
                    try (Store store = new Store(engine)) {
                        Object answer = linker.instantiate(store, plugin).func(ADDER, "describe").call(20, 22);
                        System.out.println(name + ": " + answer);
                    }
                } catch (CompileException e) {
                    System.out.println(name + ": not a component: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
    }
}
