package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.NativeLibrary;
import io.github.wasmtimejvm.internal.StoreResources;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The future of an asynchronous call ({@link Func#callAsync}): completing it from outside
 * (cancel, {@code completeExceptionally}, {@code orTimeout}) stops the guest.
 *
 * <p>The native side calls {@link #completed} or {@link #failed} once, on the engine's worker
 * that ran the call; the results are decoded there and the future is completed through the
 * common pool, so that user stages never run on a worker.
 */
final class AsyncCall<T> extends CompletableFuture<T> {

    private static final Executor COMPLETION = ForkJoinPool.commonPool();

    private final Store store;
    private final ValueEncoder encoder;
    private final StoreResources.Call running;
    private final Function<ByteBuffer, T> read;
    private volatile long token;

    private AsyncCall(Store store, ValueEncoder encoder, StoreResources.Call running, Function<ByteBuffer, T> read) {
        this.store = store;
        this.encoder = encoder;
        this.running = running;
        this.read = read;
    }

    /**
     * Starts a call with the arguments encoded in this thread's call buffer.
     *
     * @throws RuntimeException what the native side threw; then nothing was passed
     */
    static <T> AsyncCall<T> start(Store store, int func, int argLength, ValueEncoder encoder,
            StoreResources.Call running, Function<ByteBuffer, T> read) {
        AsyncCall<T> call = new AsyncCall<>(store, encoder, running, read);
        try {
            call.token = start0(Internals.address(store), func, argLength, call);
        } finally {
            Reference.reachabilityFence(store);
        }
        return call;
    }

    /**
     * Cancels the future and stops the guest (see {@link Func#callAsync}).
     *
     * @param mayInterruptIfRunning ignored: the guest is stopped either way
     * @return whether this cancelled the future
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        // The guest is asked to stop before the future completes, so that whoever sees the
        // future cancelled and calls the store again finds it stopping (and waits) rather than busy.
        if (isDone()) {
            return false;
        }
        cancel0(token);
        return super.cancel(mayInterruptIfRunning);
    }

    /**
     * Completes the future with {@code ex} and stops the guest ({@code orTimeout} ends here too).
     *
     * @param ex the exception
     * @return whether this completed the future
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        // As in cancel: stop first, then complete.
        if (isDone()) {
            return false;
        }
        cancel0(token);
        return super.completeExceptionally(ex);
    }

    /** Called by the native side with the encoded results. */
    static void completed(AsyncCall<?> call, byte[] results) {
        call.finish(results, null);
    }

    /** Called by the native side with the call's exception. */
    static void failed(AsyncCall<?> call, Throwable error) {
        call.finish(null, error);
    }

    private void finish(byte[] results, Throwable error) {
        T value = null;
        Throwable failure = error;
        try {
            encoder.endLoans();
            if (failure == null) {
                value = read.apply(ByteBuffer.wrap(results).order(ByteOrder.LITTLE_ENDIAN));
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            running.close();
        }
        T v = value;
        Throwable f = failure;
        Runnable settle = () -> {
            if (f == null) {
                super.complete(v);
            } else {
                super.completeExceptionally(f);
            }
        };
        try {
            COMPLETION.execute(settle);
        } catch (RejectedExecutionException e) {
            settle.run();
        }
    }

    /**
     * Starts one of an engine's async workers: a daemon thread that runs the native worker loop
     * until the engine is gone. Called by the native side.
     */
    static void startWorker(String name, long stackSize, long work) {
        Thread t = new Thread(null, () -> runWorker0(work), name, stackSize);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String toString() {
        return "AsyncCall[" + store + ", " + super.toString() + "]";
    }

    private static native long start0(long store, int func, int argLength, AsyncCall<?> call);

    private static native void cancel0(long token);

    private static native void runWorker0(long work);

    static {
        NativeLibrary.load();
    }
}
