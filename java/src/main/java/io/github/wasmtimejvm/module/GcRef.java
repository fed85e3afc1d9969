package io.github.wasmtimejvm.module;

/**
 * What a non-null reference of the GC or exception proposals is, as the host reads it from a
 * result, global or table. The host cannot pass these back (only {@code null}).
 *
 * @param kind what the reference is
 * @param i31 the 31 bits of an {@code i31ref} (as unsigned), else 0
 */
public record GcRef(Kind kind, int i31) {

    /** What a reference is. */
    public enum Kind {
        /** An {@code i31ref}. */
        I31,
        /** A struct. */
        STRUCT,
        /** An array. */
        ARRAY,
        /** Another reference of the {@code any} hierarchy (such as an externalised host value). */
        OTHER,
        /** An exception reference. */
        EXN,
        /** A continuation reference. */
        CONT
    }

    /**
     * The {@code i31} value sign-extended (what {@code i31.get_s} gives).
     *
     * @return the 31 bits as a signed value, -2^30 to 2^30 - 1
     */
    public int i31Signed() {
        return (i31 << 1) >> 1;
    }
}
