package io.github.wasmtimejvm.robustness;

/**
 * A daemon thread that allocates 64 KiB arrays as fast as it can, so that in a small heap the
 * garbage collector runs many times a second and the Cleaner runs with it.
 */
final class GcPressure {
    private final Thread thread;
    private volatile boolean stopped;
    /** Keeps the last allocation observable so the loop is not optimised away. */
    static volatile byte[] sink;

    private GcPressure() {
        thread = new Thread(() -> {
            while (!stopped) {
                sink = new byte[64 * 1024];
            }
        }, "gc-pressure");
        thread.setDaemon(true);
    }

    /** Starts the allocation thread. */
    static GcPressure start() {
        GcPressure p = new GcPressure();
        p.thread.start();
        return p;
    }

    /** Stops it. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }
}
