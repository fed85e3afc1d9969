package io.github.wasmtimejvm.wit;

import io.github.wasmtimejvm.internal.NativeLibrary;
import io.github.wasmtimejvm.internal.TypeReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A resolved WIT package: its worlds and interfaces with every type in full, as {@code
 * wit-parser} reads them (the parser of the Bytecode Alliance toolchains, so a package means here
 * what it means to {@code wasm-tools} and {@code wit-bindgen}).
 *
 * <pre>{@code
 * WitPackage calc = WitPackage.parse(Path.of("wit"));          // a file, or a directory with deps/
 * ComponentType world = calc.world("calculator");              // its imports and exports
 * WorldCheck check = component.check(calc, "calculator");      // does a component fit it?
 * System.out.println(calc.toWit());                            // back to WIT text
 * }</pre>
 *
 * <p>A package is a value: it holds no native resources, is immutable and thread-safe. It is kept
 * as its wasm encoding (what {@code wasm-tools component wit --wasm} writes), which {@link
 * #toBinary()} returns and {@link #fromBinary} reads back; worlds and interfaces are read into the
 * {@link WitType} model once, when the package is made.
 *
 * <p>Errors are {@link WitException}s carrying wit-parser's message (with the offending source
 * line) and, where it names one, the file, line and column.
 */
public final class WitPackage {

    static {
        NativeLibrary.load();
    }

    private final byte[] encoded;
    private final String name;
    private final Map<String, ComponentType> worlds;
    private final List<NamedItem> interfaces;
    private final String wit;

    private WitPackage(byte[] encoded) {
        this.encoded = encoded;
        TypeReader.PackageDescription d = TypeReader.witPackage(describe0(encoded));
        this.name = d.name();
        this.worlds = d.worlds();
        this.interfaces = d.interfaces();
        this.wit = d.wit();
    }

    /**
     * Parses a {@code .wit} file, or a directory of them: the {@code .wit} files directly in it
     * form one package, and its {@code deps/} folder holds the packages it uses (each a file or a
     * directory), as {@code wit-bindgen} and {@code wasm-tools} read a {@code wit/} folder. A
     * {@code .wasm} file holding an encoded package or a component is read as well.
     *
     * @param path a {@code .wit} file, a directory of them (with an optional {@code deps/} folder), or a {@code .wasm} file
     * @return the resolved package
     * @throws WitException if a file does not parse or a name does not resolve (with the file,
     *     line and column)
     * @throws java.io.UncheckedIOException if the path does not exist or cannot be read
     */
    public static WitPackage parse(Path path) {
        Objects.requireNonNull(path, "path");
        return new WitPackage(parsePath0(path.toAbsolutePath().toString()));
    }

    /**
     * Parses WIT text holding one package (it may use only itself and the WASI-free types it
     * declares; for packages with dependencies, parse a directory with a {@code deps/} folder).
     *
     * @param file the name errors give as the file, e.g. {@code "calc.wit"}
     * @param text the WIT source
     * @return the resolved package
     * @throws WitException if the text does not parse or a name does not resolve
     */
    public static WitPackage fromText(String file, String text) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        return new WitPackage(parseText0(file, text));
    }

    /**
     * Parses WIT text holding one package; errors name the file {@code <text>}.
     *
     * @param text the WIT source
     * @return the resolved package
     * @throws WitException if the text does not parse or a name does not resolve
     * @see #fromText(String, String)
     */
    public static WitPackage fromText(String text) {
        return fromText("<text>", text);
    }

    /**
     * Reads a wasm-encoded WIT package (what {@link #toBinary()} and {@code wasm-tools component
     * wit --wasm} write), or the WIT of a component binary: its world {@code root} in the package
     * {@code root:component}, with the packages of the interfaces it uses.
     *
     * @param bytes an encoded WIT package or a component binary
     * @return the resolved package
     * @throws io.github.wasmtimejvm.CompileException if the bytes are neither
     * @throws WitException if the package inside does not resolve
     */
    public static WitPackage fromBinary(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new WitPackage(fromBinary0(bytes));
    }

    /**
     * The package's name, with its namespace and version.
     *
     * @return the package's name, e.g. {@code docs:calc@0.1.0}
     */
    public String name() {
        return name;
    }

    /**
     * The names of the package's worlds.
     *
     * @return the names of the package's worlds, in source order
     */
    public Set<String> worldNames() {
        return worlds.keySet();
    }

    /**
     * Every world of the package, each as the imports and exports a component of that world has
     * (interfaces as instances, with their functions and types in full).
     *
     * @return the worlds by name, in the order the package declares them
     */
    public Map<String, ComponentType> worlds() {
        return worlds;
    }

    /**
     * The world {@code name} as the imports and exports a component of it has.
     *
     * @param name the world's name, without the package
     * @return the world's imports and exports
     * @throws IllegalArgumentException if the package has no such world (the message lists the
     *     worlds it has)
     */
    public ComponentType world(String name) {
        Objects.requireNonNull(name, "name");
        ComponentType t = worlds.get(name);
        if (t == null) {
            throw new IllegalArgumentException(
                    "package " + this.name + " has no world `" + name + "`; its worlds: "
                            + (worlds.isEmpty() ? "none" : String.join(", ", worlds.keySet())));
        }
        return t;
    }

    /**
     * The package's interfaces, each as an instance type named by its full name (e.g. {@code
     * docs:calc/adder@0.1.0}) listing its functions and types.
     *
     * @return the interfaces, in the order the package declares them
     */
    public List<NamedItem> interfaces() {
        return interfaces;
    }

    /**
     * The package as WIT text, as {@code wasm-tools component wit} prints it: this package, with
     * its doc comments, followed by the packages it uses in nested {@code package ... { }} blocks.
     *
     * @return the WIT text
     */
    public String toWit() {
        return wit;
    }

    /**
     * The package in its binary form.
     *
     * @return the package's wasm encoding (a copy), which {@link #fromBinary} reads back
     */
    public byte[] toBinary() {
        return encoded.clone();
    }

    /**
     * The package as WIT text.
     *
     * @return the package as WIT text ({@link #toWit()})
     */
    @Override
    public String toString() {
        return wit;
    }

    /** Two packages are equal when their encodings are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WitPackage p && Arrays.equals(encoded, p.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    private static native byte[] parseText0(String file, String text);

    private static native byte[] parsePath0(String path);

    private static native byte[] fromBinary0(byte[] bytes);

    private static native byte[] describe0(byte[] encoded);
}
