#!/usr/bin/env bash
# Checks that native/include/wasmtime_jvm.h is what cbindgen generates from native/src/capi/
# (fails when the committed header is stale). With --write, regenerates it instead.
# Needs cbindgen 0.29.4 (cargo install cbindgen --locked --version 0.29.4).
set -euo pipefail
cd "$(dirname "$0")/../native"
PATH="$HOME/.cargo/bin:$PATH"
# The header is compared byte for byte, so everyone generates it with the same cbindgen.
want="0.29.4"
have=$(cbindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "scripts/check-header.sh needs cbindgen $want (found: ${have:-none});" \
    "install it with: cargo install cbindgen --locked --version $want" >&2
  exit 1
fi
args=(--quiet --config cbindgen.toml --crate wasmtime-jvm --output include/wasmtime_jvm.h)
if [ "${1:-}" = "--write" ]; then
  cbindgen "${args[@]}"
  echo "wrote native/include/wasmtime_jvm.h"
elif cbindgen --verify "${args[@]}"; then
  echo "native/include/wasmtime_jvm.h is up to date"
else
  echo "native/include/wasmtime_jvm.h is stale: run scripts/check-header.sh --write and commit it" >&2
  exit 1
fi
