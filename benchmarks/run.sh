#!/usr/bin/env bash
# Runs the JMH suite and the native Rust bench in the same run, on the same fixtures, and writes
# both results plus the Java/native ratios to benchmarks/results/<date>/.
#
#   bash benchmarks/run.sh            # everything (about 10 minutes)
#   bash benchmarks/run.sh add        # only JMH benchmarks matching a regex
#   BENCH_OUT=dir bash benchmarks/run.sh ...   # results elsewhere than results/<date>
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${1:-.}"
out="${BENCH_OUT:-benchmarks/results/$(date -u +%Y-%m-%d)}"
mkdir -p "$out"

mvn -B -ntp -q -DskipTests install -pl java -am
mvn -B -ntp -q -DskipTests package -pl benchmarks
cargo build --release --locked -p wasmtime-jvm-native-bench -p guest-tool
mkdir -p target/bench
for m in wasi-hello wasi-write; do
  ./target/release/guest-tool componentize "corpus/modules/$m.wat" "target/bench/$m.wasm"
done
# The binary of the core compute kernel, for Chicory and Endive (which read no WAT).
./target/release/guest-tool wat2wasm corpus/modules/fib.wat target/bench/fib.wasm

{
  echo "# Machine"
  echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  java -version 2>&1 | head -1
  rustc --version
  echo
} > "$out/environment.txt"

# Native before and after JMH, so that a ratio is not a product of the machine drifting during
# the run: ratios.py divides by the mean of the two and reports their spread.
echo "==> native bench (before JMH)"
./target/release/native-bench corpus/components "$out/native-before.json" target/bench | tee "$out/native-before.txt"

echo "==> JMH"
java -Dwasmtime.jvm.wasiBench=target/bench -jar benchmarks/target/benchmarks.jar "$filter" \
  -jvmArgsAppend "-Dwasmtime.jvm.leakDetection=off -Dwasmtime.jvm.wasiBench=target/bench" -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"

echo "==> native bench (after JMH)"
./target/release/native-bench corpus/components "$out/native-after.json" target/bench | tee "$out/native-after.txt"

python3 benchmarks/ratios.py "$out/jmh.json" "$out/native-before.json" "$out/native-after.json" | tee "$out/summary.md"
echo "results in $out"
