package io.github.wasmtimejvm.wasi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a guest's outgoing HTTP requests ({@code wasi:http/outgoing-handler}) may reach: nothing
 * unless a {@link Rule} allows it. A refused request is {@code error-code.HTTP-request-denied} to
 * the guest and a refusal ({@link AuditEvent.Area#HTTP}, operation {@code outgoing-request}) to
 * the configuration's {@link AuditListener}. An allowed request is sent with the policy's time
 * limits (the smaller of the policy's and the guest's own) and body caps: a body past its cap
 * fails with {@code HTTP-request-body-size} or {@code HTTP-response-body-size}.
 *
 * <p>Without a policy in its {@link WasiConfig} a store allows no outgoing request at all.
 *
 * <pre>{@code
 * HttpPolicy policy = HttpPolicy.builder()
 *         .allow("api.example.com", 443, "GET", "POST")
 *         .allowHost("*.internal.example.com")
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .maxResponseBody(1 << 20)
 *         .build();
 * WasiConfig wasi = WasiConfig.builder().outgoingHttp(policy).build();
 * }</pre>
 */
public final class HttpPolicy {

    /**
     * One kind of request allowed.
     *
     * @param scheme {@code http} or {@code https}; {@code null}: either
     * @param host the host as the guest names it, case-insensitive: exact, {@code *.example.com}
     *     (any subdomain, not the domain itself) or {@code *} (any host)
     * @param port the port (1-65535), or 0 for any port; a URI without a port means 80 for
     *     {@code http} and 443 for {@code https}
     * @param methods upper-case method names; empty: any method
     */
    public record Rule(String scheme, String host, int port, Set<String> methods) {
        /**
         * Checks and normalises the rule.
         *
         * @param scheme {@code http}, {@code https} or null
         * @param host the host pattern
         * @param port 0 to 65535
         * @param methods the methods, or empty
         * @throws IllegalArgumentException if a part is out of range or empty
         * @throws NullPointerException if {@code host} or {@code methods} is null
         */
        public Rule {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(methods, "methods");
            if (scheme != null) {
                scheme = scheme.toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw new IllegalArgumentException("the scheme must be http or https, not " + scheme);
                }
            }
            if (host.isEmpty() || (host.contains("*") && !host.equals("*")
                    && !(host.startsWith("*.") && host.indexOf('*', 1) < 0 && host.length() > 2))) {
                throw new IllegalArgumentException(
                        "the host must be a name, *.suffix or *, not '" + host + "'");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the port must be 0 (any) to 65535, not " + port);
            }
            TreeSet<String> m = new TreeSet<>();
            for (String method : methods) {
                if (Objects.requireNonNull(method, "method").isEmpty()) {
                    throw new IllegalArgumentException("a method must not be empty");
                }
                m.add(method.toUpperCase(Locale.ROOT));
            }
            methods = Set.copyOf(m);
        }
    }

    private final List<Rule> rules;
    private final Duration connectTimeout;
    private final Duration firstByteTimeout;
    private final Duration betweenBytesTimeout;
    private final long maxRequestBody;
    private final long maxResponseBody;

    private HttpPolicy(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.connectTimeout = b.connectTimeout;
        this.firstByteTimeout = b.firstByteTimeout;
        this.betweenBytesTimeout = b.betweenBytesTimeout;
        this.maxRequestBody = b.maxRequestBody;
        this.maxResponseBody = b.maxResponseBody;
    }

    /**
     * A policy that allows nothing (what a store without a policy does too).
     *
     * @return the policy
     */
    public static HttpPolicy denyAll() {
        return builder().build();
    }

    /**
     * A builder with no rules.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The rules, in the order given.
     *
     * @return the rules
     */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * The longest wait for a connection.
     *
     * @return the limit, or empty for the guest's (or wasmtime's default of 600 s)
     */
    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connectTimeout);
    }

    /**
     * The longest wait for the first byte of a response.
     *
     * @return the limit, or empty for the guest's
     */
    public Optional<Duration> firstByteTimeout() {
        return Optional.ofNullable(firstByteTimeout);
    }

    /**
     * The longest wait between two chunks of a response body.
     *
     * @return the limit, or empty for the guest's
     */
    public Optional<Duration> betweenBytesTimeout() {
        return Optional.ofNullable(betweenBytesTimeout);
    }

    /**
     * The most bytes of request body a guest may send.
     *
     * @return the cap, or empty for none
     */
    public OptionalLong maxRequestBody() {
        return maxRequestBody < 0 ? OptionalLong.empty() : OptionalLong.of(maxRequestBody);
    }

    /**
     * The most bytes of response body a guest may receive.
     *
     * @return the cap, or empty for none
     */
    public OptionalLong maxResponseBody() {
        return maxResponseBody < 0 ? OptionalLong.empty() : OptionalLong.of(maxResponseBody);
    }

    @Override
    public String toString() {
        return "HttpPolicy" + rules;
    }

    /** Builds an {@link HttpPolicy}; every method returns the builder. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private Duration connectTimeout;
        private Duration firstByteTimeout;
        private Duration betweenBytesTimeout;
        private long maxRequestBody = -1;
        private long maxResponseBody = -1;

        private Builder() {}

        /**
         * Allows a rule.
         *
         * @param rule what to allow
         * @return this builder
         */
        public Builder allow(Rule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Allows requests to a host and port, over either scheme, with the methods given (none:
         * any method).
         *
         * @param host a host name or address, {@code *.suffix} or {@code *}
         * @param port the port, or 0 for any
         * @param methods the methods allowed; none for any
         * @return this builder
         * @throws IllegalArgumentException as {@link Rule} does
         */
        public Builder allow(String host, int port, String... methods) {
            return allow(new Rule(null, host, port, Set.of(methods)));
        }

        /**
         * Allows every request to a host, on any port, with any method.
         *
         * @param host a host name or address, {@code *.suffix} or {@code *}
         * @return this builder
         */
        public Builder allowHost(String host) {
            return allow(host, 0);
        }

        /**
         * The longest wait for a connection.
         *
         * @param limit a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration limit) {
            this.connectTimeout = positive(limit);
            return this;
        }

        /**
         * The longest wait for a response's first byte.
         *
         * @param limit a positive duration
         * @return this builder
         */
        public Builder firstByteTimeout(Duration limit) {
            this.firstByteTimeout = positive(limit);
            return this;
        }

        /**
         * The longest wait between two chunks of a response body.
         *
         * @param limit a positive duration
         * @return this builder
         */
        public Builder betweenBytesTimeout(Duration limit) {
            this.betweenBytesTimeout = positive(limit);
            return this;
        }

        /**
         * The most bytes of request body a guest may send.
         *
         * @param bytes the cap, 0 or more
         * @return this builder
         */
        public Builder maxRequestBody(long bytes) {
            this.maxRequestBody = nonNegative(bytes);
            return this;
        }

        /**
         * The most bytes of response body a guest may receive.
         *
         * @param bytes the cap, 0 or more
         * @return this builder
         */
        public Builder maxResponseBody(long bytes) {
            this.maxResponseBody = nonNegative(bytes);
            return this;
        }

        /**
         * The policy.
         *
         * @return an immutable policy; the builder can go on being used
         */
        public HttpPolicy build() {
            return new HttpPolicy(this);
        }

        private static Duration positive(Duration d) {
            Objects.requireNonNull(d, "limit");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("the time limit must be positive");
            }
            return d;
        }

        private static long nonNegative(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("the cap must not be negative");
            }
            return n;
        }
    }
}
