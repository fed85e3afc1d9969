package io.github.wasmtimejvm;

import java.util.List;

/**
 * A guest ran past the time limit of its store ({@code Store.Builder.timeout}) and was
 * interrupted. Like any trap, it leaves the store unable to run components again.
 */
public class TimeoutException extends TrapException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, with the limit
     */
    public TimeoutException(String message) {
        super(message, TrapCode.INTERRUPT, List.of(), null);
    }
}
