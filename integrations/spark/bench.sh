#!/usr/bin/env bash
# Runs the Spark integration's JMH benchmarks (SparkUdfBenchmark: whole passes over a table;
# BatchCallBenchmark: the batch call alone) on this machine and writes their results to
# benchmarks/results/<date>/spark/ (jmh.txt, jmh.json, command.txt).
#
#   bash integrations/spark/bench.sh          # after mvn install and guests/build.sh
#   bash integrations/spark/bench.sh BatchCall    # only benchmarks matching a regex
#   bash integrations/spark/bench.sh SparkUdf -p variant=javaUdf,componentBatched   # JMH options
set -euo pipefail
cd "$(dirname "$0")/../.."
filter="${1:-Benchmark}"
out="${BENCH_OUT:-benchmarks/results/$(date -u +%Y-%m-%d)}/spark"
mkdir -p "$out"
mvn -B -ntp -q test-compile -pl integrations/spark
mvn -B -ntp -q dependency:build-classpath -pl integrations/spark -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/target/spark-bench.classpath"
cp="integrations/spark/target/test-classes:integrations/spark/target/classes:$(cat target/spark-bench.classpath)"
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Dwasmtime.jvm.guests=$PWD/target/guests \
-Dwasmtime.jvm.leakDetection=off"
echo "bash integrations/spark/bench.sh $*   # at $(git rev-parse --short HEAD) ($(date -u '+%Y-%m-%d %H:%M UTC'))" > "$out/command.txt"
java -cp "$cp" org.openjdk.jmh.Main "$filter" "${@:2}" -jvmArgsAppend "$opens" -rf json -rff "$out/jmh.json" \
  | tee "$out/jmh.txt"
