package io.github.wasmtimejvm.bindgen;

import io.github.wasmtimejvm.wit.WitPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Typed Java bindings generated from a WIT world: Java interfaces that {@code
 * Instance.bind(Class)} and {@code Linker.implement(Class, Object)} take, so a component is
 * called (or a host import implemented) through plain Java methods.
 *
 * <pre>{@code
 * WitPackage wit = WitPackage.parse(Path.of("wit"));
 * JavaBindings bindings = JavaBindings.generate(wit, "calculator", "com.example.calc");
 * bindings.writeTo(Path.of("src/gen/java"));   // or bindings.files(): path -> source
 * }</pre>
 *
 * <p>What is generated, for a world {@code w} of package {@code ns:pkg} into the Java package
 * {@code p}:
 *
 * <ul>
 *   <li>one Java interface per WIT interface the world imports or exports (and per interface
 *       whose types these use), annotated {@code @WitInterface("ns:pkg/iface@version")}, with the
 *       interface's types nested in it and a method per function. Interfaces of the world's own
 *       package go in {@code p}; those of other packages in {@code p.<namespace>.<name>} (with a
 *       {@code .v<version>} segment when the world uses two versions of one package), so names
 *       never collide;
 *   <li>an interface named after the world ({@code W}) for its root exported functions and the
 *       types the world itself defines, and {@code WImports} for its root imported functions;
 *       neither has {@code @WitInterface};
 *   <li>{@code TupleN<T0, ..., TN-1>} records in {@code p} for the tuple arities used.
 * </ul>
 *
 * <p>WIT types take the first Java form of the binding conventions: {@code bool} boolean;
 * {@code s8}/{@code u8} byte, {@code s16}/{@code u16} short, {@code s32}/{@code u32} int,
 * {@code s64}/{@code u64} long (unsigned ones as bit patterns); {@code f32} float, {@code f64}
 * double; {@code char} int (a code point); {@code string} String; {@code list<u8>} byte[], other
 * lists {@code List<T>}; {@code option<T>} {@code Optional<T>}; {@code map<K, V>} {@code Map<K,
 * V>}; a record a Java record; a variant a sealed interface with one record per case (the
 * payload in a component named {@code value}); an enum a Java enum; flags {@code Set<F>} of a
 * generated enum {@code F}; a resource an interface extending {@link AutoCloseable} with the
 * resource's methods ({@code close()} drops the handle), its constructor and static functions
 * methods of the interface that defines it ({@code newCounter} for {@code [constructor]counter},
 * {@code counterMake} for {@code [static]counter.make}); type aliases and {@code use}d names are
 * replaced by the type they name; {@code future}, {@code stream} and {@code error-context} are
 * {@code Object}.
 *
 * <p><b>Results.</b> A function returning {@code result<T, E>} returns {@code T} ({@code void}
 * without an ok type) and declares a checked exception for the {@code err} case: when {@code E}
 * is a record, variant, enum or resource, a generated {@code EException extends
 * WitErrorException} nested next to {@code E} whose {@code error()} returns the {@code E}; for
 * any other error type (or none), {@link io.github.wasmtimejvm.component.WitErrorException}
 * itself. A result anywhere else (a parameter, inside a list, a result's ok type) is {@code
 * Result<T, E>}.
 *
 * <p><b>Names.</b> WIT kebab-case names become camelCase members, PascalCase types and
 * UPPER_SNAKE constants. A name that is a Java keyword, would declare a method of {@code Object}
 * (or {@code close}), collides with another, or does not map back to its WIT name carries
 * {@code @WitName} with the exact WIT name.
 *
 * <p><b>Output.</b> Sources are ASCII (other characters of doc comments become HTML character
 * references), with {@code \n} line endings, javadoc from the WIT doc comments on every element,
 * and a header naming the world; the same input gives the same bytes. They compile with {@code
 * javac --release 17 -Xlint:all -Werror -Xdoclint:all/protected} against this library.
 */
public final class JavaBindings {
    private final String world;
    private final String javaPackage;
    private final Map<String, String> files;

    private JavaBindings(String world, String javaPackage, Map<String, String> files) {
        this.world = world;
        this.javaPackage = javaPackage;
        this.files = Collections.unmodifiableMap(files);
    }

    /**
     * Generates the bindings of one world.
     *
     * @param wit the package holding the world (parsed with its dependencies, e.g. from a {@code
     *     wit/} folder with a {@code deps/} folder)
     * @param world the world's name, without the package
     * @param javaPackage the Java package of the generated sources, e.g. {@code com.example.calc}
     * @return the generated sources
     * @throws IllegalArgumentException if the package has no such world (the message lists the
     *     worlds it has) or {@code javaPackage} is not a valid Java package name
     * @throws io.github.wasmtimejvm.wit.WitException if the package cannot be described
     */
    public static JavaBindings generate(WitPackage wit, String world, String javaPackage) {
        Objects.requireNonNull(wit, "wit");
        Objects.requireNonNull(world, "world");
        Objects.requireNonNull(javaPackage, "javaPackage");
        if (!Names.isPackageName(javaPackage)) {
            throw new IllegalArgumentException("not a Java package name: `" + javaPackage + "`");
        }
        wit.world(world); // an unknown world fails here, naming the worlds there are
        Map<String, String> files = new Generator(WitModel.of(wit, world), javaPackage).run();
        return new JavaBindings(world, javaPackage, files);
    }

    /**
     * The world the bindings were generated for.
     *
     * @return the world's name, as given to {@link #generate}
     */
    public String world() {
        return world;
    }

    /**
     * The Java package of the generated sources (interfaces of other WIT packages are in
     * subpackages of it).
     *
     * @return the package name, e.g. {@code com.example.calc}
     */
    public String javaPackage() {
        return javaPackage;
    }

    /**
     * The generated sources.
     *
     * @return each source file's text by its path relative to a source root (e.g. {@code
     *     com/example/calc/Adder.java}, always with {@code /}), sorted by path; unmodifiable
     */
    public Map<String, String> files() {
        return files;
    }

    /**
     * Writes the sources under a source root, creating directories as needed. A file whose
     * content is already the same is left untouched (so incremental builds see no change); other
     * files in the directory are left alone.
     *
     * @param directory the source root, e.g. {@code src/gen/java}
     * @return the paths of the generated files, in the order of {@link #files()}
     * @throws IOException if a file cannot be written
     */
    public List<Path> writeTo(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path file = directory.resolve(e.getKey());
            byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), bytes)) {
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
            }
            written.add(file);
        }
        return written;
    }
}
