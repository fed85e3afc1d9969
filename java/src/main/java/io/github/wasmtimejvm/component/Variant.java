package io.github.wasmtimejvm.component;

import java.util.Objects;

/**
 * A WIT {@code variant} value in the plain-Java mapping: the case name and its payload (a plain
 * Java value, or null for a case without payload).
 *
 * @param caseName the case, as WIT names it
 * @param payload the payload, or null
 */
public record Variant(String caseName, Object payload) {
    /**
     * Checks the case name.
     *
     * @param caseName the case
     * @param payload the payload, or null
     * @throws NullPointerException if {@code caseName} is null
     */
    public Variant {
        Objects.requireNonNull(caseName, "caseName");
    }

    /**
     * A case without payload.
     *
     * @param caseName the case
     * @return the case with a null payload
     */
    public static Variant of(String caseName) {
        return new Variant(caseName, null);
    }

    /**
     * A case with a payload.
     *
     * @param caseName the case
     * @param payload the payload, a plain Java value
     * @return the case with that payload
     * @throws NullPointerException if either is null
     */
    public static Variant of(String caseName, Object payload) {
        return new Variant(caseName, Objects.requireNonNull(payload, "payload"));
    }
}
