package io.github.wasmtimejvm;

/**
 * Instantiation failed because an import is missing or has the wrong type; the message names
 * the import.
 */
public class LinkException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message wasmtime's description, naming the import
     */
    public LinkException(String message) {
        super(message);
    }
}
