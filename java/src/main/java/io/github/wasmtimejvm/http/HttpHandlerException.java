package io.github.wasmtimejvm.http;

import io.github.wasmtimejvm.WasmtimeException;

/**
 * A {@code wasi:http} handler gave no usable response: it returned without setting one, it set an
 * {@code error-code}, or its body failed, did not end in time, or was larger than the limit. A
 * handler that traps throws {@link io.github.wasmtimejvm.TrapException} instead, and one that
 * runs past its store's time limit {@link io.github.wasmtimejvm.TimeoutException}.
 */
public class HttpHandlerException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the handler did wrong
     */
    public HttpHandlerException(String message) {
        super(message);
    }
}
