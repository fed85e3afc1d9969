package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.NativeHandle;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * Resolves the imports of core modules and instantiates them: Java host functions, WASI preview
 * 1, and items, instances and modules of a store, each defined under a module name and a name.
 * Thread-safe.
 *
 * <pre>{@code
 * try (Linker linker = new Linker(engine)) {
 *     linker.func("host", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()),
 *             (caller, args) -> {
 *                 System.out.println(caller.memory("memory").readString((int) args[0], (int) args[1]));
 *                 return null;
 *             });
 *     Instance instance = linker.instantiate(store, module);
 *     long sum = instance.func("add").callRaw(40, 2);
 * }
 * }</pre>
 *
 * <p>Host functions and WASI suit every store of the engine. Once an item, instance or module of
 * a store is defined ({@link #define}, {@link #defineInstance}, {@link #defineModule}), the
 * linker belongs to that store and refuses others with {@link IllegalArgumentException}.
 */
@SuppressWarnings("try") // the `running` scopes mark calls in progress; their bodies need not use them
public final class Linker extends NativeHandle {

    private static final Kind KIND = new Kind("module.Linker", Linker::dispose0, Linker::free0);

    private final Engine engine;

    /**
     * An empty linker for modules of {@code engine}.
     *
     * @param engine the engine whose modules this linker links
     */
    public Linker(Engine engine) {
        super(KIND, newLinker(engine));
        this.engine = engine;
    }

    private static long newLinker(Engine engine) {
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
     * @return the engine given to the constructor
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Defines the host function {@code module}.{@code name} of type {@code type}.
     *
     * @param module the import's module name
     * @param name the import's field name
     * @param type the function's parameter and result types
     * @param function the Java code run for each call
     * @return this linker
     * @throws io.github.wasmtimejvm.LinkException if the name is taken and shadowing is off
     */
    public Linker func(String module, String name, FuncType type, HostFunction function) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
        try {
            func0(address(), module, name, TypeCodec.encode(type),
                    new HostFunctions.Entry(module + "::" + name, type, function));
        } finally {
            Reference.reachabilityFence(this);
        }
        return this;
    }

    /**
     * Defines WASI preview 1 ({@code wasi_snapshot_preview1}), served from each store's {@link
     * io.github.wasmtimejvm.wasi.WasiConfig} (a store without one grants nothing).
     *
     * @return this linker
     */
    public Linker addWasi() {
        try {
            wasi0(address());
        } finally {
            Reference.reachabilityFence(this);
        }
        return this;
    }

    /**
     * Lets later definitions replace earlier ones of the same name (off by default).
     *
     * @param allow true to let a definition replace an earlier one, false to refuse it
     * @return this linker
     */
    public Linker allowShadowing(boolean allow) {
        try {
            shadowing0(address(), allow);
        } finally {
            Reference.reachabilityFence(this);
        }
        return this;
    }

    /**
     * Makes function imports nothing defines trap when called, instead of failing the
     * instantiation (off by default).
     *
     * @param enable true to define the missing function imports as traps
     * @return this linker
     */
    public Linker defineUnknownImportsAsTraps(boolean enable) {
        try {
            unknownTraps0(address(), enable);
        } finally {
            Reference.reachabilityFence(this);
        }
        return this;
    }

    private static int itemId(Extern item) {
        if (item instanceof Func) {
            return ((Func) item).id();
        } else if (item instanceof Memory) {
            return ((Memory) item).id();
        } else if (item instanceof Global) {
            return ((Global) item).id();
        }
        return ((Table) item).id();
    }

    private static void sameStore(Store store, Store other, String what) {
        if (store != other) {
            throw new IllegalArgumentException(what + " belongs to another Store than the one given");
        }
    }

    /**
     * Defines {@code item} (of {@code store}) as {@code module}.{@code name}.
     *
     * @param store the store {@code item} belongs to
     * @param module the import's module name
     * @param name the import's field name
     * @param item a function, memory, global or table of {@code store}
     * @return this linker
     * @throws io.github.wasmtimejvm.LinkException if the name is taken and shadowing is off
     */
    public Linker define(Store store, String module, String name, Extern item) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(item, "item");
        sameStore(store, item.store(), "the item");
        try {
            define0(address(), Internals.address(store), module, name, itemId(item));
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
        }
        return this;
    }

    /**
     * Defines every export of {@code instance} under the module name {@code name}.
     *
     * @param store the store of {@code instance}
     * @param name the module name importers use
     * @param instance the instance whose exports are defined
     * @return this linker
     * @throws io.github.wasmtimejvm.LinkException if the name is taken and shadowing is off
     */
    public Linker defineInstance(Store store, String name, Instance instance) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instance, "instance");
        sameStore(store, instance.store(), "the instance");
        try {
            defineInstance0(address(), Internals.address(store), name, instance.id());
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
        }
        return this;
    }

    /**
     * Defines the exports of {@code module} under the module name {@code name}, instantiated
     * with this linker's definitions when used (a WASI command afresh for each call, a reactor
     * once).
     *
     * @param store the store in which {@code module} is instantiated
     * @param name the module name importers use
     * @param module the module whose exports are defined
     * @return this linker
     * @throws io.github.wasmtimejvm.LinkException if the name is taken and shadowing is off
     */
    public Linker defineModule(Store store, String name, Module module) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        try (StoreResources.Call running = Internals.resources(store).call()) {
            defineModule0(address(), Internals.address(store), name, Internals.address(module));
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
            Reference.reachabilityFence(module);
        }
        return this;
    }

    /**
     * Instantiates {@code module} in {@code store}, running its start function.
     *
     * @param store the store the instance lives in
     * @param module the module, compiled with this linker's engine
     * @return the new instance
     * @throws io.github.wasmtimejvm.LinkException if an import is missing or has the wrong type
     * @throws io.github.wasmtimejvm.TrapException if the start function traps
     */
    public Instance instantiate(Store store, Module module) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(module, "module");
        try (StoreResources.Call running = Internals.resources(store).call()) {
            int id = instantiate0(address(), Internals.address(store), Internals.address(module));
            return new Instance(store, module, id);
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(store);
            Reference.reachabilityFence(module);
        }
    }

    private static native long new0(long engine);

    private static native void func0(long address, String module, String name, byte[] type, Object entry);

    private static native void wasi0(long address);

    private static native void shadowing0(long address, boolean allow);

    private static native void unknownTraps0(long address, boolean enable);

    private static native void define0(long address, long store, String module, String name, int id);

    private static native void defineInstance0(long address, long store, String name, int instance);

    private static native void defineModule0(long address, long store, String name, long module);

    private static native int instantiate0(long address, long store, long module);

    private static native void dispose0(long address);

    private static native void free0(long address);
}
