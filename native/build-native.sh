#!/usr/bin/env bash
# Builds the native library (release) and copies it to the path given, for Maven to pack into
# the jar: stripped of its symbol table (the JNI and C entry points are dynamic symbols, which
# stay; 42 MB becomes 32 MB), with its SHA-256 beside it in <dest>.sha256, which the loader checks
# before loading, so that a damaged jar is an UnsatisfiedLinkError, not a crash inside the
# dynamic loader. Cargo only rebuilds what changed, so repeated builds are cheap. Honours
# CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$1"
cargo build --release -p wasmtime-jvm --locked
target_dir="${CARGO_TARGET_DIR:-target}"
mkdir -p "$(dirname "$dest")"
# Copied to a temporary name and moved: a reader of $dest never sees a half-written library.
cp "$target_dir/release/libwasmtime_jvm.so" "$dest.tmp"
strip --strip-all "$dest.tmp"
sha256sum "$dest.tmp" | cut -d' ' -f1 > "$dest.sha256.tmp"
mv "$dest.tmp" "$dest"
mv "$dest.sha256.tmp" "$dest.sha256"
