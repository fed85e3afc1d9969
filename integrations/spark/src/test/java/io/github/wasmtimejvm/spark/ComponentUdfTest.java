package io.github.wasmtimejvm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scoring component (guests/scoring/scoring.c, C with wit-bindgen, built by guests/build.sh)
 * as a Spark UDF in local mode with two executor threads, on a generated table of a million
 * rows; every answer is compared with the same logic as a Java UDF.
 */
class ComponentUdfTest {
    static final int ROWS = 1_000_000;
    static final String SCORER = "docs:scoring/scorer@0.1.0#";

    private static SparkSession spark;
    private static Path component;
    private static Dataset<Row> table;

    @BeforeAll
    static void start() {
        component = Path.of(System.getProperty("wasmtime.jvm.guests", "../../target/guests"), "scoring-c.component.wasm");
        assertTrue(Files.isRegularFile(component), component + " is missing: run guests/build.sh");
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("wasmtime-jvm-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        table = spark.range(ROWS).selectExpr(
                "id",
                "cast(id % 1000 as double) / 10.0 - 3.0 as value",
                "concat('row-', cast(id % 97 as string)) as label");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The component's score, written in Java. */
    static double score(long id, double value, String label) {
        return value * 2.5 + (id % 7) + label.getBytes(StandardCharsets.UTF_8).length;
    }

    static UserDefinedFunction javaScore() {
        return functions.udf((UDF3<Long, Double, String, Double>) ComponentUdfTest::score, DataTypes.DoubleType);
    }

    @Test
    void aMillionRowsScoreAsTheJavaUdfDoes() {
        ComponentUdf udf = ComponentUdf.of(component, SCORER + "score");
        assertEquals(DataTypes.DoubleType, udf.returnType());
        assertEquals(List.of(DataTypes.LongType, DataTypes.DoubleType, DataTypes.StringType), udf.parameterTypes());
        Dataset<Row> scored = table
                .withColumn("wasm", udf.apply(table, "id", "value", "label"))
                .withColumn("java", javaScore().apply(table.col("id"), table.col("value"), table.col("label")));
        Row totals = scored.selectExpr("count(*)", "sum(cast(wasm = java as int))", "sum(wasm)").first();
        assertEquals(ROWS, totals.getLong(0));
        assertEquals(ROWS, totals.getLong(1), "every row equal to the Java UDF's");
        assertTrue(totals.getDouble(2) > 0);
    }

    @Test
    void batchesOfRowsGoThroughOneCallEach() {
        ComponentUdf batch = ComponentUdf.of(component, SCORER + "score-batch");
        Dataset<Row> scored = batch.mapBatches(table, "wasm", 4096)
                .withColumn("java", javaScore().apply(functions.col("id"), functions.col("value"), functions.col("label")));
        Row totals = scored.selectExpr("count(*)", "sum(cast(wasm = java as int))").first();
        assertEquals(ROWS, totals.getLong(0));
        assertEquals(ROWS, totals.getLong(1), "every row equal to the Java UDF's");
    }

    @Test
    void sqlCallsTheRegisteredFunction() {
        ComponentUdf.of(component, SCORER + "score").register(spark, "wasm_score");
        table.limit(1000).createOrReplaceTempView("readings");
        Row r = spark.sql("SELECT id, value, label, wasm_score(id, value, label) AS s FROM readings WHERE id = 10").first();
        assertEquals(score(10, r.getDouble(1), r.getString(2)), r.getDouble(3));
    }

    @Test
    void optionsAreNullable() {
        ComponentUdf shout = ComponentUdf.of(component, SCORER + "shout");
        Dataset<Row> labels = spark.sql("SELECT * FROM VALUES ('abc'), (''), ('Row-7') AS t(label)");
        List<Row> rows = labels.withColumn("loud", shout.apply(labels, "label")).collectAsList();
        assertEquals("ABC", rows.get(0).getString(1));
        assertNull(rows.get(1).get(1), "none is null");
        assertEquals("ROW-7", rows.get(2).getString(1));
    }

    @Test
    void aColumnOfTheWrongTypeIsRefusedAtRegistrationNamingBoth() {
        ComponentUdf udf = ComponentUdf.of(component, SCORER + "score");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> udf.apply(table, "label", "value", "label"));
        assertEquals("column label is string but parameter id of " + SCORER + "score is s64 (bigint)", e.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> udf.apply(table, "id"));
        assertTrue(count.getMessage().contains("takes 3 parameters"), count.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ComponentUdf.of(component, SCORER + "no-such"));
        assertTrue(missing.getMessage().contains("has no function no-such"), missing.getMessage());
    }

    @Test
    void aTrapFailsTheTaskNamingTheComponentAndTheFunction() {
        ComponentUdf checked = ComponentUdf.of(component, SCORER + "checked");
        Dataset<Row> values = table.limit(10_000);
        SparkException e = assertThrows(SparkException.class,
                () -> values.select(checked.apply(values, "value")).collectAsList());
        String text = String.valueOf(e.getMessage()) + " " + e.getCause();
        assertTrue(text.contains("component scoring-c.component.wasm, function " + SCORER + "checked trapped"), text);
    }

    @Test
    void aTrapGivesNullWhenAskedAndTheNextRowsGoOn() {
        ComponentUdf checked = ComponentUdf.of(component, SCORER + "checked").nullOnTrap();
        Dataset<Row> values = table.limit(10_000);
        Row r = values.withColumn("c", checked.apply(values, "value"))
                .selectExpr("sum(cast(c is null as int))", "sum(cast(value < 0 as int))", "sum(cast(c = value as int))")
                .first();
        assertEquals(r.getLong(1), r.getLong(0), "null exactly where the guest trapped");
        assertEquals(10_000 - r.getLong(1), r.getLong(2), "every other row answered after the traps");
    }
}
