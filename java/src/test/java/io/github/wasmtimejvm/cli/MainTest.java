package io.github.wasmtimejvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.TestBinaries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    /** What one run of the command line did. */
    record Outcome(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String fixture(String name) {
        return Fixtures.component(name).toString();
    }

    private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b[A-Z]\\w*(Exception|Error)\\b");

    /**
     * A failure: the given exit status, nothing on standard output, and exactly one line on
     * standard error, {@code error: <message>}, without a stack trace or an exception class name.
     * Returns the message after {@code error: }.
     */
    static String assertFailure(int status, Outcome o) {
        assertEquals(status, o.status(), () -> "exit status; stderr: " + o.err());
        assertEquals("", o.out(), "nothing on stdout");
        assertEquals(1, o.errLines().size(), () -> "exactly one line on stderr, got:\n" + o.err());
        String line = o.errLines().get(0);
        assertTrue(line.startsWith("error: "), line);
        assertFalse(o.err().contains("\tat "), o.err());
        assertFalse(o.err().contains("stack backtrace"), o.err());
        assertFalse(EXCEPTION_NAME.matcher(o.err()).find(), () -> "an exception class name in: " + o.err());
        return line.substring("error: ".length());
    }

    static void assertSuccess(Outcome o, String expectedOut) {
        assertEquals(0, o.status(), () -> "stderr: " + o.err());
        assertEquals(expectedOut, o.out());
        assertEquals("", o.err());
    }

    // ---------------------------------------------------------------- success

    @Test
    void invokeAddPrintsTheSum() {
        assertSuccess(run("--invoke", "add(1, 2)", fixture("add")), "3\n");
        assertSuccess(run("--invoke", "add(4294967295, 1)", fixture("add")), "0\n");
        assertSuccess(run("--invoke=add(20, 22)", fixture("add")), "42\n");
    }

    @Test
    void wordsAfterTheProgramAreItsArgumentsLikeWasmtimeRun() {
        // As with `wasmtime run`, everything after the program goes to the program: here the
        // program is add.wat, which is not a command, so running it fails.
        assertTrue(assertFailure(1, run(fixture("add"), "--invoke", "add(5, 6)"))
                .startsWith("the component is not a WASI command"));
    }

    @Test
    void runIsAnAliasForInvoke() {
        assertSuccess(run("run", "--invoke", "add(1, 2)", fixture("add")), "3\n");
    }

    @Test
    void invokeACoreModulesFunction() {
        String calc = io.github.wasmtimejvm.Fixtures.corpus().resolve("modules").resolve("fib.wat").toString();
        assertSuccess(run("--invoke", "add(40, 2)", calc), "42\n");
        assertSuccess(run("--invoke", "add(4294967295, 1)", calc), "0\n");
        assertSuccess(run("--invoke", "fib(10)", calc), "55\n");
        String mix = io.github.wasmtimejvm.Fixtures.corpus().resolve("modules").resolve("calc.wat").toString();
        assertTrue(assertFailure(1, run("--invoke", "add(1, 2)", mix)).contains("host::log"));
        assertTrue(assertFailure(1, run("--invoke", "add(1)", calc)).contains("takes 2 arguments, got 1"));
        assertTrue(assertFailure(1, run("--invoke", "add(x, 1)", calc)).contains("`x` is not an i32"));
    }

    @Test
    void invokeAFunctionInsideAnInterface() {
        assertSuccess(run("--invoke", "docs:calc/ops@1.0.0#mul(-3, 4)", fixture("nested")), "-12\n");
        assertSuccess(run("--invoke", "docs:calc/ops@1.0.0#add(-5, 3)", fixture("nested")), "-2\n");
    }

    @Test
    void stringAndCompoundResultsArePrintedAsWave() {
        assertSuccess(run("--invoke", "version()", fixture("nested")), "\"1.0.0\"\n");
        assertSuccess(run("--invoke", "echo-string(\"a\\\"b\")", fixture("echo")), "\"a\\\"b\"\n");
        assertSuccess(run("--invoke", "echo-person({first-name: \"Ada\", age: 36, tags: [\"x\", \"y\"]})",
                fixture("echo")), "{first-name: \"Ada\", age: 36, tags: [\"x\", \"y\"]}\n");
        assertSuccess(run("--invoke", "echo-record({x: -1, y: 2})", fixture("echo")), "{x: -1, y: 2}\n");
        assertSuccess(run("--invoke", "echo-variant(rect({x: 1, y: -2}))", fixture("echo")),
                "rect({x: 1, y: -2})\n");
        assertSuccess(run("--invoke", "echo-variant(none-shape)", fixture("echo")), "none-shape\n");
        assertSuccess(run("--invoke", "echo-result(err(\"bad\"))", fixture("echo")), "err(\"bad\")\n");
        assertSuccess(run("--invoke", "echo-option-option(some(none))", fixture("echo")), "some(none)\n");
        assertSuccess(run("--invoke", "echo-flags({read, exec})", fixture("echo")), "{read, exec}\n");
        assertSuccess(run("--invoke", "echo-list-u32([1, 2, 3])", fixture("echo")), "[1, 2, 3]\n");
        assertSuccess(run("--invoke", "echo-tuple((7, \"t\", 1.5))", fixture("echo")), "(7, \"t\", 1.5)\n");
        assertSuccess(run("--invoke", "echo-char('x')", fixture("echo")), "'x'\n");
        assertSuccess(run("--invoke", "echo-enum(green)", fixture("echo")), "green\n");
    }

    @Test
    void aFunctionWithoutResultsPrintsNothing() {
        assertSuccess(run("--invoke", "noop()", fixture("echo")), "");
    }

    @Test
    void aBinaryComponentFileWorks(@TempDir Path dir) throws Exception {
        Path wasm = dir.resolve("add.wasm");
        Files.write(wasm, TestBinaries.addWasm());
        assertSuccess(run("--invoke", "add(2, 2)", wasm.toString()), "4\n");
    }

    @Test
    void witPrintsTheComponentsWit() {
        // As `wasm-tools component wit` prints it: the world, then the packages it uses.
        assertSuccess(run("wit", fixture("unsatisfied-import")), String.join("\n",
                "package root:component;",
                "",
                "world root {",
                "  import docs:log/logger@1.0.0;",
                "  import get-value: func() -> u32;",
                "",
                "  export run: func() -> u32;",
                "}",
                "package docs:log@1.0.0 {",
                "  interface logger {",
                "    log: func(msg: string);",
                "  }",
                "}",
                ""));
        assertSuccess(run("wit", fixture("add")),
                "package root:component;\n\nworld root {\n  export add: func(a: u32, b: u32) -> u32;\n}\n");
    }

    @Test
    void witCapabilitiesGroupsTheImports() {
        Outcome o = run("wit", "--capabilities", Guests.path("net-probe.component.wasm").toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("\nsockets: wasi:sockets/network@"), o.out());
        assertTrue(o.out().contains("filesystem: wasi:filesystem/types@"), o.out());
        assertSuccess(run("wit", fixture("add"), "--capabilities"), "imports nothing\n");
    }

    @Test
    void newBuildsAComponentFromACoreModuleAndItsWorld(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("adder.wasm");
        String module = Guests.path(Guests.ADDER_CORE_MODULE).toString();
        String wit = Guests.wit("calc").toString();
        Outcome o = run("new", module, "--wit", wit, "--world", "adder-world", "-o", out.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().startsWith("wrote " + out + " ("), o.out());
        assertSuccess(run("--invoke", "docs:calc/adder@0.1.0#describe(1, 2)", out.toString()), "\"1 + 2 = 3\"\n");
        assertSuccess(run("targets", "--wit", wit, "--world", "adder-world", out.toString()),
                "the component fits world docs:calc@0.1.0/adder-world\n");

        // A preview 1 command with the adapter runs as a component.
        Path hello = dir.resolve("hello.wasm");
        assertEquals(0, run("new", Fixtures.corpus().resolve("modules/wasi-hello.wat").toString(),
                "--adapter", "command", "-o", hello.toString()).status());
        assertTrue(run("wit", hello.toString()).out().contains("export wasi:cli/run@"));

        assertTrue(assertFailure(2, run("new", module, "-o", out.toString())).startsWith("new needs --wit PATH"));
        assertTrue(assertFailure(2, run("new", module, "--wit", wit)).startsWith("new needs an output file"));
        assertTrue(assertFailure(2, run("new", module, "--adapter", "daemon", "-o", out.toString()))
                .startsWith("--adapter `daemon` is not one of command, reactor, proxy"));
        assertTrue(assertFailure(1, run("new", module, "--wit", wit, "--world", "calculator", "-o", out.toString()))
                .contains("calc"));
    }

    @Test
    void targetsListsEveryMismatchAndFailsWhenThereIsOne() {
        String wit = Guests.wit("calc").toString();
        String calculator = Guests.path(Guests.CALCULATOR_C).toString();
        assertSuccess(run("targets", "--wit", wit, "--world", "calculator", calculator),
                "the component fits world docs:calc@0.1.0/calculator\n");
        Outcome o = run("targets", "--wit", wit, "--world", "adder-world", calculator);
        assertEquals(1, o.status());
        assertTrue(o.out().startsWith("2 mismatches with world docs:calc@0.1.0/adder-world:\n"
                + "  missing export `docs:calc/adder@0.1.0`: the world exports "), o.out());
        assertTrue(o.out().contains("  import `docs:calc/adder@0.1.0` ("), o.out());
        assertTrue(assertFailure(2, run("targets", calculator)).startsWith("targets needs --wit PATH"));
        assertTrue(assertFailure(2, run("targets", "--wit", wit, "-o", "x", calculator))
                .startsWith("unknown option `-o` for targets"));
    }

    @Test
    void plugAndComposeWriteComponentsThatRun(@TempDir Path dir) {
        String adder = Guests.path(Guests.ADDER_C).toString();
        String calculator = Guests.path(Guests.CALCULATOR_C).toString();
        Path plugged = dir.resolve("plugged.wasm");
        assertEquals(0, run("plug", calculator, "--plug", adder, "-o", plugged.toString()).status());
        assertSuccess(run("--invoke", "docs:calc/calc@0.1.0#add-three(1, 2, 3)", plugged.toString()), "6\n");
        Path composed = dir.resolve("composed.wasm");
        Outcome o = run("compose", "--dep", "adder=" + adder, "--dep", "calc=" + calculator,
                "--wire", "calc#docs:calc/adder@0.1.0=adder#docs:calc/adder@0.1.0",
                "--export", "calc#docs:calc/calc@0.1.0", "-o", composed.toString());
        assertEquals(0, o.status(), o.err());
        assertSuccess(run("--invoke", "docs:calc/calc@0.1.0#explain(40, 2)", composed.toString()), "\"40 + 2 = 42\"\n");
        assertSuccess(run("wit", composed.toString()), run("wit", plugged.toString()).out());
        assertTrue(assertFailure(1, run("plug", calculator, "--plug", calculator, "-o", plugged.toString()))
                .contains("satisfies none of the socket's imports"));
    }

    @Test
    void versionPrintsTheVersion() {
        Outcome o = run("--version");
        assertEquals(0, o.status());
        assertEquals("wasmtime-jvm 0.1.0\n", o.out());
        assertEquals("", o.err());
        assertEquals(o, run("-V"));
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        Outcome o = run("--help");
        assertEquals(0, o.status());
        assertEquals("", o.err());
        assertTrue(o.out().startsWith("usage: wasmtime-jvm [run] [--dir HOST::GUEST] [--env K=V] <program> [args...]\n"),
                o.out());
        assertTrue(o.out().contains("wasmtime-jvm [run] --invoke '<name>(<args>)' <component or module>"), o.out());
        assertTrue(o.out().contains("wasmtime-jvm wit [--capabilities] <component>"), o.out());
        for (String command : List.of("targets --wit", "new <module>", "plug <socket>", "compose --dep")) {
            assertTrue(o.out().contains("wasmtime-jvm " + command), command + " in " + o.out());
        }
        assertTrue(o.out().contains("--invoke"), o.out());
        assertEquals(o, run("-h"));
        assertEquals(o, run("--invoke", "add(1, 2)", fixture("add"), "--help"));
    }

    // ---------------------------------------------------------------- failures

    @Test
    void missingFile(@TempDir Path dir) {
        String missing = dir.resolve("missing.wasm").toString();
        assertEquals("cannot read component " + missing + ": no such file",
                assertFailure(1, run("--invoke", "add(1, 2)", missing)));
        assertEquals("cannot read component " + missing + ": no such file", assertFailure(1, run("wit", missing)));
        assertTrue(assertFailure(1, run("--invoke", "add(1, 2)", dir.toString())).startsWith("cannot read component"));
    }

    @Test
    void malformedComponent(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.wasm");
        Files.write(bad, "\0asm\r\0\1\0garbage".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("failed to parse WebAssembly module: unexpected end-of-file (at offset 0xa)",
                assertFailure(1, run("--invoke", "add(1, 2)", bad.toString())));
        assertEquals("failed to parse WebAssembly module: unexpected end-of-file (at offset 0xa)",
                assertFailure(1, run("wit", bad.toString())));

        Path badWat = dir.resolve("bad.wat");
        Files.writeString(badWat, "(component");
        // The WAT error spans several lines (with a caret); the CLI keeps the first.
        assertEquals("not a component binary, and not valid WAT text: expected `)`",
                assertFailure(1, run("--invoke", "add(1, 2)", badWat.toString())));

        Path module = dir.resolve("module.wasm");
        Files.write(module, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        // A core module is invoked as one; `wit` names what it is.
        assertEquals("no export named `add`: this item has no exports",
                assertFailure(1, run("--invoke", "add(1, 2)", module.toString())));
        assertEquals("these bytes are a core WebAssembly module, not a component: compile it as a Module"
                        + " (io.github.wasmtimejvm.module.Module)",
                assertFailure(1, run("wit", module.toString())));
    }

    @Test
    void badWaveArguments() {
        // Positions count from the start of the arguments: `"x"` is bytes 3..6 of `1, "x"`.
        assertEquals("invalid arguments for `add` (func(a: u32, b: u32) -> u32): invalid WAVE arguments: invalid "
                        + "value type at 3..6",
                assertFailure(1, run("--invoke", "add(1, \"x\")", fixture("add"))));
        assertEquals("invalid arguments for `add` (func(a: u32, b: u32) -> u32): invalid WAVE arguments: invalid "
                        + "params: missing required param(s) at 1..2",
                assertFailure(1, run("--invoke", "add(1)", fixture("add"))));
        assertEquals("invalid arguments for `add` (func(a: u32, b: u32) -> u32): invalid WAVE arguments: invalid "
                        + "params: more param(s) than expected at 6..7",
                assertFailure(1, run("--invoke", "add(1, 2, 3)", fixture("add"))));
        assertEquals("invalid arguments for `add` (func(a: u32, b: u32) -> u32): invalid WAVE arguments: "
                        + "unexpected token: Comma at 2..3",
                assertFailure(1, run("--invoke", "add(1,, 2)", fixture("add"))));
        assertTrue(assertFailure(1, run("--invoke", "add(1, ", fixture("add")))
                .startsWith("invalid invocation `add(1, `"));
        assertEquals("invalid invocation `add`: expected a call such as 'add(1, 2)'",
                assertFailure(1, run("--invoke", "add", fixture("add"))));
    }

    @Test
    void outOfRangeArgument() {
        assertEquals("invalid arguments for `add` (func(a: u32, b: u32) -> u32): invalid WAVE arguments: invalid "
                        + "value at 0..2",
                assertFailure(1, run("--invoke", "add(-1, 2)", fixture("add"))));
        assertEquals("invalid arguments for `add` (func(a: u32, b: u32) -> u32): invalid WAVE arguments: invalid "
                        + "value at 3..13",
                assertFailure(1, run("--invoke", "add(1, 4294967296)", fixture("add"))));
    }

    @Test
    void unknownFunction() {
        assertEquals("no export named `sub`; the exports are: add",
                assertFailure(1, run("--invoke", "sub(1, 2)", fixture("add"))));
        assertEquals("no export named `docs:calc/ops@1.0.0#div`; the exports are: add, mul",
                assertFailure(1, run("--invoke", "docs:calc/ops@1.0.0#div(1, 2)", fixture("nested"))));
        assertEquals("export `docs:calc/ops@1.0.0` is not a function",
                assertFailure(1, run("--invoke", "docs:calc/ops@1.0.0(1, 2)", fixture("nested"))));
    }

    @Test
    void trap() {
        assertEquals("wasm trap: wasm `unreachable` instruction executed",
                assertFailure(1, run("--invoke", "unreachable()", fixture("traps"))));
        assertEquals("wasm trap: integer divide by zero",
                assertFailure(1, run("--invoke", "divide(1, 0)", fixture("traps"))));
        assertEquals("wasm trap: call stack exhausted",
                assertFailure(1, run("--invoke", "recurse(100000000)", fixture("traps"))));
    }

    @Test
    void unsatisfiedImport() {
        assertEquals("component imports instance `docs:log/logger@1.0.0`, but a matching implementation was not "
                        + "found in the linker: instance export `log` has the wrong type: function implementation "
                        + "is missing",
                assertFailure(1, run("--invoke", "run()", fixture("unsatisfied-import"))));
    }

    @Test
    void aResultThatWaveCannotPrintIsAnErrorNotACrash() {
        // The returned counter is dropped, not leaked (the leak check of this class would fail).
        assertEndsWith("cannot print value as WAVE: WAVE has no syntax for resource values", assertFailure(1,
                run("--invoke", "docs:counter/api@1.0.0#[static]counter.zero()", fixture("resource"))));
        assertEndsWith("cannot print value as WAVE: WAVE has no syntax for resource values", assertFailure(1,
                run("--invoke", "docs:counter/api@1.0.0#[constructor]counter(5)", fixture("resource"))));
    }

    @Test
    void aMapArgumentCannotBeWrittenInWave() {
        assertEquals("invalid arguments for `echo-map` (func(v: map<string, u32>) -> map<string, u32>): invalid "
                        + "WAVE arguments: error converting Wasm value: unsupported type <<UNSUPPORTED>> at 0..10",
                assertFailure(1, run("--invoke", "echo-map([(\"a\", 1)])", fixture("echo"))));
    }

    @Test
    void noArguments() {
        assertEquals("no command given; run with --help for usage", assertFailure(2, run()));
    }

    @Test
    void unknownOption() {
        assertEquals("unknown option --bogus; run with --help for usage",
                assertFailure(2, run("--bogus", fixture("add"))));
    }

    @Test
    void otherUsageErrors() {
        assertTrue(assertFailure(2, run("--invoke")).startsWith("--invoke needs a value"));
        assertTrue(assertFailure(2, run("--invoke", "add(1, 2)")).startsWith("no component file given"));
        assertTrue(assertFailure(2, run("--dir")).startsWith("--dir needs a value"));
        assertTrue(assertFailure(2, run("--env", "=x", fixture("add"))).startsWith("--env takes NAME=VALUE"));
        assertTrue(assertFailure(1, run(fixture("add"))).startsWith("the component is not a WASI command"));
        assertTrue(assertFailure(2, run("wit")).startsWith("`wit` takes exactly one component file"));
        assertTrue(assertFailure(2, run("wit", fixture("add"), fixture("add")))
                .startsWith("`wit` takes exactly one component file"));
        assertTrue(assertFailure(2, run("--invoke", "add(1, 2)", fixture("add"), "extra"))
                .startsWith("--invoke takes no program arguments, got [extra]"));
    }

    // ---------------------------------------------------------------- the real process

    /** Runs Main in a new JVM with this test's class path, as the jar's launcher would. */
    static Outcome runProcess(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Path out = Files.createTempFile("wasmtime-jvm-cli", ".out");
        Path err = Files.createTempFile("wasmtime-jvm-cli", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the CLI did not finish: " + command);
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theRealProcessPrintsAndExits() throws Exception {
        assertSuccess(runProcess("--invoke", "add(1, 2)", fixture("add")), "3\n");
        assertSuccess(runProcess("--invoke", "docs:calc/ops@1.0.0#mul(-3, 4)", fixture("nested")), "-12\n");
    }

    @Test
    void theRealProcessFailsWithOneLine() throws Exception {
        assertEquals("wasm trap: wasm `unreachable` instruction executed",
                assertFailure(1, runProcess("--invoke", "unreachable()", fixture("traps"))));
        assertEquals("no command given; run with --help for usage", assertFailure(2, runProcess()));
        // Without a dropped resource, the leak report would add lines to stderr.
        assertEndsWith("cannot print value as WAVE: WAVE has no syntax for resource values", assertFailure(1,
                runProcess("--invoke", "docs:counter/api@1.0.0#[static]counter.zero()", fixture("resource"))));
    }

    /** Issue 8: {@code --dir} had no read-only form. */
    @Test
    void dirReadOnlyGivesADirectoryTheGuestCannotChange(@TempDir Path box) throws Exception {
        Files.writeString(box.resolve("in.txt"), "hi");
        String probe = io.github.wasmtimejvm.Guests.path("sandbox-probe.component.wasm").toString();
        Outcome ro = runProcess("run", "--dir-ro", box + "::/box", probe, "readat", "/box", "in.txt",
                "writeat", "/box", "new.txt", "x");
        assertEquals(0, ro.status(), ro.err());
        assertTrue(ro.out().contains("readat /box in.txt: ok hi"), ro.out());
        assertTrue(ro.out().contains("writeat /box new.txt x: error"), ro.out());
        assertTrue(!Files.exists(box.resolve("new.txt")));
        Outcome rw = runProcess("run", "--dir", box + "::/box", probe, "writeat", "/box", "new.txt", "x");
        assertTrue(rw.out().contains("writeat /box new.txt x: ok"), rw.out());
        assertEquals("x", Files.readString(box.resolve("new.txt")));
    }

    @Test
    void dirServesAZipFileAsADirectory(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("site.zip");
        try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(zip, java.util.Map.of("create", "true"))) {
            Files.writeString(fs.getPath("/index.html"), "<h1>hi</h1>");
        }
        String probe = io.github.wasmtimejvm.Guests.path("sandbox-probe.component.wasm").toString();
        Outcome ro = runProcess("run", "--dir-ro", zip + "::/site", probe, "read", "/site/index.html",
                "writeat", "/site", "x.txt", "x");
        assertEquals(0, ro.status(), ro.err());
        assertTrue(ro.out().contains("read /site/index.html: ok <h1>hi</h1>"), ro.out());
        assertTrue(ro.out().contains("writeat /site x.txt x: error EPERM"), ro.out());
        Outcome rw = runProcess("run", "--dir", zip + "::/site", probe, "writeat", "/site", "x.txt", "written");
        assertTrue(rw.out().contains("writeat /site x.txt written: ok"), rw.out());
        try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(zip)) {
            assertEquals("written", Files.readString(fs.getPath("/x.txt")), "written back into the zip");
        }
    }

    private static void assertEndsWith(String suffix, String actual) {
        assertTrue(actual.endsWith(suffix), actual);
    }
}
