package io.github.wasmtimejvm.wasitestsuite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expected failures, one per line: {@code <p1|p2> <test path> <reason>}, the path relative to
 * the suite's {@code tests/} folder. Blank lines and lines starting with {@code #} are comments.
 * Every entry needs a reason; a malformed line, a duplicate, or a path that is not a test of the
 * suite is an error (reported as a failing test, never ignored).
 */
final class Exclusions {

    private final Map<String, String> reasons = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    static Exclusions read(Path file, Set<String> programs) throws IOException {
        Exclusions x = new Exclusions();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file.getFileName() + ":" + (i + 1) + ": ";
            String[] parts = line.split("\\s+", 3);
            if (parts.length < 3 || parts[2].isBlank()) {
                x.errors.add(where + "expected `<p1|p2> <test path> <reason>`: " + line);
                continue;
            }
            if (!parts[0].equals("p1") && !parts[0].equals("p2")) {
                x.errors.add(where + "the mode must be p1 or p2: " + parts[0]);
                continue;
            }
            if (!programs.contains(parts[1])) {
                x.errors.add(where + "no such test in the suite: " + parts[1]);
                continue;
            }
            String key = key(parts[0], parts[1]);
            if (x.reasons.putIfAbsent(key, parts[2].strip()) != null) {
                x.errors.add(where + "excluded twice: " + parts[0] + " " + parts[1]);
            }
        }
        return x;
    }

    /** Why the run is expected to fail, or null when it is expected to pass. */
    String reason(String mode, String program) {
        return reasons.get(key(mode, program));
    }

    /** Malformed, duplicate or unknown entries. */
    List<String> errors() {
        return errors;
    }

    private static String key(String mode, String program) {
        return mode + " " + program;
    }
}
