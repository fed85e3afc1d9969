#!/usr/bin/env bash
# The cargo-fuzz targets of fuzz/ (see fuzz/README.md) for a bounded time each:
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
#
# Installs what it lacks (a nightly toolchain, cargo-fuzz), builds the instrumented targets in
# ${XDG_CACHE_HOME:-$HOME/.cache}/wasmtime-jvm/fuzz-target (so the slow first build of wasmtime
# is reused by later runs and other clones), runs each target from its committed seeds plus the
# corpus kept beside that build, and prints one line per target:
#
#   fuzz <target>: <execs> execs, <crashes> crashes
#
# A crash (panic, abort, sanitizer report, out-of-memory, timeout) is copied to
# fuzz/regressions/<target>/, where the stable replay (`cargo test ... fuzzing`) runs it from
# then on, and the script exits non-zero naming it. Without nightly or cargo-fuzz it says so
# and runs that stable replay instead, for the same budget.
#
# Environment: FUZZ_TARGETS (default: every target), FUZZ_SANITIZER (address; none is faster),
# FUZZ_JOBS (cargo build jobs).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
case "$seconds" in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac
targets=${FUZZ_TARGETS:-component_load value_codec}
sanitizer=${FUZZ_SANITIZER:-address}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/wasmtime-jvm
export CARGO_TARGET_DIR=$cache/fuzz-target
mkdir -p "$CARGO_TARGET_DIR"

loud() {
  echo "==================================================================" >&2
  for line in "$@"; do echo "fuzz.sh: $line" >&2; done
  echo "==================================================================" >&2
}

# The stable fallback: the same bodies over the reproducers, the seeds and seeded mutations.
replay() {
  loud "$1" "falling back to the stable replay (cargo test --release --locked -p wasmtime-jvm" \
    "fuzzing) for ${seconds}s per target: no coverage guidance, no sanitizer."
  local log
  log=$(mktemp)
  status=0
  # The root workspace's own build directory, not the instrumented one.
  WJVM_FUZZ_REPLAY_SECONDS=$seconds env -u CARGO_TARGET_DIR \
    cargo test --release --locked -p wasmtime-jvm fuzzing -- --nocapture --test-threads=1 2>&1 |
    tee "$log" || status=$?
  for t in $targets; do
    # "fuzz replay T: R reproducers, S seeds, M mutations in ..." (maybe after "test ... ").
    line=$(grep -o "fuzz replay $t: .*" "$log" | tail -1 || true)
    execs=$(echo "$line" | sed -n 's/.*: \([0-9]*\) reproducers, \([0-9]*\) seeds, \([0-9]*\) mutations.*/\1 + \2 + \3/p')
    execs=$(( ${execs:-0} ))
    crashes=0
    [ "$status" -eq 0 ] || crashes=1
    echo "fuzz $t: ${execs:-0} execs, $crashes crashes (stable replay, not libFuzzer)"
  done
  rm -f "$log"
  exit "$status"
}

# Tools, installed when missing (checked first so that reruns start at once).
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing the nightly toolchain" >&2
  if ! rustup toolchain install nightly --profile minimal >&2; then
    replay "cannot install the nightly toolchain that cargo fuzz needs;"
  fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  if ! env -u CARGO_TARGET_DIR cargo install cargo-fuzz --locked >&2; then
    replay "cannot install cargo-fuzz;"
  fi
fi
echo "fuzz.sh: $(rustup run nightly rustc --version), $(cargo fuzz --version)" >&2

# One set of build flags for building and running, so that running never rebuilds.
flags=(--fuzz-dir fuzz --sanitizer "$sanitizer" --debug-assertions --codegen-units 16)
[ -z "${FUZZ_JOBS:-}" ] || export CARGO_BUILD_JOBS=$FUZZ_JOBS
start=$(date +%s)
if ! cargo +nightly fuzz build "${flags[@]}" >&2; then
  echo "fuzz.sh: building the fuzz targets failed" >&2
  exit 1
fi
echo "fuzz.sh: targets built in $(( $(date +%s) - start ))s" >&2

status=0
found=()
# Logs and artifacts of this run only (other runs may share the cache; the corpus they share).
runs=$CARGO_TARGET_DIR/runs
mkdir -p "$runs"
find "$runs" -mindepth 1 -maxdepth 1 -mtime +7 -exec rm -rf {} + 2>/dev/null || true
run_dir=$(mktemp -d "$runs/$(date -u +%Y%m%dT%H%M%S)-XXXX")
for t in $targets; do
  corpus=$CARGO_TARGET_DIR/corpus/$t
  artifacts=$run_dir/artifacts/$t
  log=$run_dir/$t.log
  mkdir -p "$corpus" "$artifacts" "fuzz/regressions/$t"
  run=0
  cargo +nightly fuzz run "${flags[@]}" "$t" "$corpus" "fuzz/seeds/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1 || run=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  crashes=0
  for a in "$artifacts"/*; do
    [ -f "$a" ] || continue
    case "$(basename "$a")" in
      slow-unit-*) echo "fuzz.sh: $t: slow input kept at $a (not a crash)" >&2; continue ;;
    esac
    crashes=$((crashes + 1))
    cp "$a" "fuzz/regressions/$t/"
    found+=("fuzz/regressions/$t/$(basename "$a")")
  done
  if [ "$run" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    # libFuzzer failed without leaving an input: show why.
    tail -40 "$log" >&2
    echo "fuzz.sh: $t: libFuzzer exited with status $run and left no input (log: $log)" >&2
    status=1
  fi
  if [ "$crashes" -gt 0 ]; then
    grep -E -m 5 'panicked at|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|SUMMARY' "$log" >&2 || true
    echo "fuzz.sh: $t: full log at $log" >&2
    status=1
  fi
  echo "fuzz $t: ${execs:-0} execs, $crashes crashes"
done
if [ "${#found[@]}" -gt 0 ]; then
  loud "crashes found; reproducers saved (replay one with" \
    "cargo +nightly fuzz run --fuzz-dir fuzz TARGET FILE, minimize with cargo +nightly fuzz tmin):" \
    "${found[@]}"
fi
exit "$status"
