#!/usr/bin/env bash
# Builds the shipped native library for each platform named and puts it where the jar's loader
# (java/.../internal/NativeLibrary.java) looks for it:
#
#   <classes>/META-INF/native/<platform>/<System.mapLibraryName("wasmtime_jvm-<version>")>
#   <classes>/META-INF/native/<platform>/<the same>.sha256
#
# usage: native/build-native.sh <classes-dir> <version> <platform>...
#   platforms (separated by spaces or commas): linux-x86_64 linux-aarch64 macos-x86_64
#   macos-aarch64 windows-x86_64, "host" (this machine's) or "all" (every one).
#
# Cargo builds in ~/.cache/wasmtime-jvm/native-target (native/toolchain.sh). The Linux and macOS
# libraries are linked by zig through cargo-zigbuild (toolchain.sh installs both, pinned, into
# ~/.cache/wasmtime-jvm): the Linux ones against glibc 2.28's symbol versions, so they load on
# RHEL/Alma 8, Debian 10, Ubuntu 20.04 and newer (scripts/check-native-libraries.sh checks that),
# the macOS ones against zig's libSystem stubs. The Windows one is linked by MinGW-w64's gcc.
#
# ELF and COFF libraries are stripped of their symbol tables (the JNI and C entry points stay in the
# dynamic symbol and export tables). Mach-O ones are not: zig signs them ad hoc, as Apple Silicon
# requires of every library it loads, and rewriting the file afterwards would break the signature.
# The SHA-256 beside each library is checked by the loader before loading, so that a damaged jar is
# an UnsatisfiedLinkError, not a crash inside the dynamic loader.
set -euo pipefail
cd "$(dirname "$0")/.."
. native/toolchain.sh

if [ $# -lt 3 ]; then
  echo "usage: $0 <classes-dir> <version> <platform>... (or host, or all)" >&2
  exit 2
fi
classes=$1
version=$2
shift 2

platforms=()
for p in ${*//,/ }; do
  case "$p" in
    all) platforms+=("${wjvm_platforms[@]}") ;;
    host) platforms+=("$(wjvm_host_platform)") ;;
    *) platforms+=("$p") ;;
  esac
done

objcopy=$(wjvm_llvm_tool llvm-objcopy)
for platform in "${platforms[@]}"; do
  wjvm_platform "$platform"
  file=${wjvm_library/wasmtime_jvm/wasmtime_jvm-$version}
  dest=$classes/META-INF/native/$platform/$file
  echo "==> $platform: cargo build --target $wjvm_zig_target -> $dest" >&2
  wjvm_cargo "$platform" build --release --locked -p wasmtime-jvm
  mkdir -p "$(dirname "$dest")"
  # Written under a temporary name and moved: a reader of $dest never sees a half-written library.
  case "$wjvm_library" in
    *.dylib) cp "$wjvm_built" "$dest.tmp" ;;
    *) "$objcopy" --strip-all "$wjvm_built" "$dest.tmp" ;;
  esac
  sha256sum "$dest.tmp" | cut -d' ' -f1 > "$dest.sha256.tmp"
  mv "$dest.tmp" "$dest"
  mv "$dest.sha256.tmp" "$dest.sha256"
  echo "    $(du -h "$dest" | cut -f1) $dest" >&2
done
