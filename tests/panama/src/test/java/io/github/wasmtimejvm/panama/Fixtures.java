package io.github.wasmtimejvm.panama;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared WAT fixtures of corpus/components (the pom sets {@code wjvm.corpus}). */
final class Fixtures {

    private Fixtures() {}

    static byte[] component(String name) {
        Path file = Path.of(System.getProperty("wjvm.corpus", "../../corpus/components"), name + ".wat");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
