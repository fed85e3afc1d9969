package io.github.wasmtimejvm.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the fixture corpus: {@code -Dwasmtime.jvm.corpus=<dir>}, or {@code corpus/} below the working directory. */
final class Fixtures {
    private Fixtures() {}

    static Path component(String name) {
        return fixture("components", name);
    }

    static Path module(String name) {
        return fixture("modules", name);
    }

    private static Path fixture(String folder, String name) {
        String dir = System.getProperty("wasmtime.jvm.corpus", "corpus");
        Path p = Path.of(dir, folder, name + ".wat");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("fixture not found: " + p.toAbsolutePath()
                    + " (run from the repository root or set -Dwasmtime.jvm.corpus)");
        }
        return p;
    }
}
