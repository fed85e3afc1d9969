#!/usr/bin/env bash
# Runs every test of the project, layer by layer; stops at the first failure.
#   Rust: formatting, clippy (-D warnings), unit tests of the core and the C face
#   C:    the generated header is up to date, and tests/c/test_capi.c passes as C and C++
#         (under valgrind when installed)
#   Guests: C and Python test programs compiled to WebAssembly (guests/build.sh, incremental)
#   Java: the facade's tests through JNI against real components and core modules (Maven,
#         installs the artifact),
#         the conformance runner (wasmtime's component-model suite and the WebAssembly core
#         spec suite), and the WASI testsuite as p1 modules and p2
#         components (tests/wasi-testsuite builds tools/guest-tool with cargo before its tests)
#   Platforms: every platform's library in the jar (linux x86_64/aarch64 for glibc 2.28 and
#         macOS x86_64/aarch64 linked by zig, windows-x86_64 by MinGW-w64) exports the same entry
#         points, needs no newer glibc, links only system libraries
#         (scripts/check-native-libraries.sh); the aarch64 one is tested under qemu-user
#         (scripts/test-aarch64.sh)
#   Robustness: tests/robustness (in mvn install: stress, stack matrix, fuzzer, soak, 20 s each)
#         and the cargo-fuzz targets of fuzz/ for 30 s each (scripts/fuzz.sh; its instrumented
#         build is cached in ~/.cache/wasmtime-jvm)
#   Gradle: a Gradle 4.4.1 build consuming the installed Maven artifact
#   Panama: tests/panama drives the C API through java.lang.foreign on JDK 25 ($WJVM_JDK25)
#   CLI:  the README demo, end to end
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
step() { printf '\n==> [%s s] %s\n' "$(($(date +%s) - started))" "$*"; }
. native/toolchain.sh
host=$(wjvm_host_platform)

step "prerequisites (.ci/install-prerequisites.sh: installs only what is missing)"
bash .ci/install-prerequisites.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "the core's files import each other in layers, without a cycle (scripts/check-core-layers.py)"
python3 scripts/check-core-layers.py

# Before the first build: clippy's check of this workspace's crates shares build scripts with it,
# and a build after clippy compiles the core again.
step "cargo clippy -D warnings (in $wjvm_target_dir, where what it checked stays for the next clone)"
CARGO_TARGET_DIR=$wjvm_target_dir cargo clippy --release --locked --all-targets -- -D warnings

step "the library for this machine, $host (native/build-native.sh: cargo zigbuild, release, glibc 2.28 floor; every later layer uses this build)"
bash native/build-native.sh java/target/classes 0.1.0 host

step "cargo test (Rust core and C face; built and linked as the shipped library is, with zig for $host)"
wjvm_cargo "$host" test --release --locked

step "C header up to date (cbindgen --verify)"
bash scripts/check-header.sh

step "C API test (C11 and C++17)"
bash scripts/test-c.sh

step "test guests from C and Python (guests/build.sh -> target/guests)"
bash guests/build.sh

# Which platforms' libraries go into the jar: the two Linux ones always (the aarch64 one is tested
# below); macOS and Windows ones when WJVM_PLATFORMS=all or when cargo already built them in
# ~/.cache/wasmtime-jvm/native-target (a first build of the three takes about 30 minutes on 2
# cores, more than a cold CI run can spend beside everything else; mvn install -Pall-platforms
# builds them, and from then on every run rebuilds and checks them in a few minutes).
platforms=(linux-x86_64 linux-aarch64)
skip=()
for p in macos-x86_64 macos-aarch64 windows-x86_64; do
  wjvm_platform "$p"
  if [ "${WJVM_PLATFORMS:-}" = all ] || [ -f "$wjvm_built" ]; then
    platforms+=("$p")
  else
    skip+=("-Dnative.jar.phase.$p=none")
    echo "NOTE: no $p library in this run: cargo has not built it in $wjvm_target_dir yet" \
      "(WJVM_PLATFORMS=all ./scripts/test-all.sh, or mvn install -Pall-platforms, builds it once)" >&2
  fi
done
platform_list=$(IFS=,; echo "${platforms[*]}")

step "mvn install -Pall-platforms for $platform_list (Java tests through JNI, conformance, WASI testsuite; installs io.github.wasmtimejvm:wasmtime-jvm and its per-platform jars)"
mvn -B -ntp install -Pall-platforms "-Dnative.platforms=$platform_list" "${skip[@]}"

step "native libraries of the jar: formats, exports, glibc 2.28 floor, macOS signatures, Windows imports (scripts/check-native-libraries.sh)"
bash scripts/check-native-libraries.sh java/target/classes "${platforms[@]}"
ls -l java/target/wasmtime-jvm-*.jar

step "linux-aarch64 under qemu-user: the Rust tests, and the examples' tests on an aarch64 JVM (scripts/test-aarch64.sh)"
bash scripts/test-aarch64.sh

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
(JAVA_HOME=$jdk25 mvn -B -ntp -f tests/panama/pom.xml test \
  -Dwjvm.library="$PWD/java/target/classes/META-INF/native/$host/libwasmtime_jvm-0.1.0.so")

step "CLI demo"
out=$(java -jar java/target/wasmtime-jvm-0.1.0.jar --invoke 'add(1, 2)' corpus/components/add.wat)
if [ "$out" != "3" ]; then
  echo "CLI demo printed '$out', expected 3" >&2
  exit 1
fi
echo "wasmtime-jvm --invoke 'add(1, 2)' add.wat -> $out"
out=$(java -jar java/target/wasmtime-jvm-0.1.0-linux-x86_64.jar --invoke 'add(1, 2)' corpus/components/add.wat)
if [ "$out" != "3" ]; then
  echo "CLI demo from the linux-x86_64 jar printed '$out', expected 3" >&2
  exit 1
fi
echo "the same from wasmtime-jvm-0.1.0-linux-x86_64.jar -> $out"

step "all tests passed in $(($(date +%s) - started)) s"
