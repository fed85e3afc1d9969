package io.github.wasmtimejvm.wit;

import io.github.wasmtimejvm.WasmtimeException;
import java.util.Optional;

/**
 * WIT text or a WIT package failed to parse or resolve. The message is wit-parser's, with the
 * offending source line; {@link #file()}, {@link #line()} and {@link #column()} locate it when
 * wit-parser reported a place (a resolution error about a whole package may have none).
 */
public class WitException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /** The file the error is in, or null when unknown. */
    private final String file;
    /** The 1-based line, or 0 when unknown. */
    private final int line;
    /** The 1-based column, or 0 when unknown. */
    private final int column;

    /**
     * Creates the exception.
     *
     * @param message wit-parser's message
     * @param file the file the error is in, or {@code null} when unknown
     * @param line the 1-based line, or 0 when unknown
     * @param column the 1-based column, or 0 when unknown
     */
    public WitException(String message, String file, int line, int column) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /**
     * The file of the error.
     *
     * @return the file the error is in (as given, or the name given to text), when known
     */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The line of the error.
     *
     * @return the 1-based line of the error, or 0 when wit-parser reported no place
     */
    public int line() {
        return line;
    }

    /**
     * The column of the error.
     *
     * @return the 1-based column of the error, or 0 when wit-parser reported no place
     */
    public int column() {
        return column;
    }
}
