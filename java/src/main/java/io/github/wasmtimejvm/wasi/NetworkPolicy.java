package io.github.wasmtimejvm.wasi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides which socket addresses a WASI guest may bind to or connect to, once TCP or UDP is
 * allowed in its {@link WasiConfig}. Called on the guest's thread for every address; an
 * exception denies.
 *
 * <p>A connect (TCP) or send (UDP) from a socket the guest has not bound is first checked as a
 * {@link Use#TCP_BIND} / {@link Use#UDP_BIND} of the unspecified address with port 0 ({@code
 * 0.0.0.0:0} or {@code [::]:0}): wasmtime checks the implicit bind before the connect. A policy
 * that denies that bind denies the connect, so an {@link #allowList} naming only the server is
 * not enough. Look at the use to allow exactly the implicit bind:
 *
 * <pre>{@code
 * NetworkPolicy server = NetworkPolicy.allowList("10.0.0.5:443");
 * NetworkPolicy policy = (address, use) -> switch (use) {
 *     case TCP_BIND -> address.getAddress().isAnyLocalAddress() && address.getPort() == 0;
 *     case TCP_CONNECT -> server.allows(address, use);
 *     default -> false;
 * };
 * }</pre>
 *
 * (Adding {@code "0.0.0.0:0"} to the allow list instead would allow binding and listening on any
 * port of every interface, since port 0 in an entry matches any port.)
 */
@FunctionalInterface
public interface NetworkPolicy {

    /** What the guest wants to do with an address. */
    enum Use {
        /** Binding a TCP socket to a local address. */
        TCP_BIND,
        /** Listening on a bound TCP socket (its local address). */
        TCP_LISTEN,
        /** Accepting a TCP connection (the peer's address). */
        TCP_ACCEPT,
        /** Connecting a TCP socket to a remote address. */
        TCP_CONNECT,
        /** Binding a UDP socket to a local address. */
        UDP_BIND,
        /** Sending a UDP datagram to a remote address. */
        UDP_SEND,
        /** Receiving a UDP datagram (the sender's address). */
        UDP_RECEIVE
    }

    /**
     * Decides whether the guest may use an address.
     *
     * @param address the address (IP and port)
     * @param use what for
     * @return whether to allow it
     */
    boolean allows(InetSocketAddress address, Use use);

    /**
     * Every address.
     *
     * @return a policy that allows every address for every use
     */
    static NetworkPolicy allowAll() {
        return (a, u) -> true;
    }

    /**
     * No address.
     *
     * @return a policy that allows nothing
     */
    static NetworkPolicy denyAll() {
        return (a, u) -> false;
    }

    /**
     * The addresses matching any of these entries: an IP ({@code 10.0.0.1}, {@code ::1}), an IP
     * and port ({@code 10.0.0.1:80}, {@code [::1]:80}), a CIDR block ({@code 10.0.0.0/8}), or a
     * CIDR block and port ({@code 10.0.0.0/8:443}). Port 0 in an entry, or none, matches any port.
     *
     * @param entries the addresses to allow
     * @return a policy that allows an address, for every use, when an entry matches it
     * @throws IllegalArgumentException if an entry cannot be parsed
     */
    static NetworkPolicy allowList(String... entries) {
        List<Rule> rules = new ArrayList<>();
        for (String e : entries) {
            rules.add(Rule.parse(e));
        }
        return (address, use) -> {
            for (Rule r : rules) {
                if (r.matches(address)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** One allow-list entry. */
    final class Rule {
        private final byte[] network;
        private final int prefix;
        private final int port;

        private Rule(byte[] network, int prefix, int port) {
            this.network = network;
            this.prefix = prefix;
            this.port = port;
        }

        static Rule parse(String entry) {
            Objects.requireNonNull(entry, "entry");
            String s = entry.trim().toLowerCase(Locale.ROOT);
            int port = 0;
            String host = s;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("bad address `" + entry + "`");
                }
                host = s.substring(1, close);
                String rest = s.substring(close + 1);
                if (rest.startsWith(":")) {
                    port = port(rest.substring(1), entry);
                } else if (!rest.isEmpty()) {
                    host = host + rest;
                }
            } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') >= 0) {
                host = s.substring(0, s.indexOf(':'));
                port = port(s.substring(s.indexOf(':') + 1), entry);
            }
            int prefix = -1;
            int slash = host.indexOf('/');
            if (slash >= 0) {
                prefix = Integer.parseInt(host.substring(slash + 1));
                host = host.substring(0, slash);
            }
            if (host.isEmpty() || !(host.contains(".") || host.contains(":"))
                    || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                throw new IllegalArgumentException("`" + entry + "` is not an IP address, CIDR block or host:port"
                        + " (host names are not resolved)");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad address `" + entry + "`", e);
            }
            if (prefix < 0) {
                prefix = bytes.length * 8;
            }
            if (prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad prefix length in `" + entry + "`");
            }
            return new Rule(bytes, prefix, port);
        }

        private static int port(String s, String entry) {
            try {
                int p = Integer.parseInt(s);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in `" + entry + "`");
            }
        }

        boolean matches(InetSocketAddress address) {
            if (port != 0 && address.getPort() != port) {
                return false;
            }
            byte[] a = address.getAddress().getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    // Called from native code for every address the guest uses.
    private static boolean check(NetworkPolicy policy, String ip, int port, int use) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(ip), port);
            return policy.allows(address, Use.values()[use]);
        } catch (RuntimeException | UnknownHostException e) {
            return false;
        }
    }
}
