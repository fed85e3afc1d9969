#!/usr/bin/env bash
# Installs what the tests need beyond the machine's JDK 17, Maven, Rust, gcc/g++ and Python 3
# (valgrind is used when present). Idempotent: installs only what is missing (apt-get update
# runs only then).
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

# The C test guests (guests/build.sh): clang and wasm-ld for wasm32-wasi, WASI libc, and
# compiler-rt's wasm32 builtins (without them wasm-ld fails: "cannot open
# .../lib/wasi/libclang_rt.builtins-wasm32.a").
command -v clang >/dev/null || need+=(clang)
command -v wasm-ld >/dev/null || need+=(lld)
[ -f /usr/include/wasm32-wasi/stdio.h ] || need+=(wasi-libc)
if ! command -v clang >/dev/null || [ ! -f "$(clang --target=wasm32-wasi -print-libgcc-file-name)" ]; then
  need+=(libclang-rt-14-dev-wasm32)
fi

if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${need[@]}"
fi

# The Python test guest: componentize-py from PyPI, in a venv kept in the user's cache so that
# later runs on the same machine reuse it (guests/build.sh looks for it there).
componentize_py_version=0.25.1
venv=${XDG_CACHE_HOME:-$HOME/.cache}/wasmtime-jvm/componentize-py
if [ "$("$venv/bin/componentize-py" --version 2>/dev/null)" != "componentize-py $componentize_py_version" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "componentize-py==$componentize_py_version"
fi
