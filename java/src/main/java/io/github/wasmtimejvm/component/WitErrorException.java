package io.github.wasmtimejvm.component;

import java.util.Objects;

/**
 * The error case of a WIT {@code result<T, E>}, as a checked exception: a bound method that returns
 * {@code T} (rather than {@link Result}) and declares {@code throws WitErrorException} throws it
 * when the component returns {@code err}, carrying the error value. A host method implementing an
 * import throws it to return {@code err} to the guest.
 *
 * <p>A binding may declare its own checked exception instead: any {@link Exception} class with a
 * public constructor taking the error value's Java type (or no arguments, for a result without an
 * error type), such as a generated {@code CalcErrorException(CalcError error)}; a host method
 * throwing one returns its {@link #error()}, or, for a class not extending this one, the value
 * of its public {@code error()} method.
 */
public class WitErrorException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The error value; a value of a WIT type, so not necessarily serializable. */
    private final transient Object error;

    /**
     * Creates the exception.
     *
     * @param error the error value in its Java mapping (null for a result without an error type)
     */
    public WitErrorException(Object error) {
        super("the component returned err(" + error + ")");
        this.error = error;
    }

    /**
     * Creates the exception with a message of its own.
     *
     * @param message what went wrong
     * @param error the error value in its Java mapping (null for a result without an error type)
     */
    public WitErrorException(String message, Object error) {
        super(Objects.requireNonNull(message, "message"));
        this.error = error;
    }

    /**
     * The error value.
     *
     * @return the value of the {@code err} case in its Java mapping, or null when the result has
     *     no error type
     */
    public Object error() {
        return error;
    }

    /**
     * The error value as {@code type}.
     *
     * @param <E> the expected type
     * @param type the class of the error value
     * @return the error value
     * @throws ClassCastException if the error value is not a {@code type}
     */
    public <E> E error(Class<E> type) {
        return type.cast(error);
    }
}
