#!/usr/bin/env bash
# Checks every native library packed for the jar (native/build-native.sh puts them in
# <classes>/META-INF/native/<platform>/), with this Rust toolchain's LLVM tools, which read ELF,
# Mach-O and COFF alike:
#   - its checksum file matches it, and it is built for the CPU and format its folder names;
#   - it exports the JNI entry points (Java_*) and the C API (wjvm_*) and nothing else (but see
#     macOS), the same set on every platform;
#   - Linux: no symbol version newer than GLIBC_2.28 (RHEL/Alma 8), and only glibc's own libraries
#     needed;
#   - macOS: the same Java_* and wjvm_* entry points (with Rust's internal symbols beside them: zig
#     ignores the export list), only libraries of macOS itself linked, the oldest macOS it loads
#     on as toolchain.sh sets it, and for Apple Silicon an ad-hoc code signature, without which it
#     refuses to load it;
#   - Windows: the same entry points and wasmtime's debugger hooks exported, only DLLs of Windows
#     itself imported (msvcrt.dll, MinGW's C runtime, is one), none of the mingw runtime's (libgcc_s,
#     libwinpthread), which a user's machine does not have.
# usage: scripts/check-native-libraries.sh [classes-dir [platform...]]
#   classes-dir defaults to java/target/classes; each platform named must have its library there.
set -euo pipefail
cd "$(dirname "$0")/.."
. native/toolchain.sh
classes=${1:-java/target/classes}
shift || true
for platform in "$@"; do
  wjvm_platform "$platform"
  ls "$classes/META-INF/native/$platform/"*"${wjvm_library##*.}" >/dev/null 2>&1 ||
    { echo "no $platform library in $classes/META-INF/native/$platform" >&2; exit 1; }
done
readobj=$(wjvm_llvm_tool llvm-readobj)
nm=$(wjvm_llvm_tool llvm-nm)
objdump=$(wjvm_llvm_tool llvm-objdump)

fail() {
  echo "$lib: $*" >&2
  exit 1
}

