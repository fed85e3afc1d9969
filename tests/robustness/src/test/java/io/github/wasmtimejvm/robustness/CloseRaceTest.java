package io.github.wasmtimejvm.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The close/Cleaner race of issue 8: under GC pressure, a handle whose {@code close()} was still
 * in native code became unreachable and the Cleaner freed its native cell under it (SIGSEGV in
 * {@code jni_DeleteWeakGlobalRef} from {@code Store.dispose0}, or glibc's "malloc(): unsorted
 * double linked list corrupted" for {@code Linker} and {@code InstancePre}). Each case runs the
 * ordinary loop of the report in a 64 MiB heap beside an allocating thread, in a JVM of its own.
 */
class CloseRaceTest {

    private static void stress(String name, String... kinds) throws Exception {
        long seconds = Math.max(5, Budget.seconds() / 2);
        String[] args = new String[kinds.length + 2];
        args[0] = Long.toString(seconds);
        args[1] = "2";
        System.arraycopy(kinds, 0, args, 2, kinds.length);
        ChildJvm.Outcome outcome = ChildJvm.of("close-race-" + name, LifecycleStress.class)
                .jvm("-Xmx64m", "-Dwasmtime.jvm.leakDetection=off")
                .args(args)
                .workDir(Budget.out().resolve("close-race-" + name))
                .timeout(Duration.ofSeconds(seconds + 90))
                .run();
        assertTrue(outcome.ok(), outcome.describe());
        System.out.println(outcome.output());
        java.nio.file.Files.writeString(Budget.out().resolve("close-race-" + name + ".txt"),
                "seconds " + seconds + "\nthreads 2\n" + outcome.output());
    }

    @Test
    void storesClosedAfterACall() throws Exception {
        stress("store", "store", "store-leaked");
    }

    @Test
    void linkersAndInstancePres() throws Exception {
        stress("linker", "linker", "linker-leaked", "instance-pre", "instance-pre-leaked", "instance-pre-use");
    }

    @Test
    void componentsResourcesModules() throws Exception {
        stress("component", "component", "component-leaked", "resource", "resource-leaked", "module");
    }
}
