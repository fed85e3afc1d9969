package io.github.wasmtimejvm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's native library is checked before it is loaded: a truncated copy (two builds writing
 * one jar at once did that here, and loading it crashed the JVM with SIGBUS inside the dynamic
 * loader) is an UnsatisfiedLinkError naming both checksums.
 */
class NativeLibraryTest {

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aLibraryWithItsChecksumIsCopied(@TempDir Path dir) throws Exception {
        byte[] lib = "\u007fELF and the rest".getBytes(StandardCharsets.ISO_8859_1);
        Path target = dir.resolve("lib.so");
        NativeLibrary.copyVerified(new ByteArrayInputStream(lib), sha256(lib), target, "lib.so");
        assertArrayEquals(lib, Files.readAllBytes(target));
    }

    @Test
    void aTruncatedLibraryIsRefusedBeforeLoading(@TempDir Path dir) throws Exception {
        byte[] lib = new byte[4096];
        Arrays.fill(lib, (byte) 7);
        byte[] truncated = Arrays.copyOf(lib, 1000);
        Path target = dir.resolve("lib.so");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.copyVerified(new ByteArrayInputStream(truncated), sha256(lib), target, "lib.so"));
        assertTrue(e.getMessage().contains("lib.so in the jar is damaged (1000 bytes with SHA-256 " + sha256(truncated)
                + ", the build wrote " + sha256(lib) + ")"), e.getMessage());
    }

    @Test
    void aJarWithoutChecksumsStillLoads(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("lib.so");
        NativeLibrary.copyVerified(new ByteArrayInputStream(new byte[] {1, 2, 3}), null, target, "lib.so");
        assertEquals(3, Files.size(target));
    }

    /** A jar of target/classes whose native libraries {@code library} rewrites (null: left out). */
    private static Path jar(Path dir, java.util.function.UnaryOperator<byte[]> library) throws Exception {
        Path classes = Path.of("target/classes").toAbsolutePath();
        Path jar = dir.resolve("test.jar");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(
                        new java.io.BufferedOutputStream(Files.newOutputStream(jar), 1 << 20));
                java.util.stream.Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                byte[] bytes = Files.readAllBytes(f);
                if (name.startsWith("META-INF/native/")) {
                    bytes = name.endsWith(".sha256") ? bytes : library.apply(bytes);
                    if (bytes == null) {
                        continue;
                    }
                }
                // Stored, not deflated: under -Xcheck:jni every deflate call copies the array it works on.
                java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(name);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(bytes);
                entry.setMethod(java.util.zip.ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(bytes);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Runs the CLI's {@code --invoke 'add(1, 2)'} from {@code jar} in a JVM of its own. */
    private static String runCli(Path jar, int expectedExit) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", jar.toString(), "io.github.wasmtimejvm.cli.Main", "--invoke", "add(1, 2)",
                Path.of("../corpus/components/add.wat").toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(expectedExit, p.waitFor(), output);
        assertFalse(output.contains("SIGBUS") || output.contains("fatal error"), output);
        return output;
    }

    /**
     * End to end: a jar whose library was cut short (as by a build that packed it while another
     * was still writing it) fails with the damage named, and exit code 1 from the CLI, where it
     * used to die of SIGBUS in ld.so.
     */
    @Test
    void aDamagedJarFailsWithAMessageNotACrash(@TempDir Path dir) throws Exception {
        String output = runCli(jar(dir, bytes -> Arrays.copyOf(bytes, bytes.length / 3)), 1);
        assertTrue(output.contains("in the jar is damaged"), output);
    }

    @Test
    void aJarWithoutThisPlatformSaysWhichItHas(@TempDir Path dir) throws Exception {
        String output = runCli(jar(dir, bytes -> null), 1);
        assertTrue(output.contains("no wasmtime-jvm native library for " + NativeLibrary.platform() + ": this jar has none"),
                output);
        assertEquals("3\n", runCli(jar(Files.createDirectories(dir.resolve("whole")), bytes -> bytes), 0)
                .replace("\r", ""), "the same jar with its library works");
    }

    @Test
    void theClassesFolderListsItsPlatforms() {
        java.util.List<String> platforms = NativeLibrary.platformsInJar();
        assertTrue(platforms.contains(NativeLibrary.platform()), platforms.toString());
        assertTrue(java.util.List.of("linux-aarch64", "linux-x86_64", "macos-aarch64", "macos-x86_64", "windows-x86_64")
                .containsAll(platforms), "only the platforms native/build-native.sh builds: " + platforms);
        assertFalse(NativeLibrary.isMusl(), "this machine is Debian, glibc");
    }

    @Test
    void theBuildWroteTheChecksumOfTheStrippedLibrary(@TempDir Path dir) throws Exception {
        String resource = "/META-INF/native/" + NativeLibrary.platform() + "/"
                + System.mapLibraryName("wasmtime_jvm-" + NativeLibrary.version());
        byte[] lib;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            lib = in.readAllBytes();
        }
        String written;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource + ".sha256")) {
            assertNotNull(in, resource + ".sha256");
            written = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        assertEquals(sha256(lib), written);
        Path copy = Files.write(dir.resolve("lib.so"), lib);
        Process readelf = new ProcessBuilder("readelf", "-S", "-W", copy.toString()).redirectErrorStream(true).start();
        String sections = new String(readelf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, readelf.waitFor(), sections);
        assertTrue(sections.contains(".dynsym"), sections);
        assertFalse(sections.contains(" .symtab "), "the shipped library is stripped:\n" + sections);
    }
}
