package io.github.wasmtimejvm.component;

/**
 * A WIT {@code result<T, E>} value in the plain-Java mapping.
 *
 * @param <T> the success payload type
 * @param <E> the error payload type
 */
public sealed interface Result<T, E> permits Result.Ok, Result.Err {

    /**
     * Whether this is {@code ok}.
     *
     * @return true for {@code ok}, false for {@code err}
     */
    boolean isOk();

    /**
     * The payload of whichever side this is, or null when that side has none.
     *
     * @return the payload, or null
     */
    Object value();

    /**
     * {@code ok(value)}; value is null for a {@code result} whose ok side has no payload.
     *
     * @param <T> the ok payload's Java type
     * @param <E> the err payload's Java type
     * @param value the payload, or null
     * @return an {@code ok} result
     */
    static <T, E> Result<T, E> ok(T value) {
        return new Ok<>(value);
    }

    /**
     * {@code err(value)}; value is null for a {@code result} whose err side has no payload.
     *
     * @param <T> the ok payload's Java type
     * @param <E> the err payload's Java type
     * @param value the payload, or null
     * @return an {@code err} result
     */
    static <T, E> Result<T, E> err(E value) {
        return new Err<>(value);
    }

    /**
     * The success case.
     *
     * @param value the payload, or null
     */
    record Ok<T, E>(T value) implements Result<T, E> {
        @Override
        public boolean isOk() {
            return true;
        }
    }

    /**
     * The error case.
     *
     * @param value the payload, or null
     */
    record Err<T, E>(E value) implements Result<T, E> {
        @Override
        public boolean isOk() {
            return false;
        }
    }
}
