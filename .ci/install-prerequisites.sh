#!/usr/bin/env bash
# Installs what the tests need beyond the machine's JDK 17, Maven, Rust, gcc/g++, Python 3 and
# Node.js with npm (valgrind is used when present). zig and cargo-zigbuild, which link the shipped libraries, are
# installed by native/toolchain.sh when a build first needs them. Idempotent: installs only what
# is missing (apt-get update runs only then).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
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

# The linux-aarch64 library's tests (scripts/test-aarch64.sh): qemu-user and an aarch64 glibc.
command -v qemu-aarch64 >/dev/null || need+=(qemu-user)
[ -f /usr/aarch64-linux-gnu/lib/libc.so.6 ] || need+=(libc6-arm64-cross)
[ -f /usr/aarch64-linux-gnu/lib/libgcc_s.so.1 ] || need+=(libgcc-s1-arm64-cross)

# The windows-x86_64 library's linker (native/toolchain.sh).
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64-win32)

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

# The JavaScript test guest (guests/js-http): jco and componentize-js from npm, installed with
# npm ci from guests/js-http/toolchain/package-lock.json (every transitive version pinned: jco
# 1.35.0, whose preview2-shim 0.26 gives its WIT parser no preopened directory, fails
# "failed to get path metadata") into the user's cache, where guests/build.sh looks for it.
# Skipped while the installed lock file is the repository's.
jco_dir=${XDG_CACHE_HOME:-$HOME/.cache}/wasmtime-jvm/jco
jco_lock=$root/guests/js-http/toolchain/package-lock.json
jco_version=1.34.0
if ! cmp -s "$jco_lock" "$jco_dir/package-lock.json" \
  || [ "$("$jco_dir/node_modules/.bin/jco" --version 2>/dev/null)" != "$jco_version" ]; then
  if ! command -v npm >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  fi
  command -v npm >/dev/null || { echo "npm (Node.js) is required for the JavaScript test guest" >&2; exit 1; }
  rm -rf "$jco_dir"
  mkdir -p "$jco_dir"
  cp "$root/guests/js-http/toolchain/package.json" "$jco_lock" "$jco_dir/"
  (cd "$jco_dir" && npm ci --no-audit --no-fund --loglevel=error)
  found=$("$jco_dir/node_modules/.bin/jco" --version)
  if [ "$found" != "$jco_version" ]; then
    echo "installed jco is '$found', expected $jco_version" >&2
    exit 1
  fi
fi
