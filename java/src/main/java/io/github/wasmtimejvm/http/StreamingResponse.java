package io.github.wasmtimejvm.http;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A component's response whose body is read as the guest writes it ({@link HttpProxy#stream}).
 * Close it (or its body) when done: closing before the end stops the guest's further writes.
 *
 * <pre>{@code
 * try (StreamingResponse r = proxy.stream(HttpRequest.get("http://localhost/report"))) {
 *     r.body().transferTo(servletResponse.getOutputStream());   // never held whole
 * }
 * }</pre>
 *
 * <p>Reads of the body block until the guest has written more, at most the proxy's {@link
 * HttpProxy.Builder#bodyWait} each; a body that fails (the guest trapped or ran past its time
 * limit while writing it, or nothing came in time) throws an {@link java.io.IOException} whose
 * cause is the library's exception ({@link io.github.wasmtimejvm.TrapException}, {@link
 * HttpHandlerException}, ...).
 */
public final class StreamingResponse implements AutoCloseable {

    private final int status;
    private final Map<String, List<String>> headers;
    private final InputStream body;

    StreamingResponse(int status, Map<String, List<String>> headers, InputStream body) {
        this.status = status;
        this.headers = Headers.copy(headers);
        this.body = Objects.requireNonNull(body, "body");
    }

    /**
     * The status code.
     *
     * @return 100-999
     */
    public int status() {
        return status;
    }

    /**
     * The headers.
     *
     * @return lower-case names, each with its values in order
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * The first value of a header.
     *
     * @param name the name, in any case
     * @return the value, or null when the response has no such header
     */
    public String header(String name) {
        return Headers.first(headers, name);
    }

    /**
     * The body, read as the guest writes it; one reader at a time.
     *
     * @return the stream (the same one each time)
     */
    public InputStream body() {
        return body;
    }

    /** Closes the body; idempotent. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return status + " " + headers + " (streamed body)";
    }
}
