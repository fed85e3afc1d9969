#!/usr/bin/env bash
# Issue 13's goal, a bound call within 1.1x of the same Func call, measured so that the machine's
# drift (10-60% between runs here) does not decide it: JMH runs of the bound and the Func form
# alternate, one fork each, ROUNDS times, and the ratio of each adjacent pair is reported with
# their median. Needs benchmarks/target/benchmarks.jar (mvn -DskipTests package -pl benchmarks).
#
#   bash benchmarks/binding-ratio.sh [ROUNDS] > benchmarks/results/<date>/binding-ratio.txt
#   PAIRS="addBound:addScalarFunc" bash benchmarks/binding-ratio.sh 4   # some pairs only
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-6}"
jar=benchmarks/target/benchmarks.jar
run() {
  java -jar "$jar" "BindingBenchmark\\.$1\$" -f 1 -wi 3 -i 5 -rf csv -rff /tmp/binding-ratio.csv >/dev/null 2>&1
  awk -F, 'NR == 2 { print $5 }' /tmp/binding-ratio.csv
}
for pair in ${PAIRS:-addBound:addScalarFunc echoStringBound:echoStringFunc echoPersonBound:echoPersonFunc}; do
  bound="${pair%%:*}"
  func="${pair##*:}"
  ratios=()
  for ((i = 1; i <= rounds; i++)); do
    b=$(run "$bound")
    f=$(run "$func")
    r=$(awk -v b="$b" -v f="$f" 'BEGIN { printf "%.3f", b / f }')
    ratios+=("$r")
    printf '%-16s %9.1f ns   %-15s %9.1f ns   ratio %s\n' "$bound" "$b" "$func" "$f" "$r"
  done
  median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  echo "median $bound / $func: $median"
done
