package io.github.wasmtimejvm.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, part 2: a recursing guest called from a thread with little free stack ran into the
 * guard page and killed the JVM (SIGSEGV, exit 134) instead of trapping. Each test runs the
 * {@link StackMatrix} (thread stacks of 64 KiB to 8 MiB, Java recursion 0-99% deep before the
 * call) in a JVM of its own.
 */
class ThreadStackTest {

    private static void matrix(String name, Path javaHome, String[] jvm, String... args) throws Exception {
        ChildJvm child = ChildJvm.of("stack-" + name, StackMatrix.class)
                .jvm(jvm)
                .args(args)
                .workDir(Budget.out().resolve("stack-" + name))
                .timeout(Duration.ofMinutes(4));
        if (javaHome != null) {
            child.javaHome(javaHome);
        }
        ChildJvm.Outcome outcome = child.run();
        System.out.println(outcome.output());
        Files.writeString(Budget.out().resolve("stack-" + name + ".txt"), outcome.output());
        assertTrue(outcome.ok(), outcome.describe());
    }

    @Test
    void threadsOfEverySizeAtEveryDepth() throws Exception {
        matrix("platform", null, new String[0], "platform");
    }

    @Test
    void theMainThreadUnderXss256k() throws Exception {
        matrix("main-xss256k", null, new String[] {"-Xss256k"}, "main");
    }

    @Test
    void virtualThreadsOnJdk25() throws Exception {
        Path jdk25 = Path.of(System.getProperty("robustness.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "no JDK 25 at " + jdk25);
        matrix("virtual-jdk25", jdk25, new String[] {"--enable-native-access=ALL-UNNAMED"}, "virtual");
    }
}
