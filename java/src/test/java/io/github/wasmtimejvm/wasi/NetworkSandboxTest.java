package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wit.NamedItem;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network sandbox, tested with a C guest that uses WASI 0.2 sockets (guests/net/net-probe.c,
 * wit-bindgen bindings of wasi:sockets): no socket without {@code allowTcp}/{@code allowUdp}, and
 * with them only the addresses the {@link NetworkPolicy} allows. Every address is on loopback
 * (127.0.0.1), served by sockets this test opens.
 */
class NetworkSandboxTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static Engine engine;
    private static Component probe;
    private static Linker linker;

    private ServerSocket allowedServer;
    private ServerSocket otherServer;
    private final List<String> policyCalls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void compile() {
        Path guest = Guests.path("net-probe.component.wasm");
        engine = new Engine();
        probe = Component.fromFile(engine, guest);
        linker = new Linker(engine).addWasi();
    }

    @AfterAll
    static void close() {
        linker.close();
        probe.close();
        engine.close();
    }

    @BeforeEach
    void listen() throws IOException {
        allowedServer = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        otherServer = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
    }

    @AfterEach
    void stop() throws IOException {
        allowedServer.close();
        otherServer.close();
    }

    private List<String> run(WasiConfig.Builder config, String... args) {
        try (Store store = Store.builder(engine).wasi(config.argv0("net-probe").args(args).captureStdout()
                .captureStderr().build()).build()) {
            int exit = linker.runCommand(store, probe);
            String err = new String(store.capturedStderr(), StandardCharsets.UTF_8);
            assertEquals(0, exit, err);
            return Arrays.asList(new String(store.capturedStdout(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** Allows binding the unspecified address (the implicit bind of a connect) and connecting to {@code port}. */
    private NetworkPolicy onlyTcpTo(int port) {
        NetworkPolicy target = NetworkPolicy.allowList("127.0.0.1:" + port);
        return (address, use) -> {
            policyCalls.add(use + " " + address.getAddress().getHostAddress() + ":" + address.getPort());
            return switch (use) {
                case TCP_BIND -> address.getAddress().isAnyLocalAddress() && address.getPort() == 0;
                case TCP_CONNECT -> target.allows(address, use);
                default -> false;
            };
        };
    }

    /** What the server received from one connection, or null when nobody connected in time. */
    private static String accept(ServerSocket server, int timeoutMs) throws IOException {
        server.setSoTimeout(timeoutMs);
        try (Socket s = server.accept()) {
            s.setSoTimeout(5_000);
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Test
    void theComponentImportsWasiSocketsAndCliItself() {
        List<String> imports = probe.type().imports().stream().map(NamedItem::name).toList();
        for (String i : List.of("wasi:sockets/tcp@0.2.12", "wasi:sockets/tcp-create-socket@0.2.12",
                "wasi:sockets/network@0.2.12", "wasi:sockets/instance-network@0.2.12",
                "wasi:sockets/udp@0.2.12", "wasi:cli/environment@0.2.12")) {
            assertTrue(imports.contains(i), i + " in " + imports);
        }
    }

    @Test
    void withoutTheNetworkEnabledNoSocketCanBeMade() throws IOException {
        int port = allowedServer.getLocalPort();
        List<String> out = run(WasiConfig.builder().networkPolicy(NetworkPolicy.allowAll()),
                "tcp-connect", "127.0.0.1", String.valueOf(port), "hello",
                "udp-send", "127.0.0.1", String.valueOf(port), "hello");
        assertEquals(List.of(
                "tcp-connect 127.0.0.1 " + port + ": error access-denied (at create-tcp-socket)",
                "udp-send 127.0.0.1 " + port + ": error access-denied (at create-udp-socket)"), out);
        assertEquals(null, accept(allowedServer, 300), "nobody connected");
    }

    @Test
    void thePolicyLetsTheGuestConnectOnlyWhereItAllows() throws IOException {
        int allowed = allowedServer.getLocalPort();
        int other = otherServer.getLocalPort();
        List<String> out = run(WasiConfig.builder().allowTcp(true).networkPolicy(onlyTcpTo(allowed)),
                "tcp-connect", "127.0.0.1", String.valueOf(allowed), "hello from the guest",
                "tcp-connect", "127.0.0.1", String.valueOf(other), "must not arrive");
        assertEquals(List.of(
                "tcp-connect 127.0.0.1 " + allowed + ": ok",
                "tcp-connect 127.0.0.1 " + other + ": error access-denied (at finish-connect)"), out);
        assertEquals("hello from the guest", accept(allowedServer, 5_000), "the allowed server got the connection");
        assertEquals(null, accept(otherServer, 300), "the other port saw no connection");
        assertTrue(policyCalls.contains("TCP_CONNECT 127.0.0.1:" + allowed), policyCalls.toString());
        assertTrue(policyCalls.contains("TCP_CONNECT 127.0.0.1:" + other), "the policy was asked and said no: " + policyCalls);
    }

    @Test
    void theAuditListenerHearsEveryAddressThePolicyDenies() throws IOException {
        int allowed = allowedServer.getLocalPort();
        int other = otherServer.getLocalPort();
        List<AuditEvent> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        run(WasiConfig.builder().allowTcp(true).networkPolicy(onlyTcpTo(allowed)).auditListener(events::add, true),
                "tcp-connect", "127.0.0.1", String.valueOf(allowed), "audited",
                "tcp-connect", "127.0.0.1", String.valueOf(other), "must not arrive");
        assertEquals("audited", accept(allowedServer, 5_000));
        List<String> refused = events.stream().filter(e -> !e.granted())
                .map(e -> e.area() + " " + e.operation() + " " + e.target() + " (" + e.reason() + ")").toList();
        assertEquals(List.of("SOCKET tcp-connect 127.0.0.1:" + other + " (denied by the network policy)"), refused);
        List<String> granted = events.stream().filter(AuditEvent::granted).map(e -> e.operation() + " " + e.target()).toList();
        assertTrue(granted.contains("tcp-connect 127.0.0.1:" + allowed), granted.toString());
    }

    /**
     * A connect without an explicit bind is first checked as a {@code TCP_BIND} of the
     * unspecified address (0.0.0.0:0, wasmtime's check for the implicit bind), so an allow list
     * naming only the server denies it. (Adding "0.0.0.0:0" to the list would allow it, but port 0
     * in an entry means any port: the guest could then bind and listen on every interface. A
     * policy that looks at the use, as {@link #onlyTcpTo}, grants just the implicit bind.)
     */
    @Test
    void anAllowListNamingOnlyTheServerDeniesTheImplicitBind() throws IOException {
        int allowed = allowedServer.getLocalPort();
        NetworkPolicy list = NetworkPolicy.allowList("127.0.0.1:" + allowed);
        List<String> out = run(WasiConfig.builder().allowTcp(true).networkPolicy((address, use) -> {
            policyCalls.add(use + " " + address.getAddress().getHostAddress() + ":" + address.getPort());
            return list.allows(address, use);
        }), "tcp-connect", "127.0.0.1", String.valueOf(allowed), "x");
        assertEquals(List.of("tcp-connect 127.0.0.1 " + allowed + ": error access-denied (at finish-connect)"), out);
        assertEquals(List.of("TCP_BIND 0.0.0.0:0"), policyCalls, "denied at the implicit bind, before the connect");
        assertEquals(null, accept(allowedServer, 300));
    }

    @Test
    void tcpAllowedDoesNotAllowUdp() throws IOException {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            int port = receiver.getLocalPort();
            List<String> out = run(WasiConfig.builder().allowTcp(true).networkPolicy(NetworkPolicy.allowAll()),
                    "udp-send", "127.0.0.1", String.valueOf(port), "x");
            assertEquals(List.of("udp-send 127.0.0.1 " + port + ": error access-denied (at create-udp-socket)"), out);
            receiver.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> receiver.receive(new DatagramPacket(new byte[64], 64)));
        }
    }

    @Test
    void udpDatagramsGoOnlyWhereThePolicyAllows() throws IOException {
        try (DatagramSocket allowed = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
                DatagramSocket other = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            NetworkPolicy target = NetworkPolicy.allowList("127.0.0.1:" + allowed.getLocalPort());
            NetworkPolicy policy = (address, use) -> {
                policyCalls.add(use + " " + address.getAddress().getHostAddress() + ":" + address.getPort());
                return switch (use) {
                    case UDP_BIND -> address.equals(new InetSocketAddress("127.0.0.1", 0));
                    case UDP_SEND -> target.allows(address, use);
                    default -> false;
                };
            };
            List<String> out = run(WasiConfig.builder().allowUdp(true).networkPolicy(policy),
                    "udp-send", "127.0.0.1", String.valueOf(allowed.getLocalPort()), "datagram",
                    "udp-send", "127.0.0.1", String.valueOf(other.getLocalPort()), "must not arrive");
            assertEquals(List.of(
                    "udp-send 127.0.0.1 " + allowed.getLocalPort() + ": ok",
                    "udp-send 127.0.0.1 " + other.getLocalPort() + ": error access-denied (at send)"), out);
            DatagramPacket p = new DatagramPacket(new byte[64], 64);
            allowed.setSoTimeout(5_000);
            allowed.receive(p);
            assertEquals("datagram", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            assertEquals(LOOPBACK, p.getAddress());
            other.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> other.receive(new DatagramPacket(new byte[64], 64)));
            assertTrue(policyCalls.contains("UDP_SEND 127.0.0.1:" + other.getLocalPort()), policyCalls.toString());
        }
    }
}
