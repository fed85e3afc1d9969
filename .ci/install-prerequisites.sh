#!/usr/bin/env bash
# Installs what the tests need beyond the machine's JDK 17, Maven, Rust and gcc/g++
# (valgrind is used when present).
set -euo pipefail
need=()
command -v cargo >/dev/null || { echo "cargo (Rust) is required" >&2; exit 1; }
command -v mvn >/dev/null || need+=(maven)
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v gradle >/dev/null || need+=(gradle)
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
# scripts/check-header.sh compares the header with what this exact cbindgen generates.
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen 0.29.4" ]; then
  cargo install cbindgen --locked --version 0.29.4
fi
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${need[@]}"
fi
