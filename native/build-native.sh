#!/usr/bin/env bash
# Builds the native library (release) and copies it to the path given, for Maven to pack into
# the jar. Cargo only rebuilds what changed, so repeated builds are cheap. Honours
# CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$1"
cargo build --release -p wasmtime-jvm --locked
target_dir="${CARGO_TARGET_DIR:-target}"
mkdir -p "$(dirname "$dest")"
cp "$target_dir/release/libwasmtime_jvm.so" "$dest"
