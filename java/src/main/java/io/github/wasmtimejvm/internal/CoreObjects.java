package io.github.wasmtimejvm.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The Java side of a store's core WebAssembly items: one Java object per item id (so the same
 * function, reached twice, is the same {@code Func}), and the objects passed to the guest as
 * {@code externref}, by key. An object keeps its key (and stays reachable) until the store
 * closes: the guest may hold it in a table or global for as long as the store lives. Not for use
 * outside this library.
 */
public final class CoreObjects {

    private final ConcurrentHashMap<Integer, Object> items = new ConcurrentHashMap<>();
    private final IdentityHashMap<Object, Long> keys = new IdentityHashMap<>();
    private final ArrayList<Object> objects = new ArrayList<>();

    CoreObjects() {}

    /** The Java object of item {@code id}, made by {@code make} the first time. */
    @SuppressWarnings("unchecked")
    public <T> T item(int id, IntFunction<T> make) {
        return (T) items.computeIfAbsent(id, make::apply);
    }

    /** The key of {@code object} as an {@code externref} (never 0), the same for the same object. */
    public synchronized long externKey(Object object) {
        Long key = keys.get(object);
        if (key != null) {
            return key;
        }
        objects.add(object);
        long k = objects.size();
        keys.put(object, k);
        return k;
    }

    /** The object behind an {@code externref} key. */
    public synchronized Object externObject(long key) {
        if (key < 1 || key > objects.size()) {
            throw new IllegalStateException("no externref object with key " + key + " in this store");
        }
        return objects.get((int) (key - 1));
    }

    /** Forgets everything (the store closed). */
    synchronized void clear() {
        items.clear();
        keys.clear();
        objects.clear();
    }
}
