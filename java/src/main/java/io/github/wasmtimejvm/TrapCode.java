package io.github.wasmtimejvm;

import java.util.Locale;

/** Why WebAssembly trapped; mirrors wasmtime's {@code Trap} codes. */
public enum TrapCode {
    /** The wasm stack ran out (too deep a recursion, or the engine's {@code maxWasmStack}). */
    STACK_OVERFLOW,
    /** A load or store outside the bounds of a linear memory. */
    MEMORY_OUT_OF_BOUNDS,
    /** An atomic memory access at an address not aligned to its size. */
    HEAP_MISALIGNED,
    /** An access outside the bounds of a table. */
    TABLE_OUT_OF_BOUNDS,
    /** A {@code call_indirect} through a null table entry. */
    INDIRECT_CALL_TO_NULL,
    /** A {@code call_indirect} to a function of a different type than the call expects. */
    BAD_SIGNATURE,
    /** An integer operation overflowed ({@code i32.div_s} of the minimum by -1, for example). */
    INTEGER_OVERFLOW,
    /** An integer division or remainder by zero. */
    INTEGER_DIVISION_BY_ZERO,
    /** A float-to-integer conversion of NaN or of a value out of the integer's range. */
    BAD_CONVERSION_TO_INTEGER,
    /**
     * An {@code unreachable} instruction ran (a Rust panic or a C {@code abort} in the guest, usually).
     */
    UNREACHABLE_CODE_REACHED,
    /** An epoch deadline was reached (the guest ran too long). */
    INTERRUPT,
    /** The store ran out of fuel. */
    OUT_OF_FUEL,
    /** {@code memory.atomic.wait} on a memory that is not shared. */
    ATOMIC_WAIT_NON_SHARED_MEMORY,
    /**
     * A null reference was used where a non-null one is needed (GC and typed function references).
     */
    NULL_REFERENCE,
    /** An access outside the bounds of a GC array. */
    ARRAY_OUT_OF_BOUNDS,
    /** A GC allocation was too large to succeed. */
    ALLOCATION_TOO_LARGE,
    /** A GC reference cast to a type the value does not have. */
    CAST_FAILURE,
    /** A call in this store trapped before, so no component in the store may run again. */
    CANNOT_ENTER_COMPONENT,
    /** An async component export finished without producing its result ({@code task.return}). */
    NO_ASYNC_RESULT,
    /**
     * A component instance called out (an import) where the component model forbids it, for example during its {@code post-return}.
     */
    CANNOT_LEAVE_COMPONENT,
    /** A component passed a {@code char} that is not a Unicode scalar value. */
    INVALID_CHAR,
    /** A component passed a string whose bytes lie outside its linear memory. */
    STRING_OUT_OF_BOUNDS,
    /** A component passed a list whose elements lie outside its linear memory. */
    LIST_OUT_OF_BOUNDS,
    /**
     * A component passed a variant, enum, option or result with a case number its type does not have.
     */
    INVALID_DISCRIMINANT,
    /** A component passed a pointer not aligned as its type requires. */
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

    /**
     * Maps wasmtime's variant name ({@code StackOverflow}) to a constant; unknown names give UNKNOWN.
     *
     * @param name the name of a variant of wasmtime's {@code Trap}, in CamelCase; may be null
     * @return the constant of the same name in UPPER_SNAKE_CASE, or {@link #UNKNOWN} if there is none
     */
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
