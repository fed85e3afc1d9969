#!/usr/bin/env bash
# HTTP load: `wasmtime-jvm serve` (the jar's CLI, the JDK's HTTP server) against a native Rust
# server on wasmtime-wasi-http (target/release/http-serve, benchmarks/native/src/bin/http-serve.rs,
# `wasmtime serve`'s way of serving a WASI 0.2 proxy), the same wasi:http/proxy component, the same
# number of workers, in the same run, under wrk on loopback. For each guest (python-http, js-http)
# both servers are started on free ports, warmed up (a discarded wrk run each), then measured
# alternately, JVM then native, RUNS times. Writes a markdown table (req/s, p50, p99, JVM/native
# req/s) with the command and the machine to benchmarks/results/<date>/http/load.md and the raw
# wrk outputs and server logs beside it. Goal (the issue): JVM >= 0.8x native req/s.
#
#   bash benchmarks/http-load.sh                 # 2 workers, 8 connections, 15 s runs (~3 minutes)
#   DURATION=5s bash benchmarks/http-load.sh     # a quicker check
#
# Environment:
#   WORKERS     --max-concurrency of both servers: JVM worker threads, tokio worker threads (2)
#   CONNS       wrk connections (8)              THREADS   wrk threads (2)
#   DURATION    each measured run (15s)          WARMUP    the discarded run per server (5s)
#   RUNS        measured runs per server (2)     GUESTS    guests measured ("python-http js-http")
#   JAVA_OPTS   extra JVM options for the JVM server (none; e.g. -XX:+UseParallelGC)
#   JAR         the CLI jar (java/target/wasmtime-jvm-0.1.0.jar; built with Maven when missing)
#   READY_WAIT  seconds a server may take to compile the component and answer /hello (300)
#   HTTP_OUT    output folder (benchmarks/results/<date>/http)
#
# Installs wrk (Debian package) with apt-get when it is missing. Any failure stops the script; a
# run with non-2xx answers or socket errors is recorded in the table and fails it at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# The command as given, with the settings that came from the environment.
command_line="bash benchmarks/http-load.sh"
for v in WORKERS CONNS THREADS DURATION WARMUP RUNS GUESTS JAVA_OPTS JAR READY_WAIT HTTP_OUT; do
  if [ -n "${!v+x}" ]; then
    command_line="$v=$(printf '%q' "${!v}") $command_line"
  fi
done
for a in "$@"; do command_line+=" $(printf '%q' "$a")"; done

workers=${WORKERS:-2}
conns=${CONNS:-8}
threads=${THREADS:-2}
duration=${DURATION:-15s}
warmup=${WARMUP:-5s}
runs=${RUNS:-2}
guests=${GUESTS:-python-http js-http}
java_opts=${JAVA_OPTS:-}
jar=${JAR:-java/target/wasmtime-jvm-0.1.0.jar}
ready_wait=${READY_WAIT:-300}
out=${HTTP_OUT:-benchmarks/results/$(date +%F)/http}

die() {
  printf 'http-load.sh: %s\n' "$*" >&2
  exit 1
}
log() { printf '==> %s\n' "$*" >&2; }

