package io.github.wasmtimejvm.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.TimeoutException;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.wasi.AuditEvent;
import io.github.wasmtimejvm.wasi.HttpPolicy;
import io.github.wasmtimejvm.wasi.WasiConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real {@code wasi:http/proxy} guest through {@link HttpProxy}: guests/python-http/app.py made a
 * component by componentize-py (CPython inside, so compiled once per class through the engine's
 * compilation cache), handed requests directly from Java.
 */
class HttpProxyTest {

    static final String BASE = "http://localhost:8080";

    private static Engine engine;
    private static Component python;
    private static HttpProxy proxy;
    private static com.sun.net.httpserver.HttpServer upstream;
    private static final AtomicInteger upstreamHits = new AtomicInteger();

    @BeforeAll
    static void setUp() throws IOException {
        engine = new Engine(Engine.Config.builder().epochInterruption(true)
                .cacheDirectory(Guests.dir().resolve("cache").resolve("engine")).build());
        python = Component.fromFile(engine, Guests.path("python-http.component.wasm"));
        proxy = HttpProxy.builder(python).build();
        upstream = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        upstream.createContext("/big", exchange -> {
            upstreamHits.incrementAndGet();
            byte[] body = new byte[200_000];
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.createContext("/", exchange -> {
            upstreamHits.incrementAndGet();
            byte[] body = ("upstream saw " + exchange.getRequestMethod() + " " + exchange.getRequestURI())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
    }

    @AfterAll
    static void tearDown() {
        upstream.stop(0);
        proxy.close();
        python.close();
        engine.close();
    }

    static String upstreamUrl(String path) {
        return "http://127.0.0.1:" + upstream.getAddress().getPort() + path;
    }

    @Test
    void aRequestGetsTheComponentsResponse() {
        HttpResponse r = proxy.handle(HttpRequest.get(BASE + "/hello"));
        assertEquals(200, r.status());
        assertEquals("hello from python", r.bodyText());
        assertEquals("text/plain", r.header("Content-Type"));
    }

    @Test
    void bodiesAndHeadersCrossWhole() {
        byte[] body = new byte[3 << 20];
        new Random(7).nextBytes(body);
        HttpResponse r = proxy.handle(HttpRequest.post(BASE + "/echo?x=1&y=%20", body).withHeader("Foo", "bar baz"));
        assertEquals(200, r.status());
        assertEquals("POST", r.header("x-method"));
        assertEquals("/echo?x=1&y=%20", r.header("x-path"));
        assertEquals("bar baz", r.header("x-header-foo"));
        assertArrayEquals(body, r.body());
        HttpResponse empty = proxy.handle(new HttpRequest("PUT", BASE + "/echo", Map.of(), new byte[0]));
        assertEquals("PUT", empty.header("x-method"));
        assertEquals(0, empty.body().length);
    }

    @Test
    void statusCodesAndNotFound() {
        HttpResponse teapot = proxy.handle(HttpRequest.get(BASE + "/status?code=418"));
        assertEquals(418, teapot.status());
        assertEquals("status 418", teapot.bodyText());
        HttpResponse missing = proxy.handle(HttpRequest.get(BASE + "/nowhere"));
        assertEquals(404, missing.status());
        assertEquals("not found: /nowhere", missing.bodyText());
    }

    @Test
    void aLargeResponseIsReadWhileTheGuestWritesIt() {
        int n = 5 << 20;
        HttpResponse r = proxy.handle(HttpRequest.get(BASE + "/big?n=" + n));
        assertEquals(n, r.body().length);
        for (byte b : r.body()) {
            if (b != 'a') {
                throw new AssertionError("byte " + b);
            }
        }
    }

    @Test
    void aResponseBodyPastTheLimitIsAnError() {
        try (HttpProxy small = HttpProxy.builder(python).maxResponseBody(1 << 20).build()) {
            HttpHandlerException e = assertThrows(HttpHandlerException.class,
                    () -> small.handle(HttpRequest.get(BASE + "/big?n=" + (2 << 20))));
            assertTrue(e.getMessage().contains("larger than the limit of 1048576 bytes"), e.getMessage());
            assertEquals(1 << 20, small.handle(HttpRequest.get(BASE + "/big?n=" + (1 << 20))).body().length);
        }
    }

    @Test
    void aTrapIsATrapException() {
        assertThrows(TrapException.class, () -> proxy.handle(HttpRequest.get(BASE + "/trap")));
        assertEquals(200, proxy.handle(HttpRequest.get(BASE + "/hello")).status(), "the next request is fine");
    }

    @Test
    void aHandlerThatLoopsIsStoppedByTheStoresTimeLimit() {
        try (HttpProxy limited = HttpProxy.builder(python).store(s -> s.timeout(Duration.ofMillis(500))).build()) {
            long t0 = System.nanoTime();
            assertThrows(TimeoutException.class, () -> limited.handle(HttpRequest.get(BASE + "/spin")));
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L);
            assertEquals("hello from python", limited.handle(HttpRequest.get(BASE + "/hello")).bodyText());
        }
    }

    @Test
    void outgoingRequestsAreDeniedByDefault() {
        int before = upstreamHits.get();
        HttpResponse r = proxy.handle(HttpRequest.get(BASE + "/fetch").withHeader("x-target", upstreamUrl("/up")));
        assertEquals(502, r.status());
        assertEquals("error: HttpRequestDenied", r.bodyText());
        assertEquals(before, upstreamHits.get(), "the upstream server was never reached");
    }

    @Test
    void aPolicyAllowsOutgoingRequestsAndTheAuditSeesRefusals() {
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        int port = upstream.getAddress().getPort();
        WasiConfig wasi = WasiConfig.builder()
                .outgoingHttp(HttpPolicy.builder().allow("127.0.0.1", port, "GET").build())
                .auditListener(events::add)
                .build();
        try (HttpProxy allowed = HttpProxy.builder(python).store(s -> s.wasi(wasi)).build()) {
            HttpResponse ok = allowed.handle(HttpRequest.get(BASE + "/fetch").withHeader("x-target", upstreamUrl("/up?q=1")));
            assertEquals(200, ok.status(), ok.bodyText());
            assertEquals("201", ok.header("x-upstream-status"));
            assertEquals("upstream saw GET /up?q=1", ok.bodyText());
            assertTrue(events.isEmpty(), "granted requests are not reported unless asked: " + events);

            HttpResponse otherPort = allowed.handle(HttpRequest.get(BASE + "/fetch")
                    .withHeader("x-target", "http://127.0.0.1:" + (port == 1 ? 2 : port - 1) + "/x"));
            assertEquals("error: HttpRequestDenied", otherPort.bodyText());
            assertEquals(1, events.size(), events.toString());
            AuditEvent e = events.get(0);
            assertEquals(AuditEvent.Area.HTTP, e.area());
            assertEquals("outgoing-request", e.operation());
            assertTrue(e.target().startsWith("GET http://127.0.0.1:"), e.target());
            assertTrue(!e.granted() && !e.reason().isEmpty(), e.toString());
        }
    }

    @Test
    void aPolicyCapsTheResponseBodiesTheGuestReceives() {
        int port = upstream.getAddress().getPort();
        HttpPolicy.Builder policy = HttpPolicy.builder().allow("127.0.0.1", port);
        WasiConfig capped = WasiConfig.builder().outgoingHttp(policy.maxResponseBody(100_000).build()).build();
        WasiConfig roomy = WasiConfig.builder().outgoingHttp(policy.maxResponseBody(200_000).build()).build();
        HttpRequest fetchBig = HttpRequest.get(BASE + "/fetch").withHeader("x-target", upstreamUrl("/big"));
        try (HttpProxy small = HttpProxy.builder(python).store(s -> s.wasi(capped)).build();
                HttpProxy large = HttpProxy.builder(python).store(s -> s.wasi(roomy)).build()) {
            HttpResponse refused = small.handle(fetchBig);
            assertEquals(502, refused.status());
            // The guest's read of the body fails past the cap (it reports the stream's error).
            assertTrue(refused.bodyText().startsWith("error: "), refused.bodyText());
            HttpResponse whole = large.handle(fetchBig);
            assertEquals(200, whole.status(), whole.bodyText());
            assertEquals(200_000, whole.body().length);
        }
    }

    @Test
    void requestsRunInParallelEachWithItsOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        byte[] body = ("thread " + thread + " request " + i).getBytes(StandardCharsets.UTF_8);
                        HttpResponse r = proxy.handle(HttpRequest.post(BASE + "/echo?i=" + i, body));
                        assertArrayEquals(body, r.body());
                        assertEquals("/echo?i=" + i, r.header("x-path"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badRequestsAndComponentsAreClearErrors() {
        IllegalArgumentException method = assertThrows(IllegalArgumentException.class,
                () -> proxy.handle(new HttpRequest("GE T", BASE + "/", Map.of(), new byte[0])));
        assertTrue(method.getMessage().contains("not an HTTP method"), method.getMessage());
        IllegalArgumentException noHost = assertThrows(IllegalArgumentException.class,
                () -> proxy.handle(HttpRequest.get("/hello")));
        assertTrue(noHost.getMessage().contains("authority"), noHost.getMessage());
        assertEquals("hello from python", proxy.handle(HttpRequest.get("/hello").withHeader("host", "x")).bodyText());
        IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
                () -> proxy.handle(HttpRequest.get(BASE + "/").withHeader("x", "a\nb")));
        assertTrue(header.getMessage().contains("header `x`"), header.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> proxy.handle(HttpRequest.get(BASE + "/").withHeader("x", "\u20ac")));

        try (Component adder = Component.fromFile(engine, Guests.path(Guests.ADDER_C));
                HttpProxy notAProxy = HttpProxy.builder(adder).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> notAProxy.handle(HttpRequest.get(BASE + "/")));
            assertTrue(e.getMessage().contains("wasi:http/incoming-handler"), e.getMessage());
        }
    }

    @Test
    void aClosedProxyIsAnIllegalStateException() {
        HttpProxy p = HttpProxy.builder(python).build();
        p.close();
        assertThrows(IllegalStateException.class, () -> p.handle(HttpRequest.get(BASE + "/hello")));
        assertNull(HttpRequest.get(BASE).header("none"));
    }

    /** Reads a streamed body to its end, checking every byte is 'a'; how many. */
    private static long drainAs(java.io.InputStream in) throws IOException {
        byte[] buf = new byte[64 << 10];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != 'a') {
                    throw new AssertionError("byte " + (total + i) + " is " + buf[i]);
                }
            }
            total += n;
        }
        return total;
    }

