package io.github.wasmtimejvm.http;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.InstancePre;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import java.io.ByteArrayOutputStream;
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
         * (default 30 s).
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
