package io.github.wasmtimejvm.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.TimeoutException;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.Component;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Components served over loopback: the Python guest behind {@link ComponentServer} with a time
 * limit, a concurrency limit and a request body limit, the JavaScript guest (jco) behind {@code
 * wasmtime-jvm serve}, both asked by the JDK's HTTP client.
 */
class ComponentServerTest {

    private static Engine engine;
    private static Component python;
    private static HttpProxy proxy;
    private static ComponentServer server;
    private static final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void setUp() {
        engine = new Engine(Engine.Config.builder().epochInterruption(true)
                .cacheDirectory(Guests.dir().resolve("cache").resolve("engine")).build());
        python = Component.fromFile(engine, Guests.path("python-http.component.wasm"));
        proxy = HttpProxy.builder(python).store(s -> s.timeout(Duration.ofSeconds(1))).build();
        server = ComponentServer.builder(proxy)
                .address(new InetSocketAddress("127.0.0.1", 0))
                .maxConcurrency(3)
                .maxRequestBody(1 << 20)
                .onError((request, failure) -> failures.add(failure))
                .start();
    }

    @AfterAll
    static void tearDown() {
        server.close();
        proxy.close();
        python.close();
        engine.close();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private static java.net.http.HttpResponse<byte[]> send(java.net.http.HttpRequest request) throws Exception {
        return client.send(request, BodyHandlers.ofByteArray());
    }

    @Test
    void connectionsDoNotWaitForNagle() {
        // Set when the class loads, before the JVM's first HttpServer (this test class makes none
        // before it): without it each kept-alive response waited ~40 ms.
        assertEquals("true", System.getProperty(ComponentServer.NODELAY));
    }

    @Test
    void servesTheComponent() throws Exception {
        var r = client.send(java.net.http.HttpRequest.newBuilder(uri("/hello")).build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("hello from python", r.body());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());

        byte[] body = new byte[300_000];
        new Random(3).nextBytes(body);
        var echo = send(java.net.http.HttpRequest.newBuilder(uri("/echo?a=b"))
                .header("foo", "bar").POST(BodyPublishers.ofByteArray(body)).build());
        assertEquals(200, echo.statusCode());
        assertArrayEquals(body, echo.body());
        assertEquals("/echo?a=b", echo.headers().firstValue("x-path").orElseThrow());
        assertEquals("bar", echo.headers().firstValue("x-header-foo").orElseThrow());
    }

    @Test
    void failuresGetStatusCodesAndReachTheListener() throws Exception {
        failures.clear();
        var trap = send(java.net.http.HttpRequest.newBuilder(uri("/trap")).build());
        assertEquals(500, trap.statusCode());
        var spin = send(java.net.http.HttpRequest.newBuilder(uri("/spin")).build());
        assertEquals(504, spin.statusCode());
        assertTrue(new String(spin.body(), StandardCharsets.UTF_8).contains("time limit"));
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0) instanceof TrapException, failures.toString());
        assertTrue(failures.get(1) instanceof TimeoutException, failures.toString());

        var big = send(java.net.http.HttpRequest.newBuilder(uri("/echo"))
                .POST(BodyPublishers.ofByteArray(new byte[(1 << 20) + 1])).build());
        assertEquals(413, big.statusCode());
        assertEquals(200, send(java.net.http.HttpRequest.newBuilder(uri("/hello")).build()).statusCode());
    }

    @Test
    void concurrentClientsEachGetTheirOwnAnswer() throws Exception {
        List<CompletableFuture<java.net.http.HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            pending.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(uri("/echo?n=" + i))
                    .POST(BodyPublishers.ofString("request " + i)).build(), BodyHandlers.ofString()));
        }
        for (int i = 0; i < pending.size(); i++) {
            var r = pending.get(i).get();
            assertEquals(200, r.statusCode());
            assertEquals("request " + i, r.body());
        }
    }

    @Test
    void theCliServesAJavaScriptComponent() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        String wasm = Guests.path("js-http.component.wasm").toString();
        try (var serving = io.github.wasmtimejvm.cli.ServeAccess.start(
                List.of("--addr", "127.0.0.1:0", "--timeout", "5s", wasm), out)) {
            String line = printed.toString(StandardCharsets.UTF_8).trim();
            assertTrue(line.startsWith("Serving HTTP on http://127.0.0.1:"), line);
            URI base = URI.create(line.substring("Serving HTTP on ".length()));
            var hello = client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/hello")).build(),
                    BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("hello from js", hello.body());
            var echo = client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/echo"))
                    .POST(BodyPublishers.ofString("from the test")).build(), BodyHandlers.ofString());
            assertEquals("from the test", echo.body());
            assertEquals("POST", echo.headers().firstValue("x-method").orElseThrow());
            assertEquals(404, client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/none")).build(),
                    BodyHandlers.ofString()).statusCode());
        }
    }
}
