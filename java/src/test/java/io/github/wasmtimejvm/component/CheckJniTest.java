package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.UnknownExportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Native methods stay within the local references JNI promises them (16 without asking for
 * more; {@code -Xcheck:jni} warns past 32). Such a warning is printed by the JVM itself, so the
 * probe runs in a child JVM with {@code -Xcheck:jni} and its output is read.
 */
class CheckJniTest {

    /** The child: asks for a missing export of echo.wat, which has 33 root exports. */
    public static void main(String[] args) {
        try (Engine engine = new Engine();
                Component echo = Component.fromFile(engine, Fixtures.component("echo"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            Instance instance = linker.instantiate(store, echo);
            for (int i = 0; i < 3; i++) {
                UnknownExportException e =
                        assertThrows(UnknownExportException.class, () -> instance.func("no-such-export"));
                assertTrue(e.availableExports().size() > 32, "exports listed: " + e.availableExports().size());
            }
        }
        System.out.println("probe done");
    }

    @Test
    void anUnknownExportOfAComponentWithManyExportsMakesNoLocalReferencePileUp()
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Xcheck:jni",
                        "-Dwasmtime.jvm.corpus=" + Fixtures.corpus().toAbsolutePath(),
                        "-cp", System.getProperty("java.class.path"), CheckJniTest.class.getName()))
                .redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("probe done"), out);
        assertFalse(out.contains("exceeds capacity"), out);
    }
}
