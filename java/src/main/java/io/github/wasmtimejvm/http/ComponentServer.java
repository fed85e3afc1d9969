package io.github.wasmtimejvm.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wasmtimejvm.TimeoutException;
import io.github.wasmtimejvm.TrapException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves an {@link HttpProxy} on a port with the JDK's HTTP server ({@code jdk.httpserver}), the
 * way {@code wasmtime serve} does: every request in a fresh store, at most {@link
 * Builder#maxConcurrency} at once (the others wait for a worker), request bodies up to {@link
 * Builder#maxRequestBody}, the time limit of the proxy's stores for each request.
 *
 * <pre>{@code
 * try (ComponentServer server = ComponentServer.builder(proxy)
 *         .address(new InetSocketAddress("127.0.0.1", 8080))
 *         .start()) {
 *     System.out.println("serving on " + server.address());
 *     ...
 * }
 * }</pre>
 *
 * <p>Sets {@code sun.net.httpserver.nodelay=true} (TCP_NODELAY on accepted connections) unless
 * it is set already: without it the JDK's server holds each response on a kept-alive connection
 * about 40 ms (Nagle's algorithm and delayed ACKs). The JDK reads it when the JVM's first {@code
 * HttpServer} is made, so a JVM that made one before this class was loaded keeps its setting.
 *
 * <p>Answers the component could not give: 413 for a request body past the limit, 504 for a
 * handler past its time limit, 500 for one that trapped or gave no usable response (the reason in
 * a plain-text body and reported to the {@link Builder#onError} listener), 400 for a request the
 * component cannot be handed (an invalid header, for one).
 */
public final class ComponentServer implements AutoCloseable {

    /** The JDK server's switch for TCP_NODELAY on accepted connections. */
    static final String NODELAY = "sun.net.httpserver.nodelay";

    static {
        // The JDK's server writes a response's headers and body in two writes and leaves Nagle's
        // algorithm on: with delayed ACKs every response on a kept-alive connection waits ~40 ms
        // (160 req/s on 8 connections; benchmarks/results/2026-12-03/http). The server reads the
        // property once, when the first HttpServer of the JVM is made; one set by the user wins.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    /** Hop-by-hop headers the JDK's server sets itself. */
    private static final Set<String> SERVER_HEADERS = Set.of("content-length", "transfer-encoding", "connection");

    private final HttpProxy proxy;
    private final HttpServer server;
    private final ExecutorService workers;
    private final long maxRequestBody;
    private final ErrorListener onError;
    private final AtomicLong served = new AtomicLong();

    /** Receives every request the component failed to answer, with the failure. */
    @FunctionalInterface
    public interface ErrorListener {
        /**
         * Called on the worker thread, before the error response is sent.
         *
         * @param request the request
         * @param failure why no response came from the component
         */
        void onError(HttpRequest request, RuntimeException failure);
    }

    private ComponentServer(Builder b) throws IOException {
        this.proxy = b.proxy;
        this.maxRequestBody = b.maxRequestBody;
        this.onError = b.onError;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "wasmtime-jvm-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(b.maxConcurrency, threads);
        this.server = HttpServer.create(b.address, b.backlog);
        server.setExecutor(workers);
        server.createContext("/", this::exchange);
        server.start();
    }

    /**
     * A builder for serving {@code proxy}.
     *
     * @param proxy the component
     * @return a new builder
     */
    public static Builder builder(HttpProxy proxy) {
        return new Builder(Objects.requireNonNull(proxy, "proxy"));
    }

    /**
     * The address the server listens on (with the port chosen when port 0 was asked for).
     *
     * @return the address
     */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * How many requests were answered (by the component or with an error status).
     *
     * @return the count
     */
    public long served() {
        return served.get();
    }

    /** Stops accepting, lets requests in flight finish (up to 5 s), and stops the workers. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpRequest request;
            try {
                byte[] body = readBody(exchange);
                if (body == null) {
                    drain(exchange.getRequestBody());
                    reply(exchange, 413, "request body larger than " + maxRequestBody + " bytes");
                    return;
                }
                request = new HttpRequest(exchange.getRequestMethod(), uri(exchange),
                        exchange.getRequestHeaders(), body);
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, e.getMessage());
                return;
            }
            HttpResponse response;
            try {
                response = proxy.handle(request);
            } catch (TimeoutException e) {
                failed(request, e);
                reply(exchange, 504, e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                failed(request, e);
                reply(exchange, 400, e.getMessage());
                return;
            } catch (TrapException | HttpHandlerException | IllegalStateException e) {
                failed(request, e);
                reply(exchange, 500, e.getMessage());
                return;
            } catch (RuntimeException e) {
                failed(request, e);
                reply(exchange, 500, String.valueOf(e));
                return;
            }
            response.headers().forEach((name, values) -> {
                if (!SERVER_HEADERS.contains(name)) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            send(exchange, response.status(), response.body());
        }
    }

    private void failed(HttpRequest request, RuntimeException e) {
        if (onError != null) {
            try {
                onError.onError(request, e);
            } catch (RuntimeException listenerFailure) {
                System.getLogger(ComponentServer.class.getName()).log(System.Logger.Level.WARNING,
                        "the error listener failed", listenerFailure);
            }
        }
    }

    private static String uri(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || host.isEmpty()) {
            InetSocketAddress local = exchange.getLocalAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        return "http://" + host + exchange.getRequestURI().toString();
    }

    /** The body, or null when it is longer than the limit. */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxRequestBody) {
                    return null;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length is not a number: " + length);
            }
        }
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBody));
        if (in.read() >= 0) {
            return null;
        }
        return body;
    }

    /**
     * Reads and drops what is left of a refused body (a bounded amount), so that the client, still
     * sending it, reads the 413: a socket closed with unread bytes is reset, and the reset drops
     * the response.
     */
    private void drain(InputStream in) throws IOException {
        long left = Math.max(4 * maxRequestBody, 4L << 20);
        byte[] buffer = new byte[64 << 10];
        for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0; ) {
            left -= n;
        }
    }

    private void reply(HttpExchange exchange, int status, String text) throws IOException {
        exchange.getResponseHeaders().put("content-type", List.of("text/plain; charset=utf-8"));
        send(exchange, status, (text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        served.incrementAndGet();
        boolean head = exchange.getRequestMethod().toUpperCase(Locale.ROOT).equals("HEAD");
        exchange.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Builds and starts a {@link ComponentServer}; every setter returns the builder. */
    public static final class Builder {
        private final HttpProxy proxy;
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8080);
        private int maxConcurrency = Math.max(2, Runtime.getRuntime().availableProcessors());
        private long maxRequestBody = 16L << 20;
        private int backlog = 100;
        private ErrorListener onError;

        private Builder(HttpProxy proxy) {
            this.proxy = proxy;
        }

        /**
         * Where to listen (default {@code 127.0.0.1:8080}; port 0 picks a free one).
         *
         * @param address the address
         * @return this builder
         */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The most requests handled at once (default: the number of processors, at least 2);
         * more wait for a worker.
         *
         * @param requests at least 1
         * @return this builder
         */
        public Builder maxConcurrency(int requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("the concurrency limit must be at least 1");
            }
            this.maxConcurrency = requests;
            return this;
        }

        /**
         * The most bytes of request body accepted (default 16 MiB); a longer body is answered
         * with 413 without running the component.
         *
         * @param bytes the limit, 0 or more
         * @return this builder
         */
        public Builder maxRequestBody(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("the limit must not be negative");
            }
            this.maxRequestBody = bytes;
            return this;
        }

        /**
         * The most connections waiting to be accepted (default 100).
         *
         * @param connections at least 1
         * @return this builder
         */
        public Builder backlog(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("the backlog must be at least 1");
            }
            this.backlog = connections;
            return this;
        }

        /**
         * Receives every request the component failed to answer.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder onError(ErrorListener listener) {
            this.onError = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Binds the address and starts serving.
         *
         * @return the running server
         * @throws UncheckedIOException if the address cannot be bound
         */
        public ComponentServer start() {
            try {
                return new ComponentServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "ComponentServer[" + address() + "]";
    }
}
