package io.github.wasmtimejvm.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request to hand to a component's {@code wasi:http/incoming-handler}, with its whole
 * body.
 *
 * <p>Header names are kept in lower case (HTTP names are case-insensitive); values are text of
 * ISO-8859-1 characters, each one byte on the wire, as the JDK's own HTTP server gives them.
 *
 * @param method the method: {@code GET}, {@code POST}, ... (any HTTP token)
 * @param uri an absolute URI ({@code http://host:port/path?query}), or a path with query and a
 *     {@code host} header: the guest sees the scheme, authority and path-with-query it names
 * @param headers the headers, each name with its values in order
 * @param body the body (not copied: do not change it after handing it over)
 */
public record HttpRequest(String method, String uri, Map<String, List<String>> headers, byte[] body) {

    /**
     * Checks the request and copies its headers.
     *
     * @param method the method
     * @param uri the URI
     * @param headers the headers
     * @param body the body
     * @throws NullPointerException if any of them is null
     * @throws IllegalArgumentException if the method is empty
     */
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        if (method.isEmpty()) {
            throw new IllegalArgumentException("the method must not be empty");
        }
        headers = Headers.copy(headers);
    }

    /**
     * A {@code GET} request without headers or body.
     *
     * @param uri an absolute URI
     * @return the request
     */
    public static HttpRequest get(String uri) {
        return new HttpRequest("GET", uri, Map.of(), new byte[0]);
    }

    /**
     * A {@code POST} request with a body.
     *
     * @param uri an absolute URI
     * @param body the body
     * @return the request
     */
    public static HttpRequest post(String uri, byte[] body) {
        return new HttpRequest("POST", uri, Map.of(), body);
    }

    /**
     * This request with one more header value.
     *
     * @param name the header name
     * @param value its value
     * @return a new request
     */
    public HttpRequest withHeader(String name, String value) {
        return new HttpRequest(method, uri, Headers.with(headers, name, value), body);
    }

    /**
     * The first value of a header.
     *
     * @param name the name, in any case
     * @return the value, or null when the request has no such header
     */
    public String header(String name) {
        return Headers.first(headers, name);
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the text
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + uri + " " + headers + " (" + body.length + " bytes of body)";
    }
}
