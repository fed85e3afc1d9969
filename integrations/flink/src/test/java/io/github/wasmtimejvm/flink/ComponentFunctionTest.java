package io.github.wasmtimejvm.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.component.ShippedFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scoring component (guests/scoring/scoring.c, C with wit-bindgen) as Flink functions on a
 * MiniCluster (one task manager, two slots), over the same generated million rows as the Spark
 * test; every answer is compared with the same logic in Java.
 */
class ComponentFunctionTest {
    static final int ROWS = 1_000_000;
    static final String SCORER = "docs:scoring/scorer@0.1.0#";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static Path component;

    @BeforeAll
    static void find() {
        component = Path.of(System.getProperty("wasmtime.jvm.guests", "../../target/guests"), "scoring-c.component.wasm");
        assertTrue(Files.isRegularFile(component), component + " is missing: run guests/build.sh");
    }

    /** The component's score, written in Java. */
    static double score(long id, double value, String label) {
        return value * 2.5 + (id % 7) + label.getBytes(StandardCharsets.UTF_8).length;
    }

    static DataStream<Tuple3<Long, Double, String>> readings(StreamExecutionEnvironment env, long rows) {
        return env.fromSequence(0, rows - 1)
                .map(id -> Tuple3.of(id, (id % 1000) / 10.0 - 3.0, "row-" + (id % 97)))
                .returns(Types.TUPLE(Types.LONG, Types.DOUBLE, Types.STRING));
    }

    /** Rows seen and rows whose answer differs from Java's, summed over the partitions. */
    static Tuple2<Long, Long> totals(DataStream<Long> mismatches) throws Exception {
        List<Tuple2<Long, Long>> partials = mismatches
                .map(m -> Tuple2.of(1L, m)).returns(Types.TUPLE(Types.LONG, Types.LONG))
                .fullWindowPartition()
                .reduce((a, b) -> Tuple2.of(a.f0 + b.f0, a.f1 + b.f1))
                .executeAndCollect(16);
        long rows = 0;
        long differ = 0;
        for (Tuple2<Long, Long> p : partials) {
            rows += p.f0;
            differ += p.f1;
        }
        return Tuple2.of(rows, differ);
    }

    /** 1 for each record whose batched score differs from Java's, 0 for the others. */
    static DataStream<Long> batchMismatches(StreamExecutionEnvironment env, long rows) {
        ShippedFunction batch = ShippedFunction.of(component, SCORER + "score-batch");
        return readings(env, rows)
                .fullWindowPartition()
                .mapPartition(ComponentBatchFunction.<Tuple3<Long, Double, String>, Long>of(batch,
                        r -> List.of(r.f0, r.f1, r.f2),
                        (r, s) -> ((Double) s) == score(r.f0, r.f1, r.f2) ? 0L : 1L, 4096))
                .returns(Types.LONG);
    }

    @Test
    void aMillionRecordsScoreAsJavaDoes() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ShippedFunction score = ShippedFunction.of(component, SCORER + "score");
        DataStream<Long> mismatches = readings(env, ROWS)
                .map(ComponentMapFunction.of(score, r -> new Object[] {r.f0, r.f1, r.f2},
                        (r, s) -> ((Double) s) == score(r.f0, r.f1, r.f2) ? 0L : 1L))
                .returns(Types.LONG);
        Tuple2<Long, Long> t = totals(mismatches);
        assertEquals(ROWS, t.f0);
        assertEquals(0L, t.f1, "every record equal to the Java answer");
    }

    @Test
    void batchesOfRecordsGoThroughOneCallEach() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Tuple2<Long, Long> t = totals(batchMismatches(env, ROWS));
        assertEquals(ROWS, t.f0);
        assertEquals(0L, t.f1, "every record equal to the Java answer");
    }

    /** With object reuse, Flink may hand out one record object again and again: batches copy what they keep. */
    @Test
    void batchesAreRightWithObjectReuse() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().enableObjectReuse();
        Tuple2<Long, Long> t = totals(batchMismatches(env, 100_000));
        assertEquals(100_000, t.f0);
        assertEquals(0L, t.f1, "every record equal to the Java answer");
    }

    @Test
    void aTrapFailsTheJobNamingTheComponentAndTheFunction() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        ShippedFunction checked = ShippedFunction.of(component, SCORER + "checked");
        DataStream<Double> out = readings(env, 1000)
                .map(ComponentMapFunction.of(checked, r -> new Object[] {r.f1}, (r, s) -> (Double) s))
                .returns(Types.DOUBLE);
        Exception e = assertThrows(Exception.class, () -> out.executeAndCollect(2000));
        StringBuilder chain = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            chain.append(c).append('\n');
        }
        assertTrue(chain.toString().contains("component scoring-c.component.wasm, function " + SCORER + "checked trapped"),
                chain.toString());
    }
}
