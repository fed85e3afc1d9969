package io.github.wasmtimejvm.component;

/**
 * A host function over plain Java values: the implementation of a component import.
 *
 * <p>Arguments arrive converted by the function's declared WIT types, with the same mapping as
 * results of {@link Func#call(Object...)} (a {@code u32} as {@code Long}, a {@code string} as
 * {@code String}, a {@code record} as a {@code Map}, ...). Return null for a function without
 * result, otherwise a value accepted for that result type (the mapping of {@link
 * Func#call(Object...)} arguments). An exception thrown here traps the guest; the caller of the
 * guest gets a {@link io.github.wasmtimejvm.TrapException} whose cause is that exception.
 */
@FunctionalInterface
public interface HostFunction {
    /**
     * Runs the host function for one call from the guest.
     *
     * @param args the arguments, one per parameter
     * @return the result, or null when the function has none
     * @throws Exception to trap the guest
     */
    Object call(Object... args) throws Exception;
}