shopt -s nullglob
libs=("$classes"/META-INF/native/*/*.so "$classes"/META-INF/native/*/*.dylib "$classes"/META-INF/native/*/*.dll)
if [ ${#libs[@]} -eq 0 ]; then
  echo "no native library under $classes/META-INF/native (run mvn install, or native/build-native.sh)" >&2
  exit 1
fi

reference_exports=
reference_lib=
for lib in "${libs[@]}"; do
  platform=$(basename "$(dirname "$lib")")
  [ -f "$lib.sha256" ] || fail "no checksum file $lib.sha256"
  [ "$(sha256sum "$lib" | cut -d' ' -f1)" = "$(cat "$lib.sha256")" ] || fail "does not match $lib.sha256"

  headers=$("$readobj" --file-headers "$lib")
  format=$(sed -n 's/^Format: //p' <<<"$headers" | head -1)
  case "$platform" in
    linux-x86_64) want="elf64-x86-64" ;;
    linux-aarch64) want="elf64-littleaarch64" ;;
    macos-x86_64) want="Mach-O 64-bit x86-64" ;;
    macos-aarch64) want="Mach-O arm64" ;;
    windows-x86_64) want="COFF-x86-64" ;;
    *) fail "unknown platform folder $platform" ;;
  esac
  [ "$format" = "$want" ] || fail "is $format, but its folder $platform needs $want"

  case "$platform" in
    linux-*)
      exports=$("$nm" -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//')
      newest=$("$objdump" -T "$lib" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
      [ -n "$newest" ] || fail "has no GLIBC_ symbol versions (is it linked against glibc?)"
      if [ "$(printf '%s\n%s\n' "$newest" "$wjvm_glibc_floor" | sort -V | tail -1)" != "$wjvm_glibc_floor" ]; then
        fail "needs GLIBC_$newest, newer than the floor $wjvm_glibc_floor: $("$objdump" -T "$lib" | grep "GLIBC_$newest" | awk '{print $NF}' | sort -u | tr '\n' ' ')"
      fi
      needed=$("$readobj" --needed-libs "$lib" | sed -n 's/^ *\(lib[^ ]*\.so[^ ]*\)$/\1/p')
      extra=$(grep -Ev '^(libc|libm|libdl|libpthread|librt|ld-linux-[a-z0-9_-]+)\.so\.[0-9.]+$' <<<"$needed" || true)
      [ -z "$extra" ] || fail "needs libraries beyond glibc's: $extra"
      detail="nothing else, GLIBC_$newest at most, needs $(tr '\n' ' ' <<<"$needed")"
      ;;
    macos-*)
      all_exports=$("$nm" -gU "$lib" | awk '{print $3}' | sed 's/^_//')
      # zig's Mach-O linker ignores the export list rustc passes (README, Platforms), so Rust's
      # own symbols are exported too; the entry points must still be exactly the others'.
      exports=$(grep -E '^(Java_|wjvm_)' <<<"$all_exports" || true)
      internal=$(grep -cEv '^(Java_|wjvm_)' <<<"$all_exports" || true)
      headers=$("$objdump" --macho --private-headers "$lib")
      install_name=$(awk '/cmd LC_ID_DYLIB/{f=1} f && /name /{print $2; exit}' <<<"$headers")
      [ "$install_name" = "@rpath/libwasmtime_jvm.dylib" ] || fail "has the install name $install_name"
      used=$("$objdump" --macho --dylibs-used "$lib" | tail -n +2 | awk '{print $1}' | grep -vx "$install_name")
      extra=$(grep -Ev '^/usr/lib/(libSystem\.B|libiconv\.2|libcharset\.1|libresolv\.9)\.dylib$' <<<"$used" || true)
      [ -z "$extra" ] || fail "links libraries beyond macOS's own: $extra"
      # LC_BUILD_VERSION's minos, or before macOS 10.14 LC_VERSION_MIN_MACOSX's version
      minos=$(awk '/cmd LC_BUILD_VERSION/{f=1} /cmd LC_VERSION_MIN_MACOSX/{g=1}
                   f && /minos /{print $2; exit} g && /version /{print $2; exit}' <<<"$headers")
      [ "$platform" = macos-x86_64 ] && want_minos=$wjvm_macos_minimum_x86_64 || want_minos=$wjvm_macos_minimum_aarch64
      [ "$minos" = "$want_minos" ] || fail "needs macOS $minos, not $want_minos (MACOSX_DEPLOYMENT_TARGET)"
      signed="not signed (Intel Macs load it so)"
      if grep -q LC_CODE_SIGNATURE <<<"$headers"; then
        signed="signed ad hoc"
      elif [ "$platform" = macos-aarch64 ]; then
        fail "has no code signature (LC_CODE_SIGNATURE); Apple Silicon would refuse to load it"
      fi
      detail="macOS $minos or newer, links $(tr '\n' ' ' <<<"$used")$signed, $internal internal Rust symbols exported too"
      ;;
    windows-*)
      all_exports=$("$readobj" --coff-exports "$lib" | sed -n 's/^ *Name: //p')
      # The .def file rustc writes also lists wasmtime's debugger hooks (the GDB JIT interface
      # and its vmctx helpers, #[no_mangle] in wasmtime), which Linux hides with exports.map.
      exports=$(grep -E '^(Java_|wjvm_)' <<<"$all_exports" || true)
      hooks=$(grep -Ev '^(Java_|wjvm_)' <<<"$all_exports" || true)
      unknown=$(grep -Ev '^(__jit_debug_descriptor|__jit_debug_register_code|(wasmtime_)?(resolve_vmctx_memory_ptr|set_vmctx_memory)_[0-9]+_[0-9]+_[0-9]+)$' <<<"$hooks" || true)
      [ -z "$unknown" ] || fail "exports symbols other than Java_*, wjvm_* and wasmtime's debugger hooks: $unknown"
      imports=$("$readobj" --coff-imports "$lib" | sed -n 's/^ *Name: \(.*\.dll\)$/\1/ip' | sort -u)
      extra=$(grep -Ei '^(lib|msvcp|vcruntime|ucrtbased)' <<<"$imports" || true)
      [ -z "$extra" ] || fail "imports DLLs a Windows machine does not have: $extra"
      detail="imports $(tr '\n' ' ' <<<"$imports")and exports wasmtime's debugger hooks $(tr '\n' ' ' <<<"$hooks")"
      ;;
  esac

  exports=$(sort <<<"$exports")
  other=$(grep -Ev '^(Java_|wjvm_)' <<<"$exports" || true)
  [ -z "$other" ] || fail "exports symbols other than Java_* and wjvm_* (native/exports.map and build.rs decide what is exported): $other"
  jni=$(grep -c '^Java_' <<<"$exports" || true)
  capi=$(grep -c '^wjvm_' <<<"$exports" || true)
  [ "$jni" -gt 0 ] && [ "$capi" -gt 0 ] || fail "exports $jni Java_* and $capi wjvm_* symbols"
  if [ -z "$reference_exports" ]; then
    reference_exports=$exports
    reference_lib=$lib
  elif [ "$exports" != "$reference_exports" ]; then
    fail "exports a different set of symbols than $reference_lib: $(diff <(echo "$reference_exports") <(echo "$exports") | grep '^[<>]' | head -5 | tr '\n' ' ')"
  fi
  echo "$platform: $format, $(du -h "$lib" | cut -f1), exports $jni Java_* and $capi wjvm_*, $detail"
done
