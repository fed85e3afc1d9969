#!/usr/bin/env bash
# Runs every test of the project, layer by layer; stops at the first failure.
#   Rust: formatting, clippy (-D warnings), unit tests of the core and the C face
#   C:    the generated header is up to date, the library exports only Java_* and wjvm_*,
#         and tests/c/test_capi.c passes as C and C++ (under valgrind when installed)
#   Guests: C and Python test programs compiled to WebAssembly (guests/build.sh, incremental)
#   Java: the facade's tests through JNI against real components and core modules (Maven,
#         installs the artifact),
#         the conformance runner (wasmtime's component-model suite and the WebAssembly core
#         spec suite), and the WASI testsuite as p1 modules and p2
#         components (tests/wasi-testsuite builds tools/guest-tool with cargo before its tests)
#   Robustness: tests/robustness (in mvn install: stress, stack matrix, fuzzer, soak, 20 s each)
#         and the cargo-fuzz targets of fuzz/ for 30 s each (scripts/fuzz.sh; its instrumented
#         build is cached in ~/.cache/wasmtime-jvm)
#   Gradle: a Gradle 4.4.1 build consuming the installed Maven artifact
#   Panama: tests/panama drives the C API through java.lang.foreign on JDK 25 ($WJVM_JDK25)
#   CLI:  the README demo, end to end
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "prerequisites (.ci/install-prerequisites.sh: installs only what is missing)"
bash .ci/install-prerequisites.sh

step "cargo build (release, the library every layer uses)"
cargo build --release --locked -p wasmtime-jvm

step "cargo fmt --check"
cargo fmt --all -- --check

step "the core's files import each other in layers, without a cycle (scripts/check-core-layers.py)"
python3 scripts/check-core-layers.py

step "cargo clippy -D warnings"
cargo clippy --release --locked --all-targets -- -D warnings

step "cargo test (Rust core and C face)"
cargo test --release --locked

step "C header up to date (cbindgen --verify)"
bash scripts/check-header.sh

step "exported symbols: Java_* and wjvm_* only"
bash scripts/check-exports.sh

step "C API test (C11 and C++17)"
bash scripts/test-c.sh

step "test guests from C and Python (guests/build.sh -> target/guests)"
bash guests/build.sh

step "mvn install (Java tests through JNI, conformance, WASI testsuite; installs io.github.wasmtimejvm:wasmtime-jvm)"
mvn -B -ntp install

step "cargo fuzz targets, 30 s each (scripts/fuzz.sh)"
bash scripts/fuzz.sh 30

step "Gradle consumer of the installed artifact (tests/gradle)"
(cd tests/gradle && gradle test --no-daemon --console=plain)

step "C API through java.lang.foreign on JDK 25 (tests/panama)"
jdk25=${WJVM_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ -z "${WJVM_JDK25:-}" ] && [ ! -x "$jdk25/bin/java" ]; then
  for j in /usr/lib/jvm/*-25-* /usr/lib/jvm/*jdk-25*; do [ -x "$j/bin/java" ] && { jdk25=$j; break; }; done
fi
if [ ! -x "$jdk25/bin/java" ]; then
  echo "tests/panama needs a JDK 25: none at $jdk25 (set WJVM_JDK25 to one)" >&2
  exit 1
fi
(JAVA_HOME=$jdk25 mvn -B -ntp -f tests/panama/pom.xml test)

step "CLI demo"
out=$(java -jar java/target/wasmtime-jvm-0.1.0.jar --invoke 'add(1, 2)' corpus/components/add.wat)
if [ "$out" != "3" ]; then
  echo "CLI demo printed '$out', expected 3" >&2
  exit 1
fi
echo "wasmtime-jvm --invoke 'add(1, 2)' add.wat -> $out"

step "all tests passed"
