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

    // The seed scenario of issue 10 (WIT in wit/guests/calc, package docs:calc@0.1.0): adders
    // export docs:calc/adder@0.1.0 (add(a: u32, b: u32) -> u32, describe(a: u32, b: u32) ->
    // string), calculators import it and export docs:calc/calc@0.1.0 (add-three, sum(list<u32>),
    // explain). The WAT ones are corpus/components/calc-adder.wat and calc-calculator.wat.

    /** C + wit-bindgen, world adder-world; imports nothing. */
    public static final String ADDER_C = "adder-c.component.wasm";
    /** C + wit-bindgen, world calculator; imports only docs:calc/adder@0.1.0. */
    public static final String CALCULATOR_C = "calculator-c.component.wasm";
    /**
     * A plain core module (not a component) for world adder-world: exports {@code memory},
     * {@code cabi_realloc}, {@code docs:calc/adder@0.1.0#add}, {@code docs:calc/adder@0.1.0#describe}
     * and {@code cabi_post_docs:calc/adder@0.1.0#describe}; imports nothing.
     */
    public static final String ADDER_CORE_MODULE = "adder-core.module.wasm";
    /** componentize-py, world adder-world; also imports WASI 0.2 (needs {@code Linker.addWasi()}). */
    public static final String PYTHON_ADDER = "python-adder.component.wasm";
    /** componentize-py, world calculator; also imports WASI 0.2 (needs {@code Linker.addWasi()}). */
    public static final String PYTHON_CALCULATOR = "python-calculator.component.wasm";
    /** A WASI preview 1 command core module (not a component), for the preview 1 adapter. */
    public static final String SANDBOX_PROBE_MODULE = "sandbox-probe.module.wasm";

    /** The WIT folder {@code wit/guests/<name>}, such as {@code calc}. */
    public static Path wit(String name) {
        Path p = Fixtures.corpus().resolve("../wit/guests").resolve(name).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("guest WIT " + name + " not found at " + p);
        }
        return p;
    }

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
