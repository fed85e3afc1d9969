package io.github.wasmtimejvm.wasi;

import io.github.wasmtimejvm.wit.ComponentType;
import io.github.wasmtimejvm.wit.ItemType;
import io.github.wasmtimejvm.wit.NamedItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a component asks of its host, read from its imports before it runs: the WASI interfaces
 * and functions it imports, grouped as a user reads them (filesystem, sockets, HTTP, clocks,
 * random, stdio, environment, exit), and the imports that are not WASI. A host can refuse a
 * plugin that asks for more than it grants:
 *
 * <pre>{@code
 * Capabilities caps = Capabilities.of(component.type());
 * if (caps.uses(Capabilities.Kind.SOCKETS) || caps.uses(Capabilities.Kind.HTTP)) {
 *     throw new SecurityException("plugins get no network: " + caps);
 * }
 * }</pre>
 *
 * <p>An import says what a component <em>may</em> call, not what it will: toolchains such as
 * componentize-py import most of {@code wasi:cli}, {@code wasi:filesystem} and {@code
 * wasi:sockets} whatever the program does. What a guest is allowed at run time is the {@link
 * WasiConfig}'s business (preopens, {@link NetworkPolicy}); this report is what it could ask for.
 *
 * @param uses the interfaces imported, by kind, in import order; kinds not used are absent
 */
public record Capabilities(Map<Kind, List<Use>> uses) {

    /**
     * Copies the map.
     *
     * @param uses the interfaces imported, by kind
     * @throws NullPointerException if {@code uses} or one of its lists is null
     */
    public Capabilities {
        Map<Kind, List<Use>> copy = new EnumMap<>(Kind.class);
        uses.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        uses = Collections.unmodifiableMap(copy);
    }

    /** A group of imports, as a user reads them. */
    public enum Kind {
        /** Files and directories: {@code wasi:filesystem/*}. */
        FILESYSTEM,
        /** Network sockets and name lookup: {@code wasi:sockets/*}. */
        SOCKETS,
        /** Outgoing HTTP requests and HTTP types: {@code wasi:http/*}. */
        HTTP,
        /** Wall-clock and monotonic time: {@code wasi:clocks/*}. */
        CLOCKS,
        /** Random bytes, secure and insecure: {@code wasi:random/*}. */
        RANDOM,
        /** Standard input, output, error and terminals: {@code wasi:cli/std*}, {@code terminal-*}. */
        STDIO,
        /** Arguments, environment variables and the working directory: {@code wasi:cli/environment}. */
        ENVIRONMENT,
        /** Ending the program with a status: {@code wasi:cli/exit}. */
        EXIT,
        /** Streams, polling and errors, the plumbing the others use: {@code wasi:io/*}. */
        IO,
        /** Any other {@code wasi:} interface (for example {@code wasi:config}, {@code wasi:keyvalue}). */
        OTHER_WASI,
        /** Imports that are not WASI: what the embedding host itself must provide. */
        HOST;

        /**
         * The kind's name in reports.
         *
         * @return the kind's name as a report prints it, e.g. {@code filesystem}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One import.
     *
     * @param name the import's name, e.g. {@code wasi:filesystem/types@0.2.6} or {@code get-value}
     * @param functions the functions it brings, by name (for an interface, its functions and
     *     resource methods such as {@code [method]descriptor.read-via-stream}; for a function
     *     import, the function itself)
     */
    public record Use(String name, List<String> functions) {
        /**
         * Copies the list.
         *
         * @param name the import's name
         * @param functions the functions it brings
         * @throws NullPointerException if {@code name}, {@code functions} or one of its names is null
         */
        public Use {
            Objects.requireNonNull(name, "name");
            functions = List.copyOf(functions);
        }
    }

