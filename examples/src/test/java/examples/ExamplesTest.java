package examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example as a user would (its {@code main}) and checks what it prints. */
class ExamplesTest {

    static Path root() {
        return Path.of(System.getProperty("examples.root", "..")).toAbsolutePath().normalize();
    }

    static Path guest(String name) {
        Path p = Path.of(System.getProperty("examples.guests", "../target/guests")).resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run guests/build.sh");
        }
        return p;
    }

    interface Main {
        void run(String[] args) throws Exception;
    }

    static List<String> run(Main main, String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void callComponent() throws Exception {
        assertEquals(List.of(
                "package root:component;",
                "",
                "world root {",
                "  export add: func(a: u32, b: u32) -> u32;",
                "}",
                "add(1, 2) = 3",
                "add(4294967295, 1) = 0 (u32 wraps)"), run(CallComponent::main));
    }

    @Test
    void wasiCommand() throws Exception {
        assertEquals(List.of("exit status 0", "the guest wrote: hello from Java"), run(WasiCommand::main));
    }

    @Test
    void hostResources() throws Exception {
        assertEquals(List.of(
                "roundtrip(greeting, hi) = Optional[hi]",
                "churn(1000) = 1000",
                "buckets the guest dropped: 1001"),
                run(HostResources::main, root().resolve("corpus/components/kv-host.wat").toString()));
    }

    @Test
    void pluginHost(@TempDir Path plugins) throws Exception {
        Files.copy(guest("adder-c.component.wasm"), plugins.resolve("a-adder-c.wasm"));
        Files.copy(root().resolve("corpus/components/calc-adder.wat"), plugins.resolve("b-adder.wat"));
        Files.copy(guest("calculator-c.component.wasm"), plugins.resolve("c-calculator.wasm"));
        Files.copy(guest("adder-core.module.wasm"), plugins.resolve("d-core-module.wasm"));
        Files.writeString(plugins.resolve("notes.txt"), "not a plugin");
        List<String> out = run(PluginHost::main, plugins.toString(), root().resolve("wit/guests/calc").toString());
        assertEquals("a-adder-c.wasm: 20 + 22 = 42", out.get(0));
        assertEquals("b-adder.wat: 20 + 22 = 42", out.get(1));
        assertEquals("c-calculator.wasm: skipped, 2 mismatch(es) with docs:calc@0.1.0/adder-world", out.get(2));
        assertTrue(out.get(3).startsWith("    missing export `docs:calc/adder@0.1.0`: the world exports "), out.get(3));
        assertTrue(out.get(4).startsWith("    import `docs:calc/adder@0.1.0` ("), out.get(4));
        assertEquals("d-core-module.wasm: not a component: these bytes are a core WebAssembly module, not a component:"
                + " compile it as a Module (io.github.wasmtimejvm.module.Module)", out.get(out.size() - 1));
    }
}
