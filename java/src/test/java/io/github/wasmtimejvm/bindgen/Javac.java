package io.github.wasmtimejvm.bindgen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources in-process with the strictest settings the generator promises:
 * {@code --release 17 -Xlint:all -Werror -Xdoclint:all/protected} (doclint at the level javadoc checks), against the test class path (the main
 * classes of the library).
 */
final class Javac {
    private Javac() {}

    /** Compiles {@code files} (path -> source) into {@code out}; fails the test with javac's output. */
    static void compile(Map<String, String> files, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> sources = new ArrayList<>();
        files.forEach((path, text) -> sources.add(new Source(path, text)));
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            List<String> options = List.of(
                    "--release", "17", "-Xlint:all", "-Werror", "-Xdoclint:all/protected", "-proc:none",
                    "-implicit:none", "-classpath", System.getProperty("java.class.path"));
            boolean ok = javac.getTask(diagnostics, fm, null, options, null, sources).call();
            assertTrue(ok, "generated sources do not compile:\n" + diagnostics + "\n" + listing(files));
        }
    }

    private static String listing(Map<String, String> files) {
        StringBuilder sb = new StringBuilder();
        files.forEach((path, text) -> {
            sb.append("==== ").append(path).append('\n');
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                sb.append(String.format("%4d  %s%n", i + 1, lines[i]));
            }
        });
        return sb.toString();
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String path, String text) {
            super(Path.of(path).toUri(), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
