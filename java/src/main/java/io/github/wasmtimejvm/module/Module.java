package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.NativeHandle;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A compiled core WebAssembly module (not a component): a plugin built by TinyGo {@code
 * wasm-unknown}, AssemblyScript, Rust {@code wasm32-unknown-unknown} or C, or a program built for
 * WASI preview 1 ({@code wasm32-wasip1}). Instantiate it with a {@link Linker}; run a WASI command
 * with {@link #runWasiCommand}. Thread-safe.
 *
 * <pre>{@code
 * try (Module calc = Module.fromWat(engine, "(module (func (export \"add\") (param i32 i32) (result i32)"
 *                  + " (i32.add (local.get 0) (local.get 1))))");
 *      Linker linker = new Linker(engine);
 *      Store store = new Store(engine)) {
 *     Func add = linker.instantiate(store, calc).func("add");
 *     Object[] sum = add.call(40, 2);        // {42}
 *     long fast = add.callRaw(40, 2);         // 42, allocation-free
 * }
 * }</pre>
 *
 * <pre>{@code
 * try (Module program = Module.fromFile(engine, Path.of("hello.wasm"));
 *      Store store = Store.builder(engine).wasi(WasiConfig.builder().inheritStdio().build()).build()) {
 *     int exit = program.runWasiCommand(store);
 * }
 * }</pre>
 */
@SuppressWarnings("try") // the `running` scopes mark calls in progress; their bodies need not use them
public final class Module extends NativeHandle {

    private static final Kind KIND = new Kind("Module", Module::dispose0, Module::free0);

    private final Engine engine;

    private Module(Engine engine, long address) {
        super(KIND, address);
        this.engine = engine;
    }

    /**
     * Compiles a core module from its binary encoding or WAT text.
     *
     * @param engine the engine to compile with; the module keeps it alive
     * @param bytes the module binary, or WAT text as UTF-8
     * @return the compiled module
     * @throws io.github.wasmtimejvm.CompileException if the bytes are not a valid module
     */
    public static Module fromBytes(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new Module(engine, new0(Internals.address(engine), bytes));
        } finally {
            Reference.reachabilityFence(engine);
        }
    }

    /**
     * Checks that {@code bytes} (binary or WAT) are a valid core module for the engine's
     * features, without compiling it.
     *
     * @param engine the engine whose enabled features decide validity
     * @param bytes the module binary, or WAT text as UTF-8
     * @throws io.github.wasmtimejvm.CompileException with the validation error
     */
    public static void validate(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        try {
            validate0(Internals.address(engine), bytes);
        } finally {
            Reference.reachabilityFence(engine);
        }
    }

    /**
     * Compiles a module ahead of time into a checked image for {@link #deserialize} (with the
     * same engine settings, on any machine of the same kind).
     *
     * @param engine the engine whose settings the code is compiled for
     * @param bytes the module binary, or WAT text as UTF-8
     * @return the checked image of the compiled code
     * @throws io.github.wasmtimejvm.CompileException if the bytes are not a valid module
     */
    public static byte[] precompile(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        try {
            return precompile0(Internals.address(engine), bytes);
        } finally {
            Reference.reachabilityFence(engine);
        }
    }

    /**
     * Loads a module from {@link #serialize} or {@link #precompile} output. The image is checked
     * (a digest, or an HMAC with the engine's compiled-code key) before wasmtime reads it:
     * truncated, corrupted or foreign bytes throw instead of crashing the process.
     *
     * @param engine an engine with the settings (and key) the image was compiled with
     * @param bytes the output of {@link #serialize()} or {@link #precompile}
     * @return the loaded module, with no compilation
     * @throws io.github.wasmtimejvm.CompileException if the bytes are not an intact image for
     *     this engine
     */
    public static Module deserialize(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new Module(engine, deserialize0(Internals.address(engine), bytes));
        } finally {
            Reference.reachabilityFence(engine);
        }
    }

    /**
     * The compiled form, for {@link #deserialize}.
     *
     * @return a new array: the checked image of the compiled code
     */
    public byte[] serialize() {
        try {
            return serialize0(address());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The module's imports and their types, in order.
     *
     * @return the imports (module name, field name, type); unmodifiable
     */
    public java.util.List<ImportType> imports() {
        try {
            return TypeCodec.imports(types0(address(), true));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The module's exports and their types, in order.
     *
     * @return the exports (name, type); unmodifiable
     */
    public java.util.List<ExportType> exports() {
        try {
            return TypeCodec.exports(types0(address(), false));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Compiles a core module from WAT text.
     *
     * @param engine the engine to compile with; the module keeps it alive
     * @param wat the module in the WebAssembly text format
     * @return the compiled module
     * @throws io.github.wasmtimejvm.CompileException if the text is not a valid module
     */
    public static Module fromWat(Engine engine, String wat) {
        return fromBytes(engine, wat.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compiles the core module in a file.
     *
     * @param engine the engine to compile with; the module keeps it alive
     * @param path a {@code .wasm} binary or {@code .wat} text file
     * @return the compiled module
     * @throws UncheckedIOException if the file cannot be read
     * @throws io.github.wasmtimejvm.CompileException if it is not a valid module
     */
    public static Module fromFile(Engine engine, Path path) {
        try {
            return fromBytes(engine, Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The engine this module was compiled with.
     *
     * @return the engine given when the module was compiled or loaded
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Runs the module as a WASI preview 1 command: instantiates it with {@code
     * wasi_snapshot_preview1} from the store's WASI configuration and calls {@code _start}.
     *
     * @param store the store to run in; its WASI configuration gives the arguments, environment and stdio
     * @return the exit status (0 when {@code _start} returns, else the code given to {@code
     *     proc_exit})
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     * @throws io.github.wasmtimejvm.TimeoutException if it runs past the store's time limit
     * @throws io.github.wasmtimejvm.LinkException if it imports something other than WASI
     */
    public int runWasiCommand(Store store) {
        Objects.requireNonNull(store, "store");
        try (StoreResources.Call running = Internals.resources(store).call()) {
            return runWasiCommand0(address(), Internals.address(store));
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
        }
    }

    private static native long new0(long engine, byte[] bytes);

    private static native int runWasiCommand0(long address, long store);

    private static native void validate0(long engine, byte[] bytes);

    private static native byte[] precompile0(long engine, byte[] bytes);

    private static native long deserialize0(long engine, byte[] bytes);

    private static native byte[] serialize0(long address);

    private static native byte[] types0(long address, boolean imports);

    private static native void dispose0(long address);

    private static native void free0(long address);
}
