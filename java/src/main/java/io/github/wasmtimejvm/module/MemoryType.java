package io.github.wasmtimejvm.module;

import java.util.OptionalLong;

/**
 * A memory type.
 *
 * @param minimum the minimum size in pages
 * @param maximum the maximum size in pages, if any
 * @param is64 whether addresses are 64-bit (memory64)
 * @param shared whether the memory is shared between threads
 * @param pageSizeLog2 log2 of the page size (16 for 64 KiB pages)
 */
public record MemoryType(long minimum, OptionalLong maximum, boolean is64, boolean shared, int pageSizeLog2)
        implements ExternType {

    /**
     * A 32-bit, unshared memory of 64 KiB pages.
     *
     * @param minimum the minimum size in pages
     * @param maximum the maximum size in pages, if any
     * @return the memory type
     * @throws IllegalArgumentException if {@code minimum} is negative or above {@code maximum}
     */
    public static MemoryType of(long minimum, OptionalLong maximum) {
        return new MemoryType(minimum, maximum, false, false, 16);
    }

    /**
     * Checks the sizes.
     *
     * @param minimum the minimum size in pages
     * @param maximum the maximum size in pages, if any
     * @param is64 whether addresses are 64-bit
     * @param shared whether the memory is shared
     * @param pageSizeLog2 log2 of the page size
     * @throws IllegalArgumentException if {@code minimum} is negative or above {@code maximum}
     * @throws NullPointerException if {@code maximum} is null
     */
    public MemoryType {
        java.util.Objects.requireNonNull(maximum, "maximum");
        if (minimum < 0 || (maximum.isPresent() && maximum.getAsLong() < minimum)) {
            throw new IllegalArgumentException("memory sizes must satisfy 0 <= minimum <= maximum, got "
                    + minimum + " and " + maximum);
        }
    }

    @Override
    public String toString() {
        return "(memory" + (is64 ? " i64 " : " ") + minimum + (maximum.isPresent() ? " " + maximum.getAsLong() : "")
                + (shared ? " shared" : "") + (pageSizeLog2 != 16 ? " (pagesize " + (1L << pageSizeLog2) + ")" : "") + ")";
    }
}
