package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.CompiledCodeKey;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, part 3: {@code Component.deserialize} of changed bytes crashed the JVM (3,000 mutated
 * images gave 108 crashes; overwriting {@code .text} of a serialized {@code add} made {@code
 * add(1, 2)} crash every time). Serialized code is now a checked image: every change is refused
 * with a {@link CompileException} before wasmtime reads the bytes.
 */
class CompiledImageTest {

    private static int add(Engine engine, Component c) {
        try (Linker linker = new Linker(engine); Store store = new Store(engine)) {
            return (int) linker.instantiate(store, c).func("add").scalar().call(1, 2);
        }
    }

    private static String addWat() throws Exception {
        return Files.readString(Fixtures.component("add"), StandardCharsets.UTF_8);
    }

    @Test
    void mutatedImagesAreRefusedNeverRun() throws Exception {
        try (Engine engine = new Engine(); Component add = Component.fromWat(engine, addWat())) {
            byte[] image = add.serialize();
            Random random = new Random(8);
            int refused = 0;
            for (int i = 0; i < 3000; i++) {
                byte[] bad = image.clone();
                switch (i % 4) {
                    case 0 -> bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> bad = Arrays.copyOf(bad, random.nextInt(bad.length));
                    case 2 -> {
                        // Overwrite a run of code-sized bytes in the payload with int3 / zeros.
                        int at = 52 + random.nextInt(bad.length - 52);
                        Arrays.fill(bad, at, Math.min(bad.length, at + 1 + random.nextInt(64)),
                                (byte) (random.nextBoolean() ? 0xcc : 0));
                        if (Arrays.equals(bad, image)) {
                            bad[at] ^= 1;
                        }
                    }
                    default -> {
                        bad = Arrays.copyOf(bad, bad.length + 1 + random.nextInt(16));
                    }
                }
                byte[] mutant = bad;
                assertThrows(CompileException.class, () -> Component.deserialize(engine, mutant), "mutant " + i);
                refused++;
            }
            assertEquals(3000, refused);
            try (Component again = Component.deserialize(engine, image)) {
                assertEquals(3, add(engine, again));
            }
        }
    }

    @Test
    void theRefusalSaysWhatIsWrong() throws Exception {
        try (Engine engine = new Engine(); Component add = Component.fromWat(engine, addWat())) {
            byte[] image = add.serialize();
            byte[] flipped = image.clone();
            flipped[flipped.length / 2] ^= 4;
            assertTrue(assertThrows(CompileException.class, () -> Component.deserialize(engine, flipped))
                    .getMessage().contains("checksum does not match"));
            byte[] cut = Arrays.copyOf(image, image.length - 100);
            assertTrue(assertThrows(CompileException.class, () -> Component.deserialize(engine, cut))
                    .getMessage().contains("truncated"));
            // Raw wasmtime bytes are named as such, with the method that loads them.
            byte[] raw = Arrays.copyOfRange(image, 52, image.length);
            assertTrue(assertThrows(CompileException.class, () -> Component.deserialize(engine, raw))
                    .getMessage().contains("deserializeUnsafe"));
            try (Component unchecked = Component.deserializeUnsafe(engine, raw)) {
                assertEquals(3, add(engine, unchecked));
            }
        }
    }

    @Test
    void aKeyedEngineLoadsOnlyWhatItsKeySigned() throws Exception {
        CompiledCodeKey key = CompiledCodeKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        CompiledCodeKey other = CompiledCodeKey.of("another key, also long enough".getBytes(StandardCharsets.UTF_8));
        try (Engine signed = new Engine(Engine.Config.builder().compiledCodeKey(key).build());
                Engine stranger = new Engine(Engine.Config.builder().compiledCodeKey(other).build());
                Engine plain = new Engine();
                Component add = Component.fromWat(signed, addWat());
                Component plainAdd = Component.fromWat(plain, addWat())) {
            byte[] image = add.serialize();
            try (Component again = Component.deserialize(signed, image)) {
                assertEquals(3, add(signed, again));
            }
            byte[] pre = signed.precompileComponent(addWat().getBytes(StandardCharsets.UTF_8));
            Component.deserialize(signed, pre).close();
            assertThrows(CompileException.class, () -> Component.deserialize(stranger, image));
            assertThrows(CompileException.class, () -> Component.deserialize(plain, image));
            // A checksummed image is not enough for an engine that requires signatures.
            CompileException e = assertThrows(CompileException.class,
                    () -> Component.deserialize(signed, plainAdd.serialize()));
            assertTrue(e.getMessage().contains("only a checksum"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CompiledCodeKey.of(new byte[8]));
        assertEquals("CompiledCodeKey[32 bytes]", key.toString());
    }
}
