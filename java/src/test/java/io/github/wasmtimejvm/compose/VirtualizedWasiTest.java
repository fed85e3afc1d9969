package io.github.wasmtimejvm.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wasi.WasiConfig;
import io.github.wasmtimejvm.wit.NamedItem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WASI virtualised by composition (issue 16): a component exporting {@code wasi:cli/environment}
 * with a fixed environment and fixed arguments is plugged in front of a real C program (the
 * sandbox probe, built with wasi-libc and the preview 1 adapter); the composed program sees the
 * virtual environment and arguments, never the host's, while its other WASI imports (stdout)
 * still come from the host.
 */
class VirtualizedWasiTest {

    /**
     * Exports {@code environment} of {@code version}: get-environment returns [("VIRTUAL",
     * "yes")], get-arguments ["probe", "env", "getenv", "VIRTUAL"], both from static data laid out
     * by the canonical ABI (a return area holding the list's pointer and length).
     */
    static String virtualEnvironment(String interfaceName) {
        return """
                (component
                  (core module $m
                    (memory (export "memory") 1)
                    (data (i32.const 100) "\\c8\\00\\00\\00\\01\\00\\00\\00")
                    (data (i32.const 120) "\\90\\01\\00\\00\\04\\00\\00\\00")
                    (data (i32.const 200) "\\2c\\01\\00\\00\\07\\00\\00\\00\\36\\01\\00\\00\\03\\00\\00\\00")
                    (data (i32.const 300) "VIRTUAL")
                    (data (i32.const 310) "yes")
                    (data (i32.const 400) "\\f4\\01\\00\\00\\05\\00\\00\\00\\fe\\01\\00\\00\\03\\00\\00\\00")
                    (data (i32.const 416) "\\08\\02\\00\\00\\06\\00\\00\\00\\2c\\01\\00\\00\\07\\00\\00\\00")
                    (data (i32.const 500) "probe")
                    (data (i32.const 510) "env")
                    (data (i32.const 520) "getenv")
                    (func (export "get-environment") (result i32) i32.const 100)
                    (func (export "get-arguments") (result i32) i32.const 120))
                  (core instance $i (instantiate $m))
                  (alias core export $i "memory" (core memory $mem))
                  (func $ge (result (list (tuple string string)))
                    (canon lift (core func $i "get-environment") (memory $mem)))
                  (func $ga (result (list string))
                    (canon lift (core func $i "get-arguments") (memory $mem)))
                  (instance $e (export "get-environment" (func $ge)) (export "get-arguments" (func $ga)))
                  (export "%s" (instance $e)))
                """.formatted(interfaceName);
    }

    @Test
    void aPluggedEnvironmentReplacesTheHostsForARealProgram() throws Exception {
        byte[] probe = Files.readAllBytes(Guests.path("sandbox-probe.component.wasm"));
        try (Engine engine = new Engine()) {
            String environment;
            try (Component c = Component.fromBytes(engine, probe)) {
                environment = c.type().imports().stream().map(NamedItem::name)
                        .filter(n -> n.startsWith("wasi:cli/environment@")).findFirst().orElseThrow();
            }
            byte[] virtual = virtualEnvironment(environment).getBytes(StandardCharsets.UTF_8);
            try (Component composed = Composition.plug(engine, probe, virtual);
                    Linker linker = new Linker(engine).addWasi();
                    Store store = Store.builder(engine)
                            .wasi(WasiConfig.builder().argv0("host").args("args").env("HOST_ONLY", "leak")
                                    .captureStdout().build())
                            .build()) {
                assertTrue(composed.type().importNamed(environment).isEmpty(), "the plug fills the import");
                assertTrue(composed.type().imports().stream().anyMatch(i -> i.name().startsWith("wasi:cli/stdout@")),
                        "stdout still comes from the host");
                assertEquals(0, linker.runCommand(store, composed));
                String out = new String(store.capturedStdout(), StandardCharsets.UTF_8);
                assertEquals(List.of("env: ok VIRTUAL=yes", "getenv VIRTUAL: ok yes"), out.lines().toList());
            }
        }
    }
}
