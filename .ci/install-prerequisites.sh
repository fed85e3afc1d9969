#!/usr/bin/env bash
# Installs what the tests need beyond the machine's JDK 17, Maven, Rust, gcc/g++ and Python 3
# (valgrind is used when present). zig and cargo-zigbuild, which link the shipped libraries, are
# installed by native/toolchain.sh when a build first needs them. Idempotent: installs only what
# is missing (apt-get update runs only then).
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
