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

    /** Whether every parameter and result is a scalar (number, bool or char), with at most one result. */
    public boolean isScalar() {
        if (results.size() > 1) {
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
