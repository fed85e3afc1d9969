package io.github.wasmtimejvm.cli;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.http.ComponentServer;
import io.github.wasmtimejvm.http.HttpProxy;
import io.github.wasmtimejvm.wasi.HttpPolicy;
import io.github.wasmtimejvm.wasi.WasiConfig;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code wasmtime-jvm serve}: a {@code wasi:http/proxy} component behind an HTTP server, like
 * {@code wasmtime serve}.
 */
final class ServeCommand {

    private ServeCommand() {}

    /** A started server and what it owns. */
    record Serving(Engine engine, Component component, HttpProxy proxy, ComponentServer server)
            implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            proxy.close();
            component.close();
            engine.close();
        }
    }

    /** Serves until the process is stopped. */
    static int serve(List<String> args, PrintStream out) {
        Serving serving = start(args, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            serving.close();
            stopped.countDown();
        }, "wasmtime-jvm-serve-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Parses the options and starts serving; prints the address. */
    static Serving start(List<String> args, PrintStream out) {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8080);
        Duration timeout = null;
        int concurrency = -1;
        long maxBody = -1;
        HttpPolicy.Builder policy = HttpPolicy.builder();
        WasiConfig.Builder wasi = WasiConfig.builder().inheritStdout().inheritStderr();
        Path file = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-")) {
                if (file != null) {
                    throw new Main.UsageException("`serve` takes one component file, got " + file + " and " + a);
                }
                file = Path.of(a);
                continue;
            }
            int eq = a.indexOf('=');
            String option = eq > 0 ? a.substring(0, eq) : a;
            String value;
            if (eq > 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new Main.UsageException(option + " needs a value");
            }
            switch (option) {
                case "--addr" -> address = address(value);
                case "--timeout" -> timeout = duration(value);
                case "--max-concurrency" -> concurrency = number(option, value);
                case "--max-request-body" -> maxBody = number(option, value);
                case "--allow-http" -> allow(policy, value);
                case "--env" -> {
                    int e = value.indexOf('=');
                    if (e <= 0) {
                        throw new Main.UsageException("--env takes NAME=VALUE, got `" + value + "`");
                    }
                    wasi.env(value.substring(0, e), value.substring(e + 1));
                }
                default -> throw new Main.UsageException("unknown option " + a);
            }
        }
        if (file == null) {
            throw new Main.UsageException("no component file given");
        }
        wasi.outgoingHttp(policy.build());
        WasiConfig config = wasi.build();
        Duration limit = timeout;
        Engine engine = new Engine(Engine.Config.builder().epochInterruption(limit != null).build());
        try {
            Component component = Component.fromFile(engine, file);
            HttpProxy proxy = HttpProxy.builder(component)
                    .store(s -> {
                        s.wasi(config);
                        if (limit != null) {
                            s.timeout(limit);
                        }
                    })
                    .build();
            ComponentServer.Builder server = ComponentServer.builder(proxy).address(address)
                    .onError((request, failure) -> System.err.println(
                            "wasmtime-jvm serve: " + request.method() + " " + request.uri() + ": "
                                    + failure.getMessage().lines().findFirst().orElse("")));
            if (concurrency > 0) {
                server.maxConcurrency(concurrency);
            }
            if (maxBody >= 0) {
                server.maxRequestBody(maxBody);
            }
            ComponentServer running = server.start();
            InetSocketAddress bound = running.address();
            out.println("Serving HTTP on http://" + bound.getHostString() + ":" + bound.getPort() + "/");
            out.flush();
            return new Serving(engine, component, proxy, running);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private static InetSocketAddress address(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0) {
            throw new Main.UsageException("--addr takes HOST:PORT, got `" + spec + "`");
        }
        String host = spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, number("--addr", spec.substring(colon + 1)));
    }

    /** {@code --allow-http HOST[:PORT]}: outgoing requests the guest may make. */
    private static void allow(HttpPolicy.Builder policy, String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon > 0 && !spec.endsWith("]")) {
            policy.allow(spec.substring(0, colon), number("--allow-http", spec.substring(colon + 1)));
        } else {
            policy.allowHost(spec);
        }
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Main.UsageException(option + " takes a number, got `" + value + "`");
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, or an ISO-8601 duration ({@code PT30S}). */
    private static Duration duration(String value) {
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            return Duration.parse(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Main.UsageException("--timeout takes a duration such as 500ms, 30s or 2m, got `" + value + "`");
        }
    }
}
