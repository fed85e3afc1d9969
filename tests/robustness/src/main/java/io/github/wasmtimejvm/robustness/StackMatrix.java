package io.github.wasmtimejvm.robustness;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The thread-stack matrix: calls into wasm from threads of every stack size, at every depth of
 * Java recursion before the call, and checks that each ends in a result, a trap or a clear
 * exception, never a crash. Three calls per case: the corpus {@code traps.wat} {@code recurse}
 * (unbounded recursion: must trap with {@link TrapCode#STACK_OVERFLOW}), {@code add.wat}
 * {@code add} (must return 5), and {@code unsatisfied-import.wat} {@code run}, whose guest calls
 * two Java host functions (must return their answer, or trap when too little of the thread's
 * stack is left for Java).
 *
 * <p>Arguments: {@code platform|virtual|main [sizes KiB...]}. {@code platform} starts a thread of
 * each size; {@code virtual} runs the cases in virtual threads (JDK 21+; they run on carrier
 * threads' stacks); {@code main} runs them on the thread that runs {@code main} (start the JVM
 * with {@code -Xss256k}, say). Each case is printed before it runs, so a crash names it. Exits 0
 * when every case ended as allowed, 1 otherwise.
 */
public final class StackMatrix {

    /** Percent of the thread's usable Java depth used before each call. */
    static final int[] DEPTHS = {0, 25, 50, 75, 90, 95, 99};

    private StackMatrix() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "platform";
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes.addAll(List.of(64, 128, 256, 512, 1024, 2048, 8192));
        }
        Path corpus = Corpus.dir();
        int bad = 0;
        int cases = 0;
        try (Engine engine = new Engine();
                Component traps = Component.fromWat(engine, Files.readString(corpus.resolve("components/traps.wat")));
                Component add = Component.fromWat(engine, Files.readString(corpus.resolve("components/add.wat")));
                Component host = Component.fromWat(engine,
                        Files.readString(corpus.resolve("components/unsatisfied-import.wat")));
                Linker linker = new Linker(engine)) {
            linker.instance("docs:log/logger@1.0.0")
                    .func("log", FuncType.of("msg", WitType.Primitive.STRING), a -> null);
            linker.root().func("get-value", FuncType.builder().result(WitType.Primitive.U32).build(), a -> 41L);
            Calls calls = new Calls(engine, linker, traps, add, host);
            // Virtual threads run on their carriers' stacks, whatever size is asked for.
            for (int kib : mode.equals("platform") ? sizes : List.of(0)) {
                int max = run(mode, kib, () -> Depth.measure());
                for (int percent : DEPTHS) {
                    String name = mode + " " + (mode.equals("platform") ? kib + " KiB" : "thread")
                            + " depth " + percent + "% (" + (max * percent / 100) + " of " + max + " frames)";
                    System.out.println("case " + name);
                    System.out.flush();
                    int frames = max * percent / 100;
                    String verdict = run(mode, kib, () -> Depth.at(frames, calls::all));
                    cases++;
                    System.out.println("  " + verdict);
                    if (verdict.startsWith("BAD")) {
                        bad++;
                    }
                }
            }
        }
        System.out.println("cases " + cases);
        System.out.println("bad " + bad);
        System.exit(bad == 0 ? 0 : 1);
    }

    /** The three calls of a case, each in a fresh store. */
    record Calls(Engine engine, Linker linker, Component traps, Component add, Component host) {

        String all() {
            return "recurse: " + callRecurse() + "; add: " + callAdd() + "; host: " + callHost();
        }

        private String callRecurse() {
            try (Store s = new Store(engine)) {
                Func f = linker.instantiate(s, traps).func("recurse");
                Object r = f.call(0);
                return "BAD returned " + r;
            } catch (TrapException e) {
                return e.code() == TrapCode.STACK_OVERFLOW ? "stack overflow trap" : "BAD trap " + e.code();
            } catch (StackOverflowError e) {
                return "StackOverflowError before wasm";
            }
        }

        private String callAdd() {
            try (Store s = new Store(engine)) {
                long r = linker.instantiate(s, add).func("add").scalar().call(2, 3);
                return r == 5 ? "5" : "BAD " + r;
            } catch (StackOverflowError e) {
                return "StackOverflowError before wasm";
            }
        }

        private String callHost() {
            try (Store s = new Store(engine)) {
                Object r = linker.instantiate(s, host).func("run").call();
                return Long.valueOf(41).equals(r) ? "41" : "BAD " + r;
            } catch (TrapException e) {
                // Too little stack for the Java host function: it was not run, or Java itself
                // refused with StackOverflowError, which became the trap's cause.
                return "host trap (" + (e.getCause() != null ? e.getCause().getClass().getSimpleName()
                        : e.getMessage().contains("host code was not run") ? "not run" : "BAD " + e.getMessage())
                        + ")";
            } catch (StackOverflowError e) {
                return "StackOverflowError before wasm";
            }
        }
    }

    /** Java recursion of a known depth. */
    static final class Depth {
        private Depth() {}

        /** How many frames of {@link #down} this thread holds before a StackOverflowError. */
        static int measure() {
            int[] deepest = new int[1];
            try {
                down(0, Integer.MAX_VALUE, deepest, null);
            } catch (StackOverflowError expected) {
                // deepest[0] is how far it got
            }
            return deepest[0];
        }

        /** Runs {@code work} under {@code frames} frames of recursion. */
        static String at(int frames, java.util.function.Supplier<String> work) {
            try {
                return down(0, frames, new int[1], work);
            } catch (StackOverflowError e) {
                return "StackOverflowError before wasm";
            }
        }

        private static String down(int depth, int target, int[] deepest, java.util.function.Supplier<String> work) {
            deepest[0] = depth;
            if (depth >= target) {
                return work == null ? "" : work.get();
            }
            return down(depth + 1, target, deepest, work);
        }
    }

    /** Runs {@code body} on a thread of the mode's kind and returns what it returned. */
    private static <T> T run(String mode, int kib, java.util.function.Supplier<T> body) throws Exception {
        if (mode.equals("main")) {
            return body.get();
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable r = () -> {
            try {
                result.set(body.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        };
        Thread t;
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "platform" -> t = new Thread(null, r, "stack-" + kib + "k", kib * 1024L);
            case "virtual" -> {
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                t = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class)
                        .invoke(builder, r);
            }
            default -> throw new IllegalArgumentException("mode: platform, virtual or main");
        }
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError("case failed", failure.get());
        }
        return result.get();
    }
}
