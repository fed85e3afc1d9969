package io.github.wasmtimejvm.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a {@code .wast} suite, converted by {@code tools/wast-convert}, through the public Java
 * API, and checks the outcome against its exclusion list: Wasmtime's component-model suite
 * ({@link #COMPONENT_MODEL}, {@code exclusions.txt}) or the WebAssembly core spec suite ({@link
 * #SPEC}, {@code exclusions-spec.txt}).
 *
 * <p>Usage: {@code ConformanceRunner [--spec] <suite-dir> <scripts-dir> <exclusions.txt> <report.txt>}.
 * Exits non-zero (and {@link #run} reports {@link Summary#ok()} false) when a directive fails
 * that the exclusion list does not name, when an exclusion names a directive that now passes
 * (stale), or names no directive at all.
 */
public final class ConformanceRunner {

    /** A folder of the suite that is not run, and why. */
    record Skip(String prefix, String reason) {}

    /** Every folder of the component-model suite runs (async/ since asynchronous calls exist). */
    static final List<Skip> SKIPPED = List.of();

    /**
     * A suite the runner knows: its title, whether its scripts are core spec tests (wasmtime's
     * runner then ignores the wording of compile and link errors), and the folders not run.
     */
    public record Kind(String title, boolean specTest, List<Skip> skipped) {}

    /** wasmtime's component-model suite (tests/misc_testsuite/component-model). */
    public static final Kind COMPONENT_MODEL = new Kind(
            "Wasmtime component-model conformance through the wasmtime-jvm public API", false, SKIPPED);

    /** The WebAssembly core spec suite (WebAssembly/testsuite), through the core module API. */
    public static final Kind SPEC = new Kind(
            "WebAssembly core spec suite through the wasmtime-jvm public core-module API", true, List.of());

    /** The outcome of a run. */
    public record Summary(int passed, int failed, int excluded, List<String> problems, String report) {
        /** Whether the build may pass: no unexpected failure, no stale or unknown exclusion. */
        public boolean ok() {
            return failed == 0 && problems.isEmpty();
        }
    }

    /** One entry of the exclusion list. */
    record Exclusion(String key, String reason, int listLine) {}

    /** With -Dconformance.verbose=true passing assertions print the error they matched. */
    static final boolean VERBOSE = Boolean.getBoolean("conformance.verbose");

    private ConformanceRunner() {}

    public static void main(String[] args) throws IOException {
        boolean spec = args.length == 5 && args[0].equals("--spec");
        if (args.length != 4 && !spec) {
            System.err.println("usage: ConformanceRunner [--spec] <suite-dir> <scripts-dir> <exclusions.txt> <report.txt>");
            System.exit(2);
        }
        int o = spec ? 1 : 0;
        Summary s = run(spec ? SPEC : COMPONENT_MODEL, Path.of(args[o]), Path.of(args[o + 1]), Path.of(args[o + 2]),
                Path.of(args[o + 3]), System.out);
        System.exit(s.ok() ? 0 : 1);
    }

    public static Summary run(Path suite, Path scripts, Path exclusionsFile, Path reportFile, PrintStream console)
            throws IOException {
        return run(COMPONENT_MODEL, suite, scripts, exclusionsFile, reportFile, console);
    }

    public static Summary run(Kind kind, Path suite, Path scripts, Path exclusionsFile, Path reportFile,
            PrintStream console) throws IOException {
        long start = System.nanoTime();
        StringBuilder report = new StringBuilder();
        List<String> problems = new ArrayList<>();
        Map<String, Exclusion> exclusions = readExclusions(exclusionsFile, problems);
        Map<String, Exclusion> unused = new LinkedHashMap<>(exclusions);

        line(report, console, kind.title());
        line(report, console, "suite:   " + suite);
        line(report, console, "scripts: " + scripts);
        line(report, console, "");

        List<String> sources = suiteFiles(suite);
        Map<String, Path> converted = readIndex(scripts);
        for (String s : sources) {
            if (!converted.containsKey(s)) {
                problems.add(s + ": no converted script (run wast-convert again)");
            }
        }

        int passed = 0;
        int failed = 0;
        int excluded = 0;
        Map<Skip, int[]> skipped = new LinkedHashMap<>();
        List<String> featureNotes = new ArrayList<>();
        for (String source : sources) {
            Path scriptPath = converted.get(source);
            if (scriptPath == null) {
                continue;
            }
            Map<String, Object> script = Values.obj(Json.parse(Files.readString(scriptPath, StandardCharsets.UTF_8)));
            List<Object> directives = Values.arr(script.get("directives"));
            Skip skip = kind.skipped().stream().filter(k -> source.startsWith(k.prefix())).findFirst().orElse(null);
            if (skip != null) {
                int[] counts = skipped.computeIfAbsent(skip, k -> new int[2]);
                counts[0]++;
                counts[1] += directives.size();
                continue;
            }
            long fileStart = System.nanoTime();
            List<ScriptRunner.Outcome> outcomes;
            List<String> unsettable;
            try (ScriptRunner runner = new ScriptRunner(scriptPath.getParent(),
                    Values.obj(script.get("features")), kind.specTest(), false)) {
                unsettable = runner.unsettableFeatures();
                outcomes = runner.run(directives);
            }
            if (kind.specTest() && source.contains("relaxed")) {
                // Like wasmtime's runner: relaxed-SIMD scripts run on a second engine with the
                // deterministic semantics too; a directive passes only if it passes on both.
                try (ScriptRunner runner = new ScriptRunner(scriptPath.getParent(),
                        Values.obj(script.get("features")), true, true)) {
                    outcomes = bothEngines(outcomes, runner.run(directives));
                }
            }
            if (!unsettable.isEmpty()) {
                featureNotes.add(source + ": " + String.join(", ", unsettable));
            }
            int p = 0;
            int f = 0;
            int x = 0;
            List<String> details = new ArrayList<>();
            for (ScriptRunner.Outcome o : outcomes) {
                String key = source + ":" + o.line();
                Exclusion ex = exclusions.get(key);
                unused.remove(key);
                if (o.passed()) {
                    p++;
                    if (VERBOSE && !o.detail().isEmpty()) {
                        details.add("  pass  " + key + " " + o.type() + ": " + o.detail());
                    }
                    if (ex != null) {
                        problems.add("stale exclusion " + key + " (" + o.type() + " now passes): " + ex.reason());
                        details.add("  STALE " + key + " " + o.type() + " passes but is excluded: " + ex.reason());
                    }
                } else if (ex != null) {
                    x++;
                    details.add("  excl  " + key + " " + o.type() + ": " + o.detail());
                } else {
                    f++;
                    details.add("  FAIL  " + key + " " + o.type() + ": " + o.detail());
                }
            }
            passed += p;
            failed += f;
            excluded += x;
            line(report, console, String.format("%-44s %4d passed %4d failed %4d excluded  (%.1f s)",
                    source, p, f, x, (System.nanoTime() - fileStart) / 1e9));
            for (String d : details) {
                line(report, console, d);
            }
        }

        line(report, console, "");
        for (Map.Entry<Skip, int[]> e : skipped.entrySet()) {
            line(report, console, String.format("skipped %s (%d scripts, %d directives): %s",
                    e.getKey().prefix(), e.getValue()[0], e.getValue()[1], e.getKey().reason()));
        }
        if (!featureNotes.isEmpty()) {
            line(report, console, "`;;!` features these scripts need that Engine.Config cannot enable"
                    + " (their failures are excluded with that reason):");
            for (String n : featureNotes) {
                line(report, console, "  " + n);
            }
        }
        for (Exclusion e : unused.values()) {
            problems.add("exclusion " + e.key() + " (" + exclusionsFile.getFileName() + " line " + e.listLine()
                    + ") names no directive that was run");
        }
        if (!problems.isEmpty()) {
            line(report, console, "");
            line(report, console, "problems with the exclusion list or the scripts:");
            for (String pr : problems) {
                line(report, console, "  " + pr);
            }
        }
        line(report, console, "");
        line(report, console, String.format("runtime: %.1f s", (System.nanoTime() - start) / 1e9));
        line(report, console, passed + " passed, " + failed + " failed, " + excluded + " excluded");

        Files.createDirectories(reportFile.toAbsolutePath().getParent());
        Files.writeString(reportFile, report.toString(), StandardCharsets.UTF_8);
        return new Summary(passed, failed, excluded, List.copyOf(problems), report.toString());
    }

    /** Outcomes of a script run on the default and on the deterministic relaxed-SIMD engine. */
    static List<ScriptRunner.Outcome> bothEngines(List<ScriptRunner.Outcome> native_,
            List<ScriptRunner.Outcome> deterministic) {
        List<ScriptRunner.Outcome> out = new ArrayList<>();
        for (int i = 0; i < native_.size(); i++) {
            ScriptRunner.Outcome n = native_.get(i);
            ScriptRunner.Outcome d = deterministic.get(i);
            if (n.passed() && d.passed()) {
                out.add(n);
            } else {
                List<String> why = new ArrayList<>();
                if (!n.passed()) {
                    why.add("default engine: " + n.detail());
                }
                if (!d.passed()) {
                    why.add("relaxed_simd_deterministic engine: " + d.detail());
                }
                out.add(new ScriptRunner.Outcome(n.line(), n.type(), false, String.join("; ", why)));
            }
        }
        return out;
    }

    private static void line(StringBuilder report, PrintStream console, String s) {
        report.append(s).append('\n');
        if (console != null) {
            console.println(s);
        }
    }

    /** Every .wast file of the suite, as a path relative to it with '/' separators, sorted. */
    private static List<String> suiteFiles(Path suite) throws IOException {
        if (!Files.isDirectory(suite)) {
            throw new IOException("the suite folder " + suite + " does not exist (set -Dconformance.suite)");
        }
        try (Stream<Path> s = Files.walk(suite)) {
            return s.filter(p -> p.toString().endsWith(".wast"))
                    .map(p -> suite.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new))
                    .stream().toList();
        }
    }

    private static Map<String, Path> readIndex(Path scripts) throws IOException {
        Path index = scripts.resolve("index.json");
        if (!Files.exists(index)) {
            throw new IOException(index + " is missing: run tools/wast-convert first");
        }
        Map<String, Path> out = new LinkedHashMap<>();
        for (Object o : Values.arr(Values.obj(Json.parse(Files.readString(index))).get("scripts"))) {
            Map<String, Object> e = Values.obj(o);
            out.put((String) e.get("source"), scripts.resolve((String) e.get("script")));
        }
        return out;
    }

    /**
     * Reads {@code file:line reason} entries; blank lines and lines starting with '#' are
     * ignored. An entry without a reason, malformed, or repeated is a problem.
     */
    static Map<String, Exclusion> readExclusions(Path file, List<String> problems) {
        Map<String, Exclusion> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the exclusion list " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 2);
            String key = parts[0];
            String reason = parts.length > 1 ? parts[1].strip() : "";
            if (!key.matches(".+\\.wast:[0-9]+")) {
                problems.add("exclusions.txt line " + (i + 1) + ": expected `file.wast:line reason`, got `" + l + "`");
                continue;
            }
            if (reason.isEmpty()) {
                problems.add("exclusions.txt line " + (i + 1) + ": " + key + " has no reason");
                continue;
            }
            if (out.containsKey(key)) {
                problems.add("exclusions.txt line " + (i + 1) + ": " + key + " is listed twice");
                continue;
            }
            out.put(key, new Exclusion(key, reason, i + 1));
        }
        return out;
    }
}
