package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wasi.WasiConfig.DirAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library world (exports functions, no {@code run}) whose C implementation uses WASI through
 * libc and the preview 1 reactor adapter (guests/greeter/greeter.c): instantiated through {@link
 * Linker#addWasi()} and called like any component, with what WASI grants set per store.
 */
class LibraryGuestTest {

    private static final String GREET = "docs:greeter/greet@1.0.0";

    private static Engine engine;
    private static Component greeter;
    private static Linker linker;

    @TempDir
    Path config;

    @BeforeAll
    static void compile() {
        Path path = Guests.path("greeter.component.wasm");
        engine = new Engine();
        greeter = Component.fromFile(engine, path);
        linker = new Linker(engine).addWasi();
    }

    @AfterAll
    static void close() {
        linker.close();
        greeter.close();
        engine.close();
    }

    @Test
    void exportedFunctionsUseTheStoresWasiGrants() throws IOException {
        Files.writeString(config.resolve("suffix.txt"), "(from the host)\nsecond line\n");
        WasiConfig wasi = WasiConfig.builder()
                .env("GREETING", "Bonjour")
                .preopen(config, "/config", DirAccess.READ_ONLY)
                .captureStderr()
                .build();
        try (Store store = Store.builder(engine).wasi(wasi).build()) {
            Instance instance = linker.instantiate(store, greeter);
            Func greet = instance.func(GREET, "greet");
            Func calls = instance.func(GREET, "calls");
            assertEquals(0L, calls.call());
            assertEquals("Bonjour, Ada! (from the host)", greet.call("Ada"));
            assertEquals("Bonjour, Grace! (from the host)", greet.call("Grace"));
            assertEquals(2L, calls.call(), "the instance keeps its state between calls");
            assertEquals("greet(Ada)\ngreet(Grace)\n", new String(store.capturedStderr(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void withNothingGrantedTheGuestSeesNoVariableAndNoFile() throws IOException {
        Files.writeString(config.resolve("suffix.txt"), "(from the host)\n");
        try (Store store = Store.builder(engine).wasi(WasiConfig.builder().captureStderr().build()).build()) {
            Func greet = linker.instantiate(store, greeter).func(GREET, "greet");
            assertEquals("Hello, Ada!", greet.call("Ada"), "no GREETING, no /config");
            assertEquals("greet(Ada)\n", new String(store.capturedStderr(), StandardCharsets.UTF_8));
        }
        try (Store store = new Store(engine)) {
            assertEquals("Hello, Bob!", linker.instantiate(store, greeter).func(GREET, "greet").call("Bob"),
                    "a store without a WasiConfig grants nothing (and discards stderr)");
        }
    }

    @Test
    void withoutWasiInTheLinkerItDoesNotLink() {
        try (Linker bare = new Linker(engine); Store store = new Store(engine)) {
            LinkException e = assertThrows(LinkException.class, () -> bare.instantiate(store, greeter));
            assertTrue(e.getMessage().contains("wasi:"), e.getMessage());
        }
    }
}
