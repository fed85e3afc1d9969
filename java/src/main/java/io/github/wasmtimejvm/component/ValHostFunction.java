package io.github.wasmtimejvm.component;

import java.util.List;

/**
 * A host function over {@link Val}s: the implementation of a component import with the exact
 * value model. An exception thrown here traps the guest; the caller of the guest gets a {@link
 * io.github.wasmtimejvm.TrapException} whose cause is that exception.
 */
@FunctionalInterface
public interface ValHostFunction {
    /**
     * Runs the host function for one call from the guest.
     *
     * @param args the arguments, one per parameter
     * @return the results, one per result of the declared type (empty for none)
     * @throws Exception to trap the guest
     */
    List<Val> call(List<Val> args) throws Exception;
}
