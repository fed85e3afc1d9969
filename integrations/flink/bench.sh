#!/usr/bin/env bash
# Runs the Flink integration's JMH benchmark (FlinkFunctionBenchmark: whole jobs over a million
# records) on this machine and writes its results to benchmarks/results/<date>/flink/
# (jmh.txt, jmh.json, command.txt).
#
#   bash integrations/flink/bench.sh          # after mvn install and guests/build.sh
#   bash integrations/flink/bench.sh Flink -p variant=javaMap,componentBatched   # JMH options
set -euo pipefail
cd "$(dirname "$0")/../.."
filter="${1:-Benchmark}"
out="${BENCH_OUT:-benchmarks/results/$(date -u +%Y-%m-%d)}/flink"
mkdir -p "$out"
mvn -B -ntp -q test-compile -pl integrations/flink
mvn -B -ntp -q dependency:build-classpath -pl integrations/flink -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/target/flink-bench.classpath"
cp="integrations/flink/target/test-classes:integrations/flink/target/classes:$(cat target/flink-bench.classpath)"
# What Flink 2 needs opened on Java 17 (as in the module's surefire configuration).
opens="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED \
-Xmx2g -Dwasmtime.jvm.guests=$PWD/target/guests -Dwasmtime.jvm.leakDetection=off"
echo "bash integrations/flink/bench.sh $*   # at $(git rev-parse --short HEAD) ($(date -u '+%Y-%m-%d %H:%M UTC'))" > "$out/command.txt"
LD_PRELOAD="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so" \
java -cp "$cp" org.openjdk.jmh.Main "$filter" "${@:2}" -jvmArgsAppend "$opens" -rf json -rff "$out/jmh.json" \
  | tee "$out/jmh.txt"
