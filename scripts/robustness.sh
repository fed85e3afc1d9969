#!/usr/bin/env bash
# The never-crash harness for longer than CI gives it, with its figures written down:
#
#   bash scripts/robustness.sh [SECONDS]      (default 300 per harness run)
#
# Runs the tests of tests/robustness (lifecycle stress under GC pressure, the thread-stack
# matrix, the seeded mutation fuzzer and its reproducers, the RSS soak; each in a JVM of its own)
# with SECONDS as their budget, then the cargo-fuzz targets (scripts/fuzz.sh) for SECONDS each,
# and writes every summary to tests/robustness/results/<date>/ with the command that made it.
# CI runs the same tests with a budget of 20 s (`mvn install`) and fuzz.sh with 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
out=target/robustness
results=tests/robustness/results/$(date -u +%F)
rm -rf "$out"
mkdir -p "$results"

mvn -B -ntp -q -DskipTests install
status=0
mvn -B -ntp -pl tests/robustness test -Drobustness.budget="$seconds" | tee "$results/mvn.txt" || status=$?
bash scripts/fuzz.sh "$seconds" | tee "$results/cargo-fuzz.txt" || status=$?

cp "$out"/*.txt "$results"/ 2>/dev/null || true
{
  echo "bash scripts/robustness.sh $seconds"
  echo "# $(date -u +%FT%TZ), $(nproc) cores, $(java -version 2>&1 | head -1)"
} > "$results/command.txt"
{
  echo "# Never-crash harness, $(date -u +%F)"
  echo
  echo "Command: \`bash scripts/robustness.sh $seconds\` (exit status $status)."
  echo
  echo "| harness | figures |"
  echo "|---|---|"
  for f in "$out"/close-race-*.txt; do
    [ -f "$f" ] || continue
    echo "| $(basename "$f" .txt) | $(grep '^total' "$f" | awk '{print $2}') create/use/close cycles, 0 crashes |"
  done
  for f in "$out"/stack-*.txt; do
    [ -f "$f" ] || continue
    echo "| $(basename "$f" .txt) | $(grep '^cases' "$f" | awk '{print $2}') cases, $(grep '^bad' "$f" | awk '{print $2}') bad, 0 crashes |"
  done
  if [ -f "$out/fuzz-summary.txt" ]; then
    f=$out/fuzz-summary.txt
    echo "| mutation fuzzer (Java API) | $(grep '^inputs' "$f" | awk '{print $2}') inputs, $(grep '^calls' "$f" | awk '{print $2}') calls, $(grep '^findings' "$f" | awk '{print $2}') findings, status $(grep '^status' "$f" | awk '{print $2}') |"
  fi
  if [ -f "$out/soak-summary.txt" ]; then
    f=$out/soak-summary.txt
    echo "| soak | $(grep '^cycles' "$f" | awk '{print $2}') cycles, RSS $(grep '^rss_start_kib' "$f" | awk '{print $2}') -> $(grep '^rss_end_kib' "$f" | awk '{print $2}') KiB, slope $(grep '^rss_slope_kib_per_100k' "$f" | awk '{print $2}') KiB per 100k cycles |"
  fi
  grep '^fuzz ' "$results/cargo-fuzz.txt" 2>/dev/null | sed 's/^fuzz \([^:]*\): \(.*\)/| cargo fuzz \1 | \2 |/' || true
} > "$results/summary.md"
cat "$results/summary.md"
exit "$status"
