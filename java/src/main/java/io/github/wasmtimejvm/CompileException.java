package io.github.wasmtimejvm;

/** The bytes are not a valid component or module: malformed, or failing validation. */
public class CompileException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message wasmtime's description of the problem
     */
    public CompileException(String message) {
        super(message);
    }
}
