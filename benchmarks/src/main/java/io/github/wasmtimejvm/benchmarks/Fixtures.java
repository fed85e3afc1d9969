package io.github.wasmtimejvm.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the fixture corpus: {@code -Dwasmtime.jvm.corpus=<dir>}, or {@code corpus/} below the working directory. */
final class Fixtures {
    private Fixtures() {}

    static Path component(String name) {
        String dir = System.getProperty("wasmtime.jvm.corpus", "corpus");
        Path p = Path.of(dir, "components", name + ".wat");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("fixture not found: " + p.toAbsolutePath()
                    + " (run from the repository root or set -Dwasmtime.jvm.corpus)");
        }
        return p;
    }
}
