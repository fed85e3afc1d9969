package io.github.wasmtimejvm.wasitestsuite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.HandleRegistry;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.wasi.WasiConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every program of WebAssembly/wasi-testsuite (the prebuilt {@code wasm32-wasip1} C, Rust
 * and AssemblyScript programs under the suite's {@code tests/}) through the public Java API, twice:
 *
 * <ul>
 *   <li>{@code p1}: as a WASI preview 1 core module, {@link Module#runWasiCommand(Store)};
 *   <li>{@code p2}: adapted into a component with the preview 1 command adapter ({@code guest-tool
 *       componentize --adapter command}) and run under WASI 0.2, {@link Linker#addWasi()} and
 *       {@link Linker#runCommand(Store, Component)}.
 * </ul>
 *
 * <p>Each run follows the suite's SPECIFICATION.md: the environment holds exactly the spec's
 * {@code env}, the arguments are the spec's {@code args}, and the spec's {@code root} directory is
 * copied to a fresh temporary directory (without {@code *.cleanup} artifacts) and preopened as
 * {@code /}. A run passes only if every operation's expectation holds: the exit code (0 unless the
 * spec says otherwise) and, when the spec gives them, stdout and stderr. A {@code read} compares
 * the next as many characters as the expected payload has, with universal newlines, as the
 * reference runner reads the process's text pipes. A run that cannot be executed (a spec this
 * runner does not support, a program that fails to compile, link or adapt, a trap, a timeout) is
 * a failure.
 *
 * <p>Expected failures are listed in {@code exclusions.txt} with their reasons. A failure not
 * listed fails the build, and so does a listed run that passes (a stale exclusion). The counts per
 * language and mode are printed and written, with every run's outcome, to the repository's {@code
 * target/wasi-testsuite/report.txt}; adapted components and wasmtime's compiled-code cache live
 * there too and are reused by later runs.
 */
class WasiTestsuiteTest {

    enum Mode {
        P1, P2;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum Outcome {
        /** Expected to pass, passed. */
        PASS,
        /** Expected to pass, failed. */
        FAIL,
        /** Excluded, failed. */
        XFAIL,
        /** Excluded, passed: the exclusion is stale. */
        XPASS
    }

    /**
     * One program of the suite.
     *
     * @param wasm the file
     * @param path its path relative to the suite's tests/ folder, with '/'
     * @param language the first folder of the path: assemblyscript, c or rust
     */
    record Program(Path wasm, String path, String language) {
        String fileName() {
            return wasm.getFileName().toString();
        }
    }

    /** How one run of a program ended: an exit code or an exception, and its output. */
    record Execution(Integer exitCode, RuntimeException error, byte[] stdout, byte[] stderr) {
        String ending() {
            return error == null ? "exit code " + exitCode : "no exit code: " + describe(error);
        }
    }

    record Result(Program program, Mode mode, Outcome outcome, List<String> failures, String reason,
            List<String> notes, long nanos) {}

    private static final int OUTPUT_IN_MESSAGES = 2000;

    private static Path suite;
    private static Path tests;
    private static Path out;
    private static Path guestTool;
    private static Duration timeout;
    private static Exclusions exclusions;
    private static final List<Result> results = Collections.synchronizedList(new ArrayList<>());
    private static final AtomicInteger componentsBuilt = new AtomicInteger();
    private static final AtomicInteger componentsReused = new AtomicInteger();
    private static final AtomicLong adaptNanos = new AtomicLong();
    private static final AtomicLong compileNanos = new AtomicLong();
    private static final AtomicLong runNanos = new AtomicLong();
    private static Map<String, Long> liveAfterRun;

    @BeforeAll
    static void runSuite() throws Exception {
        long start = System.nanoTime();
        suite = Path.of(property("wasi.testsuite.dir")).toAbsolutePath().normalize();
        tests = suite.resolve("tests");
        out = Path.of(property("wasi.testsuite.out")).toAbsolutePath().normalize();
        guestTool = Path.of(property("wasi.testsuite.guestTool")).toAbsolutePath().normalize();
        timeout = Duration.ofSeconds(Long.parseLong(System.getProperty("wasi.testsuite.timeoutSeconds", "60")));
        if (!Files.isDirectory(tests)) {
            throw new IllegalStateException("the WASI testsuite is not at " + suite
                    + " (set -Dwasi.testsuite.dir=...): nothing can run");
        }
        Files.createDirectories(out);

        List<Program> programs = discover();
        if (programs.isEmpty()) {
            throw new IllegalStateException("no .wasm programs under " + tests);
        }
        Set<String> paths = programs.stream().map(Program::path).collect(Collectors.toSet());
        exclusions = Exclusions.read(Path.of(property("wasi.testsuite.exclusions")), paths);

        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        Engine.Config config = Engine.Config.builder()
                .epochInterruption(true) // for the per-run time limit
                .cacheDirectory(out.resolve("cache")) // compiled code, reused by later runs
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Engine engine = new Engine(config); Linker linker = new Linker(engine)) {
            linker.addWasi();
            List<Future<?>> jobs = new ArrayList<>();
            for (Program p : programs) {
                jobs.add(pool.submit(() -> runProgram(engine, linker, p)));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdownNow();
        }
        liveAfterRun = HandleRegistry.liveCounts();
        results.sort((a, b) -> {
            int c = a.program().path().compareTo(b.program().path());
            return c != 0 ? c : a.mode().compareTo(b.mode());
        });
        long total = System.nanoTime() - start;
        String summary = report(programs.size(), threads, total);
        System.out.println(summary);
        Files.writeString(out.resolve("report.txt"), summary + "\n" + details(), StandardCharsets.UTF_8);
    }

    /** A dynamic test per run: fails on an unexpected failure or a stale exclusion. */
    @TestFactory
    Stream<DynamicTest> runs() {
        List<Result> snapshot = new ArrayList<>(results);
        return snapshot.stream().map(r -> DynamicTest.dynamicTest(
                r.mode().label() + " " + r.program().path(), () -> judge(r)));
    }

    /** Every engine, module, component, linker and store the runner opened was closed. */
    @Test
    void everyHandleWasClosed() {
        Map<String, Long> open = new java.util.TreeMap<>(liveAfterRun);
        open.values().removeIf(n -> n == 0);
        assertTrue(open.isEmpty(), () -> "handles still open after the run: " + open);
        assertTrue(HandleRegistry.leakCount() == 0, "leak reports: " + HandleRegistry.leakCount());
    }

    @Test
    void exclusionListIsWellFormed() {
        assertTrue(exclusions.errors().isEmpty(), () -> "exclusions.txt:\n  "
                + String.join("\n  ", exclusions.errors()));
    }

    private static void judge(Result r) {
        switch (r.outcome()) {
            case PASS -> { }
            case FAIL -> fail(String.join("\n", r.failures()));
            case XPASS -> fail("stale exclusion: the run passes now; remove `" + r.mode().label() + " "
                    + r.program().path() + "` from exclusions.txt (reason given: " + r.reason() + ")");
            case XFAIL -> Assumptions.abort("excluded (" + r.reason() + "); failed as expected: "
                    + String.join("; ", r.failures()));
        }
    }

    // ---------------------------------------------------------------- discovery

    private static List<Program> discover() throws IOException {
        List<Program> programs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tests)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && f.getFileName().toString().endsWith(".wasm")) {
                    String rel = tests.relativize(f).toString().replace('\\', '/');
                    programs.add(new Program(f, rel, rel.substring(0, rel.indexOf('/'))));
                }
            }
        }
        programs.sort((a, b) -> a.path().compareTo(b.path()));
        return programs;
    }

    // ---------------------------------------------------------------- running

    private static void runProgram(Engine engine, Linker linker, Program p) {
        TestSpec spec;
        String specError = null;
        try {
            spec = TestSpec.forProgram(p.wasm());
        } catch (IOException | RuntimeException e) {
            spec = null;
            specError = "cannot read the test's spec: " + describe(e);
        }
        for (Mode mode : Mode.values()) {
            long start = System.nanoTime();
            List<String> failures = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            if (spec != null) {
                notes.addAll(spec.warnings());
            }
            String unsupported = spec == null ? specError : spec.unsupported();
            if (unsupported != null) {
                failures.add("cannot run: " + unsupported);
            } else if (mode == Mode.P1) {
                runP1(engine, p, spec, failures, notes);
            } else {
                runP2(engine, linker, p, spec, failures, notes);
            }
            String reason = exclusions.reason(mode.label(), p.path());
            Outcome outcome = reason == null
                    ? (failures.isEmpty() ? Outcome.PASS : Outcome.FAIL)
                    : (failures.isEmpty() ? Outcome.XPASS : Outcome.XFAIL);
            results.add(new Result(p, mode, outcome, List.copyOf(failures), reason, List.copyOf(notes),
                    System.nanoTime() - start));
        }
    }

    private static void runP1(Engine engine, Program p, TestSpec spec, List<String> failures,
            List<String> notes) {
        Module module;
        long t = System.nanoTime();
        try {
            module = Module.fromFile(engine, p.wasm());
        } catch (RuntimeException e) {
            failures.add("cannot compile the module: " + describe(e));
            return;
        } finally {
            compileNanos.addAndGet(System.nanoTime() - t);
        }
        try (module) {
            perform(spec, p, engine, store -> module.runWasiCommand(store), failures, notes);
        }
    }

    private static void runP2(Engine engine, Linker linker, Program p, TestSpec spec,
            List<String> failures, List<String> notes) {
        Path adapted;
        long t = System.nanoTime();
        try {
            adapted = componentize(p);
        } catch (IOException | RuntimeException e) {
            failures.add("cannot adapt the module into a component: " + describe(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted while adapting the module into a component");
            return;
        } finally {
            adaptNanos.addAndGet(System.nanoTime() - t);
        }
        Component component;
        t = System.nanoTime();
        try {
            component = Component.fromFile(engine, adapted);
        } catch (RuntimeException e) {
            failures.add("cannot compile the component " + adapted + ": " + describe(e));
            return;
        } finally {
            compileNanos.addAndGet(System.nanoTime() - t);
        }
        try (component) {
            perform(spec, p, engine, store -> linker.runCommand(store, component), failures, notes);
        }
    }

    /** Runs the program's compiled form in a store: returns its exit code or throws. */
    private interface Command {
        int run(Store store);
    }

    /**
     * Performs the spec's operations in order, stopping at the first failure (as the reference
     * runner does). A run executes the whole program at once in a fresh store (this runner has no
     * operation that talks to a running program); the reads and the wait that follow judge what
     * it did.
     */
    private static void perform(TestSpec spec, Program p, Engine engine, Command command,
            List<String> failures, List<String> notes) {
        Execution exec = null;
        Map<String, String> text = new HashMap<>();
        Map<String, Integer> consumed = new HashMap<>();
        for (TestSpec.Op op : spec.operations()) {
            if (!failures.isEmpty()) {
                break;
            }
            if (op instanceof TestSpec.Run run) {
                try {
                    exec = execute(p, engine, run, command);
                } catch (IOException | RuntimeException e) {
                    failures.add("cannot prepare the run: " + describe(e));
                    break;
                }
                text.put("stdout", pipeText(exec.stdout()));
                text.put("stderr", pipeText(exec.stderr()));
                consumed.clear();
            } else if (op instanceof TestSpec.Read read) {
                String all = text.get(read.stream());
                int from = consumed.getOrDefault(read.stream(), 0);
                int n = read.payload().codePointCount(0, read.payload().length());
                int to = from;
                for (int i = 0; i < n && to < all.length(); i++) {
                    to = all.offsetByCodePoints(to, 1);
                }
                String got = all.substring(from, to);
                consumed.put(read.stream(), to);
                if (!got.equals(read.payload())) {
                    failures.add(read.stream() + ": expected " + quote(read.payload()) + ", got "
                            + quote(got) + " (" + exec.ending() + ")" + outputs(exec));
                }
            } else if (op instanceof TestSpec.Wait wait) {
                if (exec.error() != null) {
                    failures.add("expected exit code " + wait.exitCode() + ", but the program did not exit: "
                            + describe(exec.error()) + outputs(exec));
                } else if (exec.exitCode() != wait.exitCode()) {
                    failures.add("expected exit code " + wait.exitCode() + ", got " + exec.exitCode()
                            + outputs(exec));
                } else {
                    for (String stream : List.of("stdout", "stderr")) {
                        int left = text.get(stream).length() - consumed.getOrDefault(stream, 0);
                        if (consumed.containsKey(stream) && left > 0) {
                            notes.add(stream + ": " + left + " more characters after the expected payload"
                                    + " (not compared, as in the reference runner)");
                        }
                    }
                }
            }
        }
    }

    /**
     * One run of a program: a fresh store with the spec's arguments and environment (nothing else),
     * stdout and stderr captured, empty stdin, and the spec's root directory copied to a fresh
     * temporary directory and preopened read-write as {@code /}.
     */
    private static Execution execute(Program p, Engine engine, TestSpec.Run run, Command command)
            throws IOException {
        WasiConfig.Builder wasi = WasiConfig.builder()
                .argv0(p.fileName())
                .args(run.args())
                .envs(run.env())
                .captureStdout()
                .captureStderr();
        Path scratch = null;
        try {
            if (run.root() != null) {
                Path root = p.wasm().getParent().resolve(run.root()).normalize();
                if (!Files.isDirectory(root)) {
                    throw new IOException("the spec's root " + run.root() + " is not a directory");
                }
                scratch = Files.createTempDirectory("wasi-testsuite-");
                Path copy = scratch.resolve(root.getFileName().toString());
                copyTree(root, copy);
                wasi.preopen(copy, "/", WasiConfig.DirAccess.READ_WRITE);
            }
            try (Store store = Store.builder(engine).timeout(timeout).wasi(wasi.build()).build()) {
                Integer exit = null;
                RuntimeException error = null;
                long t = System.nanoTime();
                try {
                    exit = command.run(store);
                } catch (RuntimeException e) {
                    error = e;
                } finally {
                    runNanos.addAndGet(System.nanoTime() - t);
                }
                return new Execution(exit, error, store.capturedStdout(), store.capturedStderr());
            }
        } finally {
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    /**
     * The adapted component of {@code p} in target/wasi-testsuite/components/, rebuilt with
     * guest-tool unless it is newer than both the module and guest-tool.
     */
    private static Path componentize(Program p) throws IOException, InterruptedException {
        Path component = out.resolve("components")
                .resolve(p.path().substring(0, p.path().length() - ".wasm".length()) + ".component.wasm");
        if (!Files.isExecutable(guestTool)) {
            throw new IOException(guestTool + " is missing: build it with `cargo build --release -p guest-tool`");
        }
        if (Files.exists(component)
                && Files.getLastModifiedTime(component).compareTo(Files.getLastModifiedTime(p.wasm())) >= 0
                && Files.getLastModifiedTime(component).compareTo(Files.getLastModifiedTime(guestTool)) >= 0) {
            componentsReused.incrementAndGet();
            return component;
        }
        Files.createDirectories(component.getParent());
        Path tmp = component.resolveSibling(component.getFileName() + ".tmp");
        Process proc = new ProcessBuilder(guestTool.toString(), "componentize", p.wasm().toString(),
                tmp.toString(), "--adapter", "command")
                .redirectErrorStream(true)
                .start();
        String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = proc.waitFor();
        if (rc != 0) {
            Files.deleteIfExists(tmp);
            throw new IOException("guest-tool componentize exited with " + rc + ": " + output.strip());
        }
        Files.move(tmp, component, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        componentsBuilt.incrementAndGet();
        return component;
    }

    // ---------------------------------------------------------------- files

    /** Copies a directory tree, symbolic links as links, leaving out *.cleanup test artifacts. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && dir.getFileName().toString().endsWith(".cleanup")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().endsWith(".cleanup")) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("wasi-testsuite: cannot delete " + root + ": " + e);
        }
    }

    // ---------------------------------------------------------------- reporting

    private static String report(int programs, int threads, long totalNanos) {
        StringBuilder sb = new StringBuilder();
        sb.append("WASI testsuite (").append(suite).append("): ").append(programs)
                .append(" programs, each run as p1 (core module, WASI preview 1) and p2 (component, WASI 0.2)\n");
        sb.append(String.format(Locale.ROOT, "%-16s %-6s %7s %7s %9s%n", "suite", "mode", "passed", "failed",
                "excluded"));
        Set<String> languages = new TreeSet<>();
        results.forEach(r -> languages.add(r.program().language()));
        for (String lang : languages) {
            for (Mode mode : Mode.values()) {
                int[] c = counts(r -> r.program().language().equals(lang) && r.mode() == mode);
                sb.append(String.format(Locale.ROOT, "%-16s %-6s %7d %7d %9d%n", lang, mode.label(), c[0], c[1],
                        c[2]));
            }
        }
        for (Mode mode : Mode.values()) {
            int[] c = counts(r -> r.mode() == mode);
            sb.append(String.format(Locale.ROOT, "%-16s %-6s %7d %7d %9d%n", "all", mode.label(), c[0], c[1], c[2]));
        }
        int stale = (int) results.stream().filter(r -> r.outcome() == Outcome.XPASS).count();
        sb.append(String.format(Locale.ROOT,
                "time: %.1f s in all on %d threads (adapting %.1f s, compiling %.1f s, running %.1f s, summed"
                        + " over threads); components: %d adapted, %d reused%n",
                totalNanos / 1e9, threads, adaptNanos.get() / 1e9, compileNanos.get() / 1e9, runNanos.get() / 1e9,
                componentsBuilt.get(), componentsReused.get()));
        int[] all = counts(r -> true);
        sb.append("wasi-testsuite: ").append(all[0]).append(" passed, ").append(all[1]).append(" failed")
                .append(stale > 0 ? " (" + stale + " of them stale exclusions)" : "")
                .append(", ").append(all[2]).append(" excluded");
        return sb.toString();
    }

    /** passed, failed (including stale exclusions), excluded (failed as expected). */
    private static int[] counts(java.util.function.Predicate<Result> which) {
        int[] c = new int[3];
        for (Result r : results) {
            if (which.test(r)) {
                switch (r.outcome()) {
                    case PASS -> c[0]++;
                    case FAIL, XPASS -> c[1]++;
                    case XFAIL -> c[2]++;
                }
            }
        }
        return c;
    }

    private static String details() {
        StringBuilder sb = new StringBuilder("\n\nEvery run:\n");
        for (Result r : results) {
            String label = switch (r.outcome()) {
                case PASS -> "PASS ";
                case FAIL -> "FAIL ";
                case XFAIL -> "EXCL ";
                case XPASS -> "STALE";
            };
            sb.append(String.format(Locale.ROOT, "%s %s %s (%d ms)%n", label, r.mode().label(), r.program().path(),
                    r.nanos() / 1_000_000));
            if (r.reason() != null) {
                sb.append("      excluded: ").append(r.reason()).append('\n');
            }
            for (String f : r.failures()) {
                sb.append("      ").append(f.replace("\n", "\n      ")).append('\n');
            }
            for (String n : r.notes()) {
                sb.append("      note: ").append(n).append('\n');
            }
        }
        if (!exclusions.errors().isEmpty()) {
            sb.append("\nexclusions.txt errors:\n");
            exclusions.errors().forEach(e -> sb.append("  ").append(e).append('\n'));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Output as the reference runner sees it: its pipes are text streams, UTF-8 with universal
     * newlines ({@code \r\n} and {@code \r} read as {@code \n}).
     */
    private static String pipeText(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String outputs(Execution exec) {
        return "\n  stdout: " + quote(clip(pipeText(exec.stdout()))) + "\n  stderr: "
                + quote(clip(pipeText(exec.stderr())));
    }

    private static String clip(String s) {
        return s.length() <= OUTPUT_IN_MESSAGES ? s : s.substring(0, OUTPUT_IN_MESSAGES) + "...";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.strip());
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (the Maven build sets it)");
        }
        return v;
    }
}
