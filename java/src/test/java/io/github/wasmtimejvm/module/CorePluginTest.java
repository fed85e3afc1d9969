package io.github.wasmtimejvm.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TimeoutException;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A core module built by a real toolchain (C, {@code clang --target=wasm32}, no WASI: {@code
 * guests/plugin/plugin.c}) hosted as plugin hosts do: bytes in through its exported buffer, log
 * messages read from its memory by a host function.
 */
class CorePluginTest {

    @Test
    void hostsACPlugin() {
        List<String> logged = new ArrayList<>();
        try (Engine engine = new Engine();
                Module plugin = Module.fromFile(engine, Guests.path("plugin.module.wasm"));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            assertEquals(List.of(new ImportType("env", "log",
                    FuncType.of(List.of(ValType.I32, ValType.I32), List.of()))), plugin.imports());
            linker.func("env", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> {
                logged.add(caller.memory("memory").readString((Integer) args[0], (Integer) args[1]));
                return null;
            });
            Instance instance = linker.instantiate(store, plugin);
            instance.func("greet").call();
            assertEquals(List.of("hello from C"), logged);
            assertEquals(12586269025L, instance.func("fib").callRaw(50));

            Memory memory = instance.memory("memory");
            int buffer = (int) instance.func("buffer").callRaw();
            assertEquals(65536, instance.func("buffer_size").callRaw());
            byte[] input = "wasmtime-jvm".getBytes(StandardCharsets.UTF_8);
            memory.write(buffer, input);
            assertEquals(fnv1a(input), (int) instance.func("checksum").callRaw(buffer, input.length));
            instance.func("reverse").callRaw(buffer, input.length);
            assertArrayEquals("mvj-emitmsaw".getBytes(StandardCharsets.UTF_8), memory.read(buffer, input.length));
            assertEquals(7.5, Func.f64(instance.func("scale").callRaw(Func.bits(2.5), Func.bits(3.0f))));

            TrapException t = assertThrows(TrapException.class, () -> instance.func("divide").callRaw(1, 0));
            assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, t.code());
            assertEquals(3, instance.func("divide").callRaw(7, 2), "a core instance stays usable after a trap");
        }
    }

    @Test
    void aCoreGuestThatLoopsIsStoppedByTheTimeLimit() {
        try (Engine engine = new Engine(Engine.Config.builder().epochInterruption(true).build());
                Module m = Module.fromWat(engine, "(module (func (export \"spin\") (loop $l (br $l))))");
                Linker linker = new Linker(engine);
                Store store = Store.builder(engine).timeout(Duration.ofMillis(100)).build()) {
            Func spin = linker.instantiate(store, m).func("spin");
            assertThrows(TimeoutException.class, spin::callRaw);
        }
    }

    private static int fnv1a(byte[] bytes) {
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h = (h ^ (b & 0xFF)) * 16777619;
        }
        return h;
    }
}
