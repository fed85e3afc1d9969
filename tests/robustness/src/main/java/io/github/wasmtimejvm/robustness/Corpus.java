package io.github.wasmtimejvm.robustness;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixture corpus ({@code corpus/}), from the property the build sets. */
final class Corpus {
    private Corpus() {}

    /** The corpus folder. */
    static Path dir() {
        String dir = System.getProperty("wasmtime.jvm.corpus");
        Path p = dir != null ? Path.of(dir) : Path.of("corpus");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixture corpus not found at " + p.toAbsolutePath()
                    + " (set -Dwasmtime.jvm.corpus)");
        }
        return p;
    }
}
