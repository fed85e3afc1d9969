package io.github.wasmtimejvm.robustness;

import java.nio.file.Files;
import java.nio.file.Path;

/** The time budget and output folder the build gives the harness tests. */
final class Budget {
    private Budget() {}

    /** Seconds a bounded harness run may take (system property {@code robustness.budget}). */
    static long seconds() {
        return Long.getLong("robustness.budget", 20);
    }

    /** Where reports go (system property {@code robustness.out}). */
    static Path out() throws java.io.IOException {
        return Files.createDirectories(Path.of(System.getProperty("robustness.out", "target/robustness")));
    }
}
