package io.github.wasmtimejvm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads the native library, once: from the path in the system property {@code
 * wasmtime.jvm.library.path} if set; else with {@code System.loadLibrary("wasmtime_jvm")} (from
 * {@code java.library.path}); else by extracting {@code
 * META-INF/native/<os>-<arch>/libwasmtime_jvm-<version>.so} from the jar into a temporary file.
 * The version in the file name keeps a stale copy from being loaded; the loaded library's version
 * is checked against the jar's.
 */
public final class NativeLibrary {
    /** The system property naming an explicit library file. */
    public static final String PATH_PROPERTY = "wasmtime.jvm.library.path";

    private static final String NAME = "wasmtime_jvm";
    private static volatile boolean loaded;

    private NativeLibrary() {}

    /** The version of this jar (from {@code META-INF/wasmtime-jvm.properties}). */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = NativeLibrary.class.getResourceAsStream("/META-INF/wasmtime-jvm.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    /** The platform folder name, such as {@code linux-x86_64}. */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux"
                : os.contains("mac") || os.contains("darwin") ? "macos"
                : os.contains("windows") ? "windows" : os.replace(' ', '_');
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return osName + "-" + archName;
    }

    /** Loads the library if it is not loaded yet. */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            System.load(Path.of(explicit).toAbsolutePath().toString());
        } else {
            try {
                System.loadLibrary(NAME);
            } catch (UnsatisfiedLinkError notOnPath) {
                loadFromJar(notOnPath);
            }
        }
        loaded = true;
        String expected = version();
        String actual = nativeVersion();
        if (!"unknown".equals(expected) && !expected.equals(actual)) {
            throw new UnsatisfiedLinkError("wasmtime-jvm native library version " + actual
                    + " does not match the jar's version " + expected
                    + "; remove the stale library or set -D" + PATH_PROPERTY);
        }
    }

    private static void loadFromJar(UnsatisfiedLinkError notOnPath) {
        String platform = platform();
        String file = System.mapLibraryName(NAME + "-" + version());
        String resource = "/META-INF/native/" + platform + "/" + file;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                List<String> has = platformsInJar();
                UnsatisfiedLinkError e = new UnsatisfiedLinkError("no wasmtime-jvm native library for "
                        + platform + (isMusl() ? " with musl libc" : "") + ": this jar has "
                        + (has.isEmpty() ? "none" : "libraries for " + String.join(", ", has))
                        + " (looked for " + resource + " in the jar, for "
                        + System.mapLibraryName(NAME) + " on java.library.path, and the property "
                        + PATH_PROPERTY + " is not set)");
                e.addSuppressed(notOnPath);
                throw e;
            }
            String expected = checksum(resource + ".sha256");
            Path dir = Files.createTempDirectory("wasmtime-jvm");
            Path target = dir.resolve(file);
            try {
                copyVerified(in, expected, target, resource);
            } catch (UnsatisfiedLinkError | IOException e) {
                Files.deleteIfExists(target);
                Files.deleteIfExists(dir);
                throw e;
            }
            try {
                System.load(target.toAbsolutePath().toString());
            } catch (UnsatisfiedLinkError e) {
                if (!isMusl()) {
                    throw e;
                }
                UnsatisfiedLinkError musl = new UnsatisfiedLinkError("this Linux uses musl libc (Alpine, for one), and the"
                        + " jar's " + platform + " library is built for glibc (2.28 or newer); run on a glibc"
                        + " distribution or set -D" + PATH_PROPERTY + " to a library built for musl (" + e.getMessage() + ")");
                musl.initCause(e);
                throw musl;
            } finally {
                // Linux keeps a loaded library mapped after its file is removed.
                try {
                    Files.deleteIfExists(target);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    target.toFile().deleteOnExit();
                    dir.toFile().deleteOnExit();
                }
            }
        } catch (IOException e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError("cannot extract " + resource + ": " + e);
            err.initCause(e);
            throw err;
        }
    }

    /**
     * The platforms this jar (or classes folder) has native libraries for.
     *
     * @return folder names such as {@code linux-x86_64} that hold a library, sorted; empty when
     *     they cannot be listed
     */
    public static List<String> platformsInJar() {
        TreeSet<String> out = new TreeSet<>();
        try {
            Path here = Path.of(NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(here)) {
                Path dir = here.resolve("META-INF/native");
                if (Files.isDirectory(dir)) {
                    try (DirectoryStream<Path> platforms = Files.newDirectoryStream(dir, Files::isDirectory)) {
                        for (Path p : platforms) {
                            try (DirectoryStream<Path> libs = Files.newDirectoryStream(p, f -> isLibrary(f.toString()))) {
                                if (libs.iterator().hasNext()) {
                                    out.add(p.getFileName().toString());
                                }
                            }
                        }
                    }
                }
            } else {
                try (ZipFile jar = new ZipFile(here.toFile())) {
                    jar.stream().map(ZipEntry::getName)
                            .filter(n -> n.startsWith("META-INF/native/") && n.indexOf('/', "META-INF/native/".length()) > 0
                                    && isLibrary(n))
                            .map(n -> n.substring("META-INF/native/".length(), n.indexOf('/', "META-INF/native/".length())))
                            .forEach(out::add);
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return List.of();
        }
        return List.copyOf(out);
    }

    /** Whether a file name is a native library's (not its checksum). */
    private static boolean isLibrary(String name) {
        return name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".dll");
    }

    /**
     * Whether this is Linux with musl libc rather than glibc (its dynamic loader is {@code
     * /lib/ld-musl-*}), which the jar's Linux libraries do not run on.
     *
     * @return true on a musl system such as Alpine
     */
    public static boolean isMusl() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        try (DirectoryStream<Path> loaders = Files.newDirectoryStream(Path.of("/lib"), "ld-musl-*")) {
            return loaders.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The SHA-256 the build wrote beside the library (hex), or null in a jar without one. */
    private static String checksum(String resource) throws IOException {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    /**
     * Copies the library to {@code target}, checking its SHA-256 against {@code expected} (when
     * not null) before anything loads it: a truncated or damaged library would otherwise crash
     * the dynamic loader (SIGBUS) instead of failing.
     *
     * @param in the library's bytes
     * @param expected the SHA-256 in hex, or null to copy without a check
     * @param target the file to write
     * @param name the library's name in the jar, for the message
     * @throws IOException if the copy fails
     * @throws UnsatisfiedLinkError if the bytes do not have the expected checksum
     */
    public static void copyVerified(InputStream in, String expected, Path target, String name) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        long size;
        try (DigestInputStream digest = new DigestInputStream(in, sha)) {
            size = Files.copy(digest, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (expected == null) {
            return;
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equalsIgnoreCase(expected)) {
            throw new UnsatisfiedLinkError("the native library " + name + " in the jar is damaged (" + size
                    + " bytes with SHA-256 " + actual + ", the build wrote " + expected
                    + "); download or build the jar again");
        }
    }

    private static native String nativeVersion();
}
