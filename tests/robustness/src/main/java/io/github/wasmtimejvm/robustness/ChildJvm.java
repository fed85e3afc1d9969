package io.github.wasmtimejvm.robustness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one harness program in a JVM of its own, so that a crash of that JVM is seen as a crash
 * (its exit status and its {@code hs_err} file), and a hang as a hang (it is killed at its time
 * limit, after a thread dump), instead of taking the caller down with it.
 *
 * <p>The child gets this JVM's class path and library settings, {@code libjsig} preloaded (as the
 * Maven tests do), no core dumps, and its {@code hs_err} file written into its own folder.
 */
public final class ChildJvm {

    /**
     * How a child JVM ended.
     *
     * @param name what ran, for reports
     * @param exitCode its exit status (-1 when it was killed)
     * @param timedOut whether it was killed at its time limit
     * @param output what it printed (standard output and error, interleaved)
     * @param hsErr the JVM's crash report, when it wrote one
     * @param elapsed how long it ran
     */
    public record Outcome(
            String name, int exitCode, boolean timedOut, String output, Optional<Path> hsErr,
            Duration elapsed) {

        /** Whether the JVM died of a signal or a fatal error rather than exiting on its own. */
        public boolean crashed() {
            return !timedOut && (hsErr.isPresent() || exitCode >= 128 || exitCode == 134);
        }

        /** Exited with status 0. */
        public boolean ok() {
            return !timedOut && exitCode == 0 && hsErr.isEmpty();
        }

        /** A one-paragraph account for test failures and reports. */
        public String describe() {
            String how = timedOut ? "HUNG (killed at its time limit)"
                    : crashed() ? "CRASHED (exit " + exitCode + ")"
                    : "exited " + exitCode;
            StringBuilder b = new StringBuilder(name + ": " + how + " after "
                    + elapsed.toMillis() + " ms");
            hsErr.ifPresent(p -> b.append("\n  crash report: ").append(p));
            String tail = output.length() > 6000 ? "..." + output.substring(output.length() - 6000) : output;
            if (!tail.isBlank()) {
                b.append("\n  output:\n").append(tail.indent(4));
            }
            return b.toString();
        }
    }

    private final String name;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> programArgs = new ArrayList<>();
    private final String mainClass;
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private Duration timeout = Duration.ofMinutes(2);
    private Path workDir;

    private ChildJvm(String name, Class<?> main) {
        this.name = name;
        this.mainClass = main.getName();
    }

    /** A child JVM running {@code main}'s {@code main} method. */
    public static ChildJvm of(String name, Class<?> main) {
        return new ChildJvm(name, main);
    }

    /** Adds JVM options such as {@code -Xmx64m} or {@code -Xss256k}. */
    public ChildJvm jvm(String... options) {
        jvmArgs.addAll(List.of(options));
        return this;
    }

    /** Adds program arguments. */
    public ChildJvm args(String... args) {
        programArgs.addAll(List.of(args));
        return this;
    }

    /** Runs on another JDK (for example JDK 25 for virtual-thread cases). */
    public ChildJvm javaHome(Path home) {
        this.javaHome = home;
        return this;
    }

    /** Kills the child after {@code limit} (a hang). */
    public ChildJvm timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Where the child's crash report and output go (a fresh temporary folder by default). */
    public ChildJvm workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** Runs the child to its end, or kills it at its time limit. */
    public Outcome run() {
        try {
            Path dir = workDir != null ? Files.createDirectories(workDir)
                    : Files.createTempDirectory("wasmtime-jvm-child");
            Path log = dir.resolve(safe(name) + ".out");
            List<String> command = new ArrayList<>();
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
            command.add("-XX:-CreateCoredumpOnCrash");
            forward(command, "wasmtime.jvm.library.path");
            forward(command, "wasmtime.jvm.corpus");
            forward(command, "wasmtime.jvm.guests");
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
            command.addAll(programArgs);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            Path jsig = javaHome.resolve("lib").resolve("libjsig.so");
            if (Files.exists(jsig)) {
                env.put("LD_PRELOAD", jsig.toString());
            }
            long start = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                threadDump(p, dir);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            return new Outcome(name, done ? p.exitValue() : -1, !done, output, hsErr(dir, p.pid()),
                    elapsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    private static void forward(List<String> command, String property) {
        String v = System.getProperty(property);
        if (v != null) {
            command.add("-D" + property + "=" + v);
        }
    }

    /** Asks a hung child for a thread dump (into its output) before it is killed. */
    private void threadDump(Process p, Path dir) {
        try {
            Path jcmd = javaHome.resolve("bin").resolve("jcmd");
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(safe(name) + ".threads").toFile())
                    .start();
            dump.waitFor(20, TimeUnit.SECONDS);
            dump.destroyForcibly();
        } catch (IOException | InterruptedException ignored) {
            // The kill below is what matters.
        }
    }

    private static Optional<Path> hsErr(Path dir, long pid) throws IOException {
        Path exact = dir.resolve("hs_err_pid" + pid + ".log");
        if (Files.exists(exact)) {
            return Optional.of(exact);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("hs_err")).findFirst();
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
