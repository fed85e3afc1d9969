package io.github.wasmtimejvm.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole converted suite (see {@link ConformanceRunner}); fails on any directive that
 * fails without an exclusion, and on stale or unknown exclusions.
 */
class ConformanceTest {

    private static Path property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (the pom sets it)");
        }
        return Path.of(v);
    }

    @Test
    void componentModelSuite() throws IOException {
        ConformanceRunner.Summary s = ConformanceRunner.run(
                property("conformance.suite"),
                property("conformance.scripts"),
                property("conformance.exclusions"),
                property("conformance.report"),
                System.out);
        assertTrue(s.passed() > 0, "nothing passed: is the suite empty?");
        assertTrue(s.ok(), () -> s.failed() + " unexpected failures and " + s.problems().size()
                + " exclusion-list problems (see " + property("conformance.report") + "):\n"
                + String.join("\n", s.problems()));
    }
}
