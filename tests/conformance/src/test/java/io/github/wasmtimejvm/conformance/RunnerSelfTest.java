package io.github.wasmtimejvm.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.component.Val;
import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.module.GcRef;
import io.github.wasmtimejvm.module.Linker;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.module.ValType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner itself must never pass what it did not check. */
class RunnerSelfTest {

    private static Object json(String s) {
        return Json.parse(s);
    }

    @Test
    void floatsCompareBitForBitAndHonourNanPatterns() {
        Object canonical = json("{\"kind\": \"f32\", \"nan\": \"canonical\"}");
        assertNull(Values.mismatch(canonical, new Val.F32(Float.intBitsToFloat(0x7fc0_0000))));
        assertNull(Values.mismatch(canonical, new Val.F32(Float.intBitsToFloat(0xffc0_0000))));
        assertNotNull(Values.mismatch(canonical, new Val.F32(Float.intBitsToFloat(0x7fc0_0001))));
        Object arithmetic = json("{\"kind\": \"f32\", \"nan\": \"arithmetic\"}");
        assertNull(Values.mismatch(arithmetic, new Val.F32(Float.intBitsToFloat(0x7fc0_0001))));
        assertNotNull(Values.mismatch(arithmetic, new Val.F32(Float.intBitsToFloat(0x7f80_0001))));
        // An exact NaN payload must match exactly; -0.0 is not 0.0.
        assertNotNull(Values.mismatch(json("{\"kind\": \"f64\", \"bits\": 9221120237041090560}"),
                new Val.F64(Double.longBitsToDouble(0x7ff8_0000_0000_0001L))));
        assertNotNull(Values.mismatch(json("{\"kind\": \"f64\", \"bits\": 0}"), new Val.F64(-0.0)));
        assertNull(Values.mismatch(json("{\"kind\": \"f64\", \"bits\": 9223372036854775808}"), new Val.F64(-0.0)));
    }

    @Test
    void kindsAndStructureMustMatchExactly() {
        assertNotNull(Values.mismatch(json("{\"kind\": \"u32\", \"value\": 1}"), new Val.S32(1)));
        assertNull(Values.mismatch(json("{\"kind\": \"u64\", \"value\": 18446744073709551615}"), new Val.U64(-1)));
        Object record = json("{\"kind\": \"record\", \"fields\": [{\"name\": \"a\", \"value\": {\"kind\": \"u8\", \"value\": 1}},"
                + " {\"name\": \"b\", \"value\": {\"kind\": \"u8\", \"value\": 2}}]}");
        assertNull(Values.mismatch(record, Val.record(Val.field("a", Val.u8(1)), Val.field("b", Val.u8(2)))));
        assertNotNull(Values.mismatch(record, Val.record(Val.field("b", Val.u8(2)), Val.field("a", Val.u8(1)))));
        assertNotNull(Values.mismatch(record, Val.record(Val.field("a", Val.u8(1)))));
        Object flags = json("{\"kind\": \"flags\", \"names\": [\"x\", \"y\"]}");
        assertNull(Values.mismatch(flags, Val.flags("y", "x")));
        assertNotNull(Values.mismatch(flags, Val.flags("x")));
        Object list = json("{\"kind\": \"list\", \"values\": [{\"kind\": \"char\", \"value\": 128512}]}");
        assertNull(Values.mismatch(list, Val.list(new Val.Char(0x1F600))));
        assertNull(Values.mismatch(list, Val.fixedList(new Val.Char(0x1F600))));
        assertNotNull(Values.mismatch(list, Val.tuple(new Val.Char(0x1F600))));
        assertNotNull(Values.mismatch(json("{\"kind\": \"option\", \"value\": null}"), Val.some(Val.u8(0))));
        assertNotNull(Values.mismatch(json("{\"kind\": \"result\", \"ok\": true, \"value\": null}"), Val.err()));
        assertNotNull(Values.mismatch(json("{\"kind\": \"variant\", \"case\": \"a\", \"payload\": null}"),
                Val.variant("a", Val.u8(0))));
    }

