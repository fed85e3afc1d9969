package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TimeoutException;
import io.github.wasmtimejvm.TrapCode;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.module.Module;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Core modules importing wasi_snapshot_preview1, run with a WasiConfig (WAT guests). */
class WasiPreview1Test {

    private static final String IMPORTS = """
        (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
        (memory (export "memory") 1)
        ;; write(fd, ptr, len) through an iovec at 0
        (func $write (param $fd i32) (param $ptr i32) (param $len i32)
            (i32.store (i32.const 0) (local.get $ptr))
            (i32.store (i32.const 4) (local.get $len))
            (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
        """;

    /** Writes "hello\\n" to stdout and exits with 3. */
    private static final String HELLO = "(module " + IMPORTS + """
        (data (i32.const 64) "hello\\n")
        (func (export "_start")
            (call $write (i32.const 1) (i32.const 64) (i32.const 6))
            (call $exit (i32.const 3))))
        """;

    /** Writes its argv buffer to stdout and its environ buffer to stderr (NUL-separated). */
    private static final String ARGS_ENV = "(module " + IMPORTS + """
        (func (export "_start")
            (drop (call $args_sizes (i32.const 16) (i32.const 20)))
            (drop (call $args_get (i32.const 1024) (i32.const 4096)))
            (call $write (i32.const 1) (i32.const 4096) (i32.load (i32.const 20)))
            (drop (call $env_sizes (i32.const 16) (i32.const 20)))
            (drop (call $env_get (i32.const 1024) (i32.const 8192)))
            (call $write (i32.const 2) (i32.const 8192) (i32.load (i32.const 20)))))
        """;

    /** Copies stdin to stdout until end of input. */
    private static final String CAT = "(module " + IMPORTS + """
        (func (export "_start")
            (local $n i32)
            (block $done
                (loop $more
                    (i32.store (i32.const 0) (i32.const 1024))
                    (i32.store (i32.const 4) (i32.const 512))
                    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
                    (local.set $n (i32.load (i32.const 8)))
                    (br_if $done (i32.eqz (local.get $n)))
                    (call $write (i32.const 1) (i32.const 1024) (local.get $n))
                    (br $more)))))
        """;

    /** Writes the wall clock twice, the monotonic clock, and 8 random bytes (32 bytes in all). */
    private static final String CLOCKS_RANDOM = "(module " + IMPORTS + """
        (func (export "_start")
            (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 96)))
            (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 104)))
            (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 112)))
            (drop (call $random (i32.const 120) (i32.const 8)))
            (call $write (i32.const 1) (i32.const 96) (i32.const 32))))
        """;

    /** Writes 100 lines, one fd_write each. */
    private static final String LINES = "(module " + IMPORTS + """
        (data (i32.const 64) "line\\n")
        (func (export "_start")
            (local $i i32)
            (loop $more
                (call $write (i32.const 1) (i32.const 64) (i32.const 5))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $more (i32.lt_u (local.get $i) (i32.const 100))))))
        """;

    private static final String SPIN = "(module " + IMPORTS + """
        (func (export "_start") (loop $l (br $l))))
        """;

    private static Engine engine;

