package io.github.wasmtimejvm.wit;

import java.util.List;
import java.util.Objects;

/**
 * The type of a component function: named parameters and results.
 *
 * <p>{@link #toString()} prints it in WIT syntax, e.g. {@code func(a: u32, b: u32) -> u32}.
 *
 * @param params the parameters, in order
 * @param results the result types (at most one for components following the current spec)
 * @param isAsync whether the function is an {@code async} function
 */
public record FuncType(List<Param> params, List<WitType> results, boolean isAsync) {

    /** A named parameter. */
    public record Param(String name, WitType type) {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return name + ": " + type;
        }
    }

    public FuncType {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    /** A builder, for declaring the types of host functions. */
    public static Builder builder() {
        return new Builder();
    }

    /** A function of these named parameters (name, type, name, type, ...) without result. */
    public static FuncType of(Object... namesAndTypes) {
        Builder b = builder();
        if (namesAndTypes.length % 2 != 0) {
            throw new IllegalArgumentException("expected name, type pairs");
        }
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            b.param((String) namesAndTypes[i], (WitType) namesAndTypes[i + 1]);
        }
        return b.build();
    }

    /** This type with {@code result} as its result. */
    public FuncType returning(WitType result) {
        return new FuncType(params, List.of(result), isAsync);
    }

    /** Builds a {@link FuncType}. */
    public static final class Builder {
        private final java.util.ArrayList<Param> params = new java.util.ArrayList<>();
        private final java.util.ArrayList<WitType> results = new java.util.ArrayList<>();

        private Builder() {}

        /** Adds a parameter. */
        public Builder param(String name, WitType type) {
            params.add(new Param(name, type));
            return this;
        }

        /** Adds a result. */
        public Builder result(WitType type) {
            results.add(java.util.Objects.requireNonNull(type, "type"));
            return this;
        }

        /** The type. */
        public FuncType build() {
            return new FuncType(params, results, false);
        }
    }

    /** Most parameters a function may have for the scalar fast path. */
    public static final int MAX_SCALAR_PARAMS = 16;

    /**
     * Whether the scalar fast path can call this function: every parameter and result a scalar
     * (number, bool or char), at most one result and at most {@value #MAX_SCALAR_PARAMS}
     * parameters.
     */
    public boolean isScalar() {
        if (results.size() > 1 || params.size() > MAX_SCALAR_PARAMS) {
            return false;
        }
        for (Param p : params) {
            if (!isScalar(p.type())) {
                return false;
            }
        }
        return results.isEmpty() || isScalar(results.get(0));
    }

    private static boolean isScalar(WitType t) {
        return t instanceof WitType.Primitive p && p.isScalar();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(isAsync ? "async func(" : "func(");
        for (int i = 0; i < params.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(params.get(i));
        }
        sb.append(')');
        if (results.size() == 1) {
            sb.append(" -> ").append(results.get(0));
        } else if (results.size() > 1) {
            sb.append(" -> (");
            for (int i = 0; i < results.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(results.get(i));
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
