package io.github.wasmtimejvm.robustness;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.Resource;
import io.github.wasmtimejvm.module.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates, uses and closes (or forgets, for the Cleaner) every kind of handle in tight loops on
 * several threads while another thread keeps the garbage collector busy: the conditions under
 * which a handle that is unreachable while native code still uses its address gets freed under
 * it. Run it in a small heap ({@code -Xmx64m}) so collections are frequent; the loops run long
 * enough to be compiled by C2, which is when the JIT stops keeping {@code this} alive.
 *
 * <p>Arguments: {@code seconds [threads [kinds...]]}; kinds are the {@link Kind} names, default
 * all. Prints one line per kind ({@code kind cycles}) and exits 0; a crash is the failure.
 */
public final class LifecycleStress {

    /** One handle kind and how it is exercised. */
    enum Kind {
        /** {@code new Store}, instantiate, a scalar call, {@code close}. */
        STORE,
        /** The same, the store left to the Cleaner. */
        STORE_LEAKED,
        /** {@code new Linker(engine).close()}. */
        LINKER,
        /** A linker left to the Cleaner. */
        LINKER_LEAKED,
        /** {@code linker.instantiatePre(add).close()}. */
        INSTANCE_PRE,
        /** Pre-instantiated, instantiated in a fresh store, called, both closed. */
        INSTANCE_PRE_USE,
        /** An InstancePre left to the Cleaner. */
        INSTANCE_PRE_LEAKED,
        /** {@code Component.deserialize}, a type query, {@code close}. */
        COMPONENT,
        /** A component left to the Cleaner. */
        COMPONENT_LEAKED,
        /** A guest resource made, used and dropped, in a store closed after. */
        RESOURCE,
        /** A guest resource never closed: released by its store's close. */
        RESOURCE_LEAKED,
        /** A core module compiled and closed. */
        MODULE,
        /** An engine made and closed (slow: a few per second). */
        ENGINE,
        /** An engine left to the Cleaner. */
        ENGINE_LEAKED
    }

    private LifecycleStress() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Kind> kinds = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            kinds.add(Kind.valueOf(args[i].toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        if (kinds.isEmpty()) {
            kinds.addAll(List.of(Kind.values()));
        }
        Map<Kind, AtomicLong> cycles = run(seconds, threads, kinds);
        long total = 0;
        for (Map.Entry<Kind, AtomicLong> e : cycles.entrySet()) {
            System.out.println(e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue().get());
            total += e.getValue().get();
        }
        System.out.println("total " + total);
    }

    /** Runs every kind on {@code threads} threads each for {@code seconds}; returns the cycles. */
    static Map<Kind, AtomicLong> run(long seconds, int threads, List<Kind> kinds) throws Exception {
        Path corpus = Corpus.dir();
        String addWat = Files.readString(corpus.resolve("components/add.wat"));
        String resourceWat = Files.readString(corpus.resolve("components/resource.wat"));
        String moduleWat = Files.readString(corpus.resolve("modules/wasi-hello.wat"));
        Map<Kind, AtomicLong> cycles = new EnumMap<>(Kind.class);
        kinds.forEach(k -> cycles.put(k, new AtomicLong()));

        GcPressure pressure = GcPressure.start();
        try (Engine engine = new Engine();
                Component add = Component.fromWat(engine, addWat);
                Component counter = Component.fromWat(engine, resourceWat);
                Linker linker = new Linker(engine);
                InstancePre addPre = linker.instantiatePre(add)) {
            byte[] serialized = add.serialize();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                final int offset = t;
                Thread w = new Thread(() -> {
                    try {
                        // Each thread runs every kind in turn, in slices, starting at its own.
                        int i = offset;
                        while (System.nanoTime() < deadline) {
                            Kind kind = kinds.get(i++ % kinds.size());
                            long sliceEnd = Math.min(deadline, System.nanoTime() + 250_000_000L);
                            long n = 0;
                            while (System.nanoTime() < sliceEnd) {
                                n += once(kind, engine, add, counter, linker, addPre, serialized, moduleWat);
                            }
                            cycles.get(kind).addAndGet(n);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "stress-" + t);
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            if (!failures.isEmpty()) {
                Throwable first = failures.get(0);
                first.printStackTrace();
                throw new AssertionError("a stress thread failed: " + first, first);
            }
        } finally {
            pressure.stop();
        }
        return cycles;
    }

    /** One cycle of {@code kind}; returns how many cycles it counts for. */
    private static int once(Kind kind, Engine engine, Component add, Component counter, Linker linker,
            InstancePre addPre, byte[] serialized, String moduleWat) {
        switch (kind) {
            case STORE -> {
                Store s = new Store(engine);
                long r = linker.instantiate(s, add).func("add").scalar().call(2, 3);
                s.close();
                check(r == 5, "add(2, 3) gave " + r);
            }
            case STORE_LEAKED -> {
                Store s = new Store(engine);
                long r = linker.instantiate(s, add).func("add").scalar().call(2, 3);
                check(r == 5, "add(2, 3) gave " + r);
            }
            case LINKER -> new Linker(engine).close();
            case LINKER_LEAKED -> new Linker(engine).root();
            case INSTANCE_PRE -> linker.instantiatePre(add).close();
            case INSTANCE_PRE_USE -> {
                try (Store s = new Store(engine)) {
                    Object r = addPre.instantiate(s).func("add").call(40, 2);
                    check(Long.valueOf(42).equals(r), "add(40, 2) gave " + r);
                }
            }
            case INSTANCE_PRE_LEAKED -> linker.instantiatePre(add).component();
            case COMPONENT -> {
                Component c = Component.deserialize(engine, serialized);
                check(c.type().exports().size() == 1, "one export");
                c.close();
            }
            case COMPONENT_LEAKED -> Component.deserialize(engine, serialized).engine();
            case RESOURCE, RESOURCE_LEAKED -> {
                try (Store s = new Store(engine)) {
                    Instance i = linker.instantiate(s, counter);
                    Func ctor = i.func("docs:counter/api@1.0.0", "[constructor]counter");
                    Func inc = i.func("docs:counter/api@1.0.0", "[method]counter.increment");
                    Resource r = (Resource) ctor.call(7);
                    Object v = inc.call(r);
                    check(Long.valueOf(8).equals(v), "increment gave " + v);
                    if (kind == Kind.RESOURCE) {
                        r.close();
                    }
                }
            }
            case MODULE -> Module.fromWat(engine, moduleWat).close();
            case ENGINE -> new Engine().close();
            case ENGINE_LEAKED -> new Engine().config();
            default -> throw new IllegalArgumentException(kind.toString());
        }
        return 1;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
