package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TimeoutException;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.wasi.WasiConfig.DirAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The promises of the WASI sandbox, tested with a real C program (guests/probe/probe.c, built by
 * guests/build.sh) that tries to get out: run as a WASI 0.2 component (the preview 1 program with
 * the command adapter, through {@link Linker#runCommand}) and as the plain preview 1 module
 * ({@link Module#runWasiCommand}). Every attempt must give the guest an error it reports on
 * stdout (or trap, for limits), and leave the host's files exactly as they were: each test
 * snapshots the whole temporary tree (kinds, contents, link targets, modification times) around
 * the run.
 *
 * <p>The tree: {@code root/outside.txt} next to {@code root/box/} (preopened read-write as
 * {@code /box}, with {@code inside.txt}, {@code sub/} and symlinks pointing out) and {@code
 * root/ro/} (preopened read-only as {@code /ro}).
 */
class SandboxTest {

    /** How the probe runs. */
    enum Mode {
        /** The preview 1 program made a component (command adapter), run as a WASI 0.2 command. */
        COMPONENT,
        /** The preview 1 core module, run with wasmtime's preview 1 implementation. */
        MODULE,
        /**
         * The component, with both preopens served through {@code java.nio.file} ({@link
         * WasiConfig.Builder#preopenJavaFileSystem}) instead of wasmtime-wasi: the same promises.
         */
        JAVA_FILESYSTEM
    }

    /** What a run printed and returned. */
    record Run(int exit, List<String> lines, String stderr) {}

    private static Engine engine;
    private static Component component;
    private static Module module;

    @TempDir
    Path root;

    private Path box;
    private Path ro;
    private Path outside;

    @BeforeAll
    static void compile() {
        Path c = Guests.path("sandbox-probe.component.wasm");
        Path m = Guests.path("sandbox-probe.module.wasm");
        engine = new Engine(Engine.Config.builder().epochInterruption(true).build());
        component = Component.fromFile(engine, c);
        module = Module.fromFile(engine, m);
    }

    @AfterAll
    static void close() {
        module.close();
        component.close();
        engine.close();
    }

    @BeforeEach
    void makeTree() throws IOException {
        outside = Files.writeString(root.resolve("outside.txt"), "outside secret\n");
        Files.createDirectory(root.resolve("outside-dir"));
        Files.writeString(root.resolve("outside-dir/other.txt"), "other\n");
        box = Files.createDirectory(root.resolve("box"));
        Files.writeString(box.resolve("inside.txt"), "inside\n");
        Files.createDirectory(box.resolve("sub"));
        Files.createSymbolicLink(box.resolve("link-rel"), Path.of("../outside.txt"));
        Files.createSymbolicLink(box.resolve("link-abs"), outside.toAbsolutePath());
        Files.createSymbolicLink(box.resolve("link-dir"), Path.of(".."));
        ro = Files.createDirectory(root.resolve("ro"));
        Files.writeString(ro.resolve("data.txt"), "read only\n");
    }

    private WasiConfig.Builder sandbox(Mode mode) {
        if (mode == Mode.JAVA_FILESYSTEM) {
            return WasiConfig.builder()
                    .preopenJavaFileSystem(box, "/box", DirAccess.READ_WRITE)
                    .preopenJavaFileSystem(ro, "/ro", DirAccess.READ_ONLY);
        }
        return WasiConfig.builder()
                .preopen(box, "/box", DirAccess.READ_WRITE)
                .preopen(ro, "/ro", DirAccess.READ_ONLY);
    }

    private static Run probe(Mode mode, WasiConfig.Builder config, String... ops) {
        return probe(mode, config, b -> {}, ops);
    }

    private static Run probe(Mode mode, WasiConfig.Builder config, Consumer<Store.Builder> limits, String... ops) {
        WasiConfig wasi = config.argv0("probe").args(ops).captureStdout().captureStderr().build();
        Store.Builder sb = Store.builder(engine).wasi(wasi);
        limits.accept(sb);
        try (Store store = sb.build()) {
            int exit = mode == Mode.MODULE ? module.runWasiCommand(store) : runComponent(store);
            String out = new String(store.capturedStdout(), StandardCharsets.UTF_8);
            String err = new String(store.capturedStderr(), StandardCharsets.UTF_8);
            List<String> lines = out.isEmpty() ? List.of() : Arrays.asList(out.split("\n", -1));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines = lines.subList(0, lines.size() - 1);
            }
            return new Run(exit, lines, err);
        }
    }

    private static int runComponent(Store store) {
        try (Linker linker = new Linker(engine)) {
            return linker.addWasi().runCommand(store, component);
        }
    }

    /** Every file, folder and link under {@code dir}, with contents, targets and times. */
    private static Map<String, String> snapshot(Path dir) {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    String what;
                    if (a.isSymbolicLink()) {
                        what = "link -> " + Files.readSymbolicLink(p);
                    } else if (a.isDirectory()) {
                        what = "dir";
                    } else {
                        what = "file " + a.size() + " " + Arrays.hashCode(Files.readAllBytes(p));
                    }
                    entries.put(dir.relativize(p).toString(), what + " @" + a.lastModifiedTime().toMillis());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** Attempts and the line the probe must print for each. */
    private static final class Attempts {
        final List<String> args = new ArrayList<>();
        final List<String> expected = new ArrayList<>();

        /** {@code op} must end with {@code outcome} ("ok", "error EPERM", ...). */
        Attempts add(String outcome, String... op) {
            args.addAll(List.of(op));
            expected.add(String.join(" ", op) + ": " + outcome);
            return this;
        }

        String[] args() {
            return args.toArray(String[]::new);
        }
    }

    /** Runs the attempts; each must print its expected line, and the host tree must not change. */
    private void assertRefusedAndNothingChanged(Mode mode, Attempts attempts) {
        Map<String, String> before = snapshot(root);
        Run run = probe(mode, sandbox(mode), attempts.args());
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(attempts.expected, run.lines());
        assertEquals(before, snapshot(root), "nothing on the host changed");
    }

    // WASI 0.2's not-permitted, which the host (cap-std) gives for any path leading out of a
    // preopen and for any change in a read-only one; the preview 1 adapter and wasmtime's preview
    // 1 both report it as EPERM.
    private static final String HOST_REFUSED = "error EPERM";
    // wasi-libc refuses a path under no preopen itself, before asking the host.
    private static final String LIBC_REFUSED = "error ENOTCAPABLE";

    @ParameterizedTest
    @EnumSource(Mode.class)
    void readsAndWritesInsideItsPreopens(Mode mode) throws IOException {
        Map<String, String> before = snapshot(root);
        Run run = probe(mode, sandbox(mode),
                "read", "/box/inside.txt",
                "readat", "/box", "sub/../inside.txt",
                "rawread", "/box", "inside.txt",
                "read", "/ro/data.txt",
                "writeat", "/box", "new.txt", "hello",
                "mkdirat", "/box", "made",
                "renameat", "/box", "new.txt", "made/moved.txt",
                "rawcreate", "/box", "made/empty.txt",
                "ls", "/box");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(List.of(
                "read /box/inside.txt: ok inside\\n",
                "readat /box sub/../inside.txt: ok inside\\n",
                "rawread /box inside.txt: ok inside\\n",
                "read /ro/data.txt: ok read only\\n",
                "writeat /box new.txt hello: ok",
                "mkdirat /box made: ok",
                "renameat /box new.txt made/moved.txt: ok",
                "rawcreate /box made/empty.txt: ok",
                "ls /box: ok inside.txt link-abs link-dir link-rel made sub"), run.lines());
        assertEquals("hello", Files.readString(box.resolve("made/moved.txt")), "the guest's write reached the host");
        assertEquals(0, Files.size(box.resolve("made/empty.txt")));
        assertFalse(Files.exists(box.resolve("new.txt")));
        Map<String, String> after = snapshot(root);
        before.keySet().removeIf(k -> k.equals("box"));
        after.keySet().removeIf(k -> k.equals("box") || k.startsWith("box/made"));
        assertEquals(before, after, "only the guest's own new files changed");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cannotReachOutsideItsPreopens(Mode mode) {
        String abs = outside.toAbsolutePath().toString();
        assertRefusedAndNothingChanged(mode, new Attempts()
                .add(HOST_REFUSED, "readat", "/box", "../outside.txt")
                .add(HOST_REFUSED, "readat", "/box", "sub/../../outside.txt")
                .add(HOST_REFUSED, "rawread", "/box", "../outside.txt")
                .add(HOST_REFUSED, "rawread", "/box", abs)
                .add(HOST_REFUSED, "rawread", "/box", "/etc/passwd")
                .add(HOST_REFUSED, "read", "/box/../outside.txt")
                .add(LIBC_REFUSED, "read", abs)
                .add(LIBC_REFUSED, "read", "/etc/passwd")
                .add(LIBC_REFUSED, "readat", "/box", abs)
                .add(HOST_REFUSED, "writeat", "/box", "../outside.txt", "pwned")
                .add(HOST_REFUSED, "appendat", "/box", "../outside.txt", "pwned")
                .add(HOST_REFUSED, "writeat", "/box", "../created.txt", "x")
                .add(HOST_REFUSED, "rawcreate", "/box", "../created-raw.txt")
                .add(HOST_REFUSED, "rawcreate", "/box", root.resolve("created-abs.txt").toString())
                .add(LIBC_REFUSED, "write", root.resolve("created-libc.txt").toString(), "x")
                .add(HOST_REFUSED, "mkdirat", "/box", "../newdir")
                .add(HOST_REFUSED, "unlinkat", "/box", "../outside.txt")
                .add(HOST_REFUSED, "unlinkat", "/box", "../outside-dir/other.txt")
                .add(HOST_REFUSED, "rmdirat", "/box", "../outside-dir")
                .add(HOST_REFUSED, "readat", "/box", "../outside-dir/other.txt")
                .add(HOST_REFUSED, "ls", "/box/..")
                .add(LIBC_REFUSED, "ls", "/"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void symlinksCannotLeadOut(Mode mode) {
        assertRefusedAndNothingChanged(mode, new Attempts()
                .add(HOST_REFUSED, "readat", "/box", "link-rel")
                .add(HOST_REFUSED, "readat", "/box", "link-abs")
                .add(HOST_REFUSED, "readat", "/box", "link-dir/outside.txt")
                .add(HOST_REFUSED, "rawread", "/box", "link-abs")
                .add(HOST_REFUSED, "read", "/box/link-rel")
                .add(HOST_REFUSED, "writeat", "/box", "link-rel", "pwned")
                .add(HOST_REFUSED, "writeat", "/box", "link-abs", "pwned")
                .add(HOST_REFUSED, "writeat", "/box", "link-dir/planted.txt", "x")
                .add(HOST_REFUSED, "mkdirat", "/box", "link-dir/planted-dir")
                .add(HOST_REFUSED, "renameat", "/box", "inside.txt", "link-dir/moved.txt"));
    }

    /**
     * Links the guest makes: wasmtime refuses an absolute target outright, and makes a relative
     * one, or a hard link to a symlink (a link is only a name inside the sandbox), that can never
     * be followed out.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void symlinksTheGuestMakesCannotLeadOutEither(Mode mode) throws IOException {
        Map<String, String> before = snapshot(root);
        Attempts attempts = new Attempts()
                .add(HOST_REFUSED, "symlinkat", "/box", outside.toAbsolutePath().toString(), "evil-abs")
                .add("ok", "symlinkat", "/box", "../outside.txt", "evil-rel")
                .add(HOST_REFUSED, "readat", "/box", "evil-rel")
                .add(HOST_REFUSED, "writeat", "/box", "evil-rel", "pwned")
                .add(HOST_REFUSED, "appendat", "/box", "evil-rel", "pwned")
                .add(HOST_REFUSED, "read", "/box/evil-rel")
                // A hard link to a symlink is another symlink (linkat does not follow it).
                .add("ok", "linkat", "/box", "link-abs", "hard-to-link")
                .add(HOST_REFUSED, "readat", "/box", "hard-to-link")
                .add(HOST_REFUSED, "rawread", "/box", "hard-to-link")
                .add(HOST_REFUSED, "writeat", "/box", "hard-to-link", "pwned");
        Run run = probe(mode, sandbox(mode), attempts.args());
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(attempts.expected, run.lines());
        assertEquals(Path.of("../outside.txt"), Files.readSymbolicLink(box.resolve("evil-rel")));
        assertFalse(Files.exists(box.resolve("evil-abs"), LinkOption.NOFOLLOW_LINKS));
        Map<String, String> after = snapshot(root);
        assertEquals(Files.readSymbolicLink(box.resolve("link-abs")), Files.readSymbolicLink(box.resolve("hard-to-link")));
        after.keySet().removeIf(k -> k.equals("box") || k.equals("box/evil-rel") || k.equals("box/hard-to-link"));
        before.keySet().removeIf(k -> k.equals("box"));
        assertEquals(before, after, "nothing but the links inside the box changed");
        assertEquals("outside secret\n", Files.readString(outside));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void hardLinksAndRenamesCannotCrossTheBoundary(Mode mode) {
        assertRefusedAndNothingChanged(mode, new Attempts()
                .add(HOST_REFUSED, "linkat", "/box", "inside.txt", "../linked-out.txt")
                .add(HOST_REFUSED, "linkat", "/box", "../outside.txt", "stolen.txt")
                .add(HOST_REFUSED, "renameat", "/box", "inside.txt", "../moved-out.txt")
                .add(HOST_REFUSED, "renameat", "/box", "../outside.txt", "taken.txt")
                .add(HOST_REFUSED, "renameat", "/box", "sub", "../moved-dir"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aReadOnlyPreopenRefusesEveryChange(Mode mode) {
        assertRefusedAndNothingChanged(mode, new Attempts()
                .add(HOST_REFUSED, "writeat", "/ro", "data.txt", "x")
                .add(HOST_REFUSED, "appendat", "/ro", "data.txt", "x")
                .add(HOST_REFUSED, "writeat", "/ro", "new.txt", "x")
                .add(HOST_REFUSED, "rawcreate", "/ro", "new-raw.txt")
                .add(HOST_REFUSED, "write", "/ro/new-libc.txt", "x")
                .add(HOST_REFUSED, "mkdirat", "/ro", "dir")
                .add(HOST_REFUSED, "unlinkat", "/ro", "data.txt")
                .add(HOST_REFUSED, "renameat", "/ro", "data.txt", "moved.txt")
                .add(HOST_REFUSED, "symlinkat", "/ro", "data.txt", "link")
                .add(HOST_REFUSED, "linkat", "/ro", "data.txt", "hard.txt")
                .add("ok read only\\n", "read", "/ro/data.txt"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void seesOnlyTheEnvironmentItWasGiven(Mode mode) {
        assertTrue(System.getenv().containsKey("PATH"), "the host has variables that could leak");
        Run run = probe(mode, WasiConfig.builder().env("ONLY", "this").env("SPACED", "two words"),
                "env", "getenv", "PATH", "getenv", "HOME", "getenv", "SPACED");
        assertEquals(List.of("env: ok ONLY=this SPACED=two words", "getenv PATH: unset", "getenv HOME: unset",
                "getenv SPACED: ok two words"), run.lines());
        Run none = probe(mode, WasiConfig.builder(), "env");
        assertEquals(List.of("env: ok"), none.lines(), "no variables by default");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void argsStdinStdoutAndStderr(Mode mode) {
        byte[] input = "line one\nline two ünï\n".getBytes(StandardCharsets.UTF_8);
        Run run = probe(mode, WasiConfig.builder().stdin(input), "args", "echo", "a b  c", "stderr", "to stderr", "cat");
        assertEquals(0, run.exit());
        assertEquals(List.of(
                "args: ok 7 [probe] [args] [echo] [a b  c] [stderr] [to stderr] [cat]",
                "echo a b  c: ok a b  c",
                "stderr to stderr: ok",
                "cat: ok",
                "line one",
                "line two ünï"), run.lines());
        assertEquals("to stderr\n", run.stderr());
    }

    /**
     * Exit codes: the preview 1 module passes any code through; the component goes through the
     * preview 1 adapter, whose {@code proc_exit} maps every non-zero code to {@code
     * wasi:cli/exit.exit(err)}, which wasmtime reports as 1.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void exitCodes(Mode mode) {
        assertEquals(0, probe(mode, WasiConfig.builder(), "exit", "0").exit());
        Run seven = probe(mode, WasiConfig.builder(), "exit", "7", "echo", "never");
        assertEquals(mode == Mode.MODULE ? 7 : 1, seven.exit(), "exit(7) as " + mode);
        assertEquals(List.of("exit 7: exiting"), seven.lines(), "nothing runs after exit");
        // main returning non-zero (2 for an unknown operation) is exit(2).
        Run bad = probe(mode, WasiConfig.builder(), "no-such-op");
        assertEquals(mode == Mode.MODULE ? 2 : 1, bad.exit());
        assertTrue(bad.stderr().contains("unknown operation"), bad.stderr());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRunawayGuestStopsAtTheTimeLimitAndTheHostGoesOn(Mode mode) {
        long t0 = System.nanoTime();
        TimeoutException e = assertThrows(TimeoutException.class,
                () -> probe(mode, WasiConfig.builder(), b -> b.timeout(Duration.ofMillis(300)), "echo", "started", "spin"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(TrapCode.INTERRUPT, e.code());
        assertTrue(ms >= 250 && ms < 10_000, "stopped after about the limit: " + ms + " ms");
        assertEquals(List.of("echo alive: ok alive"), probe(mode, WasiConfig.builder(), "echo", "alive").lines(),
                "the same compiled guest runs again in a new store");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRunawayGuestStopsWhenItsFuelRunsOut(Mode mode) {
        try (Engine fuelEngine = new Engine(Engine.Config.builder().consumeFuel(true).build());
                Component c = Component.fromFile(fuelEngine, Guests.path("sandbox-probe.component.wasm"));
                Module m = Module.fromFile(fuelEngine, Guests.path("sandbox-probe.module.wasm"));
                Linker linker = new Linker(fuelEngine).addWasi()) {
            WasiConfig spin = WasiConfig.builder().args("echo", "started", "spin").captureStdout().build();
            try (Store s = Store.builder(fuelEngine).wasi(spin).fuel(50_000_000).build()) {
                TrapException e = assertThrows(TrapException.class,
                        () -> {
                            if (mode == Mode.MODULE) {
                                m.runWasiCommand(s);
                            } else {
                                linker.runCommand(s, c);
                            }
                        });
                assertEquals(TrapCode.OUT_OF_FUEL, e.code());
                assertEquals(0, s.getFuel());
                assertEquals("echo started: ok started\nspin: spinning\n",
                        new String(s.capturedStdout(), StandardCharsets.UTF_8), "it ran until the fuel ran out");
            }
            WasiConfig echo = WasiConfig.builder().args("echo", "alive").captureStdout().build();
            try (Store s = Store.builder(fuelEngine).wasi(echo).fuel(50_000_000).build()) {
                assertEquals(0, mode == Mode.MODULE ? m.runWasiCommand(s) : linker.runCommand(s, c));
                assertEquals("echo alive: ok alive\n", new String(s.capturedStdout(), StandardCharsets.UTF_8));
                assertTrue(s.getFuel() > 0 && s.getFuel() < 50_000_000, "a short run used some fuel: " + s.getFuel());
            }
        }
    }

    private static final Pattern ALLOC = Pattern.compile("alloc 256 (\\d+): ok (\\d+) KiB (then malloc failed|\\(cap reached\\))");

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cannotGrowMemoryPastTheStoreLimit(Mode mode) {
        long limit = 8L << 20;
        Run capped = probe(mode, WasiConfig.builder(), b -> b.memoryLimit(limit),
                "alloc", "256", "65536", "grow", "1000", "echo", "still running");
        assertEquals(0, capped.exit(), capped.stderr());
        Matcher m = ALLOC.matcher(capped.lines().get(0));
        assertTrue(m.matches(), capped.lines().toString());
        long kib = Long.parseLong(m.group(2));
        assertEquals("then malloc failed", m.group(3), "malloc failed, the guest saw it");
        assertTrue(kib * 1024 < limit && kib * 1024 > limit / 2, "allocated " + kib + " KiB under an 8 MiB limit");
        assertTrue(capped.lines().get(1).startsWith("grow 1000: failed"), capped.lines().get(1));
        assertTrue(capped.lines().get(1).endsWith("(memory.grow returned -1)"), capped.lines().get(1));
        assertEquals("echo still running: ok still running", capped.lines().get(2));

        // The same guest with more room gets what it asks for: the limit is what stopped it.
        Run roomy = probe(mode, WasiConfig.builder(), b -> b.memoryLimit(64L << 20), "alloc", "256", "16384");
        Matcher r = ALLOC.matcher(roomy.lines().get(0));
        assertTrue(r.matches(), roomy.lines().toString());
        assertEquals("16384", r.group(2));
        assertEquals("(cap reached)", r.group(3));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTrapStopsTheGuestNotTheHost(Mode mode) {
        TrapException e = assertThrows(TrapException.class, () -> probe(mode, WasiConfig.builder(), "trap"));
        assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, e.code());
        assertEquals(List.of("echo alive: ok alive"), probe(mode, WasiConfig.builder(), "echo", "alive").lines());
    }

    @Test
    void theProbeIsARealComponentImportingWasi() {
        List<String> imports = new ArrayList<>();
        component.type().imports().forEach(i -> imports.add(i.name()));
        assertTrue(imports.contains("wasi:filesystem/types@0.2.12"), imports.toString());
        assertTrue(imports.contains("wasi:cli/environment@0.2.12"), imports.toString());
    }
}
