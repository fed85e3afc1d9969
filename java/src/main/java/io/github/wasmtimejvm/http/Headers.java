package io.github.wasmtimejvm.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Header maps as {@link HttpRequest} and {@link HttpResponse} keep them. */
final class Headers {
    private Headers() {}

    /**
     * An unmodifiable copy with lower-case names, in order, each name once with all its values.
     */
    static Map<String, List<String>> copy(Map<String, List<String>> headers) {
        Objects.requireNonNull(headers, "headers");
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            Objects.requireNonNull(name, "a header name");
            Objects.requireNonNull(values, "the values of header " + name);
            List<String> list = out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
            for (String v : values) {
                list.add(Objects.requireNonNull(v, "a value of header " + name));
            }
        });
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    /** A copy with {@code name: value} added after what is there. */
    static Map<String, List<String>> with(Map<String, List<String>> headers, String name, String value) {
        Map<String, List<String>> out = new LinkedHashMap<>(headers);
        List<String> values = new ArrayList<>(out.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
        values.add(Objects.requireNonNull(value, "value"));
        out.put(name.toLowerCase(Locale.ROOT), values);
        return copy(out);
    }

    /** The first value of {@code name}, case-insensitively, or null. */
    static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
