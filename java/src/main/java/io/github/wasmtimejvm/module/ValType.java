package io.github.wasmtimejvm.module;

/**
 * The type of a core WebAssembly value, as the host sees it. A reference type stands for its
 * whole family: a typed function reference is a {@link #FUNCREF}, {@code i31ref} or {@code
 * structref} an {@link #ANYREF}.
 *
 * <p>How each travels to and from Java ({@link Func#call}, {@link Global}, {@link Table}):
 *
 * <table>
 *   <caption>Java values of core types</caption>
 *   <tr><th>type</th><th>Java</th></tr>
 *   <tr><td>{@code i32}</td><td>{@link Integer}</td></tr>
 *   <tr><td>{@code i64}</td><td>{@link Long} (an {@link Integer} is accepted)</td></tr>
 *   <tr><td>{@code f32}</td><td>{@link Float}</td></tr>
 *   <tr><td>{@code f64}</td><td>{@link Double} (a {@link Float} is accepted)</td></tr>
 *   <tr><td>{@code v128}</td><td>{@code byte[16]}, little-endian</td></tr>
 *   <tr><td>{@code funcref}</td><td>{@link Func} or {@code null}</td></tr>
 *   <tr><td>{@code externref}</td><td>any object, or {@code null}; an externref made inside wasm
 *       from a GC value ({@code extern.convert_any}) reads as a {@link GcRef} of that value</td></tr>
 *   <tr><td>{@code anyref}, {@code exnref}, {@code contref}</td><td>{@link GcRef} (read only)
 *       or {@code null}</td></tr>
 * </table>
 */
public enum ValType {
    /** 32-bit integer. */
    I32,
    /** 64-bit integer. */
    I64,
    /** 32-bit float. */
    F32,
    /** 64-bit float. */
    F64,
    /** 128-bit vector. */
    V128,
    /** Function reference. */
    FUNCREF,
    /** External (host) reference. */
    EXTERNREF,
    /** A reference of the GC proposal's {@code any} hierarchy. */
    ANYREF,
    /** Exception reference. */
    EXNREF,
    /** Continuation reference (stack switching). */
    CONTREF;

    private static final ValType[] ALL = values();

    /** The type with this wire number (its ordinal). */
    static ValType fromNumber(int n) {
        if (n < 0 || n >= ALL.length) {
            throw new IllegalStateException("no core value type numbered " + n);
        }
        return ALL[n];
    }

    /**
     * Whether values of this type are plain numbers.
     *
     * @return true for {@code i32}, {@code i64}, {@code f32}, {@code f64} and {@code v128}
     */
    public boolean isNumber() {
        return this == I32 || this == I64 || this == F32 || this == F64;
    }

    /**
     * Whether this is a reference type.
     *
     * @return true for the reference types ({@code funcref}, {@code externref}, {@code anyref}, ...)
     */
    public boolean isReference() {
        return ordinal() >= FUNCREF.ordinal();
    }

    /** The type as WebAssembly text writes it ({@code i32}, {@code funcref}, ...). */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
