package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * An instance of a core module in its {@link Store}, made by {@link Linker#instantiate}. Its
 * exports are items of the store ({@link Func}, {@link Memory}, {@link Global}, {@link Table}).
 */
public final class Instance {

    private final Store store;
    private final Module module;
    private final int id;

    Instance(Store store, Module module, int id) {
        this.store = store;
        this.module = module;
        this.id = id;
    }

    /**
     * The store this instance lives in.
     *
     * @return the store given to {@code Linker.instantiate}
     */
    public Store store() {
        return store;
    }

    /**
     * The module this instance was made from.
     *
     * @return the module that was instantiated
     */
    public Module module() {
        return module;
    }

    int id() {
        return id;
    }

    /**
     * The export {@code name}.
     *
     * @param name the export's name
     * @return the function, memory, global or table
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export (the
     *     message lists those that exist)
     * @throws IllegalArgumentException if it is a tag, which the host cannot use as an item
     */
    public Extern export(String name) {
        Objects.requireNonNull(name, "name");
        byte[] b;
        try {
            b = export0(Internals.address(store), id, name);
        } finally {
            Reference.reachabilityFence(store);
        }
        ByteBuffer buf = TypeCodec.wrap(b);
        int item = buf.getInt();
        ExternType type = TypeCodec.externType(buf);
        return item(store, item, type, "export `" + name + "`");
    }

    static Extern item(Store store, int item, ExternType type, String what) {
        if (type instanceof FuncType) {
            return Func.of(store, item);
        } else if (type instanceof MemoryType) {
            return Memory.of(store, item);
        } else if (type instanceof GlobalType) {
            return Global.of(store, item);
        } else if (type instanceof TableType) {
            return Table.of(store, item);
        }
        throw new IllegalArgumentException(what + " is a tag " + type + ": tags are not items the host can use");
    }

    private <T extends Extern> T export(String name, Class<T> kind, String word) {
        Extern e = export(name);
        if (!kind.isInstance(e)) {
            throw new IllegalArgumentException("export `" + name + "` is " + e.type() + ", not a " + word);
        }
        return kind.cast(e);
    }

    /**
     * The exported function {@code name}.
     *
     * @param name the export's name
     * @return the function
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if the export is not a function
     */
    public Func func(String name) {
        return export(name, Func.class, "function");
    }

    /**
     * The exported memory {@code name}.
     *
     * @param name the export's name
     * @return the memory
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if the export is not a memory
     */
    public Memory memory(String name) {
        return export(name, Memory.class, "memory");
    }

    /**
     * The exported global {@code name}.
     *
     * @param name the export's name
     * @return the global
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if the export is not a global
     */
    public Global global(String name) {
        return export(name, Global.class, "global");
    }

    /**
     * The exported table {@code name}.
     *
     * @param name the export's name
     * @return the table
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if the export is not a table
     */
    public Table table(String name) {
        return export(name, Table.class, "table");
    }

    /**
     * The instance's exports and their types, in order.
     *
     * @return the exports (name, type); unmodifiable
     */
    public List<ExportType> exports() {
        try {
            return TypeCodec.exports(exports0(Internals.address(store), id));
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /** The type of item {@code id} of {@code store}. */
    static ExternType itemType(Store store, int id) {
        try {
            return TypeCodec.externType(TypeCodec.wrap(itemType0(Internals.address(store), id)));
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    private static native byte[] export0(long store, int instance, String name);

    private static native byte[] exports0(long store, int instance);

    private static native byte[] itemType0(long store, int id);
}
