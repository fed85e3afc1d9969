package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;

/** The upcall the native side makes for a core host function (see {@code jni/module/linker.rs}). */
final class HostFunctions {

    private HostFunctions() {}

    /** A defined host function. */
    record Entry(String name, FuncType type, HostFunction function) {}

    /** Runs {@code entry} with the argument slots; writes the result slots. */
    static void invoke(Object entry, Store store, long[] args, long[] results) throws Exception {
        Entry e = (Entry) entry;
        Object[] values = Values.read(store, e.type().params(), args);
        // A call is running in the store (perhaps closed by now by a host function: it closes
        // when that call leaves it).
        Caller caller = new Caller(store, io.github.wasmtimejvm.internal.Internals.resources(store).addressDuringCall());
        Object returned;
        try {
            returned = e.function().call(caller, values);
        } finally {
            caller.end();
        }
        int n = e.type().results().size();
        Object[] out;
        if (n == 0) {
            return;
        } else if (n == 1) {
            out = new Object[] {returned};
        } else if (returned instanceof Object[] && ((Object[]) returned).length == n) {
            out = (Object[]) returned;
        } else {
            throw new IllegalArgumentException("host function " + e.name() + " must return an Object[] of its " + n
                    + " results " + e.type().results() + ", not " + (returned == null ? "null" : returned.getClass().getSimpleName()));
        }
        int at = 0;
        for (int i = 0; i < n; i++) {
            final int index = i;
            at = Values.write(store, e.type().results().get(i), out[i], results, at,
                    p -> "result " + (index + 1) + " of host function " + e.name(), i);
        }
    }
}
