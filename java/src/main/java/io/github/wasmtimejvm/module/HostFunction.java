package io.github.wasmtimejvm.module;

/**
 * A core host function implemented in Java, defined with {@link Linker#func}. It runs on the
 * thread that called into the guest, with the store held by that call: it may read and write the
 * store's memories, globals and tables (the caller's memory through {@link Caller#memory}), but
 * not call into the same store.
 *
 * <p>Arguments and results are Java values of the function type's types (see {@link ValType}).
 * Return {@code null} for a function without results, the value itself for one result, and an
 * {@code Object[]} of the results for several. An exception thrown here makes the guest's call
 * fail with a {@link io.github.wasmtimejvm.TrapException} whose cause is that exception.
 */
@FunctionalInterface
public interface HostFunction {

    /**
     * Runs the function.
     *
     * @param caller the calling module (valid during this call only)
     * @param args the arguments
     * @return the result(s), as described above
     * @throws Exception to fail the guest's call
     */
    Object call(Caller caller, Object[] args) throws Exception;
}