    private static final String ADD_ONE = """
            (component
              (core module $m (func (export "f") (param i32) (result i32)
                (i32.add (local.get 0) (i32.const 1))))
              (core instance $i (instantiate $m))
              (func (export "f") (param "x" u32) (result u32) (canon lift (core func $i "f"))))
            """;

    @Test
    void everyDirectiveThatIsNotCheckedFails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("0.wat"), ADD_ONE);
        Files.writeString(dir.resolve("1.wat"), "(component (import \"missing\" (func)))");
        String module = "{\"kind\": \"component\", \"file\": \"0.wat\", \"format\": \"text\"}";
        String u32 = "{\"kind\": \"u32\", \"value\": %d}";
        String invoke = "{\"type\": \"invoke\", \"instance\": null, \"field\": \"f\", \"args\": [" + u32 + "]}";
        List<String> ds = List.of(
                "{\"type\": \"module\", \"line\": 1, \"name\": null, \"module\": " + module + "}",
                "{\"type\": \"assert_return\", \"line\": 2, \"action\": " + invoke.formatted(1)
                        + ", \"expected\": [" + u32.formatted(2) + "]}",
                "{\"type\": \"assert_return\", \"line\": 3, \"action\": " + invoke.formatted(1)
                        + ", \"expected\": [" + u32.formatted(3) + "]}",
                "{\"type\": \"assert_return\", \"line\": 4, \"action\": " + invoke.formatted(1) + ", \"expected\": []}",
                "{\"type\": \"assert_trap\", \"line\": 5, \"action\": " + invoke.formatted(1) + ", \"text\": \"unreachable\"}",
                "{\"type\": \"assert_invalid\", \"line\": 6, \"module\": " + module + ", \"text\": \"x\"}",
                "{\"type\": \"assert_unlinkable\", \"line\": 7, \"module\": {\"kind\": \"component\", \"file\": \"1.wat\","
                        + " \"format\": \"text\"}, \"text\": \"missing\"}",
                "{\"type\": \"assert_unlinkable\", \"line\": 8, \"module\": {\"kind\": \"component\", \"file\": \"1.wat\","
                        + " \"format\": \"text\"}, \"text\": \"something else\"}",
                "{\"type\": \"register\", \"line\": 9, \"as\": \"x\", \"instance\": null}",
                "{\"type\": \"unsupported\", \"line\": 10, \"reason\": \"because\"}",
                "{\"type\": \"module\", \"line\": 11, \"name\": null, \"module\": {\"kind\": \"component\","
                        + " \"file\": \"1.wat\", \"format\": \"text\"}}",
                "{\"type\": \"assert_return\", \"line\": 12, \"action\": " + invoke.formatted(1)
                        + ", \"expected\": [" + u32.formatted(2) + "]}");
        List<Object> directives = new ArrayList<>();
        for (String d : ds) {
            directives.add(json(d));
        }
        List<ScriptRunner.Outcome> out;
        try (ScriptRunner runner = new ScriptRunner(dir, Map.of())) {
            out = runner.run(directives);
        }
        boolean[] expected = {true, true, false, false, false, false, true, false, false, false, false, false};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], out.get(i).passed(), "line " + out.get(i).line() + ": " + out.get(i).detail());
        }
        assertTrue(out.get(11).detail().contains("line 11"), out.get(11).detail());
    }

    @Test
    void coreValuesMatchAsWasmtimesRunnerMatchesThem() {
        assertNull(CoreValues.mismatch(json("{\"kind\": \"i32\", \"value\": -1}"), -1, ValType.I32));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"i32\", \"value\": -1}"), -1L, ValType.I64));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"i64\", \"value\": 1}"), 2L, ValType.I64));
        Object canonical = json("{\"kind\": \"f32\", \"nan\": \"canonical\"}");
        assertNull(CoreValues.mismatch(canonical, Float.intBitsToFloat(0xffc0_0000), ValType.F32));
        assertNotNull(CoreValues.mismatch(canonical, Float.intBitsToFloat(0x7fc0_0001), ValType.F32));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"f64\", \"bits\": 0}"), -0.0, ValType.F64));
        // v128 lane by lane in the written shape; a float lane may be a NaN pattern.
        byte[] v = new byte[16];
        v[0] = (byte) 0xff;
        assertNull(CoreValues.mismatch(json("{\"kind\": \"v128\", \"shape\": \"i8x16\", \"lanes\": [-1"
                + ", 0".repeat(15) + "]}"), v, ValType.V128));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"v128\", \"shape\": \"i16x8\", \"lanes\": [-1"
                + ", 0".repeat(7) + "]}"), v, ValType.V128));
        byte[] nans = new byte[16];
        for (int i = 0; i < 4; i++) {
            nans[4 * i + 2] = (byte) 0xc0;
            nans[4 * i + 3] = (byte) 0x7f;
        }
        String lane = "{\"kind\": \"f32\", \"nan\": \"arithmetic\"}";
        assertNull(CoreValues.mismatch(json("{\"kind\": \"v128\", \"shape\": \"f32x4\", \"lanes\": ["
                + String.join(", ", List.of(lane, lane, lane, lane)) + "]}"), nans, ValType.V128));
        // References: the pattern decides what matches.
        assertNull(CoreValues.mismatch(json("{\"kind\": \"ref_null\", \"heap\": \"func\"}"), null, ValType.FUNCREF));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"ref_null\", \"heap\": \"extern\"}"), null, ValType.FUNCREF));
        assertNull(CoreValues.mismatch(json("{\"kind\": \"ref_null\", \"heap\": null}"), null, ValType.ANYREF));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"ref_func\", \"index\": 0}"), null, ValType.FUNCREF));
        assertNull(CoreValues.mismatch(json("{\"kind\": \"ref_extern\", \"host\": 3}"), new CoreScript.HostRef(3),
                ValType.EXTERNREF));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"ref_extern\", \"host\": 3}"), new CoreScript.HostRef(4),
                ValType.EXTERNREF));
        assertNull(CoreValues.mismatch(json("{\"kind\": \"ref_eq\"}"), new GcRef(GcRef.Kind.STRUCT, 0), ValType.ANYREF));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"ref_eq\"}"), new GcRef(GcRef.Kind.OTHER, 0), ValType.ANYREF));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"ref_i31\"}"), null, ValType.ANYREF));
        Object either = json("{\"kind\": \"either\", \"values\": [{\"kind\": \"i32\", \"value\": 1},"
                + " {\"kind\": \"i32\", \"value\": 2}]}");
        assertNull(CoreValues.mismatch(either, 2, ValType.I32));
        assertNotNull(CoreValues.mismatch(either, 3, ValType.I32));
        assertNotNull(CoreValues.mismatch(json("{\"kind\": \"ref_host\", \"host\": 1}"),
                new GcRef(GcRef.Kind.OTHER, 0), ValType.ANYREF));
    }

    private static final String CORE = """
            (module
              (import "spectest" "global_i32" (global $g i32))
              (global (export "g") i32 (global.get $g))
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "boom") unreachable)
              (func $loop (export "loop") (call $loop))
              (tag $t) (func (export "throw") (throw $t)))
            """;

    @Test
    void everyCoreDirectiveThatIsNotCheckedFails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("0.wat"), CORE);
        Files.writeString(dir.resolve("1.wat"), "(module (import \"m\" \"add\" (func (param i32 i32) (result i32))))");
        String module = "{\"kind\": \"module\", \"file\": \"0.wat\", \"format\": \"text\"}";
        String importer = "{\"kind\": \"module\", \"file\": \"1.wat\", \"format\": \"text\"}";
        String i32 = "{\"kind\": \"i32\", \"value\": %d}";
        String add = "{\"type\": \"invoke\", \"instance\": null, \"field\": \"add\", \"args\": [" + i32.formatted(1)
                + ", " + i32.formatted(2) + "]}";
        String call = "{\"type\": \"invoke\", \"instance\": null, \"field\": \"%s\", \"args\": []}";
        List<String> ds = List.of(
                "{\"type\": \"module\", \"line\": 1, \"name\": null, \"module\": " + module + "}",
                "{\"type\": \"assert_return\", \"line\": 2, \"action\": " + add + ", \"expected\": [" + i32.formatted(3) + "]}",
                "{\"type\": \"assert_return\", \"line\": 3, \"action\": " + add + ", \"expected\": [" + i32.formatted(4) + "]}",
                "{\"type\": \"assert_return\", \"line\": 4, \"action\": {\"type\": \"get\", \"instance\": null,"
                        + " \"field\": \"g\"}, \"expected\": [" + i32.formatted(666) + "]}",
                "{\"type\": \"assert_trap\", \"line\": 5, \"action\": " + call.formatted("boom") + ", \"text\": \"unreachable\"}",
                "{\"type\": \"assert_trap\", \"line\": 6, \"action\": " + call.formatted("boom") + ", \"text\": \"elsewhere\"}",
                "{\"type\": \"assert_exhaustion\", \"line\": 7, \"action\": " + call.formatted("loop") + ", \"text\": \"call stack exhausted\"}",
                "{\"type\": \"assert_exhaustion\", \"line\": 8, \"action\": " + call.formatted("boom") + ", \"text\": \"unreachable\"}",
                "{\"type\": \"assert_exception\", \"line\": 9, \"action\": " + call.formatted("throw") + "}",
                "{\"type\": \"assert_exception\", \"line\": 10, \"action\": " + call.formatted("boom") + "}",
                "{\"type\": \"assert_unlinkable\", \"line\": 11, \"module\": " + importer + ", \"text\": \"unknown import\"}",
                "{\"type\": \"register\", \"line\": 12, \"as\": \"m\", \"instance\": null}",
                "{\"type\": \"assert_unlinkable\", \"line\": 13, \"module\": " + importer + ", \"text\": \"unknown import\"}",
                "{\"type\": \"assert_invalid\", \"line\": 14, \"module\": " + module + ", \"text\": \"x\"}",
                "{\"type\": \"assert_return\", \"line\": 15, \"action\": " + call.formatted("missing") + ", \"expected\": []}");
        List<Object> directives = new ArrayList<>();
        for (String d : ds) {
            directives.add(json(d));
        }
        List<ScriptRunner.Outcome> out;
        try (ScriptRunner runner = new ScriptRunner(dir, Map.of(), true, false)) {
            out = runner.run(directives);
        }
        boolean[] expected = {true, true, false, true, true, false, true, false, true, false, true, true, false, false, false};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], out.get(i).passed(), "line " + out.get(i).line() + ": " + out.get(i).detail());
        }
    }

    /** The second engine of the relaxed-SIMD scripts really has the deterministic semantics. */
    @Test
    void relaxedSimdDeterministicGivesTheDeterministicSwizzle() {
        String wat = "(module (func (export \"f\") (param v128 v128) (result v128)"
                + " (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))";
        byte[] table = new byte[16];
        byte[] index = new byte[16];
        for (int i = 0; i < 16; i++) {
            table[i] = (byte) (i + 1);
            index[i] = (byte) (16 + i); // out of range: 0 deterministically, table[i] with x86's pshufb
        }
        try (Engine engine = new Engine(Engine.Config.builder().relaxedSimdDeterministic(true).build());
                Store store = new Store(engine);
                Module module = Module.fromWat(engine, wat);
                Linker linker = new Linker(engine)) {
            byte[] out = (byte[]) linker.instantiate(store, module).func("f").call(table, index)[0];
            assertArrayEquals(new byte[16], out, Arrays.toString(out));
        }
    }

    @Test
    void anExclusionNeedsAReasonAndAppearsOnce(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("exclusions.txt");
        Files.writeString(f, "# comment\n\na.wast:1 reason\na.wast:2\na.wast:1 again\nnot-an-entry\n");
        List<String> problems = new ArrayList<>();
        var ex = ConformanceRunner.readExclusions(f, problems);
        assertEquals(1, ex.size());
        assertEquals(3, problems.size(), problems.toString());
        assertFalse(ex.get("a.wast:1").reason().isEmpty());
    }
}
