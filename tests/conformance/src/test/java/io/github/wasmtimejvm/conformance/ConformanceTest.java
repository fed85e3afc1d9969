package io.github.wasmtimejvm.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole converted suites (see {@link ConformanceRunner}); each fails on any directive that
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
        check(ConformanceRunner.COMPONENT_MODEL, "conformance.");
    }

    /** The WebAssembly core spec suite, through the core module API (exclusions-spec.txt). */
    @Test
    void coreSpecSuite() throws IOException {
        check(ConformanceRunner.SPEC, "conformance.spec.");
    }

    private static void check(ConformanceRunner.Kind kind, String prefix) throws IOException {
        ConformanceRunner.Summary s = ConformanceRunner.run(kind,
                property(prefix + "suite"),
                property(prefix + "scripts"),
                property(prefix + "exclusions"),
                property(prefix + "report"),
                System.out);
        assertTrue(s.passed() > 0, "nothing passed: is the suite empty?");
        assertTrue(s.ok(), () -> s.failed() + " unexpected failures and " + s.problems().size()
                + " exclusion-list problems (see " + property(prefix + "report") + "):\n"
                + String.join("\n", s.problems()));
    }
}
