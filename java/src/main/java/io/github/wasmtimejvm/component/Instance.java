package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.TypeReader;
import io.github.wasmtimejvm.wit.NamedItem;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An instantiated component, living in its {@link Store}. Look up exported functions at the root
 * ({@code func("add")}) or inside an exported interface ({@code func("docs:calc/ops@1.0.0",
 * "add")}, or {@code func("docs:calc/ops@1.0.0#add")}).
 *
 * <p>An instance is usable while its store is open, from the thread using the store.
 */
public final class Instance {

    private final Store store;
    private final Component component;
    private final int id;
    private final ConcurrentHashMap<String, Func> funcs = new ConcurrentHashMap<>();

    Instance(Store store, Component component, int id) {
        this.store = store;
        this.component = component;
        this.id = id;
    }

    /**
     * The store this instance lives in.
     *
     * @return the store it was instantiated in
     */
    public Store store() {
        return store;
    }

    /** The id of this instance in its store, for the natives of this package. */
    int id() {
        return id;
    }

    /**
     * The component this instance was made from.
     *
     * @return the instantiated component
     */
    public Component component() {
        return component;
    }

    /**
     * The exported function {@code name}: a root export such as {@code "add"}, or {@code
     * "interface#name"} for a function inside an exported interface.
     *
     * @param name the export's name
     * @return the function; looking the same name up again returns the same {@link Func}
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export (the
     *     message lists those that exist)
     * @throws IllegalArgumentException if the export is not a function
     */
    public Func func(String name) {
        Objects.requireNonNull(name, "name");
        int hash = name.lastIndexOf('#');
        if (hash > 0 && hash < name.length() - 1) {
            return func(name.substring(0, hash), name.substring(hash + 1));
        }
        return lookup(name, new String[] {name});
    }

    /**
     * The function {@code name} inside the exported interface {@code interfaceName} (such as
     * {@code docs:calc/ops@1.0.0}).
     *
     * @param interfaceName the exported interface's name
     * @param name the function's name inside it
     * @return the function; looking it up again returns the same {@link Func}
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if {@code interfaceName} is not an exported instance, or
     *     the export is not a function
     */
    public Func func(String interfaceName, String name) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(name, "name");
        return lookup(interfaceName + "#" + name, new String[] {interfaceName, name});
    }

    private Func lookup(String key, String[] path) {
        Func f = funcs.get(key);
        if (f != null) {
            return f;
        }
        try {
            long storeAddress = Internals.address(store);
            int funcId = func0(storeAddress, id, path);
            f = new Func(store, funcId, key, TypeReader.funcType(Func.type0(storeAddress, funcId)));
        } finally {
            Reference.reachabilityFence(store);
        }
        Func previous = funcs.putIfAbsent(key, f);
        return previous == null ? f : previous;
    }

    /**
     * The root exports with their types.
     *
     * @return each root export's name and type: functions, interfaces, resources and the rest
     */
    public List<NamedItem> exports() {
        return exports0(new String[0]);
    }

    /**
     * The exports of the exported interface {@code interfaceName}.
     *
     * @param interfaceName the exported interface's name, such as {@code docs:calc/ops@1.0.0}
     * @return the name and type of each item in the interface
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if the export is not an instance
     */
    public List<NamedItem> exports(String interfaceName) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        return exports0(new String[] {interfaceName});
    }

    private List<NamedItem> exports0(String[] path) {
        try {
            return TypeReader.items(exports0(Internals.address(store), id, path));
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    @Override
    public String toString() {
        return "Instance[" + id + "]";
    }

    private static native int func0(long store, int instance, String[] path);

    private static native byte[] exports0(long store, int instance, String[] path);
}
