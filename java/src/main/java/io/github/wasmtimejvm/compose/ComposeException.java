package io.github.wasmtimejvm.compose;

import io.github.wasmtimejvm.WasmtimeException;

/**
 * Building or composing a component failed: embedding a WIT world into a core module, encoding
 * a component from it, plugging components together or wiring a composition graph. The message
 * names what is wrong (the missing export, the unmatched import and both types, the function
 * with the wrong signature).
 */
public class ComposeException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public ComposeException(String message) {
        super(message);
    }
}
