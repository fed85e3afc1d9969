package io.github.wasmtimejvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when any handle leaked while it ran: after the class, it collects garbage
 * until the cleaner has reported everything unreachable, and fails on any report a test did not
 * claim with {@link #expect}. Registered for every test class through service loading (the
 * build enables JUnit's extension autodetection) and run at paranoid leak detection, so a
 * failure shows where the leaked handle was created.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    private static final List<HandleRegistry.LeakReport> REPORTS = new CopyOnWriteArrayList<>();

    static {
        HandleRegistry.addLeakListener(REPORTS::add);
    }

    /**
     * Claims leak reports a test provoked on purpose: waits for {@code count} reports of {@code
     * kind} and removes them; fails if they do not come.
     */
    public static List<HandleRegistry.LeakReport> expect(String kind, int count) {
        List<HandleRegistry.LeakReport> claimed = new ArrayList<>();
        for (int attempt = 0; attempt < 100 && claimed.size() < count; attempt++) {
            System.gc();
            sleep(20);
            for (HandleRegistry.LeakReport r : REPORTS) {
                if (r.kind().equals(kind) && claimed.size() < count && REPORTS.remove(r)) {
                    claimed.add(r);
                }
            }
        }
        if (claimed.size() < count) {
            throw new AssertionError("expected " + count + " leak report(s) of " + kind + ", got " + claimed.size());
        }
        return claimed;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        settle();
        REPORTS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        settle();
        if (!REPORTS.isEmpty()) {
            List<HandleRegistry.LeakReport> leaks = new ArrayList<>(REPORTS);
            REPORTS.clear();
            AssertionError e = new AssertionError(leaks.size() + " handle leak(s) in "
                    + context.getDisplayName() + ": " + leaks);
            for (HandleRegistry.LeakReport r : leaks) {
                if (r.allocationSite() != null) {
                    e.addSuppressed(r.allocationSite());
                }
            }
            throw e;
        }
    }

    private static void settle() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
