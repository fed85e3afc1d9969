package io.github.wasmtimejvm.robustness;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The RSS soak: the ordinary work of a host, over and over, while the resident set size is
 * sampled. A leak of anything native per cycle (a store, an instance, a resource, a string
 * buffer) shows as RSS growing with the cycles; a healthy loop is flat once warm.
 *
 * <p>One cycle: a fresh {@link Store}; {@code add} instantiated from an {@link InstancePre} and
 * called through the scalar fast path and through {@link Func#call}; {@code echo-string} of
 * {@code echo.wat} with a string that changes each cycle; a guest {@code counter} of {@code
 * resource.wat} made, incremented and closed; the store closed.
 *
 * <p>Arguments: {@code [cycles [interval [seconds]]]}: cycles to run (default 300000), cycles
 * between RSS samples (default 10000), and an optional time limit in seconds after which it stops
 * early (at a sample). Each sample follows a {@code System.gc()} and is printed as {@code sample
 * CYCLES RSS_KIB}; samples of the first tenth of the run (warm-up: JIT, heap sizing) are not
 * used. Prints {@code cycles}, {@code samples}, {@code seconds}, {@code rss_start_kib}, {@code
 * rss_end_kib} and {@code rss_slope_kib_per_100k} (the least-squares slope of RSS over cycles),
 * one per line, and exits 0. Run it with a fixed, pre-touched heap ({@code -Xms=-Xmx}, {@code
 * -XX:+AlwaysPreTouch}) so that heap growth does not read as a leak.
 */
public final class Soak implements AutoCloseable {

    private static final String COUNTER_API = "docs:counter/api@1.0.0";

    private final Engine engine;
    private final InstancePre add;
    private final InstancePre echo;
    private final InstancePre counter;

    private Soak(Engine engine, Linker linker, Path corpus) throws IOException {
        this.engine = engine;
        this.add = linker.instantiatePre(compile(engine, corpus, "add"));
        this.echo = linker.instantiatePre(compile(engine, corpus, "echo"));
        this.counter = linker.instantiatePre(compile(engine, corpus, "resource"));
    }

    /** Closes the pre-instantiated components and the components. */
    @Override
    public void close() {
        for (InstancePre pre : List.of(add, echo, counter)) {
            pre.close();
            pre.component().close();
        }
    }

    private static Component compile(Engine engine, Path corpus, String name) throws IOException {
        return Component.fromWat(engine, Files.readString(corpus.resolve("components/" + name + ".wat")));
    }

    /** Runs the soak; see the class documentation for the arguments and output. */
    public static void main(String[] args) throws Exception {
        long cycles = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
        long interval = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE / 2_000_000_000L;
        if (cycles <= 0 || interval <= 0) {
            throw new IllegalArgumentException("cycles and interval must be positive");
        }
        // The echo fixture has map and fixed-length list types: the default Config accepts both.
        try (Engine engine = new Engine(Engine.Config.defaults());
                Linker linker = new Linker(engine);
                Soak soak = new Soak(engine, linker, Corpus.dir())) {
            soak.run(cycles, interval, seconds);
        }
        System.exit(0);
    }

    private void run(long cycles, long interval, long seconds) throws IOException {
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        long warmup = cycles / 10;
        List<long[]> samples = new ArrayList<>();
        long done = 0;
        while (done < cycles) {
            for (long end = Math.min(cycles, done + interval); done < end; done++) {
                cycle(done);
            }
            // Native memory the JVM frees at a collection (such as JNI handle storage) would
            // otherwise read as growth until the first collection, which a 256 MiB heap puts off
            // for over 100 000 cycles.
            System.gc();
            long rss = rssKib();
            System.out.println("sample " + done + " " + rss + (done >= warmup ? "" : " (warm-up)"));
            if (done >= warmup) {
                samples.add(new long[] {done, rss});
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.println("cycles " + done);
        System.out.println("samples " + samples.size());
        System.out.printf(Locale.ROOT, "seconds %.1f%n", elapsed);
        System.out.println("rss_start_kib " + (samples.isEmpty() ? 0 : samples.get(0)[1]));
        System.out.println("rss_end_kib " + (samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1]));
        System.out.printf(Locale.ROOT, "rss_slope_kib_per_100k %.1f%n", slope(samples) * 100_000);
    }

    /** One cycle of ordinary work, checking the answers so that a wrong one is not mistaken for speed. */
    private void cycle(long i) {
        try (Store store = new Store(engine)) {
            Func f = add.instantiate(store).func("add");
            long sum = f.scalar().call(i & 0xffff, 1);
            Object dynamic = f.call((int) (i & 0xffff), 2);
            check(sum == (i & 0xffff) + 1 && Long.valueOf((i & 0xffff) + 2).equals(dynamic), "add");

            String text = "soak ✓ \uD83D\uDE80 " + i;
            Object echoed = echo.instantiate(store).func("echo-string").call(text);
            check(text.equals(echoed), "echo-string");

            Instance c = counter.instantiate(store);
            try (Resource r = (Resource) c.func(COUNTER_API, "[constructor]counter").call(41)) {
                Object v = c.func(COUNTER_API, "[method]counter.increment").call(r);
                check(Long.valueOf(42).equals(v), "counter.increment");
            }
        }
    }

    /** VmRSS of this process in KiB, from {@code /proc/self/status}. */
    static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    /** The least-squares slope of y over x of {@code points} ({@code {x, y}}), 0 for fewer than two. */
    static double slope(List<long[]> points) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (long[] p : points) {
            mx += p[0];
            my += p[1];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (long[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + " gave a wrong answer");
        }
    }
}