    @BeforeAll
    static void setUp() {
        engine = new Engine(Engine.Config.builder().epochInterruption(true).build());
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    private static Store store(WasiConfig config) {
        return Store.builder(engine).wasi(config).build();
    }

    @Test
    void exitCodeAndCapturedOutput() {
        try (Module m = Module.fromWat(engine, HELLO);
                Store s = store(WasiConfig.builder().captureStdout().build())) {
            assertEquals(3, m.runWasiCommand(s));
            assertEquals("hello\n", new String(s.capturedStdout(), StandardCharsets.UTF_8));
            assertEquals(0, s.capturedStderr().length);
        }
    }

    @Test
    void outputIsDiscardedUnlessAsked() {
        try (Module m = Module.fromWat(engine, HELLO); Store s = store(WasiConfig.defaults())) {
            assertEquals(3, m.runWasiCommand(s));
            assertEquals(0, s.capturedStdout().length);
        }
    }

    @Test
    void argsAndOnlyTheGivenEnvironment() {
        WasiConfig config = WasiConfig.builder()
                .argv0("prog").args("a b", "ünïcode")
                .env("ONLY", "this")
                .captureStdout().captureStderr()
                .build();
        try (Module m = Module.fromWat(engine, ARGS_ENV); Store s = store(config)) {
            assertEquals(0, m.runWasiCommand(s));
            assertEquals("prog\0a b\0ünïcode\0", new String(s.capturedStdout(), StandardCharsets.UTF_8));
            String env = new String(s.capturedStderr(), StandardCharsets.UTF_8);
            assertEquals("ONLY=this\0", env, "no host variable leaks in");
            assertFalse(System.getenv().isEmpty());
        }
    }

    @Test
    void stdinFromBytesAndFromAJavaStream() {
        byte[] input = "first line\nsecond, longer line than the 512-byte buffer? no\n".getBytes(StandardCharsets.UTF_8);
        try (Module m = Module.fromWat(engine, CAT)) {
            try (Store s = store(WasiConfig.builder().stdin(input).captureStdout().build())) {
                assertEquals(0, m.runWasiCommand(s));
                assertArrayEquals(input, s.capturedStdout());
            }
            byte[] big = new byte[300_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            try (Store s = store(WasiConfig.builder().stdin(new ByteArrayInputStream(big)).captureStdout().build())) {
                assertEquals(0, m.runWasiCommand(s));
                assertArrayEquals(big, s.capturedStdout());
            }
            try (Store s = store(WasiConfig.builder().captureStdout().build())) {
                assertEquals(0, m.runWasiCommand(s));
                assertEquals(0, s.capturedStdout().length, "empty stdin by default");
            }
        }
    }

    @Test
    void stdoutStreamsToJavaAsTheGuestWrites() {
        List<Integer> chunks = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream live = new OutputStream() {
            @Override
            public void write(int b) {
                all.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                chunks.add(len);
                all.write(b, off, len);
            }
        };
        try (Module m = Module.fromWat(engine, LINES);
                Store s = store(WasiConfig.builder().stdout(live).build())) {
            assertEquals(0, m.runWasiCommand(s));
        }
        assertEquals("line\n".repeat(100), all.toString(StandardCharsets.UTF_8));
        assertTrue(chunks.size() >= 50, "written as the guest writes, not once at exit: " + chunks.size());
    }

    @Test
    void aFailingJavaStreamIsAnErrorForTheGuestNotACrash() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        try (Module m = Module.fromWat(engine, HELLO);
                Store s = store(WasiConfig.builder().stdout(broken).build())) {
            assertEquals(3, m.runWasiCommand(s), "the guest saw a failed write and went on");
        }
    }

    @Test
    void deterministicClocksAndRandom() {
        Instant start = Instant.parse("2001-02-03T04:05:06Z");
        WasiConfig config = WasiConfig.builder()
                .wallClock(WasiClock.advancing(start, Duration.ofSeconds(1)))
                .monotonicClock(WasiClock.fixedNanos(42))
                .randomSeed(7)
                .captureStdout()
                .build();
        long[] first = new long[4];
        try (Module m = Module.fromWat(engine, CLOCKS_RANDOM)) {
            for (int round = 0; round < 2; round++) {
                try (Store s = store(config)) {
                    assertEquals(0, m.runWasiCommand(s));
                    ByteBuffer out = ByteBuffer.wrap(s.capturedStdout()).order(ByteOrder.LITTLE_ENDIAN);
                    long wall1 = out.getLong();
                    long wall2 = out.getLong();
                    long mono = out.getLong();
                    long random = out.getLong();
                    assertEquals(start.getEpochSecond() * 1_000_000_000L, wall1);
                    assertEquals(wall1 + 1_000_000_000L, wall2, "the clock advanced one step");
                    assertEquals(42, mono);
                    if (round == 0) {
                        first[0] = random;
                    } else {
                        assertEquals(first[0], random, "the same seed gives the same bytes in every store");
                    }
                }
            }
        }
        try (Module m = Module.fromWat(engine, CLOCKS_RANDOM);
                Store a = store(WasiConfig.builder().captureStdout().build());
                Store b = store(WasiConfig.builder().captureStdout().build())) {
            m.runWasiCommand(a);
            m.runWasiCommand(b);
            long ra = ByteBuffer.wrap(a.capturedStdout()).order(ByteOrder.LITTLE_ENDIAN).getLong(24);
            long rb = ByteBuffer.wrap(b.capturedStdout()).order(ByteOrder.LITTLE_ENDIAN).getLong(24);
            assertTrue(ra != rb, "without a seed, random bytes differ");
        }
    }

    @Test
    void aTimeLimitInterruptsARunawayGuestWithItsOwnException() {
        try (Module m = Module.fromWat(engine, SPIN);
                Store s = Store.builder(engine).wasi(WasiConfig.defaults()).timeout(Duration.ofMillis(200)).build()) {
            long t0 = System.nanoTime();
            TimeoutException e = assertThrows(TimeoutException.class, () -> m.runWasiCommand(s));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 150 && ms < 10_000, "interrupted after about the limit: " + ms + " ms");
            assertEquals(TrapCode.INTERRUPT, e.code());
            assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
        }
        try (Engine plain = new Engine()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Store.builder(plain).timeout(Duration.ofSeconds(1)).build());
            assertTrue(e.getMessage().contains("epoch interruption"), e.getMessage());
        }
    }

    @Test
    void fuelStopsARunawayGuestWithATrap() {
        try (Engine fuelEngine = new Engine(Engine.Config.builder().consumeFuel(true).build());
                Module m = Module.fromWat(fuelEngine, SPIN);
                Store s = Store.builder(fuelEngine).wasi(WasiConfig.defaults()).fuel(100_000).build()) {
            TrapException e = assertThrows(TrapException.class, () -> m.runWasiCommand(s));
            assertEquals(TrapCode.OUT_OF_FUEL, e.code());
        }
    }
}
