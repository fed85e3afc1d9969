#!/usr/bin/env bash
# The C API test: builds tests/c/test_capi.c as C11 (gcc) and as C++17 (g++) against the build
# the jar ships for this machine (native/build-native.sh: release, linked by zig; cheap when up to
# date), before it is stripped, so that valgrind names its frames, and runs both on
# corpus/components. The C build runs under valgrind (--leak-check=full, any error fails) when
# valgrind is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${CARGO_TARGET_DIR:-target}/c-test"
mkdir -p "$out"
. native/toolchain.sh
host=$(wjvm_host_platform)
bash native/build-native.sh "$out/lib" 0.1.0 "$host"
wjvm_platform "$host"
libdir=$(dirname "$wjvm_built")
link=(-L"$libdir" -lwasmtime_jvm -Wl,-rpath,"$libdir")

gcc -std=c11 -Wall -Wextra -Werror -g -Inative/include \
  tests/c/test_capi.c -o "$out/test_capi" "${link[@]}"
g++ -std=c++17 -Wall -Werror -g -Inative/include \
  -x c++ tests/c/test_capi.c -x none -o "$out/test_capi_cpp" "${link[@]}"

echo "==> C++ build"
"$out/test_capi_cpp" corpus/components

echo "==> C build"
if command -v valgrind >/dev/null 2>&1; then
  # With signal-based traps, an out-of-bounds guest load touches wasmtime's guard pages on
  # purpose (and traps through its SIGSEGV handler); valgrind reports that access as an
  # invalid read. Under valgrind the test's engines use explicit bounds checks instead.
  WJVM_TEST_NO_SIGNALS=1 valgrind --quiet --leak-check=full --error-exitcode=1 \
    --suppressions=tests/c/valgrind.supp \
    "$out/test_capi" corpus/components
else
  echo "(valgrind not installed: running without the leak check)"
  "$out/test_capi" corpus/components
fi
