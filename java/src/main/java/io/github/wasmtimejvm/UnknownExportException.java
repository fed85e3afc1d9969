package io.github.wasmtimejvm;

import java.util.List;

/** An export that does not exist was requested; the message lists those that do. */
public class UnknownExportException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /** The name that was asked for. */
    private final String exportName;
    /** The names that exist where the lookup failed. */
    private final List<String> availableExports;

    /**
     * Creates the exception.
     *
     * @param message the full message
     * @param exportName the name that was asked for
     * @param availableExports the names that exist at that level
     */
    public UnknownExportException(String message, String exportName, List<String> availableExports) {
        super(message);
        this.exportName = exportName;
        this.availableExports = List.copyOf(availableExports);
    }

    // Called from native code.
    UnknownExportException(String message, String exportName, String[] availableExports) {
        this(message, exportName, List.of(availableExports));
    }

    /**
     * The name that was asked for.
     *
     * @return the missing name
     */
    public String exportName() {
        return exportName;
    }

    /**
     * The names that exist where the lookup failed.
     *
     * @return the names of the exports at that level; unmodifiable
     */
    public List<String> availableExports() {
        return availableExports;
    }
}
