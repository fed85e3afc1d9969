#!/usr/bin/env bash
# Fails unless the shared library exports only the JNI entry points (Java_*) and the C API
# (wjvm_*); see native/exports.map. Builds the library first (cheap when up to date).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked -p wasmtime-jvm
lib="$target_dir/release/libwasmtime_jvm.so"
symbols=$(nm -D --defined-only "$lib" | awk '{print $3}')
extra=$(grep -Ev '^(Java_|wjvm_)' <<<"$symbols" || true)
if [ -n "$extra" ]; then
  echo "$lib exports symbols other than Java_* and wjvm_* (add them to native/exports.map):" >&2
  echo "$extra" >&2
  exit 1
fi
echo "exports: $(grep -c '^Java_' <<<"$symbols") Java_*, $(grep -c '^wjvm_' <<<"$symbols") wjvm_*, nothing else"
