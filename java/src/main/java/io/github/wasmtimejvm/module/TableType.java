package io.github.wasmtimejvm.module;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A table type.
 *
 * @param element the type of the elements (a reference type)
 * @param minimum the minimum size in elements
 * @param maximum the maximum size in elements, if any
 */
public record TableType(ValType element, long minimum, OptionalLong maximum) implements ExternType {

    /**
     * Checks the element type and sizes.
     *
     * @param element the element type
     * @param minimum the minimum size
     * @param maximum the maximum size, if any
     * @throws IllegalArgumentException if {@code element} is not a reference type, {@code minimum} is negative or above {@code maximum}
     * @throws NullPointerException if {@code element} or {@code maximum} is null
     */
    public TableType {
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(maximum, "maximum");
        if (!element.isReference()) {
            throw new IllegalArgumentException("a table holds references, not " + element);
        }
        if (minimum < 0 || (maximum.isPresent() && maximum.getAsLong() < minimum)) {
            throw new IllegalArgumentException("table sizes must satisfy 0 <= minimum <= maximum, got "
                    + minimum + " and " + maximum);
        }
    }

    @Override
    public String toString() {
        return "(table " + minimum + (maximum.isPresent() ? " " + maximum.getAsLong() : "") + " " + element + ")";
    }
}