[ $# -eq 0 ] || die "takes no arguments (settings are environment variables; see the header)"
command -v java >/dev/null || die "java not found on PATH (JDK 17, as in the README)"
command -v curl >/dev/null || die "curl not found"

# ---- tools and builds --------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y wrk
fi
log "building the guests"
bash guests/build.sh
log "building http-serve"
cargo build --release --locked -p wasmtime-jvm-native-bench --bin http-serve
native_bin=target/release/http-serve
if [ ! -f "$jar" ]; then
  log "building $jar"
  mvn -B -ntp -q -DskipTests package -pl java
  [ -f "$jar" ] || die "$jar still missing after the Maven build"
fi

mkdir -p "$out"
rm -f "$out"/wrk-*.txt "$out"/warmup-*.txt "$out"/server-*.log

# ---- servers -----------------------------------------------------------------------------------
pids=()
stop_servers() {
  local p
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  pids=()
}
trap stop_servers EXIT

# start NAME LOGFILE COMMAND...: starts a server on 127.0.0.1:0, waits until it prints its address
# and answers /hello; sets $port.
start() {
  local name=$1 logfile=$2
  shift 2
  "$@" >"$logfile" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local deadline=$((SECONDS + ready_wait)) line=""
  port=""
  while [ -z "$port" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; die "$name exited before listening (log: $logfile)"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$logfile" >&2; die "$name did not listen within ${ready_wait}s"; }
    line=$(grep -m1 -o 'Serving HTTP on http://127\.0\.0\.1:[0-9]*/' "$logfile" || true)
    if [ -n "$line" ]; then
      port=${line##*:}
      port=${port%/}
    else
      sleep 0.5
    fi
  done
  local body=""
  while :; do
    kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; die "$name exited (log: $logfile)"; }
    body=$(curl -sS --max-time 10 -f "http://127.0.0.1:$port/hello" 2>/dev/null || true)
    case "$body" in
      "hello from "*) break ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || { cat "$logfile" >&2; die "$name on port $port did not answer /hello within ${ready_wait}s (last body: '$body')"; }
    sleep 0.5
  done
  log "$name listening on 127.0.0.1:$port, /hello says '$body'"
}

# ---- wrk output --------------------------------------------------------------------------------
# to_ms VALUE: wrk's 812.00us / 1.23ms / 2.01s / 1.00m as milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    else if (u != "ms") { print "?"; exit }
    printf "%.2f", n }'
}
# field FILE: req/s, p50 ms, p99 ms, errors (socket errors and non-2xx/3xx answers), tab-separated.
fields() {
  local f=$1 rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  p50=$(awk '$1 == "50%" {print $2}' "$f")
  p99=$(awk '$1 == "99%" {print $2}' "$f")
  [ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] || die "cannot read wrk's output $f"
  errors=$(awk '/Socket errors:/ {sub(/.*Socket errors: /, ""); printf "socket errors %s; ", $0}
                /Non-2xx or 3xx responses:/ {printf "non-2xx %s; ", $NF}' "$f")
  printf '%s\t%s\t%s\t%s\n' "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "${errors%; }"
}

bench() {
  local file=$1 port=$2 length=$3
  wrk -t"$threads" -c"$conns" -d"$length" --latency "http://127.0.0.1:$port/hello" >"$file"
}

# ---- the runs ----------------------------------------------------------------------------------
load_start=$(uptime)
results=()   # guest \t server \t run \t rps \t p50 \t p99 \t errors
failed=0
for guest in $guests; do
  wasm=target/guests/$guest.component.wasm
  [ -f "$wasm" ] || die "$wasm missing after guests/build.sh"
  log "$guest: starting the servers ($workers workers each)"
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  start "JVM server ($guest)" "$out/server-$guest-jvm.log" \
    java $java_opts -jar "$jar" serve --addr 127.0.0.1:0 --max-concurrency "$workers" "$wasm"
  jvm_port=$port
  start "native server ($guest)" "$out/server-$guest-native.log" \
    "$native_bin" "$wasm" 127.0.0.1:0 --max-concurrency "$workers"
  native_port=$port

  log "$guest: warm-up ($warmup each, discarded)"
  bench "$out/warmup-$guest-jvm.txt" "$jvm_port" "$warmup"
  bench "$out/warmup-$guest-native.txt" "$native_port" "$warmup"

  for run in $(seq 1 "$runs"); do
    for server in jvm native; do
      if [ "$server" = jvm ]; then p=$jvm_port; else p=$native_port; fi
      f="$out/wrk-$guest-$server-$run.txt"
      log "$guest: $server run $run ($duration)"
      bench "$f" "$p" "$duration"
      row=$(fields "$f")
      results+=("$guest	$server	$run	$row")
      printf '    %s\n' "$row" >&2
      if [ -n "$(printf '%s' "$row" | cut -f4)" ]; then failed=1; fi
    done
  done
  stop_servers
done
load_end=$(uptime)

# ---- the report --------------------------------------------------------------------------------
report="$out/load.md"
{
  echo "# HTTP load: wasmtime-jvm serve vs native wasmtime-wasi-http"
  echo
  echo '```'
  echo "$command_line   # from the repository root"
  echo '```'
  echo
  echo "- Date: $(date '+%F %T %Z')"
  echo "- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- Machine: $(nproc) processors (nproc), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "- Load average: at the start \`${load_start##*load average: }\`, at the end \`${load_end##*load average: }\`"
  echo "- Java: $(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
  echo "- JVM options: \`${java_opts:-none}\`; jar $jar ($(date -r "$jar" '+%F %T'))"
  echo "- Native: $native_bin ($(rustc --version)), wasmtime 48.0.8 defaults, hyper http1 on tokio"
  echo "- $(wrk --version 2>&1 | head -1 | sed 's/ Copyright.*//'); \`wrk -t$threads -c$conns -d$duration --latency http://127.0.0.1:PORT/hello\`, after a $warmup warm-up per server; JVM and native alternate"
  echo "- Both servers: \`--max-concurrency $workers\` (JVM: $workers HttpServer worker threads; native: $workers tokio worker threads), a fresh store and instance per request; wrk runs on the same machine"
  echo
  echo "| guest | server | run | req/s | p50 ms | p99 ms | JVM/native req/s | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
  for r in "${results[@]}"; do
    IFS=$'\t' read -r g s n rps p50 p99 errors <<<"$r"
    ratio=""
    if [ "$s" = native ]; then
      for q in "${results[@]}"; do
        IFS=$'\t' read -r g2 s2 n2 rps2 _ <<<"$q"
        if [ "$g2" = "$g" ] && [ "$s2" = jvm ] && [ "$n2" = "$n" ]; then
          ratio=$(awk -v a="$rps2" -v b="$rps" 'BEGIN {printf "%.2fx", a / b}')
        fi
      done
    fi
    echo "| $g | $s | $n | $rps | $p50 | $p99 | $ratio | $errors |"
  done
  echo
  echo "Mean req/s over the runs, JVM/native (goal: >= 0.80x):"
  echo
  for guest in $guests; do
    printf '%s\n' "${results[@]}" | awk -F'\t' -v g="$guest" '
      $1 == g { sum[$2] += $4; cnt[$2]++ }
      END {
        j = sum["jvm"] / cnt["jvm"]; n = sum["native"] / cnt["native"]
        printf "- %s: JVM %.0f req/s, native %.0f req/s, **%.2fx** (%s)\n", g, j, n, j / n,
          (j / n >= 0.8 ? "meets the goal" : "below the goal") }'
  done
  echo
  echo "Raw wrk outputs: wrk-<guest>-<server>-<run>.txt (warm-ups: warmup-*.txt); server logs: server-*.log."
} >"$report"
cat "$report"
log "results in $out"
[ "$failed" -eq 0 ] || die "some runs had socket errors or non-2xx answers (see the errors column)"
