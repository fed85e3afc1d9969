package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.LinkException;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.WasmtimeException;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.NamedItem;
import io.github.wasmtimejvm.wit.WitType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One WASI function replaced by a Java host function while the rest stays wasmtime-wasi's
 * (issue 16): {@code wasi:cli/environment#get-environment} answered from Java for a real C
 * program (the sandbox probe: wasi-libc and the preview 1 adapter), whose arguments, from
 * {@code get-arguments} of the same interface, still come from the {@link WasiConfig}.
 */
class WasiOverrideTest {

    static final FuncType GET_ENVIRONMENT = FuncType.builder()
            .result(new WitType.ListType(new WitType.TupleType(List.of(Primitive.STRING, Primitive.STRING))))
            .build();

    static Engine engine;
    static Component probe;
    static String environment;

    @BeforeAll
    static void load() {
        engine = new Engine();
        probe = Component.fromFile(engine, Guests.path("sandbox-probe.component.wasm"));
        environment = probe.type().imports().stream().map(NamedItem::name)
                .filter(n -> n.startsWith("wasi:cli/environment@")).findFirst().orElseThrow();
    }

    @AfterAll
    static void close() {
        probe.close();
        engine.close();
    }

    static List<String> run(Linker linker, WasiConfig.Builder config, String... ops) {
        try (Store store = Store.builder(engine)
                .wasi(config.argv0("probe").args(ops).captureStdout().build()).build()) {
            assertEquals(0, linker.runCommand(store, probe));
            return new String(store.capturedStdout(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void aJavaGetEnvironmentReplacesWasiOnlyThere() {
        try (Linker linker = new Linker(engine).addWasi().allowShadowing(true)) {
            linker.instance(environment).func("get-environment", GET_ENVIRONMENT,
                    args -> List.of(List.of("FROM", "java"), List.of("CALLS", "1")));
            // The guest's variables come from Java; its arguments (the ops) from the config,
            // whose own variable the guest never sees.
            assertEquals(List.of("env: ok FROM=java CALLS=1", "getenv HIDDEN: unset", "args: ok 5 [probe] [env] [getenv] [HIDDEN] [args]"),
                    run(linker, WasiConfig.builder().env("HIDDEN", "config"), "env", "getenv", "HIDDEN", "args"));
        }
    }

    @Test
    void withoutTheOverrideTheConfigsVariablesShow() {
        try (Linker linker = new Linker(engine).addWasi()) {
            assertEquals(List.of("env: ok HIDDEN=config"),
                    run(linker, WasiConfig.builder().env("HIDDEN", "config"), "env"));
        }
    }

    @Test
    void anOverrideIsCheckedAgainstTheWitType() {
        try (Linker linker = new Linker(engine).addWasi().allowShadowing(true)) {
            linker.instance(environment).func("get-environment", FuncType.builder().result(Primitive.STRING).build(),
                    args -> "not a list");
            try (Store store = Store.builder(engine).wasi(WasiConfig.builder().build()).build()) {
                LinkException e = assertThrows(LinkException.class, () -> linker.runCommand(store, probe));
                assertTrue(e.getMessage().contains("get-environment"), e.getMessage());
            }
        }
    }

    @Test
    void withoutShadowingTheOverrideIsRefused() {
        try (Linker linker = new Linker(engine).addWasi()) {
            WasmtimeException e = assertThrows(WasmtimeException.class, () -> linker.instance(environment)
                    .func("get-environment", GET_ENVIRONMENT, args -> List.of()));
            assertTrue(e.getMessage().contains("get-environment"), e.getMessage());
        }
    }
}
