package io.github.wasmtimejvm.flink;

import io.github.wasmtimejvm.component.ShippedFunction;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records per second on one core (a local environment of parallelism 1) of the scoring logic over
 * {@value #ROWS} generated records, summed so every record is computed: no scoring at all (the
 * job's fixed cost and the records' generation, {@code none}), in Java ({@code javaMap}), as the
 * C component's {@code score} per record ({@code componentMap}), and as its {@code score-batch}
 * over 4096-record batches of a full-window partition ({@code componentBatched}, beside the same
 * partition scored in Java, {@code javaPartitions}, which costs what the window costs). One op is one job; records/s is {@value
 * #ROWS} / the op's time. Run by integrations/flink/bench.sh.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class FlinkFunctionBenchmark {
    static final int ROWS = 1_000_000;

    @Param({"none", "javaMap", "componentMap", "javaPartitions", "componentBatched"})
    public String variant;

    private ShippedFunction score;
    private ShippedFunction batch;

    @Setup(Level.Trial)
    public void setUp() {
        Path component = Path.of(System.getProperty("wasmtime.jvm.guests", "target/guests"), "scoring-c.component.wasm");
        score = ShippedFunction.of(component, ComponentFunctionTest.SCORER + "score");
        batch = ShippedFunction.of(component, ComponentFunctionTest.SCORER + "score-batch");
    }

    /** One job over the records: every record's score, summed. */
    @Benchmark
    public double pass() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        DataStream<Tuple3<Long, Double, String>> readings = ComponentFunctionTest.readings(env, ROWS);
        DataStream<Double> scores = switch (variant) {
            case "none" -> readings.map(r -> r.f1).returns(Types.DOUBLE);
            case "javaMap" -> readings.map(r -> ComponentFunctionTest.score(r.f0, r.f1, r.f2)).returns(Types.DOUBLE);
            case "componentMap" -> readings.map(ComponentMapFunction.of(score, r -> new Object[] {r.f0, r.f1, r.f2},
                    (r, s) -> (Double) s)).returns(Types.DOUBLE);
            case "javaPartitions" -> readings.fullWindowPartition()
                    .mapPartition((Iterable<Tuple3<Long, Double, String>> in, Collector<Double> out) -> {
                        for (Tuple3<Long, Double, String> r : in) {
                            out.collect(ComponentFunctionTest.score(r.f0, r.f1, r.f2));
                        }
                    })
                    .returns(Types.DOUBLE);
            case "componentBatched" -> readings.fullWindowPartition()
                    .mapPartition(ComponentBatchFunction.<Tuple3<Long, Double, String>, Double>of(batch,
                            r -> List.of(r.f0, r.f1, r.f2), (r, s) -> (Double) s, 4096))
                    .returns(Types.DOUBLE);
            default -> throw new IllegalArgumentException(variant);
        };
        List<Double> sum = scores.fullWindowPartition().reduce(Double::sum).executeAndCollect(1);
        return sum.get(0);
    }
}