    @Test
    void aStreamedBodyIsReadAsTheGuestWritesItWithNoWholeBodyLimit() throws IOException {
        // maxResponseBody bounds whole bodies only: a streamed one is never held whole.
        try (HttpProxy small = HttpProxy.builder(python).maxResponseBody(1 << 20).build()) {
            int n = 24 << 20;
            try (StreamingResponse r = small.stream(HttpRequest.get(BASE + "/big?n=" + n))) {
                assertEquals(200, r.status());
                assertEquals("application/octet-stream", r.header("content-type"));
                assertEquals(n, drainAs(r.body()));
                assertEquals(-1, r.body().read());
            }
        }
    }

    @Test
    void aStreamedRequestCarriesHeadersAndBody() throws IOException {
        byte[] body = new byte[1 << 20];
        new Random(11).nextBytes(body);
        try (StreamingResponse r = proxy.stream(HttpRequest.post(BASE + "/echo", body).withHeader("Foo", "x"))) {
            assertEquals("POST", r.header("x-method"));
            assertEquals("x", r.header("x-header-foo"));
            assertArrayEquals(body, r.body().readAllBytes());
        }
        try (StreamingResponse r = proxy.stream(HttpRequest.get(BASE + "/status?code=418"))) {
            assertEquals(418, r.status());
            assertEquals("status 418", new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void closingAStreamedBodyEarlyStopsTheGuestsWrites() throws Exception {
        // The guest would write 256 MiB; the reader takes 4 KiB and closes. The guest's next
        // writes fail, its handler ends, and the proxy's threads serve the next requests.
        for (int i = 0; i < 3; i++) {
            try (StreamingResponse r = proxy.stream(HttpRequest.get(BASE + "/big?n=" + (256 << 20)))) {
                assertEquals(4096, r.body().readNBytes(4096).length);
            }
        }
        try (StreamingResponse r = proxy.stream(HttpRequest.get(BASE + "/hello"))) {
            assertEquals("hello from python", new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        IOException closed = assertThrows(IOException.class, () -> {
            StreamingResponse r = proxy.stream(HttpRequest.get(BASE + "/hello"));
            r.close();
            r.body().read();
        });
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void streamedFailuresBeforeTheHeadAreTheLibrarysExceptions() {
        assertThrows(TrapException.class, () -> proxy.stream(HttpRequest.get(BASE + "/trap")));
        try (HttpProxy limited = HttpProxy.builder(python).store(s -> s.timeout(Duration.ofMillis(500))).build()) {
            assertThrows(TimeoutException.class, () -> limited.stream(HttpRequest.get(BASE + "/spin")));
        }
        HttpProxy p = HttpProxy.builder(python).build();
        p.close();
        assertThrows(IllegalStateException.class, () -> p.stream(HttpRequest.get(BASE + "/hello")));
    }

    @Test
    void streamedRequestsRunInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int n = i * 100_000;
                results.add(pool.submit(() -> {
                    try (StreamingResponse r = proxy.stream(HttpRequest.get(BASE + "/big?n=" + n))) {
                        return drainAs(r.body());
                    }
                }));
            }
            for (int i = 1; i <= 8; i++) {
                assertEquals(i * 100_000L, results.get(i - 1).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestBodyStreamsFromAnInputStream() throws IOException {
        byte[] body = new byte[8 << 20];
        new Random(13).nextBytes(body);
        try (StreamingResponse r = proxy.stream(HttpRequest.post(BASE + "/echo", new byte[0]),
                new java.io.ByteArrayInputStream(body))) {
            assertEquals(200, r.status());
            assertArrayEquals(body, r.body().readAllBytes());
        }
    }

    @Test
    void aFailingRequestBodyFailsTheGuestsRead() {
        java.io.InputStream failing = new java.io.InputStream() {
            private int left = 1 << 20;

            @Override
            public int read() throws IOException {
                if (left-- == 0) {
                    throw new IOException("the client went away");
                }
                return 'x';
            }
        };
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> proxy.stream(HttpRequest.post(BASE + "/echo", new byte[0]), failing).close());
        assertTrue(e instanceof TrapException || e instanceof HttpHandlerException, e.toString());
    }

    @Test
    void aRequestBodyTheGuestNeverReadsStopsBeingCopied() throws Exception {
        // An endless upload to a handler that ignores the body: once the handler has answered
        // and ended, the thread copying the upload stops (it would otherwise block forever).
        java.util.concurrent.atomic.AtomicReference<Thread> pump = new java.util.concurrent.atomic.AtomicReference<>();
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                pump.set(Thread.currentThread());
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        try (StreamingResponse r = proxy.stream(HttpRequest.post(BASE + "/hello", new byte[0]), endless)) {
            assertEquals("hello from python", new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        Thread t = pump.get();
        while (t != null && t.getState() == Thread.State.RUNNABLE && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(t != null && t.getState() != Thread.State.RUNNABLE,
                "the upload is still being copied: " + (t == null ? "never read" : java.util.Arrays.toString(t.getStackTrace())));
    }
}
