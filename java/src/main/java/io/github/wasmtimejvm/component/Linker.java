package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.NativeHandle;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * Defines what a component's imports are satisfied with, and instantiates components. A linker
 * is thread-safe: definitions and instantiations may come from any thread.
 *
 * <pre>{@code
 * try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
 *     Instance instance = linker.instantiate(store, component);
 *     System.out.println(instance.func("add").call(1, 2)); // 3
 * }
 * }</pre>
 */
@SuppressWarnings("try") // the `running` scopes mark calls in progress; their bodies need not use them
public final class Linker extends NativeHandle {

    private static final Kind KIND = new Kind("Linker", Linker::dispose0, Linker::free0);

    private final Engine engine;
    /** The Java objects given to {@link #implement}, defined as components need them. */
    private final java.util.List<ImportBinding> implementations = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * An empty linker for components of {@code engine}.
     *
     * @param engine the engine whose components and stores this linker works with
     * @throws NullPointerException if {@code engine} is null
     */
    public Linker(Engine engine) {
        super(KIND, create(engine));
        this.engine = engine;
    }

    private static long create(Engine engine) {
        Objects.requireNonNull(engine, "engine");
        try {
            return new0(Internals.address(engine));
        } finally {
            Reference.reachabilityFence(engine);
        }
    }

    /**
     * The engine of this linker.
     *
     * @return the engine it was created for
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Definitions at the root of the component's imports.
     *
     * @return a view of this linker's root; definitions made through it go into this linker
     */
    public LinkerInstance root() {
        return new LinkerInstance(this, new String[0]);
    }

    /**
     * Definitions inside the imported interface {@code name}, such as {@code docs:log/logger@1.0.0}
     * (an imported instance); {@link LinkerInstance#instance(String)} goes further in, for
     * instances nested in it.
     *
     * @param name the imported interface's name
     * @return a view of that instance in this linker; definitions made through it go into this
     *     linker
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public LinkerInstance instance(String name) {
        return root().instance(name);
    }

    /**
     * Gives the imported interface {@code name} the items of {@code instance}'s exported interface
     * {@code exportName}: shorthand for {@code instance(name).defineInstance(instance,
     * exportName)}, see {@link LinkerInstance#defineInstance(Instance, String)}.
     *
     * <pre>{@code
     * Instance adder = linker.instantiate(store, adderComponent);
     * linker.defineInstance("docs:calc/adder@0.1.0", adder, "docs:calc/adder@0.1.0");
     * Instance calculator = linker.instantiate(store, calculatorComponent); // the same store
     * }</pre>
     *
     * @param name the imported interface to define
     * @param instance the instance whose export serves it
     * @param exportName the exported interface of {@code instance}
     * @return this linker
     */
    public Linker defineInstance(String name, Instance instance, String exportName) {
        instance(name).defineInstance(instance, exportName);
        return this;
    }

    /**
     * Implements the imported interface named by {@code api}'s {@link WitInterface} (the root
     * imports when it has none) with a Java object: each function the component imports calls the
     * method of its name, with arguments and results mapped as {@link Instance#bind(Class)}
     * describes.
     *
     * <pre>{@code
     * @WitInterface("docs:log/logger@1.0.0")
     * public interface Logger {
     *     void log(Level level, String message);        // log: func(level: level, message: string)
     *     @WitName("[constructor]sink") Sink newSink(String name);
     *     interface Sink extends AutoCloseable {         // resource sink { write: func(line: string); }
     *         void write(String line);
     *     }
     * }
     * linker.implement(Logger.class, myLogger);
     * }</pre>
     *
     * <p>The functions are defined when a component importing the interface is first
     * instantiated or pre-instantiated with this linker (and for functions a later component
     * imports beyond those), with the types the component imports them with, each checked
     * against its Java method. The interface's resources become host resources: their Java class
     * is the one the methods take and return for them, a {@code [method]} runs the method of that
     * name on the host object itself, and dropping the handle closes the object when it is {@link
     * AutoCloseable}. A method throwing {@link WitErrorException} (or the checked exception it
     * declares for a {@code result}) returns {@code err} to the guest; any other exception traps
     * the guest, and the guest's caller gets a {@link io.github.wasmtimejvm.TrapException} with it
     * as the cause.
     *
     * @param <T> the interface
     * @param api the Java interface standing for the WIT interface
     * @param implementation the object whose methods serve the imports
     * @return this linker
     * @throws IllegalArgumentException if {@code api} is not an interface, or {@code
     *     implementation} does not implement it
     */
    public <T> Linker implement(Class<T> api, T implementation) {
        Objects.requireNonNull(api, "api");
        WitInterface named = api.getAnnotation(WitInterface.class);
        return implement(named == null ? null : named.value(), api, implementation);
    }

