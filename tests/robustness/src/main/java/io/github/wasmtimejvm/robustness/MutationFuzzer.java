package io.github.wasmtimejvm.robustness;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.HandleRegistry;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.WasmtimeException;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.Resource;
import io.github.wasmtimejvm.wasi.WasiConfig;
import io.github.wasmtimejvm.wit.ComponentType;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.ItemType;
import io.github.wasmtimejvm.wit.NamedItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A seeded, coverage-blind mutation fuzzer of the public API: it mutates component binaries, WAT
 * text and serialized component images, and compiles, links, instantiates and calls each mutant
 * with random arguments ({@link RandomValues}). Every Java exception the library documents is an
 * acceptable outcome and is counted by class; anything else thrown (an undocumented exception, an
 * {@link Error} other than {@link StackOverflowError} or {@link OutOfMemoryError}) is a
 * <em>finding</em>. A JVM crash is the failure the harness exists to catch: run the fuzzer in a
 * JVM of its own ({@link ChildJvm}).
 *
 * <h2>Arguments</h2>
 *
 * <pre>
 * MutationFuzzer --out DIR [--seed N] [--seconds S] [--seeds PATH...] [--corpus DIR]
 * MutationFuzzer --out DIR --replay PATH...
 * </pre>
 *
 * <ul>
 *   <li>{@code --out DIR} (required): where {@code current.bin} and {@code current.txt} (the
 *       mutant being run and how it was made) are written before each mutant, and where mutants
 *       that gave findings are kept ({@code findings/}).
 *   <li>{@code --seed N} (default 1): the run is reproducible for a seed and a set of inputs:
 *       mutant {@code i} and its call arguments depend only on {@code N} and {@code i}, not on
 *       timing.
 *   <li>{@code --seconds S} (default 20): how long to generate mutants.
 *   <li>{@code --seeds PATH...}: folders searched recursively for {@code *.wasm} seed inputs (or
 *       single files); folders that do not exist are ignored. Files over 4 MiB are skipped.
 *   <li>{@code --corpus DIR} (default: the {@code wasmtime.jvm.corpus} property, else {@code
 *       corpus}): its {@code components/*.wat} are text seeds; {@code --corpus none} for none.
 *   <li>{@code --replay PATH...}: instead of fuzzing, runs each saved mutant (a file, or every
 *       file of a folder except {@code *.txt} and {@code *.md}) exactly as the fuzzer ran it. Its
 *       sidecar {@code NAME.txt} (a copy of {@code current.txt}) gives the kind of input and the
 *       seed and iteration the call arguments came from; without one the file is compiled as a
 *       component (binary or text) with seed 0. Exits 0 when it got to the end.
 * </ul>
 *
 * <p>Each argument may also be written {@code --name=value}; options that take several values
 * take every following argument up to the next one starting with {@code --}.
 *
 * <h2>Output</h2>
 *
 * <p>A {@code FINDING} block per finding, then summary lines {@code key value} (see {@link
 * Tally#print}): {@code seeds}, {@code skipped_large}, {@code inputs} (mutants run), {@code
 * compiled}, {@code images} (mutated serialized images among the inputs), {@code
 * image_accepted_modified} (those {@code Component.deserialize} did not refuse), {@code
 * instantiated}, {@code calls}, {@code returned}, {@code leaks} (resources released by their
 * store's close), {@code outcome CLASS N} per exception class with an {@code example CLASS
 * message} each, and {@code findings}. Exits 0, or 3 when there were findings.
 */
public final class MutationFuzzer {

    /** Seed inputs larger than this are not used (the Python guest is about 18 MiB). */
    static final long MAX_SEED_BYTES = 4L << 20;

    /** Exit status when there were findings. */
    static final int EXIT_FINDINGS = 3;

    private static final long MEMORY_LIMIT = 64L << 20;
    private static final long INSTANCES_LIMIT = 100;
    private static final long TABLE_ELEMENTS_LIMIT = 100_000;
    private static final long FUEL = 50_000_000;
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(200);
    /** Time for instantiating and calling one mutant, after it compiled. */
    private static final long MUTANT_BUDGET_NANOS = 1_000_000_000L;
    /** Stores (fresh instances) per mutant: a trap poisons a store. */
    private static final int STORES_PER_MUTANT = 3;
    /** Calls per store. */
    private static final int CALLS_PER_STORE = 12;
    /** The library's logger, held so that its level (off) stays set. */
    private static final java.util.logging.Logger LIBRARY_LOG =
            java.util.logging.Logger.getLogger("io.github.wasmtimejvm");
    /** Mixed into the iteration's seed for the call arguments, apart from the mutation. */
    private static final long CALL_SALT = 0x5DEECE66DL;

    /** How a mutant is turned into a component. */
    enum Kind {
        /** {@code Component.fromBytes}: a binary, or text mutated byte-wise. */
        BYTES,
        /** {@code Component.fromWat}: text mutated as text. */
        WAT,
        /** {@code Component.deserialize} (or {@code Module.deserialize}): a serialized image. */
        IMAGE;

        /** The name in {@code current.txt}. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A seed input. */
    record Seed(String name, byte[] bytes, boolean text) {}

    /**
     * One input to run.
     *
     * @param origin the seed it was made from (a path), for reports
     * @param kind how it is compiled
     * @param bytes its bytes (UTF-8 for {@link Kind#WAT})
     * @param mutations what was done to the seed, for reports
     */
    record Mutant(String origin, Kind kind, byte[] bytes, String mutations) {}

    private final Engine engine;
    private final Path out;
    private final Tally tally = new Tally();
    private long seed;
    private long iteration;

    private MutationFuzzer(Engine engine, Path out) {
        this.engine = engine;
        this.out = out;
    }

    /** The engine settings every mutant (and every replay) is compiled with. */
    static Engine.Config engineConfig() {
        return Engine.Config.builder()
                .epochInterruption(true)
                .consumeFuel(true)
                .parallelCompilation(false)
                .build();
    }

    /** Runs the fuzzer or a replay; see the class documentation for the arguments. */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        // Resources left for their store to release are expected here: count them, do not log.
        LIBRARY_LOG.setLevel(java.util.logging.Level.OFF);
        AtomicLong leaks = new AtomicLong();
        HandleRegistry.addLeakListener(r -> leaks.incrementAndGet());
        Files.createDirectories(options.out());
        Tally tally;
        try (Engine engine = new Engine(engineConfig())) {
            MutationFuzzer fuzzer = new MutationFuzzer(engine, options.out());
            if (options.replay().isEmpty()) {
                fuzzer.fuzz(options);
            } else {
                fuzzer.replay(options.replay());
            }
            tally = fuzzer.tally;
        }
        tally.count("leaks", leaks.get());
        tally.print(System.out);
        System.out.flush();
        System.exit(options.replay().isEmpty() && tally.findings() > 0 ? EXIT_FINDINGS : 0);
    }

    // ---- fuzzing ---------------------------------------------------------------------------------

    private void fuzz(Options options) throws IOException {
        List<Seed> seeds = loadSeeds(options);
        tally.count("seeds", seeds.size());
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seed inputs: give --seeds or --corpus");
        }
        this.seed = options.seed();
        Mutator mutator = new Mutator(seeds);
        Map<Integer, byte[]> images = new LinkedHashMap<>();
        long deadline = System.nanoTime() + options.seconds() * 1_000_000_000L;
        long nextProgress = System.nanoTime() + 10_000_000_000L;
        for (iteration = 0; System.nanoTime() < deadline; iteration++) {
            Random random = new Random(mix(seed, iteration));
            Mutant mutant = random.nextInt(16) == 0
                    ? imageMutant(mutator, random, images)
                    : mutator.mutant(random);
            if (mutant == null) {
                continue;
            }
            record(mutant);
            run(mutant, new Random(mix(seed, iteration) ^ CALL_SALT));
            if (System.nanoTime() > nextProgress) {
                System.out.println("progress iteration " + iteration + " findings " + tally.findings());
                nextProgress += 10_000_000_000L;
            }
        }
    }

    /**
     * A mutated serialized image of a seed that compiles, or null when the chosen seed does not.
     * Images are made once per seed (the seed is compiled, never mutated, for that).
     */
    private Mutant imageMutant(Mutator mutator, Random random, Map<Integer, byte[]> images) {
        int index = mutator.pickSeed(random);
        Seed s = mutator.seeds().get(index);
        byte[] image = images.computeIfAbsent(index, i -> {
            if (isCoreModule(s.bytes())) {
                try (io.github.wasmtimejvm.module.Module c =
                        io.github.wasmtimejvm.module.Module.fromBytes(engine, s.bytes())) {
                    return c.serialize();
                } catch (RuntimeException e) {
                    return new byte[0];
                }
            }
            try (Component c = Component.fromBytes(engine, s.bytes())) {
                return c.serialize();
            } catch (RuntimeException e) {
                return new byte[0];
            }
        });
        if (image.length == 0) {
            return null;
        }
        StringBuilder how = new StringBuilder("serialize");
        byte[] mutated = mutator.mutateBytes(random, image, how);
        if (Arrays.equals(mutated, image)) {
            mutated[random.nextInt(mutated.length)] ^= 1;
            how.append(" flip1");
        }
        return new Mutant(s.name(), Kind.IMAGE, mutated, how.toString());
    }

    /** Writes the mutant about to run where the parent finds it if this JVM dies. */
    private void record(Mutant m) throws IOException {
        Files.write(out.resolve("current.bin"), m.bytes());
        Files.writeString(out.resolve("current.txt"), describe(m));
    }

    private String describe(Mutant m) {
        return "seed " + seed + "\niteration " + iteration + "\nkind " + m.kind().label()
                + "\ninput " + m.origin() + "\nmutations " + m.mutations() + "\n";
    }

    private List<Seed> loadSeeds(Options options) throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (Path root : options.seeds()) {
            if (!Files.exists(root)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().endsWith(".wasm"))
                        .sorted()
                        .toList();
            }
            for (Path f : files) {
                if (Files.size(f) > MAX_SEED_BYTES) {
                    tally.count("skipped_large", 1);
                } else {
                    seeds.add(new Seed(f.toString(), Files.readAllBytes(f), false));
                }
            }
        }
        if (options.corpus() != null) {
            // Components, and core modules (which run through io.github.wasmtimejvm.module).
            for (String folder : List.of("components", "modules")) {
                Path dir = options.corpus().resolve(folder);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path f : s.filter(p -> p.toString().endsWith(".wat")).sorted().toList()) {
                        seeds.add(new Seed(f.toString(), Files.readAllBytes(f), true));
                    }
                }
            }
        }
        return seeds;
    }

    // ---- replay ----------------------------------------------------------------------------------

    private void replay(List<Path> paths) throws IOException {
        for (Path p : paths) {
            List<Path> files;
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    files = s.filter(Files::isRegularFile)
                            .filter(f -> !f.toString().endsWith(".txt") && !f.toString().endsWith(".md"))
                            .sorted()
                            .toList();
                }
            } else {
                files = List.of(p);
            }
            for (Path f : files) {
                replayOne(f);
            }
        }
    }

    private void replayOne(Path file) throws IOException {
        Map<String, String> sidecar = readSidecar(file);
        seed = Long.parseLong(sidecar.getOrDefault("seed", "0"));
        iteration = Long.parseLong(sidecar.getOrDefault("iteration", "0"));
        Kind kind = Kind.valueOf(sidecar.getOrDefault("kind", "bytes").toUpperCase(Locale.ROOT));
        Mutant m = new Mutant(file.toString(), kind, Files.readAllBytes(file),
                sidecar.getOrDefault("mutations", "(replayed)"));
        System.out.println("replay " + file + " (" + kind.label() + ", seed " + seed + ", iteration "
                + iteration + ")");
        record(m);
        run(m, new Random(mix(seed, iteration) ^ CALL_SALT));
    }

    /** {@code NAME.txt} beside {@code NAME.bin} (or {@code NAME.EXT.txt}), as key-value lines. */
    private static Map<String, String> readSidecar(Path file) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path txt = file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".txt");
        if (!Files.exists(txt)) {
            txt = file.resolveSibling(name + ".txt");
        }
        Map<String, String> map = new LinkedHashMap<>();
        if (Files.exists(txt)) {
            for (String line : Files.readAllLines(txt)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    map.put(line.substring(0, space), line.substring(space + 1).trim());
                }
            }
        }
        return map;
    }

    // ---- running one mutant ----------------------------------------------------------------------

    /** Compiles, links, instantiates and calls {@code m}; every failure ends up in the tally. */
    private void run(Mutant m, Random random) {
        tally.count("inputs", 1);
        if (m.kind() == Kind.IMAGE) {
            tally.count("images", 1);
        }
        if (isCoreModule(m.bytes()) || (m.kind() == Kind.IMAGE && CoreMutants.isModuleImage(m.bytes()))) {
            CoreMutants.run(this::coreStage, engine, m.kind(), m.bytes(), random, this::newStore,
                    (stage, t) -> outcome(m, stage, t));
            return;
        }
        Component component;
        try {
            component = switch (m.kind()) {
                case BYTES -> Component.fromBytes(engine, m.bytes());
                case WAT -> Component.fromWat(engine, new String(m.bytes(), StandardCharsets.UTF_8));
                case IMAGE -> Component.deserialize(engine, m.bytes());
            };
        } catch (Throwable t) {
            outcome(m, "compile", t);
            return;
        }
        tally.count(m.kind() == Kind.IMAGE ? "image_accepted_modified" : "compiled", 1);
        String stage = "type";
        try (component) {
            List<Export> exports = functions(component.type());
            if (m.kind() == Kind.IMAGE) {
                // The image differs from what serialize() gave, and the library is to refuse such
                // bytes. When it does not, the machine code is no longer the compiler's: not run.
                return;
            }
            stage = "link";
            try (Linker linker = new Linker(engine)) {
                linker.addWasi().defineUnknownImportsAsTraps(component);
                stage = "instantiate-pre";
                try (InstancePre pre = linker.instantiatePre(component)) {
                    long deadline = System.nanoTime() + MUTANT_BUDGET_NANOS;
                    List<Resource> pool = new ArrayList<>();
                    for (int s = 0; s < STORES_PER_MUTANT && System.nanoTime() < deadline; s++) {
                        stage = "instantiate";
                        try (Store store = newStore()) {
                            Instance instance = s == 0 ? linker.instantiate(store, component)
                                    : pre.instantiate(store);
                            tally.count("instantiated", 1);
                            stage = "call";
                            callSome(m, instance, exports, random, pool, deadline);
                            stage = "drop";
                            for (Resource r : pool) {
                                // Some are dropped, the rest left for the store's close.
                                if (random.nextBoolean()) {
                                    r.close();
                                }
                            }
                            stage = "store-close";
                        }
                    }
                }
            }
        } catch (Throwable t) {
            outcome(m, stage, t);
        }
    }

    /** Counts a stage of a core mutant ({@code compiled}, {@code instantiated}, ...). */
    private void coreStage(String counter) {
        tally.count(counter, 1);
    }

    /** Whether {@code bytes} hold a core module (binary, or text whose first form is one). */
    static boolean isCoreModule(byte[] bytes) {
        if (bytes.length >= 8 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm') {
            return bytes[4] == 1 && bytes[5] == 0 && bytes[6] == 0 && bytes[7] == 0;
        }
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8)
                .replaceAll("(?m);;[^\\n]*", "").stripLeading();
        return head.startsWith("(module") || head.startsWith("( module");
    }

    private Store newStore() {
        return Store.builder(engine)
                .wasi(WasiConfig.builder().build())
                .memoryLimit(MEMORY_LIMIT)
                .instancesLimit(INSTANCES_LIMIT)
                .tableElementsLimit(TABLE_ELEMENTS_LIMIT)
                .fuel(FUEL)
                .timeout(CALL_TIMEOUT)
                .build();
    }

    /** An exported function: at the root ({@code iface} null) or inside an exported interface. */
    record Export(String iface, String name, FuncType type) {}

    /** The component's exported functions, at the root and one level down in interfaces. */
    static List<Export> functions(ComponentType type) {
        List<Export> exports = new ArrayList<>();
        for (NamedItem e : type.exports()) {
            if (e.type() instanceof ItemType.Func f) {
                exports.add(new Export(null, e.name(), f.type()));
            } else if (e.type() instanceof ItemType.Instance inst) {
                for (NamedItem inner : inst.exports()) {
                    if (inner.type() instanceof ItemType.Func f) {
                        exports.add(new Export(e.name(), inner.name(), f.type()));
                    }
                }
            }
        }
        return exports;
    }

    /**
     * Calls random exports of {@code instance} with random arguments until {@link
     * #CALLS_PER_STORE} calls, a trap (the store is unusable after it, bar one more call to see
     * it refused), or the deadline. Resources the calls return join {@code pool}.
     */
    private void callSome(Mutant m, Instance instance, List<Export> exports, Random random,
            List<Resource> pool, long deadline) {
        if (exports.isEmpty()) {
            return;
        }
        RandomValues values = new RandomValues(random, pool);
        boolean trapped = false;
        for (int i = 0; i < CALLS_PER_STORE && System.nanoTime() < deadline; i++) {
            Export e = exports.get(random.nextInt(exports.size()));
            tally.count("calls", 1);
            try {
                Func f = e.iface() == null ? instance.func(e.name()) : instance.func(e.iface(), e.name());
                Object result;
                if (f.type().isScalar() && random.nextInt(4) == 0) {
                    long[] slots = new long[f.type().params().size()];
                    for (int k = 0; k < slots.length; k++) {
                        // Mostly small; now and then any bits (out of range for most types).
                        slots[k] = random.nextInt(12) == 0 ? random.nextLong() : random.nextInt(100);
                    }
                    result = f.scalar().callArray(slots);
                } else {
                    result = f.call(values.arguments(f.type()));
                }
                tally.count("returned", 1);
                RandomValues.collectResources(result, pool);
            } catch (Throwable t) {
                outcome(m, "call", t);
                if (t instanceof TrapException) {
                    if (trapped) {
                        return;
                    }
                    trapped = true;
                }
            }
        }
    }

    /** Counts {@code t}; reports it as a finding unless the library documents it. */
    private void outcome(Mutant m, String stage, Throwable t) {
        tally.outcome(t);
        if (acceptable(t)) {
            return;
        }
        long n = tally.finding();
        System.out.println("FINDING " + n + " at " + stage + " (" + describe(m).replace('\n', ' ') + ")");
        t.printStackTrace(System.out);
        try {
            Path dir = Files.createDirectories(out.resolve("findings"));
            Files.write(dir.resolve("finding-" + n + ".bin"), m.bytes());
            Files.writeString(dir.resolve("finding-" + n + ".txt"), describe(m) + "stage " + stage + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code t} is an outcome the API documents: the library's own exceptions, the
     * standard ones it throws for misuse, and the JVM's limits.
     */
    static boolean acceptable(Throwable t) {
        return t instanceof WasmtimeException
                || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException
                // A core memory or table access outside its bounds (documented by Memory, Table).
                || t instanceof IndexOutOfBoundsException
                || t instanceof UncheckedIOException
                || t instanceof StackOverflowError
                || t instanceof OutOfMemoryError;
    }

    /** A well-spread 64-bit seed for iteration {@code i} of run {@code seed} (SplitMix64). */
    static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- parts -------------------------------------------------------------------------------------

    /**
     * The command line.
     *
     * @param seed the run's seed
     * @param seconds how long to fuzz
     * @param seeds folders or files of binary seed inputs
     * @param corpus the fixture corpus (its {@code components/*.wat}), or null
     * @param out the output folder
     * @param replay saved mutants to replay instead of fuzzing
     */
    record Options(long seed, long seconds, List<Path> seeds, Path corpus, Path out, List<Path> replay) {

        /** Parses the arguments described in the class documentation. */
        static Options parse(String[] args) {
            Map<String, List<String>> given = new LinkedHashMap<>();
            String option = null;
            for (String a : args) {
                if (a.startsWith("--")) {
                    int eq = a.indexOf('=');
                    option = eq > 0 ? a.substring(2, eq) : a.substring(2);
                    List<String> values = given.computeIfAbsent(option, k -> new ArrayList<>());
                    if (eq > 0) {
                        values.add(a.substring(eq + 1));
                    }
                } else if (option == null) {
                    throw new IllegalArgumentException("expected an option, found " + a);
                } else {
                    given.get(option).add(a);
                }
            }
            for (String name : given.keySet()) {
                if (!List.of("seed", "seconds", "seeds", "corpus", "out", "replay").contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            String out = single(given, "out", null);
            if (out == null) {
                throw new IllegalArgumentException("--out DIR is required");
            }
            return new Options(
                    Long.parseLong(single(given, "seed", "1")),
                    Long.parseLong(single(given, "seconds", "20")),
                    paths(given.get("seeds")),
                    corpus(single(given, "corpus", null)),
                    Path.of(out),
                    paths(given.get("replay")));
        }

        private static String single(Map<String, List<String>> given, String name, String fallback) {
            List<String> v = given.get(name);
            if (v == null) {
                return fallback;
            }
            if (v.size() != 1) {
                throw new IllegalArgumentException("--" + name + " takes one value, got " + v);
            }
            return v.get(0);
        }

        private static List<Path> paths(List<String> values) {
            return values == null ? List.of() : values.stream().map(Path::of).toList();
        }

        private static Path corpus(String value) {
            if ("none".equals(value)) {
                return null;
            }
            if (value != null) {
                return Path.of(value);
            }
            try {
                return Corpus.dir();
            } catch (IllegalStateException e) {
                return null;
            }
        }
    }

    /**
     * Makes mutants of the seed inputs: binaries byte-wise, WAT as text (and now and then
     * byte-wise), one to four mutations stacked, and one run in eight the seed as it is.
     */
    static final class Mutator {
        /** Bytes that break assumptions: zero, all ones, the sign and continuation bits. */
        private static final int[] INTERESTING_BYTES = {0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, 0x40, 0xc0};
        /** LEB128 encodings at the boundaries: overlong, u32 max, overflowing, too long, signed limits. */
        private static final byte[][] LEBS = {
            {0x00}, {0x7f}, {(byte) 0x80, 0x01}, {(byte) 0xff, 0x01},
            {(byte) 0x80, (byte) 0x80, 0x04},
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00},
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07},
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x78},
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00},
            {0x40},
        };
        private static final String[] INTERESTING_NUMBERS = {
            "0", "1", "-1", "7", "255", "256", "65535", "65536", "2147483647", "2147483648",
            "4294967295", "4294967296", "-2147483649", "18446744073709551615", "100000000",
        };
        private static final String[] TYPE_WORDS = {
            "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char", "string",
            "bool", "i32", "i64", "own", "borrow", "list", "option", "result",
        };
        private static final Pattern NUMBER = Pattern.compile("(?<![\\w$.])-?\\d+(?![\\w.])");
        private static final Pattern WORD = Pattern.compile("\\b(" + String.join("|", TYPE_WORDS) + ")\\b");
        /** Longest run inserted, deleted or duplicated. */
        private static final int MAX_RUN = 4096;
        /** Bytes of the wasm header (magic, version, layer), mostly left alone. */
        private static final int HEADER = 8;

        private final List<Seed> seeds;
        private final List<Integer> small = new ArrayList<>();
        private final List<Integer> large = new ArrayList<>();
        private final List<Integer> text = new ArrayList<>();

        /** A mutator of {@code seeds}, which it sorts into small binaries, large ones and text. */
        Mutator(List<Seed> seeds) {
            this.seeds = seeds;
            for (int i = 0; i < seeds.size(); i++) {
                Seed s = seeds.get(i);
                (s.text() ? text : s.bytes().length > 64 * 1024 ? large : small).add(i);
            }
        }

        /** The seed inputs, in the order indices refer to. */
        List<Seed> seeds() {
            return seeds;
        }

        /** A seed index: binaries mostly (small ones most), text a quarter of the time. */
        int pickSeed(Random r) {
            int roll = r.nextInt(100);
            List<Integer> from = roll < 60 ? small : roll < 75 ? large : text;
            if (from.isEmpty()) {
                from = !small.isEmpty() ? small : !large.isEmpty() ? large : text;
            }
            return from.get(r.nextInt(from.size()));
        }

        /** The next mutant. */
        Mutant mutant(Random r) {
            Seed s = seeds.get(pickSeed(r));
            if (r.nextInt(8) == 0) {
                return new Mutant(s.name(), s.text() ? Kind.WAT : Kind.BYTES, s.bytes(), "none");
            }
            StringBuilder how = new StringBuilder();
            if (s.text() && r.nextInt(4) > 0) {
                String wat = new String(s.bytes(), StandardCharsets.UTF_8);
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    wat = mutateText(r, wat, how);
                }
                return new Mutant(s.name(), Kind.WAT, wat.getBytes(StandardCharsets.UTF_8), how.toString().trim());
            }
            byte[] bytes = mutateBytes(r, s.bytes(), how);
            return new Mutant(s.name(), Kind.BYTES, bytes, how.toString().trim());
        }

        /** One to four byte-level mutations of {@code in} (not modified); appends what was done. */
        byte[] mutateBytes(Random r, byte[] in, StringBuilder how) {
            byte[] b = in.clone();
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n && b.length > 0; i++) {
                b = mutateOnce(r, b, how);
            }
            return b;
        }

        private byte[] mutateOnce(Random r, byte[] b, StringBuilder how) {
            int at = position(r, b.length);
            switch (r.nextInt(11)) {
                case 0 -> {
                    int bits = 1 + r.nextInt(8);
                    for (int k = 0; k < bits; k++) {
                        b[position(r, b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                    how.append(" flip").append(bits);
                    return b;
                }
                case 1 -> {
                    int v = INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
                    b[at] = (byte) v;
                    how.append(" byte@").append(at).append('=').append(Integer.toHexString(v));
                    return b;
                }
                case 2 -> {
                    int delta = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(16));
                    b[at] = (byte) (b[at] + delta);
                    how.append(" add@").append(at).append(delta >= 0 ? "+" : "").append(delta);
                    return b;
                }
                case 3 -> {
                    byte[] leb = LEBS[r.nextInt(LEBS.length)];
                    boolean insert = r.nextBoolean();
                    how.append(insert ? " leb-insert@" : " leb@").append(at).append('/').append(leb.length);
                    if (insert) {
                        return splice(b, at, 0, leb);
                    }
                    System.arraycopy(leb, 0, b, at, Math.min(leb.length, b.length - at));
                    return b;
                }
                case 4 -> {
                    int len = r.nextInt(b.length);
                    how.append(" truncate").append(len);
                    return Arrays.copyOf(b, len);
                }
                case 5 -> {
                    int len = runLength(r, b.length - at);
                    how.append(" delete@").append(at).append('/').append(len);
                    return splice(b, at, len, new byte[0]);
                }
                case 6 -> {
                    byte[] run = new byte[1 + r.nextInt(r.nextBoolean() ? 8 : MAX_RUN)];
                    if (r.nextBoolean()) {
                        r.nextBytes(run);
                    } else {
                        Arrays.fill(run, (byte) INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)]);
                    }
                    how.append(" insert@").append(at).append('/').append(run.length);
                    return splice(b, at, 0, run);
                }
                case 7 -> {
                    int len = runLength(r, b.length - at);
                    int to = r.nextInt(b.length + 1);
                    how.append(" dup@").append(at).append('/').append(len).append("->").append(to);
                    return splice(b, to, 0, Arrays.copyOfRange(b, at, at + len));
                }
                case 8, 9 -> {
                    byte[] other = seeds.get(r.nextInt(seeds.size())).bytes();
                    int from = r.nextInt(other.length);
                    if (r.nextBoolean()) {
                        // Splice: this input's head, the other's tail.
                        how.append(" splice@").append(at).append('+').append(from);
                        return splice(Arrays.copyOf(b, at), at, 0, Arrays.copyOfRange(other, from, other.length));
                    }
                    int len = Math.min(runLength(r, other.length - from), b.length - at);
                    how.append(" cross@").append(at).append('/').append(len);
                    System.arraycopy(other, from, b, at, len);
                    return b;
                }
                default -> {
                    int len = runLength(r, b.length - at);
                    how.append(" zero@").append(at).append('/').append(len);
                    Arrays.fill(b, at, at + len, (byte) 0);
                    return b;
                }
            }
        }

        /** A position in {@code [0, length)}, past the wasm header nine times in ten. */
        private static int position(Random r, int length) {
            if (length > HEADER && r.nextInt(10) > 0) {
                return HEADER + r.nextInt(length - HEADER);
            }
            return r.nextInt(length);
        }

        /** A run length of at least 1 and at most {@code available}, mostly short. */
        private static int runLength(Random r, int available) {
            int max = Math.max(1, Math.min(available, r.nextBoolean() ? 16 : MAX_RUN));
            return 1 + r.nextInt(max);
        }

        /** {@code b} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
        private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
            at = Math.min(at, b.length);
            remove = Math.min(remove, b.length - at);
            byte[] out = new byte[b.length - remove + insert.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
            return out;
        }

        /** One text-level mutation of WAT; appends what was done. */
        private String mutateText(Random r, String wat, StringBuilder how) {
            switch (r.nextInt(6)) {
                case 0 -> {
                    String number = INTERESTING_NUMBERS[r.nextInt(INTERESTING_NUMBERS.length)];
                    how.append(" number=").append(number);
                    return replaceOne(r, NUMBER.matcher(wat), wat, number);
                }
                case 1 -> {
                    String word = TYPE_WORDS[r.nextInt(TYPE_WORDS.length)];
                    how.append(" word=").append(word);
                    return replaceOne(r, WORD.matcher(wat), wat, word);
                }
                default -> {
                    List<String> lines = new ArrayList<>(Arrays.asList(wat.split("\n", -1)));
                    int i = r.nextInt(lines.size());
                    int j = r.nextInt(lines.size());
                    switch (r.nextInt(4)) {
                        case 0 -> {
                            how.append(" delete-line").append(i);
                            lines.remove(i);
                        }
                        case 1 -> {
                            how.append(" dup-line").append(i).append("->").append(j);
                            lines.add(j, lines.get(i));
                        }
                        case 2 -> {
                            how.append(" swap-lines").append(i).append(',').append(j);
                            String t = lines.get(i);
                            lines.set(i, lines.get(j));
                            lines.set(j, t);
                        }
                        default -> {
                            List<String> other = text.isEmpty() ? lines : Arrays.asList(new String(
                                    seeds.get(text.get(r.nextInt(text.size()))).bytes(),
                                    StandardCharsets.UTF_8).split("\n", -1));
                            how.append(" graft-line").append(j);
                            lines.add(j, other.get(r.nextInt(other.size())));
                        }
                    }
                    return String.join("\n", lines);
                }
            }
        }

        /** {@code text} with one random match of {@code m} replaced by {@code replacement}. */
        private static String replaceOne(Random r, Matcher m, String text, String replacement) {
            List<int[]> matches = new ArrayList<>();
            while (m.find()) {
                matches.add(new int[] {m.start(), m.end()});
            }
            if (matches.isEmpty()) {
                return text;
            }
            int[] span = matches.get(r.nextInt(matches.size()));
            return text.substring(0, span[0]) + replacement + text.substring(span[1]);
        }
    }

    /** Counters and outcomes of a run, printed as {@code key value} lines. */
    static final class Tally {
        private static final List<String> ORDER = List.of("seeds", "skipped_large", "inputs", "compiled",
                "images", "image_accepted_modified", "instantiated", "calls", "returned", "leaks");
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final Map<String, Long> outcomes = new TreeMap<>();
        private final Map<String, String> examples = new TreeMap<>();
        private long findings;

        /** Adds {@code n} to counter {@code key}. */
        void count(String key, long n) {
            counts.merge(key, n, Long::sum);
        }

        /** Counts {@code t} by its class, keeping the first message of each class as an example. */
        void outcome(Throwable t) {
            String name = t.getClass().getSimpleName();
            outcomes.merge(name, 1L, Long::sum);
            examples.computeIfAbsent(name, k -> {
                String msg = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
                return msg.length() > 160 ? msg.substring(0, 160) + "..." : msg;
            });
        }

        /** Counts a finding; returns its number, from 1. */
        long finding() {
            return ++findings;
        }

        /** Findings so far. */
        long findings() {
            return findings;
        }

        /**
         * Prints every counter, then {@code outcome CLASS N} lines, an {@code example CLASS
         * message} line for each, then {@code findings N}.
         */
        void print(java.io.PrintStream p) {
            for (String key : ORDER) {
                p.println(key + " " + counts.getOrDefault(key, 0L));
            }
            outcomes.forEach((k, v) -> p.println("outcome " + k + " " + v));
            examples.forEach((k, v) -> p.println("example " + k + " " + v));
            p.println("findings " + findings);
        }
    }
}
