package io.github.wasmtimejvm.spark;

import io.github.wasmtimejvm.component.ShippedFunction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The crossings without Spark around them: one row through the pool of {@link ShippedFunction}
 * ({@code rowCall}, the scoring component's {@code score}, what a row UDF makes), and per record of a
 * {@value #BATCH}-record batch of its {@code score-batch}: the records as plain Java maps through
 * {@link ShippedFunction.Caller#call} ({@code call}), and Spark rows through the integration's
 * conversion and call ({@code callBatch}, what {@link ComponentUdf#mapBatches} does per batch).
 * The native bench's {@code scoreBatch4096.*} rows are the same call from Rust. Run by
 * integrations/spark/bench.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class BatchCallBenchmark {
    static final int BATCH = 4096;

    private ShippedFunction.Caller caller;
    private ShippedFunction score;
    private long next;
    private ComponentUdf udf;
    private List<Object> records;
    private List<Row> rows;
    private final int[] columns = {0, 1, 2};

    @Setup(Level.Trial)
    public void setUp() {
        Path component = Path.of(System.getProperty("wasmtime.jvm.guests", "target/guests"), "scoring-c.component.wasm");
        String function = SparkUdfBenchmark.SCORER + "score-batch";
        caller = ShippedFunction.of(component, function).open();
        score = ShippedFunction.of(component, SparkUdfBenchmark.SCORER + "score");
        udf = ComponentUdf.of(component, function);
        records = new ArrayList<>(BATCH);
        rows = new ArrayList<>(BATCH);
        for (long id = 0; id < BATCH; id++) {
            double value = (id % 1000) / 10.0;
            String label = "row-" + (id % 97);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", id);
            r.put("value", value);
            r.put("label", label);
            records.add(r);
            rows.add(RowFactory.create(id, value, label));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        caller.close();
    }

    /** One row's call of the row function {@code score} through the JVM's pool, as a row UDF makes it. */
    @Benchmark
    public Object rowCall() {
        long id = next++ & 1023;
        return score.call(id, id / 10.0, "row-" + (id % 97));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object call() {
        return caller.call(records);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object callBatch() {
        return udf.callBatch(rows, columns);
    }
}
