package io.github.wasmtimejvm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The guests built from source by {@code guests/build.sh} (C and Python programs compiled to
 * WebAssembly), read from the folder in the system property {@code wasmtime.jvm.guests} (the
 * build sets it to {@code target/guests}). A guest that was not built is a test failure naming
 * what to run, never a skipped test.
 */
public final class Guests {
    private Guests() {}

    /** The folder the guests are built into. */
    public static Path dir() {
        String dir = System.getProperty("wasmtime.jvm.guests");
        return (dir != null ? Path.of(dir) : Path.of("../target/guests")).toAbsolutePath().normalize();
    }

    /**
     * The path of a built guest, such as {@code sandbox-probe.component.wasm}.
     *
     * @throws IllegalStateException if it was not built
     */
    public static Path path(String file) {
        Path p = dir().resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test guest " + file + " is missing at " + p
                    + ": build the guests first with guests/build.sh (scripts/test-all.sh does; it needs clang, lld,"
                    + " wasi-libc, libclang-rt-14-dev-wasm32 and componentize-py, which"
                    + " .ci/install-prerequisites.sh installs)");
        }
        return p;
    }
}
