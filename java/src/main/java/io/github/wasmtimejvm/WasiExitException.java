package io.github.wasmtimejvm;

/**
 * A guest called WASI {@code exit} during a call that was not a command run (command runs return
 * the exit code instead of throwing).
 */
public class WasiExitException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /** The code the guest exited with. */
    private final int exitCode;

    /**
     * Creates the exception for a guest that exited.
     *
     * @param exitCode the code the guest exited with
     */
    public WasiExitException(int exitCode) {
        super("guest exited with code " + exitCode);
        this.exitCode = exitCode;
    }

    /**
     * The code the guest exited with.
     *
     * @return the status the guest passed to {@code exit}
     */
    public int exitCode() {
        return exitCode;
    }
}
