package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.CompileException;
import io.github.wasmtimejvm.Guests;
import io.github.wasmtimejvm.TrapException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A component function shipped as Spark and Flink ship it: serialized with Java serialization,
 * read back (as an executor would), loaded from its checked image and called, on several threads.
 * The guest is the C scoring component (guests/scoring/scoring.c).
 */
class ShippedFunctionTest {
    static final String SCORER = "docs:scoring/scorer@0.1.0#";

    static ShippedFunction roundTrip(ShippedFunction f) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(f);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ShippedFunction) in.readObject();
        }
    }

    @Test
    void aShippedFunctionIsCalledWhereItArrives() throws Exception {
        ShippedFunction score = roundTrip(ShippedFunction.of(Guests.path("scoring-c.component.wasm"), SCORER + "score"));
        assertEquals("scoring-c.component.wasm", score.componentName());
        assertEquals("func(id: s64, value: f64, label: string) -> f64", score.type().toString());
        assertEquals(7.5, score.call(10L, 1.0, "ab"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?>[] runs = new Future<?>[6];
            for (int t = 0; t < runs.length; t++) {
                long id = t;
                runs[t] = pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        assertEquals(i * 2.5 + id % 7 + 1, score.call(id, (double) i, "x"));
                    }
                });
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (ShippedFunction.Caller own = score.open()) {
            assertEquals(2.5 + 3 + 2, own.call(10L, 1.0, "ab"));
        }
    }

    @Test
    void aTrapDropsTheInstanceAndTheNextCallGetsAFreshOne() throws Exception {
        ShippedFunction checked = ShippedFunction.of(Guests.path("scoring-c.component.wasm"), SCORER + "checked");
        assertEquals(1.0, checked.call(1.0));
        assertThrows(TrapException.class, () -> checked.call(-1.0));
        assertEquals(2.0, checked.call(2.0), "a fresh instance answers after the trap");
    }

    @Test
    void aCorruptedImageIsRefusedNotRun() throws Exception {
        ShippedFunction score = ShippedFunction.of(Guests.path("scoring-c.component.wasm"), SCORER + "shout");
        java.lang.reflect.Field image = ShippedFunction.class.getDeclaredField("image");
        image.setAccessible(true);
        byte[] bytes = ((byte[]) image.get(score)).clone();
        bytes[bytes.length / 2] ^= 0x5a;
        image.set(score, bytes);
        ShippedFunction copy = roundTrip(score);
        CompileException e = assertThrows(CompileException.class, () -> copy.call("x"));
        assertTrue(e.getMessage().contains("checksum") || e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aMissingFunctionIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShippedFunction.of(Guests.path("scoring-c.component.wasm"), SCORER + "nope"));
        assertTrue(e.getMessage().contains("has no function nope"), e.getMessage());
        IllegalArgumentException iface = assertThrows(IllegalArgumentException.class,
                () -> ShippedFunction.of(Guests.path("scoring-c.component.wasm"), "docs:other/x#f"));
        assertTrue(iface.getMessage().contains("exports no docs:other/x"), iface.getMessage());
    }
}
