package io.github.wasmtimejvm.http;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@code wasi:http/proxy} component (one exporting {@code wasi:http/incoming-handler} 0.2) as a
 * Java request handler: {@link #handle} runs one request in a fresh instance, in a store of its
 * own, and returns the response the component set. Any Java server can route requests to it
 * (the JDK's {@code HttpServer}, Jetty, Netty, a servlet); {@link ComponentServer} serves one
 * on the JDK's.
 *
 * <pre>{@code
 * Component component = Component.fromFile(engine, Path.of("handler.wasm"));
 * HttpProxy proxy = HttpProxy.builder(component)
 *         .store(s -> s.timeout(Duration.ofSeconds(5)).memoryLimit(64 << 20))
 *         .build();
 * HttpResponse response = proxy.handle(HttpRequest.get("http://localhost/hello"));
 * System.out.println(response.status() + " " + response.bodyText());
 * }</pre>
 *
 * <p>Thread-safe: requests run in parallel, each on its caller's thread, each in its own store
 * (which is closed when {@link #handle} returns). Bodies are whole {@code byte[]}s both ways: the
 * response body is read while the guest writes it, up to {@link Builder#maxResponseBody}. A
 * guest's own outgoing requests reach nothing unless the store's {@link
 * io.github.wasmtimejvm.wasi.WasiConfig} has an {@link io.github.wasmtimejvm.wasi.HttpPolicy}
 * that allows them.
 */
public final class HttpProxy implements AutoCloseable {

    private final InstancePre pre;
    private final boolean ownsPre;
    private final Store.Builder stores;
    private final long maxResponseBody;
    private final long bodyWaitNanos;
    /** The threads that run streamed requests' handlers ({@link #stream}), made on first use. */
    private ExecutorService runners;
    private boolean closed;

    private HttpProxy(Builder b) {
        this.pre = b.pre;
        this.ownsPre = b.ownsPre;
        this.stores = Store.builder(pre.component().engine());
        b.store.accept(stores);
        this.maxResponseBody = b.maxResponseBody;
        this.bodyWaitNanos = b.bodyWait.compareTo(Duration.ofDays(365)) > 0
                ? Duration.ofDays(365).toNanos() : b.bodyWait.toNanos();
    }

    /**
     * A builder for a component: a linker with {@link Linker#addWasiHttp()} resolves its
     * imports (WASI 0.2 and {@code wasi:http}).
     *
     * @param component a {@code wasi:http/proxy} component
     * @return a new builder
     * @throws io.github.wasmtimejvm.LinkException if the component imports something else
     */
    public static Builder builder(Component component) {
        Objects.requireNonNull(component, "component");
        try (Linker linker = new Linker(component.engine())) {
            return new Builder(linker.addWasiHttp().instantiatePre(component), true);
        }
    }

    /**
     * A builder for a pre-linked component, for a linker that defines more than WASI and
     * {@code wasi:http} (it must have had {@link Linker#addWasiHttp()}).
     *
     * @param pre the component, linked
     * @return a new builder
     */
    public static Builder builder(InstancePre pre) {
        return new Builder(Objects.requireNonNull(pre, "pre"), false);
    }

    /**
     * Frees the pre-linked component when this proxy made it ({@link #builder(Component)}); one
     * given to {@link #builder(InstancePre)} stays its owner's. Requests after this fail with
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (runners != null) {
                // Handlers running keep running; their threads end when idle.
                runners.shutdown();
            }
        }
        if (ownsPre) {
            pre.close();
        }
    }

    /**
     * Hands one request to the component and returns its response.
     *
     * @param request the request; its URI needs an authority or the request a {@code host} header
     * @return the response the component set
     * @throws HttpHandlerException if the component set no response, set an {@code error-code},
     *     or its body failed, was too large or did not end in time
     * @throws io.github.wasmtimejvm.TrapException if the component trapped
     * @throws io.github.wasmtimejvm.TimeoutException if it ran past the store's time limit
     * @throws IllegalArgumentException if the request is not valid HTTP (method, URI, a header),
     *     or the component does not export {@code wasi:http/incoming-handler}
     */
    public HttpResponse handle(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        byte[] head = encodeHead(request);
        try (Store store = stores.build()) {
            try (StoreResources.Call running = Internals.resources(store).call()) {
                byte[] answer = handle0(Internals.address(pre), Internals.address(store), head, request.body(),
                        maxResponseBody, bodyWaitNanos);
                return decode(answer);
            } finally {
                Reference.reachabilityFence(store);
            }
        } finally {
            Reference.reachabilityFence(pre);
        }
    }

    /**
     * Hands one request to the component and returns its response as soon as the guest has set
     * it, with a body read as the guest writes it: a large or slow body is never held whole,
     * and a reader that stops reading holds the guest's writes back. The handler runs on a
     * thread of this proxy ({@code wasmtime-jvm-http-N}, daemons), in a fresh store that is
     * closed when the handler returns.
     *
     * <pre>{@code
     * try (StreamingResponse r = proxy.stream(HttpRequest.get("http://localhost/big"))) {
     *     r.body().transferTo(out);
     * }
     * }</pre>
     *
     * @param request the request; its URI needs an authority or the request a {@code host} header
     * @return the response; close it (or its body) when done
     * @throws HttpHandlerException if the component set no response (within {@link
     *     Builder#bodyWait}) or set an {@code error-code}
     * @throws io.github.wasmtimejvm.TrapException if the component trapped before setting a
     *     response
     * @throws io.github.wasmtimejvm.TimeoutException if it ran past the store's time limit first
     * @throws IllegalArgumentException if the request is not valid HTTP, or the component does
     *     not export {@code wasi:http/incoming-handler}
     * @throws IllegalStateException if the proxy is closed
     */
    public StreamingResponse stream(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        return start(request, null);
    }

    /**
     * As {@link #stream(HttpRequest)}, with the request's body read from {@code body} (instead
     * of {@link HttpRequest#body()}) while the guest reads it: a large upload is never held
     * whole. One of the proxy's threads reads {@code body} in chunks until its end (it does not
     * close it) or until the guest's handler ends; an {@link IOException} from it makes the
     * guest's read of the body fail.
     *
     * @param request the request's method, URI and headers (its {@code byte[]} body is ignored)
     * @param body the request body
     * @return the response; close it (or its body) when done
     * @throws HttpHandlerException as for {@link #stream(HttpRequest)}
     * @throws io.github.wasmtimejvm.TrapException as for {@link #stream(HttpRequest)}
     * @throws io.github.wasmtimejvm.TimeoutException as for {@link #stream(HttpRequest)}
     * @throws IllegalArgumentException as for {@link #stream(HttpRequest)}
     * @throws IllegalStateException if the proxy is closed
     */
    public StreamingResponse stream(HttpRequest request, InputStream body) {
        Objects.requireNonNull(request, "request");
        return start(request, Objects.requireNonNull(body, "body"));
    }

    private StreamingResponse start(HttpRequest request, InputStream upload) {
        byte[] head = encodeHead(request);
        Exchange exchange = new Exchange(exchangeNew0(), upload == null ? 2 : 3);
        Store store;
        try {
            store = stores.build();
        } catch (RuntimeException | Error e) {
            exchange.releaseAll();
            throw e;
        }
        if (upload != null) {
            exchangeStreamRequest0(exchange.address);
        }
        Runnable handler = () -> {
            try (store; StoreResources.Call running = Internals.resources(store).call()) {
                exchangeRun0(exchange.address, Internals.address(pre), Internals.address(store), head,
                        upload == null ? request.body() : new byte[0]);
            } finally {
                Reference.reachabilityFence(store);
                Reference.reachabilityFence(pre);
                exchange.release();
            }
        };
        try {
            ExecutorService threads = runners();
            threads.execute(handler);
            if (upload != null) {
                threads.execute(() -> pump(upload, exchange));
            }
        } catch (RejectedExecutionException e) {
            store.close();
            exchange.releaseAll();
            throw new IllegalStateException("the HttpProxy is closed", e);
        }
        byte[] answer;
        try {
            answer = exchangeHead0(exchange.address, bodyWaitNanos);
        } catch (RuntimeException | Error e) {
            exchangeClose0(exchange.address);
            exchange.release();
            throw e;
        }
        HttpResponse h = decode(answer);
        Body body = new Body(exchange, bodyWaitNanos);
        CLEANER.register(body, body.closer);
        return new StreamingResponse(h.status(), h.headers(), body);
    }

    /** Copies a request body from {@code upload} to the guest, until its end or the guest's. */
    private static void pump(InputStream upload, Exchange exchange) {
        boolean failed = false;
        try {
            byte[] chunk = new byte[64 << 10];
            for (int n; (n = upload.read(chunk)) >= 0; ) {
                if (n > 0 && !exchangeWrite0(exchange.address, chunk, 0, n)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
        } finally {
            exchangeEndRequest0(exchange.address, failed);
            exchange.release();
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();

    private synchronized ExecutorService runners() {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        if (runners == null) {
            AtomicInteger n = new AtomicInteger();
            runners = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "wasmtime-jvm-http-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
        }
        return runners;
    }

    /** A streamed request's native exchange, freed when both its handler and its reader are done. */
    private static final class Exchange {
        final long address;
        /** The handler, the reader, and the pump of a streamed request body if there is one. */
        private int users;

        Exchange(long address, int users) {
            this.address = address;
            this.users = users;
        }

        synchronized void release() {
            if (--users == 0) {
                exchangeFree0(address);
            }
        }

        synchronized void releaseAll() {
            users = 1;
            release();
        }
    }

    /** The body of a streamed response. */
    private static final class Body extends InputStream {
        private final Exchange exchange;
        private final long waitNanos;
        /** Closes the exchange's reading side once: on close, or by the cleaner when forgotten. */
        final Runnable closer;

        Body(Exchange exchange, long waitNanos) {
            this.exchange = exchange;
            this.waitNanos = waitNanos;
            AtomicBoolean done = new AtomicBoolean();
            this.closer = () -> {
                if (done.compareAndSet(false, true)) {
                    exchangeClose0(exchange.address);
                    exchange.release();
                }
            };
        }

        private volatile boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("the response body is closed");
            }
            if (len == 0) {
                return 0;
            }
            try {
                return exchangeRead0(exchange.address, b, off, len, waitNanos);
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            } finally {
                Reference.reachabilityFence(this);
            }
        }

        @Override
        public void close() {
            closed = true;
            closer.run();
        }
    }

    /** The layout {@code decode_head} in {@code native/src/jni/http.rs} reads. */
    private static byte[] encodeHead(HttpRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, request.method().getBytes(StandardCharsets.UTF_8));
        field(out, request.uri().getBytes(StandardCharsets.UTF_8));
        int count = request.headers().values().stream().mapToInt(List::size).sum();
        field(out, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(count).array());
        request.headers().forEach((name, values) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            for (String value : values) {
                field(out, n);
                field(out, latin1(name, value));
            }
        });
        return out.toByteArray();
    }

    private static byte[] latin1(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xff) {
                throw new IllegalArgumentException("the value of header " + name
                        + " has a character outside ISO-8859-1 at index " + i);
            }
        }
        return value.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length);
        out.write(bytes.length >>> 8);
        out.write(bytes.length >>> 16);
        out.write(bytes.length >>> 24);
        out.writeBytes(bytes);
    }

    /** The layout {@code encode} in {@code native/src/jni/http.rs} writes. */
    private static HttpResponse decode(byte[] answer) {
        ByteBuffer in = ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN);
        int status = ByteBuffer.wrap(next(in)).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int count = ByteBuffer.wrap(next(in)).order(ByteOrder.LITTLE_ENDIAN).getInt();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = new String(next(in), StandardCharsets.UTF_8);
            String value = new String(next(in), StandardCharsets.ISO_8859_1);
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new HttpResponse(status, headers, next(in));
    }

    private static byte[] next(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return b;
    }

    private static native long exchangeNew0();

    private static native void exchangeRun0(long exchange, long pre, long store, byte[] head, byte[] body);

    private static native byte[] exchangeHead0(long exchange, long waitNanos);

    private static native int exchangeRead0(long exchange, byte[] buf, int offset, int length, long waitNanos);

    private static native void exchangeStreamRequest0(long exchange);

    private static native boolean exchangeWrite0(long exchange, byte[] buf, int offset, int length);

    private static native void exchangeEndRequest0(long exchange, boolean failed);

    private static native void exchangeClose0(long exchange);

    private static native void exchangeFree0(long exchange);

    private static native byte[] handle0(long pre, long store, byte[] head, byte[] body, long maxResponseBody,
            long bodyWaitNanos);

    /** Builds an {@link HttpProxy}; every method returns the builder. */
    public static final class Builder {
        private final InstancePre pre;
        private final boolean ownsPre;
        private Consumer<Store.Builder> store = s -> {};
        private long maxResponseBody = 64L << 20;
        private Duration bodyWait = Duration.ofSeconds(30);

        private Builder(InstancePre pre, boolean ownsPre) {
            this.pre = pre;
            this.ownsPre = ownsPre;
        }

        /**
         * Sets up the store each request runs in (limits, time limit, WASI): called once, with
         * the builder every request's store is built from.
         *
         * @param configure sets the store builder up
         * @return this builder
         */
        public Builder store(Consumer<Store.Builder> configure) {
            this.store = Objects.requireNonNull(configure, "configure");
            return this;
        }

        /**
         * The most bytes of response body read (default 64 MiB); a larger body is an {@link
         * HttpHandlerException}.
         *
         * @param bytes the limit, 0 or more
         * @return this builder
         */
        public Builder maxResponseBody(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("the limit must not be negative");
            }
            this.maxResponseBody = bytes;
            return this;
        }

        /**
         * The longest wait for the rest of the response body once the handler has returned
         * (default 30 s); for {@link HttpProxy#stream}, the longest wait for the response's head
         * and for each read of its body.
         *
         * @param wait a positive duration
         * @return this builder
         */
        public Builder bodyWait(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("the wait must be positive");
            }
            this.bodyWait = wait;
            return this;
        }

        /**
         * The proxy.
         *
         * @return a new proxy
         */
        public HttpProxy build() {
            return new HttpProxy(this);
        }
    }
}
