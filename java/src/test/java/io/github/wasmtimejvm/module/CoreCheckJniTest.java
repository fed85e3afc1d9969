package io.github.wasmtimejvm.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The core path's natives under {@code -Xcheck:jni} (in a child JVM, whose own warnings are read):
 * thousands of host-function upcalls (each makes and frees two local arrays), caller-memory reads
 * from inside them, host functions that throw, and every kind of item access.
 */
class CoreCheckJniTest {

    /** The child. */
    public static void main(String[] args) {
        Path calc = Fixtures.corpus().resolve("modules").resolve("calc.wat");
        try (Engine engine = new Engine();
                Module module = Module.fromFile(engine, calc);
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            int[] calls = new int[1];
            linker.func("host", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, a) -> {
                caller.memory("memory").readString((Integer) a[0], (Integer) a[1]);
                return null;
            });
            linker.func("host", "twice", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)), (caller, a) -> {
                if (++calls[0] % 100 == 0) {
                    throw new IllegalStateException("every hundredth call fails");
                }
                return 2 * (Long) a[0];
            });
            Instance instance = linker.instantiate(store, module);
            Func quadruple = instance.func("quadruple");
            Func greet = instance.func("greet");
            int failures = 0;
            for (int i = 0; i < 5000; i++) {
                greet.call();
                try {
                    quadruple.call((long) i);
                } catch (TrapException e) {
                    failures++;
                }
            }
            if (failures == 0) {
                throw new AssertionError("no host failure was seen");
            }
            Memory memory = instance.memory("memory");
            for (int i = 0; i < 1000; i++) {
                memory.putLong(8, i);
                memory.getLong(8);
                memory.read(0, 64);
                instance.global("counter").get();
                instance.table("fns").get(0);
                instance.func("identity").call(new Object());
            }
            assertThrows(IndexOutOfBoundsException.class, () -> memory.read(1 << 30, 4));
        }
        System.out.println("probe done");
    }

    @Test
    void theCorePathKeepsWithinJnisRules() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xcheck:jni",
                        "-Dwasmtime.jvm.corpus=" + Fixtures.corpus().toAbsolutePath(),
                        "-cp", System.getProperty("java.class.path"), CoreCheckJniTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("probe done"), out);
        assertFalse(out.contains("exceeds capacity"), out);
        assertFalse(out.contains("WARNING in native method"), out);
    }
}
