package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.NativeHandle;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.TypeReader;
import io.github.wasmtimejvm.wit.ComponentType;
import io.github.wasmtimejvm.wit.WitPackage;
import io.github.wasmtimejvm.wit.WorldCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A compiled WebAssembly component. Thread-safe: instantiate it in any number of stores of its
 * engine, from any thread.
 *
 * <pre>{@code
 * try (Component add = Component.fromFile(engine, Path.of("add.wasm"))) {
 *     System.out.println(add.type());
 * }
 * }</pre>
 */
public final class Component extends NativeHandle {

    private static final Kind KIND = new Kind("Component", Component::dispose0, Component::free0);

    private final Engine engine;
    private volatile ComponentType type;
    private volatile WitPackage witPackage;

    private Component(Engine engine, long address) {
        super(KIND, address);
        this.engine = engine;
    }

    /**
     * Compiles a component from its binary encoding or from WAT text (as bytes).
     *
     * @param engine the engine to compile with; the component keeps it alive
     * @param bytes the component binary, or WAT text as UTF-8
     * @return the compiled component
     * @throws io.github.wasmtimejvm.CompileException if the bytes are not a valid component
     */
    public static Component fromBytes(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new Component(engine, new0(Internals.address(engine), bytes));
        } finally {
            Reference.reachabilityFence(engine);
        }
    }

    /**
     * Compiles a component from WAT text.
     *
     * @param engine the engine to compile with; the component keeps it alive
     * @param wat the component in the WebAssembly text format
     * @return the compiled component
     * @throws io.github.wasmtimejvm.CompileException if the text is not a valid component
     */
    public static Component fromWat(Engine engine, String wat) {
        Objects.requireNonNull(wat, "wat");
        return fromBytes(engine, wat.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compiles the component (binary or WAT text) in a file.
     *
     * @param engine the engine to compile with; the component keeps it alive
     * @param path a {@code .wasm} binary or {@code .wat} text file
     * @return the compiled component
     * @throws UncheckedIOException if the file cannot be read
     * @throws io.github.wasmtimejvm.CompileException if it is not a valid component
     */
    public static Component fromFile(Engine engine, Path path) {
        Objects.requireNonNull(path, "path");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return fromBytes(engine, bytes);
    }

    /**
     * Loads a component from bytes produced by {@link #serialize()} or {@link
     * Engine#precompileComponent} on an engine with the same settings.
     *
     * <p>The bytes are native code, so they are checked before wasmtime reads them: truncated or
     * corrupted bytes (a cache file cut short by a crash, a bad copy) are refused with a {@link
     * io.github.wasmtimejvm.CompileException}, never loaded. Without a {@link
     * io.github.wasmtimejvm.CompiledCodeKey} on the engine the check is a SHA-256 checksum, which
     * anyone who changes the bytes on purpose can recompute: load only bytes from a place only
     * trusted code writes. With a key, only bytes signed with it load, wherever they were kept.
     *
     * @param engine an engine with the settings (and key) the bytes were compiled with
     * @param bytes the output of {@link #serialize()} or {@link Engine#precompileComponent}
     * @return the loaded component, with no compilation
     * @throws io.github.wasmtimejvm.CompileException if the bytes are not a checked image of this
     *     library, are truncated, corrupted or not signed with the engine's key, or were compiled
     *     for other settings
     */
    public static Component deserialize(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new Component(engine, deserialize0(Internals.address(engine), bytes));
        } finally {
            Reference.reachabilityFence(engine);
        }
    }

    /**
     * Loads raw wasmtime compiled bytes (such as {@code wasmtime compile} output) with no check
     * at all. UNSAFE: the bytes are executable code, and changed or truncated bytes crash the JVM
     * or run arbitrary code in it. Prefer {@link #deserialize}, which checks what it loads.
     *
     * @param engine an engine with the settings the bytes were compiled with
     * @param bytes wasmtime's own serialized form, unchecked
     * @return the loaded component
     * @throws io.github.wasmtimejvm.CompileException if wasmtime recognises the bytes as not
     *     compatible with the engine
     */
    public static Component deserializeUnsafe(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new Component(engine, deserializeUnsafe0(Internals.address(engine), bytes));
        } finally {
            Reference.reachabilityFence(engine);
        }
    }

    /**
     * The compiled form, for {@link #deserialize}: wasmtime's compiled code behind a header with
     * its length and a SHA-256 checksum (or an HMAC-SHA256 signature with the engine's {@link
     * io.github.wasmtimejvm.CompiledCodeKey}).
     *
     * @return a new array: the checked image, which {@link #deserialize} loads without compiling
     */
    public byte[] serialize() {
        try {
            return serialize0(address());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Every import and export, with full types.
     *
     * @return the component's imports and exports by name, with their types
     * @throws IllegalStateException if the component is closed (even when the type was read
     *     before)
     */
    public ComponentType type() {
        long address = address();
        ComponentType t = type;
        if (t == null) {
            try {
                t = TypeReader.componentType(type0(address));
            } finally {
                Reference.reachabilityFence(this);
            }
            type = t;
        }
        return t;
    }

    /**
     * The component's WIT as text, like {@code wasm-tools component wit}: its world {@code root}
     * in the package {@code root:component}, then the packages of the interfaces it imports and
     * exports, with their doc comments and versions as the component carries them.
     *
     * @return the WIT text of the component's world
     * @throws IllegalArgumentException if the component was loaded with {@link #deserialize}
     *     (compiled code keeps no WIT; load the binary instead)
     * @throws IllegalStateException if the component is closed
     */
    public String wit() {
        return witPackage().toWit();
    }

    /**
     * The component's WIT as a package ({@code root:component}, with its one world {@code root}).
     *
     * @return the parsed package
     * @throws IllegalArgumentException if the component was loaded with {@link #deserialize}
     * @throws IllegalStateException if the component is closed
     * @see #wit()
     */
    public WitPackage witPackage() {
        WitPackage p = witPackage;
        if (p == null) {
            try {
                p = WitPackage.fromBinary(wit0(address()));
            } finally {
                Reference.reachabilityFence(this);
            }
            witPackage = p;
        }
        return p;
    }

    /**
     * Checks this component against a world, like {@code wasm-tools component targets}: it must
     * export everything the world exports, with the same types, and import nothing the world does
     * not allow. Every mismatch is listed with both types.
     *
     * @param wit the package holding the world
     * @param world the world's name in the package
     * @return the result: whether the component fits, and every mismatch
     * @throws IllegalArgumentException if the package has no such world
     * @throws IllegalStateException if the component is closed
     */
    public WorldCheck check(WitPackage wit, String world) {
        Objects.requireNonNull(wit, "wit");
        Objects.requireNonNull(world, "world");
        wit.world(world); // names the worlds the package has when it lacks this one
        return check(wit, world, wit.name() + "/" + world);
    }

    /**
     * Checks this component against the only world of a package.
     *
     * @param wit the package holding exactly one world
     * @return the result, as {@link #check(WitPackage, String)} gives it
     * @throws IllegalArgumentException if the package has no world or more than one
     * @see #check(WitPackage, String)
     */
    public WorldCheck check(WitPackage wit) {
        Objects.requireNonNull(wit, "wit");
        if (wit.worldNames().size() != 1) {
            throw new IllegalArgumentException("package " + wit.name() + " has "
                    + (wit.worldNames().isEmpty() ? "no world"
                            : "worlds " + String.join(", ", wit.worldNames()))
                    + ": name the world to check against");
        }
        String world = wit.worldNames().iterator().next();
        return check(wit, world, wit.name() + "/" + world);
    }

    private WorldCheck check(WitPackage wit, String world, String qualified) {
        try {
            return new WorldCheck(qualified,
                    TypeReader.mismatches(check0(address(), wit.toBinary(), world)));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The engine this component was compiled with.
     *
     * @return the engine given when the component was compiled or loaded
     */
    public Engine engine() {
        return engine;
    }

    long nativeAddress() {
        return address();
    }

    private static native long new0(long engine, byte[] bytes);

    private static native long deserialize0(long engine, byte[] bytes);

    private static native long deserializeUnsafe0(long engine, byte[] bytes);

    private static native byte[] serialize0(long address);

    private static native byte[] type0(long address);

    private static native byte[] wit0(long address);

    private static native byte[] check0(long address, byte[] wit, String world);

    private static native void dispose0(long address);

    private static native void free0(long address);
}
