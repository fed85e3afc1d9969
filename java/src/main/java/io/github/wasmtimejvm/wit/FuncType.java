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

    /**
     * A named parameter.
     *
     * @param name the parameter's name
     * @param type the parameter's type
     */
    public record Param(String name, WitType type) {
        /**
         * Checks the parameter.
         *
         * @param name the parameter's name
         * @param type the parameter's type
         * @throws NullPointerException if either is null
         */
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return name + ": " + type;
        }
    }

    /**
     * Copies the lists.
     *
     * @param params the parameters
     * @param results the result types
     * @param isAsync whether the function is {@code async}
     * @throws NullPointerException if a list, or an element of one, is null
     */
    public FuncType {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    /**
     * A builder, for declaring the types of host functions.
     *
     * @return a builder with no parameters and no results
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A function of these named parameters (name, type, name, type, ...) without result.
     *
     * @param namesAndTypes pairs of a {@code String} name and a {@link WitType}
     * @return a synchronous function type with those parameters and no result
     * @throws IllegalArgumentException if the count is odd
     * @throws ClassCastException if a name is not a {@code String} or a type not a {@link WitType}
     */
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

    /**
     * This type with {@code result} as its result.
     *
     * @param result the one result type, replacing any results
     * @return a new type with the same parameters
     */
    public FuncType returning(WitType result) {
        return new FuncType(params, List.of(result), isAsync);
    }

    /**
     * This type as a component-model {@code async} function ({@code async func} in WIT), as a
     * component imports it with {@code (func async ...)}. A host function of such a type is a
     * concurrent one: while a call of it is pending, the guest's other tasks go on (see {@link
     * io.github.wasmtimejvm.component.LinkerInstance#funcAsync}).
     *
     * @return a new type with the same parameters and results, {@code async}
     */
    public FuncType asAsync() {
        return new FuncType(params, results, true);
    }

    /** Builds a {@link FuncType}. */
    public static final class Builder {
        private final java.util.ArrayList<Param> params = new java.util.ArrayList<>();
        private final java.util.ArrayList<WitType> results = new java.util.ArrayList<>();

        private Builder() {}

        /**
         * Adds a parameter.
         *
         * @param name the parameter's name
         * @param type the parameter's type
         * @return this builder
         * @throws NullPointerException if either is null
         */
        public Builder param(String name, WitType type) {
            params.add(new Param(name, type));
            return this;
        }

        /**
         * Adds a result.
         *
         * @param type the result type, added after those already given
         * @return this builder
         */
        public Builder result(WitType type) {
            results.add(java.util.Objects.requireNonNull(type, "type"));
            return this;
        }

        /**
         * The type.
         *
         * @return a synchronous function type of the parameters and results given, in order
         */
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
     *
     * @return true if {@link io.github.wasmtimejvm.component.ScalarFunc} can call a function of this type
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
