package io.github.wasmtimejvm;

import java.util.List;

/**
 * WebAssembly trapped: an {@code unreachable}, a division by zero, an out-of-bounds access, a
 * stack overflow, running out of fuel, an epoch interruption, a host function that threw
 * (then {@link #getCause()} is the host function's exception), or the guest breaking the
 * canonical ABI as values cross the boundary: an enum or variant discriminant out of range, a
 * misaligned or out-of-bounds string, {@code realloc} returning memory outside the guest's, an
 * unknown or wrongly typed resource handle (these have {@link TrapCode#UNKNOWN}).
 *
 * <p>After a trap (or any failed call, such as a host function that threw) wasmtime lets no
 * component in that {@link Store} run again: later calls into any instance of the store fail with
 * {@link TrapCode#CANNOT_ENTER_COMPONENT}. Create a new store and instantiate again (cheaply, from
 * an {@code InstancePre}) to go on.
 */
public class TrapException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /** Why the guest trapped. */
    private final TrapCode code;
    /** The wasm frames at the trap, innermost first. */
    private final List<String> wasmBacktrace;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param code the trap code
     * @param wasmBacktrace the wasm frames at the trap, innermost first
     * @param cause the host function's exception, or null
     */
    public TrapException(String message, TrapCode code, List<String> wasmBacktrace, Throwable cause) {
        super(message + render(wasmBacktrace), cause);
        this.code = code;
        this.wasmBacktrace = List.copyOf(wasmBacktrace);
    }

    // Called from native code, with the code's number (TrapCode.fromNumber).
    TrapException(String message, int code, String backtrace, Throwable cause) {
        this(message, TrapCode.fromNumber(code), lines(backtrace), cause);
    }

    private static List<String> lines(String backtrace) {
        return backtrace == null || backtrace.isEmpty() ? List.of() : List.of(backtrace.split("\n"));
    }

    private static String render(List<String> frames) {
        if (frames.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\nwasm backtrace:");
        for (String f : frames) {
            sb.append("\n  ").append(f.strip());
        }
        return sb.toString();
    }

    /**
     * The trap code.
     *
     * @return the code; {@link TrapCode#HOST} when a host function threw, {@link TrapCode#UNKNOWN} when wasmtime gave none
     */
    public TrapCode code() {
        return code;
    }

    /**
     * The wasm frames at the point of the trap, innermost first (may be empty).
     *
     * @return the frames as wasmtime prints them; unmodifiable
     */
    public List<String> wasmBacktrace() {
        return wasmBacktrace;
    }
}
