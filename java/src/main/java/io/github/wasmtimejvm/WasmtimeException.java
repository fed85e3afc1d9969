package io.github.wasmtimejvm;

/**
 * The base of the exceptions this library throws for failures inside WebAssembly or wasmtime.
 *
 * <p>Misuse of the API itself throws the standard exceptions instead: {@link
 * IllegalArgumentException} for an argument that does not fit (wrong count, wrong WIT type, a
 * value out of range, an object from another engine), {@link IllegalStateException} for a closed
 * handle, a dropped resource or a store used from two threads at once.
 */
public class WasmtimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public WasmtimeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public WasmtimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
