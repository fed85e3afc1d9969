package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wasi.WasiConfig.DirAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heavyweight guest: a Python program (guests/python/app.py) made a WASI 0.2 command by
 * componentize-py, about 18 MB with the CPython interpreter inside. Compiling it takes seconds, so
 * its compiled form is cached in {@code target/guests/cache}, keyed by the SHA-256 of the wasm
 * (and the engine's settings), through {@link Component#serialize()} and {@link
 * Component#deserialize}.
 */
class PythonGuestTest {

    private static Engine engine;
    private static Linker linker;
    private static Path wasm;
    private static Path cached;

    @TempDir
    Path data;

    @BeforeAll
    static void setUp() throws IOException {
        wasm = Guests.path("python-app.component.wasm");
        engine = new Engine();
        linker = new Linker(engine).addWasi();
        byte[] bytes = Files.readAllBytes(wasm);
        String key = sha256(bytes) + "-" + Integer.toHexString(engine.config().toString().hashCode());
        cached = Guests.dir().resolve("cache").resolve("python-app-" + key + ".cwasm");
        if (Files.isRegularFile(cached)) {
            try {
                Component.deserialize(engine, Files.readAllBytes(cached)).close();
                return;
            } catch (CompileException stale) {
                // Made by another wasmtime or with other settings: compile again below.
            }
        }
        long t0 = System.nanoTime();
        try (Component c = Component.fromBytes(engine, bytes)) {
            byte[] compiled = c.serialize();
            System.out.printf("python-app: compiled %d MB of wasm in %d ms%n", bytes.length >> 20,
                    (System.nanoTime() - t0) / 1_000_000);
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), "python-app-", ".tmp");
            Files.write(tmp, compiled);
            Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        // Compiled forms of earlier builds of the guest are never used again.
        try (var old = Files.newDirectoryStream(cached.getParent(), "python-app-*.cwasm")) {
            for (Path p : old) {
                if (!p.equals(cached)) {
                    Files.delete(p);
                }
            }
        }
    }

    @AfterAll
    static void tearDown() {
        linker.close();
        engine.close();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private record Run(int exit, List<String> lines) {}

    private Run run(Component program, WasiConfig.Builder config) {
        try (Store store = Store.builder(engine).wasi(config.captureStdout().build()).build()) {
            int exit = linker.runCommand(store, program);
            return new Run(exit, new String(store.capturedStdout(), StandardCharsets.UTF_8).lines().toList());
        }
    }

    @Test
    void thePythonProgramReadsArgsEnvAndAPreopenedFileFromTheCachedCompiledForm() throws IOException {
        Files.writeString(data.resolve("input.txt"), "the quick brown fox\njumps\n");
        Files.writeString(data.resolve("notes.txt"), "ünïcode ✓");
        Files.createDirectory(data.resolve("subdir"));
        WasiConfig.Builder config = WasiConfig.builder()
                .argv0("app.py").args("--flag", "ünï")
                .env("GREETING", "hi").env("EMPTY", "")
                .preopen(data, "/data", DirAccess.READ_ONLY);

        assertTrue(Files.size(cached) > Files.size(wasm), "the cache holds the compiled program (native code)");
        long t0 = System.nanoTime();
        try (Component program = Component.deserialize(engine, Files.readAllBytes(cached))) {
            long loadMs = (System.nanoTime() - t0) / 1_000_000;
            long r0 = System.nanoTime();
            Run run = run(program, config);
            System.out.printf("python-app: loaded from the cache in %d ms, ran in %d ms%n", loadMs,
                    (System.nanoTime() - r0) / 1_000_000);
            assertEquals(0, run.exit(), run.lines().toString());
            assertEquals(List.of(
                    "argv [\"--flag\", \"\\u00fcn\\u00ef\"]",
                    "env EMPTY=",
                    "env GREETING=hi",
                    "file /data/input.txt \"the quick brown fox\\njumps\\n\"",
                    "file /data/notes.txt \"\\u00fcn\\u00efcode \\u2713\"",
                    "words 5"), run.lines());

            // The same compiled program, other grants: no /data, so it calls sys.exit(3), which
            // reaches the host as 1 (wasi:cli/exit carries only success or failure).
            Run without = run(program, WasiConfig.builder());
            assertEquals(List.of("argv []", "listdir /data failed: No such file or directory"), without.lines());
            assertEquals(1, without.exit());
        }
    }
}
