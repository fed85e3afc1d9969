package io.github.wasmtimejvm.wasitestsuite;

import io.github.wasmtimejvm.conformance.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test case's specification, read as SPECIFICATION.md describes (and as the suite's reference
 * runner, test-runner/wasi_test_runner/test_case.py, reads it): either the legacy form ({@code
 * args, root, env, exit_code, stdout, stderr}), converted to {@code run}, {@code read}s and {@code
 * wait}, or the operation-based form ({@code operations, proposals, world, servers}). A missing
 * spec file means the default: run with nothing, wait for exit code 0.
 *
 * @param operations the operations, in order
 * @param proposals WASI proposals the test needs enabled
 * @param world the WASI world the test targets
 * @param servers the number of HTTP servers the test wants stood up
 * @param warnings unknown keys (the reference runner warns about them and goes on)
 */
record TestSpec(List<Op> operations, List<String> proposals, String world, int servers,
        List<String> warnings) {

    static final String CLI_COMMAND = "wasi:cli/command";

    private static final Set<String> LEGACY_KEYS =
            Set.of("args", "root", "env", "exit_code", "stderr", "stdout");
    private static final Set<String> OPERATION_KEYS = Set.of("operations", "proposals", "world", "servers");
    private static final Set<String> KNOWN_OPERATIONS =
            Set.of("run", "wait", "read", "write", "connect", "send", "recv", "request", "kill");

    /** One step of a test case. */
    sealed interface Op permits Run, Wait, Read, Other {}

    /**
     * Starts the program.
     *
     * @param args arguments after the program name
     * @param env the whole environment
     * @param root the directory (relative to the test's folder) to preopen as {@code /}, or null
     */
    record Run(List<String> args, Map<String, String> env, String root) implements Op {}

    /** Waits for the program to end and checks its exit code. */
    record Wait(int exitCode) implements Op {}

    /** Reads as many characters as {@code payload} has from a stream and compares them. */
    record Read(String stream, String payload) implements Op {}

    /** An operation this runner does not perform (sockets, HTTP, stdin writes, signals). */
    record Other(String type) implements Op {}

    /** The default spec, for a program without a .json file. */
    static TestSpec defaults() {
        return new TestSpec(List.of(new Run(List.of(), Map.of(), null), new Wait(0)), List.of(),
                CLI_COMMAND, 0, List.of());
    }

    /** Reads the spec of {@code wasm} ({@code NAME.json} next to {@code NAME.wasm}), if any. */
    static TestSpec forProgram(Path wasm) throws IOException {
        String file = wasm.getFileName().toString();
        Path json = wasm.resolveSibling(file.substring(0, file.length() - ".wasm".length()) + ".json");
        if (!Files.exists(json)) {
            return defaults();
        }
        return parse(Files.readString(json, StandardCharsets.UTF_8));
    }

    /**
     * Parses and validates a spec.
     *
     * @throws IllegalArgumentException if it is malformed or breaks a validation rule
     */
    static TestSpec parse(String text) {
        if (!(Json.parse(text) instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("the spec is not a JSON object");
        }
        Map<String, Object> config = strings(raw);
        boolean operationBased = present(config, "operations") || present(config, "proposals")
                || present(config, "servers");
        Set<String> keys = config.keySet();
        if (keys.stream().anyMatch(OPERATION_KEYS::contains) && keys.stream().anyMatch(LEGACY_KEYS::contains)) {
            throw new IllegalArgumentException("the spec mixes the legacy and operation-based styles");
        }
        List<String> warnings = new ArrayList<>();
        Set<String> expected = operationBased ? OPERATION_KEYS : LEGACY_KEYS;
        for (String k : keys) {
            if (!expected.contains(k)) {
                warnings.add("unknown field in the spec: " + k);
            }
        }
        TestSpec spec;
        if (operationBased) {
            List<Op> ops = new ArrayList<>();
            if (present(config, "operations")) {
                for (Object o : list(config.get("operations"), "operations")) {
                    ops.add(operation(o));
                }
            }
            List<String> proposals = new ArrayList<>();
            if (present(config, "proposals")) {
                for (Object p : list(config.get("proposals"), "proposals")) {
                    proposals.add(string(p, "proposals[]"));
                }
            }
            int servers = present(config, "servers") ? list(config.get("servers"), "servers").size() : 0;
            String world = present(config, "world") ? string(config.get("world"), "world") : CLI_COMMAND;
            spec = new TestSpec(List.copyOf(ops), List.copyOf(proposals), world, servers, warnings);
        } else {
            // The legacy form as the reference runner converts it: run, read stdout if given,
            // read stderr if given, wait (exit code 0 unless given).
            List<Op> ops = new ArrayList<>();
            ops.add(run(config));
            if (present(config, "stdout")) {
                ops.add(new Read("stdout", string(config.get("stdout"), "stdout")));
            }
            if (present(config, "stderr")) {
                ops.add(new Read("stderr", string(config.get("stderr"), "stderr")));
            }
            ops.add(new Wait(present(config, "exit_code") ? integer(config.get("exit_code"), "exit_code") : 0));
            spec = new TestSpec(List.copyOf(ops), List.of(), CLI_COMMAND, 0, warnings);
        }
        spec.validate();
        return spec;
    }

    /**
     * The validation rules of SPECIFICATION.md: every run paired with a wait, reads (and the other
     * stream operations) only while a program runs. Connection ids are not checked: this runner
     * performs no connection operation, and a spec with one fails as unsupported.
     */
    private void validate() {
        boolean running = false;
        for (Op op : operations) {
            if (op instanceof Run) {
                if (running) {
                    throw new IllegalArgumentException("a run before the previous run's wait");
                }
                running = true;
            } else if (op instanceof Wait) {
                if (!running) {
                    throw new IllegalArgumentException("a wait without a run");
                }
                running = false;
            } else if (op instanceof Read r) {
                if (!running) {
                    throw new IllegalArgumentException("a read outside a run");
                }
                if (!r.stream().equals("stdout") && !r.stream().equals("stderr")) {
                    throw new IllegalArgumentException("a read of an unknown stream: " + r.stream());
                }
            } else if (op instanceof Other o && !running) {
                throw new IllegalArgumentException("a " + o.type() + " outside a run");
            }
        }
        if (running) {
            throw new IllegalArgumentException("a run without a wait");
        }
    }

    /** Why this runner cannot execute the spec as written, or null when it can. */
    String unsupported() {
        if (!world.equals(CLI_COMMAND)) {
            return "the test targets the world " + world + ", this runner runs only " + CLI_COMMAND;
        }
        if (!proposals.isEmpty()) {
            return "the test needs the WASI proposals " + proposals + ", which this runner does not enable";
        }
        if (servers > 0) {
            return "the test needs HTTP servers, which this runner does not stand up";
        }
        for (Op op : operations) {
            if (op instanceof Other o) {
                return "the test uses the operation `" + o.type() + "`, which this runner does not perform";
            }
        }
        return null;
    }

    private static Op operation(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("an operation is not a JSON object");
        }
        Map<String, Object> op = strings(m);
        Object type = op.get("type");
        if (!(type instanceof String t) || !KNOWN_OPERATIONS.contains(t)) {
            throw new IllegalArgumentException("unsupported operation type " + type);
        }
        return switch (t) {
            case "run" -> run(op);
            case "wait" -> new Wait(present(op, "exit_code") ? integer(op.get("exit_code"), "exit_code") : 0);
            case "read" -> new Read(present(op, "id") ? string(op.get("id"), "id") : "stdout",
                    present(op, "payload") ? string(op.get("payload"), "payload") : "");
            default -> new Other(t);
        };
    }

    private static Run run(Map<String, Object> config) {
        List<String> args = new ArrayList<>();
        if (present(config, "args")) {
            for (Object a : list(config.get("args"), "args")) {
                args.add(string(a, "args[]"));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (present(config, "env")) {
            if (!(config.get("env") instanceof Map<?, ?> e)) {
                throw new IllegalArgumentException("env is not an object");
            }
            strings(e).forEach((k, v) -> env.put(k, string(v, "env." + k)));
        }
        // The reference runner treats a missing, null or empty root alike: nothing preopened.
        String root = null;
        if (present(config, "root")) {
            root = string(config.get("root"), "root");
            if (root.isEmpty()) {
                root = null;
            }
        }
        return new Run(List.copyOf(args), java.util.Collections.unmodifiableMap(env), root);
    }

    private static boolean present(Map<String, Object> config, String key) {
        Object v = config.get(key);
        return v != null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> strings(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static List<?> list(Object v, String what) {
        if (v instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(what + " is not an array");
    }

    private static String string(Object v, String what) {
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(what + " is not a string");
    }

    private static int integer(Object v, String what) {
        if (v instanceof BigInteger n && n.bitLength() < 32) {
            return n.intValue();
        }
        throw new IllegalArgumentException(what + " is not an integer");
    }
}
