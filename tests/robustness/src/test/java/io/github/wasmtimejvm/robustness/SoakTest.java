package io.github.wasmtimejvm.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link Soak} for about the build's time budget in a JVM of its own and checks that its
 * resident set stays flat.
 *
 * <p>The bound, {@value #MAX_SLOPE_KIB_PER_100K} KiB per 100 000 cycles (about 42 bytes a cycle),
 * is far below any real leak: a {@code Store} never freed costs about 25 KiB a cycle (measured
 * by keeping every store reachable: RSS grew 300 MiB in 12 000 cycles), 600 times the bound. It
 * is above the noise of a healthy run, which is flat to a few KiB once warm except for a single
 * step of a few MiB when HotSpot returns its compiler arenas to the system (a healthy
 * 300 000-cycle run measured -1 200 KiB per 100 000 cycles, the step included).
 */
class SoakTest {

    /** Largest RSS slope accepted. */
    static final double MAX_SLOPE_KIB_PER_100K = 4096;

    /**
     * Cycles a second, to size the run to the budget (measured: about 11 000 on 2 cores shared
     * with a build); on a slower machine the time limit of twice the budget stops it early.
     */
    private static final long CYCLES_PER_SECOND = 10_000;

    @Test
    void residentSetStaysFlat() throws Exception {
        long budget = Budget.seconds();
        long cycles = Math.min(300_000, budget * CYCLES_PER_SECOND);
        long interval = Math.max(1_000, cycles / 30);
        ChildJvm.Outcome outcome = ChildJvm.of("soak", Soak.class)
                // A fixed, touched heap: heap growth is not mistaken for a native leak.
                .jvm("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch")
                .args(Long.toString(cycles), Long.toString(interval), Long.toString(2 * budget))
                .workDir(Budget.out().resolve("soak"))
                .timeout(Duration.ofSeconds(2 * budget + 120))
                .run();
        String summary = outcome.output().lines()
                .filter(l -> !l.startsWith("sample "))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(Budget.out().resolve("soak-summary.txt"), summary);
        System.out.println(summary);
        assertTrue(outcome.ok(), outcome.describe());

        Matcher samples = Pattern.compile("(?m)^samples (\\d+)$").matcher(outcome.output());
        assertTrue(samples.find() && Integer.parseInt(samples.group(1)) >= 3,
                "too few RSS samples for a slope: " + outcome.describe());
        Matcher slope = Pattern.compile("(?m)^rss_slope_kib_per_100k (-?[0-9.]+)$").matcher(outcome.output());
        assertTrue(slope.find(), "no slope in the output: " + outcome.describe());
        double kib = Double.parseDouble(slope.group(1));
        assertTrue(kib < MAX_SLOPE_KIB_PER_100K, "RSS grows " + kib + " KiB per 100k cycles (bound "
                + MAX_SLOPE_KIB_PER_100K + "): a native leak per cycle?\n" + outcome.describe());
    }
}
