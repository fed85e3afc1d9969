package io.github.wasmtimejvm.flink;

/**
 * A component function failed in a Flink task: the guest trapped, or answered a batch with the
 * wrong number of results. The message names the component and the function; the cause is the
 * {@link io.github.wasmtimejvm.TrapException}, when there is one.
 */
public final class ComponentFunctionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with its message.
     *
     * @param message what failed, naming the component and the function
     * @param cause the trap, or null
     */
    public ComponentFunctionException(String message, Throwable cause) {
        super(message, cause);
    }
}