    /**
     * Implements the imported interface {@code interfaceName} with a Java object, as {@link
     * #implement(Class, Object)} describes.
     *
     * @param <T> the interface
     * @param interfaceName the imported interface, such as {@code docs:log/logger@1.0.0}, or null for
     *     the root imports
     * @param api the Java interface standing for the WIT interface
     * @param implementation the object whose methods serve the imports
     * @return this linker
     * @throws IllegalArgumentException if {@code api} is not an interface, or {@code
     *     implementation} does not implement it
     */
    public <T> Linker implement(String interfaceName, Class<T> api, T implementation) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(implementation, "implementation");
        implementations.add(new ImportBinding(interfaceName, api, implementation));
        return this;
    }

    /** Defines what {@code component} imports of the implemented interfaces (see {@link #implement}). */
    private void resolveImplementations(Component component) {
        for (ImportBinding b : implementations) {
            b.resolve(this, component);
        }
    }

    void defineInstance(String[] path, Instance instance, String exportName) {
        Objects.requireNonNull(instance, "instance");
        Store store = instance.store();
        try {
            defineInstance0(address(), path, Internals.address(store), instance.id(), exportName);
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
        }
    }

    void defineModule(String[] path, String name, io.github.wasmtimejvm.module.Module module) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        try {
            defineModule0(address(), path, name, Internals.address(module));
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(module);
        }
    }

    void defineFunc(String[] path, String name, io.github.wasmtimejvm.wit.FuncType type, HostFunctions.Entry entry) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        entry.name = path.length == 0 ? name : String.join("/", path) + "#" + name;
        try {
            defineFunc0(address(), path, name, io.github.wasmtimejvm.internal.TypeWriter.funcType(type), entry);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    void defineFuncAsync(String[] path, String name, io.github.wasmtimejvm.wit.FuncType type,
            HostFunctions.Entry entry) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        entry.name = path.length == 0 ? name : String.join("/", path) + "#" + name;
        try {
            defineFuncAsync0(address(), path, name, io.github.wasmtimejvm.internal.TypeWriter.funcType(type), entry);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    void defineResource(String[] path, String name, HostResourceType<?> type) {
        try {
            defineResource0(address(), path, name, type.id());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Defines WASI 0.2 (cli, clocks, filesystem, io, random, sockets) for the components this
     * linker instantiates. What a guest may actually do is set by its store's {@link
     * io.github.wasmtimejvm.wasi.WasiConfig}.
     *
     * @return this linker
     * @throws io.github.wasmtimejvm.LinkException if a WASI name is already defined (and
     *     shadowing is off), for one when this is called twice
     */
    public Linker addWasi() {
        try {
            addWasi0(address());
        } finally {
            Reference.reachabilityFence(this);
        }
        return this;
    }

    /**
     * Defines {@code wasi:http} 0.2 ({@code types}, {@code outgoing-handler}), and WASI 0.2 as
     * {@link #addWasi()} does when that was not called yet: what a {@code wasi:http/proxy}
     * component imports. Serve such a component with {@link io.github.wasmtimejvm.http.HttpProxy}.
     * A guest's own outgoing requests reach nothing unless its store's {@link
     * io.github.wasmtimejvm.wasi.WasiConfig} has an {@link io.github.wasmtimejvm.wasi.HttpPolicy}
     * that allows them. Calling it again does nothing.
     *
     * @return this linker
     * @throws io.github.wasmtimejvm.LinkException if a {@code wasi:http} name is already defined
     *     (and shadowing is off)
     */
    public Linker addWasiHttp() {
        try {
            addWasiHttp0(address());
        } finally {
            Reference.reachabilityFence(this);
        }
        return this;
    }

    /**
     * Runs a {@code wasi:cli/command} component: instantiates it in {@code store} and calls its
     * {@code wasi:cli/run} export (call {@link #addWasi()} first).
     *
     * @param store the store to run it in; its WASI config sets what the command may do
     * @param command the command component
     * @return the exit status: 0 on success, the code given to {@code exit}, 1 when {@code run}
     *     returned an error
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     * @throws io.github.wasmtimejvm.TimeoutException if it runs past the store's time limit
     * @throws IllegalArgumentException if the component is not a command
     */
    public int runCommand(Store store, Component command) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(command, "command");
        resolveImplementations(command);
        try (StoreResources.Call running = Internals.resources(store).call()) {
            return runCommand0(address(), Internals.address(store), command.nativeAddress());
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
            Reference.reachabilityFence(command);
        }
    }

    /**
     * Whether a later definition may replace an earlier one with the same name (default: no).
     *
     * @param allow true to let definitions replace earlier ones, false to reject them with a
     *     {@link io.github.wasmtimejvm.LinkException}
     * @return this linker
     */
    public Linker allowShadowing(boolean allow) {
        try {
            allowShadowing0(address(), allow);
        } finally {
            Reference.reachabilityFence(this);
        }
        return this;
    }

    /**
     * Defines every import of {@code component} not defined yet as a function that traps when
     * called, so that the component instantiates without them.
     *
     * @param component the component whose imports to cover
     * @return this linker
     * @throws IllegalArgumentException if the component belongs to another engine
     * @throws io.github.wasmtimejvm.LinkException if wasmtime cannot define an import so
     */
    public Linker defineUnknownImportsAsTraps(Component component) {
        Objects.requireNonNull(component, "component");
        resolveImplementations(component);
        try {
            defineUnknownImportsAsTraps0(address(), component.nativeAddress());
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(component);
        }
        return this;
    }

    /**
     * Instantiates {@code component} in {@code store}.
     *
     * @param store the store the instance is to live in
     * @param component the component to instantiate
     * @return the new instance, usable while {@code store} is open
     * @throws io.github.wasmtimejvm.LinkException if an import is missing or has the wrong type
     * @throws io.github.wasmtimejvm.TrapException if the component's start function traps
     * @throws IllegalArgumentException if the store or component belongs to another engine
     */
    public Instance instantiate(Store store, Component component) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(component, "component");
        resolveImplementations(component);
        // The start function may run the guest and host functions.
        try (StoreResources.Call running = Internals.resources(store).call()) {
            int id = instantiate0(address(), Internals.address(store), component.nativeAddress());
            return new Instance(store, component, id);
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
            Reference.reachabilityFence(component);
        }
    }

    /**
     * Resolves and type-checks every import of {@code component} now, for cheap repeated
     * instantiation in any store.
     *
     * @param component the component to prepare
     * @return the pre-instantiated component; later definitions in this linker do not affect it
     * @throws io.github.wasmtimejvm.LinkException if an import is missing or has the wrong type
     * @throws IllegalArgumentException if the component belongs to another engine
     */
    public InstancePre instantiatePre(Component component) {
        Objects.requireNonNull(component, "component");
        resolveImplementations(component);
        try {
            return new InstancePre(component, instantiatePre0(address(), component.nativeAddress()));
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(component);
        }
    }

    private static native long new0(long engine);

    private static native void addWasi0(long address);

    private static native void addWasiHttp0(long address);

    private static native int runCommand0(long address, long store, long component);

    private static native void allowShadowing0(long address, boolean allow);

    private static native void defineResource0(long address, String[] path, String name, int payload);

    private static native void defineFunc0(long address, String[] path, String name, byte[] type, Object entry);

    private static native void defineFuncAsync0(long address, String[] path, String name, byte[] type,
            Object entry);

    private static native void defineUnknownImportsAsTraps0(long address, long component);

    private static native void defineInstance0(long address, String[] path, long store, int instance,
            String exportName);

    private static native void defineModule0(long address, String[] path, String name, long module);

    private static native int instantiate0(long address, long store, long component);

    private static native long instantiatePre0(long address, long component);

    private static native void dispose0(long address);

    private static native void free0(long address);
}
