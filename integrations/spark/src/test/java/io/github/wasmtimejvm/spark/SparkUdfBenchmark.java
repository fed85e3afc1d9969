package io.github.wasmtimejvm.spark;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows per second on one core (Spark local[1]) of the scoring logic over a generated table of
 * {@value #ROWS} rows, summed so every row is computed: as a Java UDF ({@code javaUdf}), as the C
 * component's {@code score} row by row ({@code componentUdf}), and as its {@code score-batch} over
 * 4096-row batches in mapPartitions ({@code componentBatched}), and the same mapPartitions with the
 * logic in Java ({@code javaPartitions}: the batched form's Spark side); and the crossing alone, a UDF
 * that returns its double argument, in Java ({@code javaPassThrough}) and as the component's
 * {@code checked} ({@code componentPassThrough}). One op is one pass over the table; rows/s is
 * {@value #ROWS} / the op's time. Run by integrations/spark/bench.sh.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class SparkUdfBenchmark {
    static final int ROWS = 1_000_000;
    static final String SCORER = "docs:scoring/scorer@0.1.0#";

    @Param({"javaUdf", "componentUdf", "componentBatched", "javaPartitions", "javaPassThrough", "componentPassThrough"})
    public String variant;

    private SparkSession spark;
    private Dataset<Row> pass;

    @Setup(Level.Trial)
    public void setUp() {
        Path component = Path.of(System.getProperty("wasmtime.jvm.guests", "target/guests"), "scoring-c.component.wasm");
        spark = SparkSession.builder().master("local[1]").appName("spark-udf-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        Dataset<Row> table = spark.range(ROWS).selectExpr(
                "id",
                "cast(id % 1000 as double) / 10.0 as value",
                "concat('row-', cast(id % 97 as string)) as label")
                .cache();
        table.count();
        switch (variant) {
            case "javaUdf" -> pass = table.select(ComponentUdfTest.javaScore()
                    .apply(table.col("id"), table.col("value"), table.col("label")).as("s"));
            case "componentUdf" -> pass = table.select(ComponentUdf.of(component, SCORER + "score")
                    .apply(table, "id", "value", "label").as("s"));
            case "componentBatched" -> pass = ComponentUdf.of(component, SCORER + "score-batch")
                    .mapBatches(table, "s", 4096).select("s");
            case "javaPartitions" -> pass = table.mapPartitions(javaPartitions(),
                    Encoders.row(table.schema().add("s", DataTypes.DoubleType, true))).select("s");
            case "javaPassThrough" -> {
                Column c = functions.udf((UDF1<Double, Double>) v -> v, DataTypes.DoubleType).apply(table.col("value"));
                pass = table.select(c.as("s"));
            }
            case "componentPassThrough" -> pass = table.select(ComponentUdf.of(component, SCORER + "checked")
                    .apply(table, "value").as("s"));
            default -> throw new IllegalArgumentException(variant);
        }
    }

    /**
     * The batched form's Spark side alone: the same mapPartitions over Rows, each row copied with
     * its result added, the logic in Java (what the component path cannot go below).
     */
    static MapPartitionsFunction<Row, Row> javaPartitions() {
        return rows -> new Iterator<Row>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row r = rows.next();
                return RowFactory.create(r.get(0), r.get(1), r.get(2),
                        ComponentUdfTest.score(r.getLong(0), r.getDouble(1), r.getString(2)));
            }
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        spark.stop();
    }

    /** One pass over the table: every row's result, summed. */
    @Benchmark
    public double pass() {
        return pass.agg(functions.sum("s")).first().getDouble(0);
    }
}
