# Sourced by the scripts that build and inspect the shipped native libraries. Installs, once per
# machine into ~/.cache/wasmtime-jvm, what cross-linking needs: zig (the linker for Linux, with
# glibc 2.28's symbol versions, and for macOS, with its libSystem stubs) and cargo-zigbuild, pinned,
# from PyPI; and the Rust target and llvm-tools components from rustup. Windows is linked by
# Debian's MinGW-w64 gcc (see wjvm_cargo).
wjvm_cache=${XDG_CACHE_HOME:-$HOME/.cache}/wasmtime-jvm
wjvm_ziglang_version=0.17.1
wjvm_cargo_zigbuild_version=0.24.1
# Where cargo builds the shipped libraries (and scripts/test-all.sh its tests of them): outside the
# clone, so that a second build on the same machine, of any clone, reuses what is compiled.
wjvm_target_dir=${WJVM_NATIVE_TARGET_DIR:-$wjvm_cache/native-target}
wjvm_platforms=(linux-x86_64 linux-aarch64 macos-x86_64 macos-aarch64 windows-x86_64)
# The newest glibc the Linux libraries may need: zig links against this version's symbols, and
# scripts/check-native-libraries.sh fails on any newer one.
wjvm_glibc_floor=2.28

# This machine's platform, named as the jar's loader names it (NativeLibrary.platform()).
wjvm_host_platform() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    MINGW* | MSYS* | CYGWIN*) os=windows ;;
    *) os=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) arch=$(uname -m) ;;
  esac
  echo "$os-$arch"
}

# The oldest macOS each macOS library loads on: Rust's own minimum for the target. Exported to
# rustc, cc (the C parts) and zig, which would otherwise build for the macOS it was made with.
wjvm_macos_minimum_x86_64=10.12
wjvm_macos_minimum_aarch64=11.0

# Sets, for a platform, wjvm_rust_target (the Rust target), wjvm_zig_target (the same, with the
# glibc floor for a Linux one, as cargo zigbuild takes it), wjvm_library (cargo's output file) and
# wjvm_built (where wjvm_cargo's release build puts it).
wjvm_platform() {
  unset MACOSX_DEPLOYMENT_TARGET
  case "$1" in
    macos-x86_64) export MACOSX_DEPLOYMENT_TARGET=$wjvm_macos_minimum_x86_64 ;;
    macos-aarch64) export MACOSX_DEPLOYMENT_TARGET=$wjvm_macos_minimum_aarch64 ;;
  esac
  case "$1" in
    linux-x86_64) wjvm_rust_target=x86_64-unknown-linux-gnu; wjvm_zig_target=$wjvm_rust_target.$wjvm_glibc_floor; wjvm_library=libwasmtime_jvm.so ;;
    linux-aarch64) wjvm_rust_target=aarch64-unknown-linux-gnu; wjvm_zig_target=$wjvm_rust_target.$wjvm_glibc_floor; wjvm_library=libwasmtime_jvm.so ;;
    macos-x86_64) wjvm_rust_target=x86_64-apple-darwin; wjvm_zig_target=$wjvm_rust_target; wjvm_library=libwasmtime_jvm.dylib ;;
    macos-aarch64) wjvm_rust_target=aarch64-apple-darwin; wjvm_zig_target=$wjvm_rust_target; wjvm_library=libwasmtime_jvm.dylib ;;
    windows-x86_64) wjvm_rust_target=x86_64-pc-windows-gnu; wjvm_zig_target=$wjvm_rust_target; wjvm_library=wasmtime_jvm.dll ;;
    *)
      echo "no build for platform '$1' (known: ${wjvm_platforms[*]})" >&2
      return 2
      ;;
  esac
  wjvm_built=$wjvm_target_dir/$wjvm_rust_target/release/$wjvm_library
}

# Puts zig and cargo-zigbuild on PATH.
wjvm_use_zig() {
  local venv=$wjvm_cache/zig/venv
  if [ "$("$venv/bin/cargo-zigbuild" --version 2>/dev/null)" != "cargo-zigbuild $wjvm_cargo_zigbuild_version" ] ||
     [ "$("$venv/bin/python" -m ziglang version 2>/dev/null)" != "$wjvm_ziglang_version" ]; then
    echo "installing ziglang $wjvm_ziglang_version and cargo-zigbuild $wjvm_cargo_zigbuild_version into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check \
      "ziglang==$wjvm_ziglang_version" "cargo-zigbuild==$wjvm_cargo_zigbuild_version"
  fi
  PATH=$venv/bin:$PATH
}

# Adds a Rust target's standard library if rustup lacks it.
wjvm_add_rust_target() {
  rustup target list --installed 2>/dev/null | grep -qx "$1" || rustup target add "$1"
}

# Prints the path of an LLVM tool (llvm-readobj, llvm-nm, llvm-objdump, llvm-strip) of this Rust
# toolchain, adding the llvm-tools component if needed: they read ELF, Mach-O and COFF alike.
wjvm_llvm_tool() {
  local bin
  bin="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin"
  [ -x "$bin/$1" ] || rustup component add llvm-tools >&2
  echo "$bin/$1"
}

# Runs a cargo command (build, test, clippy, ...) for a platform in wjvm_target_dir, linked by zig
# (by MinGW-w64 for Windows):   wjvm_cargo <platform> test --release --locked
wjvm_cargo() {
  local platform=$1 command=$2
  shift 2
  wjvm_platform "$platform"
  wjvm_add_rust_target "$wjvm_rust_target"
  if [ "$platform" = windows-x86_64 ]; then
    # zig drops the .def file through which rustc exports a Windows DLL's symbols
    # (rust-cross/cargo-zigbuild#251): Debian's MinGW-w64 gcc links it instead (win32 threads, so
    # that it needs no libwinpthread DLL).
    if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
      echo "the windows-x86_64 library needs x86_64-w64-mingw32-gcc: apt-get install gcc-mingw-w64-x86-64-win32" \
        "(.ci/install-prerequisites.sh installs it)" >&2
      return 1
    fi
    CARGO_TARGET_DIR=$wjvm_target_dir CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
      cargo "$command" "$@" --target "$wjvm_rust_target"
    return
  fi
  wjvm_use_zig
  [ "$command" != build ] || command=zigbuild
  CARGO_TARGET_DIR=$wjvm_target_dir cargo-zigbuild "$command" "$@" --target "$wjvm_zig_target"
}
