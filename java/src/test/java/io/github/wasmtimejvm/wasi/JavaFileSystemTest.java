package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.wasi.AuditEvent.Area;
import io.github.wasmtimejvm.wasi.WasiConfig.DirAccess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real C program (the sandbox probe, guests/probe/probe.c, as a WASI 0.2 component) reading
 * and writing files of Java filesystems: a zip file through the JDK's zip provider, and an
 * in-memory Jimfs tree; and the audit trail of what its sandbox refused and granted.
 * {@link SandboxTest} runs all of its sandbox promises against a Java filesystem preopen too.
 */
class JavaFileSystemTest {
    private static Engine engine;
    private static Component probe;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() {
        engine = new Engine();
        probe = Component.fromFile(engine, Guests.path("sandbox-probe.component.wasm"));
    }

    @AfterAll
    static void close() {
        probe.close();
        engine.close();
    }

    /** Runs the probe with these operations; returns the lines it printed. */
    private static List<String> run(WasiConfig.Builder config, String... ops) {
        WasiConfig wasi = config.argv0("probe").args(ops).captureStdout().captureStderr().build();
        try (Store store = Store.builder(engine).wasi(wasi).build(); Linker linker = new Linker(engine).addWasi()) {
            int exit = linker.runCommand(store, probe);
            String out = new String(store.capturedStdout(), StandardCharsets.UTF_8);
            assertEquals(0, exit, new String(store.capturedStderr(), StandardCharsets.UTF_8));
            return Arrays.asList(out.split("\n"));
        }
    }

