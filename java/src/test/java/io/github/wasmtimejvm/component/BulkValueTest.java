package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Strings and {@code list<u8>} values pass between Java and the guest as bytes, whatever their
 * size: a {@code byte[]} result above the ~4 MiB that wasmtime's host-call fuel allows a {@code
 * list<u8>} built as one {@code Val} per byte comes back whole, and a large argument costs about
 * its size in native memory, not 32 bytes a byte.
 */
class BulkValueTest {
    private EchoFixture fx;

    @BeforeEach
    void setUp() {
        fx = EchoFixture.open();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void byteArraysOfEverySizeRoundTrip() {
        Func echo = fx.instance.func("echo-list-u8");
        for (int n : new int[] {0, 1, 4095, 64 * 1024, 6 << 20, 24 << 20}) {
            byte[] in = pattern(n);
            assertArrayEquals(in, (byte[]) echo.call((Object) in), n + " bytes");
        }
    }

    @Test
    void largeStringsRoundTrip() {
        Func echo = fx.instance.func("echo-string");
        for (int n : new int[] {0, 1, 1 << 20, 12 << 20}) {
            char[] chars = new char[n];
            Arrays.fill(chars, 'x');
            String s = new String(chars) + "Zoë 🌍";
            assertEquals(s, echo.call(s), n + " chars");
        }
    }

    /**
     * The child JVM of {@link #aLargeByteArgumentCostsAboutItsSizeInNativeMemory}: its heap is
     * committed and touched up front ({@code -Xms = -Xmx}, {@code AlwaysPreTouch}), so what its
     * RSS gains during a call is native memory. Prints the peak gain of one echo of 64 MiB.
     */
    public static void main(String[] args) throws Exception {
        try (EchoFixture fx = EchoFixture.open()) {
            Func echo = fx.instance.func("echo-list-u8");
            byte[] in = pattern(64 << 20);
            echo.call((Object) in); // warm: the guest's memory has grown to hold the list once
            long before = rss();
            long[] peak = {before};
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak[0] = Math.max(peak[0], rss());
                    try {
                        Thread.sleep(0, 200_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            byte[] out = (byte[]) echo.call((Object) in);
            sampler.interrupt();
            sampler.join();
            peak[0] = Math.max(peak[0], rss());
            if (!Arrays.equals(in, out)) {
                throw new AssertionError("echo changed the bytes");
            }
            System.out.println("native-growth " + (peak[0] - before) + " argument " + in.length);
        }
    }

    @Test
    void aLargeByteArgumentCostsAboutItsSizeInNativeMemory() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch",
                        "-Dwasmtime.jvm.corpus=" + io.github.wasmtimejvm.Fixtures.corpus().toAbsolutePath(),
                        "-cp", System.getProperty("java.class.path"), BulkValueTest.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        Matcher m = Pattern.compile("native-growth (\\d+) argument (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long growth = Long.parseLong(m.group(1));
        long size = Long.parseLong(m.group(2));
        // One call holds the argument in the call buffer and the result on its way back once:
        // about 2x. (A Val per byte made the argument alone ~32x.)
        assertTrue(growth <= 3 * size, "native memory grew by " + (growth >> 20) + " MiB for a "
                + (size >> 20) + " MiB argument and its echo");
        System.out.println("BulkValueTest: native memory grew by " + (growth >> 20) + " MiB for a "
                + (size >> 20) + " MiB list<u8> argument and its echo");
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS");
    }
}
