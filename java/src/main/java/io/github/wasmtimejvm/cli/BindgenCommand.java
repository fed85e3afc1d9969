package io.github.wasmtimejvm.cli;

import io.github.wasmtimejvm.bindgen.JavaBindings;
import io.github.wasmtimejvm.wit.WitPackage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code bindgen} command: Java binding sources for a WIT world ({@link JavaBindings}).
 *
 * <pre>
 * wasmtime-jvm bindgen --wit wit/ --world calc --package com.example.calc --out src/gen/java
 *     --wit      a .wit file, or a wit/ directory (with a deps/ folder), or an encoded package
 *     --world    the world to generate for (may be left out when the package has one world)
 *     --package  the Java package of the sources (interfaces of other WIT packages go into
 *                subpackages of it)
 *     --out      the source root to write under (created if needed)
 * </pre>
 *
 * <p>On success it prints one line ({@code wrote 3 files for world calc under src/gen/java}) and
 * returns 0. Bad usage throws {@link Main.UsageException} (exit 2); WIT that does not parse, an
 * unknown world, or a file that cannot be written fails with one line (exit 1).
 */
final class BindgenCommand {

    private BindgenCommand() {}

    /**
     * Runs {@code bindgen --wit PATH [--world W] --package P --out DIR}.
     *
     * @param args the arguments after {@code bindgen}
     * @param out where the one-line summary goes
     * @return the exit status (0)
     */
    static int run(List<String> args, PrintStream out) {
        String wit = null;
        String world = null;
        String javaPackage = null;
        String output = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!List.of("--wit", "--world", "--package", "--out", "-o").contains(name)) {
                throw new Main.UsageException(a.startsWith("-")
                        ? "unknown option `" + a + "` for bindgen"
                        : "bindgen takes no file argument, got `" + a + "` (give the WIT with --wit)");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new Main.UsageException(name + " needs a value");
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--wit" -> wit = value;
                case "--world" -> world = value;
                case "--package" -> javaPackage = value;
                default -> output = value;
            }
        }
        if (wit == null) {
            throw new Main.UsageException("bindgen needs --wit <file or directory>");
        }
        if (javaPackage == null) {
            throw new Main.UsageException("bindgen needs --package <java package>");
        }
        if (output == null) {
            throw new Main.UsageException("bindgen needs --out <source directory>");
        }
        Path witPath = Path.of(wit);
        if (!Files.exists(witPath)) {
            throw new IllegalArgumentException("WIT path " + wit + " does not exist");
        }
        WitPackage pkg = WitPackage.parse(witPath);
        if (world == null) {
            if (pkg.worldNames().size() != 1) {
                throw new Main.UsageException("package " + pkg.name() + " has "
                        + pkg.worldNames().size() + " worlds (" + String.join(", ", pkg.worldNames())
                        + "): choose one with --world");
            }
            world = pkg.worldNames().iterator().next();
        }
        JavaBindings bindings = JavaBindings.generate(pkg, world, javaPackage);
        Path dir = Path.of(output);
        try {
            bindings.writeTo(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sources under " + output + ": " + e.getMessage(), e);
        }
        int n = bindings.files().size();
        out.println("wrote " + n + (n == 1 ? " file" : " files") + " for world " + world + " under " + output);
        return 0;
    }
}
