package io.github.wasmtimejvm.compose;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.internal.NativeLibrary;
import io.github.wasmtimejvm.wit.WitPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Builds a component from a core module, like {@code wasm-tools component embed} followed by
 * {@code wasm-tools component new}, in one call (wit-component does the work).
 *
 * <p>A module that already follows the canonical ABI (exports named {@code
 * docs:calc/adder@0.1.0#add}, a {@code cabi_realloc}, {@code cabi_post_*} where results need
 * freeing, as {@code tinygo -target=wasm-unknown} or {@code wit-bindgen} emit them) becomes a
 * component of the world it implements:
 *
 * <pre>{@code
 * byte[] adder = ComponentEncoder.fromModule(moduleBytes)
 *         .world(WitPackage.parse(Path.of("wit")), "adder-world")
 *         .encode();
 * }</pre>
 *
 * <p>A WASI preview 1 module is wrapped with the bundled preview 1 adapter, so it runs as a
 * preview 2 component:
 *
 * <pre>{@code
 * Component cmd = ComponentEncoder.fromModule(p1Bytes).adapter(Preview1Adapter.COMMAND).build(engine);
 * }</pre>
 *
 * <p>Both may be combined (a module with WIT exports that also uses preview 1). A module that
 * already carries its WIT in a {@code component-type} custom section (as wit-bindgen's output
 * does) needs no {@link #world}. The result is validated: errors name what is wrong (an export
 * the world needs and the module lacks, a signature that differs from the world's, a missing
 * {@code cabi_realloc}) as a {@link ComposeException}.
 *
 * <p>Not thread-safe; {@link #encode} may be called any number of times.
 */
public final class ComponentEncoder {

    static {
        NativeLibrary.load();
    }

    private final byte[] module;
    private WitPackage wit;
    private String world;
    private Preview1Adapter adapter;

    private ComponentEncoder(byte[] module) {
        this.module = module;
    }

    /**
     * Starts from a core module, as a binary or as WAT text (UTF-8 bytes). The bytes are not
     * copied; do not change them before {@link #encode}.
     *
     * @param module the core module
     * @return an encoder with no world and no adapter
     */
    public static ComponentEncoder fromModule(byte[] module) {
        return new ComponentEncoder(Objects.requireNonNull(module, "module"));
    }

    /**
     * Starts from a core module in WAT text.
     *
     * @param wat the core module in the WebAssembly text format
     * @return an encoder with no world and no adapter
     */
    public static ComponentEncoder fromModuleWat(String wat) {
        return fromModule(Objects.requireNonNull(wat, "wat").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts from a core module file ({@code .wasm} or {@code .wat}).
     *
     * @param path the module file
     * @return an encoder with no world and no adapter
     * @throws UncheckedIOException if the file cannot be read
     */
    public static ComponentEncoder fromModuleFile(Path path) {
        try {
            return fromModule(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * The world the module implements (what {@code component embed} embeds).
     *
     * @param wit the package holding the world
     * @param world the world's name, or {@code null} for the package's only world
     * @return this encoder
     */
    public ComponentEncoder world(WitPackage wit, String world) {
        this.wit = Objects.requireNonNull(wit, "wit");
        this.world = world;
        return this;
    }

    /**
     * The package's only world; see {@link #world(WitPackage, String)}.
     *
     * @param wit the package, which must hold exactly one world
     * @return this encoder
     */
    public ComponentEncoder world(WitPackage wit) {
        return world(wit, null);
    }

    /**
     * Wraps a WASI preview 1 module with this adapter ({@code null} for none, the default).
     *
     * @param adapter the adapter matching how the module runs (command or reactor), or null
     * @return this encoder
     */
    public ComponentEncoder adapter(Preview1Adapter adapter) {
        this.adapter = adapter;
        return this;
    }

    /**
     * Encodes and validates the component.
     *
     * @return the component's binary, loadable with {@link Component#fromBytes}
     * @throws ComposeException if the module does not fit the world, lacks what the canonical ABI
     *     needs, or the adapter cannot wrap it
     * @throws io.github.wasmtimejvm.CompileException if the module bytes are not a module
     */
    public byte[] encode() {
        return encode0(module, wit == null ? null : wit.toBinary(), world,
                adapter == null ? -1 : adapter.ordinal());
    }

    /**
     * Encodes the component and compiles it.
     *
     * @param engine the engine to compile with
     * @return the compiled component
     * @throws ComposeException if encoding fails, as for {@link #encode()}
     * @see #encode()
     */
    public Component build(Engine engine) {
        Objects.requireNonNull(engine, "engine");
        return Component.fromBytes(engine, encode());
    }

    private static native byte[] encode0(byte[] module, byte[] wit, String world, int adapter);
}
