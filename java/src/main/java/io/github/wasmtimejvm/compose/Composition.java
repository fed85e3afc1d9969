package io.github.wasmtimejvm.compose;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.internal.NativeLibrary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Static composition: new components made of existing ones, like {@code wac plug} and {@code
 * wac compose}. The result is the bytes of one validated component, which {@link
 * Component#fromBytes} loads and any wasm tool reads.
 *
 * <p><b>Plug</b>, the common case: a socket component whose imports are satisfied by the
 * exports of plug components (matched by name, or by a semver-compatible name, and checked by
 * type). The result exports what the socket exports; imports no plug satisfies, and the plugs'
 * own imports, become its imports.
 *
 * <pre>{@code
 * byte[] app = Composition.plug(calculator, adder);          // bytes of the new component
 * Component c = Composition.plug(engine, calculator, adder); // or compiled straight away
 * }</pre>
 *
 * <p><b>A graph</b>, the general case: add packages, instantiate them (a package any number of
 * times), connect an instance's export (or a whole instance) to another instance's import by
 * name, export items, encode. Imports left unconnected become imports of the composed
 * component.
 *
 * <pre>{@code
 * Composition c = Composition.builder();
 * PackageRef adder = c.addPackage("docs:adder", adderBytes);
 * PackageRef calc = c.addPackage("docs:calc", calcBytes);
 * InstanceRef a = c.instantiate(adder);
 * InstanceRef k = c.instantiate(calc, "calc");
 * c.connect(a, "docs:calc/adder@0.1.0", k, "docs:calc/adder@0.1.0");
 * c.export(k, "docs:calc/calc@0.1.0");
 * byte[] composed = c.encode();
 * }</pre>
 *
 * <p>Components are given as binaries or as WAT text (UTF-8 bytes). Mistakes found by the
 * builder itself (a reference from another composition, a name used twice, an import connected
 * twice) are {@link IllegalArgumentException}s thrown at once; mistakes that need the
 * components' types (an unknown import or export, mismatched types, a cycle) are {@link
 * ComposeException}s from {@link #encode}, naming the import or export and both types, e.g.
 * {@code instance `calc` (of `docs:calc`) imports `docs:calc/adder@0.1.0` as instance { add:
 * func(a: u32, b: u32) -> u32 }, but the export `docs:calc/adder@0.1.0` of instance #1 (of
 * `docs:wrong`) is instance { add: func(a: s64) -> s64 }: ...}.
 *
 * <p>A composition records a plan and holds no native resources: nothing to close. It is not
 * thread-safe; {@link #encode} may be called any number of times.
 */
public final class Composition {

    static {
        NativeLibrary.load();
    }

    private record Package(String name, byte[] bytes) {}

    private record Wire(InstanceRef from, String export, InstanceRef to, String importName) {}

    private record Export(InstanceRef from, String export, String name) {}

    private final List<Package> packages = new ArrayList<>();
    private final List<PackageRef> packageRefs = new ArrayList<>();
    private final List<InstanceRef> instances = new ArrayList<>();
    private final List<Wire> wires = new ArrayList<>();
    private final List<Export> exports = new ArrayList<>();
    private final Set<String> packageNames = new HashSet<>();
    private final Set<String> instanceNames = new HashSet<>();
    private final Set<String> exportNames = new HashSet<>();

    private Composition() {}

    /**
     * Plugs {@code plugs} into {@code socket} and returns the composed component's bytes.
     *
     * @param socket the component whose imports the plugs satisfy (binary or WAT text)
     * @param plugs at least one component (binary or WAT text); each must satisfy at least one
     *     of the socket's imports
     * @return the bytes of the composed, validated component
     * @throws ComposeException if a plug satisfies none of the socket's imports (the message
     *     lists what the plug exports and what the socket imports), an export matches an import
     *     by name but not by type (the message gives both types), two plugs satisfy the same
     *     import, or a component is not a valid component
     */
    public static byte[] plug(byte[] socket, byte[]... plugs) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(plugs, "plugs");
        for (int i = 0; i < plugs.length; i++) {
            Objects.requireNonNull(plugs[i], "plugs[" + i + "]");
        }
        return plug0(socket, plugs.clone());
    }

    /**
     * Plugs {@code plugs} into {@code socket}; as {@link #plug(byte[], byte[]...)}.
     *
     * @param socket the component whose imports the plugs satisfy (binary or WAT text)
     * @param plugs at least one component (binary or WAT text)
     * @return the bytes of the composed, validated component
     * @throws ComposeException as {@link #plug(byte[], byte[]...)}
     */
    public static byte[] plug(byte[] socket, List<byte[]> plugs) {
        Objects.requireNonNull(plugs, "plugs");
        return plug(socket, plugs.toArray(new byte[0][]));
    }

    /**
     * Plugs {@code plugs} into {@code socket} and compiles the result with {@code engine}.
     *
     * @param engine the engine to compile the composed component with
     * @param socket the component whose imports the plugs satisfy (binary or WAT text)
     * @param plugs at least one component (binary or WAT text)
     * @return the composed component, compiled; the caller closes it
     * @throws ComposeException as {@link #plug(byte[], byte[]...)}
     */
    public static Component plug(Engine engine, byte[] socket, byte[]... plugs) {
        Objects.requireNonNull(engine, "engine");
        return Component.fromBytes(engine, plug(socket, plugs));
    }

    /**
     * Starts a composition.
     *
     * @return an empty composition to add packages, instances, connections and exports to
     */
    public static Composition builder() {
        return new Composition();
    }

    /**
     * Adds a component to instantiate.
     *
     * @param name the package's name, unique in this composition, such as {@code docs:adder}
     *     (errors name the package by it)
     * @param component the component's binary or WAT text; copied
     * @return the package, for {@link #instantiate}
     * @throws IllegalArgumentException if the name is blank or already used
     */
    public PackageRef addPackage(String name, byte[] component) {
        requireName(name, "name");
        Objects.requireNonNull(component, "component");
        if (!packageNames.add(name)) {
            throw new IllegalArgumentException("a package named `" + name + "` is already added");
        }
        PackageRef ref = new PackageRef(this, packages.size(), name);
        packages.add(new Package(name, component.clone()));
        packageRefs.add(ref);
        return ref;
    }

    /**
     * Adds the component (binary or WAT text) in a file; as {@link #addPackage(String, byte[])}.
     *
     * @param name the package's name, unique in this composition
     * @param file the component's file
     * @return the package, for {@link #instantiate}
     * @throws UncheckedIOException if the file cannot be read
     */
    public PackageRef addPackage(String name, Path file) {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return addPackage(name, bytes);
    }

    /**
     * Adds an instantiation of {@code pkg}, with no name.
     *
     * @param pkg a package of this composition
     * @return the instance, to connect and export from
     */
    public InstanceRef instantiate(PackageRef pkg) {
        return add(pkg, null);
    }

    /**
     * Adds an instantiation of {@code pkg} named {@code name} (recorded in the composed
     * component's name section, and used in errors).
     *
     * @param pkg a package of this composition
     * @param name the instance's name, unique among this composition's instances
     * @return the instance, to connect and export from
     * @throws IllegalArgumentException if the name is blank or already used
     */
    public InstanceRef instantiate(PackageRef pkg, String name) {
        requireName(name, "name");
        return add(pkg, name);
    }

    private InstanceRef add(PackageRef pkg, String name) {
        own(pkg, "pkg");
        if (name != null && !instanceNames.add(name)) {
            throw new IllegalArgumentException("an instance named `" + name + "` already exists");
        }
        InstanceRef ref = new InstanceRef(this, instances.size(), pkg, name);
        instances.add(ref);
        return ref;
    }

    /**
     * Satisfies the import {@code importName} of {@code to} with the export {@code export} of
     * {@code from}.
     *
     * @param from the instance whose export is given
     * @param export the name of one of {@code from}'s exports, such as {@code
     *     docs:calc/adder@0.1.0} or {@code add}
     * @param to the instance whose import is satisfied
     * @param importName the name of one of {@code to}'s imports
     * @return this composition
     * @throws IllegalArgumentException if an instance is not of this composition, {@code from}
     *     is {@code to}, or the import is already connected
     */
    public Composition connect(InstanceRef from, String export, InstanceRef to, String importName) {
        requireName(export, "export");
        return wire(from, export, to, importName);
    }

    /**
     * Satisfies the import {@code importName} of {@code to} with the whole instance {@code
     * from} (its exports must match the items of the imported instance).
     *
     * @param from the instance given
     * @param to the instance whose import is satisfied
     * @param importName the name of one of {@code to}'s imports (an instance import)
     * @return this composition
     * @throws IllegalArgumentException as {@link #connect(InstanceRef, String, InstanceRef,
     *     String)}
     */
    public Composition connect(InstanceRef from, InstanceRef to, String importName) {
        return wire(from, null, to, importName);
    }

    private Composition wire(InstanceRef from, String export, InstanceRef to, String importName) {
        own(from, "from");
        own(to, "to");
        requireName(importName, "importName");
        if (from == to) {
            throw new IllegalArgumentException(
                    "cannot connect " + from + " to its own import `" + importName + "`");
        }
        for (Wire w : wires) {
            if (w.to() == to && w.importName().equals(importName)) {
                throw new IllegalArgumentException("the import `" + importName + "` of " + to
                        + " is already connected (to " + describe(w.from(), w.export()) + ")");
            }
        }
        wires.add(new Wire(from, export, to, importName));
        return this;
    }

    /**
     * Exports the export {@code export} of {@code from} from the composition under the same
     * name.
     *
     * @param from the instance whose export is exported
     * @param export the name of one of {@code from}'s exports
     * @return this composition
     * @throws IllegalArgumentException if the instance is not of this composition or the name
     *     is already exported
     */
    public Composition export(InstanceRef from, String export) {
        return export(from, export, export);
    }

    /**
     * Exports the export {@code export} of {@code from} from the composition as {@code as}.
     *
     * @param from the instance whose export is exported
     * @param export the name of one of {@code from}'s exports
     * @param as the name of the composition's export (a valid component export name)
     * @return this composition
     * @throws IllegalArgumentException as {@link #export(InstanceRef, String)}
     */
    public Composition export(InstanceRef from, String export, String as) {
        requireName(export, "export");
        return addExport(from, export, as);
    }

    /**
     * Exports the whole instance {@code from} from the composition as {@code as}.
     *
     * @param from the instance exported
     * @param as the name of the composition's export, such as {@code docs:calc/all}
     * @return this composition
     * @throws IllegalArgumentException as {@link #export(InstanceRef, String)}
     */
    public Composition exportInstance(InstanceRef from, String as) {
        return addExport(from, null, as);
    }

    private Composition addExport(InstanceRef from, String export, String as) {
        own(from, "from");
        requireName(as, "as");
        if (!exportNames.add(as)) {
            throw new IllegalArgumentException("the composition already exports `" + as + "`");
        }
        exports.add(new Export(from, export, as));
        return this;
    }

    /**
     * Builds the composition and encodes it as one component.
     *
     * @return the bytes of the composed, validated component
     * @throws ComposeException if a component is not valid, an instance has no import or
     *     export by a connected or exported name (the message lists the names it has), a
     *     connection's types do not match (the message gives both types), the connections form
     *     a cycle, or unconnected imports of two instances share a name with different types
     */
    public byte[] encode() {
        byte[][] bytes = new byte[packages.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = packages.get(i).bytes();
        }
        return compose0(encodePlan(), bytes);
    }

    /**
     * Builds the composition and compiles it with {@code engine}; as {@link #encode()}.
     *
     * @param engine the engine to compile the composed component with
     * @return the composed component, compiled; the caller closes it
     * @throws ComposeException as {@link #encode()}
     */
    public Component toComponent(Engine engine) {
        Objects.requireNonNull(engine, "engine");
        return Component.fromBytes(engine, encode());
    }

    /**
     * The packages of this composition.
     *
     * @return the packages added so far, in order
     */
    public List<PackageRef> packages() {
        return List.copyOf(packageRefs);
    }

    /**
     * The instances of this composition.
     *
     * @return the instances added so far, in order
     */
    public List<InstanceRef> instances() {
        return List.copyOf(instances);
    }

    /**
     * Describes the composition for reading.
     *
     * @return a summary: the counts of packages, instances, connections and exports
     */
    @Override
    public String toString() {
        return "Composition[" + packages.size() + " packages, " + instances.size()
                + " instances, " + wires.size() + " connections, " + exports.size()
                + " exports]";
    }

    /**
     * The plan as {@code native/src/jni/compose.rs} decodes it: little-endian u32 counts and
     * indices, strings as a u32 length and UTF-8, optional strings as a u8 flag and the string.
     */
    private byte[] encodePlan() {
        Out o = new Out();
        o.u32(packages.size());
        packages.forEach(p -> o.string(p.name()));
        o.u32(instances.size());
        for (InstanceRef i : instances) {
            o.u32(i.packageRef().index);
            o.optional(i.name().orElse(null));
        }
        o.u32(wires.size());
        for (Wire w : wires) {
            o.u32(w.from().index);
            o.optional(w.export());
            o.u32(w.to().index);
            o.string(w.importName());
        }
        o.u32(exports.size());
        for (Export e : exports) {
            o.u32(e.from().index);
            o.optional(e.export());
            o.string(e.name());
        }
        return o.bytes.toByteArray();
    }

    private static String describe(InstanceRef from, String export) {
        return export == null ? from.toString() : "the export `" + export + "` of " + from;
    }

    private void own(PackageRef ref, String what) {
        Objects.requireNonNull(ref, what);
        if (ref.owner != this) {
            throw new IllegalArgumentException(ref + " belongs to another Composition");
        }
    }

    private void own(InstanceRef ref, String what) {
        Objects.requireNonNull(ref, what);
        if (ref.owner != this) {
            throw new IllegalArgumentException(ref + " belongs to another Composition");
        }
    }

    private static void requireName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isBlank()) {
            throw new IllegalArgumentException("`" + what + "` is blank");
        }
    }

    private static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void u32(int v) {
            for (int i = 0; i < 4; i++) {
                bytes.write(v >>> (8 * i));
            }
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            bytes.writeBytes(b);
        }

        void optional(String s) {
            bytes.write(s == null ? 0 : 1);
            if (s != null) {
                string(s);
            }
        }
    }

    private static native byte[] plug0(byte[] socket, byte[][] plugs);

    private static native byte[] compose0(byte[] plan, byte[][] packages);
}
