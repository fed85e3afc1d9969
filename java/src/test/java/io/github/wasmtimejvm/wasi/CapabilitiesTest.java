package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.wasi.Capabilities.Kind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The capability report: a component's imports grouped by what they give access to. */
class CapabilitiesTest {

    static Engine engine;

    @BeforeAll
    static void engine() {
        engine = new Engine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void importNamesMapToKinds() {
        assertEquals(Kind.FILESYSTEM, Capabilities.kindOf("wasi:filesystem/preopens@0.2.6"));
        assertEquals(Kind.SOCKETS, Capabilities.kindOf("wasi:sockets/tcp@0.2.0"));
        assertEquals(Kind.HTTP, Capabilities.kindOf("wasi:http/outgoing-handler@0.2.6"));
        assertEquals(Kind.CLOCKS, Capabilities.kindOf("wasi:clocks/monotonic-clock@0.2.6"));
        assertEquals(Kind.RANDOM, Capabilities.kindOf("wasi:random/insecure-seed@0.2.6"));
        assertEquals(Kind.STDIO, Capabilities.kindOf("wasi:cli/stdout@0.2.6"));
        assertEquals(Kind.STDIO, Capabilities.kindOf("wasi:cli/terminal-stdin@0.2.6"));
        assertEquals(Kind.ENVIRONMENT, Capabilities.kindOf("wasi:cli/environment@0.2.6"));
        assertEquals(Kind.EXIT, Capabilities.kindOf("wasi:cli/exit@0.2.6"));
        assertEquals(Kind.IO, Capabilities.kindOf("wasi:io/streams@0.2.6"));
        assertEquals(Kind.OTHER_WASI, Capabilities.kindOf("wasi:config/store@0.2.0-draft"));
        assertEquals(Kind.OTHER_WASI, Capabilities.kindOf("wasi:cli/run@0.2.6"));
        assertEquals(Kind.HOST, Capabilities.kindOf("docs:calc/adder@0.1.0"));
        assertEquals(Kind.HOST, Capabilities.kindOf("get-value"));
        assertEquals(Kind.HOST, Capabilities.kindOf("wasix:thing/x"));
    }

    @Test
    void aComponentWithoutImportsAsksForNothing() {
        try (Component adder = Component.fromFile(engine, Guests.path(Guests.ADDER_C))) {
            Capabilities caps = Capabilities.of(adder.type());
            assertTrue(caps.isEmpty());
            assertEquals("imports nothing\n", caps.toString());
        }
    }

    @Test
    void functionsOfEachInterfaceAreListed() {
        try (Component c = Component.fromWat(engine, """
                (component
                  (import "wasi:clocks/wall-clock@0.2.6" (instance
                    (export "now" (func (result u64)))
                    (export "resolution" (func (result u64)))))
                  (import "wasi:random/random@0.2.6" (instance
                    (export "get-random-u64" (func (result u64)))))
                  (import "log" (func (param "msg" string)))
                  (import "docs:calc/adder@0.1.0" (instance
                    (export "add" (func (param "a" u32) (param "b" u32) (result u32))))))
                """)) {
            Capabilities caps = Capabilities.of(c.type());
            assertEquals(Set.of(Kind.CLOCKS, Kind.RANDOM, Kind.HOST), caps.kinds());
            assertEquals(List.of(new Capabilities.Use("wasi:clocks/wall-clock@0.2.6", List.of("now", "resolution"))),
                    caps.imports(Kind.CLOCKS));
            assertFalse(caps.uses(Kind.FILESYSTEM));
            assertEquals(List.of(), caps.imports(Kind.FILESYSTEM));
            assertEquals(String.join("\n",
                    "clocks: wasi:clocks/wall-clock@0.2.6 (now, resolution)",
                    "random: wasi:random/random@0.2.6 (get-random-u64)",
                    "host: log, docs:calc/adder@0.1.0 (add)",
                    ""), caps.toString());
        }
    }

    @Test
    void aRealCommandShowsItsFilesystemSocketsAndStdio() {
        try (Component probe = Component.fromFile(engine, Guests.path("net-probe.component.wasm"))) {
            Capabilities caps = Capabilities.of(probe.type());
            for (Kind k : List.of(Kind.FILESYSTEM, Kind.SOCKETS, Kind.STDIO, Kind.ENVIRONMENT, Kind.EXIT, Kind.IO,
                    Kind.CLOCKS)) {
                assertTrue(caps.uses(k), k + " in " + caps);
            }
            assertFalse(caps.uses(Kind.HTTP), caps.toString());
            assertFalse(caps.uses(Kind.HOST), caps.toString());
            assertTrue(caps.imports(Kind.FILESYSTEM).stream().anyMatch(u -> u.functions().contains("get-directories")),
                    caps.toString());
            assertTrue(caps.imports(Kind.SOCKETS).stream().anyMatch(u -> u.name().startsWith("wasi:sockets/tcp@")),
                    caps.toString());
        }
    }
}
