package io.github.wasmtimejvm.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link MutationFuzzer} for the build's time budget with a fixed seed, in a JVM of its
 * own, and replays the mutants that once crashed or hung it (the {@code reproducers} folder).
 *
 * <p>When the fuzzer's JVM crashes or hangs, the mutant it was running ({@code current.bin} and
 * its {@code current.txt}) is copied into the reproducers folder, named by the seed and a hash of
 * its bytes, and the test fails; from then on {@link #replaysSavedReproducers()} runs it on every
 * build, until the bug is fixed and the file committed as a regression input.
 */
class MutationFuzzerTest {

    /** The fixed seed of the bounded run: the same mutants on every build. */
    static final long SEED = 20_261_201L;

    /** The summary lines of the fuzzer's output (see {@link MutationFuzzer.Tally#print}). */
    private static final Pattern SUMMARY = Pattern.compile(
            "(?m)^(seeds|skipped_large|inputs|compiled|images|image_accepted_modified|instantiated|calls"
                    + "|returned|leaks|outcome|example|findings) .*$");

    @Test
    void fuzzesWithoutCrashing() throws Exception {
        long seconds = Budget.seconds();
        Path out = Budget.out().resolve("fuzz");
        deleteTree(out.resolve("findings"));
        Path guests = Path.of(System.getProperty("wasmtime.jvm.guests", "target/guests"));
        Path conformance = guests.toAbsolutePath().getParent().resolve("conformance").resolve("scripts");
        ChildJvm.Outcome outcome = ChildJvm.of("mutation-fuzzer", MutationFuzzer.class)
                .jvm("-Xmx512m")
                .args("--seed", Long.toString(SEED), "--seconds", Long.toString(seconds),
                        "--out", out.toString(), "--seeds", guests.toString(), conformance.toString())
                .workDir(out)
                .timeout(Duration.ofSeconds(seconds + 120))
                .run();
        String summary = status(outcome) + "\n" + summaryLines(outcome.output());
        Files.writeString(Budget.out().resolve("fuzz-summary.txt"), summary);
        System.out.println(summary);
        if (outcome.crashed() || outcome.timedOut()) {
            Path saved = saveReproducer(out, outcome.crashed() ? "crash" : "hang");
            fail(outcome.describe() + "\n  the mutant it was running is saved as " + saved
                    + " (replayed by replaysSavedReproducers)");
        }
        Matcher findings = Pattern.compile("(?m)^findings (\\d+)$").matcher(outcome.output());
        assertTrue(findings.find(), "no summary: " + outcome.describe());
        assertEquals(0, Long.parseLong(findings.group(1)),
                "the fuzzer had findings (kept in " + out.resolve("findings") + "): " + outcome.describe());
        assertEquals(0, outcome.exitCode(), outcome.describe());
    }

    @Test
    void replaysSavedReproducers() throws Exception {
        Path dir = reproducers();
        List<Path> inputs;
        try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            inputs = s.filter(p -> !p.toString().endsWith(".txt") && !p.toString().endsWith(".md")).toList();
        }
        Assumptions.assumeFalse(inputs.isEmpty(), "no reproducers in " + dir);
        Path out = Budget.out().resolve("fuzz-replay");
        ChildJvm.Outcome outcome = ChildJvm.of("mutation-fuzzer-replay", MutationFuzzer.class)
                .jvm("-Xmx512m")
                .args("--out", out.toString(), "--replay", dir.toString())
                .workDir(out)
                .timeout(Duration.ofSeconds(60 + 10L * inputs.size()))
                .run();
        System.out.println(outcome.output());
        assertTrue(!outcome.crashed() && !outcome.timedOut() && outcome.exitCode() == 0,
                "replaying " + inputs.size() + " reproducer(s) of " + dir + ": " + outcome.describe());
    }

    private static Path reproducers() {
        return Path.of(System.getProperty("robustness.reproducers", "reproducers"));
    }

    /**
     * Copies the mutant the dead JVM was running into the reproducers folder as {@code
     * WHAT-seedN-HASH.bin} with its {@code .txt}; returns the {@code .bin}.
     */
    private static Path saveReproducer(Path out, String what) throws IOException {
        Path bin = out.resolve("current.bin");
        if (!Files.exists(bin)) {
            return Path.of("(nothing: the fuzzer had not started a mutant)");
        }
        Path dir = Files.createDirectories(reproducers());
        String base = what + "-seed" + SEED + "-" + sha256(Files.readAllBytes(bin)).substring(0, 12);
        Path target = dir.resolve(base + ".bin");
        Files.copy(bin, target, StandardCopyOption.REPLACE_EXISTING);
        Path txt = out.resolve("current.txt");
        if (Files.exists(txt)) {
            Files.copy(txt, dir.resolve(base + ".txt"), StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String status(ChildJvm.Outcome o) {
        String how = o.timedOut() ? "hung" : o.crashed() ? "crashed" : "exited";
        return "status " + how + "\nexit " + o.exitCode() + "\nelapsed_ms " + o.elapsed().toMillis()
                + "\nseed " + SEED;
    }

    private static String summaryLines(String output) {
        Matcher m = SUMMARY.matcher(output);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            b.append(m.group()).append('\n');
        }
        return b.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
