package io.github.wasmtimejvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every method of the library that hands a handle's native address to native code keeps that
 * handle reachable until the native code is done: it calls {@code
 * Reference.reachabilityFence(handle)} (in a {@code finally}). Without it a JIT-compiled caller
 * lets the handle become unreachable while native code still uses the address, and the Cleaner
 * frees the native object under it: the use-after-free of issue 8, which killed the JVM within
 * seconds under GC pressure ({@code tests/robustness} {@code CloseRaceTest} runs that load).
 *
 * <p>This reads the sources: {@code address()} needs a fence on {@code this}, {@code
 * Internals.address(x)} and {@code x.nativeAddress()} one on {@code x}.
 */
class NativeFenceTest {

    private static final Pattern OWN = Pattern.compile("(?<![.\\w])(?:address|nativeAddress)\\(\\)");
    private static final Pattern INTERNAL = Pattern.compile("Internals\\.address\\(([\\w.]+)\\)");
    private static final Pattern OTHER = Pattern.compile("([\\w.]+)\\.nativeAddress\\(\\)");
    private static final Pattern METHOD = Pattern.compile(
            "(?m)^[ \\t]*(?:(?:public|protected|private|static|final|synchronized|abstract)\\s+)*"
                    + "(?:<[^>]+>\\s+)?[\\w.<>\\[\\], ?]+\\s+(\\w+)\\s*\\([^;{)]*\\)\\s*(?:throws [\\w., ]+)?\\{");

    /** Keywords the method pattern also matches ({@code else if (x) {}}). */
    private static final List<String> NOT_METHODS =
            List.of("if", "for", "while", "switch", "catch", "synchronized", "try");

    @Test
    void everyNativeUseOfAnAddressIsFenced() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String src = stripComments(Files.readString(file));
                Matcher m = METHOD.matcher(src);
                while (m.find()) {
                    String name = m.group(1);
                    int open = m.end() - 1;
                    String body = src.substring(open, close(src, open) + 1);
                    if (NOT_METHODS.contains(name) || name.equals("address") || name.equals("nativeAddress")) {
                        continue;
                    }
                    for (String handle : handles(body)) {
                        checked++;
                        if (!body.contains("reachabilityFence(" + handle + ")")) {
                            problems.add(main.relativize(file) + ": " + name + "() passes the address of `"
                                    + handle + "` to native code without Reference.reachabilityFence("
                                    + handle + ")");
                        }
                    }
                }
            }
        }
        assertTrue(checked > 20, "found only " + checked + " address uses: is the pattern stale?");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The handles whose addresses a method body reads. */
    private static List<String> handles(String body) {
        List<String> out = new ArrayList<>();
        if (OWN.matcher(body).find()) {
            out.add("this");
        }
        for (Pattern p : List.of(INTERNAL, OTHER)) {
            Matcher m = p.matcher(body);
            while (m.find()) {
                if (!out.contains(m.group(1))) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    private static int close(String src, int open) {
        int depth = 0;
        for (int i = open; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return src.length() - 1;
    }

    /** Removes comments and string literals, so braces and names in them do not count. */
    private static String stripComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }
}
