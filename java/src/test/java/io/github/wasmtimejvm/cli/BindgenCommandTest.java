package io.github.wasmtimejvm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.bindgen.JavaBindings;
import io.github.wasmtimejvm.wit.WitPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindgenCommandTest {
    @TempDir Path tmp;

    private static void assertFailure(MainTest.Outcome o, int status, String... fragments) {
        assertEquals(status, o.status(), o.toString());
        assertEquals("", o.out(), o.toString());
        assertEquals(1, o.errLines().size(), o.toString());
        assertTrue(o.err().startsWith("error: "), o.toString());
        for (String f : fragments) {
            assertTrue(o.err().contains(f), "expected `" + f + "` in " + o.err());
        }
    }

    @Test
    void writesTheBindingsOfAWorld() throws IOException {
        Path out = tmp.resolve("src/gen/java");
        MainTest.Outcome o = MainTest.run("bindgen", "--wit", Guests.wit("calc").toString(), "--world", "calculator",
                "--package", "com.example.calc", "--out", out.toString());
        assertEquals(0, o.status(), o.toString());
        assertEquals("wrote 2 files for world calculator under " + out + "\n", o.out());
        assertEquals("", o.err());
        List<String> written;
        try (Stream<Path> s = Files.walk(out)) {
            written = s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
        }
        assertEquals(List.of("com/example/calc/Adder.java", "com/example/calc/Calc.java"), written);
        // The same text the library generates.
        JavaBindings b = JavaBindings.generate(WitPackage.parse(Guests.wit("calc")), "calculator", "com.example.calc");
        assertEquals(b.files().get("com/example/calc/Calc.java"), Files.readString(out.resolve("com/example/calc/Calc.java")));
        assertTrue(Files.readString(out.resolve("com/example/calc/Adder.java")).contains("int add(int a, int b);"));
    }

    @Test
    void theWorldMayBeLeftOutWhenThereIsOneAndOptionsTakeEquals() throws IOException {
        Path out = tmp.resolve("gen");
        MainTest.Outcome o = MainTest.run("bindgen", "--wit=" + Guests.wit("greeter"), "--package=org.greet",
                "-o", out.toString());
        assertEquals(0, o.status(), o.toString());
        assertTrue(o.out().startsWith("wrote "), o.out());
        assertTrue(Files.isRegularFile(out.resolve("org/greet/Greet.java")));
    }

    @Test
    void usageErrorsExitWithTwo() {
        String wit = Guests.wit("calc").toString();
        assertFailure(MainTest.run("bindgen", "--world", "calculator", "--package", "a.b", "--out", "x"), 2, "--wit");
        assertFailure(MainTest.run("bindgen", "--wit", wit, "--world", "calculator", "--out", "x"), 2, "--package");
        assertFailure(MainTest.run("bindgen", "--wit", wit, "--world", "calculator", "--package", "a.b"), 2, "--out");
        assertFailure(MainTest.run("bindgen", "--wit", wit, "--package", "a.b", "--out", "x"), 2,
                "2 worlds (adder-world, calculator)", "--world");
        assertFailure(MainTest.run("bindgen", "--wit", wit, "--frobnicate"), 2, "unknown option `--frobnicate`");
        assertFailure(MainTest.run("bindgen", "--wit"), 2, "--wit needs a value");
        assertFailure(MainTest.run("bindgen", "calc.wit"), 2, "no file argument");
    }

    @Test
    void badInputExitsWithOne() throws IOException {
        String wit = Guests.wit("calc").toString();
        Path out = tmp.resolve("out");
        assertFailure(MainTest.run("bindgen", "--wit", wit, "--world", "nope", "--package", "a.b", "--out", out.toString()),
                1, "no world `nope`", "adder-world, calculator");
        assertFailure(MainTest.run("bindgen", "--wit", wit, "--world", "calculator", "--package", "com.class",
                "--out", out.toString()), 1, "not a Java package name: `com.class`");
        assertFailure(MainTest.run("bindgen", "--wit", tmp.resolve("missing.wit").toString(), "--package", "a.b",
                "--out", out.toString()), 1, "missing.wit does not exist");
        Path broken = Files.writeString(tmp.resolve("broken.wit"), "package a:b;\ninterface i {\n  f: func() -> nope;\n}\n");
        assertFailure(MainTest.run("bindgen", "--wit", broken.toString(), "--package", "a.b", "--out", out.toString()),
                1, "nope");
        Path file = Files.writeString(tmp.resolve("file"), "not a directory");
        assertFailure(MainTest.run("bindgen", "--wit", wit, "--world", "calculator", "--package", "a.b",
                "--out", file.toString()), 1, "cannot write the sources under");
        assertFalse(Files.exists(out), "nothing is written on failure");
    }
}
