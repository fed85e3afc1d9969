package io.github.wasmtimejvm;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Counts live native handles by kind and reports leaks: handles that were never closed and
 * were released by the garbage collector, and guest resources still held when their store
 * closed.
 *
 * <p>The detection level comes from the system property {@code wasmtime.jvm.leakDetection}
 * ({@code off}, {@code simple}, the default, or {@code paranoid}) and can be changed with
 * {@link #setLeakDetection}. At {@code paranoid} every handle records the stack that created it,
 * and each report carries it. Reports go to the {@code io.github.wasmtimejvm} system logger at
 * warning level and to every registered listener.
 */
public final class HandleRegistry {

    /** How much leak detection costs and tells. */
    public enum LeakDetection {
        /** No reports. */
        OFF,
        /** A report naming the kind of handle that leaked. */
        SIMPLE,
        /** A report with the stack trace of the code that created the leaked handle. */
        PARANOID
    }

    /**
     * One leak.
     *
     * @param kind the class of the leaked handle, e.g. {@code Store}
     * @param allocationSite where it was created (at {@link LeakDetection#PARANOID}), or null
     */
    public record LeakReport(String kind, Throwable allocationSite) {
        @Override
        public String toString() {
            String what = switch (kind) {
                case "Resource" -> "a Resource was not closed; it was released when its Store closed";
                case "HostResource" -> "a HostResource (a host object the guest held) was never dropped by the"
                        + " guest; its destructor ran when its Store closed";
                default -> "a " + kind + " was not closed; it was released by the garbage collector";
            };
            return "LEAK: " + what
                    + (allocationSite == null
                            ? " (set -Dwasmtime.jvm.leakDetection=paranoid to see where it was created)"
                            : "");
        }
    }

    private static final System.Logger LOG = System.getLogger("io.github.wasmtimejvm");
    private static final Map<String, AtomicLong> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong LEAKS = new AtomicLong();
    private static final CopyOnWriteArrayList<Consumer<LeakReport>> LISTENERS =
            new CopyOnWriteArrayList<>();
    private static volatile LeakDetection level = initialLevel();

    static {
        io.github.wasmtimejvm.internal.Internals.setRegistryAccess(
                new io.github.wasmtimejvm.internal.Internals.RegistryAccess() {
                    @Override
                    public Throwable opened(String kind) {
                        HandleRegistry.opened(kind);
                        return allocationSite(kind);
                    }

                    @Override
                    public void closed(String kind) {
                        HandleRegistry.closed(kind);
                    }

                    @Override
                    public void leaked(String kind, Throwable allocationSite) {
                        HandleRegistry.leaked(kind, allocationSite);
                    }
                });
    }

    private HandleRegistry() {}

    /** Makes sure the registry is initialised (called by {@link NativeHandle}). */
    static void install() {}

    private static LeakDetection initialLevel() {
        String value = System.getProperty("wasmtime.jvm.leakDetection", "simple");
        try {
            return LeakDetection.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return LeakDetection.SIMPLE;
        }
    }

    /**
     * The current leak detection level.
     *
     * @return the level handles are created with now
     */
    public static LeakDetection leakDetection() {
        return level;
    }

    /**
     * Changes the leak detection level for handles created from now on.
     *
     * @param newLevel the level
     */
    public static void setLeakDetection(LeakDetection newLevel) {
        level = java.util.Objects.requireNonNull(newLevel, "newLevel");
    }

    /**
     * Handles of {@code kind} (e.g. {@code "Store"}) created and not yet released.
     *
     * @param kind the simple class name of the handle
     * @return how many are live, 0 for a kind never seen
     */
    public static long liveCount(String kind) {
        AtomicLong n = LIVE.get(kind);
        return n == null ? 0 : n.get();
    }

    /**
     * Live handle counts by kind, for every kind seen so far.
     *
     * @return a snapshot of the counts, by kind
     */
    public static Map<String, Long> liveCounts() {
        Map<String, Long> out = new TreeMap<>();
        LIVE.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /**
     * How many leaks have been reported since the JVM started.
     *
     * @return the number of leak reports
     */
    public static long leakCount() {
        return LEAKS.get();
    }

    /**
     * Calls {@code listener} with every future leak report.
     *
     * @param listener called on the thread that found the leak (the Cleaner's, usually)
     */
    public static void addLeakListener(Consumer<LeakReport> listener) {
        LISTENERS.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops calling {@code listener}.
     *
     * @param listener a listener added before
     */
    public static void removeLeakListener(Consumer<LeakReport> listener) {
        LISTENERS.remove(listener);
    }

    static Throwable allocationSite(String kind) {
        return level == LeakDetection.PARANOID ? new Throwable(kind + " created here") : null;
    }

    static void opened(String kind) {
        LIVE.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    static void closed(String kind) {
        LIVE.computeIfAbsent(kind, k -> new AtomicLong()).decrementAndGet();
    }

    static void leaked(String kind, Throwable allocationSite) {
        if (level == LeakDetection.OFF) {
            return;
        }
        LEAKS.incrementAndGet();
        LeakReport report = new LeakReport(kind, allocationSite);
        LOG.log(Level.WARNING, report.toString(), allocationSite);
        for (Consumer<LeakReport> listener : LISTENERS) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "leak listener failed", e);
            }
        }
    }
}
