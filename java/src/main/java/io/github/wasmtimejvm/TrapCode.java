package io.github.wasmtimejvm;

import java.util.Locale;

/** Why WebAssembly trapped; mirrors wasmtime's {@code Trap} codes. */
public enum TrapCode {
    STACK_OVERFLOW,
    MEMORY_OUT_OF_BOUNDS,
    HEAP_MISALIGNED,
    TABLE_OUT_OF_BOUNDS,
    INDIRECT_CALL_TO_NULL,
    BAD_SIGNATURE,
    INTEGER_OVERFLOW,
    INTEGER_DIVISION_BY_ZERO,
    BAD_CONVERSION_TO_INTEGER,
    UNREACHABLE_CODE_REACHED,
    /** An epoch deadline was reached (the guest ran too long). */
    INTERRUPT,
    /** The store ran out of fuel. */
    OUT_OF_FUEL,
    ATOMIC_WAIT_NON_SHARED_MEMORY,
    NULL_REFERENCE,
    ARRAY_OUT_OF_BOUNDS,
    ALLOCATION_TOO_LARGE,
    CAST_FAILURE,
    /** A call in this store trapped before, so no component in the store may run again. */
    CANNOT_ENTER_COMPONENT,
    NO_ASYNC_RESULT,
    CANNOT_LEAVE_COMPONENT,
    INVALID_CHAR,
    STRING_OUT_OF_BOUNDS,
    LIST_OUT_OF_BOUNDS,
    INVALID_DISCRIMINANT,
    UNALIGNED_POINTER,
    /** A host function threw, or failed another way; see the exception's cause. */
    HOST,
    /** A code this version does not know, or a failure without a code. */
    UNKNOWN;

    /** The number of {@link #HOST} (see {@link #fromNumber}). */
    static final int HOST_NUMBER = 254;

    /**
     * The code for the number it crosses from native code as: the constants before {@link #HOST}
     * are numbered in declaration order, as in the native table ({@code TRAP_CODES} in {@code
     * native/src/core/error.rs}, also the C {@code wjvm_trap_code_t}); {@link #HOST} is 254, and
     * anything else is {@link #UNKNOWN}.
     */
    static TrapCode fromNumber(int n) {
        TrapCode[] all = values();
        if (n >= 0 && n < HOST.ordinal()) {
            return all[n];
        }
        return n == HOST_NUMBER ? HOST : UNKNOWN;
    }

    /** Maps wasmtime's variant name ({@code StackOverflow}) to a constant; unknown names give UNKNOWN. */
    public static TrapCode fromWasmtimeName(String name) {
        if (name == null || name.isEmpty()) {
            return UNKNOWN;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(c);
        }
        try {
            return valueOf(sb.toString().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
