package io.github.wasmtimejvm.module;

import java.util.Objects;

/**
 * An exception tag type (the exception-handling proposal).
 *
 * @param type the types of the exception's payload (its parameters)
 */
public record TagType(FuncType type) implements ExternType {

    /**
     * Checks the type.
     *
     * @param type the payload types
     * @throws NullPointerException if {@code type} is null
     */
    public TagType {
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return "(tag " + type + ")";
    }
}