    private Path zip(Map<String, String> entries) throws IOException {
        Path zip = dir.resolve("data.zip");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            for (var e : entries.entrySet()) {
                Path p = fs.getPath(e.getKey());
                if (p.getParent() != null) {
                    Files.createDirectories(p.getParent());
                }
                Files.writeString(p, e.getValue());
            }
        }
        return zip;
    }

    @Test
    void readsFilesOutOfAZip() throws IOException {
        Path zip = zip(Map.of("hello.txt", "hello from the zip\n", "docs/readme.md", "# readme\n"));
        try (FileSystem fs = FileSystems.newFileSystem(zip)) {
            List<String> lines = run(WasiConfig.builder().preopen(fs.getPath("/"), "/data", DirAccess.READ_ONLY),
                    "read", "/data/hello.txt",
                    "read", "/data/docs/readme.md",
                    "readat", "/data", "docs/../hello.txt",
                    "ls", "/data",
                    "ls", "/data/docs",
                    "stat", "/data/docs",
                    "read", "/data/missing.txt",
                    "readat", "/data", "../etc/passwd",
                    "write", "/data/new.txt", "x",
                    "mkdir", "/data/made");
            assertEquals(List.of(
                    "read /data/hello.txt: ok hello from the zip\\n",
                    "read /data/docs/readme.md: ok # readme\\n",
                    "readat /data docs/../hello.txt: ok hello from the zip\\n",
                    "ls /data: ok docs hello.txt",
                    "ls /data/docs: ok readme.md",
                    "stat /data/docs: ok",
                    "read /data/missing.txt: error ENOENT",
                    "readat /data ../etc/passwd: error EPERM",
                    "write /data/new.txt x: error EPERM",
                    "mkdir /data/made: error EPERM"), lines);
        }
    }

    @Test
    void writesIntoAZipOpenedForWriting() throws IOException {
        Path zip = zip(Map.of("keep.txt", "kept\n"));
        try (FileSystem fs = FileSystems.newFileSystem(zip)) {
            List<String> lines = run(WasiConfig.builder().preopen(fs.getPath("/"), "/out", DirAccess.READ_WRITE),
                    "mkdirat", "/out", "reports",
                    "writeat", "/out", "reports/today.txt", "written by wasm",
                    "appendat", "/out", "keep.txt", "more",
                    "renameat", "/out", "reports/today.txt", "reports/final.txt",
                    "unlinkat", "/out", "reports/missing.txt");
            assertEquals(List.of(
                    "mkdirat /out reports: ok",
                    "writeat /out reports/today.txt written by wasm: ok",
                    "appendat /out keep.txt more: ok",
                    "renameat /out reports/today.txt reports/final.txt: ok",
                    "unlinkat /out reports/missing.txt: error ENOENT"), lines);
        }
        try (FileSystem fs = FileSystems.newFileSystem(zip)) {
            assertEquals("written by wasm", Files.readString(fs.getPath("/reports/final.txt")));
            assertEquals("kept\nmore", Files.readString(fs.getPath("/keep.txt")));
            assertFalse(Files.exists(fs.getPath("/reports/today.txt")));
        }
    }

    @Test
    void readsAndWritesAnInMemoryTree() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path root = Files.createDirectories(fs.getPath("/srv/app"));
            Files.writeString(root.resolve("config.ini"), "mode=test\n");
            Files.createDirectory(root.resolve("cache"));
            List<Path> top = Files.list(fs.getPath("/")).toList();
            List<String> lines = run(WasiConfig.builder().preopen(root, "/app", DirAccess.READ_WRITE),
                    "read", "/app/config.ini",
                    "writeat", "/app", "cache/entry.bin", "cached",
                    "rawcreate", "/app", "cache/empty",
                    "ls", "/app/cache",
                    "renameat", "/app", "cache/entry.bin", "entry.bin",
                    "rmdirat", "/app", "cache",
                    "unlinkat", "/app", "cache/empty",
                    "rmdirat", "/app", "cache",
                    "readat", "/app", "../../etc/passwd",
                    "read", "/app/entry.bin");
            assertEquals(List.of(
                    "read /app/config.ini: ok mode=test\\n",
                    "writeat /app cache/entry.bin cached: ok",
                    "rawcreate /app cache/empty: ok",
                    "ls /app/cache: ok empty entry.bin",
                    "renameat /app cache/entry.bin entry.bin: ok",
                    "rmdirat /app cache: error ENOTEMPTY",
                    "unlinkat /app cache/empty: ok",
                    "rmdirat /app cache: ok",
                    "readat /app ../../etc/passwd: error EPERM",
                    "read /app/entry.bin: ok cached"), lines);
            assertEquals("cached", Files.readString(root.resolve("entry.bin")));
            assertFalse(Files.exists(root.resolve("cache")));
            assertEquals(top, Files.list(fs.getPath("/")).toList(), "nothing was made outside the preopen");
            assertEquals(List.of("config.ini", "entry.bin"),
                    Files.list(root).map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void hostDirectoriesAndJavaFilesystemsSitSideBySide() throws IOException {
        Path host = Files.createDirectory(dir.resolve("host"));
        Files.writeString(host.resolve("a.txt"), "on the host\n");
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Files.writeString(fs.getPath("/b.txt"), "in memory\n");
            List<String> lines = run(WasiConfig.builder()
                            .preopen(host, "/host", DirAccess.READ_ONLY)
                            .preopen(fs.getPath("/"), "/mem", DirAccess.READ_WRITE),
                    "read", "/host/a.txt", "read", "/mem/b.txt", "renameat", "/mem", "b.txt", "../host/b.txt");
            assertEquals(List.of("read /host/a.txt: ok on the host\\n", "read /mem/b.txt: ok in memory\\n",
                    "renameat /mem b.txt ../host/b.txt: error EPERM"), lines);
        }
    }

    @Test
    void aPreview1ModuleCannotUseAJavaFilesystem() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
                Module module = Module.fromFile(engine, Guests.path("sandbox-probe.module.wasm"))) {
            WasiConfig wasi = WasiConfig.builder().preopen(fs.getPath("/"), "/mem", DirAccess.READ_ONLY)
                    .args("read", "/mem/x").build();
            try (Store store = Store.builder(engine).wasi(wasi).build()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> module.runWasiCommand(store));
                assertTrue(e.getMessage().contains("serves WASI 0.2 components only"), e.getMessage());
            }
        }
    }

    @Test
    void aPathOnAnotherFilesystemIsNeverTakenForAHostDirectory() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path p = fs.getPath("/");
            assertTrue(new WasiConfig.Preopen(p, "/x", DirAccess.READ_ONLY).javaFileSystem());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new WasiConfig.Preopen(p, "/x", DirAccess.READ_ONLY, false));
            assertTrue(e.getMessage().contains("not on the default filesystem"), e.getMessage());
        }
    }

    @Test
    void theAuditListenerHearsEveryRefusalOnHostDirectoriesAndJavaFilesystems() throws IOException {
        Path host = Files.createDirectory(dir.resolve("ro"));
        Files.writeString(host.resolve("data.txt"), "read only\n");
        List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Files.writeString(fs.getPath("/m.txt"), "m\n");
            List<String> lines = run(WasiConfig.builder()
                            .preopen(host, "/ro", DirAccess.READ_ONLY)
                            .preopen(fs.getPath("/"), "/mem", DirAccess.READ_ONLY)
                            .auditListener(events::add),
                    "readat", "/ro", "../outside.txt",
                    "writeat", "/ro", "data.txt", "x",
                    "read", "/ro/data.txt",
                    "readat", "/mem", "../../secret",
                    "unlinkat", "/mem", "m.txt",
                    "read", "/mem/m.txt");
            assertEquals(List.of("readat /ro ../outside.txt: error EPERM", "writeat /ro data.txt x: error EPERM",
                    "read /ro/data.txt: ok read only\\n", "readat /mem ../../secret: error EPERM",
                    "unlinkat /mem m.txt: error EPERM", "read /mem/m.txt: ok m\\n"), lines);
        }
        List<String> seen = events.stream()
                .map(e -> e.area() + " " + e.operation() + " " + e.target() + " (" + e.reason() + ")")
                .toList();
        assertEquals(List.of(
                "FILESYSTEM open-at /ro/../outside.txt (a path leading out of the preopen)",
                "FILESYSTEM open-at /ro/data.txt (a change in a read-only preopen)",
                "FILESYSTEM open-at /mem/../../secret (a path leading out of the preopen)",
                "FILESYSTEM unlink-file-at /mem/m.txt (a change in a read-only preopen)"), seen);
        assertTrue(events.stream().noneMatch(AuditEvent::granted));
        long now = System.currentTimeMillis();
        assertTrue(events.stream().allMatch(e -> Math.abs(e.time().toEpochMilli() - now) < 60_000), "stamped now");
    }

    @Test
    void grantedAccessesAreReportedWhenAskedFor() throws IOException {
        List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Files.writeString(fs.getPath("/m.txt"), "m\n");
            run(WasiConfig.builder().preopen(fs.getPath("/"), "/mem", DirAccess.READ_WRITE)
                    .auditListener(events::add, true), "read", "/mem/m.txt", "mkdirat", "/mem", "d");
        }
        List<String> granted = events.stream().filter(AuditEvent::granted)
                .map(e -> e.operation() + " " + e.target()).toList();
        assertTrue(granted.contains("open-at /mem/m.txt"), granted.toString());
        assertTrue(granted.contains("create-directory-at /mem/d"), granted.toString());
        assertTrue(events.stream().allMatch(e -> e.area() == Area.FILESYSTEM && e.reason().isEmpty()), events.toString());
    }

    @Test
    void aListenerThatThrowsChangesNothingForTheGuest() throws IOException {
        Path host = Files.createDirectory(dir.resolve("box"));
        List<String> lines = run(WasiConfig.builder().preopen(host, "/box", DirAccess.READ_WRITE)
                        .auditListener(e -> {
                            throw new IllegalStateException("listener bug");
                        }, true),
                "readat", "/box", "../x", "writeat", "/box", "y.txt", "fine");
        assertEquals(List.of("readat /box ../x: error EPERM", "writeat /box y.txt fine: ok"), lines);
        assertEquals("fine", Files.readString(host.resolve("y.txt")));
    }
}
