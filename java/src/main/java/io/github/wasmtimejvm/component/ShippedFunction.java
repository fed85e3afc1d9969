package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.ItemType;
import io.github.wasmtimejvm.wit.NamedItem;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A component's exported function that travels to other JVMs: compiled once where it is made,
 * carried as the checked precompiled image of {@link Component#serialize} inside this
 * serializable object (what Spark and Flink ship to their executors and task managers), and
 * loaded once per JVM, with the integrity check of {@link Component#deserialize}: a truncated or
 * corrupted copy is refused, never run.
 *
 * <p>Each JVM keeps one {@link Engine}, component and {@link InstancePre} per image. Calls run in
 * a {@link Caller}: a {@link Store} and an instance of its own, made by {@link #open()} (for an
 * owner with a lifecycle, such as a Flink function's {@code open}/{@code close}), or taken by
 * {@link #call} from the JVM's pool for the image (for row-at-a-time callers such as Spark UDFs):
 * as many callers as threads call at once, each used by one thread at a time, kept for the next
 * calls and dropped after a trap. The engine has the default settings, the same wherever it is
 * loaded; the image must come from the same platform and library version.
 *
 * <p>WASI is linked and grants nothing (a store without a {@code WasiConfig}); a component
 * importing anything else fails to load with a {@link io.github.wasmtimejvm.LinkException}.
 */
public final class ShippedFunction implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How messages name the component. */
    private final String componentName;
    /** The export: {@code name} or {@code interface#name}. */
    private final String function;
    /** The checked precompiled image ({@link Component#serialize}). */
    private final byte[] image;
    /** The image's SHA-256 and the export: what a JVM keeps its loaded component and callers by. */
    private final String key;
    /** The function's type, once looked up in this JVM. */
    private transient volatile FuncType type;

    /** What a JVM keeps per image. */
    private record Loaded(Engine engine, Component component, Linker linker, InstancePre pre) {}

    private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, Deque<Caller>> POOLS = new ConcurrentHashMap<>();

    private ShippedFunction(String componentName, String function, byte[] image, FuncType type) {
        this.componentName = componentName;
        this.function = function;
        this.image = image;
        this.key = sha256(image) + "#" + function;
        this.type = type;
    }

    /**
     * The function {@code function} of the component in a file, compiled here.
     *
     * @param component a component file (binary or WAT text)
     * @param function {@code name} for a function the component exports itself, or {@code
     *     interface#name} (e.g. {@code docs:scoring/scorer@0.1.0#score}) for one of an exported interface
     * @return the function, ready to ship
     * @throws IllegalArgumentException if the component has no such function
     * @throws io.github.wasmtimejvm.CompileException if the file is not a valid component
     * @throws UncheckedIOException if the file cannot be read
     */
    public static ShippedFunction of(Path component, String function) {
        try {
            return of(component.getFileName().toString(), Files.readAllBytes(component), function);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + component, e);
        }
    }

    /**
     * The function {@code function} of a component's bytes, compiled here.
     *
     * @param componentName how messages name the component (a file name, say)
     * @param componentBytes the component, binary or WAT text
     * @param function {@code name} or {@code interface#name}
     * @return the function, ready to ship
     * @throws IllegalArgumentException if the component has no such function
     * @throws io.github.wasmtimejvm.CompileException if the bytes are not a valid component
     */
    public static ShippedFunction of(String componentName, byte[] componentBytes, String function) {
        Objects.requireNonNull(componentName, "componentName");
        Objects.requireNonNull(componentBytes, "componentBytes");
        Objects.requireNonNull(function, "function");
        try (Engine engine = new Engine(); Component c = Component.fromBytes(engine, componentBytes)) {
            FuncType t = typeOf(c, function);
            return new ShippedFunction(componentName, function, c.serialize(), t);
        }
    }

    /**
     * How messages name the component.
     *
     * @return the name given when this was made
     */
    public String componentName() {
        return componentName;
    }

    /**
     * The function's export path.
     *
     * @return {@code name} or {@code interface#name}
     */
    public String function() {
        return function;
    }

    /**
     * The function's WIT type.
     *
     * @return the parameters and results
     */
    public FuncType type() {
        FuncType t = type;
        if (t == null) {
            t = typeOf(loaded().component(), function);
            type = t;
        }
        return t;
    }

    private Loaded loaded() {
        return LOADED.computeIfAbsent(key, k -> {
            Engine engine = new Engine();
            try {
                Component component = Component.deserialize(engine, image);
                Linker linker = new Linker(engine).addWasi();
                return new Loaded(engine, component, linker, linker.instantiatePre(component));
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
        });
    }

    /**
     * A new instance of the component in this JVM, in a store of its own, to call the function
     * on; close it when done. After a trap, close it and open another.
     *
     * @return the caller
     */
    public Caller open() {
        Loaded l = loaded();
        Store store = Store.builder(l.engine()).build();
        try {
            Instance instance = l.pre().instantiate(store);
            return new Caller(store, lookup(instance, function));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Calls the function on an instance from this JVM's pool for the image (one is made when all
     * are in use; one that traps is closed, not returned).
     *
     * @param args one plain Java value per parameter (see {@link Func})
     * @return as {@link Func#call}
     * @throws TrapException if the guest traps
     * @throws IllegalArgumentException if an argument does not fit its parameter
     */
    public Object call(Object... args) {
        Deque<Caller> pool = POOLS.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        Caller c = pool.pollFirst();
        if (c == null) {
            c = open();
        }
        try {
            Object result = c.call(args);
            pool.offerFirst(c);
            return result;
        } catch (TrapException e) {
            c.close();
            throw e;
        } catch (RuntimeException e) {
            // Refused before or after the guest ran (an argument, a result): the instance is sound.
            pool.offerFirst(c);
            throw e;
        }
    }

    /** An instance of the component in a store of its own, and the function on it. */
    public static final class Caller implements AutoCloseable {
        private final Store store;
        private final Func func;

        private Caller(Store store, Func func) {
            this.store = store;
            this.func = func;
        }

        /**
         * Calls the function.
         *
         * @param args one plain Java value per parameter (see {@link Func})
         * @return as {@link Func#call}
         * @throws TrapException if the guest traps; the instance may not be called again
         */
        public Object call(Object... args) {
            return func.call(args);
        }

        /** Frees the store and its instance. */
        @Override
        public void close() {
            store.close();
        }
    }

    private static Func lookup(Instance instance, String function) {
        int hash = function.indexOf('#');
        return hash < 0
                ? instance.func(function)
                : instance.func(function.substring(0, hash), function.substring(hash + 1));
    }

    private static FuncType typeOf(Component component, String function) {
        int hash = function.indexOf('#');
        String outer = hash < 0 ? function : function.substring(0, hash);
        NamedItem item = component.type().exportNamed(outer).orElseThrow(() -> new IllegalArgumentException(
                "the component exports no " + outer + "; its exports: " + component.type().exports()));
        ItemType t = item.type();
        if (hash >= 0) {
            if (!(t instanceof ItemType.Instance i)) {
                throw new IllegalArgumentException(outer + " is not an interface the component exports");
            }
            String name = function.substring(hash + 1);
            t = i.export(name).orElseThrow(() -> new IllegalArgumentException(
                    outer + " has no function " + name + "; it has: " + i.exports())).type();
        }
        if (!(t instanceof ItemType.Func f)) {
            throw new IllegalArgumentException(function + " is not a function the component exports");
        }
        return f.type();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return componentName + " " + function;
    }
}
