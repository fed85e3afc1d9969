package io.github.wasmtimejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Trap codes cross from native code as numbers of one table, {@code TRAP_CODES} in {@code
 * native/src/core/error.rs}: every entry of it must name the Java constant of that number.
 */
class TrapCodeTest {

    @Test
    void everyNumberOfTheNativeTableIsTheJavaConstantOfTheSameName() throws IOException {
        String source = Files.readString(Path.of("../native/src/core/error.rs"));
        Matcher m = Pattern.compile("\\(Trap::(\\w+), (\\d+)\\),").matcher(source);
        int seen = 0;
        while (m.find()) {
            int n = Integer.parseInt(m.group(2));
            assertEquals(TrapCode.fromWasmtimeName(m.group(1)), TrapCode.fromNumber(n), m.group());
            seen++;
        }
        assertTrue(seen >= 25, "read " + seen + " entries: is the pattern stale?");
        assertEquals(TrapCode.HOST, TrapCode.fromNumber(254));
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromNumber(255));
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromNumber(-1));
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromNumber(TrapCode.HOST.ordinal()));
    }
}
