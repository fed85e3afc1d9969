package io.github.wasmtimejvm.module;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A core function type: parameter and result types.
 *
 * @param params the parameter types
 * @param results the result types (several with multi-value)
 */
public record FuncType(List<ValType> params, List<ValType> results) implements ExternType {

    /**
     * Copies the lists.
     *
     * @param params the parameter types
     * @param results the result types
     * @throws NullPointerException if a list, or an element of one, is null
     */
    public FuncType {
        params = List.copyOf(Objects.requireNonNull(params, "params"));
        results = List.copyOf(Objects.requireNonNull(results, "results"));
    }

    /**
     * A function type of these parameter types and result types.
     *
     * @param params the parameter types, in order
     * @param results the result types, in order
     * @return the function type
     * @throws NullPointerException if a list, or an element of one, is null
     */
    public static FuncType of(List<ValType> params, List<ValType> results) {
        return new FuncType(params, results);
    }

    /** The number of {@code long} slots the values of {@code types} take (a v128 takes two). */
    static int slots(List<ValType> types) {
        int n = 0;
        for (ValType t : types) {
            n += t == ValType.V128 ? 2 : 1;
        }
        return n;
    }

    /** As WebAssembly text: {@code (func (param i32 i32) (result i32))}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(func");
        if (!params.isEmpty()) {
            b.append(" (param ").append(params.stream().map(ValType::toString).collect(Collectors.joining(" "))).append(')');
        }
        if (!results.isEmpty()) {
            b.append(" (result ").append(results.stream().map(ValType::toString).collect(Collectors.joining(" "))).append(')');
        }
        return b.append(')').toString();
    }
}
