package io.github.wasmtimejvm.spark;

/**
 * A component UDF failed on an executor: the guest trapped, or answered a batch with the wrong
 * number of results. The message names the component and the function; the cause is the {@link
 * io.github.wasmtimejvm.TrapException}, when there is one.
 */
public final class ComponentUdfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with its message.
     *
     * @param message what failed, naming the component and the function
     * @param cause the trap, or null
     */
    public ComponentUdfException(String message, Throwable cause) {
        super(message, cause);
    }
}
