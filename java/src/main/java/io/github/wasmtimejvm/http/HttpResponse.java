package io.github.wasmtimejvm.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a component's {@code wasi:http/incoming-handler} answered, with its whole body.
 *
 * @param status the status code (100-999)
 * @param headers the headers, lower-case names, each with its values in order
 * @param body the body
 */
public record HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {

    /**
     * Checks the response and copies its headers.
     *
     * @param status the status code
     * @param headers the headers
     * @param body the body
     * @throws NullPointerException if {@code headers} or {@code body} is null
     */
    public HttpResponse {
        Objects.requireNonNull(body, "body");
        headers = Headers.copy(headers);
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
     * The body as UTF-8 text.
     *
     * @return the text
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return status + " " + headers + " (" + body.length + " bytes of body)";
    }
}
