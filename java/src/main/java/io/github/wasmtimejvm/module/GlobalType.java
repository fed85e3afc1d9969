package io.github.wasmtimejvm.module;

import java.util.Objects;

/**
 * A global type.
 *
 * @param content the type of the value
 * @param mutable whether the global can be set
 */
public record GlobalType(ValType content, boolean mutable) implements ExternType {

    /**
     * Checks the content type.
     *
     * @param content the type of the value
     * @param mutable whether the global can be set
     * @throws NullPointerException if {@code content} is null
     */
    public GlobalType {
        Objects.requireNonNull(content, "content");
    }

    @Override
    public String toString() {
        return "(global " + (mutable ? "(mut " + content + ")" : content.toString()) + ")";
    }
}
