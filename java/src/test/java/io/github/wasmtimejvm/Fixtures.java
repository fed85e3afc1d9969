package io.github.wasmtimejvm;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixture corpus ({@code corpus/components/*.wat}) used by every test layer. */
public final class Fixtures {
    private Fixtures() {}

    /** The corpus folder (system property {@code wasmtime.jvm.corpus}, set by the build). */
    public static Path corpus() {
        String dir = System.getProperty("wasmtime.jvm.corpus");
        Path p = dir != null ? Path.of(dir) : Path.of("../corpus");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixture corpus not found at " + p.toAbsolutePath());
        }
        return p;
    }

    /** The path of {@code corpus/components/<name>.wat}. */
    public static Path component(String name) {
        return corpus().resolve("components").resolve(name + ".wat");
    }
}