    /**
     * Reads the capabilities of a component from its type ({@code component.type()}).
     *
     * @param type the component's type
     * @return its imports grouped by {@link Kind}
     */
    public static Capabilities of(ComponentType type) {
        Objects.requireNonNull(type, "type");
        Map<Kind, List<Use>> uses = new EnumMap<>(Kind.class);
        for (NamedItem i : type.imports()) {
            List<String> functions = new ArrayList<>();
            if (i.type() instanceof ItemType.Instance instance) {
                for (NamedItem e : instance.exports()) {
                    if (e.type() instanceof ItemType.Func) {
                        functions.add(e.name());
                    }
                }
            } else if (i.type() instanceof ItemType.Func) {
                functions.add(i.name());
            }
            uses.computeIfAbsent(kindOf(i.name()), k -> new ArrayList<>()).add(new Use(i.name(), functions));
        }
        return new Capabilities(uses);
    }

    /**
     * The kind of an import called {@code name}.
     *
     * @param name an import's name, e.g. {@code wasi:sockets/tcp@0.2.6}
     * @return the kind its interface belongs to; {@link Kind#HOST} for an import outside {@code wasi:}
     */
    public static Kind kindOf(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith("wasi:")) {
            return Kind.HOST;
        }
        int slash = name.indexOf('/');
        int at = name.indexOf('@', Math.max(slash, 0));
        String pkg = slash < 0 ? name : name.substring("wasi:".length(), slash);
        String iface = slash < 0 ? "" : name.substring(slash + 1, at < 0 ? name.length() : at);
        switch (pkg) {
            case "filesystem":
                return Kind.FILESYSTEM;
            case "sockets":
                return Kind.SOCKETS;
            case "http":
                return Kind.HTTP;
            case "clocks":
                return Kind.CLOCKS;
            case "random":
                return Kind.RANDOM;
            case "io":
                return Kind.IO;
            case "cli":
                if (iface.equals("environment")) {
                    return Kind.ENVIRONMENT;
                }
                if (iface.equals("exit")) {
                    return Kind.EXIT;
                }
                if (iface.startsWith("std") || iface.startsWith("terminal-")) {
                    return Kind.STDIO;
                }
                return Kind.OTHER_WASI;
            default:
                return Kind.OTHER_WASI;
        }
    }

    /**
     * The kinds of capability the component's imports reach.
     *
     * @return the kinds this component imports something of
     */
    public Set<Kind> kinds() {
        return uses.keySet();
    }

    /**
     * Whether the component could reach a kind of capability.
     *
     * @param kind the kind asked about
     * @return whether the component imports anything of {@code kind}
     */
    public boolean uses(Kind kind) {
        return uses.containsKey(kind);
    }

    /**
     * The imports of one kind, with the functions each brings.
     *
     * @param kind the kind asked about
     * @return the imports of {@code kind}, empty when it has none
     */
    public List<Use> imports(Kind kind) {
        return uses.getOrDefault(kind, List.of());
    }

    /**
     * Whether the component imports nothing.
     *
     * @return whether the component imports nothing at all
     */
    public boolean isEmpty() {
        return uses.isEmpty();
    }

    /**
     * The report, one kind a line with its imports and their functions, e.g. {@code clocks:
     * wasi:clocks/wall-clock@0.2.6 (now, resolution)}; {@code imports nothing} when empty.
     */
    @Override
    public String toString() {
        if (uses.isEmpty()) {
            return "imports nothing\n";
        }
        StringBuilder sb = new StringBuilder();
        uses.forEach((kind, list) -> {
            sb.append(kind.label()).append(':');
            for (int i = 0; i < list.size(); i++) {
                Use u = list.get(i);
                sb.append(i == 0 ? " " : ", ").append(u.name());
                boolean function = u.functions().equals(List.of(u.name()));
                if (!u.functions().isEmpty() && !function) {
                    sb.append(" (").append(String.join(", ", u.functions())).append(')');
                }
            }
            sb.append('\n');
        });
        return sb.toString();
    }
}
